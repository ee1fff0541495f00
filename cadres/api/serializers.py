"""Serializers of cadres and of the overrides of the local/non-local rule.

They check types and lengths only; ``cadres.services`` checks the personal data (the
identification number, the dates) and its uniqueness, so the API refuses exactly what the
admin refuses.
"""

from __future__ import annotations

from rest_framework import serializers

from cadres.models import Cadre, LocalityOverride
from communes.api.serializers import RecordSerializer


class CadreSerializer(RecordSerializer):
    """A person; places are administrative units as recorded (ids)."""

    class Meta:
        model = Cadre
        fields = (
            "id",
            "full_name",
            "gender",
            "date_of_birth",
            "hometown",
            "birthplace",
            "permanent_residence",
            "personal_id",
            "party_joined_on",
            "status",
            "created_at",
            "updated_at",
        )
        # The service checks the format and that no other cadre has the number.
        extra_kwargs = {"personal_id": {"validators": []}}
        validators: list = []


class LocalityOverrideSerializer(RecordSerializer):
    """HR's written verdict that a cadre is, or is not, local to a unit (and its successors)."""

    unit_code = serializers.CharField(source="unit.code", read_only=True)
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = LocalityOverride
        fields = (
            "id",
            "cadre",
            "unit",
            "unit_code",
            "is_local",
            "reason",
            "created_at",
            "created_by",
        )
        extra_kwargs = {"reason": {"max_length": 2000}}
        validators: list = []
