"""The API's side of the audit trail.

- ``GET /api/v1/<resource>/{id}/history/``: the record's history, newest first, in numbered
  pages (``HistoryMixin``, on every resource viewset). It goes through the viewset's
  ``get_object()``, so it answers only about records the caller may read (the model's view
  permission, and the caller's area), and runs the same number of queries however long.
- ``X-Change-Reason``: a write (POST, PUT, PATCH, DELETE) may say why; the reason is kept in
  the history of every record the request changes. UTF-8; a client that cannot send UTF-8
  in a header percent-encodes it (``encodeURIComponent``).

Who made a change needs nothing here: DRF sets the user it authenticates (token or session)
on the request that simple-history's middleware keeps (see ``audit.context``).
"""

from __future__ import annotations

import contextlib
import unicodedata
from urllib.parse import unquote

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action

from audit.changes import entries, history_of, json_value, mask
from audit.context import REASON_MAX_LENGTH, set_request_reason
from config.api.pagination import PagePagination
from config.api.schema import errors

REASON_HEADER = "X-Change-Reason"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

CHANGE_REASON = OpenApiParameter(
    REASON_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Why the record is changed, e.g. `Sai ngày ký, xem công văn 12/CV-TCHU` (at most "
        f"{REASON_MAX_LENGTH} characters). Kept in the history of every record the request "
        "changes. UTF-8; percent-encode it if your client cannot send UTF-8 in a header."
    ),
)


def reason_from_header(value: str) -> str:
    """The reason a client sent: UTF-8 sent as is (which the server reads as Latin-1) or
    percent-encoded. Refused (400) when too long or holding control characters."""
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("latin-1").decode("utf-8")
    value = unquote(value).strip()
    problem = None
    if len(value) > REASON_MAX_LENGTH:
        problem = _("The reason for the change has at most %(max)s characters.") % {
            "max": REASON_MAX_LENGTH
        }
    elif any(unicodedata.category(c) == "Cc" for c in value):
        problem = _("The reason for the change cannot hold control characters.")
    if problem:
        raise exceptions.ValidationError({REASON_HEADER: [problem]})
    return value


class AuditSchema(AutoSchema):
    """The OpenAPI of the viewsets with ``HistoryMixin``: their writes take X-Change-Reason."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in WRITE_METHODS and isinstance(self.view, HistoryMixin):
            return [*parameters, CHANGE_REASON]
        return parameters


# --------------------------------------------------------------------------- answers


class HistoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="Null when the account has since been removed."
    )
    username = serializers.CharField()


class HistoryRequestSerializer(serializers.Serializer):
    """Where the change came from: a request (method, path, address, id) or a command."""

    method = serializers.CharField(help_text="Empty when no request made the change.")
    path = serializers.CharField()
    ip_address = serializers.CharField(allow_null=True)
    request_id = serializers.CharField(
        help_text="The same for every change made by one request (X-Request-ID if sent)."
    )
    command = serializers.CharField(
        help_text="The management command that made the change, when no request did."
    )


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True, help_text="Null: none (a creation).")
    after = serializers.JSONField(allow_null=True, help_text="Null: none (a deletion).")


class HistoryEntrySerializer(serializers.Serializer):
    """One change of a record: a creation lists every field, a deletion every field as it
    was, a change the fields whose value changed. Related records are given by id, dates
    in ISO 8601."""

    history_id = serializers.IntegerField()
    date = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    user = HistoryUserSerializer(allow_null=True, help_text="Null when no user made it.")
    reason = serializers.CharField(allow_null=True)
    request = HistoryRequestSerializer()
    changes = HistoryChangeSerializer(many=True)


def entry_data(entry) -> dict:
    record = entry.record
    user = None
    if record.history_user_id is not None or record.history_username:
        user = {"id": record.history_user_id, "username": entry.username}
    return {
        "history_id": record.history_id,
        "date": record.history_date,
        "type": entry.type,
        "user": user,
        "reason": entry.reason,
        "request": {
            "method": record.request_method,
            "path": record.request_path,
            "ip_address": record.ip_address,
            "request_id": record.request_id,
            "command": record.command,
        },
        "changes": [
            {"field": c.name, "before": json_value(c.before), "after": json_value(c.after)}
            for c in entry.changes
        ],
    }


# --------------------------------------------------------------------------- the mixin


class HistoryPagination(PagePagination):
    """50 entries a page by default, at most 200."""


class HistoryMixin:
    """For the viewsets of the records: ``GET {id}/history/``, and ``X-Change-Reason`` on
    every write."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        sent = request.headers.get(REASON_HEADER)
        if sent is not None and request.method in WRITE_METHODS:
            set_request_reason(request._request, reason_from_header(sent))

    @extend_schema(
        summary="The record's history: each change, who made it, when, from where and why",
        request=None,
        responses={200: HistoryEntrySerializer(many=True), **errors(400, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=HistoryPagination)
    def history(self, request, pk=None):
        """Every create, change and delete of the record, newest first: when, the user,
        the request (method, path, address, id) or command, the reason given, and each
        field before and after. Needs the view permission of the record."""
        instance = self.get_object()
        model = type(instance)
        history = history_of(model, instance.pk)
        records = self.paginate_queryset(history)
        page = self.paginator.page
        older = history[page.end_index()] if page.has_next() else None
        found = entries(model, records, older)
        mask(model, found, request.user)
        data = HistoryEntrySerializer([entry_data(e) for e in found], many=True).data
        return self.get_paginated_response(data)
