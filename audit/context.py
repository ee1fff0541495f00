"""Who makes a change, why, and from where, for the history rows a write creates.

- **Who**: the user a service was given (``by=``), else the user of the request: the
  session's, or the token's (DRF sets the user it authenticates on the request the
  middleware keeps, so token-authenticated writes name the token's user too).
- **Why**: the reason a service was given (``reason=``), else the reason given with the
  request: the admin's "reason for the change" field or the API's ``X-Change-Reason``
  header, both stored on the request under ``REQUEST_REASON``.
- **From where**: the request's method, path, client address and id; without a request, the
  management command (``recording(command=…)``, else the one ``manage.py`` runs).

simple-history keeps the request (``HistoryRequestMiddleware``); ``recording`` adds what
only the code knows. Both the history rows written one by one (``fill_origin``) and those
written in bulk (``audit.bulk``) read them here.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from simple_history.models import HistoricalRecords

# The attributes of the request that carry the reason given with it and its id.
REQUEST_REASON = "audit_change_reason"
REQUEST_ID = "audit_request_id"
# A request id a client sends (X-Request-ID) is kept when it looks like one.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
REASON_MAX_LENGTH = 1000

_user: ContextVar = ContextVar("audit_user", default=None)
_reason: ContextVar[str | None] = ContextVar("audit_reason", default=None)
_command: ContextVar[str | None] = ContextVar("audit_command", default=None)


@contextmanager
def recording(
    *, user=None, reason: str | None = None, command: str | None = None
) -> Iterator[None]:
    """Within the block, the history rows written name ``user``, ``reason`` and ``command``.

    Only what is given counts: ``recording(reason="")`` leaves the reason of an enclosing
    block or of the request as it is. An anonymous user counts as none.
    """
    tokens = []
    if user is not None and getattr(user, "is_authenticated", False):
        tokens.append((_user, _user.set(user)))
    reason = (reason or "").strip()
    if reason:
        tokens.append((_reason, _reason.set(reason[:REASON_MAX_LENGTH])))
    if command:
        tokens.append((_command, _command.set(command)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def audited(service=None, /, *, reason: str | None = "reason"):
    """Decorator of a service: the user it is given (``by=``) and the reason (``reason=``,
    or the argument ``reason`` names; None: none) are recorded in the history of every row
    it writes (see ``recording``)."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            given = kwargs.get(reason) if reason else None
            with recording(user=kwargs.get("by"), reason=given):
                return function(*args, **kwargs)

        return wrapper

    return decorate(service) if service is not None else decorate


def current_request():
    """The request being answered (kept by simple-history's middleware), or None."""
    return getattr(HistoricalRecords.context, "request", None)


def current_user():
    """The user the history rows written now name, or None."""
    user = _user.get()
    if user is not None:
        return user
    user = getattr(current_request(), "user", None)
    if user is not None and user.is_authenticated:
        return user
    return None


def current_reason() -> str | None:
    """The reason the history rows written now carry, or None."""
    reason = _reason.get()
    if reason:
        return reason
    reason = getattr(current_request(), REQUEST_REASON, None)
    return reason or None


def set_request_reason(request, reason: str | None) -> None:
    """Give every change ``request`` makes this reason (the admin's field, the API's header)."""
    reason = (reason or "").strip()[:REASON_MAX_LENGTH]
    setattr(request, REQUEST_REASON, reason or None)


def client_address(request) -> str | None:
    """The address the request came from, as the server saw it (REMOTE_ADDR).

    Headers that a client can set (X-Forwarded-For) are not trusted here: behind a proxy,
    the proxy's own configuration must set REMOTE_ADDR.
    """
    address = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def request_id(request) -> str:
    """The id of the request: the client's X-Request-ID when it looks like one, else a new
    one. Every history row a request writes has the same id, so they can be read together."""
    known = getattr(request, REQUEST_ID, None)
    if known is None:
        sent = (request.headers.get("X-Request-ID") or "").strip()
        known = sent if REQUEST_ID_PATTERN.match(sent) else uuid.uuid4().hex
        setattr(request, REQUEST_ID, known)
    return known


def command_name() -> str:
    """The management command being run, when there is no request ("" when unknown)."""
    command = _command.get()
    if command:
        return command
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in ("manage.py", "django-admin") and len(sys.argv) > 1:
        return sys.argv[1][:100]
    return ""


def origin(user=None) -> dict:
    """The fields of a history row that say where the change came from (see
    ``audit.models.AuditedHistoricalModel``)."""
    request = current_request()
    attrs = {
        "history_username": user.get_username()[:150] if user is not None else "",
        "ip_address": None,
        "request_method": "",
        "request_path": "",
        "request_id": "",
        "command": "",
    }
    if request is None:
        attrs["command"] = command_name()
    else:
        attrs.update(
            ip_address=client_address(request),
            request_method=(request.method or "")[:10],
            request_path=request.path[:255],
            request_id=request_id(request),
        )
    return attrs


def fill_origin(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record``: say where the change came from, on every history
    row written one by one (rows written in bulk get the same from ``audit.bulk``)."""
    from audit.models import AuditedHistoricalModel

    if not isinstance(history_instance, AuditedHistoricalModel):
        return
    for name, value in origin(history_instance.history_user).items():
        setattr(history_instance, name, value)
