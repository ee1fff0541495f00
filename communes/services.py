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
) -> AdministrativeUnit:
    """Replace ``predecessors`` by one new unit from ``effective_date`` (merge, rename, re-grade).

    The predecessors, their organisations and posts end the day before. Posts still held
    then end with them: pass ``end_assignments_reason`` (e.g. the resolution) to end those
    assignments, otherwise the change is refused and the holders are listed.
    """
    from rotation.models import Assignment
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
    held = list(
        Assignment.objects.open()
        .filter(post__organisation__unit__in=predecessors)
        .select_related("cadre", "post__role", "post__organisation")
    )
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
        if assignment.start_date > last_day:
            raise ValidationError(
                {
                    "predecessors": _("%(name)s starts in %(post)s after the unit ends.")
                    % {"name": assignment.cadre.full_name, "post": str(assignment.post)}
                }
            )
        assignment_end(assignment=assignment, end_date=last_day, reason=end_assignments_reason)
    for old in predecessors:
        old.valid_to = last_day
        old.save(update_fields=["valid_to"])
        Organisation.objects.filter(_ends_after(last_day), unit=old).update(valid_to=last_day)
        Post.objects.filter(_ends_after(last_day), organisation__unit=old).update(valid_to=last_day)
    successor = unit_create(
        code=code, name=name, kind=kind, parent=parent, valid_from=effective_date
    )
    UnitSuccession.objects.bulk_create(
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


@transaction.atomic
def post_set_seats(*, post: Post, seats: int) -> Post:
    """Change the number of seats; refused while more people hold the post than it would have."""
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
            _, day, holders = failure
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


@transaction.atomic
def unit_end(
    *, unit: AdministrativeUnit, last_day: datetime.date, end_assignments_reason: str = ""
) -> AdministrativeUnit:
    """End a unit that has no single successor (Kim Bảng town, 30/06/2025: its communes
    became wards directly under the province). Its organisations and posts end with it;
    posts still held are refused unless a reason is given to end those assignments."""
    from rotation.models import Assignment
    from rotation.services import assignment_end

    if not unit.is_valid_on(last_day) or (unit.valid_to is not None and unit.valid_to != last_day):
        raise ValidationError(
            {
                "valid_to": _("%(unit)s does not exist until %(day)s.")
                % {"unit": unit.name, "day": dmy(last_day)}
            }
        )
    held = list(
        Assignment.objects.open().filter(post__organisation__unit=unit).select_related("cadre")
    )
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
    Organisation.objects.filter(_ends_after(last_day), unit=unit).update(valid_to=last_day)
    Post.objects.filter(_ends_after(last_day), organisation__unit=unit).update(valid_to=last_day)
    return unit
