"""Fixtures of the API tests that call the real WSGI application, as a client over HTTP would."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@pytest.fixture
def wsgi_in_test_transaction(db):
    """Requests through the real WSGI handler keep the test's connection and transaction.

    The handler closes "old" connections at the start and end of every request; inside a
    test transaction that would close the connection under the test, so, as Django's test
    client does, those two receivers are off while the test runs.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
