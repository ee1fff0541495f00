"""The shape of the report answers, for the OpenAPI schema.

The JSON itself is ``NonLocalReport.to_dict()`` and ``MovementReport.to_dict()`` of
``reports.selectors`` (``NationalNonLocal.to_dict()`` for the national table), the same as
``manage.py report … --format json``; these serializers
only describe it, so that a client written against the schema knows every field, and the
schema tests check every answer against it. Fields marked "with details" are present
only with ``details=true``.
"""

from __future__ import annotations

from rest_framework import serializers

from cadres.models import Gender
from communes.models import UnitKind
from reports.selectors import AgeBand, Standing
from rotation.models import Direction, MovementKind


class ReportUnitSerializer(serializers.Serializer):
    """A unit as the report saw it: its record of that day."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=UnitKind.choices)


class ReportHolderSerializer(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    cadre_id = serializers.IntegerField()
    cadre_name = serializers.CharField()
    hometown = serializers.CharField(allow_blank=True)
    is_local = serializers.BooleanField()
    basis = serializers.CharField(help_text="What made the holder local or not.")
    basis_label = serializers.CharField()
    principal = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, help_text="HR's reason, for an override.")


class ReportUnitStandingSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    standing = serializers.ChoiceField(choices=Standing.choices)
    holders = ReportHolderSerializer(many=True)


class ReportRoleNonLocalSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="Role code, e.g. party_secretary.")
    role_label = serializers.CharField()
    non_local = serializers.IntegerField(help_text="Units whose holder is not a local person.")
    units_total = serializers.IntegerField()
    local = serializers.IntegerField()
    vacant = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True, help_text="non_local / units_total.")
    non_local_units = ReportUnitSerializer(many=True)
    units = ReportUnitStandingSerializer(many=True, required=False, help_text="With details.")


class ReportDualHoldingSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    cadre_id = serializers.IntegerField()
    cadre_name = serializers.CharField()


class NonLocalReportSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    day = serializers.DateField()
    units_total = serializers.IntegerField(help_text="Commune-level units of the unit that day.")
    units = ReportUnitSerializer(many=True)
    roles = ReportRoleNonLocalSerializer(many=True)
    secretary_chairman = ReportDualHoldingSerializer(
        many=True, help_text="Party secretaries who are also People's Committee chairman."
    )


class RoleFiguresField(serializers.DictField):
    """Role code → a number, for each role of the table."""

    child = serializers.IntegerField()


class ReportRoleSerializer(serializers.Serializer):
    role = serializers.CharField(help_text="Role code, e.g. party_secretary.")
    role_label = serializers.CharField()


class ProvinceNonLocalSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    units_total = serializers.IntegerField(
        help_text="Commune-level units of the province that day."
    )
    non_local = RoleFiguresField(help_text="Role code → units with a non-local holder.")
    held = RoleFiguresField(help_text="Role code → units with any holder.")
    share = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Role code → non_local / units_total.",
    )


class NationalNonLocalSerializer(serializers.Serializer):
    day = serializers.DateField()
    roles = ReportRoleSerializer(many=True)
    units_total = serializers.IntegerField(help_text="Commune-level units of the provinces listed.")
    non_local = RoleFiguresField(help_text="Sums over the provinces listed.")
    held = RoleFiguresField(help_text="Sums over the provinces listed.")
    provinces = ProvinceNonLocalSerializer(many=True)


class ReportMovementSerializer(serializers.Serializer):
    movement_id = serializers.IntegerField()
    decision_id = serializers.IntegerField()
    decision_number = serializers.CharField()
    decision_signed_on = serializers.DateField()
    cadre_id = serializers.IntegerField()
    cadre_name = serializers.CharField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    gender_label = serializers.CharField()
    age = serializers.IntegerField(help_text="Whole years on the effective date.")
    young = serializers.BooleanField(help_text="Under 35 on the effective date.")
    effective_date = serializers.DateField()
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    kind_label = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    direction_label = serializers.CharField()
    role = serializers.CharField(allow_blank=True)
    role_label = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_blank=True)
    field_label = serializers.CharField(allow_blank=True)
    from_post = serializers.CharField(allow_blank=True)
    from_unit = serializers.CharField(allow_blank=True)
    to_post = serializers.CharField()
    to_unit = serializers.CharField()


class ReportMovementCountSerializer(serializers.Serializer):
    """One number; its key is whichever of direction, kind, role, field, gender and age band
    it counts by."""

    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    kind = serializers.ChoiceField(choices=MovementKind.choices, required=False)
    role = serializers.CharField(required=False)
    field = serializers.CharField(required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    label = serializers.CharField()
    count = serializers.IntegerField()
    movement_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="With details."
    )


class MovementReportSerializer(serializers.Serializer):
    unit = ReportUnitSerializer()
    start = serializers.DateField()
    end = serializers.DateField()
    total = serializers.IntegerField()
    by_direction = ReportMovementCountSerializer(many=True)
    by_kind = ReportMovementCountSerializer(many=True)
    by_direction_kind_role = ReportMovementCountSerializer(many=True)
    civil_servants = serializers.IntegerField()
    by_field = ReportMovementCountSerializer(many=True)
    by_gender = ReportMovementCountSerializer(many=True)
    by_age_band = ReportMovementCountSerializer(many=True, help_text="Under 35, 35 and over.")
    movements = ReportMovementSerializer(many=True, required=False, help_text="With details.")
