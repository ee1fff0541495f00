"""Decisions, the movements they order, and the assignments those movements open and close.

Nothing here is written directly: ``rotation.services`` is the only write path, and it
checks every rule first so that people get a message they can act on. The constraints
below are the database's backstop; on PostgreSQL the migrations add exclusion constraints
against overlapping periods (see ``rotation/migrations/0002_postgres_exclusions.py``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedHistory
from cadres.models import Cadre
from communes.fields import DerivedUnitField
from communes.models import (
    COMMUNE_KINDS,
    DISTRICT_KINDS,
    AdministrativeUnit,
    Organisation,
    Post,
    format_period,
)


class Term(models.Model):
    """A Party term (nhiệm kỳ), the default period of the reports ("since the start of the term")."""

    name = models.CharField(_("name"), max_length=20, unique=True, help_text=_("e.g. 2020–2025"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    history = AuditedHistory()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="term_end_after_start",
                violation_error_message=_("A term ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def containing(cls, day: datetime.date) -> Term | None:
        return cls.objects.filter(start__lte=day, end__gte=day).first()


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ISSUED = "issued", _("issued")
    CANCELLED = "cancelled", _("cancelled")


class Decision(models.Model):
    """A decision (quyết định) of a body, ordering one or more movements.

    A draft can be edited. Issuing applies all its movements at once. An issued decision
    is never edited: it is cancelled (its effects undone, its record kept) or amended by
    another decision.
    """

    number = models.CharField(
        _("number"), max_length=50, help_text=_("As printed on the decision, e.g. 125-QĐ/HU.")
    )
    signed_on = models.DateField(_("date signed"))
    issuing_body = models.ForeignKey(
        Organisation,
        verbose_name=_("issuing body"),
        on_delete=models.PROTECT,
        related_name="decisions_issued",
        help_text=_("e.g. Ban Thường vụ Thành ủy Hà Nội."),
    )
    signer = models.CharField(
        _("signer"), max_length=150, help_text=_("Name and title of the person who signed.")
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DecisionStatus.choices,
        default=DecisionStatus.DRAFT,
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values),
                name="decision_status_known",
                violation_error_message=_("Unknown decision status."),
            ),
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.DRAFT) | Q(issued_at__isnull=False),
                name="decision_issued_has_issue_time",
                violation_error_message=_(
                    "An issued or cancelled decision records when it was issued."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status=DecisionStatus.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="decision_cancelled_has_reason",
                violation_error_message=_("A cancelled decision records when and why."),
            ),
            models.UniqueConstraint(
                F("issuing_body"),
                F("number"),
                ExtractYear("signed_on"),
                name="decision_number_unique_per_body_and_year",
                violation_error_message=_(
                    "This body already has a decision with this number in that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Decision %(number)s of %(date)s") % {
            "number": self.number,
            "date": self.signed_on.strftime("%d/%m/%Y"),
        }

    @property
    def is_draft(self) -> bool:
        return self.status == DecisionStatus.DRAFT


class MovementKind(models.TextChoices):
    ROTATION = "rotation", _("rotation")
    TRANSFER = "transfer", _("transfer")
    SECONDMENT = "secondment", _("secondment")
    RETURN = "return", _("return after rotation")
    ELECTION_NOMINATION = "election_nomination", _("nomination for election")
    APPOINTMENT = "appointment", _("appointment")
    DESIGNATION = "designation", _("designation")


# Kinds that have a planned end, and kinds that move someone out of the post they hold.
TIMED_KINDS = (MovementKind.ROTATION, MovementKind.SECONDMENT)
LEAVING_KINDS = (
    MovementKind.ROTATION,
    MovementKind.TRANSFER,
    MovementKind.SECONDMENT,
    MovementKind.RETURN,
)


class Direction(models.TextChoices):
    DISTRICT_TO_COMMUNE = "district_to_commune", _("district to commune")
    COMMUNE_TO_DISTRICT = "commune_to_district", _("commune to district")
    COMMUNE_TO_COMMUNE = "commune_to_commune", _("commune to commune")
    WITHIN_DISTRICT = "within_district", _("within the district")
    OTHER = "other", _("other")


class MovementQuerySet(models.QuerySet):
    def issued(self):
        """Movements in force: their decision is issued (not draft, not cancelled)."""
        return self.filter(decision__status=DecisionStatus.ISSUED)

    def effective_between(self, start: datetime.date, end: datetime.date):
        return self.filter(effective_date__gte=start, effective_date__lte=end)

    def with_direction(self):
        """Annotate ``direction`` from the kinds and identity of the two posts' units.

        Derived, never stored: a post's unit is the unit as it was when the post existed,
        so the direction is the one of the effective date.
        """
        from_kind = "from_unit__kind"
        to_kind = "to_unit__kind"
        return self.annotate(
            direction=Case(
                When(from_assignment__isnull=True, then=Value(Direction.OTHER)),
                When(
                    Q(**{f"{from_kind}__in": DISTRICT_KINDS, f"{to_kind}__in": COMMUNE_KINDS}),
                    then=Value(Direction.DISTRICT_TO_COMMUNE),
                ),
                When(
                    Q(**{f"{from_kind}__in": COMMUNE_KINDS, f"{to_kind}__in": DISTRICT_KINDS}),
                    then=Value(Direction.COMMUNE_TO_DISTRICT),
                ),
                When(
                    Q(**{f"{from_kind}__in": COMMUNE_KINDS, f"{to_kind}__in": COMMUNE_KINDS})
                    & ~Q(from_unit=F("to_unit")),
                    then=Value(Direction.COMMUNE_TO_COMMUNE),
                ),
                When(
                    Q(**{f"{from_kind}__in": DISTRICT_KINDS, f"{to_kind}__in": DISTRICT_KINDS})
                    & Q(from_unit=F("to_unit")),
                    then=Value(Direction.WITHIN_DISTRICT),
                ),
                default=Value(Direction.OTHER),
                output_field=models.CharField(),
            )
        )

    def with_reported_role(self):
        """Annotate ``role_code`` and ``role_field``: the role reports count the movement under.

        A move out of a commune counts under the commune post it left (the article's
        "1 standing deputy secretary… moved to the district"); every other move under
        the post it took.
        """
        left = "from_assignment__post__role"
        taken = "to_post__role"
        out_of_commune = Q(
            from_unit__kind__in=COMMUNE_KINDS,
            to_unit__kind__in=DISTRICT_KINDS,
        )
        return self.annotate(
            role_code=Case(
                When(out_of_commune, then=F(f"{left}__code")),
                default=F(f"{taken}__code"),
                output_field=models.CharField(),
            ),
            role_field=Case(
                When(out_of_commune, then=F(f"{left}__field")),
                default=F(f"{taken}__field"),
                output_field=models.CharField(),
            ),
        )


class Movement(models.Model):
    """One cadre's move ordered by a decision: the post left (if any) and the post taken.

    Rotation and secondment have a planned end; the return is another movement linked by
    ``returns_from``. The direction is derived from the posts' units, never typed.
    """

    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="movements",
    )
    position = models.PositiveSmallIntegerField(
        _("line"), default=1, help_text=_("Order of the movement in the decision.")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MovementKind.choices)
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="movements"
    )
    from_assignment = models.ForeignKey(
        "Assignment",
        verbose_name=_("post left"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="movements_leaving",
        help_text=_("The assignment this movement ends; empty for a first or concurrent post."),
    )
    to_post = models.ForeignKey(
        Post,
        verbose_name=_("post taken"),
        on_delete=models.PROTECT,
        related_name="movements_in",
    )
    # Copies of the units of the two posts, for the area rule and the reports (one indexed
    # column instead of three joins): see ``communes.fields.DerivedUnitField``.
    to_unit = DerivedUnitField(
        AdministrativeUnit,
        verbose_name=_("unit of the post taken"),
        source="to_post",
        path="organisation__unit_id",
    )
    from_unit = DerivedUnitField(
        AdministrativeUnit,
        verbose_name=_("unit of the post left"),
        source="from_assignment",
        path="unit_id",
        null=True,
    )
    effective_date = models.DateField(
        _("effective date"), help_text=_("First day in the new post.")
    )
    planned_end = models.DateField(
        _("planned end"),
        null=True,
        blank=True,
        help_text=_("Rotation and secondment only: the last day of the planned period."),
    )
    concurrent = models.BooleanField(
        _("concurrent post"),
        default=False,
        help_text=_("Ticked: the new post is held in addition to the principal post (kiêm nhiệm)."),
    )
    returns_from = models.ForeignKey(
        "self",
        verbose_name=_("returns from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        help_text=_("For a return: the rotation or secondment it ends."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MovementQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["decision", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values),
                name="movement_kind_known",
                violation_error_message=_("Unknown kind of movement."),
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=TIMED_KINDS) & Q(planned_end__isnull=False))
                | (~Q(kind__in=TIMED_KINDS) & Q(planned_end__isnull=True)),
                name="movement_planned_end_iff_rotation_or_secondment",
                violation_error_message=_(
                    "Rotation and secondment need a planned end; other movements have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_end__gt=F("effective_date")),
                name="movement_planned_end_after_effective_date",
                violation_error_message=_("The planned end is after the effective date."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=MovementKind.RETURN) & Q(returns_from__isnull=False))
                | (~Q(kind=MovementKind.RETURN) & Q(returns_from__isnull=True)),
                name="movement_return_iff_returns_from",
                violation_error_message=_(
                    "A return names the rotation or secondment it ends; other movements do not."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=LEAVING_KINDS) | Q(from_assignment__isnull=False),
                name="movement_leaving_kinds_leave_a_post",
                violation_error_message=_(
                    "Rotation, transfer, secondment and return move someone out of a post."
                ),
            ),
            models.UniqueConstraint(
                fields=["decision", "position"],
                name="movement_unique_position_in_decision",
                violation_error_message=_("Two movements of a decision have the same line."),
            ),
        ]
        indexes = [
            models.Index(fields=["effective_date"], name="movement_effective_idx"),
            models.Index(fields=["cadre", "effective_date"], name="movement_cadre_idx"),
            # The movements of an area, newest first (the API's pages), and of a period.
            models.Index(fields=["to_unit", "id"], name="movement_to_unit_idx"),
            models.Index(fields=["from_unit", "id"], name="movement_from_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.cadre.full_name} → {self.to_post}"


class AssignmentQuerySet(models.QuerySet):
    def effective(self):
        """Assignments in force: not voided by the cancellation of their decision."""
        return self.filter(is_void=False)

    def as_of(self, day: datetime.date):
        """Who held what on ``day``."""
        return self.effective().filter(
            Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
        )

    def overlapping(self, start: datetime.date, end: datetime.date | None):
        q = Q(end_date__isnull=True) | Q(end_date__gte=start)
        if end is not None:
            q &= Q(start_date__lte=end)
        return self.effective().filter(q)

    def open(self):
        return self.effective().filter(end_date__isnull=True)

    def principal(self):
        return self.filter(principal=True)

    def with_names(self):
        return self.select_related("cadre", "post__role", "post__organisation__unit")


class Assignment(models.Model):
    """A cadre holding a post from ``start_date`` to ``end_date`` (inclusive; empty = current).

    Each holder occupies one of the post's seats, so that on PostgreSQL an exclusion
    constraint on (post, seat, period) stops more holders than seats even for writes that
    bypass the service. An assignment opened by a decision that is later cancelled is kept,
    marked void, and ignored everywhere.
    """

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="assignments"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="assignments"
    )
    # A copy of the post's unit: see ``Movement.to_unit``.
    unit = DerivedUnitField(
        AdministrativeUnit,
        verbose_name=_("unit of the post"),
        source="post",
        path="organisation__unit_id",
    )
    seat = models.PositiveSmallIntegerField(
        _("seat"), default=1, help_text=_("Which of the post's seats this holder occupies.")
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Last day in the post; empty while held.")
    )
    principal = models.BooleanField(
        _("principal post"),
        default=True,
        help_text=_("Unticked: held concurrently with the principal post (kiêm nhiệm)."),
    )
    opened_by = models.ForeignKey(
        Movement,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opened_assignments",
        help_text=_("Empty for a post already held when the records began."),
    )
    closed_by = models.ForeignKey(
        Movement,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_assignments",
    )
    end_reason = models.CharField(
        _("reason for ending"),
        max_length=200,
        blank=True,
        help_text=_("When ended without a movement: retirement, dissolution of the unit…"),
    )
    is_void = models.BooleanField(
        _("void"),
        default=False,
        help_text=_("Opened by a decision that was later cancelled; kept for the record only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
                violation_error_message=_("An assignment cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(seat__gte=1),
                name="assignment_seat_positive",
                violation_error_message=_("Seats are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(closed_by__isnull=True) | Q(end_date__isnull=False),
                name="assignment_closed_has_end",
                violation_error_message=_("An assignment closed by a movement has an end date."),
            ),
        ]
        indexes = [
            models.Index(fields=["post", "start_date"], name="assignment_post_idx"),
            models.Index(fields=["cadre", "start_date"], name="assignment_cadre_idx"),
            # The assignments of an area, newest first (the API's pages).
            models.Index(fields=["unit", "id"], name="assignment_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre.full_name}: {self.post} ({self.period_display()})"

    def period_display(self) -> str:
        return format_period(self.start_date, self.end_date)

    def is_held_on(self, day: datetime.date) -> bool:
        return (
            not self.is_void
            and self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )
