"""Movements over REST: read in cursor pages with their direction, and the lines of a draft
corrected (PATCH) or removed (DELETE) through ``rotation.services``.

Once the decision is issued its lines are never edited: the API refuses as the admin does.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.tests.factories import CadreFactory
from communes.models import OrganisationKind
from communes.tests.api_support import (
    TOO_BIG,
    assert_refused,
    client_for,
    list_queries,
    records,
)
from communes.tests.factories import OrganisationFactory, PostFactory
from config.api.etags import etag_of
from rotation.models import Decision, Movement, MovementKind
from rotation.services import decision_issue, movement_add

D = datetime.date
API = "/api/v1"
MOVEMENTS = f"{API}/movements/"

pytestmark = pytest.mark.usefixtures("english")


def url(movement) -> str:
    pk = movement if isinstance(movement, int | str) else movement.pk
    return f"{MOVEMENTS}{pk}/"


@pytest.fixture
def draft(world, hr, make_cadre) -> Decision:
    """A draft: Kiên from Tân Sơn to Lê Hồ (line 1), Trực from Lê Hồ to Quế (line 2)."""
    kien = make_cadre(1, full_name="Đinh Hồng Kiên")
    truc = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))
    hr.seat(truc, world.post(0, "people_committee_chairman"), D(2016, 5, 1))
    decision = hr.draft(signed_on=D(2021, 12, 1), number="125-QĐ/HU")
    for cadre, post in (
        (kien, world.post(0, "party_secretary")),
        (truc, world.post(2, "people_committee_chairman")),
    ):
        movement_add(
            decision=decision,
            kind=MovementKind.TRANSFER,
            cadre=cadre,
            to_post=post,
            effective_date=D(2021, 12, 15),
        )
    return decision


def line(decision, position: int) -> Movement:
    return decision.movements.get(position=position)


def guard(decision) -> dict:
    """The ``If-Match`` header of a change to a line: the ETag of its decision as it stands."""
    return {"HTTP_IF_MATCH": etag_of(Decision.objects.get(pk=decision.pk))}


@pytest.fixture
def office(world):
    """A district office with room for every cadre these tests appoint."""
    organisation = OrganisationFactory(
        unit=world.district, kind=OrganisationKind.DEPARTMENT, name="Văn phòng Huyện ủy"
    )
    return PostFactory(organisation=organisation, role="specialist", seats=20)


def appointments(decision, office, count: int) -> list[Movement]:
    """``count`` lines appointing new cadres to ``office``, written in one go (reads only)."""
    first = decision.movements.count() + 1
    return Movement.objects.bulk_create(
        Movement(
            decision=decision,
            position=first + n,
            kind=MovementKind.APPOINTMENT,
            cadre=CadreFactory(hometown=office.organisation.unit),
            to_post=office,
            effective_date=D(2022, 3, 15),
        )
        for n in range(count)
    )


# --------------------------------------------------------------------------- reading


def test_a_movement_is_read_with_its_direction_and_decision(cast, world, draft):
    first = line(draft, 1)

    response = cast.official.get(url(first))

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": first.pk,
        "decision": draft.pk,
        "decision_status": "draft",
        "position": 1,
        "kind": "transfer",
        "cadre": first.cadre_id,
        "cadre_name": "Đinh Hồng Kiên",
        "from_assignment": first.from_assignment_id,
        "from_post": world.post(1, "party_secretary").pk,
        "to_post": world.post(0, "party_secretary").pk,
        "effective_date": "2021-12-15",
        "planned_end": None,
        "concurrent": False,
        "returns_from": None,
        "direction": "commune_to_commune",
        "notes": "",
    }


def test_movements_come_in_cursor_pages_whose_next_link_gives_the_rest(cast, hr, draft, office):
    appointments(draft, office, 5)
    expected = list(Movement.objects.order_by("-id").values_list("id", flat=True))

    seen, pages, link = [], 0, f"{MOVEMENTS}?page_size=3"
    while link:
        response = cast.official.get(link)
        assert response.status_code == 200
        body = response.json()
        assert "count" not in body  # a cursor never counts the whole table
        seen += [row["id"] for row in body["results"]]
        link, pages = body["next"], pages + 1

    assert seen == expected
    assert pages == 3
    back = cast.official.get(cast.official.get(f"{MOVEMENTS}?page_size=3").json()["next"])
    previous = cast.official.get(back.json()["previous"]).json()
    assert [row["id"] for row in previous["results"]] == expected[:3]


def test_a_reader_of_an_area_and_an_administrator_walk_the_same_pages(cast, draft, office):
    appointments(draft, office, 5)
    admin = client_for(get_user_model().objects.create_superuser("admin", password=None))

    def walk(client) -> tuple[list[list[int]], list[str]]:
        pages, sql, link = [], [], f"{MOVEMENTS}?page_size=3"
        while link:
            with CaptureQueriesContext(connection) as captured:
                body = client.get(link).json()
            pages.append([row["id"] for row in body["results"]])
            sql += [
                q["sql"]
                for q in captured.captured_queries
                if 'FROM "rotation_movement"' in q["sql"] and "LIMIT" in q["sql"]
            ]
            link = body["next"]
        return pages, sql

    restricted, restricted_sql = walk(cast.official)
    everything, admin_sql = walk(admin)

    assert restricted == everything  # all the movements are in the official's province
    # The area's rows by the expression (through the unit index), everyone's by the key.
    assert restricted_sql
    assert all('"rotation_movement"."id" + 0' in sql for sql in restricted_sql), restricted_sql
    assert not any("+ 0" in sql for sql in admin_sql)
    # A cursor of one works for the other: the same positions.
    second = cast.official.get(f"{MOVEMENTS}?page_size=3").json()["next"]
    assert [row["id"] for row in admin.get(second).json()["results"]] == everything[1]


def test_page_size_is_bounded(cast, draft, office):
    appointments(draft, office, 501)

    default = cast.official.get(MOVEMENTS).json()
    asked_too_many = cast.official.get(f"{MOVEMENTS}?page_size=100000").json()

    assert len(default["results"]) == 100
    assert len(asked_too_many["results"]) == 500
    assert asked_too_many["next"] is not None


@pytest.mark.parametrize("size", ["0", "-1", "ten", "1.5"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_refused(cast, draft, size):
    response = cast.official.get(f"{MOVEMENTS}?page_size={size}")

    assert_refused(response, 400, "page_size")


def test_a_forged_cursor_is_refused(cast, draft):
    response = cast.official.get(f"{MOVEMENTS}?cursor=not-a-cursor")

    assert_refused(response, 404)


def test_movements_can_be_ordered_by_effective_date(cast, world, hr, draft, make_cadre):
    earlier = hr.move(
        MovementKind.APPOINTMENT, make_cadre(), world.district_posts["head"], D(2020, 1, 1)
    )

    response = cast.official.get(f"{MOVEMENTS}?ordering=effective_date")

    assert next(row["id"] for row in response.json()["results"]) == earlier.pk


def test_unknown_movement_is_not_found(cast, draft):
    for pk in (999_999, TOO_BIG, "abc"):
        assert_refused(cast.official.get(url(pk)), 404)
        assert_refused(cast.hr.patch(url(pk), {"notes": "x"}, format="json"), 404)
        assert_refused(cast.hr.delete(url(pk)), 404)


# --------------------------------------------------------------------------- correcting a draft


def test_hr_staff_correct_a_line_of_a_draft(cast, world, draft):
    first = line(draft, 1)
    stamp = Decision.objects.get(pk=draft.pk).updated_at

    response = cast.hr.patch(
        url(first),
        {"effective_date": "2021-12-20", "notes": " Sửa ngày "},
        format="json",
        **guard(draft),
    )

    assert response.status_code == 200, response.content
    assert (response.json()["effective_date"], response.json()["notes"]) == (
        "2021-12-20",
        "Sửa ngày",
    )
    first.refresh_from_db()
    assert (first.effective_date, first.notes, first.kind) == (
        D(2021, 12, 20),
        "Sửa ngày",
        "transfer",
    )
    # The post left is found again on the new date: still Tân Sơn.
    assert first.from_assignment.post == world.post(1, "party_secretary")
    # The decision changed too: its ETag is no longer the one read before.
    assert Decision.objects.get(pk=draft.pk).updated_at > stamp


def test_hr_staff_move_a_line_to_another_position(cast, draft):
    second = line(draft, 2)

    response = cast.hr.patch(url(second), {"position": 5}, format="json", **guard(draft))

    assert response.status_code == 200, response.content
    second.refresh_from_db()
    assert second.position == 5


def test_hr_staff_remove_a_line_of_a_draft(cast, draft):
    first = line(draft, 1)

    response = cast.hr.delete(url(first), **guard(draft))

    assert response.status_code == 204
    assert list(draft.movements.values_list("position", flat=True)) == [2]
    assert not Movement.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize(
    ("method", "data"), [("patch", {"notes": "Sửa"}), ("delete", None)], ids=["correct", "remove"]
)
def test_a_line_of_an_issued_decision_is_not_edited(cast, draft, method, data):
    decision_issue(decision=draft)
    before = records()

    response = getattr(cast.hr, method)(url(line(draft, 1)), data, format="json", **guard(draft))

    body = assert_refused(response, 400, "status")
    assert "cancel it or record an amending decision" in body["detail"]
    assert records() == before


BAD_CORRECTIONS = {
    "impossible date": ({"effective_date": "2023-02-30"}, "effective_date"),
    "year 9999": ({"effective_date": "9999-12-31"}, "effective_date"),
    "unknown cadre": ({"cadre": TOO_BIG}, "cadre"),
    "id that is a fraction": ({"to_post": 1.5}, "to_post"),
    "line 0": ({"position": 0}, "position"),
    "line of another row": ({"position": 2}, "__all__"),
    "NUL byte in notes": ({"notes": "\u0000"}, "notes"),
    "unknown kind": ({"kind": "promotion"}, "kind"),
    "planned end of a transfer": ({"planned_end": "2024-12-31"}, "planned_end"),
    "before the decision was signed": ({"effective_date": "2021-11-30"}, "effective_date"),
    "a post left not held": ({"from_post": "chairman of Quế"}, "from_post"),
}


@pytest.mark.parametrize(("data", "key"), BAD_CORRECTIONS.values(), ids=BAD_CORRECTIONS.keys())
def test_a_bad_correction_is_refused_and_changes_nothing(cast, world, draft, data, key):
    if data.get("from_post") == "chairman of Quế":
        data = {"from_post": world.post(2, "people_committee_chairman").pk}
    before = records()

    response = cast.hr.patch(url(line(draft, 1)), data, format="json", **guard(draft))

    key = "non_field_errors" if key == "__all__" else key
    assert_refused(response, 400, key)
    assert records() == before


def test_movements_are_not_created_or_replaced_on_their_own(cast, draft):
    """A line is added to its decision (POST /decisions/{id}/movements/), never alone."""
    before = records()

    created = cast.hr.post(MOVEMENTS, {"kind": "transfer"}, format="json")
    replaced = cast.hr.put(url(line(draft, 1)), {"kind": "transfer"}, format="json")

    assert_refused(created, 405)
    assert_refused(replaced, 405)
    assert records() == before


# --------------------------------------------------------------------------- who may do what

ENDPOINTS = {
    "list": ("get", False, None),
    "read": ("get", True, None),
    "correct": ("patch", True, {"notes": "Sửa"}),
    "remove": ("delete", True, None),
}


@pytest.mark.parametrize(("method", "one", "data"), ENDPOINTS.values(), ids=ENDPOINTS.keys())
@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [("anonymous", 401, 401), ("outsider", 403, 403), ("official", 200, 403), ("hr", 200, None)],
)
def test_who_may_read_and_change_movements(cast, draft, method, one, data, who, reads, writes):
    path = url(line(draft, 1)) if one else MOVEMENTS
    before = records()

    response = getattr(getattr(cast, who), method)(path, data, format="json", **guard(draft))

    expected = reads if method == "get" else writes
    if expected is None:  # HR staff: the change is made
        assert response.status_code in (200, 204), response.content
        return
    if expected == 200:
        assert response.status_code == 200
    else:
        assert_refused(response, expected)
    assert records() == before


# --------------------------------------------------------------------------- queries


def test_listing_movements_runs_the_same_queries_for_n_and_3n_movements(
    cast, world, hr, make_cadre, office
):
    def issue(count):
        decision = hr.draft(signed_on=D(2022, 3, 1))
        for _ in range(count):
            movement_add(
                decision=decision,
                kind=MovementKind.APPOINTMENT,
                cadre=make_cadre(),
                to_post=office,
                effective_date=D(2022, 3, 15),
            )
        decision_issue(decision=decision)

    issue(2)
    few = list_queries(cast.official_user, MOVEMENTS)
    issue(4)
    many = list_queries(cast.official_user, MOVEMENTS)

    # 1. the user's permissions, 2. their groups' permissions, 3-4. the user's area
    # (administrator?, its units), 5. the page of movements with cadre, decision, post
    # left, direction and reported role.
    assert len(few) == len(many) == 5, many


# --------------------------------------------------------------------------- ETag of a line


def test_a_line_carries_the_etag_of_its_decision(cast, draft):
    response = cast.official.get(url(line(draft, 1)))

    assert response.status_code == 200
    assert response["ETag"] == etag_of(Decision.objects.get(pk=draft.pk))


@pytest.mark.parametrize(
    ("method", "data"), [("patch", {"notes": "Sửa"}), ("delete", None)], ids=["correct", "remove"]
)
def test_changing_a_line_needs_the_current_etag_of_its_decision(cast, draft, method, data):
    first = line(draft, 1)
    read = etag_of(Decision.objects.get(pk=draft.pk))
    # Another office adds a note to line 2 meanwhile: the decision's ETag changes.
    second = cast.hr.patch(url(line(draft, 2)), {"notes": "Đã xem"}, format="json", **guard(draft))
    assert second.status_code == 200
    before = records()

    missing = getattr(cast.hr, method)(url(first), data, format="json")
    stale = getattr(cast.hr, method)(url(first), data, format="json", HTTP_IF_MATCH=read)

    assert_refused(missing, 428)
    assert_refused(stale, 412)
    assert records() == before


def test_a_corrected_line_answers_the_new_etag_of_its_decision(cast, draft):
    response = cast.hr.patch(url(line(draft, 1)), {"notes": "Sửa"}, format="json", **guard(draft))

    assert response.status_code == 200
    assert response["ETag"] == etag_of(Decision.objects.get(pk=draft.pk))
