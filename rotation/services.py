"""The only write path for decisions, movements and assignments.

Every function is keyword-only and atomic. It checks the rules first and raises a
``ValidationError`` whose keys are field names and whose messages say, in words HR staff
use, what is wrong and what to do; nothing is written when it raises. The admin, the demo
loader, the API and importers all call these functions.

Errors about a movement of a decision being issued are collected under the key
``"movements"``; each carries ``params`` with ``line`` (the movement's position),
``movement`` (its id) and ``field`` (the movement field at fault), so that a form or an API
can show the message beside the right input.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.context import audited
from cadres.models import Cadre, CadreStatus
from communes.dates import dmy, months_end
from communes.models import Organisation, Post
from communes.text import nfc
from rotation.models import (
    LEAVING_KINDS,
    TIMED_KINDS,
    Assignment,
    Decision,
    DecisionStatus,
    Movement,
    MovementKind,
)
from rotation.seating import allocate_seats, overlaps, renumber

ROTATION_MIN_MONTHS = 36
SECONDMENT_MAX_MONTHS = 36

DECISION_FIELDS = ("number", "signed_on", "issuing_body", "signer", "summary")
MOVEMENT_FIELDS = (
    "kind",
    "cadre",
    "from_assignment",
    "to_post",
    "effective_date",
    "planned_end",
    "concurrent",
    "returns_from",
    "notes",
)


class Problems:
    """Collects errors by field and raises them together as one ``ValidationError``."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = defaultdict(list)

    def add(self, key: str, message: str, code: str, /, **params) -> None:
        """Record ``message`` (already worded in full) against the field ``key``.

        ``params`` travel with the error for forms and APIs; the message is escaped so that
        Django's own ``message % params`` leaves it as written.
        """
        if params:
            error = ValidationError(message.replace("%", "%%"), code=code, params=params)
        else:
            error = ValidationError(message, code=code)
        self.errors[key].append(error)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(dict(self.errors))


def _holders_text(assignments: Iterable[Assignment]) -> str:
    return ", ".join(sorted(a.cadre.full_name for a in assignments)) or "—"


# --------------------------------------------------------------------------- decisions


@transaction.atomic
def decision_create(
    *,
    number: str,
    signed_on: datetime.date,
    issuing_body: Organisation,
    signer: str,
    summary: str = "",
) -> Decision:
    """A draft decision, to which movements are then added."""
    decision = Decision(
        number=nfc(number),
        signed_on=signed_on,
        issuing_body=issuing_body,
        signer=nfc(signer),
        summary=(summary or "").strip(),
    )
    _check_decision_header(decision)
    decision.full_clean()
    decision.save()
    return decision


def _check_decision_header(decision: Decision) -> None:
    problems = Problems()
    if decision.signed_on and decision.issuing_body_id:
        body = decision.issuing_body
        if not (
            body.valid_from <= decision.signed_on
            and (body.valid_to is None or decision.signed_on <= body.valid_to)
        ):
            params = {"body": body.name, "day": dmy(decision.signed_on)}
            problems.add(
                "issuing_body",
                _("%(body)s did not exist on %(day)s, the date the decision was signed.") % params,
                "body_not_valid",
                **params,
            )
    # The database refuses the same number twice in a year too, but its message is not
    # attached to a field; say it here, beside the number, naming the decision in the way.
    if decision.number and decision.signed_on and decision.issuing_body_id:
        clash = (
            Decision.objects.filter(
                issuing_body_id=decision.issuing_body_id,
                number=decision.number,
                signed_on__year=decision.signed_on.year,
            )
            .exclude(pk=decision.pk)
            .first()
        )
        if clash is not None:
            params = {
                "body": decision.issuing_body.name,
                "number": decision.number,
                "year": decision.signed_on.year,
                "day": dmy(clash.signed_on),
            }
            problems.add(
                "number",
                _(
                    "%(body)s already has a decision %(number)s in %(year)s (signed on %(day)s); "
                    "check the number."
                )
                % params,
                "number_taken",
                **params,
            )
    problems.raise_if_any()


def _touch(decision: Decision) -> None:
    """Mark a draft as changed when its lines change, so that its ETag changes too.

    ``decision`` is the row locked in this transaction: its history copies every field.
    """
    decision.save(update_fields=["updated_at"])


def _require_draft(decision: Decision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(
            {
                "status": ValidationError(
                    _(
                        "Decision %(number)s is %(status)s and can no longer be changed; "
                        "cancel it or record an amending decision."
                    ),
                    code="not_draft",
                    params={"number": decision.number, "status": decision.get_status_display()},
                )
            }
        )


@audited
@transaction.atomic
def decision_update(*, decision: Decision, reason: str = "", **changes) -> Decision:
    """Change the header of a draft decision; ``reason`` is kept in its history."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _require_draft(decision)
    unknown = set(changes) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f"decision_update() got unexpected fields {sorted(unknown)}")
    for field, value in changes.items():
        if field in ("number", "signer"):
            value = nfc(value)
        setattr(decision, field, value)
    _check_decision_header(decision)
    decision.full_clean()
    decision.save()
    return decision


@audited
@transaction.atomic
def decision_delete(*, decision: Decision, reason: str = "") -> None:
    """Delete a draft and its movements. An issued decision is cancelled, never deleted.
    ``reason`` is kept in the history of the draft and of its movements."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _require_draft(decision)
    decision.delete()


# --------------------------------------------------------------------------- movements


def _check_movement(movement: Movement, problems: Problems, *, prefix: dict | None = None) -> None:
    """Check one movement against the rules and the records as they stand now.

    ``prefix`` (line, cadre, movement id) is set when checking a whole decision, so that
    each message says which line it is about.
    """
    decision = movement.decision
    cadre = movement.cadre
    day = movement.effective_date
    line = prefix or {}

    def add(field: str, message: str, code: str, **params) -> None:
        if line:
            message = _("Line %(line)s (%(cadre)s): ") % line + message
            params = {**params, "line": line["line"], "movement": line["movement"]}
            params["field"] = field
            problems.add("movements", message % params, code, **params)
        else:
            problems.add(field, message % params if params else message, code, **params)

    if movement.kind not in MovementKind.values:
        add("kind", _("Choose a kind of movement."), "kind")
        return

    if cadre.status != CadreStatus.SERVING:
        add(
            "cadre",
            _("%(name)s is not serving (status: %(status)s) and cannot be moved."),
            "cadre_not_serving",
            name=cadre.full_name,
            status=cadre.get_status_display(),
        )

    if decision.signed_on and day < decision.signed_on:
        add(
            "effective_date",
            _("The effective date %(day)s is before the decision was signed (%(signed)s)."),
            "before_signed",
            day=dmy(day),
            signed=dmy(decision.signed_on),
        )

    post = movement.to_post
    _check_post_valid(post, day, add)

    # Planned end: required and bounded for rotation and secondment, absent otherwise.
    if movement.kind in TIMED_KINDS:
        if movement.planned_end is None:
            add(
                "planned_end",
                _("A %(kind)s needs a planned end date."),
                "planned_end_missing",
                kind=movement.get_kind_display(),
            )
        elif movement.planned_end <= day:
            add(
                "planned_end",
                _("The planned end %(end)s is not after the effective date %(day)s."),
                "planned_end_order",
                end=dmy(movement.planned_end),
                day=dmy(day),
            )
        elif movement.kind == MovementKind.ROTATION:
            earliest = months_end(day, ROTATION_MIN_MONTHS)
            if movement.planned_end < earliest:
                add(
                    "planned_end",
                    _(
                        "A rotation lasts at least %(months)s months: starting on %(day)s it "
                        "ends on %(earliest)s or later, not %(end)s."
                    ),
                    "rotation_too_short",
                    months=ROTATION_MIN_MONTHS,
                    day=dmy(day),
                    earliest=dmy(earliest),
                    end=dmy(movement.planned_end),
                )
        else:
            latest = months_end(day, SECONDMENT_MAX_MONTHS)
            if movement.planned_end > latest:
                add(
                    "planned_end",
                    _(
                        "A secondment lasts at most %(months)s months: starting on %(day)s it "
                        "ends on %(latest)s at the latest, not %(end)s."
                    ),
                    "secondment_too_long",
                    months=SECONDMENT_MAX_MONTHS,
                    day=dmy(day),
                    latest=dmy(latest),
                    end=dmy(movement.planned_end),
                )
    elif movement.planned_end is not None:
        add(
            "planned_end",
            _("Only a rotation or a secondment has a planned end; leave it empty."),
            "planned_end_not_allowed",
        )

    # The post left.
    left = movement.from_assignment
    if left is None:
        if movement.kind in LEAVING_KINDS:
            add(
                "from_assignment",
                _(
                    "A %(kind)s moves %(name)s out of a post, but %(name)s holds no post on "
                    "%(day)s. For a first post, record an appointment or a designation."
                ),
                "nothing_to_leave",
                kind=movement.get_kind_display(),
                name=cadre.full_name,
                day=dmy(day),
            )
    else:
        if left.cadre_id != cadre.pk:
            add(
                "from_assignment",
                _("The post left is held by %(holder)s, not by %(name)s."),
                "wrong_cadre",
                holder=left.cadre.full_name,
                name=cadre.full_name,
            )
        elif left.is_void:
            add(
                "from_assignment",
                _("The post left was given by a decision that has been cancelled."),
                "left_void",
            )
        elif left.end_date is not None:
            add(
                "from_assignment",
                _("%(name)s no longer holds %(post)s: that assignment ended on %(end)s."),
                "left_already_ended",
                name=cadre.full_name,
                post=str(left.post),
                end=dmy(left.end_date),
            )
        elif day <= left.start_date:
            add(
                "effective_date",
                _(
                    "The effective date %(day)s must be after %(name)s started in the post "
                    "left (%(start)s)."
                ),
                "before_current_start",
                day=dmy(day),
                name=cadre.full_name,
                start=dmy(left.start_date),
            )
        if left.post_id == movement.to_post_id:
            add(
                "to_post",
                _("The post taken is the post left; choose another post."),
                "same_post",
            )

    # Returns.
    rotation = movement.returns_from
    if movement.kind == MovementKind.RETURN:
        if rotation is None:
            add(
                "returns_from",
                _("A return names the rotation or secondment it ends."),
                "return_without_rotation",
            )
        else:
            _check_return_link(movement, rotation, add)
    elif rotation is not None:
        add(
            "returns_from",
            _("Only a return names a rotation to end; leave it empty."),
            "returns_from_not_allowed",
        )


def _check_post_valid(post: Post, day: datetime.date, add) -> None:
    unit = post.organisation.unit
    if not unit.is_valid_on(day):
        add(
            "to_post",
            _(
                "%(unit)s does not exist on %(day)s (it exists %(period)s); choose a post of "
                "the unit that covers that place on that date."
            ),
            "unit_not_valid",
            unit=f"{unit.get_kind_display()} {unit.name}",
            day=dmy(day),
            period=unit.period_display(),
        )
    elif not post.is_valid_on(day):
        add(
            "to_post",
            _("The post %(post)s does not exist on %(day)s (it exists %(period)s)."),
            "post_not_valid",
            post=str(post),
            day=dmy(day),
            period=f"{dmy(post.valid_from)} – {dmy(post.valid_to) or '…'}",
        )
    role = post.role
    if (role.valid_from and day < role.valid_from) or (role.valid_to and day > role.valid_to):
        add(
            "to_post",
            _("The title %(role)s is not in force on %(day)s."),
            "role_not_valid",
            role=role.label,
            day=dmy(day),
        )


def _check_return_link(movement: Movement, rotation: Movement, add) -> None:
    if rotation.kind not in TIMED_KINDS:
        add(
            "returns_from",
            _("A return ends a rotation or a secondment, not a %(kind)s."),
            "return_wrong_kind",
            kind=rotation.get_kind_display(),
        )
        return
    if rotation.cadre_id != movement.cadre_id:
        add(
            "returns_from",
            _("That rotation moved %(other)s, not %(name)s."),
            "return_wrong_cadre",
            other=rotation.cadre.full_name,
            name=movement.cadre.full_name,
        )
    if rotation.decision.status != DecisionStatus.ISSUED:
        add(
            "returns_from",
            _("The rotation's decision %(number)s is not in force."),
            "return_rotation_not_issued",
            number=rotation.decision.number,
        )
        return
    already = (
        Movement.objects.filter(returns_from=rotation)
        .exclude(pk=movement.pk)
        .filter(decision__status=DecisionStatus.ISSUED)
        .select_related("decision")
        .first()
    )
    if already is not None:
        add(
            "returns_from",
            _("%(name)s already returned from this rotation by decision %(number)s."),
            "already_returned",
            name=movement.cadre.full_name,
            number=already.decision.number,
        )
    opened = rotation_assignment(rotation)
    if opened is not None and movement.from_assignment_id not in (None, opened.pk):
        add(
            "from_assignment",
            _("A return leaves the post taken by the rotation (%(post)s)."),
            "return_wrong_post_left",
            post=str(opened.post),
        )


def rotation_assignment(rotation: Movement) -> Assignment | None:
    """The assignment a rotation or secondment opened, if it is in force."""
    return (
        Assignment.objects.effective()
        .filter(opened_by=rotation)
        .select_related("post__role", "post__organisation__unit")
        .first()
    )


def _resolve_post_left(
    *,
    cadre: Cadre,
    kind: str,
    effective_date: datetime.date,
    from_post: Post | None,
    from_assignment: Assignment | None,
    returns_from: Movement | None,
) -> Assignment | None:
    """The assignment a new movement leaves, from what the person filling the form gave.

    HR staff name the post left (or nothing, for the principal post); the service finds the
    assignment. A return leaves the post its rotation took.
    """
    if from_assignment is not None:
        return from_assignment
    if kind == MovementKind.RETURN and returns_from is not None:
        return rotation_assignment(returns_from)
    held = Assignment.objects.as_of(effective_date).filter(cadre=cadre).select_related("post")
    if from_post is not None:
        match = held.filter(post=from_post).first() or (
            Assignment.objects.open().filter(cadre=cadre, post=from_post).first()
        )
        if match is None:
            raise ValidationError(
                {
                    "from_assignment": ValidationError(
                        _("%(name)s does not hold %(post)s on %(day)s."),
                        code="not_holding_post",
                        params={
                            "name": cadre.full_name,
                            "post": str(from_post),
                            "day": dmy(effective_date),
                        },
                    )
                }
            )
        return match
    if kind in LEAVING_KINDS:
        return held.filter(principal=True).first() or (
            Assignment.objects.open().filter(cadre=cadre, principal=True).first()
        )
    return None


_STORED = {
    "cadre": lambda: Cadre.objects.all(),
    "to_post": lambda: Post.objects.select_related("role", "organisation__unit"),
    "from_post": lambda: Post.objects.select_related("role", "organisation__unit"),
    "from_assignment": lambda: Assignment.objects.select_related(
        "cadre", "post__role", "post__organisation__unit"
    ),
    "returns_from": lambda: Movement.objects.select_related("decision", "cadre"),
}


def _stored(**records) -> dict:
    """The records a movement refers to, as stored now.

    The caller's copies may be stale (a form loaded before another decision ended the
    assignment, a cadre retired since): the rules are checked against the database.
    """
    return {
        name: None if record is None else _STORED[name]().get(pk=record.pk)
        for name, record in records.items()
    }


def _next_position(decision: Decision) -> int:
    last = decision.movements.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def movement_add(
    *,
    decision: Decision,
    kind: str,
    cadre: Cadre,
    to_post: Post,
    effective_date: datetime.date,
    from_post: Post | None = None,
    from_assignment: Assignment | None = None,
    planned_end: datetime.date | None = None,
    concurrent: bool = False,
    returns_from: Movement | None = None,
    notes: str = "",
    position: int | None = None,
) -> Movement:
    """Add a movement to a draft decision.

    The post left is ``from_assignment``, or the cadre's assignment on ``from_post``, or,
    for a rotation, transfer or secondment, the cadre's principal post on the effective
    date. The rules are checked now against the records, and again when the decision is
    issued, since the records may change in between.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    _require_draft(decision)
    stored = _stored(
        cadre=cadre,
        to_post=to_post,
        from_post=from_post,
        from_assignment=from_assignment,
        returns_from=returns_from,
    )
    cadre, to_post, from_post = stored["cadre"], stored["to_post"], stored["from_post"]
    from_assignment, returns_from = stored["from_assignment"], stored["returns_from"]
    left = _resolve_post_left(
        cadre=cadre,
        kind=kind,
        effective_date=effective_date,
        from_post=from_post,
        from_assignment=from_assignment,
        returns_from=returns_from,
    )
    movement = Movement(
        decision=decision,
        position=position or _next_position(decision),
        kind=kind,
        cadre=cadre,
        from_assignment=left,
        to_post=to_post,
        effective_date=effective_date,
        planned_end=planned_end,
        concurrent=concurrent,
        returns_from=returns_from,
        notes=(notes or "").strip(),
    )
    _validate_movement(movement)
    movement.save()
    _touch(decision)
    return movement


def _validate_movement(movement: Movement) -> None:
    problems = Problems()
    _check_movement(movement, problems)
    _check_principal_available(movement, problems)
    _check_post_not_held(movement, problems)
    problems.raise_if_any()
    movement.full_clean()


def _check_principal_available(movement: Movement, problems: Problems) -> None:
    """A new principal post needs the cadre's current principal post to be left."""
    if movement.concurrent or movement.from_assignment is not None:
        return
    current = (
        Assignment.objects.as_of(movement.effective_date)
        .filter(cadre=movement.cadre, principal=True)
        .select_related("post__role", "post__organisation")
        .first()
    )
    if current is not None:
        problems.add(
            "concurrent",
            _(
                "%(name)s already holds a principal post on %(day)s (%(post)s): name it as "
                "the post left, or tick 'concurrent post'."
            )
            % {
                "name": movement.cadre.full_name,
                "day": dmy(movement.effective_date),
                "post": str(current.post),
            },
            "principal_taken",
        )


def _check_post_not_held(movement: Movement, problems: Problems) -> None:
    """The cadre does not already hold the post taken (issuing checks it again, with the
    other lines of the decision; saying it now spares HR a surprise then)."""
    held = (
        Assignment.objects.overlapping(movement.effective_date, None)
        .filter(cadre=movement.cadre, post=movement.to_post)
        .exclude(pk=movement.from_assignment_id)
        .select_related("post__role", "post__organisation")
        .first()
    )
    if held is not None:
        problems.add(
            "to_post",
            _("%(name)s already holds %(post)s from %(start)s.")
            % {
                "name": movement.cadre.full_name,
                "post": str(held.post),
                "start": dmy(held.start_date),
            },
            "same_post_twice",
        )


_UNSET: Any = object()  # "not given", as opposed to None


@audited
@transaction.atomic
def movement_update(
    *, movement: Movement, from_post: Post | None = _UNSET, reason: str = "", **changes
) -> Movement:
    """Change a movement of a draft decision.

    ``from_post`` given (a post, or ``None`` for "the cadre's principal post") names the
    post left again. Not given, the post left so far is kept — found again on a corrected
    date or kind — unless the cadre changes, and a return always leaves what its rotation
    opened.
    """
    movement = Movement.objects.select_related("decision").get(pk=movement.pk)
    decision = Decision.objects.select_for_update().get(pk=movement.decision_id)
    _require_draft(decision)
    unknown = set(changes) - set(MOVEMENT_FIELDS) - {"position"}
    if unknown:
        raise TypeError(f"movement_update() got unexpected fields {sorted(unknown)}")
    changes.update(_stored(**{k: v for k, v in changes.items() if k in _STORED}))
    named = from_post is not _UNSET
    if named and from_post is not None:
        from_post = _stored(from_post=from_post)["from_post"]
    post_left = from_post if named else None
    if not named and movement.from_assignment is not None and "cadre" not in changes:
        post_left = movement.from_assignment.post
    for field, value in changes.items():
        setattr(movement, field, value)
    if "notes" in changes:
        movement.notes = (movement.notes or "").strip()
    refind = {"cadre", "effective_date", "kind", "returns_from"} & set(changes)
    if named or ("from_assignment" not in changes and refind):
        movement.from_assignment = _resolve_post_left(
            cadre=movement.cadre,
            kind=movement.kind,
            effective_date=movement.effective_date,
            from_post=post_left,
            from_assignment=changes.get("from_assignment"),
            returns_from=movement.returns_from,
        )
    _validate_movement(movement)
    movement.save()
    _touch(decision)
    return movement


@audited
@transaction.atomic
def movement_remove(*, movement: Movement, reason: str = "") -> None:
    """Remove a line from a draft; ``reason`` is kept in its history."""
    decision = Decision.objects.select_for_update().get(pk=movement.decision_id)
    _require_draft(decision)
    movement.delete()
    _touch(decision)


@transaction.atomic
def rotation_return(
    *,
    decision: Decision,
    rotation: Movement,
    effective_date: datetime.date,
    to_post: Post | None = None,
    notes: str = "",
) -> Movement:
    """Add to a draft decision the return of a cadre from a rotation or secondment.

    The cadre leaves the post the rotation gave and goes back to ``to_post``, by default
    the post they left when the rotation began.
    """
    rotation = Movement.objects.select_related(
        "decision",
        "cadre",
        "from_assignment__post__organisation__unit",
        "from_assignment__post__role",
    ).get(pk=rotation.pk)
    if to_post is None:
        if rotation.from_assignment is None:
            raise ValidationError(
                {
                    "to_post": _("Choose the post %(name)s returns to.")
                    % {"name": rotation.cadre.full_name}
                }
            )
        to_post = rotation.from_assignment.post
    return movement_add(
        decision=decision,
        kind=MovementKind.RETURN,
        cadre=rotation.cadre,
        to_post=to_post,
        effective_date=effective_date,
        returns_from=rotation,
        notes=notes,
    )


# --------------------------------------------------------------------------- issuing


def _lock(model, ids: Iterable[int]) -> None:
    """Row locks in id order, so that two decisions touching the same rows never deadlock."""
    list(model.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk").values_list("pk"))


@audited
@transaction.atomic
def decision_issue(*, decision: Decision, by: AbstractBaseUser | None = None) -> Decision:
    """Issue a draft: apply all its movements at once, or none of them.

    Each movement closes the assignment it leaves (on the day before its effective date)
    and opens a new one on the post taken; then every rule is checked on the resulting
    records (seats, overlaps, one principal post). Any broken rule undoes everything.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    problems = Problems()
    if decision.status != DecisionStatus.DRAFT:
        _require_draft(decision)
    today = timezone.localdate()
    if decision.signed_on > today:
        problems.add(
            "signed_on",
            _("The decision is dated %(day)s, in the future; issue it once it is signed.")
            % {"day": dmy(decision.signed_on)},
            "signed_in_future",
        )
    movements = list(
        decision.movements.select_related(
            "cadre",
            "to_post__role",
            "to_post__organisation__unit",
            "from_assignment__post__role",
            "from_assignment__post__organisation",
            "from_assignment__cadre",
            "returns_from__decision",
            "returns_from__cadre",
        ).order_by("position", "pk")
    )
    if not movements:
        problems.add(
            "movements",
            _("A decision orders at least one movement; add one before issuing."),
            "no_movements",
        )
    problems.raise_if_any()

    _lock(Cadre, [m.cadre_id for m in movements])
    post_ids = {m.to_post_id for m in movements} | {
        m.from_assignment.post_id for m in movements if m.from_assignment
    }
    _lock(Post, post_ids)
    # Re-read what the locks now protect: another decision may have changed it meanwhile.
    fresh = Assignment.objects.in_bulk(
        [m.from_assignment_id for m in movements if m.from_assignment_id]
    )
    for movement in movements:
        if movement.from_assignment_id:
            movement.from_assignment = fresh[movement.from_assignment_id]
        movement.cadre.refresh_from_db(fields=["status"])

    for movement in movements:
        _check_movement(movement, problems, prefix=_line(movement))
    left_by: dict[int, Movement] = {}
    for movement in movements:
        if movement.from_assignment_id in left_by:
            other = left_by[movement.from_assignment_id]
            problems.add(
                "movements",
                _("Lines %(first)s and %(second)s both move %(name)s out of the same post.")
                % {
                    "first": other.position,
                    "second": movement.position,
                    "name": movement.cadre.full_name,
                },
                "left_twice",
                line=movement.position,
                movement=movement.pk,
                field="from_assignment",
            )
        elif movement.from_assignment_id:
            left_by[movement.from_assignment_id] = movement
    problems.raise_if_any()

    # Apply: first close every post left, then open every post taken, so that one decision
    # can swap two people between two posts.
    for movement in movements:
        left = movement.from_assignment
        if left is not None:
            left.end_date = movement.effective_date - datetime.timedelta(days=1)
            left.closed_by = movement
            left.save(update_fields=["end_date", "closed_by"])
    opened = [
        Assignment(
            cadre=movement.cadre,
            post=movement.to_post,
            start_date=movement.effective_date,
            principal=not movement.concurrent,
            opened_by=movement,
            seat=0,
        )
        for movement in movements
    ]
    lines = {
        id(assignment): _line(movement)
        for assignment, movement in zip(opened, movements, strict=True)
    }
    _settle(opened, problems, lines=lines)
    problems.raise_if_any()

    decision.status = DecisionStatus.ISSUED
    decision.issued_at = timezone.now()
    decision.issued_by = by if by is not None and by.is_authenticated else None
    decision.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    return decision


def _line(movement: Movement) -> dict:
    return {"line": movement.position, "cadre": movement.cadre.full_name, "movement": movement.pk}


def _settle(
    new: list[Assignment],
    problems: Problems,
    *,
    lines: dict[int, dict] | None = None,
) -> None:
    """Seat and save new assignments, after checking every rule on the records they make.

    Adds a problem, and writes nothing, when a post would have more holders than seats,
    when a cadre would hold the same post twice at once, or two principal posts at once.
    Everything is checked before writing, so the database constraints are never the ones
    to refuse.
    """
    lines = lines or {}

    def report(assignment: Assignment, field: str, message: str, code: str) -> None:
        line = lines.get(id(assignment))
        if line:
            text = _("Line %(line)s (%(cadre)s): ") % line + message
            problems.add(
                "movements", text, code, line=line["line"], movement=line["movement"], field=field
            )
        else:
            problems.add(
                {"to_post": "post", "concurrent": "principal"}.get(field, field), message, code
            )

    to_renumber: list[Assignment] = []
    by_post: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in new:
        by_post[assignment.post_id].append(assignment)
    for assignments in by_post.values():
        failure, moved = allocate_seats(assignments[0].post, assignments)
        to_renumber.extend(moved)
        if failure is not None:
            assignment, day, holders = failure
            post = assignment.post
            report(
                assignment,
                "to_post",
                _(
                    "%(post)s has %(seats)s seat(s) and on %(day)s it is already held by "
                    "%(holders)s. Move a holder out in the same decision, or choose another post."
                )
                % {
                    "post": str(post),
                    "seats": post.seats,
                    "day": dmy(day),
                    "holders": _holders_text(holders),
                },
                "post_full",
            )

    for assignment, other in _cadre_clashes(new):
        if other.post_id == assignment.post_id:
            report(
                assignment,
                "to_post",
                _("%(name)s already holds %(post)s from %(start)s.")
                % {
                    "name": assignment.cadre.full_name,
                    "post": str(other.post),
                    "start": dmy(other.start_date),
                },
                "same_post_twice",
            )
        else:
            report(
                assignment,
                "concurrent",
                _(
                    "%(name)s would hold two principal posts from %(day)s: %(post)s and "
                    "%(other)s. Leave %(other)s in this decision, or tick 'concurrent post'."
                )
                % {
                    "name": assignment.cadre.full_name,
                    "day": dmy(max(assignment.start_date, other.start_date)),
                    "post": str(assignment.post),
                    "other": str(other.post),
                },
                "two_principal_posts",
            )
    if problems:
        return
    renumber(to_renumber)
    for assignment in new:
        if assignment.pk is None:
            assignment.full_clean(
                exclude=["opened_by", "closed_by", "cadre", "post"], validate_constraints=False
            )
            assignment.save()


def _cadre_clashes(new: list[Assignment]) -> list[tuple[Assignment, Assignment]]:
    """Pairs (new assignment, assignment it clashes with) for the cadres' own rules."""
    by_cadre: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in new:
        by_cadre[assignment.cadre_id].append(assignment)
    clashes = []
    for cadre_id, assignments in by_cadre.items():
        start = min(a.start_date for a in assignments)
        ids = [a.pk for a in assignments if a.pk]
        held = list(
            Assignment.objects.overlapping(start, None)
            .filter(cadre_id=cadre_id)
            .exclude(pk__in=ids)
            .select_related("post__role", "post__organisation")
        )
        for index, assignment in enumerate(assignments):
            # Each earlier new assignment of the same cadre counts as held, once.
            for other in held + assignments[:index]:
                if not overlaps(assignment, other):
                    continue
                if other.post_id == assignment.post_id or (
                    assignment.principal and other.principal
                ):
                    clashes.append((assignment, other))
    return clashes


# --------------------------------------------------------------------------- cancelling


@audited
@transaction.atomic
def decision_cancel(
    *, decision: Decision, reason: str, by: AbstractBaseUser | None = None
) -> Decision:
    """Cancel an issued decision: undo its effects, keep its record (``reason`` is kept in
    the history of every record it changes).

    The assignments it opened are kept but marked void; those it closed are open again.
    Refused when a later decision has already built on its effects: cancel that one first.
    """
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    problems = Problems()
    reason = (reason or "").strip()
    if decision.status != DecisionStatus.ISSUED:
        problems.add(
            "status",
            _("Only an issued decision can be cancelled; this one is %(status)s.")
            % {"status": decision.get_status_display()}
            + (" " + _("A draft can simply be deleted.") if decision.is_draft else ""),
            "not_issued",
        )
    if not reason:
        problems.add(
            "cancellation_reason",
            _("Say why the decision is cancelled, e.g. the number of the cancelling decision."),
            "reason_missing",
        )
    problems.raise_if_any()

    movements = list(decision.movements.select_related("cadre").order_by("position"))
    _lock(Cadre, [m.cadre_id for m in movements])
    opened = list(
        Assignment.objects.effective()
        .filter(opened_by__decision=decision)
        .select_related(
            "opened_by", "closed_by__decision", "post__role", "post__organisation", "cadre"
        )
    )
    closed = list(
        Assignment.objects.effective()
        .filter(closed_by__decision=decision)
        .select_related("closed_by", "post__role", "post__organisation", "cadre")
    )
    _lock(Post, [a.post_id for a in opened + closed])
    for assignment in opened:
        if assignment.end_date is not None:
            later = assignment.closed_by
            if later is not None:
                problems.add(
                    "status",
                    _(
                        "%(name)s has since left %(post)s by decision %(number)s; cancel that "
                        "decision first."
                    )
                    % {
                        "name": assignment.cadre.full_name,
                        "post": str(assignment.post),
                        "number": later.decision.number,
                    },
                    "built_upon",
                )
            else:
                problems.add(
                    "status",
                    _(
                        "%(name)s's assignment to %(post)s has since ended (%(reason)s); reopen it first."
                    )
                    % {
                        "name": assignment.cadre.full_name,
                        "post": str(assignment.post),
                        "reason": assignment.end_reason or dmy(assignment.end_date),
                    },
                    "built_upon",
                )
    problems.raise_if_any()

    for assignment in opened:
        assignment.is_void = True
        assignment.save(update_fields=["is_void"])
    _reopen(closed, problems)
    problems.raise_if_any()

    decision.status = DecisionStatus.CANCELLED
    decision.cancelled_at = timezone.now()
    decision.cancelled_by = by if by is not None and by.is_authenticated else None
    decision.cancellation_reason = reason
    decision.save(
        update_fields=[
            "status",
            "cancelled_at",
            "cancelled_by",
            "cancellation_reason",
            "updated_at",
        ]
    )
    return decision


def _reopen(closed: list[Assignment], problems: Problems) -> None:
    """Give back the posts a cancelled decision had closed, if they are still free."""
    to_renumber: list[Assignment] = []
    by_post: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in closed:
        assignment.end_date = None
        assignment.closed_by = None
        by_post[assignment.post_id].append(assignment)
    for group in by_post.values():
        failure, moved = allocate_seats(group[0].post, group)
        if failure is not None:
            assignment, day, holders = failure
            problems.add(
                "status",
                _(
                    "%(name)s cannot get %(post)s back: from %(day)s it is held by %(holders)s. "
                    "Cancel or amend the decision that filled it first."
                )
                % {
                    "name": assignment.cadre.full_name,
                    "post": str(assignment.post),
                    "day": dmy(day),
                    "holders": _holders_text(holders),
                },
                "seat_taken_since",
            )
            continue
        to_renumber.extend(m for m in moved if m not in group)
    for assignment, other in _cadre_clashes(closed):
        problems.add(
            "status",
            _("%(name)s has since taken %(post)s; cancel or amend that decision first.")
            % {"name": assignment.cadre.full_name, "post": str(other.post)},
            "principal_taken_since",
        )
    if problems:
        return
    renumber(to_renumber + closed, reopen={a.pk for a in closed})


# --------------------------------------------------------------------------- assignments


@transaction.atomic
def assignment_record(
    *,
    cadre: Cadre,
    post: Post,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    principal: bool = True,
) -> Assignment:
    """Record a post held before the records began (no decision in the system opened it).

    The same rules hold as for a movement: the post and its unit exist on the start date,
    the post has a free seat, the cadre holds neither that post nor (if principal) another
    principal post at the same time.
    """
    problems = Problems()
    _lock(Cadre, [cadre.pk])
    _lock(Post, [post.pk])
    post = Post.objects.select_related("role", "organisation__unit").get(pk=post.pk)

    def add(field: str, message: str, code: str, **params) -> None:
        problems.add("post" if field == "to_post" else field, message % params, code)

    _check_post_valid(post, start_date, add)
    if end_date is not None and end_date < start_date:
        problems.add("end_date", _("The end date is before the start date."), "end_before_start")
    if end_date is None and cadre.status != CadreStatus.SERVING:
        problems.add(
            "cadre",
            _("%(name)s is not serving; record the post with its end date.")
            % {"name": cadre.full_name},
            "cadre_not_serving",
        )
    problems.raise_if_any()
    assignment = Assignment(
        cadre=cadre,
        post=post,
        start_date=start_date,
        end_date=end_date,
        principal=principal,
        seat=0,
    )
    _settle([assignment], problems)
    problems.raise_if_any()
    return assignment


@audited
@transaction.atomic
def assignment_end(*, assignment: Assignment, end_date: datetime.date, reason: str) -> Assignment:
    """End an assignment without a movement: retirement, dismissal, dissolution of the unit…
    ``reason`` is kept in its history as well."""
    # Locks in decision_issue's order (the cadre, the post, then the assignment): ending a
    # post while a decision moves its holder out waits for it, then sees what it wrote.
    held = Assignment.objects.values("cadre_id", "post_id").get(pk=assignment.pk)
    _lock(Cadre, [held["cadre_id"]])
    _lock(Post, [held["post_id"]])
    assignment = (
        Assignment.objects.select_for_update().select_related("post", "cadre").get(pk=assignment.pk)
    )
    problems = Problems()
    reason = (reason or "").strip()
    if assignment.is_void:
        problems.add("assignment", _("This assignment was voided by a cancelled decision."), "void")
    elif assignment.end_date is not None:
        problems.add(
            "end_date",
            _("This assignment already ended on %(day)s.") % {"day": dmy(assignment.end_date)},
            "already_ended",
        )
    elif end_date < assignment.start_date:
        problems.add(
            "end_date",
            _("The end date %(end)s is before the start of the assignment (%(start)s).")
            % {"end": dmy(end_date), "start": dmy(assignment.start_date)},
            "end_before_start",
        )
    if not reason:
        problems.add("end_reason", _("Say why the assignment ends."), "reason_missing")
    problems.raise_if_any()
    assignment.end_date = end_date
    assignment.end_reason = reason
    assignment.save(update_fields=["end_date", "end_reason"])
    return assignment
