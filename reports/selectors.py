"""The headline figures, computed from the records on demand and never stored.

Every figure the application shows (the ``report`` command, dashboards, the REST API)
comes from one of these functions, so that no two screens can disagree. Each returns a
frozen dataclass holding the rows behind every number, so that a reader can list the
communes or cadres a figure counts, with ``to_dict()`` for JSON (dates in ISO form).

Every report runs a fixed number of queries, whatever the number of units, cadres or
movements (the trend too, whatever the number of dates): see the query-count tests in
``reports/tests/test_selectors.py`` and ``reports/tests/test_dashboard_selectors.py``.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.locality import LocalityRule
from cadres.models import Gender
from communes.dates import dmy
from communes.models import (
    COMMUNE_KINDS,
    PROVINCE_KINDS,
    AdministrativeUnit,
    CivilServantField,
    Post,
    Role,
    UnitKind,
    UnitLevel,
    valid_on_q,
)
from communes.selectors import predecessors_of, unit_area_ids, units_within
from rotation.models import TIMED_KINDS, Assignment, Direction, Movement, MovementKind, Term

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
            unit__in=[commune.pk for commune in communes],
        )
        .select_related("cadre__hometown", "post__role", "post__organisation")
        .order_by("seat", "start_date", "pk")
    )
    rule = LocalityRule(day).prepare({a.cadre_id: a.cadre for a in assignments}.values())
    units_by_id = {commune.pk: commune for commune in communes}

    holders: dict[tuple[str, int], list[Holder]] = defaultdict(list)
    for assignment in assignments:
        cadre = assignment.cadre
        unit_id = assignment.unit_id
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

# The age under which a cadre counts as young in the dashboards' age bands.
YOUNG_AGE = 35


class AgeBand(models.TextChoices):
    """The two age bands of the movement report, by age on the effective date."""

    YOUNG = "young", gettext_lazy("under 35")
    OLDER = "older", gettext_lazy("35 and over")


def _age(born: datetime.date, day: datetime.date) -> int:
    """Whole years from ``born`` to ``day`` (someone born on 29/02 turns a year older on 01/03)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class MovementRow:
    """One movement as the report counts it."""

    movement_id: int
    decision_id: int
    decision_number: str
    decision_signed_on: datetime.date
    cadre_id: int
    cadre_name: str
    gender: str  # a value of cadres.models.Gender
    age: int  # whole years on the effective date
    young: bool  # age under YOUNG_AGE
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

    @property
    def gender_label(self) -> str:
        return str(Gender(self.gender).label)

    @property
    def age_band(self) -> str:
        return AgeBand.YOUNG.value if self.young else AgeBand.OLDER.value

    def to_dict(self) -> dict:
        return {
            "movement_id": self.movement_id,
            "decision_id": self.decision_id,
            "decision_number": self.decision_number,
            "decision_signed_on": self.decision_signed_on.isoformat(),
            "cadre_id": self.cadre_id,
            "cadre_name": self.cadre_name,
            "gender": self.gender,
            "gender_label": self.gender_label,
            "age": self.age,
            "young": self.young,
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

    The key is the non-empty parts among ``direction``, ``kind``, ``role_code``, ``field``,
    ``gender`` and ``age_band``; ``label`` says it in words.
    """

    label: str
    rows: tuple[MovementRow, ...]
    direction: str = ""
    kind: str = ""
    role_code: str = ""
    field: str = ""
    gender: str = ""
    age_band: str = ""  # a value of AgeBand

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
                ("gender", self.gender),
                ("age_band", self.age_band),
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
    by_gender: tuple[MovementCount, ...]  # every gender, zeros included
    by_age_band: tuple[MovementCount, ...]  # under 35, 35 and over (AgeBand), zeros included

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
        gender: str | None = None,
        age_band: str | None = None,
    ) -> tuple[MovementRow, ...]:
        """The rows matching every criterion given, for figures the tables do not show."""

        def keep(row: MovementRow) -> bool:
            return (
                (direction is None or row.direction == direction)
                and (kind is None or row.kind == kind)
                and (role_code is None or row.role_code == role_code)
                and (field is None or row.field == field)
                and (civil_servant is None or bool(row.field) == civil_servant)
                and (gender is None or row.gender == gender)
                and (age_band is None or row.age_band == age_band)
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
            "by_gender": groups(self.by_gender),
            "by_age_band": groups(self.by_age_band),
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
    """Movements of the period counted by direction, kind, role, civil-servant field, gender
    and age band (the cadre's age on the effective date).

    Counted: movements of issued decisions (not drafts, not cancelled ones) effective
    from ``start`` to ``end`` inclusive, whose post left or post taken belonged to ``unit``
    or a unit below it, in any version over time. A move out of a commune counts under
    the commune post left, every other move under the post taken
    (``MovementQuerySet.with_reported_role``).

    Queries: two for the area, two for the movements (their ids, then their rows).
    """
    if start > end:
        raise ValidationError(
            _("The period starts on %(start)s, after its end on %(end)s.")
            % {"start": dmy(start), "end": dmy(end)},
            code="period_order",
        )
    area = sorted(unit_area_ids(unit))
    # The area on the movement's own columns (the copies of the posts' units): an OR across
    # the joins to both posts' units made PostgreSQL join every movement of the period first
    # (bench/movement_summary.py, docs/PERFORMANCE.md).
    # The ids first, then the rows by id: PostgreSQL cannot tell how few movements of the
    # period the area holds (it estimated 170,000 for 4,272 in a province), and joined the
    # related tables over every movement of the period before filtering.
    found = list(
        Movement.objects.issued()
        .effective_between(start, end)
        .filter(Q(to_unit__in=area) | Q(from_unit__in=area))
        .values_list("pk", flat=True)
    )
    movements = (
        Movement.objects.filter(pk__in=found)
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
        age = _age(movement.cadre.date_of_birth, movement.effective_date)
        rows.append(
            MovementRow(
                movement_id=movement.pk,
                decision_id=movement.decision_id,
                decision_number=movement.decision.number,
                decision_signed_on=movement.decision.signed_on,
                cadre_id=movement.cadre_id,
                cadre_name=movement.cadre.full_name,
                gender=movement.cadre.gender,
                age=age,
                young=age < YOUNG_AGE,
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
    by_gender = _grouped(rows, lambda row: (row.gender,))
    by_age_band = _grouped(rows, lambda row: (row.age_band,))
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
        by_gender=tuple(
            MovementCount(
                label=str(gender.label),
                rows=tuple(by_gender.get((gender.value,), ())),
                gender=gender.value,
            )
            for gender in Gender
        ),
        by_age_band=tuple(
            MovementCount(
                label=str(band.label),
                rows=tuple(by_age_band.get((band.value,), ())),
                age_band=band.value,
            )
            for band in AgeBand
        ),
    )


# --------------------------------------------------------------------------- the term


def current_term_period(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period "since the start of the term" as of ``day``: (first day of the term, ``day``).

    The term is the Party term (``rotation.models.Term``) containing ``day``; the period
    ends on the earlier of the term's end and ``day``. When no recorded term contains
    ``day``, the period is the five years up to ``day`` (the length of a term), so that a
    dashboard still shows something sensible before HR records the terms. One query.
    """
    term = Term.containing(day)
    if term is not None:
        return term.start, min(term.end, day)
    try:
        start = day.replace(year=day.year - 5)
    except ValueError:  # 29 February, five years before a leap year
        start = day.replace(year=day.year - 5, day=28)
    return start, day


# --------------------------------------------------------------------------- due returns

MAX_WITHIN_DAYS = 3660  # ten years: the longest rotation the records hold, with margin


@dataclass(frozen=True)
class DueReturn:
    """A rotation or secondment still under way on the day, with its planned end."""

    movement_id: int
    decision_id: int
    decision_number: str
    cadre_id: int
    cadre_name: str
    kind: str  # rotation or secondment
    kind_label: str
    post: str  # the post taken
    unit: UnitRef  # the unit of the post taken
    started: datetime.date  # the effective date
    planned_end: datetime.date
    days_left: int  # planned_end - day; negative once overdue
    overdue: bool

    def to_dict(self) -> dict:
        return {
            "movement_id": self.movement_id,
            "decision_id": self.decision_id,
            "decision_number": self.decision_number,
            "cadre_id": self.cadre_id,
            "cadre_name": self.cadre_name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "post": self.post,
            "unit": self.unit.to_dict(),
            "started": self.started.isoformat(),
            "planned_end": self.planned_end.isoformat(),
            "days_left": self.days_left,
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class DueReturns:
    """Rotations and secondments in the area of ``unit`` ending soon, or past their end, on ``day``."""

    unit: UnitRef
    day: datetime.date
    within_days: int
    due: tuple[DueReturn, ...]  # planned end in [day, day + within_days], soonest first
    overdue: tuple[DueReturn, ...]  # planned end before day, most overdue first

    @property
    def due_count(self) -> int:
        return len(self.due)

    @property
    def overdue_count(self) -> int:
        return len(self.overdue)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "day": self.day.isoformat(),
            "within_days": self.within_days,
            "due_count": self.due_count,
            "overdue_count": self.overdue_count,
            "due": [row.to_dict() for row in self.due],
            "overdue": [row.to_dict() for row in self.overdue],
        }


def due_returns(
    *, unit: AdministrativeUnit, day: datetime.date, within_days: int = 90
) -> DueReturns:
    """Whose rotation or secondment ends within ``within_days`` of ``day``, or has ended.

    Counted: rotations and secondments of issued decisions into a post of the area of
    ``unit`` (any version of it or of a unit below it), that no issued return has ended
    by ``day``, and whose assignment is still held on ``day`` (started, not ended, not
    voided by a cancellation). A cadre kept at the destination after the planned end,
    without a return, is overdue; one who left the post another way (a transfer, the
    dissolution of the unit) is no longer counted. Returns recorded with a later effective
    date do not hide a rotation before that date, so a past day reads as it was then.

    Queries: two for the area, one for the movements with their cadres, decisions, posts
    and units.
    """
    if (
        isinstance(within_days, bool)
        or not isinstance(within_days, int)
        or not 1 <= within_days <= MAX_WITHIN_DAYS
    ):
        raise ValidationError(
            {
                "within_days": ValidationError(
                    _("Look between 1 and %(max)s days ahead, not %(value)s.")
                    % {"max": MAX_WITHIN_DAYS, "value": within_days},
                    code="within_days_range",
                )
            }
        )
    try:
        horizon = day + datetime.timedelta(days=within_days)
    except OverflowError:
        horizon = datetime.date.max
    area = unit_area_ids(unit)
    held = Assignment.objects.as_of(day).filter(opened_by=OuterRef("pk"))
    returned = Movement.objects.issued().filter(
        returns_from=OuterRef("pk"), effective_date__lte=day
    )
    movements = (
        Movement.objects.issued()
        .filter(
            kind__in=TIMED_KINDS,
            to_unit__in=area,
            planned_end__lte=horizon,
        )
        .filter(Exists(held), ~Exists(returned))
        .select_related("cadre", "decision", "to_post__role", "to_post__organisation__unit")
        .order_by("planned_end", "effective_date", "decision__signed_on", "position", "pk")
    )
    due: list[DueReturn] = []
    overdue: list[DueReturn] = []
    for movement in movements:
        days_left = (movement.planned_end - day).days
        row = DueReturn(
            movement_id=movement.pk,
            decision_id=movement.decision_id,
            decision_number=movement.decision.number,
            cadre_id=movement.cadre_id,
            cadre_name=movement.cadre.full_name,
            kind=movement.kind,
            kind_label=movement.get_kind_display(),
            post=str(movement.to_post),
            unit=UnitRef.of(movement.to_post.organisation.unit),
            started=movement.effective_date,
            planned_end=movement.planned_end,
            days_left=days_left,
            overdue=days_left < 0,
        )
        (overdue if row.overdue else due).append(row)
    return DueReturns(
        unit=UnitRef.of(unit),
        day=day,
        within_days=within_days,
        due=tuple(due),
        overdue=tuple(overdue),
    )


# --------------------------------------------------------------------------- vacant seats


@dataclass(frozen=True)
class VacantSeat:
    """A post with fewer holders on the day than it has seats."""

    post_id: int
    post: str
    unit: UnitRef
    role_code: str
    role_label: str
    is_key: bool
    seats: int
    held: int
    vacant: int
    # The first day of the current vacancy: the day after the post last had every seat
    # held (for a one-seat post, the day after its last holder left). None when the
    # records never show every seat held.
    since: datetime.date | None

    def to_dict(self) -> dict:
        return {
            "post_id": self.post_id,
            "post": self.post,
            "unit": self.unit.to_dict(),
            "role": self.role_code,
            "role_label": self.role_label,
            "is_key": self.is_key,
            "seats": self.seats,
            "held": self.held,
            "vacant": self.vacant,
            "since": self.since.isoformat() if self.since else None,
        }


@dataclass(frozen=True)
class VacantSeats:
    """The posts of ``unit`` and of the units within it with a vacant seat on ``day``."""

    unit: UnitRef
    day: datetime.date
    rows: tuple[VacantSeat, ...]  # by unit code, then role order

    @property
    def total_vacant(self) -> int:
        return sum(row.vacant for row in self.rows)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "day": self.day.isoformat(),
            "total_vacant": self.total_vacant,
            "rows": [row.to_dict() for row in self.rows],
        }


def _last_full_day(
    periods: list[tuple[datetime.date, datetime.date | None]], seats: int, day: datetime.date
) -> datetime.date | None:
    """The last day before ``day`` on which at least ``seats`` of ``periods`` were running.

    Such a day is the last day of one of the periods (the count drops the day after), so
    only those are tried, latest first.
    """
    ends = {end for _start, end in periods if end is not None and end < day}
    for last in sorted(ends, reverse=True):
        running = sum(1 for start, end in periods if start <= last and (end is None or last <= end))
        if running >= seats:
            return last
    return None


def vacant_seats(
    *, unit: AdministrativeUnit, day: datetime.date, key_only: bool = False
) -> VacantSeats:
    """Posts with a vacant seat on ``day``: of ``unit``'s own organisations and of every unit
    within it that day (a district's departments and its communes' bodies).

    A post counts when it and its organisation exist on ``day`` and fewer people hold it
    that day than it has seats; ``key_only`` keeps the key leadership roles. Each row says
    since when the post has had a vacant seat (see ``VacantSeat.since``).

    Queries: the units within ``unit`` (two per level below it), the posts with their
    roles, organisations and units, and the periods of their holders.
    """
    unit_ids = [unit.pk] + [within.pk for within in units_within(unit, day)]
    posts = (
        Post.objects.valid_on(day)
        .filter(valid_on_q(day, "organisation__"), organisation__unit__in=unit_ids)
        .order_by(
            "organisation__unit__code", "role__sort_order", "role__code", "organisation__name", "pk"
        )
    )
    if key_only:
        posts = posts.filter(role__is_key=True)
    periods: dict[int, list[tuple[datetime.date, datetime.date | None]]] = defaultdict(list)
    for post_id, start, end in (
        Assignment.objects.effective()
        .filter(post__in=posts.values("pk"), start_date__lte=day)
        .values_list("post_id", "start_date", "end_date")
    ):
        periods[post_id].append((start, end))
    rows = []
    for post in posts.select_related("role", "organisation__unit"):
        held = sum(
            1 for start, end in periods[post.pk] if start <= day and (end is None or day <= end)
        )
        if held >= post.seats:
            continue
        last_full = _last_full_day(periods[post.pk], post.seats, day)
        rows.append(
            VacantSeat(
                post_id=post.pk,
                post=str(post),
                unit=UnitRef.of(post.organisation.unit),
                role_code=post.role.code,
                role_label=post.role.label,
                is_key=post.role.is_key,
                seats=post.seats,
                held=held,
                vacant=post.seats - held,
                since=None if last_full is None else last_full + datetime.timedelta(days=1),
            )
        )
    return VacantSeats(unit=UnitRef.of(unit), day=day, rows=tuple(rows))


# --------------------------------------------------------------------------- non-local trend

MAX_TREND_YEARS = 30


@dataclass(frozen=True, kw_only=True)
class RoleFigures:
    """The non-local figures of a set of commune-level units on a day, role by role: what
    ``non_local_report`` counts, without the rows behind them."""

    units_total: int  # commune-level units that day
    non_local: dict[str, int]  # role code → units with a non-local holder
    held: dict[str, int]  # role code → units with any holder

    def share(self, role_code: str) -> float | None:
        """Units with a non-local holder over all units; None when there are no units."""
        if not self.units_total:
            return None
        return self.non_local[role_code] / self.units_total

    def figures_dict(self) -> dict:
        return {
            "units_total": self.units_total,
            "non_local": dict(self.non_local),
            "held": dict(self.held),
            "share": {
                code: None if self.share(code) is None else round(self.share(code), 4)
                for code in self.non_local
            },
        }


@dataclass(frozen=True, kw_only=True)
class TrendPoint(RoleFigures):
    """The non-local figures of one day of the trend."""

    day: datetime.date

    def to_dict(self) -> dict:
        return {"day": self.day.isoformat(), **self.figures_dict()}


@dataclass(frozen=True)
class NonLocalTrend:
    """The non-local figures of ``non_local_report`` at the end of each quarter of a period."""

    unit: UnitRef
    start: datetime.date
    end: datetime.date
    roles: tuple[tuple[str, str], ...]  # (code, label)
    points: tuple[TrendPoint, ...]

    def to_dict(self) -> dict:
        return {
            "unit": self.unit.to_dict(),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "roles": [{"role": code, "role_label": label} for code, label in self.roles],
            "points": [point.to_dict() for point in self.points],
        }


def _quarter_end(day: datetime.date) -> datetime.date:
    month = (day.month - 1) // 3 * 3 + 3
    return datetime.date(day.year, month, calendar.monthrange(day.year, month)[1])


def _trend_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of each quarter from ``start`` to ``end``, then ``end`` if it is not one."""
    days = []
    day = _quarter_end(start)
    while day <= end:
        days.append(day)
        if day == datetime.date.max:
            break
        day = _quarter_end(day + datetime.timedelta(days=1))
    if not days or days[-1] != end:
        days.append(end)
    return days


def _count_by_role(
    communes: Sequence[AdministrativeUnit],
    codes: Sequence[str],
    holders: dict[tuple[int, str], list],
    rule: LocalityRule,
) -> dict:
    """The figures of ``non_local_report`` for ``communes`` on the rule's day: their number,
    and for each role how many have a holder and how many a non-local one (any holder
    non-local). ``holders``: (commune id, role code) → the cadres holding it that day (or
    what the rule reads of them). The fields of ``RoleFigures``."""
    held = dict.fromkeys(codes, 0)
    non_local = dict.fromkeys(codes, 0)
    for commune in communes:
        for code in codes:
            group = holders.get((commune.pk, code))
            if not group:
                continue
            held[code] += 1
            if any(not rule.verdict(cadre, commune).is_local for cadre in group):
                non_local[code] += 1
    return {"units_total": len(communes), "held": held, "non_local": non_local}


def _communes_below(
    units: Sequence[AdministrativeUnit], days: Sequence[datetime.date]
) -> dict[int, dict[datetime.date, list[AdministrativeUnit]]]:
    """For each of ``units`` and each day, ``units_within(unit, day, level=COMMUNE)``.

    The same walk down the tree for all the units at once, each level loaded once for all
    of them and all days (every version of the children of the units and of their earlier
    versions), then filtered unit by unit and day by day in memory: two queries per level,
    whether for one district or every province of the country.
    """
    lineage: dict[int, set[int]] = {}
    children: dict[int, list[AdministrativeUnit]] = defaultdict(list)
    seen = {unit.pk for unit in units}
    frontier = [unit for unit in units if unit.level != UnitLevel.COMMUNE]
    while frontier:
        lineages = predecessors_of(u.pk for u in frontier)
        lineage.update(lineages)
        parent_ids = set(lineages) | {pk for ids in lineages.values() for pk in ids}
        found = [
            child
            for child in AdministrativeUnit.objects.filter(parent_id__in=parent_ids)
            if child.pk not in seen
        ]
        seen.update(child.pk for child in found)
        for child in found:
            children[child.parent_id].append(child)
        frontier = [child for child in found if child.level != UnitLevel.COMMUNE]

    result: dict[int, dict[datetime.date, list[AdministrativeUnit]]] = {}
    for unit in units:
        if unit.level == UnitLevel.COMMUNE:
            result[unit.pk] = {day: [unit] if unit.is_valid_on(day) else [] for day in days}
            continue
        by_day = {}
        for day in days:
            communes: list[AdministrativeUnit] = []
            level = [unit]
            while level:
                parent_ids = {pk for u in level for pk in {u.pk} | lineage.get(u.pk, set())}
                below = [
                    child
                    for parent_id in parent_ids
                    for child in children.get(parent_id, ())
                    if child.is_valid_on(day)
                ]
                communes.extend(child for child in below if child.level == UnitLevel.COMMUNE)
                level = [child for child in below if child.level != UnitLevel.COMMUNE]
            by_day[day] = sorted(communes, key=lambda u: u.code)
        result[unit.pk] = by_day
    return result


def non_local_trend(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    role_codes: Sequence[str] = (SECRETARY, CHAIRMAN),
) -> NonLocalTrend:
    """How many commune-level units of ``unit`` had a non-local holder of each role, quarter
    by quarter: on the last day of each quarter from ``start`` to ``end``, and on ``end``.

    Each point counts as ``non_local_report`` does on that day: the commune-level units
    within ``unit`` that day (fewer after a merge), a unit counting as non-local when any
    of its holders is. Pass ``unit`` as it is on ``end`` (``unit_on(code, end)``): its
    earlier versions are followed back, as ``units_within`` does. For the current term,
    ``current_term_period`` gives the period.

    Queries: the units (two per level below ``unit``), the roles, the holders over the
    whole period, and the locality rule's seven, loaded once; every point is computed in
    memory, so the count grows neither with units and cadres nor with the number of points.
    """
    if start > end:
        raise ValidationError(
            {
                "end": ValidationError(
                    _("The period starts on %(start)s, after its end on %(end)s.")
                    % {"start": dmy(start), "end": dmy(end)},
                    code="period_order",
                )
            }
        )
    if end.year - start.year > MAX_TREND_YEARS:
        raise ValidationError(
            {
                "start": ValidationError(
                    _("A trend covers at most %(years)s years; start on %(day)s or later.")
                    % {
                        "years": MAX_TREND_YEARS,
                        "day": dmy(datetime.date(end.year - MAX_TREND_YEARS, 1, 1)),
                    },
                    code="period_too_long",
                )
            }
        )
    if not role_codes:
        raise ValidationError(
            {"role_codes": ValidationError(_("Choose at least one role."), code="no_role")}
        )
    try:
        roles = _roles(end, role_codes)
    except ValidationError as error:
        raise ValidationError({"role_codes": error.error_list}) from None
    days = _trend_days(start, end)
    communes_on = _communes_below([unit], days)[unit.pk]
    commune_ids = {commune.pk for communes in communes_on.values() for commune in communes}
    codes = [role.code for role in roles]
    assignments = list(
        Assignment.objects.overlapping(days[0], days[-1])
        .filter(post__role__code__in=codes, unit__in=commune_ids)
        .annotate(role_code=F("post__role__code"))
        .select_related("cadre")
    )
    rule = LocalityRule(end).prepare({a.cadre_id: a.cadre for a in assignments}.values())
    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_unit[assignment.unit_id].append(assignment)

    points = []
    for day in days:
        holders: dict[tuple[int, str], list] = defaultdict(list)
        for commune in communes_on[day]:
            for assignment in by_unit.get(commune.pk, ()):
                if assignment.is_held_on(day):
                    holders[(commune.pk, assignment.role_code)].append(assignment.cadre)
        points.append(
            TrendPoint(
                day=day,
                **_count_by_role(communes_on[day], codes, holders, rule.for_day(day)),
            )
        )
    return NonLocalTrend(
        unit=UnitRef.of(unit),
        start=start,
        end=end,
        roles=tuple((role.code, role.label) for role in roles),
        points=tuple(points),
    )


# --------------------------------------------------------------------------- national table


@dataclass(frozen=True, kw_only=True)
class ProvinceNonLocal(RoleFigures):
    """The non-local figures of one province on the day of a ``NationalNonLocal`` table."""

    unit: UnitRef

    def to_dict(self) -> dict:
        return {"unit": self.unit.to_dict(), **self.figures_dict()}


@dataclass(frozen=True)
class NationalNonLocal:
    """Non-local holders of the key posts on a day, province by province."""

    day: datetime.date
    roles: tuple[tuple[str, str], ...]  # (code, label)
    provinces: tuple[ProvinceNonLocal, ...]

    @property
    def totals(self) -> RoleFigures:
        """The figures of all the provinces listed together."""
        codes = [code for code, _label in self.roles]
        return RoleFigures(
            units_total=sum(row.units_total for row in self.provinces),
            non_local={code: sum(row.non_local[code] for row in self.provinces) for code in codes},
            held={code: sum(row.held[code] for row in self.provinces) for code in codes},
        )

    def to_dict(self) -> dict:
        totals = self.totals
        return {
            "day": self.day.isoformat(),
            "roles": [{"role": code, "role_label": label} for code, label in self.roles],
            "units_total": totals.units_total,
            "non_local": totals.non_local,
            "held": totals.held,
            "provinces": [row.to_dict() for row in self.provinces],
        }


class _Places(NamedTuple):
    """What the locality rule reads of a cadre, without loading the cadre."""

    pk: int
    hometown_id: int | None
    permanent_residence_id: int | None
    birthplace_id: int | None


def national_non_local(
    *,
    day: datetime.date,
    role_codes: Sequence[str] | None = None,
    units=None,
) -> NationalNonLocal:
    """For every province valid on ``day``, the figures of its ``non_local_report``: its
    commune-level units that day, and for each role how many have a holder and how many
    a non-local one (any holder non-local). ``units``: a queryset of the units that may be
    reported on (a user's area); only the provinces in it are listed.

    Set-based: the units in one walk down the tree for all the provinces, the holders of
    the day as plain values (no model instances) in one query, the locality rule's
    queries once; about ten queries for the whole country.
    """
    roles = _roles(day, role_codes)
    codes = [role.code for role in roles]
    units = units if units is not None else AdministrativeUnit.objects.all()
    provinces = list(units.valid_on(day).filter(kind__in=PROVINCE_KINDS).order_by("code"))
    communes_of = {
        unit_id: by_day[day] for unit_id, by_day in _communes_below(provinces, [day]).items()
    }
    commune_by_id = {
        commune.pk: commune for communes in communes_of.values() for commune in communes
    }
    holders = (
        Assignment.objects.as_of(day)
        .filter(post__role__code__in=codes, unit__kind__in=COMMUNE_KINDS)
        .values_list(
            "unit_id",
            "post__role__code",
            "cadre_id",
            "cadre__hometown_id",
            "cadre__permanent_residence_id",
            "cadre__birthplace_id",
        )
    )
    by_unit: dict[tuple[int, str], list[_Places]] = defaultdict(list)
    for unit_id, code, *places in holders.iterator(chunk_size=10_000):
        if unit_id in commune_by_id:
            by_unit[(unit_id, code)].append(_Places(*places))
    rule = LocalityRule(day).prepare(
        {places.pk: places for group in by_unit.values() for places in group}.values()
    )

    rows = [
        ProvinceNonLocal(
            unit=UnitRef.of(province),
            **_count_by_role(communes_of[province.pk], codes, by_unit, rule),
        )
        for province in provinces
    ]
    return NationalNonLocal(
        day=day,
        roles=tuple((role.code, role.label) for role in roles),
        provinces=tuple(rows),
    )
