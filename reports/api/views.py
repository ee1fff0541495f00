"""The headline figures over REST, from the same selectors as ``manage.py report``.

``GET /api/v1/reports/non-local/?unit=350&date=2023-06-30`` and
``GET /api/v1/reports/movements/?unit=350&from=2020-10-01&to=2023-06-30`` answer exactly the
JSON of ``manage.py report … --format json`` (``details=true`` for ``--details``);
``GET /api/v1/reports/non-local/national/?date=2023-06-30`` the figures of the first for
every province of the user's area at once. They read the records from the read replica,
when one is configured (``config.routers``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from access.areas import in_area
from communes.models import AdministrativeUnit
from communes.selectors import unit_on
from config.api.permissions import ReportPermission
from config.api.schema import errors
from config.routers import reading_from_replica
from reports.api.serializers import (
    MovementReportSerializer,
    NationalNonLocalSerializer,
    NonLocalReportSerializer,
)
from reports.selectors import movement_report, national_non_local, non_local_report
from rotation.models import Term


class NonLocalQuery(serializers.Serializer):
    unit = serializers.CharField(max_length=5, help_text="Official code of the unit, e.g. 350.")
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default today.")
    role = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Role codes."
    )
    details = serializers.BooleanField(required=False, default=False)


class NationalQuery(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; default today.")
    role = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Role codes."
    )


class MovementQuery(serializers.Serializer):
    unit = serializers.CharField(max_length=5, help_text="Official code of the unit, e.g. 350.")
    # "from" is a Python keyword: the field is declared below under its query name.
    to = serializers.DateField(required=False, help_text="Last day, YYYY-MM-DD; default today.")
    details = serializers.BooleanField(required=False, default=False)


MovementQuery._declared_fields["from"] = serializers.DateField(
    required=False, help_text="First day, YYYY-MM-DD; default the start of the Party term."
)


def query_params(serializer_class, request) -> dict:
    data = {key: request.query_params.get(key) for key in request.query_params}
    if "role" in request.query_params:
        data["role"] = request.query_params.getlist("role")
    query = serializer_class(data=data)
    query.is_valid(raise_exception=True)
    return query.validated_data


def resolve(code: str, day, request):
    """The unit of ``code`` on ``day`` in the user's area: a unit outside it is answered
    as an unknown code is (400), so that nothing says whether it exists."""
    try:
        return unit_on(code, day, units=in_area(request, AdministrativeUnit.objects.all()))
    except ValidationError as error:
        raise ValidationError({"unit": error.messages}) from None


UNIT = OpenApiParameter("unit", str, required=True, description="Official code, e.g. 350.")
DETAILS = OpenApiParameter(
    "details", bool, description="List the units and cadres behind each figure."
)


class NonLocalReportView(APIView):
    permission_classes = [ReportPermission]

    @extend_schema(
        summary="Non-local holders of the key posts of the communes of a unit, on a day",
        parameters=[
            UNIT,
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today."),
            OpenApiParameter(
                "role", str, many=True, description="Role codes; default the key roles."
            ),
            DETAILS,
        ],
        responses={200: NonLocalReportSerializer, **errors(400)},
    )
    def get(self, request):
        query = query_params(NonLocalQuery, request)
        day = query.get("date") or timezone.localdate()
        with reading_from_replica():
            unit = resolve(query["unit"], day, request)
            try:
                report = non_local_report(unit=unit, day=day, role_codes=query.get("role") or None)
            except ValidationError as error:
                raise ValidationError({"role": error.messages}) from None
            return Response(report.to_dict(details=query["details"]))


class NationalNonLocalView(APIView):
    permission_classes = [ReportPermission]

    @extend_schema(
        summary="Non-local holders of the key posts on a day, province by province",
        description=(
            "For every province valid on the day and in the user's area (every province for"
            " an administrator; none for a user whose area is below the province), the"
            " figures of the non-local report of that province: its commune-level units,"
            " and for each role how many have a holder and how many a non-local one."
        ),
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: today."),
            OpenApiParameter(
                "role", str, many=True, description="Role codes; default the key roles."
            ),
        ],
        responses={200: NationalNonLocalSerializer, **errors(400)},
    )
    def get(self, request):
        query = query_params(NationalQuery, request)
        day = query.get("date") or timezone.localdate()
        with reading_from_replica():
            units = in_area(request, AdministrativeUnit.objects.all())
            try:
                report = national_non_local(
                    day=day, role_codes=query.get("role") or None, units=units
                )
            except ValidationError as error:
                raise ValidationError({"role": error.messages}) from None
            return Response(report.to_dict())


class MovementReportView(APIView):
    permission_classes = [ReportPermission]

    @extend_schema(
        summary="Movements of a period in the area of a unit, by direction, kind, role and field",
        parameters=[
            UNIT,
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Default: start of the Party term."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Default: today."),
            DETAILS,
        ],
        responses={200: MovementReportSerializer, **errors(400)},
    )
    def get(self, request):
        query = query_params(MovementQuery, request)
        end = query.get("to") or timezone.localdate()
        start = query.get("from")
        with reading_from_replica():
            if start is None:
                term = Term.containing(end)
                if term is None:
                    raise ValidationError(
                        {"from": _("No Party term is recorded that contains this day; give from.")}
                    )
                start = term.start
            if start > end:
                raise ValidationError({"from": _("The first day is after the last day.")})
            unit = resolve(query["unit"], end, request)
            report = movement_report(unit=unit, start=start, end=end)
            return Response(report.to_dict(details=query["details"]))
