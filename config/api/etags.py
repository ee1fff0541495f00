"""ETag on every answer about one record; If-Match required to change it (412, 428)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from audit.api import AuditSchema


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "The record has changed since you read it: read it again and repeat your change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = _(
        "Send the ETag you last read in an If-Match header, so that no change made "
        "meanwhile by someone else is overwritten."
    )
    default_code = "precondition_required"


def etag_of(instance) -> str:
    """A strong ETag that changes whenever the record is saved (``updated_at``)."""
    stamp = f"{instance._meta.label}:{instance.pk}:{instance.updated_at.isoformat()}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "The ETag of the record as last read. Required to change it: a stale ETag gets 412, "
        "a missing one 428."
    ),
)


ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    required=True,
    response=[200, 201],
    description="The record's ETag: send it back in If-Match to change the record.",
)


class ETagSchema(AuditSchema):
    """The OpenAPI of an ``ETagMixin`` viewset: every answer about one record has an ETag."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if getattr(self.view, "action", None) in ("list", "destroy", "history"):
            return parameters
        return [*parameters, ETAG]


class ETagMixin:
    """Viewset mixin: ``ETag`` on every answer about one record; ``If-Match`` to change it.

    Changes (PUT, PATCH, DELETE and the ``etag_actions`` workflow steps) need the ETag the
    client last read: two offices editing the same decision never overwrite each other.
    """

    etag_actions: tuple[str, ...] = ()
    schema = ETagSchema()

    def check_if_match(self, instance, *, required: bool = True) -> None:
        sent = self.request.headers.get("If-Match")
        if not sent:
            if required:
                raise PreconditionRequired()
            return
        accepted = {tag.strip() for tag in sent.split(",")}
        if "*" not in accepted and etag_of(instance) not in accepted:
            raise PreconditionFailed()

    def etag_record(self, instance):
        """The record whose ETag guards ``instance``: itself, or (for a line of a
        decision) the decision it belongs to."""
        return instance

    def get_object(self):
        instance = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE") or self.action in self.etag_actions:
            self.check_if_match(self.etag_record(instance))
        return instance

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        instance = getattr(self, "etag_instance", None)
        if instance is not None and response.status_code < 300:
            instance.refresh_from_db(fields=["updated_at"])
            response["ETag"] = etag_of(instance)
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.etag_instance = self.etag_record(instance)
        return Response(self.get_serializer(instance).data)
