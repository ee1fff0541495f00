"""The quarterly non-local series of the term (the overview's line chart), for the province
with the most communes."""

from __future__ import annotations

from bench import floors
from bench.core import Benchmark, Target, app_median
from reports.selectors import CHAIRMAN, SECRETARY, _trend_days, non_local_trend


def benchmarks(scenario) -> list[Benchmark]:
    unit = scenario.province
    start, end = scenario.term
    roles = [SECRETARY, CHAIRMAN]
    # The days are the question, not the work: the floor is given the same ones.
    days = _trend_days(start, end)

    def app():
        trend = non_local_trend(unit=unit, start=start, end=end, role_codes=roles)
        return {
            (point.day, unit.pk, code): (
                point.units_total,
                point.held[code],
                point.non_local[code],
            )
            for point in trend.points
            for code in roles
        }

    def floor():
        return floors.non_local(days=days, roots=[unit.pk], roles=roles)

    def normalise_floor(table):
        # A day without any commune-level unit has no row in the floor.
        return {
            (day, unit.pk, code): table.get((day, unit.pk, code), (0, 0, 0))
            for day in days
            for code in roles
        }

    return [
        Benchmark(
            name="quarterly_trend",
            description=(
                f"non-local secretaries and chairmen of {unit.name} at each quarter's end, "
                f"{start}–{end} ({len(days)} days)"
            ),
            app=app,
            floor=floor,
            normalise_floor=normalise_floor,
            targets=(Target("≤ 1 s", app_median, 1000),),
        )
    ]
