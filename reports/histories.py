"""Reads behind the unit and cadre pages of the dashboards, besides the headline figures.

Who held each key post of a commune over a period, who is rotated or seconded into it on a
day, and one cadre's posts and movements. Like ``reports.selectors``, each runs a fixed
number of queries whatever the number of units, posts or cadres.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from cadres.locality import LocalityRule, Verdict
from cadres.models import Cadre
from communes.models import (
    DISTRICT_KINDS,
    PROVINCE_KINDS,
    AdministrativeUnit,
)
from communes.selectors import UnitTimeline
from rotation.models import TIMED_KINDS, Assignment, DecisionStatus, Direction, Movement
from rotation.selectors import cadre_assignments, cadre_movements


def report_units(day: datetime.date) -> list[AdministrativeUnit]:
    """The province- and district-level units valid on ``day``: what the dashboards report on."""
    return list(
        AdministrativeUnit.objects.valid_on(day)
        .filter(kind__in=[*PROVINCE_KINDS, *DISTRICT_KINDS])
        .order_by("code")
    )


def unit_on_day(unit: AdministrativeUnit, day: datetime.date) -> list[AdministrativeUnit]:
    """The units that cover the place of ``unit`` on ``day`` (itself when it is valid then).

    Two or three queries: Lê Hồ commune (until 30/06/2025) is Lê Hồ ward on 01/08/2025.
    """
    if unit.is_valid_on(day):
        return [unit]
    timeline = UnitTimeline([unit.pk])
    return sorted(
        (timeline.units[pk] for pk in timeline.on(unit.pk, day)), key=lambda u: (u.code, u.name)
    )


def key_posts_history(
    *, unit: AdministrativeUnit, start: datetime.date, end: datetime.date
) -> list[Assignment]:
    """Every holding of a key post of ``unit`` that shares a day with [start, end].

    By the role's order, then by start date; void holdings (of cancelled decisions) are
    left out. One query.
    """
    return list(
        Assignment.objects.overlapping(start, end)
        .filter(unit=unit, post__role__is_key=True, start_date__lte=end)
        .select_related("cadre", "post__role", "post__organisation", "opened_by__decision")
        .order_by("post__role__sort_order", "post__role__code", "start_date", "seat", "pk")
    )


def timed_holdings(*, unit: AdministrativeUnit, day: datetime.date) -> list[Assignment]:
    """The posts of ``unit`` held on ``day`` by someone rotated or seconded into them.

    Each with the movement that opened it (``opened_by``: kind, planned end, the post left
    and its unit, the decision). One query.
    """
    return list(
        Assignment.objects.as_of(day)
        .filter(
            unit=unit,
            opened_by__kind__in=TIMED_KINDS,
            opened_by__decision__status=DecisionStatus.ISSUED,
        )
        .select_related(
            "cadre",
            "post__role",
            "post__organisation",
            "opened_by__decision",
            "opened_by__from_assignment__post__role",
            "opened_by__from_assignment__post__organisation__unit",
        )
        .order_by("opened_by__planned_end", "post__role__sort_order", "pk")
    )


@dataclass(frozen=True)
class HeldPost:
    """A post a cadre holds on the day, and whether they are local to its unit."""

    assignment: Assignment
    verdict: Verdict


@dataclass(frozen=True)
class CadreTimeline:
    cadre: Cadre
    day: datetime.date
    assignments: tuple[Assignment, ...]  # every post held, void ones included, by start
    movements: tuple[tuple[Movement, str], ...]  # issued or cancelled, with the direction's label
    held: tuple[HeldPost, ...]  # the posts held on ``day``, the principal first


def cadre_timeline(*, cadre: Cadre, day: datetime.date, area=None) -> CadreTimeline:
    """One cadre's posts and movements, and the posts held on ``day`` with the local verdict.

    Movements of draft decisions are left out: they have not happened. ``area``
    (``access.areas.Area``): only the posts and movements in it; ``None`` for every one.
    Two queries, and the locality rule's few for the units of the posts held.
    """
    assignments = cadre_assignments(cadre)
    movements = cadre_movements(cadre, drafts=False)
    if area is not None:
        assignments, movements = area.filter(assignments), area.filter(movements)
    assignments = tuple(assignments)
    movements = tuple(
        (movement, str(Direction(movement.direction).label)) for movement in movements
    )
    current = sorted(
        (a for a in assignments if a.is_held_on(day)),
        key=lambda a: (not a.principal, a.start_date),
    )
    held: tuple[HeldPost, ...] = ()
    if current:
        rule = LocalityRule(day).prepare([cadre])
        held = tuple(
            HeldPost(assignment=a, verdict=rule.verdict(cadre, a.post.organisation.unit))
            for a in current
        )
    return CadreTimeline(
        cadre=cadre, day=day, assignments=assignments, movements=movements, held=held
    )
