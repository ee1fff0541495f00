"""The movement summary of the term (by direction, kind, field, gender and age band) for
the province with the most communes."""

from __future__ import annotations

from collections import Counter

from bench import floors
from bench.core import Benchmark
from reports.selectors import movement_report


def summary(report) -> dict[str, int]:
    counts: Counter = Counter({"total": report.total})
    for row in report.rows:
        counts[f"direction:{row.direction}"] += 1
        counts[f"kind:{row.kind}"] += 1
        counts[f"gender:{row.gender}"] += 1
        if row.field:
            counts[f"field:{row.field}"] += 1
        if row.young:
            counts["young"] += 1
    return {key: count for key, count in counts.items() if count}


def benchmarks(scenario) -> list[Benchmark]:
    unit = scenario.province
    start, end = scenario.term

    return [
        Benchmark(
            name="movement_summary",
            description=f"movements of {unit.name}, {start}–{end}, counted six ways",
            app=lambda: movement_report(unit=unit, start=start, end=end),
            floor=lambda: floors.movements(unit_id=unit.pk, start=start, end=end),
            normalise_app=summary,
        )
    ]
