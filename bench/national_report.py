"""The national non-local report for one date, grouped by province.

The application's path is ``reports.selectors.national_non_local`` (behind
``/api/v1/reports/non-local/national/``): every province of the day, set-based.
"""

from __future__ import annotations

from django.db import connection

from bench import floors
from bench.core import Benchmark, Target, app_median, ratio
from communes.models import PROVINCE_KINDS
from reports.selectors import _roles, national_non_local


def benchmarks(scenario) -> list[Benchmark]:
    day = scenario.day
    roles = [role.code for role in _roles(day, None)]

    def app():
        report = national_non_local(day=day)
        return {
            (day, row.unit.id, code): (row.units_total, row.held[code], row.non_local[code])
            for row in report.provinces
            for code in roles
        }

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM communes_administrativeunit WHERE kind = ANY(%s)"
                " AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)",
                [list(PROVINCE_KINDS), day, day],
            )
            roots = [row[0] for row in cursor.fetchall()]
        return floors.non_local(days=[day], roots=roots, roles=roles)

    return [
        Benchmark(
            name="national_non_local",
            description=f"non-local key cadres on {day}, every province (key roles)",
            app=app,
            floor=floor,
            targets=(
                Target("≤ 50 ms", app_median, 50),
                Target("≤ 2× the SQL floor", ratio, 2, unit="×"),
            ),
        )
    ]
