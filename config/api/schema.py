"""OpenAPI pieces every endpoint shares: the error shape and the usual error responses."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every 4xx answer. ``errors`` maps a field (``movements.2.to_post`` for a line of a
    decision) to its messages; it is absent when the problem is not about a field."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, e.g. ``errors(400, 404)`` (401 and 403 always)."""
    described = {
        400: "Invalid input, or a rule of the records is broken: `errors` says which field.",
        401: "Not authenticated: send a token (`Authorization: Token …`) or log in.",
        403: "Authenticated, but without the permission this needs.",
        404: "No such record.",
        409: "Someone else changed the same records at the same moment: read them again.",
        412: "The record changed since you read it: read it again (new ETag) and retry.",
        428: "Send the ETag you last read in an If-Match header.",
    }
    wanted = sorted({401, 403, *statuses})
    return {code: OpenApiResponse(ErrorSerializer, description=described[code]) for code in wanted}
