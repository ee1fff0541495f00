"""Logging that never writes a personal identification number.

``RedactPersonalIds`` is installed on every handler of ``settings.LOGGING`` (and on
gunicorn's, by ``config/gunicorn.conf.py``). A citizen identity number has 12 digits; any
run of exactly 12 digits in a message, its arguments or its traceback is replaced, so that
``GET /api/v1/cadres/?q=001203004567`` or a database error quoting the number is logged as
``…?q=[personal ID]``. Longer or shorter runs of digits (ids, dates, timestamps) stay.

No Django import: gunicorn loads this before Django is set up.
"""

from __future__ import annotations

import logging
import re

PERSONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
REDACTED = "[personal ID]"


def redact(text: str) -> str:
    """``text`` with every run of exactly 12 digits replaced."""
    return PERSONAL_ID.sub(REDACTED, text)


class RedactPersonalIds(logging.Filter):
    """Blank out personal identification numbers from a record before any handler writes it.

    The message is formatted with its arguments first (so that a number passed as an
    argument, or inside an object's ``str``, is caught) and the record then carries the
    redacted text with no arguments; the traceback is formatted and redacted the same way.
    Never drops a record.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is still logged, unformatted
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def handlers_without_redaction() -> list[tuple[str, logging.Handler]]:
    """(logger name, handler) of every configured handler that lacks the filter (libraries'
    ``NullHandler``s, which write nothing, aside)."""
    loggers = [("root", logging.getLogger())] + [
        (name, logger)
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]
    return [
        (name, handler)
        for name, logger in loggers
        for handler in logger.handlers
        if not isinstance(handler, logging.NullHandler)
        and not any(isinstance(f, RedactPersonalIds) for f in handler.filters)
    ]
