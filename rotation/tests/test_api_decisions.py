"""Decisions over REST, as another system records them: a draft with its lines in one
request, corrected, issued, cancelled or deleted, each change carrying the ETag last read.

Every write goes through ``rotation.services``: the tests assert the status, then the
stored records; a refusal has the shape {detail, code, errors} and writes nothing.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from communes.models import OrganisationKind
from communes.tests.api_support import (
    TOO_BIG,
    assert_refused,
    client_for,
    list_queries,
    records,
    user_with,
)
from communes.tests.factories import OrganisationFactory, PostFactory
from config.api.errors import django_errors
from config.api.etags import etag_of
from conftest import bind_area
from rotation.management.commands.demo_accounts import hr_group
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind
from rotation.services import decision_issue, movement_add

D = datetime.date
API = "/api/v1"
REASON = "Quyết định 130-QĐ/HU ngày 20/12/2021 hủy bỏ quyết định này"

pytestmark = pytest.mark.usefixtures("english")


def url(decision=None, action: str = "") -> str:
    if decision is None:
        return f"{API}/decisions/"
    pk = decision if isinstance(decision, int | str) else decision.pk
    return f"{API}/decisions/{pk}/{action}"


def line(cadre, to_post, day: str = "2021-12-15", kind: str = "transfer", **extra) -> dict:
    return {"kind": kind, "cadre": cadre.pk, "to_post": to_post.pk, "effective_date": day, **extra}


def etag(client, decision) -> str:
    """The ETag a client reads before changing the decision."""
    response = client.get(url(decision))
    assert response.status_code == 200
    return response["ETag"]


def holders(post, day) -> list[str]:
    return sorted(a.cadre.full_name for a in Assignment.objects.as_of(day).filter(post=post))


@pytest.fixture
def kien(world, hr, make_cadre):
    """Đinh Hồng Kiên, Party secretary of Tân Sơn since 2015."""
    cadre = make_cadre(1, full_name="Đinh Hồng Kiên")
    hr.seat(cadre, world.post(1, "party_secretary"), D(2015, 10, 1))
    return cadre


@pytest.fixture
def truc(world, hr, make_cadre):
    """Nguyễn Trung Trực, People's Committee chairman of Lê Hồ since 2016."""
    cadre = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(cadre, world.post(0, "people_committee_chairman"), D(2016, 5, 1))
    return cadre


@pytest.fixture
def payload(world, kien, truc) -> dict:
    """Decision 125-QĐ/HU: Kiên to Party secretary of Lê Hồ, Trực to chairman of Quế."""
    return {
        "number": "125-QĐ/HU",
        "signed_on": "2021-12-01",
        "issuing_body": world.body.pk,
        "signer": "Nguyễn Văn Chính, Bí thư Huyện ủy",
        "summary": "Điều động cán bộ chủ chốt cấp xã",
        "movements": [
            line(kien, world.post(0, "party_secretary")),
            line(truc, world.post(2, "people_committee_chairman")),
        ],
    }


@pytest.fixture
def draft(cast, payload) -> Decision:
    """125-QĐ/HU, created as a draft through the API."""
    response = cast.hr.post(url(), payload, format="json")
    assert response.status_code == 201, response.content
    return Decision.objects.get(pk=response.json()["id"])


@pytest.fixture
def issued(draft) -> Decision:
    return decision_issue(decision=draft)


@pytest.fixture
def rotation(world, hr, make_cadre) -> Movement:
    """A district specialist rotated for 36 months to chairman of Tân Sơn in 2018."""
    official = make_cadre(0, full_name="Trần Văn Luân")
    hr.seat(official, world.district_posts["specialist"], D(2014, 5, 1))
    return hr.move(
        MovementKind.ROTATION,
        official,
        world.post(1, "people_committee_chairman"),
        D(2018, 6, 1),
        planned_end=D(2021, 5, 31),
    )


# --------------------------------------------------------------------------- a draft


def test_hr_staff_create_a_draft_with_two_movements_in_one_request(
    cast, world, payload, kien, truc
):
    response = cast.hr.post(url(), payload, format="json")

    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    assert response["ETag"] == etag_of(decision)
    body = response.json()
    assert (body["id"], body["number"], body["status"]) == (decision.pk, "125-QĐ/HU", "draft")
    assert body["issuing_body_name"] == "Ban Thường vụ Huyện ủy Kim Bảng"
    assert [(m["position"], m["cadre_name"], m["direction"]) for m in body["movements"]] == [
        (1, "Đinh Hồng Kiên", "commune_to_commune"),
        (2, "Nguyễn Trung Trực", "commune_to_commune"),
    ]
    stored = decision.movements.order_by("position")
    chairman = "people_committee_chairman"
    assert [(m.position, m.cadre, m.to_post, m.from_assignment.post) for m in stored] == [
        (1, kien, world.post(0, "party_secretary"), world.post(1, "party_secretary")),
        (2, truc, world.post(2, chairman), world.post(0, chairman)),
    ]
    assert (decision.status, decision.signer) == (DecisionStatus.DRAFT, payload["signer"])
    # A draft orders nothing yet: every post is held as before.
    assert not Assignment.objects.filter(end_date__isnull=False).exists()
    assert holders(world.post(0, "party_secretary"), D(2022, 1, 1)) == []


def test_a_draft_may_be_created_without_lines(cast, world):
    response = cast.hr.post(
        url(),
        {
            "number": "7-QĐ/HU",
            "signed_on": "2021-12-01",
            "issuing_body": world.body.pk,
            "signer": "Bí thư Huyện ủy",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["movements"] == []
    assert Decision.objects.get().movements.count() == 0


def test_hr_staff_add_a_line_to_a_draft_with_the_etag_they_read(cast, world, hr, make_cadre, draft):
    mai = make_cadre(2, full_name="Đỗ Thị Mai")
    hr.seat(mai, world.post(2, "party_secretary"), D(2017, 1, 1))
    read = etag(cast.hr, draft)

    response = cast.hr.post(
        url(draft, "movements/"),
        line(mai, world.post(1, "party_secretary")),
        format="json",
        HTTP_IF_MATCH=read,
    )

    assert response.status_code == 201, response.content
    assert (response.json()["position"], response.json()["cadre_name"]) == (3, "Đỗ Thị Mai")
    draft.refresh_from_db()
    assert response["ETag"] == etag_of(draft) != read
    assert list(draft.movements.order_by("position").values_list("cadre", flat=True))[2] == mai.pk


def test_hr_staff_add_the_return_of_a_rotated_cadre(cast, world, hr, rotation):
    decision = hr.draft(signed_on=D(2021, 5, 20))
    in_commune = rotation.opened_assignments.get()

    response = cast.hr.post(
        url(decision, "returns/"),
        {"rotation": rotation.pk, "effective_date": "2021-06-01", "notes": "Hết thời hạn"},
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, decision),
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["returns_from"], body["position"]) == ("return", rotation.pk, 1)
    assert (body["direction"], body["notes"]) == ("commune_to_district", "Hết thời hạn")
    back = Movement.objects.get(pk=body["id"])
    assert (back.from_assignment, back.to_post) == (in_commune, world.district_posts["specialist"])

    decision_issue(decision=decision)
    assert holders(world.district_posts["specialist"], D(2021, 6, 1)) == ["Trần Văn Luân"]


def test_hr_staff_correct_the_header_of_a_draft(cast, draft):
    read = etag(cast.hr, draft)

    response = cast.hr.patch(
        url(draft), {"number": "126-QĐ/HU", "summary": ""}, format="json", HTTP_IF_MATCH=read
    )

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert response["ETag"] == etag_of(draft) != read
    assert (draft.number, draft.summary, draft.signer) == (
        "126-QĐ/HU",
        "",
        "Nguyễn Văn Chính, Bí thư Huyện ủy",
    )
    assert response.json()["number"] == "126-QĐ/HU"
    assert draft.movements.count() == 2


def test_hr_staff_replace_the_whole_header_of_a_draft(cast, world, draft):
    response = cast.hr.put(
        url(draft),
        {
            "number": "127-QĐ/HU",
            "signed_on": "2021-12-02",
            "issuing_body": world.body.pk,
            "signer": "Phó Bí thư Thường trực",
        },
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, draft),
    )

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.number, draft.signed_on, draft.signer, draft.summary) == (
        "127-QĐ/HU",
        D(2021, 12, 2),
        "Phó Bí thư Thường trực",
        "",
    )


def test_hr_staff_delete_a_draft_with_its_lines(cast, draft):
    response = cast.hr.delete(url(draft), HTTP_IF_MATCH=etag(cast.hr, draft))

    assert response.status_code == 204
    assert not Decision.objects.exists()
    assert not Movement.objects.exists()


# --------------------------------------------------------------------------- issue, cancel


def test_issuing_closes_the_posts_left_and_opens_the_posts_taken(cast, world, draft, kien, truc):
    read = etag(cast.hr, draft)
    left = {m.cadre_id: m.from_assignment for m in draft.movements.all()}

    response = cast.hr.post(url(draft, "issue/"), HTTP_IF_MATCH=read)

    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert response["ETag"] == etag_of(draft) != read
    body = response.json()
    assert (body["status"], body["issued_by"]) == ("issued", cast.hr_user.username)
    assert (draft.status, draft.issued_by) == (DecisionStatus.ISSUED, cast.hr_user)
    for cadre in (kien, truc):
        left[cadre.pk].refresh_from_db()
        assert left[cadre.pk].end_date == D(2021, 12, 14)
        assert left[cadre.pk].closed_by.decision == draft
    assert holders(world.post(0, "party_secretary"), D(2021, 12, 15)) == ["Đinh Hồng Kiên"]
    assert holders(world.post(2, "people_committee_chairman"), D(2021, 12, 15)) == [
        "Nguyễn Trung Trực"
    ]
    assert holders(world.post(1, "party_secretary"), D(2021, 12, 15)) == []


def test_cancelling_undoes_the_effects_and_keeps_the_record(cast, world, issued, kien):
    read = etag(cast.hr, issued)

    response = cast.hr.post(
        url(issued, "cancel/"), {"reason": REASON}, format="json", HTTP_IF_MATCH=read
    )

    assert response.status_code == 200, response.content
    issued.refresh_from_db()
    assert response["ETag"] == etag_of(issued) != read
    assert (response.json()["status"], response.json()["cancelled_by"]) == (
        "cancelled",
        cast.hr_user.username,
    )
    assert (issued.status, issued.cancellation_reason) == (DecisionStatus.CANCELLED, REASON)
    opened = Assignment.objects.filter(opened_by__decision=issued)
    assert [a.is_void for a in opened] == [True, True]
    assert holders(world.post(1, "party_secretary"), D(2022, 1, 1)) == ["Đinh Hồng Kiên"]
    assert holders(world.post(0, "party_secretary"), D(2022, 1, 1)) == []
    assert issued.movements.count() == 2


# --------------------------------------------------------------------------- reading


def test_decisions_are_listed_newest_first_with_their_movements_and_direction(
    cast, world, hr, draft, rotation
):
    response = cast.official.get(url())

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [d["number"] for d in body["results"]] == ["125-QĐ/HU", rotation.decision.number]
    rotated = body["results"][1]["movements"]
    assert [(m["position"], m["kind"], m["direction"]) for m in rotated] == [
        (1, "rotation", "district_to_commune")
    ]
    assert [m["cadre_name"] for m in body["results"][0]["movements"]] == [
        "Đinh Hồng Kiên",
        "Nguyễn Trung Trực",
    ]


def test_a_decision_is_read_with_its_etag(cast, draft):
    response = cast.official.get(url(draft))

    assert response.status_code == 200
    assert response["ETag"] == etag_of(draft)
    assert response.json()["id"] == draft.pk
    assert len(response.json()["movements"]) == 2


# --------------------------------------------------------------------------- refusals


def test_issue_refused_when_a_post_is_full_names_the_line_and_writes_nothing(
    cast, world, hr, make_cadre, kien, refused
):
    hr.seat(make_cadre(0, full_name="Lê Thị Hồ"), world.post(0, "party_secretary"))
    decision = hr.draft(signed_on=D(2021, 12, 1))
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        effective_date=D(2021, 12, 15),
    )
    before = records()

    response = cast.hr.post(url(decision, "issue/"), HTTP_IF_MATCH=etag(cast.hr, decision))

    body = assert_refused(response, 400, "movements.1.to_post")
    assert body["code"] == "invalid"
    assert records() == before
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    # The same errors, word for word, as the service gives the admin.
    assert body["errors"] == django_errors(refused(decision_issue, decision=decision).error)
    assert body["detail"] == body["errors"]["movements.1.to_post"][0]


def test_a_line_breaking_a_rule_refuses_the_whole_request(cast, world, payload, refused):
    payload["movements"][1].update(kind="rotation", planned_end="2022-12-31")
    before = records()

    response = cast.hr.post(url(), payload, format="json")

    body = assert_refused(response, 400, "movements.2.planned_end")
    assert set(body["errors"]) == {"movements.2.planned_end"}
    assert "at least 36 months" in body["errors"]["movements.2.planned_end"][0]
    assert records() == before


def test_every_line_breaking_a_rule_is_named_in_one_answer(cast, world, payload, truc):
    payload["movements"][0]["effective_date"] = "2021-11-30"  # before the decision was signed
    payload["movements"][1]["planned_end"] = "2022-12-31"  # a transfer has no planned end
    before = records()

    response = cast.hr.post(url(), payload, format="json")

    body = assert_refused(response, 400)
    assert set(body["errors"]) == {"movements.1.effective_date", "movements.2.planned_end"}
    assert records() == before


def test_errors_about_the_post_left_are_keyed_by_the_field_sent(cast, world, make_cadre, payload):
    """The service finds the assignment left from ``from_post``: its errors go there."""
    newcomer = make_cadre(full_name="Hoàng Văn Mới")  # holds no post: nothing to leave
    payload["movements"][1].update(cadre=newcomer.pk)
    before = records()

    response = cast.hr.post(url(), payload, format="json")

    body = assert_refused(response, 400, "movements.2.from_post")
    assert "Hoàng Văn Mới holds no post on 15/12/2021" in body["detail"]
    assert records() == before


def test_a_line_added_to_a_draft_gets_the_same_errors_as_in_the_create_request(
    cast, world, make_cadre, draft
):
    newcomer = make_cadre(full_name="Hoàng Văn Mới")
    before = records()

    response = cast.hr.post(
        url(draft, "movements/"),
        line(newcomer, world.district_posts["head"], from_post=world.post(2, "party_secretary").pk),
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, draft),
    )

    body = assert_refused(response, 400, "from_post")
    assert (
        body["detail"] == "Hoàng Văn Mới does not hold Party secretary – Đảng ủy Quế on 15/12/2021."
    )
    assert records() == before


def header_with(**changes):
    return lambda body: body.update(changes)


def line_with(**changes):
    return lambda body: body["movements"][1].update(changes)


BAD_INPUT = {
    # what is wrong: (change to the request, the key of ``errors``)
    "unknown cadre id": (line_with(cadre=999_999), "movements.2.cadre"),
    "id past the largest integer": (line_with(cadre=TOO_BIG), "movements.2.cadre"),
    "id that is a fraction": (line_with(cadre=1.5), "movements.2.cadre"),
    "id that is a name": (line_with(cadre="Nguyễn Trung Trực"), "movements.2.cadre"),
    "id that is true": (line_with(to_post=True), "movements.2.to_post"),
    "unknown post id": (line_with(to_post=TOO_BIG - 1), "movements.2.to_post"),
    "no post taken": (line_with(to_post=None), "movements.2.to_post"),
    "impossible date": (line_with(effective_date="2023-02-30"), "movements.2.effective_date"),
    "date as dd/mm/yyyy": (line_with(effective_date="15/12/2021"), "movements.2.effective_date"),
    "year 9999": (
        line_with(kind="rotation", effective_date="9999-06-01", planned_end="9999-12-31"),
        "movements.2.effective_date",
    ),
    "unknown kind": (line_with(kind="promotion"), "movements.2.kind"),
    "yes-or-no that is neither": (line_with(concurrent="maybe"), "movements.2.concurrent"),
    "NUL byte in notes": (line_with(notes="Ghi chú\u0000"), "movements.2.notes"),
    "unknown rotation returned from": (line_with(returns_from=TOO_BIG), "movements.2.returns_from"),
    "NUL byte in number": (header_with(number="125\u0000-QĐ/HU"), "number"),
    "NUL byte in signer": (header_with(signer="\u0000"), "signer"),
    "over-long number": (header_with(number="1" * 51), "number"),
    "unknown issuing body": (header_with(issuing_body=TOO_BIG), "issuing_body"),
    "impossible signing date": (header_with(signed_on="2023-02-30"), "signed_on"),
    "lines that are not a list": (header_with(movements={"kind": "transfer"}), "movements"),
    "a line that is not an object": (
        lambda body: body["movements"].append("transfer"),
        "movements.3",
    ),
}


@pytest.mark.parametrize(("change", "key"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_in_the_create_request_is_refused_and_creates_nothing(cast, payload, change, key):
    change(payload)
    before = records()

    response = cast.hr.post(url(), payload, format="json")

    body = assert_refused(response, 400, key)
    assert body["code"] == "invalid"
    assert records() == before
    assert not Decision.objects.exists()


def test_a_decision_of_more_than_200_lines_is_refused_before_any_line_is_read(
    cast, payload, django_assert_max_num_queries
):
    payload["movements"] = payload["movements"][:1] * 201
    before = records()

    with django_assert_max_num_queries(5):
        response = cast.hr.post(url(), payload, format="json")

    body = assert_refused(response, 400, "movements")
    assert "200" in body["errors"]["movements"][0]
    assert records() == before


def test_issuing_a_decision_dated_in_the_future_is_refused(cast, hr, draft, refused):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Decision.objects.filter(pk=draft.pk).update(signed_on=tomorrow)
    before = records()

    response = cast.hr.post(url(draft, "issue/"), HTTP_IF_MATCH=etag(cast.hr, draft))

    body = assert_refused(response, 400, "signed_on")
    assert records() == before
    assert body["errors"] == django_errors(refused(decision_issue, decision=draft).error)


def test_issuing_a_decision_without_lines_is_refused(cast, hr):
    empty = hr.draft(signed_on=D(2021, 12, 1))
    before = records()

    response = cast.hr.post(url(empty, "issue/"), HTTP_IF_MATCH=etag(cast.hr, empty))

    body = assert_refused(response, 400, "movements")
    assert body["detail"] == "A decision orders at least one movement; add one before issuing."
    assert records() == before


def test_a_body_that_is_not_json_is_refused(cast):
    response = cast.hr.post(url(), "number=1", content_type="application/x-www-form-urlencoded")

    assert_refused(response, 415)
    assert not Decision.objects.exists()


ACTIONS_ON_ONE = [
    ("get", ""),
    ("put", ""),
    ("patch", ""),
    ("delete", ""),
    ("post", "issue/"),
    ("post", "cancel/"),
    ("post", "movements/"),
    ("post", "returns/"),
]


def test_unknown_decision_is_not_found(cast, draft, subtests):
    before = records()

    for method, action in ACTIONS_ON_ONE:
        for pk in (999_999, TOO_BIG, "abc"):
            with subtests.test(f"{method.upper()} /decisions/{pk}/{action}"):
                client = getattr(cast.hr, method)

                response = client(url(pk, action), {}, format="json", HTTP_IF_MATCH="*")

                assert_refused(response, 404)
                assert response.json()["code"] == "not_found"
    assert records() == before


def test_issuing_an_issued_decision_is_refused(cast, issued):
    before = records()

    response = cast.hr.post(url(issued, "issue/"), HTTP_IF_MATCH=etag(cast.hr, issued))

    body = assert_refused(response, 400, "status")
    assert "can no longer be changed" in body["detail"]
    assert records() == before


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["missing", "empty", "blank"])
def test_cancelling_without_a_reason_is_refused(cast, issued, reason):
    before = records()

    response = cast.hr.post(
        url(issued, "cancel/"),
        {} if reason is None else {"reason": reason},
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, issued),
    )

    assert_refused(response, 400, "reason")
    assert records() == before
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.ISSUED


def test_a_draft_is_deleted_not_cancelled(cast, draft):
    before = records()

    response = cast.hr.post(
        url(draft, "cancel/"), {"reason": REASON}, format="json", HTTP_IF_MATCH=etag(cast.hr, draft)
    )

    body = assert_refused(response, 400, "status")
    assert "A draft can simply be deleted." in body["detail"]
    assert records() == before


@pytest.mark.parametrize(
    ("method", "action", "data"),
    [
        ("patch", "", {"summary": "Sửa"}),
        ("delete", "", None),
        ("post", "movements/", "line"),
    ],
    ids=["header", "delete", "add line"],
)
def test_an_issued_decision_is_not_edited(cast, world, make_cadre, issued, method, action, data):
    if data == "line":
        data = line(make_cadre(), world.district_posts["head"], kind="appointment")
    before = records()

    response = getattr(cast.hr, method)(
        url(issued, action), data, format="json", HTTP_IF_MATCH=etag(cast.hr, issued)
    )

    body = assert_refused(response, 400, "status")
    assert "cancel it or record an amending decision" in body["detail"]
    assert records() == before


def test_a_return_from_a_post_never_held_by_rotation_is_refused(cast, hr, draft):
    """A transfer is not a rotation: there is nothing to return from."""
    transfer = draft.movements.get(position=1)
    decision_issue(decision=draft)
    later = hr.draft(signed_on=D(2022, 6, 1))
    before = records()

    response = cast.hr.post(
        url(later, "returns/"),
        {"rotation": transfer.pk, "effective_date": "2022-06-15"},
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, later),
    )

    body = assert_refused(response, 400, "rotation")
    assert body["detail"] == "A return ends a rotation or a secondment, not a transfer."
    assert records() == before


# --------------------------------------------------------------------------- ETag, If-Match

CHANGES = {
    "correct the header": ("patch", "", {"summary": "Sửa trích yếu"}),
    "replace the header": ("put", "", "header"),
    "delete": ("delete", "", None),
    "issue": ("post", "issue/", None),
    "add a line": ("post", "movements/", "line"),
}


def request_data(data, world, make_cadre):
    if data == "header":
        return {
            "number": "9-QĐ/HU",
            "signed_on": "2021-12-01",
            "issuing_body": world.body.pk,
            "signer": "Bí thư Huyện ủy",
        }
    if data == "line":
        return line(make_cadre(), world.district_posts["head"], kind="appointment")
    return data


@pytest.mark.parametrize(("method", "action", "data"), CHANGES.values(), ids=CHANGES.keys())
def test_a_change_without_if_match_is_refused_with_428(
    cast, world, make_cadre, draft, method, action, data
):
    data = request_data(data, world, make_cadre)
    before = records()

    response = getattr(cast.hr, method)(url(draft, action), data, format="json")

    body = assert_refused(response, 428)
    assert (body["code"], "errors" in body) == ("precondition_required", False)
    assert "If-Match" in body["detail"]
    assert records() == before


@pytest.mark.parametrize(("method", "action", "data"), CHANGES.values(), ids=CHANGES.keys())
def test_a_change_with_a_stale_etag_is_refused_with_412(
    cast, world, make_cadre, draft, method, action, data
):
    data = request_data(data, world, make_cadre)
    stale = etag(cast.hr, draft)
    # Meanwhile another office corrects the summary.
    other = cast.hr.patch(url(draft), {"summary": "Đã sửa"}, format="json", HTTP_IF_MATCH=stale)
    assert other.status_code == 200
    before = records()

    response = getattr(cast.hr, method)(
        url(draft, action), data, format="json", HTTP_IF_MATCH=stale
    )

    assert_refused(response, 412)
    assert response.json()["code"] == "precondition_failed"
    assert records() == before


def test_cancelling_needs_the_current_etag(cast, issued):
    stale = etag(cast.hr, issued)
    before = records()

    missing = cast.hr.post(url(issued, "cancel/"), {"reason": REASON}, format="json")
    wrong = cast.hr.post(
        url(issued, "cancel/"), {"reason": REASON}, format="json", HTTP_IF_MATCH='"0000"'
    )

    assert_refused(missing, 428)
    assert_refused(wrong, 412)
    assert records() == before
    current = cast.hr.post(
        url(issued, "cancel/"), {"reason": REASON}, format="json", HTTP_IF_MATCH=stale
    )
    assert current.status_code == 200


def test_adding_a_return_needs_the_current_etag(cast, hr, rotation):
    decision = hr.draft(signed_on=D(2021, 5, 20))
    data = {"rotation": rotation.pk, "effective_date": "2021-06-01"}
    before = records()

    assert_refused(cast.hr.post(url(decision, "returns/"), data, format="json"), 428)
    assert_refused(
        cast.hr.post(url(decision, "returns/"), data, format="json", HTTP_IF_MATCH='"x"'), 412
    )
    assert records() == before


def test_each_change_gives_a_new_etag_that_the_next_change_needs(cast, draft):
    first = etag(cast.hr, draft)

    changed = cast.hr.patch(url(draft), {"summary": "Một"}, format="json", HTTP_IF_MATCH=first)
    again = cast.hr.patch(url(draft), {"summary": "Hai"}, format="json", HTTP_IF_MATCH=first)
    then = cast.hr.patch(
        url(draft), {"summary": "Hai"}, format="json", HTTP_IF_MATCH=changed["ETag"]
    )

    assert changed.status_code == 200
    assert changed["ETag"] != first
    assert_refused(again, 412)
    assert then.status_code == 200
    draft.refresh_from_db()
    assert draft.summary == "Hai"


def test_if_match_accepts_one_of_several_etags_or_any(cast, draft):
    listed = cast.hr.patch(
        url(draft),
        {"summary": "Một"},
        format="json",
        HTTP_IF_MATCH=f'"stale", {etag(cast.hr, draft)}',
    )
    star = cast.hr.patch(url(draft), {"summary": "Hai"}, format="json", HTTP_IF_MATCH="*")

    assert (listed.status_code, star.status_code) == (200, 200)


def test_a_line_changed_elsewhere_makes_the_decision_etag_stale(cast, draft):
    """Correcting or removing a line changes the decision: its ETag changes too."""
    read = etag(cast.hr, draft)
    first = draft.movements.get(position=1)

    corrected = cast.hr.patch(
        f"{API}/movements/{first.pk}/", {"notes": "Sửa"}, format="json", HTTP_IF_MATCH=read
    )

    assert corrected.status_code == 200
    assert_refused(cast.hr.post(url(draft, "issue/"), HTTP_IF_MATCH=read), 412)
    assert etag(cast.hr, draft) != read


# --------------------------------------------------------------------------- who may do what

ENDPOINTS = {
    "list": ("get", None, "", None),
    "read": ("get", "draft", "", None),
    "create": ("post", None, "", "payload"),
    "replace header": ("put", "draft", "", "header"),
    "correct header": ("patch", "draft", "", {"summary": "Sửa"}),
    "delete": ("delete", "draft", "", None),
    "issue": ("post", "draft", "issue/", None),
    "cancel": ("post", "issued", "cancel/", {"reason": REASON}),
    "add a line": ("post", "draft", "movements/", "line"),
    "add a return": ("post", "later", "returns/", "return"),
}


@pytest.fixture
def endpoint(request, world, hr, make_cadre, payload, draft, rotation):
    """(method, url, data, If-Match) of an endpoint of decisions, on a record it applies to."""
    method, target, action, data = request.param
    decision = {
        None: lambda: None,
        "draft": lambda: draft,
        "issued": lambda: decision_issue(decision=draft),
        "later": lambda: hr.draft(signed_on=D(2021, 5, 20), number="5-QĐ/HU"),
    }[target]()
    if isinstance(data, str):
        data = {
            "payload": lambda: {**payload, "number": "200-QĐ/HU"},
            "header": lambda: request_data("header", world, make_cadre),
            "line": lambda: request_data("line", world, make_cadre),
            "return": lambda: {"rotation": rotation.pk, "effective_date": "2021-06-01"},
        }[data]()
    if_match = etag_of(Decision.objects.get(pk=decision.pk)) if decision else None
    return method, url(decision, action), data, if_match


def call(client, endpoint):
    method, path, data, if_match = endpoint
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    return getattr(client, method)(path, data, format="json", **headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys(), indirect=True)
def test_anonymous_requests_are_refused_with_401(cast, endpoint):
    before = records()

    response = call(cast.anonymous, endpoint)

    assert_refused(response, 401)
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")
    assert records() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys(), indirect=True)
def test_users_without_permission_are_refused_with_403(cast, endpoint):
    before = records()

    response = call(cast.outsider, endpoint)

    assert_refused(response, 403)
    assert response.json()["code"] == "permission_denied"
    assert records() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys(), indirect=True)
def test_officials_read_decisions_and_change_none(cast, endpoint):
    before = records()

    response = call(cast.official, endpoint)

    if endpoint[0] == "get":
        assert response.status_code == 200
    else:
        assert_refused(response, 403)
    assert records() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys(), indirect=True)
def test_hr_staff_may_do_everything_the_rules_allow(cast, endpoint):
    response = call(cast.hr, endpoint)

    assert response.status_code in (200, 201, 204), response.content


def test_the_demo_hr_staff_group_writes_with_a_token(payload, django_user_model, area_units):
    """Another system calls as a user of the "HR staff" group, with that user's token (and
    so that user's area)."""
    user = django_user_model.objects.create_user("provincial.hr")
    user.groups.add(hr_group())
    bind_area(user, area_units)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = client.post(url(), payload, format="json")

    assert response.status_code == 201, response.content
    assert Decision.objects.get().number == "125-QĐ/HU"


def test_issuing_needs_the_change_permission_not_only_add(draft, area_units):
    """Issuing, cancelling and adding lines change a decision: ``rotation.change_decision``."""
    clerk = client_for(
        user_with("clerk", "rotation.view_decision", "rotation.add_decision", area=area_units)
    )
    before = records()

    response = clerk.post(url(draft, "issue/"), HTTP_IF_MATCH=etag(clerk, draft))

    assert_refused(response, 403)
    assert records() == before


# --------------------------------------------------------------------------- queries


@pytest.fixture
def office(world):
    """A district office with room for every cadre these tests appoint."""
    organisation = OrganisationFactory(
        unit=world.district, kind=OrganisationKind.DEPARTMENT, name="Văn phòng Huyện ủy"
    )
    return PostFactory(organisation=organisation, role="specialist", seats=20)


def make_decisions(hr, make_cadre, office, count: int, by) -> None:
    """``count`` issued decisions, each appointing two cadres to ``office``."""
    for _ in range(count):
        decision = hr.draft(signed_on=D(2022, 3, 1))
        for _ in range(2):
            movement_add(
                decision=decision,
                kind=MovementKind.APPOINTMENT,
                cadre=make_cadre(),
                to_post=office,
                effective_date=D(2022, 3, 15),
            )
        decision_issue(decision=decision, by=by)


def test_listing_decisions_runs_the_same_queries_for_n_and_3n_decisions(
    cast, hr, make_cadre, office
):
    make_decisions(hr, make_cadre, office, 2, cast.hr_user)
    few = list_queries(cast.official_user, url())
    make_decisions(hr, make_cadre, office, 4, cast.hr_user)
    many = list_queries(cast.official_user, url())

    # 1. the user's permissions, 2. their groups' permissions, 3-4. the user's area
    # (administrator?, its units), 5. the count of decisions, 6. the page of decisions with
    # issuing body, issuer and canceller, 7. their movements (in the area) with cadre,
    # decision, post left and direction.
    assert len(few) == len(many) == 7, many


def test_a_service_error_without_fields_still_has_the_error_shape(cast, draft, monkeypatch):
    """A rule that refuses without naming a field answers under ``non_field_errors``."""
    import rotation.api.views as views

    def refuse(**kwargs):
        raise ValidationError("Không thể ban hành.")

    monkeypatch.setattr(views, "decision_issue", refuse)

    response = cast.hr.post(url(draft, "issue/"), HTTP_IF_MATCH=etag(cast.hr, draft))

    body = assert_refused(response, 400, "non_field_errors")
    assert body["detail"] == "Không thể ban hành."
