"""Fixtures of the rotation API tests: the API's fixed cast of users."""

import pytest

from communes.tests.api_support import Cast, make_cast


@pytest.fixture
def cast(area_units) -> Cast:
    """anonymous (401), outsider (403), official (reads only), hr (HR staff: reads and writes),
    working in the province of the test's records."""
    return make_cast(area_units)
