"""The national non-local report for one date, grouped by province.

The application has a report per unit (``reports.selectors.non_local_report``, behind the
dashboard, ``manage.py report`` and ``/api/v1/reports/non-local/``), not a national one:
the national table is what an administrator gets by asking it for each province of the
day, which is what the application's path does here.
"""

from __future__ import annotations

from django.db import connection

from bench import floors
from bench.core import Benchmark, Target, app_median, ratio
from communes.models import PROVINCE_KINDS, AdministrativeUnit
from reports.selectors import _roles, non_local_report


def benchmarks(scenario) -> list[Benchmark]:
    day = scenario.day
    roles = [role.code for role in _roles(day, None)]

    def provinces():
        return list(
            AdministrativeUnit.objects.valid_on(day)
            .filter(kind__in=PROVINCE_KINDS)
            .order_by("code")
        )

    def app():
        table = {}
        for province in provinces():
            report = non_local_report(unit=province, day=day)
            for figure in report.roles:
                table[(day, province.pk, figure.role_code)] = (
                    figure.units_total,
                    figure.units_total - figure.vacant,
                    figure.non_local,
                )
        return table

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
