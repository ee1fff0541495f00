"""Load run: N clients, each asking again as soon as it has its answer (no think time).

Run by ``python -m bench load`` (which starts gunicorn and sets the environment):
BENCH_TOKEN is an API client's token, BENCH_ADMIN_TOKEN an administrator's;
BENCH_ASSIGNMENTS_PATH and BENCH_REPORT_PATH are the addresses asked. Pick the user class on
the command line: AssignmentsUser, AdminAssignmentsUser or ReportUser.
"""

from __future__ import annotations

import os

from locust import FastHttpUser, constant, task

HEADERS = {
    "Authorization": f"Token {os.environ.get('BENCH_TOKEN', '')}",
    "Accept": "application/json",
}


class AssignmentsUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def assignments(self):
        self.client.get(
            os.environ.get("BENCH_ASSIGNMENTS_PATH", "/api/v1/assignments/"),
            headers=HEADERS,
            name="assignments list",
        )


class AdminAssignmentsUser(FastHttpUser):
    """The same list read by an administrator: every area, no area filter."""

    wait_time = constant(0)

    @task
    def assignments(self):
        self.client.get(
            os.environ.get("BENCH_ASSIGNMENTS_PATH", "/api/v1/assignments/"),
            headers={
                **HEADERS,
                "Authorization": f"Token {os.environ.get('BENCH_ADMIN_TOKEN', '')}",
            },
            name="assignments list (administrator)",
        )


class ReportUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def report(self):
        self.client.get(
            os.environ.get("BENCH_REPORT_PATH", "/api/v1/reports/non-local/"),
            headers=HEADERS,
            name="non-local report",
        )
