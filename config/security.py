"""What django-axes calls when it locks out a login: the client's address and the answer.

Settings: ``AXES_*`` and ``TRUSTED_PROXY_COUNT`` in ``config/settings/base.py``. Unlock
with ``manage.py axes_reset_username <username>`` (or ``axes_reset`` for everyone), or by
deleting the account's *Access attempts* in the admin.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_ip(request: HttpRequest) -> str | None:
    """The address a login comes from.

    Without a proxy (``TRUSTED_PROXY_COUNT=0``) the connection's address: an
    ``X-Forwarded-For`` sent by the client is ignored, so it cannot dodge a lockout by
    inventing addresses. Behind N proxies that each append to ``X-Forwarded-For``, the
    address the outermost of them saw: the N-th from the right.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def cool_off_minutes() -> int:
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def wants_json(request: HttpRequest) -> bool:
    """An API client (not a browser): JSON for it, the lockout page for people."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return True
    accept = request.headers.get("Accept", "")
    if "text/html" in accept:
        return False
    return request.path_info.startswith("/api/") or "application/json" in accept


def lockout_message() -> str:
    minutes = cool_off_minutes()
    return ngettext(
        "Too many failed logins: this account is locked from your address for %(minutes)d "
        "minute. Wait and try again, or ask an administrator to unlock it.",
        "Too many failed logins: this account is locked from your address for %(minutes)d "
        "minutes. Wait and try again, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """429 with the lockout page in the site's look, or ``{detail, code}`` for API clients."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if wants_json(request):
        response = JsonResponse(
            {"detail": lockout_message(), "code": "locked_out"},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": lockout_message(), "minutes": cool_off_minutes()},
            status=status,
        )
    response["Retry-After"] = retry_after
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token (or with a stale one): 403, in the site's
    look, saying what to do. Django's own page is bare and in English."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
