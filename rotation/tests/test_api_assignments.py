"""Assignments and Party terms over REST.

Who held what on a day (``?as_of``), a post held before the records began (POST), and a
post ended without a movement (POST /assignments/{id}/end/), through ``rotation.services``.
"""

import datetime

import pytest

from communes.tests.api_support import TOO_BIG, assert_refused, list_queries, records
from rotation.models import Assignment, MovementKind, Term
from rotation.services import decision_cancel

D = datetime.date
API = "/api/v1"
ASSIGNMENTS = f"{API}/assignments/"
TERMS = f"{API}/terms/"

pytestmark = pytest.mark.usefixtures("english")


def url(assignment, action: str = "") -> str:
    pk = assignment if isinstance(assignment, int | str) else assignment.pk
    return f"{ASSIGNMENTS}{pk}/{action}"


@pytest.fixture
def kien(world, make_cadre):
    return make_cadre(1, full_name="Đinh Hồng Kiên")


@pytest.fixture
def held(world, hr, kien):
    """Kiên, Party secretary of Tân Sơn from 2015, transferred to Lê Hồ on 15/12/2021."""
    hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))
    return hr.move(MovementKind.TRANSFER, kien, world.post(0, "party_secretary"), D(2021, 12, 15))


@pytest.fixture
def terms(db):
    return [
        Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30)),
        Term.objects.create(name="2015–2020", start=D(2015, 10, 1), end=D(2020, 9, 30)),
    ]


# --------------------------------------------------------------------------- reading


def test_assignments_held_on_a_day(cast, world, held):
    before = cast.official.get(f"{ASSIGNMENTS}?as_of=2021-12-14").json()["results"]
    after = cast.official.get(f"{ASSIGNMENTS}?as_of=2021-12-15").json()["results"]

    assert [(a["post"], a["start_date"], a["end_date"]) for a in before] == [
        (world.post(1, "party_secretary").pk, "2015-10-01", "2021-12-14")
    ]
    assert [(a["post"], a["start_date"], a["end_date"]) for a in after] == [
        (world.post(0, "party_secretary").pk, "2021-12-15", None)
    ]
    assert after[0] == {
        **after[0],
        "cadre_name": "Đinh Hồng Kiên",
        "post_title": "Party secretary – Đảng ủy Lê Hồ",
        "unit": world.communes[0].pk,
        "role_code": "party_secretary",
        "seat": 1,
        "principal": True,
        "opened_by": held.pk,
        "closed_by": None,
        "is_void": False,
    }


def test_a_cancelled_decision_leaves_void_assignments_that_no_day_counts(cast, world, held):
    decision_cancel(decision=held.decision, reason="Quyết định 130-QĐ/HU")

    on_the_day = cast.official.get(f"{ASSIGNMENTS}?as_of=2022-01-01").json()["results"]
    void = cast.official.get(f"{ASSIGNMENTS}?void=true").json()["results"]

    assert [a["post"] for a in on_the_day] == [world.post(1, "party_secretary").pk]
    assert [(a["post"], a["is_void"]) for a in void] == [
        (world.post(0, "party_secretary").pk, True)
    ]


def test_an_assignment_is_read_by_its_id(cast, held):
    opened = held.opened_assignments.get()

    response = cast.official.get(url(opened))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["opened_by"]) == (opened.pk, held.pk)


def test_a_malformed_day_is_refused(cast, held):
    assert_refused(cast.official.get(f"{ASSIGNMENTS}?as_of=2023-02-30"), 400, "as_of")


# --------------------------------------------------------------------------- recording


def test_hr_staff_record_a_post_held_before_the_records_began(cast, world, kien):
    response = cast.hr.post(
        ASSIGNMENTS,
        {"cadre": kien.pk, "post": world.post(1, "party_secretary").pk, "start_date": "2015-10-01"},
        format="json",
    )

    assert response.status_code == 201, response.content
    stored = Assignment.objects.get()
    assert response.json()["id"] == stored.pk
    assert (stored.cadre, stored.post, stored.start_date, stored.end_date) == (
        kien,
        world.post(1, "party_secretary"),
        D(2015, 10, 1),
        None,
    )
    assert (stored.principal, stored.seat, stored.opened_by) == (True, 1, None)


def test_hr_staff_record_a_concurrent_post_that_has_ended(cast, world, hr, kien):
    hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))

    response = cast.hr.post(
        ASSIGNMENTS,
        {
            "cadre": kien.pk,
            "post": world.post(1, "people_committee_chairman").pk,
            "start_date": "2016-01-01",
            "end_date": "2019-12-31",
            "principal": False,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    stored = Assignment.objects.get(pk=response.json()["id"])
    assert (stored.principal, stored.end_date) == (False, D(2019, 12, 31))


def test_hr_staff_end_a_post_without_a_movement(cast, world, hr, kien):
    seat = hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))

    response = cast.hr.post(
        url(seat, "end/"), {"end_date": "2022-06-30", "reason": "Nghỉ hưu"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert (response.json()["end_date"], response.json()["end_reason"]) == (
        "2022-06-30",
        "Nghỉ hưu",
    )
    seat.refresh_from_db()
    assert (seat.end_date, seat.end_reason, seat.closed_by) == (D(2022, 6, 30), "Nghỉ hưu", None)


def record(world, kien, **changes) -> dict:
    return {
        "cadre": kien.pk,
        "post": world.post(1, "party_secretary").pk,
        "start_date": "2015-10-01",
        **changes,
    }


BAD_RECORDS = {
    "unknown cadre": ({"cadre": TOO_BIG}, "cadre"),
    "id that is a fraction": ({"post": 1.5}, "post"),
    "no post": ({"post": None}, "post"),
    "impossible date": ({"start_date": "2023-02-30"}, "start_date"),
    "year 9999": ({"start_date": "9999-01-01"}, "start_date"),
    "ends before it starts": ({"end_date": "2015-09-30"}, "end_date"),
    "yes-or-no that is neither": ({"principal": "maybe"}, "principal"),
    "post of a unit that did not exist yet": ({"start_date": "2005-01-01"}, "post"),
}


@pytest.mark.parametrize(("change", "key"), BAD_RECORDS.values(), ids=BAD_RECORDS.keys())
def test_a_bad_record_is_refused_and_writes_nothing(cast, world, kien, change, key):
    before = records()

    response = cast.hr.post(ASSIGNMENTS, record(world, kien, **change), format="json")

    assert_refused(response, 400, key)
    assert records() == before


def test_recording_a_holder_of_a_full_post_is_refused(cast, world, hr, kien, make_cadre):
    hr.seat(make_cadre(1, full_name="Trần Văn Sơn"), world.post(1, "party_secretary"))
    before = records()

    response = cast.hr.post(ASSIGNMENTS, record(world, kien), format="json")

    body = assert_refused(response, 400, "post")
    assert "already held by Trần Văn Sơn" in body["errors"]["post"][0]
    assert records() == before


def test_recording_a_second_principal_post_is_refused(cast, world, hr, kien):
    hr.seat(kien, world.post(0, "people_committee_chairman"), D(2014, 1, 1))
    before = records()

    response = cast.hr.post(ASSIGNMENTS, record(world, kien), format="json")

    assert_refused(response, 400, "principal")
    assert records() == before


END_REFUSALS = {
    "no reason": ({"end_date": "2022-06-30"}, "reason"),
    "blank reason": ({"end_date": "2022-06-30", "reason": "  "}, "reason"),
    "no end date": ({"reason": "Nghỉ hưu"}, "end_date"),
    "impossible date": ({"end_date": "2022-02-30", "reason": "Nghỉ hưu"}, "end_date"),
    "before it started": ({"end_date": "2015-09-30", "reason": "Nghỉ hưu"}, "end_date"),
    "over-long reason": ({"end_date": "2022-06-30", "reason": "x" * 201}, "reason"),
    "NUL byte in reason": ({"end_date": "2022-06-30", "reason": "\u0000"}, "reason"),
}


@pytest.mark.parametrize(("data", "key"), END_REFUSALS.values(), ids=END_REFUSALS.keys())
def test_a_bad_end_is_refused_and_writes_nothing(cast, world, hr, kien, data, key):
    seat = hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))
    before = records()

    response = cast.hr.post(url(seat, "end/"), data, format="json")

    assert_refused(response, 400, key)
    assert records() == before


def test_an_assignment_is_not_ended_twice(cast, held):
    closed = held.from_assignment
    before = records()

    response = cast.hr.post(
        url(closed, "end/"), {"end_date": "2022-06-30", "reason": "Nghỉ hưu"}, format="json"
    )

    body = assert_refused(response, 400, "end_date")
    assert "already ended on 14/12/2021" in body["detail"]
    assert records() == before


def test_a_void_assignment_is_not_ended(cast, held):
    decision_cancel(decision=held.decision, reason="Quyết định 130-QĐ/HU")
    void = held.opened_assignments.get()
    before = records()

    response = cast.hr.post(
        url(void, "end/"), {"end_date": "2022-06-30", "reason": "Nghỉ hưu"}, format="json"
    )

    assert_refused(response, 400, "assignment")
    assert records() == before


def test_unknown_assignment_is_not_found(cast, held):
    for pk in (999_999, TOO_BIG, "abc"):
        assert_refused(cast.official.get(url(pk)), 404)
        assert_refused(
            cast.hr.post(url(pk, "end/"), {"end_date": "2022-06-30", "reason": "x"}, format="json"),
            404,
        )


def test_assignments_are_not_edited_or_deleted_by_hand(cast, held):
    """Assignments change through movements, records and ends: never PATCH or DELETE."""
    opened = held.opened_assignments.get()
    before = records()

    assert_refused(cast.hr.patch(url(opened), {"end_date": "2022-01-01"}, format="json"), 405)
    assert_refused(cast.hr.delete(url(opened)), 405)
    assert records() == before


# --------------------------------------------------------------------------- terms


def test_terms_are_listed_in_order(cast, terms):
    response = cast.official.get(TERMS)

    assert response.status_code == 200
    assert [(t["name"], t["start"], t["end"]) for t in response.json()["results"]] == [
        ("2015–2020", "2015-10-01", "2020-09-30"),
        ("2020–2025", "2020-10-01", "2025-09-30"),
    ]


def test_a_term_is_read_by_its_id(cast, terms):
    response = cast.official.get(f"{TERMS}{terms[0].pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": terms[0].pk,
        "name": "2020–2025",
        "start": "2020-10-01",
        "end": "2025-09-30",
    }
    assert_refused(cast.official.get(f"{TERMS}{TOO_BIG}/"), 404)


def test_terms_are_read_only(cast, terms):
    before = records()

    created = cast.hr.post(TERMS, {"name": "2025–2030"}, format="json")
    changed = cast.hr.patch(f"{TERMS}{terms[0].pk}/", {"name": "x"}, format="json")

    assert_refused(created, 405)
    assert_refused(changed, 405)
    assert records() == before
    assert Term.objects.count() == 2


# --------------------------------------------------------------------------- who may do what

ENDPOINTS = {
    "list assignments": ("get", ASSIGNMENTS, None),
    "read an assignment": ("get", "assignment", None),
    "record": ("post", ASSIGNMENTS, "record"),
    "end": ("post", "end", {"end_date": "2022-06-30", "reason": "Nghỉ hưu"}),
    "list terms": ("get", TERMS, None),
    "read a term": ("get", "term", None),
}


@pytest.mark.parametrize(("method", "path", "data"), ENDPOINTS.values(), ids=ENDPOINTS.keys())
@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [("anonymous", 401, 401), ("outsider", 403, 403), ("official", 200, 403), ("hr", 200, 201)],
)
def test_who_may_read_and_write_assignments_and_terms(
    cast, world, hr, kien, terms, make_cadre, method, path, data, who, reads, writes
):
    seat = hr.seat(make_cadre(2), world.post(2, "party_secretary"), D(2015, 10, 1))
    path = {
        "assignment": url(seat),
        "end": url(seat, "end/"),
        "term": f"{TERMS}{terms[0].pk}/",
    }.get(path, path)
    if data == "record":
        data = record(world, kien)
    before = records()

    response = getattr(getattr(cast, who), method)(path, data, format="json")

    expected = reads if method == "get" else writes
    if who == "hr" and path.endswith("end/"):
        expected = 200
    if expected in (200, 201):
        assert response.status_code == expected, response.content
    else:
        assert_refused(response, expected)
        assert records() == before


# --------------------------------------------------------------------------- queries


def seat_many(world, hr, make_cadre, first: int, count: int) -> None:
    """``count`` holders of past posts, one year each, a post of each kind and unit."""
    posts = [
        post for (_, role), post in world.posts.items() if role != "finance_accounting_officer"
    ]
    for n in range(first, first + count):
        post = posts[n % len(posts)]
        start = D(2010 + n // len(posts), 1, 1)
        hr.seat(make_cadre(n % 3), post, start, end_date=start.replace(month=12, day=31))


def test_listing_assignments_runs_the_same_queries_for_n_and_3n_assignments(
    cast, world, hr, make_cadre
):
    seat_many(world, hr, make_cadre, 0, 4)
    few = list_queries(cast.official_user, ASSIGNMENTS)
    seat_many(world, hr, make_cadre, 4, 8)
    many = list_queries(cast.official_user, ASSIGNMENTS)

    # 1. the user's permissions, 2. their groups' permissions, 3-4. the user's area
    # (administrator?, its units), 5. the page of assignments with cadre, post, role and
    # organisation.
    assert len(few) == len(many) == 5, many


def test_listing_terms_runs_the_same_queries_for_n_and_3n_terms(cast):
    def make_terms(first: int, count: int) -> None:
        for n in range(first, first + count):
            start = D(1960 + 5 * n, 10, 1)
            Term.objects.create(
                name=f"{start.year}–{start.year + 5}", start=start, end=D(start.year + 5, 9, 30)
            )

    make_terms(0, 2)
    few = list_queries(cast.official_user, TERMS)
    make_terms(2, 4)
    many = list_queries(cast.official_user, TERMS)

    # 1. the user's permissions, 2. their groups' permissions, 3. the count of terms,
    # 4. the page of terms.
    assert len(few) == len(many) == 4, many
