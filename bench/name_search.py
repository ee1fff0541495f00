"""Diacritic-free name search: ``GET /api/v1/cadres/?q=nguyen+van`` (numbered pages of 50,
with their count), for an API client of the largest province and for an administrator."""

from __future__ import annotations

import datetime

from django.test import Client
from rest_framework.authtoken.models import Token

from bench import floors
from bench.core import Benchmark, Target, app_median
from communes.text import fold

URL = "/api/v1/cadres/"
QUERY = "nguyen van"
PAGE = 50


def benchmarks(scenario) -> list[Benchmark]:
    admin_token, _created = Token.objects.get_or_create(user=scenario.admin)
    readers = [
        (
            "name_search_province",
            scenario.api_token,
            scenario.api_client.pk,
            scenario.province.name,
        ),
        ("name_search_national", admin_token.key, None, "an administrator (every area)"),
    ]
    words = fold(QUERY).split()
    result = []
    for name, token, user_id, who in readers:
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")

        def app(client=client):
            response = client.get(URL, {"q": QUERY})
            assert response.status_code == 200, response.content[:300]
            data = response.json()
            return data["count"], [
                (row["full_name"], datetime.date.fromisoformat(row["date_of_birth"]))
                for row in data["results"]
            ]

        def floor(user_id=user_id):
            return floors.name_search(words=words, user_id=user_id, size=PAGE)

        result.append(
            Benchmark(
                name=name,
                description=f"{URL}?q={QUERY.replace(' ', '+')} by {who}",
                app=app,
                floor=floor,
                normalise_app=lambda value: (value[0], [(fold(n), born) for n, born in value[1]]),
                targets=(Target("≤ 20 ms", app_median, 20),),
            )
        )
    return result
