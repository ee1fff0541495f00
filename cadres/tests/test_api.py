"""The REST API of cadres and of HR's overrides of the local/non-local rule.

A cadre's record carries an ETag: a correction must send it back in ``If-Match`` (428
without it, 412 when someone changed the record meanwhile), so that no change is lost.
Writes go through ``cadres.services``; refusals have the API's error shape and write nothing.
"""

import datetime
import unicodedata

import pytest
from django.urls import reverse

from cadres.models import Cadre, Gender, LocalityOverride
from cadres.services import cadre_update, locality_override_set
from cadres.tests.factories import CadreFactory
from communes.tests.api_support import (
    TOO_BIG,
    assert_refused,
    list_queries,
    make_cast,
    records,
)

D = datetime.date
LE_HO, TAN_SON, QUE = 0, 1, 2
REASON = "Lớn lên và công tác tại xã hơn 20 năm."

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cast(area_units):
    return make_cast(area_units)


def url(resource: str, pk=None) -> str:
    return reverse(f"{resource}-list") if pk is None else reverse(f"{resource}-detail", args=[pk])


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


@pytest.fixture
def kien(world, make_cadre):
    return make_cadre(
        TAN_SON,
        full_name="Đinh Hồng Kiên",
        date_of_birth=D(1975, 5, 1),
        personal_id="035075001234",
        party_joined_on=D(1998, 3, 2),
        birthplace=world.communes[TAN_SON],
    )


def new_person(world) -> dict:
    return {
        "full_name": "Nguyễn Trung Trực",
        "gender": "male",
        "date_of_birth": "1972-03-04",
        "hometown": world.communes[TAN_SON].pk,
        "permanent_residence": world.communes[TAN_SON].pk,
        "personal_id": "035072001234",
        "party_joined_on": "1995-06-01",
    }


def etag(client, cadre) -> str:
    response = client.get(url("cadre", cadre.pk))
    assert response.status_code == 200
    return response["ETag"]


# --------------------------------------------------------------------------- reading


def test_list_cadres_gives_their_record(world, cast, kien):
    found = results(cast.official.get(url("cadre")))

    assert found == [
        {
            "id": kien.pk,
            "full_name": "Đinh Hồng Kiên",
            "gender": "male",
            "date_of_birth": "1975-05-01",
            "hometown": world.communes[TAN_SON].pk,
            "birthplace": world.communes[TAN_SON].pk,
            "permanent_residence": world.communes[TAN_SON].pk,
            "personal_id": "035075001234",
            "party_joined_on": "1998-03-02",
            "status": "serving",
            "created_at": found[0]["created_at"],
            "updated_at": found[0]["updated_at"],
        }
    ]
    assert found[0]["updated_at"] >= found[0]["created_at"]


def test_retrieve_gives_an_etag(cast, kien):
    response = cast.official.get(url("cadre", kien.pk))

    assert response.status_code == 200
    assert response.json()["full_name"] == "Đinh Hồng Kiên"
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')
    assert cast.official.get(url("cadre", kien.pk))["ETag"] == response["ETag"]


def test_q_finds_a_name_typed_without_diacritics(world, cast, kien, make_cadre):
    make_cadre(QUE, full_name="Nguyễn Trung Trực")
    make_cadre(QUE, full_name="Nguyễn Văn Trung")

    found = results(cast.official.get(url("cadre"), {"q": "nguyen trung truc"}))
    by_id = results(cast.official.get(url("cadre"), {"q": "035075001234"}))

    assert [c["full_name"] for c in found] == ["Nguyễn Trung Trực"]
    assert [c["full_name"] for c in by_id] == ["Đinh Hồng Kiên"]


def test_holds_post_in_a_unit_on_a_day(world, cast, kien, hr):
    hr.seat(kien, world.post(LE_HO, "party_secretary"), D(2021, 12, 15))
    le_ho = world.communes[LE_HO].pk

    before = results(cast.official.get(url("cadre"), {"holds_post_in": le_ho, "on": "2021-12-14"}))
    after = results(cast.official.get(url("cadre"), {"holds_post_in": le_ho, "on": "2021-12-15"}))

    assert before == []
    assert [c["id"] for c in after] == [kien.pk]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        # By the name without diacritics: Đinh sits among the D's, before Dương.
        ("full_name", ["Đinh Hồng Kiên", "Dương Văn An", "Hà Văn Bình"]),
        ("-full_name", ["Hà Văn Bình", "Dương Văn An", "Đinh Hồng Kiên"]),
        ("date_of_birth", ["Hà Văn Bình", "Đinh Hồng Kiên", "Dương Văn An"]),
        ("-id", ["Hà Văn Bình", "Dương Văn An", "Đinh Hồng Kiên"]),
        ("full_name_folded", ["Đinh Hồng Kiên", "Dương Văn An", "Hà Văn Bình"]),  # ignored
    ],
)
def test_ordering(world, cast, kien, make_cadre, ordering, expected):
    make_cadre(full_name="Dương Văn An", date_of_birth=D(1980, 1, 1))
    make_cadre(full_name="Hà Văn Bình", date_of_birth=D(1960, 1, 1))

    found = results(cast.official.get(url("cadre"), {"ordering": ordering}))

    assert [c["full_name"] for c in found] == expected


# --------------------------------------------------------------------------- writing


def test_create_a_cadre_through_the_service(world, cast):
    person = new_person(world)
    person["full_name"] = unicodedata.normalize("NFD", "Nguyễn Trung Trực")

    response = cast.hr.post(url("cadre"), person, format="json")

    assert response.status_code == 201, response.content
    cadre = Cadre.objects.get(pk=response.json()["id"])
    assert (cadre.full_name, cadre.full_name_folded) == ("Nguyễn Trung Trực", "nguyen trung truc")
    assert (cadre.status, cadre.birthplace) == ("serving", None)
    assert response["ETag"] == etag(cast.hr, cadre)


def test_create_without_a_personal_id(world, cast):
    person = {**new_person(world), "personal_id": ""}

    response = cast.hr.post(url("cadre"), person, format="json")

    assert response.status_code == 201, response.content
    assert Cadre.objects.get(pk=response.json()["id"]).personal_id is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"personal_id": "000072001234"},
            "personal_id",
            "000 is not a province code: the first 3 digits name the province of birth.",
        ),
        (
            {"personal_id": "035075001234", "date_of_birth": "1975-05-01"},
            "personal_id",
            "Another cadre already has this identification number.",
        ),
        (
            {"personal_id": "03507200123a"},
            "personal_id",
            "The personal identification number has exactly 12 digits.",
        ),
        (
            {"party_joined_on": "1985-01-01"},
            "party_joined_on",
            "Party members join at 18 at the earliest; this date is before that.",
        ),
        (
            {"date_of_birth": "2199-01-01", "party_joined_on": None},
            "date_of_birth",
            "The date of birth is in the future.",
        ),
    ],
)
def test_create_refused_by_the_service_writes_nothing(world, cast, kien, changes, field, message):
    before = records()

    response = cast.hr.post(url("cadre"), {**new_person(world), **changes}, format="json")

    body = assert_refused(response, 400, field)
    assert message in body["errors"][field]
    assert records() == before


def test_patch_without_if_match_is_refused_with_428(cast, kien):
    before = records()

    response = cast.hr.patch(url("cadre", kien.pk), {"full_name": "Đinh Hồng"}, format="json")

    body = assert_refused(response, 428)
    assert body["code"] == "precondition_required"
    assert records() == before


def test_patch_with_a_stale_etag_is_refused_with_412(cast, kien):
    stale = etag(cast.hr, kien)
    cadre_update(cadre=kien, status="retired")  # someone else, meanwhile
    before = records()

    response = cast.hr.patch(
        url("cadre", kien.pk), {"full_name": "Đinh Hồng"}, format="json", HTTP_IF_MATCH=stale
    )

    body = assert_refused(response, 412)
    assert body["code"] == "precondition_failed"
    assert records() == before
    kien.refresh_from_db()
    assert (kien.full_name, kien.status) == ("Đinh Hồng Kiên", "retired")


def test_patch_with_the_current_etag_changes_the_record_and_gives_a_new_etag(cast, kien):
    current = etag(cast.hr, kien)

    response = cast.hr.patch(
        url("cadre", kien.pk), {"status": "retired"}, format="json", HTTP_IF_MATCH=current
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "retired"
    kien.refresh_from_db()
    assert kien.status == "retired"
    assert response["ETag"] != current
    assert response["ETag"] == etag(cast.hr, kien)
    again = cast.hr.patch(
        url("cadre", kien.pk), {"status": "serving"}, format="json", HTTP_IF_MATCH=current
    )
    assert_refused(again, 412)


def test_if_match_may_list_several_etags_or_a_star(cast, kien):
    current = etag(cast.hr, kien)

    listed = cast.hr.patch(
        url("cadre", kien.pk),
        {"status": "retired"},
        format="json",
        HTTP_IF_MATCH=f'"old", {current}',
    )
    star = cast.hr.patch(
        url("cadre", kien.pk), {"status": "serving"}, format="json", HTTP_IF_MATCH="*"
    )

    assert (listed.status_code, star.status_code) == (200, 200)


def test_put_replaces_the_record(world, cast, kien):
    record = cast.hr.get(url("cadre", kien.pk))
    body = {**record.json(), "birthplace": world.communes[QUE].pk, "full_name": "Đinh Hồng Kiến"}

    response = cast.hr.put(url("cadre", kien.pk), body, format="json", HTTP_IF_MATCH=record["ETag"])

    assert response.status_code == 200, response.content
    kien.refresh_from_db()
    assert (kien.full_name, kien.birthplace) == ("Đinh Hồng Kiến", world.communes[QUE])


def test_put_without_if_match_is_refused_with_428(cast, kien):
    body = cast.hr.get(url("cadre", kien.pk)).json()
    before = records()

    assert_refused(cast.hr.put(url("cadre", kien.pk), body, format="json"), 428)
    assert records() == before


def test_a_correction_refused_by_the_service_writes_nothing(cast, kien):
    before = records()

    response = cast.hr.patch(
        url("cadre", kien.pk),
        {"party_joined_on": "1990-01-01"},
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, kien),
    )

    assert_refused(response, 400, "party_joined_on")
    assert records() == before


def test_cadres_are_never_deleted(cast, kien):
    assert_refused(cast.hr.delete(url("cadre", kien.pk), HTTP_IF_MATCH="*"), 405)
    assert Cadre.objects.filter(pk=kien.pk).exists()


# --------------------------------------------------------------------------- permissions


def test_anonymous_requests_are_refused_with_401(world, cast, kien):
    before = records()

    for response in [
        cast.anonymous.get(url("cadre")),
        cast.anonymous.get(url("cadre", kien.pk)),
        cast.anonymous.post(url("cadre"), new_person(world), format="json"),
        cast.anonymous.patch(url("cadre", kien.pk), {"status": "retired"}, HTTP_IF_MATCH="*"),
        cast.anonymous.get(url("locality-override")),
        cast.anonymous.post(url("locality-override"), {}, format="json"),
    ]:
        assert_refused(response, 401)
    assert records() == before


def test_users_without_permission_are_refused_with_403(world, cast, kien):
    before = records()

    for response in [
        cast.outsider.get(url("cadre")),
        cast.outsider.get(url("cadre", kien.pk)),
        cast.outsider.post(url("cadre"), new_person(world), format="json"),
        cast.outsider.patch(
            url("cadre", kien.pk), {"status": "retired"}, format="json", HTTP_IF_MATCH="*"
        ),
        cast.outsider.get(url("locality-override")),
    ]:
        assert_refused(response, 403)
    assert records() == before


def test_officials_read_but_do_not_write(world, cast, kien):
    current = etag(cast.official, kien)
    before = records()

    assert cast.official.get(url("cadre")).status_code == 200
    assert_refused(cast.official.post(url("cadre"), new_person(world), format="json"), 403)
    assert_refused(
        cast.official.patch(
            url("cadre", kien.pk), {"status": "retired"}, format="json", HTTP_IF_MATCH=current
        ),
        403,
    )
    assert records() == before


def test_hr_staff_create_and_correct(world, cast, kien):
    created = cast.hr.post(url("cadre"), new_person(world), format="json")
    corrected = cast.hr.patch(
        url("cadre", kien.pk),
        {"status": "retired"},
        format="json",
        HTTP_IF_MATCH=etag(cast.hr, kien),
    )

    assert created.status_code == 201, created.content
    assert corrected.status_code == 200, corrected.content


# --------------------------------------------------------------------------- bad input


BAD_FIELDS = [
    ("full_name", "a\u0000b"),
    ("full_name", "x" * 101),
    ("full_name", ""),
    ("full_name", None),
    ("full_name", ["Kiên"]),
    ("full_name", 42),
    ("gender", "other"),
    ("gender", 5),
    ("date_of_birth", "1975-02-30"),
    ("date_of_birth", "01/05/1975"),
    ("date_of_birth", "1975-05-01\u0000"),
    ("date_of_birth", 19750501),
    ("date_of_birth", None),
    ("date_of_birth", "9999-12-31"),
    ("date_of_birth", "0001-01-01"),
    ("hometown", 999999),
    ("hometown", TOO_BIG),
    ("hometown", -TOO_BIG),
    ("hometown", "Lê Hồ"),
    ("hometown", None),
    ("hometown", 1.5),
    ("birthplace", TOO_BIG),
    ("permanent_residence", {"id": 1}),
    ("personal_id", "0350750012345"),
    ("personal_id", "a\u0000b"),
    ("personal_id", 35075001234),
    ("party_joined_on", "1998-13-01"),
    ("party_joined_on", "9999-12-31"),
    ("status", "asleep"),
    ("status", True),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_a_bad_field_on_create_is_refused_and_writes_nothing(world, cast, field, value):
    before = records()

    response = cast.hr.post(url("cadre"), {**new_person(world), field: value}, format="json")

    assert_refused(response, 400, field)
    assert records() == before


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_a_bad_field_on_patch_is_refused_and_writes_nothing(cast, kien, field, value):
    current = etag(cast.hr, kien)
    before = records()

    response = cast.hr.patch(
        url("cadre", kien.pk), {field: value}, format="json", HTTP_IF_MATCH=current
    )

    assert_refused(response, 400, field)
    assert records() == before


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"gender": "other"},
        {"status": "asleep"},
        {"hometown": str(TOO_BIG)},
        {"hometown_code": "a\x00b"},
        {"born_after": "1975-02-30"},
        {"born_before": "1975-02-30"},
        {"holds_post_in": "-1"},
        {"on": "2023-02-30"},
    ],
)
def test_a_bad_filter_is_refused(world, cast, params):
    assert_refused(cast.official.get(url("cadre"), params), 400, *params)


@pytest.mark.parametrize("pk", ["999999", str(TOO_BIG), "abc"])
def test_an_unknown_cadre_is_404(cast, kien, pk):
    before = records()

    assert_refused(cast.official.get(f"/api/v1/cadres/{pk}/"), 404)
    assert_refused(
        cast.hr.patch(f"/api/v1/cadres/{pk}/", {}, format="json", HTTP_IF_MATCH="*"), 404
    )
    assert records() == before


@pytest.mark.parametrize("sent", ['"a\u0000b"', "x" * 5000, "W/" + '"weak"', ","])
def test_an_if_match_that_names_no_etag_is_412(cast, kien, sent):
    before = records()

    response = cast.hr.patch(
        url("cadre", kien.pk), {"status": "retired"}, format="json", HTTP_IF_MATCH=sent
    )

    assert_refused(response, 412)
    assert records() == before


# --------------------------------------------------------------------------- overrides


def test_list_overrides(world, cast, kien):
    override = locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason=REASON, by=cast.hr_user
    )

    found = results(cast.official.get(url("locality-override"), {"cadre": kien.pk}))

    assert found == [
        {
            "id": override.pk,
            "cadre": kien.pk,
            "unit": world.communes[LE_HO].pk,
            "unit_code": "13393",
            "is_local": True,
            "reason": REASON,
            "created_at": found[0]["created_at"],
            "created_by": "hr.api",
        }
    ]


def test_record_an_override_through_the_service(world, cast, kien):
    response = cast.hr.post(
        url("locality-override"),
        {"cadre": kien.pk, "unit": world.communes[LE_HO].pk, "is_local": True, "reason": REASON},
        format="json",
    )

    assert response.status_code == 201, response.content
    override = LocalityOverride.objects.get(pk=response.json()["id"])
    assert (override.is_local, override.reason, override.created_by) == (
        True,
        REASON,
        cast.hr_user,
    )
    assert cast.hr.get(url("locality-override", override.pk)).json()["created_by"] == "hr.api"


def test_a_second_verdict_for_the_same_unit_replaces_the_first(world, cast, kien):
    first = locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason=REASON
    )

    response = cast.hr.post(
        url("locality-override"),
        {
            "cadre": kien.pk,
            "unit": world.communes[LE_HO].pk,
            "is_local": False,
            "reason": "Chỉ đăng ký thường trú, không sinh sống tại xã.",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["id"] == first.pk
    first.refresh_from_db()
    assert first.is_local is False
    assert LocalityOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "Vì thế."}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "a\u0000b" * 10}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
        ({"is_local": "maybe"}, "is_local"),
        ({"reason": 1234567890123}, "reason"),
        ({"cadre": TOO_BIG}, "cadre"),
        ({"unit": 999999}, "unit"),
        ({"unit": None}, "unit"),
    ],
)
def test_a_bad_override_is_refused_and_writes_nothing(world, cast, kien, changes, field):
    before = records()
    body = {"cadre": kien.pk, "unit": world.communes[LE_HO].pk, "is_local": True, "reason": REASON}

    response = cast.hr.post(url("locality-override"), {**body, **changes}, format="json")

    assert_refused(response, 400, field)
    assert records() == before


def test_remove_an_override(world, cast, kien):
    override = locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason=REASON
    )

    response = cast.hr.delete(url("locality-override", override.pk))

    assert response.status_code == 204
    assert not LocalityOverride.objects.exists()


def test_officials_read_overrides_but_do_not_change_them(world, cast, kien):
    override = locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason=REASON
    )
    before = records()

    assert cast.official.get(url("locality-override", override.pk)).status_code == 200
    assert_refused(cast.official.delete(url("locality-override", override.pk)), 403)
    assert_refused(
        cast.official.post(
            url("locality-override"),
            {"cadre": kien.pk, "unit": world.communes[QUE].pk, "is_local": True, "reason": REASON},
            format="json",
        ),
        403,
    )
    assert records() == before


def test_overrides_are_not_corrected_in_place(world, cast, kien):
    override = locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason=REASON
    )

    response = cast.hr.patch(
        url("locality-override", override.pk), {"is_local": False}, format="json"
    )

    assert_refused(response, 405)


@pytest.mark.parametrize("pk", ["999999", str(TOO_BIG), "abc"])
def test_an_unknown_override_is_404(cast, kien, pk):
    assert_refused(cast.hr.delete(f"/api/v1/locality-overrides/{pk}/"), 404)


def test_the_holders_of_a_unit_follow_an_override_recorded_over_the_api(world, cast, kien, hr):
    hr.seat(kien, world.post(LE_HO, "party_secretary"), D(2021, 12, 15))
    holders = reverse("unit-holders", args=[world.communes[LE_HO].pk])

    def secretary() -> dict:
        body = cast.official.get(holders, {"date": "2023-06-30", "key_only": "true"}).json()
        return next(p for p in body["posts"] if p["role_code"] == "party_secretary")["holders"][0]

    assert (secretary()["is_local"], secretary()["locality_basis"]) == (False, "none")
    cast.hr.post(
        url("locality-override"),
        {"cadre": kien.pk, "unit": world.communes[LE_HO].pk, "is_local": True, "reason": REASON},
        format="json",
    )
    assert (secretary()["is_local"], secretary()["locality_basis"]) == (True, "override")


# --------------------------------------------------------------------------- query counts


def add_cadres(world, count: int) -> None:
    for index in range(count):
        CadreFactory(
            hometown=world.communes[index % 3],
            birthplace=world.communes[(index + 1) % 3],
            gender=Gender.FEMALE if index % 2 else Gender.MALE,
        )


def add_overrides(world, count: int) -> None:
    for index in range(count):
        cadre = CadreFactory(hometown=world.communes[0])
        locality_override_set(
            cadre=cadre, unit=world.communes[index % 3], is_local=bool(index % 2), reason=REASON
        )


@pytest.mark.parametrize(
    ("resource", "add", "expected"),
    [
        # the user's area (2: administrator?, its units), permissions of the user (2: own,
        # groups'), count, cadres (places are ids)
        ("cadre", add_cadres, 6),
        # area (2), permissions (2), count, overrides with their units and the users who
        # recorded them
        ("locality-override", add_overrides, 6),
    ],
)
def test_lists_run_the_same_queries_for_n_and_3n_rows(world, cast, resource, add, expected):
    add(world, 5)
    few = list_queries(cast.official_user, url(resource) + "?page_size=200")
    add(world, 10)
    many = list_queries(cast.official_user, url(resource) + "?page_size=200")

    assert len(few) == len(many) == expected, "\n".join(many)
