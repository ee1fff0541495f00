"""Serializers of decisions, movements, assignments and terms.

They check types and lengths only: every rule lives in ``rotation.services``, which the
views call, so the API refuses exactly what the admin refuses.
"""

from __future__ import annotations

from rest_framework import serializers

from cadres.models import Cadre
from communes.models import Organisation, Post
from config.api.fields import IssuingBodyField, RecordDateField, RecordKeyField, StringField
from rotation.models import Assignment, Decision, Direction, Movement, MovementKind, Term

HEADER_FIELDS = ("number", "signed_on", "issuing_body", "signer", "summary")


class MovementSerializer(serializers.ModelSerializer):
    """A movement as recorded; ``direction`` is derived from the posts' units."""

    cadre_name = serializers.CharField(source="cadre.full_name", read_only=True)
    from_post = serializers.IntegerField(
        source="from_assignment.post_id", read_only=True, allow_null=True
    )
    direction = serializers.ChoiceField(choices=Direction.choices, read_only=True)
    decision_status = serializers.CharField(source="decision.status", read_only=True)

    class Meta:
        model = Movement
        fields = (
            "id",
            "decision",
            "decision_status",
            "position",
            "kind",
            "cadre",
            "cadre_name",
            "from_assignment",
            "from_post",
            "to_post",
            "effective_date",
            "planned_end",
            "concurrent",
            "returns_from",
            "direction",
            "notes",
        )
        read_only_fields = fields


class MovementInputSerializer(serializers.Serializer):
    """One line of a draft: what HR staff type. The post left is found by the service:
    ``from_post`` names it; empty means the cadre's principal post (for the kinds that
    leave a post)."""

    kind = serializers.ChoiceField(choices=MovementKind.choices)
    cadre = RecordKeyField(queryset=Cadre.objects.all())
    to_post = RecordKeyField(queryset=Post.objects.all())
    effective_date = RecordDateField()
    from_post = RecordKeyField(queryset=Post.objects.all(), required=False, allow_null=True)
    planned_end = RecordDateField(required=False, allow_null=True)
    concurrent = serializers.BooleanField(required=False, default=False)
    returns_from = RecordKeyField(queryset=Movement.objects.all(), required=False, allow_null=True)
    notes = StringField(required=False, allow_blank=True, max_length=2000, default="")


class MovementUpdateSerializer(MovementInputSerializer):
    """A correction of a draft line: only the fields sent change."""

    position = serializers.IntegerField(min_value=1, max_value=999, required=False)


class DecisionSerializer(serializers.ModelSerializer):
    movements = MovementSerializer(many=True, read_only=True)
    issuing_body_name = serializers.CharField(source="issuing_body.name", read_only=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    cancelled_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Decision
        fields = (
            "id",
            "number",
            "signed_on",
            "issuing_body",
            "issuing_body_name",
            "signer",
            "summary",
            "status",
            "issued_at",
            "issued_by",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "created_at",
            "updated_at",
            "movements",
        )
        read_only_fields = fields


class DecisionHeaderSerializer(serializers.Serializer):
    number = StringField(max_length=50)
    signed_on = RecordDateField()
    issuing_body = IssuingBodyField(queryset=Organisation.objects.all())
    signer = StringField(max_length=150)
    summary = StringField(required=False, allow_blank=True, max_length=4000, default="")


class DecisionCreateSerializer(DecisionHeaderSerializer):
    """A draft decision and, optionally, its lines in one request (all or nothing)."""

    # At most 200 lines, counted before any line is read.
    movements = MovementInputSerializer(many=True, required=False, default=list, max_length=200)


class CancelSerializer(serializers.Serializer):
    reason = StringField(max_length=2000)


class ReturnSerializer(serializers.Serializer):
    rotation = RecordKeyField(queryset=Movement.objects.all())
    effective_date = RecordDateField()
    to_post = RecordKeyField(queryset=Post.objects.all(), required=False, allow_null=True)
    notes = StringField(required=False, allow_blank=True, max_length=2000, default="")


class AssignmentSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.full_name", read_only=True)
    post_title = serializers.CharField(source="post.__str__", read_only=True)
    unit = serializers.IntegerField(source="post.organisation.unit_id", read_only=True)
    role_code = serializers.CharField(source="post.role.code", read_only=True)

    class Meta:
        model = Assignment
        fields = (
            "id",
            "cadre",
            "cadre_name",
            "post",
            "post_title",
            "unit",
            "role_code",
            "seat",
            "start_date",
            "end_date",
            "principal",
            "opened_by",
            "closed_by",
            "end_reason",
            "is_void",
        )
        read_only_fields = fields


class AssignmentRecordSerializer(serializers.Serializer):
    """A post held before the records began."""

    cadre = RecordKeyField(queryset=Cadre.objects.all())
    post = RecordKeyField(queryset=Post.objects.all())
    start_date = RecordDateField()
    end_date = RecordDateField(required=False, allow_null=True)
    principal = serializers.BooleanField(required=False, default=True)


class AssignmentEndSerializer(serializers.Serializer):
    end_date = RecordDateField()
    reason = StringField(max_length=200)


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ("id", "name", "start", "end")
