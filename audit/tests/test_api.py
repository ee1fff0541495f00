"""The history over REST: ``GET /api/v1/<resource>/{id}/history/`` for every resource, who
may read it, what an entry says, and the reason a client gives with ``X-Change-Reason``."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.context import REASON_MAX_LENGTH, recording
from cadres.services import locality_override_set
from communes.models import AdministrativeUnit, Role
from communes.services import unit_update
from communes.tests.api_support import (
    assert_refused,
    client_for,
    list_queries,
    make_cast,
    records,
    user_with,
)
from communes.tests.factories import ProvinceFactory
from rotation.models import MovementKind, Term
from rotation.services import movement_add

D = datetime.date
API = "/api/v1"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cast(world):
    return make_cast(area=[world.province])


@pytest.fixture
def one_of_each(world, hr, make_cadre) -> dict[str, object]:
    """A record of every resource, by the first segment of its path."""
    cadre = make_cadre(0, full_name="Đinh Hồng Kiên")
    assignment = hr.seat(cadre, world.post(1, "party_secretary"), D(2015, 10, 1))
    decision = hr.draft(signed_on=D(2024, 1, 2))
    movement = movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(0),
        to_post=world.district_posts["head"],
        effective_date=D(2024, 1, 2),
    )
    override = locality_override_set(
        cadre=cadre, unit=world.communes[0], is_local=True, reason="Lớn lên ở xã này từ nhỏ"
    )
    return {
        "units": world.communes[0],
        "organisations": world.body,
        "roles": Role.objects.get(code="party_secretary"),
        "posts": world.post(0, "party_secretary"),
        "cadres": cadre,
        "locality-overrides": override,
        "decisions": decision,
        "movements": movement,
        "assignments": assignment,
        "terms": Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30)),
    }


def history_url(resource: str, record) -> str:
    return f"{API}/{resource}/{record.pk}/history/"


RESOURCES = [
    "units",
    "organisations",
    "roles",
    "posts",
    "cadres",
    "locality-overrides",
    "decisions",
    "movements",
    "assignments",
    "terms",
]


@pytest.mark.parametrize("resource", RESOURCES)
def test_who_may_read_the_history_of_a_record(cast, one_of_each, resource):
    url = history_url(resource, one_of_each[resource])

    assert_refused(cast.anonymous.get(url), 401)
    assert_refused(cast.outsider.get(url), 403)
    response = cast.official.get(url)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert body["count"] >= 1
    # Every record was created through the services: its oldest entry says so.
    assert body["results"][-1]["type"] == "created"


@pytest.mark.parametrize("resource", ["units", "cadres", "decisions", "assignments"])
def test_the_history_of_a_record_outside_the_area_is_unknown(world, one_of_each, resource):
    elsewhere = ProvinceFactory(code="36", name="Nam Định")
    reader = user_with(
        "reader.elsewhere",
        "communes.view_administrativeunit",
        "cadres.view_cadre",
        "rotation.view_decision",
        "rotation.view_assignment",
        area=[elsewhere],
    )

    response = client_for(reader).get(history_url(resource, one_of_each[resource]))

    assert_refused(response, 404)


def test_an_unknown_record_has_no_history(cast):
    assert_refused(cast.official.get(f"{API}/units/999999/history/"), 404)


def test_an_entry_says_who_when_from_where_why_and_what_changed(world, hr_user):
    unit = world.communes[0]
    token = Token.objects.create(user=hr_user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.patch(
        f"{API}/units/{unit.pk}/",
        {"name": "Lê Hồ B"},
        format="json",
        HTTP_X_CHANGE_REASON=quote("Sai tên, xem công văn 12/CV"),
        HTTP_X_REQUEST_ID="req-42",
    )
    assert response.status_code == 200, response.content[:300]

    body = client.get(history_url("units", unit)).json()
    newest = body["results"][0]
    assert newest["type"] == "changed"
    assert newest["user"] == {"id": hr_user.pk, "username": hr_user.username}
    assert newest["reason"] == "Sai tên, xem công văn 12/CV"
    assert newest["request"] == {
        "method": "PATCH",
        "path": f"{API}/units/{unit.pk}/",
        "ip_address": "127.0.0.1",
        "request_id": "req-42",
        "command": "",
    }
    assert newest["changes"] == [{"field": "name", "before": "Lê Hồ", "after": "Lê Hồ B"}]
    created = body["results"][-1]
    assert created["type"] == "created"
    assert {c["field"]: c["after"] for c in created["changes"]}["valid_from"] == "2010-01-01"
    assert {c["before"] for c in created["changes"]} == {None}


def test_a_reason_in_utf_8_is_read_as_sent(world, cast):
    unit = world.communes[1]
    reason = "Đính chính tên đơn vị"
    # What a client sending UTF-8 as is (curl -H) puts on the wire, as the server reads it.
    on_the_wire = reason.encode("utf-8").decode("latin-1")

    response = cast.hr.patch(
        f"{API}/units/{unit.pk}/", {"name": "Tân Sơn B"}, format="json",
        HTTP_X_CHANGE_REASON=on_the_wire,
    )  # fmt: skip

    assert response.status_code == 200
    assert unit.history.first().history_change_reason == reason


@pytest.mark.parametrize(
    "reason",
    ["x" * (REASON_MAX_LENGTH + 1), quote("a\u0000b"), quote("dòng 1\u0007")],
    ids=["too long", "NUL", "bell"],
)
def test_a_reason_that_cannot_be_kept_is_refused_and_nothing_is_written(world, cast, reason):
    unit = world.communes[1]
    before = records()

    response = cast.hr.patch(
        f"{API}/units/{unit.pk}/", {"name": "Tân Sơn B"}, format="json",
        HTTP_X_CHANGE_REASON=reason,
    )  # fmt: skip

    assert_refused(response, 400, "X-Change-Reason")
    assert records() == before


def test_a_reason_is_kept_for_every_record_a_workflow_step_changes(world, hr, cast, make_cadre):
    cadre = make_cadre(0)
    hr.seat(cadre, world.district_posts["specialist"])
    decision = hr.draft(signed_on=D(2021, 12, 20))
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(0, "party_secretary"),
        effective_date=D(2022, 1, 1),
    )
    etag = cast.hr.get(f"{API}/decisions/{decision.pk}/")["ETag"]

    response = cast.hr.post(
        f"{API}/decisions/{decision.pk}/issue/",
        HTTP_IF_MATCH=etag,
        HTTP_X_CHANGE_REASON="Ban hành theo kết luận 15-KL/HU",
    )

    assert response.status_code == 200, response.content[:300]
    assignments = cadre.assignments.order_by("start_date")
    rows = [decision.history.first(), *(a.history.first() for a in assignments)]
    assert {row.history_change_reason for row in rows} == {"Ban hành theo kết luận 15-KL/HU"}
    assert {row.history_user for row in rows} == {cast.hr_user}
    assert {row.request_id for row in rows} == {rows[0].request_id}


def test_the_history_runs_the_same_queries_for_n_and_3n_entries(world, cast, hr_user):
    unit = world.communes[2]
    url = history_url("units", unit)

    def correct(times: int) -> None:
        with recording(user=hr_user):
            for index in range(times):
                unit_update(unit=unit, name=f"Quế {index}-{times}")

    correct(4)
    few = list_queries(cast.official_user, url)
    correct(8)
    many = list_queries(cast.official_user, url)

    assert AdministrativeUnit.history.filter(id=unit.pk).count() == 1 + 4 + 8
    # The user's groups and permissions, the area, the unit with its links, the count, the
    # page of entries with their users: the same whatever the number of entries.
    assert len(many) == len(few), many


def test_a_page_of_history_says_what_its_last_entry_changed(world, cast, hr_user):
    unit = world.communes[2]
    with recording(user=hr_user):
        unit_update(unit=unit, name="Quế A")
        unit_update(unit=unit, name="Quế B")

    body = cast.official.get(history_url("units", unit) + "?page_size=1&page=2").json()

    assert body["count"] == 3
    assert [e["changes"] for e in body["results"]] == [
        [{"field": "name", "before": "Quế", "after": "Quế A"}]
    ]


def test_the_identification_number_is_masked_for_readers_who_may_not_see_it(world, make_cadre):
    cadre = make_cadre(0, gender="male", date_of_birth=D(1975, 5, 1), personal_id="035075001234")
    reader = user_with("reader.cadres", "cadres.view_cadre", area=[world.province])
    hr_reader = user_with(
        "reader.hr", "cadres.view_cadre", "cadres.view_personal_id", area=[world.province]
    )

    def shown(user) -> str:
        body = client_for(user).get(history_url("cadres", cadre)).json()
        created = body["results"][-1]
        return {c["field"]: c["after"] for c in created["changes"]}["personal_id"]

    assert shown(hr_reader) == "035075001234"
    assert shown(reader).endswith("234")
    assert "035075" not in shown(reader)


def test_the_schema_documents_the_history_and_the_reason_of_every_write(client):
    document = client.get(f"{API}/schema/?format=json").json()
    writes = 0
    for resource in RESOURCES:
        history = document["paths"][f"{API}/{resource}/{{id}}/history/"]["get"]
        assert {"200", "401", "403", "404"} <= set(history["responses"])
        assert {p["name"] for p in history["parameters"]} >= {"id", "page", "page_size"}
        for path, operations in document["paths"].items():
            if not path.startswith(f"{API}/{resource}/"):
                continue
            for method, operation in operations.items():
                if method not in ("post", "put", "patch", "delete"):
                    continue
                names = {p["name"] for p in operation.get("parameters", [])}
                assert "X-Change-Reason" in names, (method, path)
                assert "400" in operation["responses"], (method, path)
                writes += 1
    assert writes
