"""Serializers of cadres and of the overrides of the local/non-local rule.

They check types and lengths only; ``cadres.services`` checks the personal data (the
identification number, the dates) and its uniqueness, so the API refuses exactly what the
admin refuses.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cadres.models import Cadre, LocalityOverride
from cadres.privacy import can_see_personal_id, mask_personal_id
from communes.api.serializers import RecordSerializer

PERSONAL_ID_HELP = _(
    "12-digit citizen identity number (CCCD). Shown in full only to accounts with the "
    "permission cadres.view_personal_id; others read the last 3 digits (•••••••••567). "
    "Without that permission a number can be given when a cadre is recorded but not "
    "changed: send back the masked value as read (or leave the field out) to keep it."
)


class CadreSerializer(RecordSerializer):
    """A person; places are administrative units as recorded (ids).

    The personal identification number is masked for accounts that may not see it
    (``cadres.privacy``), and such accounts cannot change a recorded one.
    """

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
        extra_kwargs = {"personal_id": {"validators": [], "help_text": PERSONAL_ID_HELP}}
        validators: list = []

    def _may_see_personal_id(self) -> bool:
        request = self.context.get("request")
        return can_see_personal_id(getattr(request, "user", None))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "personal_id" in data and not self._may_see_personal_id():
            data["personal_id"] = mask_personal_id(data["personal_id"])
        return data

    def validate(self, attrs):
        if self.instance is not None and "personal_id" in attrs and not self._may_see_personal_id():
            sent = (attrs.pop("personal_id") or "").strip()
            recorded = self.instance.personal_id or ""
            # The masked value as read (a PUT sends the record back) keeps the number.
            if sent not in (mask_personal_id(recorded) or "", recorded):
                raise serializers.ValidationError(
                    {
                        "personal_id": [
                            _(
                                "Your account may not see personal identification numbers, "
                                "so it cannot change one: send back the value as you read "
                                "it, or leave the field out."
                            )
                        ]
                    }
                )
        return super().validate(attrs)


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
