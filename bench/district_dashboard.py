"""The district dashboard page (``/dashboard/?unit=…&date=…``), as an official of the
district reads it: the non-local cards, the movements of the term, the quarterly series,
returns due and vacant key seats, rendered to HTML.

The floor is the SQL of the page's figures (five statements); it renders nothing. The
figures are compared with the selectors the page calls, run once before the timing.
"""

from __future__ import annotations

from django.test import Client

from bench import floors
from bench.core import Benchmark
from bench.movement_summary import summary
from reports.selectors import (
    CHAIRMAN,
    SECRETARY,
    _roles,
    _trend_days,
    due_returns,
    movement_report,
    non_local_report,
    non_local_trend,
    vacant_seats,
)
from reports.views import RETURNS_WINDOW


def benchmarks(scenario) -> list[Benchmark]:
    unit, day = scenario.district, scenario.day
    start, end = scenario.term
    days = _trend_days(start, end)
    key_roles = [role.code for role in _roles(day, None)]
    client = Client(HTTP_HOST="localhost")
    client.force_login(scenario.official)
    url = f"/dashboard/?unit={unit.code}&date={day.isoformat()}"

    def figures_of_selectors():
        report = non_local_report(unit=unit, day=day)
        trend = non_local_trend(unit=unit, start=start, end=end)
        returns = due_returns(unit=unit, day=day, within_days=RETURNS_WINDOW)
        vacancies = vacant_seats(unit=unit, day=day, key_only=True)
        return {
            "non_local": {
                f.role_code: (f.units_total, f.units_total - f.vacant, f.non_local)
                for f in report.roles
            },
            "movements": summary(movement_report(unit=unit, start=start, end=end)),
            "trend": {
                (p.day, code): (p.units_total, p.held[code], p.non_local[code])
                for p in trend.points
                for code in (SECRETARY, CHAIRMAN)
            },
            "returns": (returns.due_count, returns.overdue_count),
            "vacancies": (len(vacancies.rows), vacancies.total_vacant),
        }

    def floor():
        non_local = floors.non_local(days=[day], roots=[unit.pk], roles=key_roles)
        trend = floors.non_local(days=days, roots=[unit.pk], roles=[SECRETARY, CHAIRMAN])
        return {
            "non_local": {
                code: non_local.get((day, unit.pk, code), (0, 0, 0)) for code in key_roles
            },
            "movements": floors.movements(unit_id=unit.pk, start=start, end=end),
            "trend": {
                (d, code): trend.get((d, unit.pk, code), (0, 0, 0))
                for d in days
                for code in (SECRETARY, CHAIRMAN)
            },
            "returns": floors.due_returns(unit_id=unit.pk, day=day, within_days=RETURNS_WINDOW),
            "vacancies": floors.vacant_key_seats(unit_id=unit.pk, day=day),
        }

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    expected = figures_of_selectors()
    return [
        Benchmark(
            name="district_dashboard",
            description=f"{url} ({unit.name}), an official of the district",
            app=page,
            floor=floor,
            # The page's figures are the selectors'; they are checked against the floor.
            normalise_app=lambda _response: expected,
            notes="floor: the SQL of the figures, no HTML",
        )
    ]
