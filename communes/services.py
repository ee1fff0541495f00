"""Writes for administrative units, organisations and posts.

Keyword-only, atomic, checked: each function raises ``ValidationError`` keyed by field with
a message a person can act on, and writes nothing when it does.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit import bulk
from audit.context import audited
from communes.dates import dmy
from communes.models import (
    LEVEL_OF_KIND,
    AdministrativeUnit,
    Organisation,
    Post,
    Role,
    SuccessionKind,
    UnitLevel,
    UnitSuccession,
    format_period,
)
from communes.text import nfc

PARENT_LEVEL = {UnitLevel.DISTRICT: UnitLevel.PROVINCE, UnitLevel.PROVINCE: None}


def _within(start, end, outer_start, outer_end) -> bool:
    """Is [start, end] inside [outer_start, outer_end] (None = open end)?"""
    if start < outer_start:
        return False
    if outer_end is None:
        return True
    return end is not None and end <= outer_end


def _ends_after(day: datetime.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gt=day)


def _end_organisations_and_posts(unit: AdministrativeUnit, last_day: datetime.date) -> None:
    """End on ``last_day`` the organisations and posts of ``unit`` that ran past it.

    Written in bulk, each row with its history (a queryset ``update()`` would leave none).
    """
    organisations = list(Organisation.objects.filter(_ends_after(last_day), unit=unit))
    posts = list(Post.objects.filter(_ends_after(last_day), organisation__unit=unit))
    for record in [*organisations, *posts]:
        record.valid_to = last_day
    bulk.bulk_update(organisations, ["valid_to"])
    bulk.bulk_update(posts, ["valid_to"])


def _check_parent(unit: AdministrativeUnit) -> None:
    if unit.parent is None:
        return
    parent = unit.parent
    level, parent_level = LEVEL_OF_KIND.get(unit.kind), LEVEL_OF_KIND.get(parent.kind)
    allowed = {
        UnitLevel.DISTRICT: {UnitLevel.PROVINCE},
        # Since 01/07/2025 communes and wards sit directly under the province.
        UnitLevel.COMMUNE: {UnitLevel.DISTRICT, UnitLevel.PROVINCE},
    }.get(level, set())
    if parent_level not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot belong to a %(parent_kind)s.")
                % {"kind": unit.get_kind_display(), "parent_kind": parent.get_kind_display()}
            }
        )
    if not parent.is_valid_on(unit.valid_from):
        raise ValidationError(
            {
                "parent": _("%(parent)s does not exist on %(day)s, when this unit starts.")
                % {"parent": parent.name, "day": dmy(unit.valid_from)}
            }
        )


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    valid_from: datetime.date,
    parent: AdministrativeUnit | None = None,
    valid_to: datetime.date | None = None,
) -> AdministrativeUnit:
    unit = AdministrativeUnit(
        code=(code or "").strip(),
        name=nfc(name),
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    unit.full_clean()
    _check_parent(unit)
    _check_code_free(unit)
    unit.save()
    return unit


def _check_code_free(unit: AdministrativeUnit) -> None:
    clash = (
        AdministrativeUnit.objects.filter(code=unit.code)
        .exclude(pk=unit.pk)
        .overlapping(unit.valid_from, unit.valid_to)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "code": _("Code %(code)s already names %(unit)s during %(period)s.")
                % {"code": unit.code, "unit": clash.name, "period": clash.period_display()}
            }
        )


def _posts_held_on_last_day(units: list[AdministrativeUnit], last_day: datetime.date, *, key: str):
    """The open assignments in ``units`` that end with them on ``last_day``.

    Refuses (under ``key``) when a record runs past that day, a later start or an end
    recorded after it: nobody holds a post of a unit that no longer exists.
    """
    from rotation.models import Assignment

    in_force = list(
        Assignment.objects.overlapping(last_day + datetime.timedelta(days=1), None)
        .filter(unit__in=units)
        .select_related("cadre", "post__role", "post__organisation")
    )
    held = [a for a in in_force if a.end_date is None and a.start_date <= last_day]
    beyond = [a for a in in_force if a not in held]
    if beyond:
        raise ValidationError(
            {
                key: [
                    _(
                        "%(name)s holds %(post)s %(period)s, after the unit ends on %(day)s; "
                        "correct that record first."
                    )
                    % {
                        "name": a.cadre.full_name,
                        "post": str(a.post),
                        "period": a.period_display(),
                        "day": dmy(last_day),
                    }
                    for a in beyond
                ]
            }
        )
    return held


@audited
@transaction.atomic
def unit_succeed(
    *,
    predecessors: list[AdministrativeUnit],
    code: str,
    name: str,
    kind: str,
    parent: AdministrativeUnit | None,
    effective_date: datetime.date,
    change: str = SuccessionKind.MERGE,
    legal_basis: str = "",
    end_assignments_reason: str = "",
    reason: str = "",
) -> AdministrativeUnit:
    """Replace ``predecessors`` by one new unit from ``effective_date`` (merge, rename, re-grade).

    The predecessors, their organisations and posts end the day before. Posts still held
    then end with them: pass ``end_assignments_reason`` (e.g. the resolution) to end those
    assignments, otherwise the change is refused and the holders are listed. ``reason`` is
    kept in the history of every record changed.
    """
    from rotation.services import assignment_end

    last_day = effective_date - datetime.timedelta(days=1)
    if not predecessors:
        raise ValidationError({"predecessors": _("Name at least one unit that is replaced.")})
    for old in predecessors:
        if not old.is_valid_on(last_day):
            raise ValidationError(
                {
                    "predecessors": _(
                        "%(unit)s does not exist on %(day)s, so it cannot be replaced then."
                    )
                    % {"unit": old.name, "day": dmy(last_day)}
                }
            )
        if old.valid_to is not None and old.valid_to != last_day:
            raise ValidationError(
                {
                    "predecessors": _("%(unit)s already ends on %(day)s.")
                    % {"unit": old.name, "day": dmy(old.valid_to)}
                }
            )
    held = _posts_held_on_last_day(predecessors, last_day, key="predecessors")
    if held and not end_assignments_reason:
        names = ", ".join(sorted({a.cadre.full_name for a in held}))
        raise ValidationError(
            {
                "predecessors": _(
                    "%(count)s posts are still held in these units (%(names)s); record the "
                    "movements first or give a reason to end them on %(day)s."
                )
                % {"count": len(held), "names": names, "day": dmy(last_day)}
            }
        )
    for assignment in held:
        assignment_end(assignment=assignment, end_date=last_day, reason=end_assignments_reason)
    for old in predecessors:
        old.valid_to = last_day
        old.save(update_fields=["valid_to"])
        _end_organisations_and_posts(old, last_day)
    successor = unit_create(
        code=code, name=name, kind=kind, parent=parent, valid_from=effective_date
    )
    bulk.bulk_create(
        [
            UnitSuccession(
                predecessor=old, successor=successor, kind=change, legal_basis=legal_basis
            )
            for old in predecessors
        ]
    )
    return successor


@transaction.atomic
def organisation_create(
    *,
    unit: AdministrativeUnit,
    kind: str,
    name: str,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Organisation:
    valid_from = valid_from or unit.valid_from
    if valid_to is None:
        valid_to = unit.valid_to
    organisation = Organisation(
        unit=unit, kind=kind, name=nfc(name), valid_from=valid_from, valid_to=valid_to
    )
    organisation.full_clean()
    if not _within(valid_from, valid_to, unit.valid_from, unit.valid_to):
        raise ValidationError(
            {
                "valid_from": _("An organisation exists only while its unit does (%(period)s).")
                % {"period": unit.period_display()}
            }
        )
    organisation.save()
    return organisation


@transaction.atomic
def post_create(
    *,
    organisation: Organisation,
    role: Role | str,
    seats: int = 1,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Post:
    if isinstance(role, str):
        try:
            role = Role.objects.get(code=role)
        except Role.DoesNotExist:
            raise ValidationError(
                {"role": _("There is no role with code %(code)s.") % {"code": role}}
            ) from None
    valid_from = max(filter(None, [valid_from or organisation.valid_from, role.valid_from]))
    if valid_to is None:
        ends = [d for d in (organisation.valid_to, role.valid_to) if d is not None]
        valid_to = min(ends) if ends else None
    post = Post(
        organisation=organisation, role=role, seats=seats, valid_from=valid_from, valid_to=valid_to
    )
    post.full_clean()
    if not _within(valid_from, valid_to, organisation.valid_from, organisation.valid_to):
        raise ValidationError(
            {
                "valid_from": _("A post exists only while its organisation does (%(period)s).")
                % {
                    "period": f"{dmy(organisation.valid_from)} – {dmy(organisation.valid_to) or '…'}"
                }
            }
        )
    clash = (
        Post.objects.filter(organisation=organisation, role=role)
        .overlapping(valid_from, valid_to)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "role": _("%(organisation)s already has this post during that period.")
                % {"organisation": organisation.name}
            }
        )
    post.save()
    return post


@audited
@transaction.atomic
def post_set_seats(*, post: Post, seats: int, reason: str = "") -> Post:
    """Change the number of seats; refused while more people hold the post than it would have.
    ``reason`` is kept in the history of the post and of the assignments re-seated."""
    from rotation.models import Assignment
    from rotation.seating import allocate_seats, renumber
    from rotation.services import Problems

    post = Post.objects.select_for_update().get(pk=post.pk)
    post.seats = seats
    post.full_clean()
    current = list(Assignment.objects.overlapping(datetime.date.min, None).filter(post=post))
    problems = Problems()
    if current:
        failure, _moved = allocate_seats(post, current)
        if failure is not None:
            _assignment, day, holders = failure  # not "_": that is gettext here
            problems.add(
                "seats",
                _("On %(day)s %(count)s people hold this post; it needs at least that many seats.")
                % {"day": dmy(day), "count": len(holders) + 1},
                "too_few_seats",
            )
    problems.raise_if_any()
    post.save(update_fields=["seats"])
    if current:
        renumber(current)
    return post


@audited
@transaction.atomic
def unit_end(
    *,
    unit: AdministrativeUnit,
    last_day: datetime.date,
    end_assignments_reason: str = "",
    reason: str = "",
) -> AdministrativeUnit:
    """End a unit that has no single successor (Kim Bảng town, 30/06/2025: its communes
    became wards directly under the province). Its organisations and posts end with it;
    posts still held are refused unless a reason is given to end those assignments.
    ``reason`` is kept in the history of every record changed."""
    from rotation.services import assignment_end

    if not unit.is_valid_on(last_day) or (unit.valid_to is not None and unit.valid_to != last_day):
        raise ValidationError(
            {
                "valid_to": _("%(unit)s does not exist until %(day)s.")
                % {"unit": unit.name, "day": dmy(last_day)}
            }
        )
    held = _posts_held_on_last_day([unit], last_day, key="valid_to")
    if held and not end_assignments_reason:
        raise ValidationError(
            {
                "valid_to": _(
                    "%(count)s posts are still held in %(unit)s; give a reason to end them."
                )
                % {"count": len(held), "unit": unit.name}
            }
        )
    for assignment in held:
        assignment_end(assignment=assignment, end_date=last_day, reason=end_assignments_reason)
    unit.valid_to = last_day
    unit.save(update_fields=["valid_to"])
    _end_organisations_and_posts(unit, last_day)
    return unit


# --------------------------------------------------------------------------- corrections
# HR staff correct records in the admin: a typo in a name, a wrong date, a wrong number of
# seats. A change that happened in reality (a merge, a rename, a re-grading) is not a
# correction: ``unit_succeed`` records it, so that older records keep the unit of their time.

UNIT_FIELDS = ("code", "name", "kind", "parent", "valid_from", "valid_to")
ORGANISATION_FIELDS = ("kind", "name", "valid_from", "valid_to")
POST_FIELDS = ("seats", "valid_from", "valid_to")
ROLE_FIELDS = (
    "name",
    "name_en",
    "category",
    "field",
    "is_key",
    "sort_order",
    "valid_from",
    "valid_to",
)


def _outside_q(start: datetime.date | None, end: datetime.date | None) -> Q:
    """Rows whose period [valid_from, valid_to] is not inside [start, end] (None: unbounded)."""
    q = Q(pk__in=[])
    if start is not None:
        q |= Q(valid_from__lt=start)
    if end is not None:
        q |= Q(valid_to__isnull=True) | Q(valid_to__gt=end)
    return q


def _period_field(start: datetime.date | None, other_start: datetime.date | None) -> str:
    """The end of the period a message belongs beside: its start when that is at fault."""
    return "valid_from" if start is not None and other_start < start else "valid_to"


def _unknown_fields(function: str, changes: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"{function}() got unexpected fields {sorted(unknown)}")


@audited
@transaction.atomic
def unit_update(*, unit: AdministrativeUnit, reason: str = "", **changes) -> AdministrativeUnit:
    """Correct the record of a unit. Its organisations and child units must stay inside it.
    ``reason`` (why it is corrected) is kept in its history."""
    _unknown_fields("unit_update", changes, UNIT_FIELDS)
    unit = AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
    for field, value in changes.items():
        if field == "code":
            value = (value or "").strip()
        elif field == "name":
            value = nfc(value)
        setattr(unit, field, value)
    unit.full_clean()
    _check_parent(unit)
    _check_code_free(unit)
    organisation = (
        Organisation.objects.filter(unit=unit)
        .filter(_outside_q(unit.valid_from, unit.valid_to))
        .order_by("valid_from")
        .first()
    )
    if organisation is not None:
        raise ValidationError(
            {
                _period_field(unit.valid_from, organisation.valid_from): _(
                    "%(organisation)s exists %(period)s, outside the unit's period "
                    "(%(unit_period)s); correct the organisation first."
                )
                % {
                    "organisation": organisation.name,
                    "period": format_period(organisation.valid_from, organisation.valid_to),
                    "unit_period": unit.period_display(),
                }
            }
        )
    child_outside = Q(valid_from__lt=unit.valid_from)
    if unit.valid_to is not None:
        child_outside |= Q(valid_from__gt=unit.valid_to)
    child = AdministrativeUnit.objects.filter(parent=unit).filter(child_outside).first()
    if child is not None:
        raise ValidationError(
            {
                _period_field(unit.valid_from, child.valid_from): _(
                    "%(child)s starts on %(day)s as part of this unit, outside the unit's "
                    "period (%(unit_period)s); correct that unit first."
                )
                % {
                    "child": child.name,
                    "day": dmy(child.valid_from),
                    "unit_period": unit.period_display(),
                }
            }
        )
    unit.save()
    return unit


@audited
@transaction.atomic
def organisation_update(*, organisation: Organisation, reason: str = "", **changes) -> Organisation:
    """Correct an organisation's kind, name or period; its unit never changes.

    Its posts must stay inside its period, and so must the dates of the decisions it signed.
    ``reason`` (why it is corrected) is kept in its history.
    """
    _unknown_fields("organisation_update", changes, ORGANISATION_FIELDS)
    organisation = (
        Organisation.objects.select_for_update().select_related("unit").get(pk=organisation.pk)
    )
    for field, value in changes.items():
        if field == "name":
            value = nfc(value)
        setattr(organisation, field, value)
    organisation.full_clean()
    unit = organisation.unit
    start, end = organisation.valid_from, organisation.valid_to
    if not _within(start, end, unit.valid_from, unit.valid_to):
        raise ValidationError(
            {
                _period_field(unit.valid_from, start): _(
                    "An organisation exists only while its unit does (%(period)s)."
                )
                % {"period": unit.period_display()}
            }
        )
    post = (
        Post.objects.filter(organisation=organisation)
        .filter(_outside_q(start, end))
        .select_related("role", "organisation")
        .order_by("valid_from")
        .first()
    )
    if post is not None:
        raise ValidationError(
            {
                _period_field(start, post.valid_from): _(
                    "The post %(post)s exists %(period)s, outside the organisation's period; "
                    "correct the post first."
                )
                % {"post": str(post), "period": format_period(post.valid_from, post.valid_to)}
            }
        )
    signed_outside = Q(signed_on__lt=start)
    if end is not None:
        signed_outside |= Q(signed_on__gt=end)
    decision = organisation.decisions_issued.filter(signed_outside).order_by("signed_on").first()
    if decision is not None:
        raise ValidationError(
            {
                _period_field(start, decision.signed_on): _(
                    "Decision %(number)s was signed by this body on %(day)s, outside that period."
                )
                % {"number": decision.number, "day": dmy(decision.signed_on)}
            }
        )
    organisation.save()
    return organisation


@audited
@transaction.atomic
def post_update(*, post: Post, reason: str = "", **changes) -> Post:
    """Correct a post's period or number of seats; its organisation and role never change.

    The period stays inside the organisation's and the title's, and keeps every holder.
    ``reason`` (why it is corrected) is kept in its history.
    """
    from rotation.models import Assignment

    _unknown_fields("post_update", changes, POST_FIELDS)
    post = Post.objects.select_for_update().select_related("organisation", "role").get(pk=post.pk)
    seats = changes.pop("seats", post.seats)
    for field, value in changes.items():
        setattr(post, field, value)
    post.full_clean()
    organisation, role = post.organisation, post.role
    start, end = post.valid_from, post.valid_to
    if not _within(start, end, organisation.valid_from, organisation.valid_to):
        raise ValidationError(
            {
                _period_field(organisation.valid_from, start): _(
                    "A post exists only while its organisation does (%(period)s)."
                )
                % {"period": format_period(organisation.valid_from, organisation.valid_to)}
            }
        )
    if not _within(start, end, role.valid_from or start, role.valid_to):
        raise ValidationError(
            {
                _period_field(role.valid_from, start): _(
                    "The title %(role)s is in force %(period)s; the post cannot exist beyond it."
                )
                % {
                    "role": role.label,
                    "period": format_period(role.valid_from or start, role.valid_to),
                }
            }
        )
    clash = (
        Post.objects.filter(organisation=organisation, role=role)
        .exclude(pk=post.pk)
        .overlapping(start, end)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": _("%(organisation)s already has this post during that period.")
                % {"organisation": organisation.name}
            }
        )
    held_outside = Q(start_date__lt=start)
    if end is not None:
        held_outside |= Q(end_date__isnull=True) | Q(end_date__gt=end)
    held = (
        Assignment.objects.effective()
        .filter(post=post)
        .filter(held_outside)
        .select_related("cadre")
        .order_by("start_date")
        .first()
    )
    if held is not None:
        raise ValidationError(
            {
                _period_field(start, held.start_date): _(
                    "%(name)s holds this post %(period)s, outside that period; record the "
                    "movement or the end of the assignment first."
                )
                % {"name": held.cadre.full_name, "period": held.period_display()}
            }
        )
    post.save(update_fields=["valid_from", "valid_to"])
    if seats != post.seats:
        post = post_set_seats(post=post, seats=seats)
    return post


@transaction.atomic
def role_create(
    *,
    code: str,
    name: str,
    name_en: str,
    category: str,
    field: str = "",
    is_key: bool = False,
    sort_order: int = 100,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> Role:
    role = Role(
        code=(code or "").strip(),
        name=nfc(name),
        name_en=nfc(name_en),
        category=category,
        field=field or "",
        is_key=is_key,
        sort_order=sort_order,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    role.full_clean()
    role.save()
    return role


@audited
@transaction.atomic
def role_update(*, role: Role, reason: str = "", **changes) -> Role:
    """Correct a role's names, category or period. Its code never changes: reports, the API
    and other systems rely on it. Its posts must stay inside its period. ``reason`` (why
    it is corrected) is kept in its history."""
    _unknown_fields("role_update", changes, ROLE_FIELDS)
    role = Role.objects.select_for_update().get(pk=role.pk)
    for field, value in changes.items():
        if field in ("name", "name_en"):
            value = nfc(value)
        elif field == "field":
            value = value or ""
        setattr(role, field, value)
    role.full_clean()
    post = (
        Post.objects.filter(role=role)
        .filter(_outside_q(role.valid_from, role.valid_to))
        .select_related("role", "organisation")
        .order_by("valid_from")
        .first()
    )
    if post is not None:
        raise ValidationError(
            {
                _period_field(role.valid_from, post.valid_from): _(
                    "The post %(post)s exists %(period)s, outside the title's period; "
                    "correct the post first."
                )
                % {"post": str(post), "period": format_period(post.valid_from, post.valid_to)}
            }
        )
    role.save()
    return role
