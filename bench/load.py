"""The load run: gunicorn with the production settings, locust in front of it.

For the assignments list (first page) and the non-local report of the district, at each
number of clients: requests per second and the 50th, 95th and 99th percentiles of the
response times, from locust's CSV statistics. Everything runs on this machine, locust
included: its own CPU is taken from the server's.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def wait_ready(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def locust(user_class: str, users: int, seconds: int, host: str, env: dict, prefix: str) -> dict:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        prefix,
        "--loglevel",
        "WARNING",
        user_class,
    ]
    done = subprocess.run(
        command, cwd=ROOT, env={**os.environ, **env}, check=False, capture_output=True, text=True
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next(r for r in csv.DictReader(stats) if r["Name"] == "Aggregated")
    if not int(row["Request Count"]):
        raise SystemExit(
            f"locust completed no request:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "mean_ms": float(row["Average Response Time"]),
    }


def load(args) -> int:
    from rest_framework.authtoken.models import Token

    from bench.scenario import Scenario

    scenario = Scenario.build()
    admin_token, _created = Token.objects.get_or_create(user=scenario.admin)
    paths = {
        "AssignmentsUser": (
            f"assignments list, API client of {scenario.province.name}",
            "/api/v1/assignments/",
        ),
        "AdminAssignmentsUser": ("assignments list, administrator", "/api/v1/assignments/"),
        "ReportUser": (
            f"non-local report of {scenario.district.name}",
            f"/api/v1/reports/non-local/?unit={scenario.district.code}&date={scenario.day}",
        ),
    }
    env = {
        "BENCH_TOKEN": scenario.api_token,
        "BENCH_ADMIN_TOKEN": admin_token.key,
        "BENCH_ASSIGNMENTS_PATH": paths["AssignmentsUser"][1],
        "BENCH_REPORT_PATH": paths["ReportUser"][1],
    }
    workers = os.environ.get("WEB_CONCURRENCY", "2")
    print(
        f"gunicorn ({workers} workers, production settings, a fresh server for each run); "
        f"locust, no think time, {args.seconds} s per run\n"
    )
    rows, errors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for user_class, (label, path) in paths.items():
            for users in args.users:
                # A fresh server for each run: the requests a run leaves queued (a slow page
                # at 32 clients) would otherwise be served during the next one.
                port = free_port()
                host = f"http://127.0.0.1:{port}"
                with open(Path(tmp) / f"gunicorn_{user_class}_{users}.log", "w+") as log:
                    server = start_server(port, log)
                    try:
                        wait_ready(host + "/api/v1/schema/")
                        stats = locust(
                            user_class,
                            users,
                            args.seconds,
                            host,
                            env,
                            f"{tmp}/{user_class}_{users}",
                        )
                    finally:
                        server.terminate()
                        server.wait(timeout=60)
                        log.seek(0)
                        errors += [line for line in log if "Traceback" in line or "ERROR" in line]
                rows.append({"endpoint": label, "path": path, "clients": users, **stats})
                print(
                    f"  {label:<44} {users:>3} clients: {stats['rps']:7.1f} req/s, "
                    f"p50 {stats['p50_ms']:5.0f} ms, p95 {stats['p95_ms']:5.0f} ms, "
                    f"p99 {stats['p99_ms']:5.0f} ms, {stats['failures']} failed",
                    flush=True,
                )
    print()
    if errors:
        print(f"gunicorn logged {len(errors)} errors, e.g. {errors[0].strip()}", file=sys.stderr)
    for row in rows:
        if row["endpoint"].startswith("assignments") and row["clients"] == 8:
            met = row["p95_ms"] <= 50
            print(
                f"Target p95 ≤ 50 ms at 8 clients ({row['endpoint']}): {row['p95_ms']:.0f} ms, "
                + ("met" if met else f"MISSED by {row['p95_ms'] - 50:.0f} ms")
            )
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "workers": workers,
                "seconds": args.seconds,
                "load_average": os.getloadavg(),
                "runs": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"Written: {out}")
    return 1 if any(row["failures"] for row in rows) else 0
