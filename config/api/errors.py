"""One JSON shape for every refusal (see ``config.api``); never a 500 for bad input."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as {field: [messages]}.

    Errors about the movements of a decision carry ``line`` and ``field`` in their params
    and become ``movements.<line>.<field>``.
    """
    if not hasattr(error, "error_dict"):
        return {NON_FIELD: list(error.messages)}
    result: dict[str, list[str]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            params = item.params or {}
            key = field
            if field == "movements" and "line" in params and "field" in params:
                key = f"movements.{params['line']}.{params['field']}"
            elif field == "__all__":
                key = NON_FIELD
            result.setdefault(key, []).extend(item.messages)
    return result


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as flat ``a.b.c`` keys; list items are numbered from 1."""
    if isinstance(detail, dict):
        result: dict[str, list[str]] = {}
        for key, value in detail.items():
            # A list of objects (the lines of a decision) reports its errors keyed by the
            # item's index from 0: name the item by its line number instead.
            if isinstance(key, int):
                key = key + 1
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == NON_FIELD and prefix:
                # "movements": not a list; "movements.3": that line is not an object.
                name = prefix
            for sub_key, messages in _flatten(value, name).items():
                result.setdefault(sub_key, []).extend(messages)
        return result
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        result = {}
        for index, item in enumerate(detail, start=1):
            if item:
                for key, messages in _flatten(
                    item, f"{prefix}.{index}" if prefix else str(index)
                ).items():
                    result.setdefault(key, []).extend(messages)
        return result
    return {prefix or NON_FIELD: [str(detail)]}


def _first_message(errors: dict[str, list[str]]) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return str(_("Invalid input."))


# PostgreSQL's serialization_failure and deadlock_detected: two transactions crossed and
# one was stopped. The services lock rows in one order so that it does not happen; if it
# ever does, the client is told to retry, as for any write that crossed another.
WRITE_CONFLICT_STATES = ("40001", "40P01")


def is_write_conflict(exc) -> bool:
    return (
        isinstance(exc, OperationalError)
        and getattr(exc.__cause__, "pgcode", None) in WRITE_CONFLICT_STATES
    )


def exception_handler(exc, context):
    """Every refusal in one JSON shape; the database's backstop answers 409, never 500."""
    if isinstance(exc, DjangoValidationError):
        errors = django_errors(exc)
        return Response(
            {"detail": _first_message(errors), "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, ProtectedError | RestrictedError):
        # Records that others refer to are never deleted (the services refuse first; this
        # is the backstop): say which records stand in the way.
        others = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        blocking = sorted({str(obj._meta.verbose_name) for obj in others})
        return Response(
            {
                "detail": str(
                    _(
                        "This record cannot be deleted: other records refer to it (%(kinds)s). "
                        "Records that others refer to are kept."
                    )
                    % {"kinds": ", ".join(blocking)}
                ),
                "code": "protected",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, IntegrityError) or is_write_conflict(exc):
        # The services check every rule first; the database refuses only when someone
        # else changed the same records at the same moment.
        logger.warning("API write refused by the database", exc_info=True)
        return Response(
            {
                "detail": str(
                    _(
                        "Someone else changed these records at the same moment; read them again and retry."
                    )
                ),
                "code": "conflict",
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DataError):
        logger.warning("API input refused by the database", exc_info=True)
        return Response(
            {
                "detail": str(_("A value is out of the range the records can hold.")),
                "code": "invalid",
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {"detail": _first_message(errors), "code": "invalid", "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail),
            "code": codes if isinstance(codes, str) else "error",
        }
    return response


class NotFoundView(APIView):
    """Every other address under ``/api/v1/``: the API's JSON 404, not Django's HTML page.

    A client that builds a wrong URL (``/api/v1/units/1.5/``, an id with a slash in it)
    reads the same ``{detail, code}`` as for a missing record. Not in the schema.
    """

    authentication_classes: list = []
    permission_classes: list = []
    schema = None

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()
