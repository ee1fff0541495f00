"""The first and a deep page of ``GET /api/v1/assignments/`` for an API client of the
largest province (cursor pages of 100, newest first), as a client sees them: token,
area rule, filters, serializer, JSON."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.test import Client
from rest_framework.authtoken.models import Token

from access.areas import visible_units_of
from bench import floors
from bench.core import Benchmark, Target, app_db_p95
from rotation.models import Assignment

URL = "/api/v1/assignments/"
PAGE = 100


def cursor_at(before_id: int) -> str:
    """DRF's cursor for the page after the row ``before_id`` (ordering ``-id``)."""
    return base64.b64encode(urlencode({"p": str(before_id)}).encode()).decode()


def benchmarks(scenario) -> list[Benchmark]:
    admin_token, _created = Token.objects.get_or_create(user=scenario.admin)
    readers = [
        ("", scenario.api_token, scenario.api_client.pk, f"API client of {scenario.province.name}"),
        ("_admin", admin_token.key, None, "administrator"),
    ]
    result = []
    for suffix, token, user_id, who in readers:
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
        rows = Assignment.objects.order_by("-id")
        if user_id is not None:
            _bound, visible, _above = visible_units_of(user_id)
            rows = rows.filter(unit__in=visible)
        total = rows.count()
        depth = max(total // 2, 1)
        deep = rows.values_list("id", flat=True)[depth - 1 : depth].first()
        cases = [(f"assignments_first_page{suffix}", None, "first page")]
        if deep:
            cases.append(
                (
                    f"assignments_deep_page{suffix}",
                    deep,
                    f"page at row {depth:,} of {total:,} (page {depth // PAGE + 1:,})",
                )
            )
        for name, before, label in cases:

            def app(client=client, before=before):
                params = {"cursor": cursor_at(before)} if before else {}
                response = client.get(URL, params)
                assert response.status_code == 200, response.content[:300]
                return [row["id"] for row in response.json()["results"]]

            def floor(user_id=user_id, before=before):
                return floors.assignments_page(user_id=user_id, before=before, size=PAGE)

            result.append(
                Benchmark(
                    name=name,
                    description=f"{URL} {label}, {who}",
                    app=app,
                    floor=floor,
                    targets=(Target("≤ 20 ms of database time (p95)", app_db_p95, 20),),
                )
            )
    return result
