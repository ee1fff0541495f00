"""Reads about administrative units over time: lineages, children and areas on a date.

Every function runs a number of queries that does not grow with the number of units:
lineages are one recursive query each, and the unit tree is at most three levels deep.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils.translation import gettext as _

from communes.models import (
    AdministrativeUnit,
    Organisation,
    Post,
    UnitLevel,
    UnitSuccession,
)

_SUCCESSION_TABLE = UnitSuccession._meta.db_table
_UNIT_TABLE = AdministrativeUnit._meta.db_table


def _cursor():
    """A cursor on the database the units are read from: the read replica inside
    ``config.routers.reading_from_replica()`` when one is configured, as for the ORM's
    reads of the units."""
    return connections[router.db_for_read(AdministrativeUnit) or "default"].cursor()


def _closure(ids: Iterable[int], *, forwards: bool) -> dict[int, set[int]]:
    """For each id, every unit reachable through successions (forwards) or back to its predecessors."""
    ids = sorted(set(ids))
    result: dict[int, set[int]] = {pk: set() for pk in ids}
    if not ids:
        return result
    start, follow = (
        ("predecessor_id", "successor_id") if forwards else ("successor_id", "predecessor_id")
    )
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE chain(origin, unit_id) AS ("
        f" SELECT {start}, {follow} FROM {_SUCCESSION_TABLE} WHERE {start} IN ({placeholders})"
        f" UNION"
        f" SELECT chain.origin, s.{follow} FROM chain"
        f" JOIN {_SUCCESSION_TABLE} s ON s.{start} = chain.unit_id"
        f") SELECT origin, unit_id FROM chain"
    )
    with _cursor() as cursor:
        cursor.execute(sql, ids)
        for origin, unit_id in cursor.fetchall():
            result[origin].add(unit_id)
    return result


def successors_of(ids: Iterable[int]) -> dict[int, set[int]]:
    """Every later version of each unit, through merges, renames and re-gradings."""
    return _closure(ids, forwards=True)


def predecessors_of(ids: Iterable[int]) -> dict[int, set[int]]:
    """Every earlier version of each unit."""
    return _closure(ids, forwards=False)


def unit_on(code: str, day: datetime.date, *, units=None) -> AdministrativeUnit:
    """The unit that carries official ``code`` on ``day``, among ``units`` (a queryset;
    default every unit: a user's area passes its own, and a unit outside it is unknown).

    Raises ``ValidationError`` with a sentence a person can act on when the code is unknown
    or names no unit on that day (and then says which units carried it when).
    """
    code = (code or "").strip()
    units = AdministrativeUnit.objects.all() if units is None else units
    versions = list(units.filter(code=code).order_by("valid_from"))
    if not versions:
        raise ValidationError(
            _("There is no administrative unit with code %(code)s.") % {"code": code},
            code="unknown_unit",
        )
    for unit in versions:
        if unit.is_valid_on(day):
            return unit
    known = "; ".join(f"{unit.name} ({unit.period_display()})" for unit in versions)
    raise ValidationError(
        _("No unit has code %(code)s on %(day)s. That code names: %(known)s.")
        % {"code": code, "day": day.strftime("%d/%m/%Y"), "known": known},
        code="unit_not_valid",
    )


def unit_children(unit: AdministrativeUnit, day: datetime.date):
    """The units directly below ``unit`` on ``day``.

    Children point at their parent as it was when they started; when the parent has since
    been re-graded or merged (Kim Bảng district → Kim Bảng town), they still belong to it.
    """
    lineage = {unit.pk} | predecessors_of([unit.pk])[unit.pk]
    return AdministrativeUnit.objects.valid_on(day).filter(parent_id__in=lineage)


def units_within(
    unit: AdministrativeUnit, day: datetime.date, *, level: str | None = None
) -> list[AdministrativeUnit]:
    """Every unit below ``unit`` on ``day`` (optionally only those of one level), by code."""
    found: list[AdministrativeUnit] = []
    frontier = [unit]
    while frontier:
        lineages = predecessors_of(u.pk for u in frontier)
        parent_ids = set(lineages) | {pk for ids in lineages.values() for pk in ids}
        children = list(
            AdministrativeUnit.objects.valid_on(day)
            .filter(parent_id__in=parent_ids)
            .select_related("parent")
        )
        found.extend(children)
        frontier = [child for child in children if child.level != UnitLevel.COMMUNE]
    if level is not None:
        found = [u for u in found if u.level == level]
    return sorted(found, key=lambda u: u.code)


def unit_area_ids(unit: AdministrativeUnit) -> set[int]:
    """Ids of every version, over all time, of ``unit`` and of the units below it.

    Used to find the records about an area over a period: a 2021 post of Lê Hồ commune
    lies in the area of Kim Bảng town (2025), whose predecessor was Kim Bảng district.
    """
    lineage = {unit.pk} | predecessors_of([unit.pk])[unit.pk]
    sql = (
        f"WITH RECURSIVE area(unit_id) AS ("
        f" SELECT id FROM {_UNIT_TABLE} WHERE id IN ({', '.join(['%s'] * len(lineage))})"
        f" UNION"
        f" SELECT u.id FROM {_UNIT_TABLE} u JOIN area ON u.parent_id = area.unit_id"
        f") SELECT unit_id FROM area"
    )
    with _cursor() as cursor:
        cursor.execute(sql, sorted(lineage))
        return {row[0] for row in cursor.fetchall()}


class UnitTimeline:
    """Resolves recorded units to the units that cover the same place on a given day.

    A hometown recorded as "Tân Sơn commune" (ended 30/06/2025) lies in Nguyễn Úy ward on
    01/08/2025; a residence recorded as "Lê Hồ ward" (from 01/07/2025) covers Lê Hồ, Đại
    Cương and Đồng Hóa communes in 2021. Load once for a set of units, then ask in memory.
    """

    def __init__(self, unit_ids: Iterable[int]):
        ids = set(unit_ids)
        self._forwards = successors_of(ids)
        self._backwards = predecessors_of(ids)
        every = ids | {pk for group in self._forwards.values() for pk in group}
        every |= {pk for group in self._backwards.values() for pk in group}
        self.units: dict[int, AdministrativeUnit] = AdministrativeUnit.objects.in_bulk(every)

    def on(self, unit_id: int, day: datetime.date) -> set[int]:
        """Ids of the units valid on ``day`` that cover (part of) the place of ``unit_id``."""
        unit = self.units.get(unit_id)
        if unit is None:
            return set()
        if unit.is_valid_on(day):
            return {unit_id}
        related = self._forwards.get(unit_id, set()) | self._backwards.get(unit_id, set())
        return {pk for pk in related if pk in self.units and self.units[pk].is_valid_on(day)}


def posts_with_holders(unit: AdministrativeUnit, day: datetime.date):
    """The posts of ``unit``'s organisations valid on ``day``, with their holders that day.

    Two queries whatever the number of posts: posts, then their assignments.
    """
    from django.db.models import Prefetch

    from rotation.models import Assignment

    return (
        Post.objects.valid_on(day)
        .filter(organisation__unit=unit)
        .select_related("role", "organisation")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.as_of(day).select_related("cadre").order_by("seat"),
                to_attr="holders",
            )
        )
        .order_by("organisation__name", "role__sort_order")
    )


def organisations_of(unit: AdministrativeUnit, day: datetime.date):
    return Organisation.objects.valid_on(day).filter(unit=unit)


def successions_index(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """Direct successors of each unit (one query)."""
    index: dict[int, list[int]] = defaultdict(list)
    for predecessor_id, successor_id in UnitSuccession.objects.filter(
        predecessor_id__in=set(unit_ids)
    ).values_list("predecessor_id", "successor_id"):
        index[predecessor_id].append(successor_id)
    return index
