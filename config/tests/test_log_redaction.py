"""No personal identification number is ever written to the logs.

``config.logs.RedactPersonalIds`` is on every handler that ``settings.LOGGING`` installs;
these tests read what the handlers actually write (their streams) as well as what
``caplog`` receives, for the URLs Django and runserver log, and for tracebacks of database
errors that quote the number.
"""

from __future__ import annotations

import io
import logging
import sys

import pytest
from django.db import IntegrityError
from django.test import Client

from config.logs import REDACTED, RedactPersonalIds, handlers_without_redaction, redact

PERSONAL_ID = "001203004567"


@pytest.fixture
def written():
    """Everything the configured handlers write while the test runs."""
    stream = io.StringIO()
    handlers = [
        handler
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
        if isinstance(logger, logging.Logger)
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and any(isinstance(f, RedactPersonalIds) for f in handler.filters)
    ]
    assert handlers, "the settings install stream handlers"
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


def test_every_configured_handler_carries_the_filter():
    # Django's own loggers, runserver's, and the root all have handlers, each filtered.
    assert logging.getLogger().handlers
    assert logging.getLogger("django.server").handlers
    # pytest's own capturing handlers aside.
    assert [
        (name, handler)
        for name, handler in handlers_without_redaction()
        if not type(handler).__module__.startswith("_pytest")
    ] == []


def test_the_settings_put_the_filter_on_every_handler_they_declare(settings):
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact_personal_ids" in handler.get("filters", []), name
    for name, logger in settings.LOGGING["loggers"].items():
        assert set(logger.get("handlers", [])) <= set(settings.LOGGING["handlers"]), name


def test_redact_replaces_runs_of_exactly_twelve_digits():
    assert redact(f"q={PERSONAL_ID}&page=2") == f"q={REDACTED}&page=2"
    assert redact(f"({PERSONAL_ID})") == f"({REDACTED})"
    # Ids, dates, phone numbers and longer numbers stay as they are.
    for text in ("id 12345", "2026-11-26", "0912345678", "1234567890123", "00120300456"):
        assert redact(text) == text


def record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("test", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_the_filter_redacts_the_message_its_arguments_and_the_traceback():
    try:
        raise IntegrityError(f"Key (personal_id)=({PERSONAL_ID}) already exists.")
    except IntegrityError:
        item = record(
            "Refused %s for %s", "GET", f"/api/v1/cadres/?q={PERSONAL_ID}", exc_info=sys.exc_info()
        )

    assert RedactPersonalIds().filter(item) is True
    text = logging.Formatter().format(item)

    assert PERSONAL_ID not in text
    assert f"Refused GET for /api/v1/cadres/?q={REDACTED}" in text
    assert f"Key (personal_id)=({REDACTED}) already exists." in text


def test_a_filtered_record_passes_a_second_filter_unchanged():
    item = record("%s", f"?q={PERSONAL_ID}")
    RedactPersonalIds().filter(item)
    RedactPersonalIds().filter(item)
    assert item.getMessage() == f"?q={REDACTED}"


def test_a_404_whose_address_holds_a_personal_id_is_logged_without_it(db, written, caplog):
    answer = Client().get(f"/no-such-page/{PERSONAL_ID}/", HTTP_ACCEPT="text/html")
    assert answer.status_code == 404

    assert f"Not Found: /no-such-page/{REDACTED}/" in written.getvalue()
    assert PERSONAL_ID not in written.getvalue()
    assert [r for r in caplog.records if r.name == "django.request"]
    assert PERSONAL_ID not in caplog.text


def test_an_api_refusal_searching_by_a_personal_id_is_logged_without_it(db, written, caplog):
    answer = Client().get(
        f"/api/v1/cadres/?q={PERSONAL_ID}", HTTP_AUTHORIZATION="Token not-a-real-token"
    )
    assert answer.status_code == 401
    # runserver logs the request line, query string included.
    logging.getLogger("django.server").info(
        '"%s" %s %s',
        f"GET /api/v1/cadres/?q={PERSONAL_ID} HTTP/1.1",
        "401",
        "85",
        extra={"status_code": 401},
    )

    output = written.getvalue()
    assert "Unauthorized: /api/v1/cadres/" in output
    assert f"GET /api/v1/cadres/?q={REDACTED} HTTP/1.1" in output
    assert PERSONAL_ID not in output
    assert PERSONAL_ID not in caplog.text


def test_a_database_error_quoting_a_personal_id_is_logged_without_it(db, written, caplog):
    from config.api.errors import exception_handler

    try:
        raise IntegrityError(
            f'duplicate key value violates unique constraint "cadres_cadre_personal_id_key"\n'
            f"DETAIL:  Key (personal_id)=({PERSONAL_ID}) already exists."
        )
    except IntegrityError as error:
        answer = exception_handler(error, {})
    assert answer.status_code == 409

    assert "API write refused by the database" in written.getvalue()
    assert f"Key (personal_id)=({REDACTED})" in written.getvalue()
    assert PERSONAL_ID not in written.getvalue()
    assert PERSONAL_ID not in caplog.text
