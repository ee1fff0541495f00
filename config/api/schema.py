"""OpenAPI pieces every endpoint shares: the error shape and the usual error responses."""

from __future__ import annotations

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
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


class FilterParameters(DjangoFilterExtension):
    """The filters of a list, as drf-spectacular describes them, plus what an empty value means.

    ``?as_of=`` or ``?cadre=`` filters nothing (django-filter reads an empty value as "not
    given"), so the schema says ``allowEmptyValue`` for every optional filter that takes one
    value. A filter that takes several (``?kind=rotation&kind=transfer``) refuses an empty one.
    """

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        return [empty_means_absent(parameter) for parameter in parameters]


def empty_means_absent(parameter: dict) -> dict:
    """``allowEmptyValue`` on an optional one-value query parameter that ignores an empty value."""
    if (
        parameter.get("in") == "query"
        and not parameter.get("required")
        and parameter.get("schema", {}).get("type") != "array"
    ):
        parameter["allowEmptyValue"] = True
    return parameter
