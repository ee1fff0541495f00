"""Decisions, movements, assignments and terms over REST.

Every write calls ``rotation.services``: a client creates a draft decision with its lines,
then issues it (``POST /decisions/{id}/issue/``), cancels it, or records a return, and gets
the same errors as the admin. Decisions carry an ETag; changing one needs ``If-Match``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from access.api import InAreaMixin
from access.areas import area_of
from audit.api import HistoryMixin
from config.api.etags import IF_MATCH, ETagMixin
from config.api.pagination import GrowingCursorPagination
from config.api.schema import errors
from rotation.api.serializers import (
    AssignmentEndSerializer,
    AssignmentRecordSerializer,
    AssignmentSerializer,
    CancelSerializer,
    DecisionCreateSerializer,
    DecisionHeaderSerializer,
    DecisionSerializer,
    MovementInputSerializer,
    MovementSerializer,
    MovementUpdateSerializer,
    ReturnSerializer,
    TermSerializer,
)
from rotation.filters import AssignmentFilterSet, DecisionFilterSet, MovementFilterSet
from rotation.models import Assignment, Decision, Movement, Term
from rotation.services import (
    assignment_end,
    assignment_record,
    decision_cancel,
    decision_create,
    decision_delete,
    decision_issue,
    decision_update,
    movement_add,
    movement_remove,
    movement_update,
    rotation_return,
)

# The services name the post left ``from_assignment``; a client names it ``from_post``
# (the assignment is found from it), so that is where its errors belong.
LINE_FIELDS = {"from_assignment": "from_post"}
RETURN_FIELDS = {"returns_from": "rotation", "from_assignment": "rotation"}


def line_errors(line: int, error: ValidationError) -> list[ValidationError]:
    """A service's errors about one new line, keyed ``movements.<line>.<field>``."""
    found = []
    for field, items in error.message_dict.items():
        field = LINE_FIELDS.get(field, field)
        for message in items:
            found.append(
                ValidationError(message.replace("%", "%%"), params={"line": line, "field": field})
            )
    return found


@contextmanager
def fields_as_sent(names: dict[str, str]):
    """Re-key a service's ``ValidationError`` by the request's fields (``names``: service's
    field → request's field), so that each message is shown beside what the client sent."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed: dict[str, list[ValidationError]] = {}
        for field, items in error.error_dict.items():
            renamed.setdefault(names.get(field, field), []).extend(items)
        raise ValidationError(renamed) from None


# The steps that change a decision (or a line of it).
DECISION_WRITES = (
    "update",
    "partial_update",
    "destroy",
    "issue",
    "cancel",
    "add_movement",
    "add_return",
)
OUTSIDE_THE_AREA = _(
    "This decision also moves cadres outside your area: only someone whose area covers "
    "every line of it, or an administrator, can change it."
)


def movements_queryset():
    return (
        Movement.objects.with_direction()
        .select_related("cadre", "decision", "from_assignment")
        .order_by("position", "id")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Decisions", responses={200: DecisionSerializer(many=True), **errors(400, 404)}
    ),
    retrieve=extend_schema(
        summary="A decision with its movements", responses={200: DecisionSerializer, **errors(404)}
    ),
)
class DecisionViewSet(
    InAreaMixin,
    HistoryMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Decisions and the movements they order.

    A draft is created with its lines, corrected, then issued (every movement applied, or
    none) or deleted. An issued decision is never edited: it is cancelled, and its record
    stays. Every answer about one decision carries its `ETag`; a change needs it in
    `If-Match` (412 when stale, 428 when missing).
    """

    queryset = (
        Decision.objects.select_related("issuing_body", "issued_by", "cancelled_by")
        .prefetch_related(Prefetch("movements", queryset=movements_queryset()))
        .order_by("-signed_on", "-id")
    )
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet
    ordering_fields = ("signed_on", "number", "status", "id")
    action_permissions = {
        "issue": "change",
        "cancel": "change",
        "add_movement": "change",
        "add_return": "change",
    }
    etag_actions = ("issue", "cancel", "add_movement", "add_return")

    def get_queryset(self):
        # The lines outside the user's area are not shown, as nothing of the area is.
        lines = area_of(self.request).filter(movements_queryset())
        return (
            super()
            .get_queryset()
            .prefetch_related(None)
            .prefetch_related(Prefetch("movements", queryset=lines))
        )

    def get_object(self):
        decision = super().get_object()
        if self.action in DECISION_WRITES and not area_of(self.request).covers_decision(decision):
            raise exceptions.PermissionDenied(OUTSIDE_THE_AREA)
        return decision

    def respond(self, decision: Decision, code: int = status.HTTP_200_OK) -> Response:
        decision = self.get_queryset().get(pk=decision.pk)
        self.etag_instance = decision
        return Response(
            DecisionSerializer(decision, context=self.get_serializer_context()).data, status=code
        )

    @extend_schema(
        summary="Create a draft decision, with its movements",
        request=DecisionCreateSerializer,
        responses={201: DecisionSerializer, **errors(400)},
    )
    def create(self, request, *args, **kwargs):
        data = DecisionCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        lines = values.pop("movements")
        with transaction.atomic():
            decision = decision_create(**values)
            problems: list[ValidationError] = []
            for line, movement in enumerate(lines, start=1):
                try:
                    movement_add(decision=decision, position=line, **movement)
                except ValidationError as error:
                    problems.extend(line_errors(line, error))
            if problems:
                raise ValidationError({"movements": problems})
        return self.respond(decision, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct the header of a draft",
        parameters=[IF_MATCH],
        request=DecisionHeaderSerializer,
        responses={200: DecisionSerializer, **errors(400, 404, 412, 428)},
    )
    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    @extend_schema(
        summary="Correct part of the header of a draft",
        parameters=[IF_MATCH],
        request=DecisionHeaderSerializer(partial=True),
        responses={200: DecisionSerializer, **errors(400, 404, 412, 428)},
    )
    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool) -> Response:
        decision = self.get_object()
        data = DecisionHeaderSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        changed = decision_update(decision=decision, **data.validated_data)
        return self.respond(changed)

    @extend_schema(
        summary="Delete a draft (an issued decision is cancelled, never deleted)",
        parameters=[IF_MATCH],
        responses={204: None, **errors(400, 404, 409, 412, 428)},
    )
    def destroy(self, request, *args, **kwargs):
        decision_delete(decision=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Issue a draft: apply all its movements, or none",
        parameters=[IF_MATCH],
        request=None,
        responses={200: DecisionSerializer, **errors(400, 404, 409, 412, 428)},
    )
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        decision = decision_issue(decision=self.get_object(), by=request.user)
        return self.respond(decision)

    @extend_schema(
        summary="Cancel an issued decision: undo its effects, keep its record",
        parameters=[IF_MATCH],
        request=CancelSerializer,
        responses={200: DecisionSerializer, **errors(400, 404, 409, 412, 428)},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        decision = self.get_object()
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with fields_as_sent({"cancellation_reason": "reason"}):
            cancelled = decision_cancel(
                decision=decision, reason=data.validated_data["reason"], by=request.user
            )
        return self.respond(cancelled)

    @extend_schema(
        summary="Add a movement to a draft",
        parameters=[IF_MATCH],
        request=MovementInputSerializer,
        responses={201: MovementSerializer, **errors(400, 404, 412, 428)},
    )
    @action(detail=True, methods=["post"], url_path="movements")
    def add_movement(self, request, pk=None):
        decision = self.get_object()
        data = MovementInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with fields_as_sent(LINE_FIELDS):
            movement = movement_add(decision=decision, **data.validated_data)
        self.etag_instance = decision
        return Response(
            MovementSerializer(movements_queryset().get(pk=movement.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Add to a draft the return of a cadre from a rotation or secondment",
        parameters=[IF_MATCH],
        request=ReturnSerializer,
        responses={201: MovementSerializer, **errors(400, 404, 412, 428)},
    )
    @action(detail=True, methods=["post"], url_path="returns")
    def add_return(self, request, pk=None):
        decision = self.get_object()
        data = ReturnSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with fields_as_sent(RETURN_FIELDS):
            movement = rotation_return(decision=decision, **data.validated_data)
        self.etag_instance = decision
        return Response(
            MovementSerializer(movements_queryset().get(pk=movement.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Movements (cursor pages)",
        responses={200: MovementSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="A movement", responses={200: MovementSerializer, **errors(404)}
    ),
    destroy=extend_schema(
        summary="Remove a line from a draft",
        parameters=[IF_MATCH],
        responses={204: None, **errors(400, 404, 409, 412, 428)},
    ),
)
class MovementViewSet(
    InAreaMixin,
    HistoryMixin,
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The movements ordered by decisions, with their direction. A line of a draft is
    corrected or removed here; it answers the ETag of its decision, which a change needs
    in If-Match. New lines are added to their decision (POST /decisions/{id}/movements/)."""

    queryset = (
        Movement.objects.with_direction()
        .with_reported_role()
        .select_related("cadre", "decision", "from_assignment")
    )
    serializer_class = MovementSerializer
    filterset_class = MovementFilterSet
    pagination_class = GrowingCursorPagination
    ordering_fields = ("id", "effective_date")
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        movement = super().get_object()
        if self.action in DECISION_WRITES and not area_of(self.request).covers_decision(
            movement.decision
        ):
            raise exceptions.PermissionDenied(OUTSIDE_THE_AREA)
        return movement

    def etag_record(self, instance):
        # A line changes with its decision: the decision's ETag guards it, so that two
        # offices correcting the same draft never overwrite each other.
        return instance.decision

    @extend_schema(
        summary="Correct a line of a draft",
        parameters=[IF_MATCH],
        request=MovementUpdateSerializer(partial=True),
        responses={200: MovementSerializer, **errors(400, 404, 412, 428)},
    )
    def partial_update(self, request, *args, **kwargs):
        movement = self.get_object()
        data = MovementUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        with fields_as_sent(LINE_FIELDS):
            changed = movement_update(movement=movement, **data.validated_data)
        self.etag_instance = movement.decision
        return Response(MovementSerializer(self.get_queryset().get(pk=changed.pk)).data)

    def perform_destroy(self, instance):
        movement_remove(movement=instance)


@extend_schema_view(
    list=extend_schema(
        summary="Assignments (cursor pages)",
        responses={200: AssignmentSerializer(many=True), **errors(400, 404)},
    ),
    retrieve=extend_schema(
        summary="An assignment", responses={200: AssignmentSerializer, **errors(404)}
    ),
)
class AssignmentViewSet(
    InAreaMixin,
    HistoryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Assignment.objects.select_related("cadre", "post__role", "post__organisation")
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilterSet
    pagination_class = GrowingCursorPagination
    ordering_fields = ("id", "start_date")
    action_permissions = {"end": "change"}

    @extend_schema(
        summary="Record a post held before the records began",
        request=AssignmentRecordSerializer,
        responses={201: AssignmentSerializer, **errors(400)},
    )
    def create(self, request, *args, **kwargs):
        data = AssignmentRecordSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        assignment = assignment_record(**data.validated_data)
        return Response(
            AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="End a post without a movement (retirement, dismissal…)",
        request=AssignmentEndSerializer,
        responses={200: AssignmentSerializer, **errors(400, 404)},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = self.get_object()
        data = AssignmentEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with fields_as_sent({"end_reason": "reason"}):
            assignment_end(
                assignment=assignment,
                end_date=data.validated_data["end_date"],
                reason=data.validated_data["reason"],
            )
        return Response(AssignmentSerializer(self.get_queryset().get(pk=assignment.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Party terms", responses={200: TermSerializer(many=True), **errors(400, 404)}
    ),
    retrieve=extend_schema(summary="A Party term", responses={200: TermSerializer, **errors(404)}),
)
class TermViewSet(InAreaMixin, HistoryMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Term.objects.order_by("start")
    serializer_class = TermSerializer
    ordering_fields = ("start",)
