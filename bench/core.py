"""The harness: time the application's path and its SQL floor side by side, in one run.

Each benchmark gives the application's path (a selector, or a request through Django's
test client with a logged-in user of the right area) and a floor: hand-written SQL that
computes the same result as directly as the database allows. Both are run interleaved
(app, floor, app, floor…) after a warm-up, their results are compared (a mismatch stops
the run: a fast wrong answer proves nothing), and for each we keep wall time, database
time (the sum of the durations of the queries, timed by ``connection.execute_wrapper``)
and the number of queries.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection


class Mismatch(AssertionError):
    """The application and the floor disagree: the benchmark measures nothing."""


class QueryTimer:
    """Counts the queries run on the default connection and sums their durations."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


@dataclass
class Sample:
    wall: float
    db: float
    queries: int


def measure(fn: Callable[[], Any]) -> tuple[Any, Sample]:
    timer = QueryTimer()
    with connection.execute_wrapper(timer):
        start = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - start
    return result, Sample(wall=wall, db=timer.seconds, queries=timer.count)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (exact over the samples; no interpolation)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Stats:
    median_ms: float
    p95_ms: float
    db_median_ms: float
    db_p95_ms: float
    queries: int  # the same in every run, else the largest

    @classmethod
    def of(cls, samples: list[Sample]) -> Stats:
        walls = [s.wall * 1000 for s in samples]
        dbs = [s.db * 1000 for s in samples]
        return cls(
            median_ms=statistics.median(walls),
            p95_ms=percentile(walls, 0.95),
            db_median_ms=statistics.median(dbs),
            db_p95_ms=percentile(dbs, 0.95),
            queries=max(s.queries for s in samples),
        )


@dataclass(frozen=True)
class Target:
    """``metric(result) <= limit``; ``unit`` is what the limit is in (ms, ×, queries)."""

    label: str
    metric: Callable[[Result], float]
    limit: float
    unit: str = "ms"


@dataclass
class Result:
    name: str
    description: str
    app: Stats
    floor: Stats
    targets: list[dict] = field(default_factory=list)
    notes: str = ""

    @property
    def ratio(self) -> float:
        return self.app.median_ms / self.floor.median_ms if self.floor.median_ms else float("inf")

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "app": vars(self.app),
            "floor": vars(self.floor),
            "ratio": round(self.ratio, 2),
            "targets": self.targets,
            "notes": self.notes,
        }


def as_is(value: Any) -> Any:
    return value


@dataclass
class Benchmark:
    """One benchmark: ``app`` and ``floor`` return comparable values (after ``normalise``)."""

    name: str
    description: str
    app: Callable[[], Any]
    floor: Callable[[], Any]
    targets: tuple[Target, ...] = ()
    normalise_app: Callable[[Any], Any] = as_is
    normalise_floor: Callable[[Any], Any] = as_is
    notes: str = ""

    def run(self, *, repeat: int, warmup: int) -> Result:
        app_value = self.normalise_app(self.app())
        floor_value = self.normalise_floor(self.floor())
        if app_value != floor_value:
            raise Mismatch(f"{self.name}: {describe_difference(app_value, floor_value)}")
        for _ in range(warmup):
            self.app()
            self.floor()
        app_samples, floor_samples = [], []
        for _ in range(repeat):
            app_samples.append(measure(self.app)[1])
            floor_samples.append(measure(self.floor)[1])
        result = Result(
            name=self.name,
            description=self.description,
            app=Stats.of(app_samples),
            floor=Stats.of(floor_samples),
            notes=self.notes,
        )
        for target in self.targets:
            value = target.metric(result)
            result.targets.append(
                {
                    "target": target.label,
                    "limit": target.limit,
                    "unit": target.unit,
                    "value": round(value, 2),
                    "met": value <= target.limit,
                    "over_by": round(max(0.0, value - target.limit), 2),
                }
            )
        return result


def describe_difference(app: Any, floor: Any) -> str:
    if isinstance(app, dict) and isinstance(floor, dict):
        keys = sorted(set(app) | set(floor), key=str)
        diffs = [
            f"{key!r}: app {app.get(key)!r} floor {floor.get(key)!r}"
            for key in keys
            if app.get(key) != floor.get(key)
        ]
        return f"{len(diffs)} differences, e.g. " + "; ".join(diffs[:5])
    return f"app {str(app)[:300]} != floor {str(floor)[:300]}"


# Targets shared by several benchmarks.
def app_median(result: Result) -> float:
    return result.app.median_ms


def app_db_p95(result: Result) -> float:
    return result.app.db_p95_ms


def ratio(result: Result) -> float:
    return result.ratio
