"""``python -m bench {run,fill,load}``: see bench/__init__.py and docs/PERFORMANCE.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    # Timings with debugging on would measure the debug machinery: off unless asked.
    os.environ.setdefault("DEBUG", "false")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "The benchmarks need PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            f"(now {url or 'unset, i.e. SQLite'})."
        )
    import django

    django.setup()


def fmt(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def print_table(results: list) -> None:
    header = (
        f"{'benchmark':<30} {'app ms':>9} {'p95':>9} {'app db':>9} {'q':>4} "
        f"{'floor ms':>9} {'p95':>8} {'ratio':>7}  targets"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        targets = "; ".join(
            f"{t['target']}: {'met' if t['met'] else 'MISSED by ' + fmt(t['over_by']) + ' ' + t['unit']}"
            for t in r.targets
        )
        print(
            f"{r.name:<30} {fmt(r.app.median_ms):>9} {fmt(r.app.p95_ms):>9} "
            f"{fmt(r.app.db_median_ms):>9} {r.app.queries:>4} {fmt(r.floor.median_ms):>9} "
            f"{fmt(r.floor.p95_ms):>8} {r.ratio:>6.1f}×  {targets or '-'}"
        )


def data_size() -> dict[str, int]:
    from django.db import connection

    tables = [
        "communes_administrativeunit",
        "communes_unitsuccession",
        "communes_organisation",
        "communes_post",
        "cadres_cadre",
        "cadres_localityoverride",
        "rotation_decision",
        "rotation_movement",
        "rotation_assignment",
    ]
    with connection.cursor() as cursor:
        sizes = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")
            sizes[table] = cursor.fetchone()[0]
    return sizes


def machine() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "max_connections"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    memory = ""
    try:
        with open("/proc/meminfo") as meminfo:
            memory = meminfo.readline().split(":")[1].strip()
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "postgresql": version,
        "postgresql_settings": settings,
        "load_average": os.getloadavg(),
    }


def run(args) -> int:
    setup_django()
    from bench import (
        assignments_api,
        district_dashboard,
        movement_summary,
        name_search,
        national_report,
        trend,
    )
    from bench.core import Mismatch
    from bench.scenario import Scenario

    modules = [
        national_report,
        trend,
        movement_summary,
        assignments_api,
        name_search,
        district_dashboard,
    ]
    scenario = Scenario.build()
    sizes = data_size()
    print("Data: " + ", ".join(f"{k.split('_', 1)[1]} {v:,}" for k, v in sizes.items()))
    print(f"Scenario: {scenario.describe()}")
    print(f"Each: {args.warmup} warm-up runs, then {args.repeat} runs of app and floor in turn.\n")
    results = []
    for module in modules:
        for benchmark in module.benchmarks(scenario):
            if args.only and not any(name in benchmark.name for name in args.only):
                continue
            started = time.perf_counter()
            try:
                result = benchmark.run(repeat=args.repeat, warmup=args.warmup)
            except Mismatch as error:
                print(f"MISMATCH {error}", file=sys.stderr)
                return 1
            print(
                f"  {benchmark.name}: {benchmark.description} "
                f"[{time.perf_counter() - started:.1f} s]",
                flush=True,
            )
            results.append(result)
    print()
    print_table(results)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "data": sizes,
        "scenario": scenario.describe(),
        "repeat": args.repeat,
        "results": [r.to_dict() for r in results],
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False))
    print(f"\nWritten: {out}")
    missed = [t for r in results for t in r.targets if not t["met"]]
    print(
        f"Targets: {sum(len(r.targets) for r in results) - len(missed)} met, {len(missed)} missed."
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="every benchmark beside its SQL floor")
    run_parser.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", 15)))
    run_parser.add_argument("--warmup", type=int, default=2)
    run_parser.add_argument("--only", nargs="*", help="benchmarks whose name contains one of these")
    run_parser.add_argument("--json", default=str(RESULTS / "latest.json"))
    commands.add_parser(
        "fill", help="fill an empty database; other options go to generate_synthetic"
    )
    load_parser = commands.add_parser("load", help="locust against gunicorn, 8 and 32 clients")
    load_parser.add_argument("--users", type=int, nargs="*", default=[8, 32])
    load_parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("BENCH_LOAD_SECONDS", 30))
    )
    load_parser.add_argument("--json", default=str(RESULTS / "load.json"))
    args, extra = parser.parse_known_args()
    if extra and args.command != "fill":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "run":
        return run(args)
    if args.command == "fill":
        setup_django()
        from bench.fill import fill

        return fill(extra)
    setup_django()
    from bench.load import load

    return load(args)


if __name__ == "__main__":
    sys.exit(main())
