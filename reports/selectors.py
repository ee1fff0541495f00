"""The headline figures, computed from the records on demand and never stored.

Every figure the application shows (the ``report`` command, dashboards, the REST API)
comes from one of these functions, so that no two screens can disagree. Each returns a
frozen dataclass holding the rows behind every number, so that a reader can list the
communes or cadres a figure counts, with ``to_dict()`` for JSON (dates in ISO form).

Both reports run a fixed number of queries, whatever the number of units, cadres or
movements: see the query-count tests in ``reports/tests/test_selectors.py``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.locality import LocalityRule
from communes.dates import dmy
from communes.models import AdministrativeUnit, CivilServantField, Role, UnitKind, UnitLevel
from communes.selectors import unit_area_ids, units_within
from rotation.models import Assignment, Direction, Movement, MovementKind

# DOMAIN.md §5: "in one commune the Party secretary is also People's Committee chairman".
SECRETARY = "party_secretary"
CHAIRMAN = "people_committee_chairman"


class Standing(models.TextChoices):
    """Where a commune-level unit stands for one key role on the day of the report."""

    NON_LOCAL = "non_local", gettext_lazy("non-local")
    LOCAL = "local", gettext_lazy("local")
    VACANT = "vacant", gettext_lazy("vacant")


@dataclass(frozen=True)
class UnitRef:
    """An administrative unit as the report saw it (its record of that day)."""

    id: int
    code: str
    name: str
    kind: str

    @classmethod
    def of(cls, unit: AdministrativeUnit) -> UnitRef:
        return cls(id=unit.pk, code=unit.code, name=unit.name, kind=unit.kind)

    @property
    def kind_label(self) -> str:
        return str(UnitKind(self.kind).label)

    def __str__(self) -> str:
        return f"{self.kind_label} {self.name} ({self.code})"

    def to_dict(self) -> dict:
        return {"id": self.id, "code": self.code, "name": self.name, "kind": self.kind}


# --------------------------------------------------------------------------- non-local


@dataclass(frozen=True)
class Holder:
    """One holder of a key post on the day, and whether they are local to the post's unit."""

    assignment_id: int
    cadre_id: int
    cadre_name: str
    hometown: str
    is_local: bool
    basis: str  # a key of cadres.locality.BASE_LABELS
    basis_label: str
    principal: bool
    reason: str = ""  # HR's written reason, when an override decided

    def to_dict(self) -> dict:
        return {
            "assignment_id": self.assignment_id,
            "cadre_id": self.cadre_id,
            "cadre_name": self.cadre_name,
            "hometown": self.hometown,
            "is_local": self.is_local,
            "basis": self.basis,
            "basis_label": self.basis_label,
            "principal": self.principal,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class UnitStanding:
    """One commune-level unit for one role: its holders that day and what they make it."""

    unit: UnitRef
    holders: tuple[Holder, ...]

    @property
    def standing(self) -> str:
        # A unit counts as non-local when any holder that day is non-local (a post with
        # two seats and one non-local vice-chairman is a non-local post).
        if not self.holders:
            return Standing.VACANT
        if any(not holder.is_local for holder in self.holders):
            return Standing.NON_LOCAL
        return Standing.LOCAL

    @property
    def standing_label(self) -> str:
        return str(Standing(self.standing).label)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "standing": self.standing,
            "holders": [holder.to_dict() for holder in self.holders],
        }


@dataclass(frozen=True)
class RoleNonLocal:
    """For one key role: every commune-level unit of the day, and how many are non-local."""

    role_code: str
    role_label: str
    units: tuple[UnitStanding, ...]

    def _with(self, standing: str) -> tuple[UnitRef, ...]:
        return tuple(row.unit for row in self.units if row.standing == standing)

    @property
    def units_total(self) -> int:
        return len(self.units)

    @property
    def non_local_units(self) -> tuple[UnitRef, ...]:
        return self._with(Standing.NON_LOCAL)

    @property
    def local_units(self) -> tuple[UnitRef, ...]:
        return self._with(Standing.LOCAL)

    @property
    def vacant_units(self) -> tuple[UnitRef, ...]:
        return self._with(Standing.VACANT)

    @property
    def non_local(self) -> int:
        return len(self.non_local_units)

    @property
    def local(self) -> int:
        return len(self.local_units)

    @property
    def vacant(self) -> int:
        return len(self.vacant_units)

    @property
    def share(self) -> float | None:
        """Non-local units over all commune-level units; None when there are none."""
        return self.non_local / self.units_total if self.units_total else None

    def to_dict(self, *, details: bool = True) -> dict:
        data = {
            "role": self.role_code,
            "role_label": self.role_label,
            "non_local": self.non_local,
            "units_total": self.units_total,
            "local": self.local,
            "vacant": self.vacant,
            "share": None if self.share is None else round(self.share, 4),
            "non_local_units": [unit.to_dict() for unit in self.non_local_units],
        }
        if details:
            data["units"] = [row.to_dict() for row in self.units]
        return data


@dataclass(frozen=True)
class DualHolding:
    """One person holding both the Party secretary and People's Committee chairman posts."""

    unit: UnitRef
    cadre_id: int
    cadre_name: str

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "cadre_id": self.cadre_id,
            "cadre_name": self.cadre_name,
        }


@dataclass(frozen=True)
class NonLocalReport:
    """Non-local key cadres of the commune-level units of ``unit`` on ``day``."""

    unit: UnitRef
    day: datetime.date
    units: tuple[UnitRef, ...]
    roles: tuple[RoleNonLocal, ...]
    secretary_chairman: tuple[DualHolding, ...]

    @property
    def units_total(self) -> int:
        return len(self.units)

    def role(self, code: str) -> RoleNonLocal:
        for figure in self.roles:
            if figure.role_code == code:
                return figure
        raise KeyError(code)

    def to_dict(self, *, details: bool = True) -> dict:
        """JSON-ready; without ``details``, the holders behind each figure are left out."""
        return {
            "unit": self.unit.to_dict(),
            "day": self.day.isoformat(),
            "units_total": self.units_total,
            "units": [unit.to_dict() for unit in self.units],
            "roles": [figure.to_dict(details=details) for figure in self.roles],
            "secretary_chairman": [row.to_dict() for row in self.secretary_chairman],
        }


def _roles(day: datetime.date, role_codes: Sequence[str] | None) -> list[Role]:
    if role_codes is None:
        return list(
            Role.objects.filter(is_key=True)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("sort_order", "code")
        )
    codes = list(dict.fromkeys(role_codes))
    found = Role.objects.in_bulk(codes, field_name="code")
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise ValidationError(
            _("There is no role with code %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_role",
        )
    return [found[code] for code in codes]


def non_local_report(
    *,
    unit: AdministrativeUnit,
    day: datetime.date,
    role_codes: Sequence[str] | None = None,
) -> NonLocalReport:
    """For each key role, the commune-level units of ``unit`` whose holder on ``day`` is non-local.

    The denominator is every commune-level unit valid that day (fewer after a merge; for a
    commune-level ``unit``, that unit alone). A unit whose post nobody holds that day is
    vacant, neither local nor non-local. Roles default to the key roles of the catalogue in
    their order; ``role_codes`` picks others, in the order given.

    Queries: the units (two per level below ``unit``), the roles, the holders, and the
    locality rule's seven; none grows with the number of units or cadres.
    """
    if unit.level == UnitLevel.COMMUNE:
        communes = [unit] if unit.is_valid_on(day) else []
    else:
        communes = units_within(unit, day, level=UnitLevel.COMMUNE)
    roles = _roles(day, role_codes)
    codes = {role.code for role in roles} | {SECRETARY, CHAIRMAN}
    assignments = list(
        Assignment.objects.as_of(day)
        .filter(
            post__role__code__in=codes,
            post__organisation__unit__in=[commune.pk for commune in communes],
        )
        .select_related("cadre__hometown", "post__role", "post__organisation")
        .order_by("seat", "start_date", "pk")
    )
    rule = LocalityRule(day).prepare({a.cadre_id: a.cadre for a in assignments}.values())
    units_by_id = {commune.pk: commune for commune in communes}

    holders: dict[tuple[str, int], list[Holder]] = defaultdict(list)
    for assignment in assignments:
        cadre = assignment.cadre
        unit_id = assignment.post.organisation.unit_id
        verdict = rule.verdict(cadre, units_by_id[unit_id])
        holders[(assignment.post.role.code, unit_id)].append(
            Holder(
                assignment_id=assignment.pk,
                cadre_id=cadre.pk,
                cadre_name=cadre.full_name,
                hometown=cadre.hometown.name,
                is_local=verdict.is_local,
                basis=verdict.basis,
                basis_label=verdict.basis_label,
                principal=assignment.principal,
                reason=verdict.reason,
            )
        )

    refs = [UnitRef.of(commune) for commune in communes]
    figures = tuple(
        RoleNonLocal(
            role_code=role.code,
            role_label=role.label,
            units=tuple(
                UnitStanding(unit=ref, holders=tuple(holders.get((role.code, ref.id), ())))
                for ref in refs
            ),
        )
        for role in roles
    )
    dual = []
    for ref in refs:
        chairmen = {holder.cadre_id for holder in holders.get((CHAIRMAN, ref.id), ())}
        dual.extend(
            DualHolding(unit=ref, cadre_id=holder.cadre_id, cadre_name=holder.cadre_name)
            for holder in holders.get((SECRETARY, ref.id), ())
            if holder.cadre_id in chairmen
        )
    return NonLocalReport(
        unit=UnitRef.of(unit),
        day=day,
        units=tuple(refs),
        roles=figures,
        secretary_chairman=tuple(dual),
    )


# --------------------------------------------------------------------------- movements


@dataclass(frozen=True)
class MovementRow:
    """One movement as the report counts it."""

    movement_id: int
    decision_id: int
    decision_number: str
    decision_signed_on: datetime.date
    cadre_id: int
    cadre_name: str
    effective_date: datetime.date
    kind: str
    kind_label: str
    direction: str
    direction_label: str
    role_code: str  # the commune post left for a move out of a commune, else the post taken
    role_label: str
    field: str  # civil-servant field of that role; empty for other roles
    from_post: str  # empty for a first or concurrent post
    from_unit: str
    to_post: str
    to_unit: str

    @property
    def field_label(self) -> str:
        return str(CivilServantField(self.field).label) if self.field else ""

    def to_dict(self) -> dict:
        return {
            "movement_id": self.movement_id,
            "decision_id": self.decision_id,
            "decision_number": self.decision_number,
            "decision_signed_on": self.decision_signed_on.isoformat(),
            "cadre_id": self.cadre_id,
            "cadre_name": self.cadre_name,
            "effective_date": self.effective_date.isoformat(),
            "kind": self.kind,
            "kind_label": self.kind_label,
            "direction": self.direction,
            "direction_label": self.direction_label,
            "role": self.role_code,
            "role_label": self.role_label,
            "field": self.field,
            "field_label": self.field_label,
            "from_post": self.from_post,
            "from_unit": self.from_unit,
            "to_post": self.to_post,
            "to_unit": self.to_unit,
        }


@dataclass(frozen=True)
class MovementCount:
    """One number of the movement report and the movements behind it.

    The key is the non-empty parts among ``direction``, ``kind``, ``role_code`` and
    ``field``; ``label`` says it in words.
    """

    label: str
    rows: tuple[MovementRow, ...]
    direction: str = ""
    kind: str = ""
    role_code: str = ""
    field: str = ""

    @property
    def count(self) -> int:
        return len(self.rows)

    def to_dict(self, *, details: bool = True) -> dict:
        key = {
            name: value
            for name, value in (
                ("direction", self.direction),
                ("kind", self.kind),
                ("role", self.role_code),
                ("field", self.field),
            )
            if value
        }
        data = {**key, "label": self.label, "count": self.count}
        if details:
            data["movement_ids"] = [row.movement_id for row in self.rows]
        return data


@dataclass(frozen=True)
class MovementReport:
    """Movements of issued decisions effective in [start, end] that touch the area of ``unit``."""

    unit: UnitRef
    start: datetime.date
    end: datetime.date
    rows: tuple[MovementRow, ...]
    by_direction: tuple[MovementCount, ...]  # every direction, zeros included
    by_kind: tuple[MovementCount, ...]  # every kind, zeros included
    by_direction_kind_role: tuple[MovementCount, ...]  # only the combinations that occur
    by_field: tuple[MovementCount, ...]  # commune civil servants; every field, zeros included

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def civil_servants(self) -> int:
        return sum(group.count for group in self.by_field)

    def select(
        self,
        *,
        direction: str | None = None,
        kind: str | None = None,
        role_code: str | None = None,
        field: str | None = None,
        civil_servant: bool | None = None,
    ) -> tuple[MovementRow, ...]:
        """The rows matching every criterion given, for figures the tables do not show."""

        def keep(row: MovementRow) -> bool:
            return (
                (direction is None or row.direction == direction)
                and (kind is None or row.kind == kind)
                and (role_code is None or row.role_code == role_code)
                and (field is None or row.field == field)
                and (civil_servant is None or bool(row.field) == civil_servant)
            )

        return tuple(row for row in self.rows if keep(row))

    def count(self, **criteria) -> int:
        """``len(self.select(**criteria))``."""
        return len(self.select(**criteria))

    def to_dict(self, *, details: bool = True) -> dict:
        """JSON-ready; without ``details``, the movements behind each count are left out."""

        def groups(counts: tuple[MovementCount, ...]) -> list[dict]:
            return [group.to_dict(details=details) for group in counts]

        data = {
            "unit": self.unit.to_dict(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total": self.total,
            "by_direction": groups(self.by_direction),
            "by_kind": groups(self.by_kind),
            "by_direction_kind_role": groups(self.by_direction_kind_role),
            "civil_servants": self.civil_servants,
            "by_field": groups(self.by_field),
        }
        if details:
            data["movements"] = [row.to_dict() for row in self.rows]
        return data


def _post_text(post) -> tuple[str, str]:
    if post is None:
        return "", ""
    return f"{post.role.label} – {post.organisation.name}", post.organisation.unit.name


def _grouped(
    rows: Iterable[MovementRow], key: Callable[[MovementRow], tuple]
) -> dict[tuple, list[MovementRow]]:
    groups: dict[tuple, list[MovementRow]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return groups


def movement_report(
    *, unit: AdministrativeUnit, start: datetime.date, end: datetime.date
) -> MovementReport:
    """Movements of the period counted by direction, kind, role and civil-servant field.

    Counted: movements of issued decisions (not drafts, not cancelled ones) effective
    from ``start`` to ``end`` inclusive, whose post left or post taken belonged to ``unit``
    or a unit below it, in any version over time. A move out of a commune counts under
    the commune post left, every other move under the post taken
    (``MovementQuerySet.with_reported_role``).

    Queries: two for the area, one for the movements.
    """
    if start > end:
        raise ValidationError(
            _("The period starts on %(start)s, after its end on %(end)s.")
            % {"start": dmy(start), "end": dmy(end)},
            code="period_order",
        )
    area = unit_area_ids(unit)
    movements = (
        Movement.objects.issued()
        .effective_between(start, end)
        .filter(
            Q(from_assignment__post__organisation__unit__in=area)
            | Q(to_post__organisation__unit__in=area)
        )
        .with_direction()
        .with_reported_role()
        .select_related(
            "cadre",
            "decision",
            "to_post__role",
            "to_post__organisation__unit",
            "from_assignment__post__role",
            "from_assignment__post__organisation__unit",
        )
        .order_by("effective_date", "decision__signed_on", "decision_id", "position", "pk")
    )
    rows: list[MovementRow] = []
    role_order: dict[str, int] = {}
    for movement in movements:
        left = movement.from_assignment.post if movement.from_assignment else None
        taken = movement.to_post
        role = taken.role if movement.role_code == taken.role.code else left.role
        role_order[role.code] = role.sort_order
        from_post, from_unit = _post_text(left)
        to_post, to_unit = _post_text(taken)
        rows.append(
            MovementRow(
                movement_id=movement.pk,
                decision_id=movement.decision_id,
                decision_number=movement.decision.number,
                decision_signed_on=movement.decision.signed_on,
                cadre_id=movement.cadre_id,
                cadre_name=movement.cadre.full_name,
                effective_date=movement.effective_date,
                kind=movement.kind,
                kind_label=movement.get_kind_display(),
                direction=movement.direction,
                direction_label=str(Direction(movement.direction).label),
                role_code=role.code,
                role_label=role.label,
                field=movement.role_field or "",
                from_post=from_post,
                from_unit=from_unit,
                to_post=to_post,
                to_unit=to_unit,
            )
        )

    directions = list(Direction)
    kinds = list(MovementKind)
    by_direction = _grouped(rows, lambda row: (row.direction,))
    by_kind = _grouped(rows, lambda row: (row.kind,))
    by_field = _grouped((row for row in rows if row.field), lambda row: (row.field,))
    by_dkr = _grouped(rows, lambda row: (row.direction, row.kind, row.role_code))

    def dkr_order(key: tuple) -> tuple:
        direction, kind, role_code = key
        return directions.index(direction), kinds.index(kind), role_order[role_code], role_code

    combinations = []
    for key in sorted(by_dkr, key=dkr_order):
        group = by_dkr[key]
        first = group[0]
        combinations.append(
            MovementCount(
                label=f"{first.direction_label} / {first.kind_label} / {first.role_label}",
                rows=tuple(group),
                direction=key[0],
                kind=key[1],
                role_code=key[2],
            )
        )
    return MovementReport(
        unit=UnitRef.of(unit),
        start=start,
        end=end,
        rows=tuple(rows),
        by_direction=tuple(
            MovementCount(
                label=str(direction.label),
                rows=tuple(by_direction.get((direction.value,), ())),
                direction=direction.value,
            )
            for direction in directions
        ),
        by_kind=tuple(
            MovementCount(
                label=str(kind.label), rows=tuple(by_kind.get((kind.value,), ())), kind=kind.value
            )
            for kind in kinds
        ),
        by_direction_kind_role=tuple(combinations),
        by_field=tuple(
            MovementCount(
                label=str(field.label),
                rows=tuple(by_field.get((field.value,), ())),
                field=field.value,
            )
            for field in CivilServantField
        ),
    )
