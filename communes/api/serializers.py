"""Serializers of units, organisations, roles and posts.

They check types and lengths only (the model fields' own validators come along); every
rule lives in ``communes.services``, which the views call, so the API refuses exactly what
the admin refuses. Uniqueness is the services' job too: DRF's unique validators are dropped.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from access.areas import area_of
from cadres.locality import BASE_LABELS
from communes.models import (
    AdministrativeUnit,
    Organisation,
    Post,
    Role,
    UnitLevel,
)
from config.api.fields import RecordDateField, RecordKeyField, StringField


class RecordSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose inputs are as strict as the schema says: dates the records
    can hold, ids that are integers, text that comes as a JSON string (``config.api.fields``)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: RecordDateField,
        models.CharField: StringField,
        models.TextField: StringField,
    }
    serializer_related_field = RecordKeyField


def refuse_changes(serializer: serializers.Serializer, attrs: dict, refusals: dict) -> dict:
    """Fields set when a record is created and never changed: ``refusals`` maps each to the
    message a client gets when it sends another value. The same value is accepted (a PUT
    sends the whole record back) and dropped, so that the service never sees it."""
    if serializer.instance is None:
        return attrs
    errors = {
        name: [message]
        for name, message in refusals.items()
        if name in attrs and attrs[name] != getattr(serializer.instance, name)
    }
    if errors:
        raise serializers.ValidationError(errors)
    return {name: value for name, value in attrs.items() if name not in refusals}


class UnitSerializer(RecordSerializer):
    """A unit as it was during one period; ``predecessors``/``successors`` link its versions."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    level = serializers.ChoiceField(choices=UnitLevel.choices, read_only=True)
    parent = RecordKeyField(
        queryset=AdministrativeUnit.objects.all(), required=False, allow_null=True
    )
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    successors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = AdministrativeUnit
        fields = (
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "level",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
            "predecessors",
            "successors",
        )
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            # Only the versions in the user's area are named (``access.areas``).
            area = area_of(request)
            for links in ("predecessors", "successors"):
                data[links] = [pk for pk in data[links] if area.has_unit(pk)]
        return data


class OrganisationSerializer(RecordSerializer):
    """A body of a unit; its unit is set once. ``valid_from``/``valid_to`` default to the unit's."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Organisation
        fields = (
            "id",
            "unit",
            "unit_code",
            "kind",
            "kind_label",
            "name",
            "valid_from",
            "valid_to",
        )
        extra_kwargs = {"valid_from": {"required": False}}
        validators: list = []

    def validate(self, attrs):
        return refuse_changes(
            self,
            attrs,
            {
                "unit": _(
                    "An organisation never moves to another unit; record a new organisation "
                    "there instead."
                )
            },
        )


class RoleSerializer(RecordSerializer):
    """A kind of post; its ``code`` is set once, since reports and other systems rely on it."""

    code = StringField(max_length=60)
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Role
        fields = (
            "id",
            "code",
            "name",
            "name_en",
            "category",
            "category_label",
            "field",
            "is_key",
            "sort_order",
            "valid_from",
            "valid_to",
        )
        validators: list = []

    def validate(self, attrs):
        return refuse_changes(
            self,
            attrs,
            {"code": _("The code of a role never changes: reports and other systems rely on it.")},
        )


class PostSerializer(RecordSerializer):
    """A role in an organisation with a number of seats; organisation and role are set once.

    ``valid_from``/``valid_to`` default to the organisation's (and the role's) period."""

    role_code = serializers.CharField(source="role.code", read_only=True)
    unit = serializers.PrimaryKeyRelatedField(source="organisation.unit", read_only=True)
    title = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Post
        fields = (
            "id",
            "title",
            "organisation",
            "unit",
            "role",
            "role_code",
            "seats",
            "valid_from",
            "valid_to",
        )
        extra_kwargs = {"valid_from": {"required": False}}
        validators: list = []

    def validate(self, attrs):
        message = _("A post never changes its organisation or role; record a new post instead.")
        return refuse_changes(self, attrs, {"organisation": message, "role": message})


# --------------------------------------------------------------------------- holders


class HoldersQuerySerializer(serializers.Serializer):
    date = RecordDateField(
        required=False, help_text=_("The day asked about (YYYY-MM-DD); default today.")
    )
    key_only = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Only the key posts (Party secretary, People's Committee chairman…)."),
    )


class HolderSerializer(serializers.Serializer):
    """One holder of a post on the day, and whether they are local to the unit that day."""

    assignment = serializers.IntegerField()
    cadre = serializers.IntegerField()
    full_name = serializers.CharField()
    seat = serializers.IntegerField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    principal = serializers.BooleanField(
        help_text=_("False for a post held concurrently (kiêm nhiệm).")
    )
    is_local = serializers.BooleanField()
    locality_basis = serializers.ChoiceField(
        choices=list(BASE_LABELS),
        help_text=_("What makes the holder local or not: a recorded place, or an HR override."),
    )
    locality_basis_label = serializers.CharField()
    locality_reason = serializers.CharField(
        allow_blank=True, help_text=_("The written reason of an HR override.")
    )


class PostHoldersSerializer(serializers.Serializer):
    post = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    role = serializers.IntegerField()
    role_code = serializers.CharField()
    is_key = serializers.BooleanField()
    seats = serializers.IntegerField()
    holders = HolderSerializer(many=True)


class UnitHoldersSerializer(serializers.Serializer):
    """Who held the posts of a unit on a day."""

    unit = serializers.IntegerField()
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    date = serializers.DateField()
    key_only = serializers.BooleanField()
    posts = PostHoldersSerializer(many=True)
