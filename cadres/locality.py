"""Is a cadre local to a unit on a day? (DOMAIN.md §3.7)

There is no single national definition. The default rule, configurable with the setting
``CADRE_LOCALITY_BASES``: a cadre is local to a commune-level unit when one of their
recorded places (hometown and permanent residence by default; birthplace can be added)
lies in that unit on that day, following merges in both directions. For a district-level
unit, the place must lie in one of its communes. HR staff can override the rule for a
person and a unit with a written reason (``LocalityOverride``).

Usage: build a ``LocalityRule`` for a day, ``prepare`` it with every (cadre, unit) pair
you will ask about (a fixed number of queries), then ask ``verdict`` as often as needed.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, LocalityOverride
from communes.models import AdministrativeUnit, UnitLevel
from communes.selectors import UnitTimeline

BASES = ("hometown", "permanent_residence", "birthplace")
BASE_LABELS = {
    "hometown": _("hometown"),
    "permanent_residence": _("permanent residence"),
    "birthplace": _("birthplace"),
    "override": _("HR override"),
    "none": _("no recorded place in the unit"),
}

# Above this many cadres, ``LocalityRule.prepare`` reads the overrides without a filter.
MANY_CADRES = 2_000


@dataclass(frozen=True)
class Verdict:
    is_local: bool
    basis: str  # one of BASE_LABELS
    reason: str = ""

    @property
    def basis_label(self) -> str:
        return str(BASE_LABELS[self.basis])


# The verdicts without an override, made once (they are immutable).
LOCAL_BY = {base: Verdict(True, base) for base in BASES}
NOT_LOCAL = Verdict(False, "none")


def configured_bases() -> tuple[str, ...]:
    return tuple(settings.CADRE_LOCALITY_BASES)


class LocalityRule:
    def __init__(self, day: datetime.date, *, bases: Iterable[str] | None = None):
        self.day = day
        self.bases = tuple(bases) if bases is not None else configured_bases()
        unknown = set(self.bases) - set(BASES)
        if unknown or not self.bases:
            raise ValueError(f"Locality bases must be among {BASES}, not {sorted(unknown)}")
        self._overrides: dict[int, list[LocalityOverride]] = {}
        self._timeline: UnitTimeline | None = None
        self._parents: UnitTimeline | None = None
        self._prepared: dict[int, Cadre] = {}
        self._attributes = tuple((base, f"{base}_id") for base in self.bases)

    def prepare(self, cadres: Iterable[Cadre]) -> LocalityRule:
        """Load what ``verdict`` needs for these cadres: three to seven queries in all."""
        cadres = list(cadres)
        self._prepared = {cadre.pk: cadre for cadre in cadres}
        self._overrides = {}
        overrides = LocalityOverride.objects.all()
        if len(self._prepared) <= MANY_CADRES:
            overrides = overrides.filter(cadre__in=list(self._prepared))
        # For more cadres (a national table), every override is read: there are few, and
        # a list of every cadre id would be a statement too long for SQLite.
        for override in overrides:
            if override.cadre_id in self._prepared:
                self._overrides.setdefault(override.cadre_id, []).append(override)
        place_ids = {getattr(cadre, f"{base}_id") for cadre in cadres for base in self.bases} - {
            None
        }
        override_ids = {o.unit_id for group in self._overrides.values() for o in group}
        self._timeline = UnitTimeline(place_ids | override_ids)
        parent_ids = {unit.parent_id for unit in self._timeline.units.values()} - {None}
        self._parents = UnitTimeline(parent_ids)
        return self

    def for_day(self, day: datetime.date) -> LocalityRule:
        """The same rule asked about another day, with what ``prepare`` loaded (no query).

        What ``prepare`` loads (overrides, the successions of the places) does not depend on
        the day, so a report over many dates prepares once and asks each day's copy.
        """
        other = copy.copy(self)
        other.day = day
        return other

    def verdict(self, cadre: Cadre, unit: AdministrativeUnit) -> Verdict:
        if cadre.pk not in self._prepared:
            # Not loaded: its places and overrides are unknown to the timeline, and the
            # answer would silently be "non-local". Load again, with it.
            self.prepare([*self._prepared.values(), cadre])
        for override in self._overrides.get(cadre.pk, ()):
            if unit.pk in self._timeline.on(override.unit_id, self.day):
                return Verdict(override.is_local, "override", override.reason)
        for base, attribute in self._attributes:
            place_id = getattr(cadre, attribute)
            if place_id is None:
                continue
            # The usual case first: the place recorded is the unit itself, valid that day.
            if (place_id == unit.pk and unit.is_valid_on(self.day)) or self._lies_in(
                place_id, unit
            ):
                return LOCAL_BY[base]
        return NOT_LOCAL

    def _lies_in(self, place_id: int, unit: AdministrativeUnit) -> bool:
        places = self._timeline.on(place_id, self.day)
        if unit.pk in places:
            return True
        if unit.level == UnitLevel.COMMUNE:
            return False
        # A district contains a place when the place's parent, on that day, is the district.
        for place in places:
            parent_id = self._timeline.units[place].parent_id
            if parent_id is not None and unit.pk in self._parents.on(parent_id, self.day):
                return True
        return False


def is_local(cadre: Cadre, unit: AdministrativeUnit, day: datetime.date) -> Verdict:
    """One verdict; for many, use ``LocalityRule`` so that the queries stay constant."""
    return LocalityRule(day).prepare([cadre]).verdict(cadre, unit)
