"""The REST API of units, organisations, roles and posts, and "who held the posts of a unit".

Writes go through ``communes.services``: the API refuses what the admin refuses, in the
API's error shape, and writes nothing then. Every list runs the same number of queries
whatever the number of rows.
"""

import datetime
import json
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.services import locality_override_set
from communes.models import AdministrativeUnit, Organisation, OrganisationKind, Post, Role, UnitKind
from communes.services import organisation_create, role_create, unit_succeed
from communes.tests.api_support import (
    TOO_BIG,
    assert_refused,
    client_for,
    list_queries,
    make_cast,
    records,
    user_with,
)
from communes.tests.factories import CommuneFactory, OrganisationFactory, PostFactory

D = datetime.date
LE_HO, TAN_SON, QUE = 0, 1, 2
MERGE_DAY = D(2025, 1, 1)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cast(area_units):
    return make_cast(area_units)


def url(resource: str, pk=None, action: str | None = None) -> str:
    if action:
        return reverse(f"{resource}-{action}", args=[pk])
    if pk is None:
        return reverse(f"{resource}-list")
    return reverse(f"{resource}-detail", args=[pk])


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    return response.json()["results"]


@pytest.fixture
def merged(world):
    """Lê Hồ and Tân Sơn merged on 01/01/2025 into a new Lê Hồ that reuses code 13393."""
    return unit_succeed(
        predecessors=[world.communes[LE_HO], world.communes[TAN_SON]],
        code="13393",
        name="Lê Hồ",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=MERGE_DAY,
    )


# --------------------------------------------------------------------------- units


def test_list_units_gives_each_version_with_its_parent_and_its_links(world, cast, merged):
    le_ho, tan_son = world.communes[LE_HO], world.communes[TAN_SON]

    found = results(cast.official.get(url("unit"), {"code": "13393"}))

    assert found == [
        {
            "id": le_ho.pk,
            "code": "13393",
            "name": "Lê Hồ",
            "kind": "commune",
            "kind_label": "commune",
            "level": "commune",
            "parent": world.district.pk,
            "parent_code": "350",
            "valid_from": "2010-01-01",
            "valid_to": "2024-12-31",
            "predecessors": [],
            "successors": [merged.pk],
        },
        {
            "id": merged.pk,
            "code": "13393",
            "name": "Lê Hồ",
            "kind": "commune",
            "kind_label": "commune",
            "level": "commune",
            "parent": world.district.pk,
            "parent_code": "350",
            "valid_from": "2025-01-01",
            "valid_to": None,
            "predecessors": sorted([le_ho.pk, tan_son.pk]),
            "successors": [],
        },
    ]


def test_as_of_lists_the_units_valid_that_day_across_a_merge(world, cast, merged):
    eve = results(cast.official.get(url("unit"), {"parent_code": "350", "as_of": "2024-12-31"}))
    day = results(cast.official.get(url("unit"), {"parent_code": "350", "as_of": "2025-01-01"}))

    assert {u["id"] for u in eve} == {u.pk for u in world.communes}
    assert {u["id"] for u in day} == {merged.pk, world.communes[QUE].pk}


def test_a_province_has_no_parent_code(world, cast):
    found = cast.official.get(url("unit", world.province.pk)).json()

    assert (found["parent"], found["parent_code"], found["level"]) == (None, None, "province")


def test_create_a_unit_through_the_service(world, cast):
    response = cast.hr.post(
        url("unit"),
        {
            "code": "13396",
            "name": unicodedata.normalize("NFD", "Tượng Lĩnh"),
            "kind": "commune",
            "parent": world.district.pk,
            "valid_from": "2010-01-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    unit = AdministrativeUnit.objects.get(pk=response.json()["id"])
    assert (unit.code, unit.name, unit.name_folded) == ("13396", "Tượng Lĩnh", "tuong linh")
    assert response.json()["name"] == "Tượng Lĩnh"
    assert response.json()["parent_code"] == "350"


def test_create_a_unit_whose_code_is_taken_is_refused_and_writes_nothing(world, cast):
    before = records()

    response = cast.hr.post(
        url("unit"),
        {
            "code": "13393",
            "name": "Lê Hồ",
            "kind": "commune",
            "parent": world.district.pk,
            "valid_from": "2015-01-01",
        },
        format="json",
    )

    body = assert_refused(response, 400, "code")
    assert body["code"] == "invalid"
    assert body["errors"]["code"] == ["Code 13393 already names Lê Hồ during from 01/01/2010."]
    assert records() == before


def test_create_a_commune_without_parent_is_refused(world, cast):
    before = records()

    response = cast.hr.post(
        url("unit"),
        {"code": "13396", "name": "Tượng Lĩnh", "kind": "commune", "valid_from": "2010-01-01"},
        format="json",
    )

    body = assert_refused(response, 400, "parent")
    assert body["errors"]["parent"] == ["Choose the unit this commune belongs to."]
    assert records() == before


def test_patch_corrects_the_name_of_a_unit(world, cast):
    le_ho = world.communes[LE_HO]

    typed = unicodedata.normalize("NFD", "Lê Hồ (xã)")

    response = cast.hr.patch(url("unit", le_ho.pk), {"name": typed}, format="json")

    assert response.status_code == 200, response.content
    le_ho.refresh_from_db()
    assert (le_ho.name, le_ho.name_folded) == ("Lê Hồ (xã)", "le ho (xa)")
    assert response.json()["name"] == "Lê Hồ (xã)"
    assert response.json()["code"] == "13393"


def test_put_sends_the_whole_record(world, cast):
    que = world.communes[QUE]

    response = cast.hr.put(
        url("unit", que.pk),
        {
            "code": "13384",
            "name": "Quế",
            "kind": "township",
            "parent": world.district.pk,
            "valid_from": "2010-01-01",
            "valid_to": None,
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["kind_label"] == "township"


def test_a_unit_cannot_end_before_its_organisations(world, cast):
    """The service keeps the organisations inside their unit's period."""
    before = records()

    response = cast.hr.patch(
        url("unit", world.communes[LE_HO].pk), {"valid_to": "2015-12-31"}, format="json"
    )

    body = assert_refused(response, 400, "valid_to")
    assert "outside the unit's period" in body["errors"]["valid_to"][0]
    assert records() == before


def test_units_are_never_deleted(world, cast):
    response = cast.hr.delete(url("unit", world.communes[LE_HO].pk))

    assert_refused(response, 405)
    assert AdministrativeUnit.objects.filter(pk=world.communes[LE_HO].pk).exists()


# --------------------------------------------------------------------------- holders


@pytest.fixture
def le_ho_holders(world, hr, make_cadre):
    """Lê Hồ on 30/06/2023: Kiên from Tân Sơn is secretary since 15/12/2021; An, from Lê Hồ,
    is chairman and also vice-chairman (concurrently); Bình from Quế is finance officer."""
    kien = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên")
    an = make_cadre(LE_HO, full_name="Trần Văn An")
    binh = make_cadre(QUE, full_name="Lê Thị Bình")
    return {
        "kien": hr.seat(kien, world.post(LE_HO, "party_secretary"), D(2021, 12, 15)),
        "an": hr.seat(an, world.post(LE_HO, "people_committee_chairman")),
        "an_vice": hr.seat(
            an, world.post(LE_HO, "people_committee_vice_chairman"), principal=False
        ),
        "binh": hr.seat(binh, world.post(LE_HO, "finance_accounting_officer")),
    }


def holders_of(body: dict) -> dict[str, list[str]]:
    return {post["role_code"]: [h["full_name"] for h in post["holders"]] for post in body["posts"]}


def test_holders_answers_who_held_each_post_of_the_unit_that_day(world, cast, le_ho_holders):
    le_ho = world.communes[LE_HO]

    response = cast.official.get(url("unit", le_ho.pk, "holders"), {"date": "2023-06-30"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["unit_code"], body["unit_name"]) == (le_ho.pk, "13393", "Lê Hồ")
    assert (body["date"], body["key_only"]) == ("2023-06-30", False)
    assert holders_of(body) == {
        "party_secretary": ["Đinh Hồng Kiên"],
        "standing_deputy_secretary": [],
        "people_committee_chairman": ["Trần Văn An"],
        "people_committee_vice_chairman": ["Trần Văn An"],
        "finance_accounting_officer": ["Lê Thị Bình"],
    }
    secretary = next(p for p in body["posts"] if p["role_code"] == "party_secretary")
    kien = le_ho_holders["kien"]
    assert secretary == {
        "post": world.post(LE_HO, "party_secretary").pk,
        "title": "Party secretary – Đảng ủy Lê Hồ",
        "organisation": world.post(LE_HO, "party_secretary").organisation_id,
        "organisation_name": "Đảng ủy Lê Hồ",
        "role": Role.objects.get(code="party_secretary").pk,
        "role_code": "party_secretary",
        "is_key": True,
        "seats": 1,
        "holders": [
            {
                "assignment": kien.pk,
                "cadre": kien.cadre_id,
                "full_name": "Đinh Hồng Kiên",
                "seat": 1,
                "start_date": "2021-12-15",
                "end_date": None,
                "principal": True,
                "is_local": False,
                "locality_basis": "none",
                "locality_basis_label": "no recorded place in the unit",
                "locality_reason": "",
            }
        ],
    }


def test_holders_says_who_is_local_and_why(world, cast, le_ho_holders):
    body = cast.official.get(
        url("unit", world.communes[LE_HO].pk, "holders"), {"date": "2023-06-30"}
    ).json()

    verdicts = {
        (post["role_code"], h["full_name"]): (h["is_local"], h["locality_basis"], h["principal"])
        for post in body["posts"]
        for h in post["holders"]
    }
    assert verdicts == {
        ("party_secretary", "Đinh Hồng Kiên"): (False, "none", True),
        ("people_committee_chairman", "Trần Văn An"): (True, "hometown", True),
        ("people_committee_vice_chairman", "Trần Văn An"): (True, "hometown", False),
        ("finance_accounting_officer", "Lê Thị Bình"): (False, "none", True),
    }


def test_holders_follows_hr_overrides_of_the_locality_rule(world, cast, le_ho_holders):
    kien = le_ho_holders["kien"].cadre
    locality_override_set(
        cadre=kien, unit=world.communes[LE_HO], is_local=True, reason="Grew up in Lê Hồ commune."
    )

    body = cast.official.get(
        url("unit", world.communes[LE_HO].pk, "holders"), {"date": "2023-06-30"}
    ).json()

    holder = next(p for p in body["posts"] if p["role_code"] == "party_secretary")["holders"][0]
    assert (holder["is_local"], holder["locality_basis"], holder["locality_reason"]) == (
        True,
        "override",
        "Grew up in Lê Hồ commune.",
    )
    assert holder["locality_basis_label"] == "HR override"


def test_holders_key_only_leaves_out_the_other_posts(world, cast, le_ho_holders):
    body = cast.official.get(
        url("unit", world.communes[LE_HO].pk, "holders"),
        {"date": "2023-06-30", "key_only": "true"},
    ).json()

    assert body["key_only"] is True
    assert set(holders_of(body)) == {
        "party_secretary",
        "standing_deputy_secretary",
        "people_committee_chairman",
        "people_committee_vice_chairman",
    }


def test_holders_before_a_start_shows_the_post_vacant(world, cast, le_ho_holders):
    body = cast.official.get(
        url("unit", world.communes[LE_HO].pk, "holders"), {"date": "2021-12-14"}
    ).json()

    assert holders_of(body)["party_secretary"] == []
    assert holders_of(body)["people_committee_chairman"] == ["Trần Văn An"]


def test_holders_asks_about_today_by_default(world, cast, le_ho_holders):
    body = cast.official.get(url("unit", world.communes[LE_HO].pk, "holders")).json()

    assert body["date"] == timezone.localdate().isoformat()
    assert holders_of(body)["party_secretary"] == ["Đinh Hồng Kiên"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date": "2023-02-30"}, "date"),
        ({"date": "30/06/2023"}, "date"),
        ({"date": "2023-06-30\x00"}, "date"),
        ({"date": "yesterday"}, "date"),
        ({"key_only": "maybe"}, "key_only"),
    ],
)
def test_holders_refuses_a_malformed_query(world, cast, params, field):
    response = cast.official.get(url("unit", world.communes[LE_HO].pk, "holders"), params)

    assert_refused(response, 400, field)


def test_holders_refuses_a_day_the_unit_did_not_exist(world, cast, merged):
    response = cast.official.get(
        url("unit", world.communes[LE_HO].pk, "holders"), {"date": "2025-03-01"}
    )

    body = assert_refused(response, 400, "date")
    assert body["errors"]["date"] == [
        "Lê Hồ exists 01/01/2010 – 31/12/2024; ask about a day in that period."
    ]


@pytest.mark.parametrize("pk", ["999999", str(TOO_BIG), "abc"])
def test_holders_of_an_unknown_unit_is_404(world, cast, pk):
    response = cast.official.get(f"/api/v1/units/{pk}/holders/", {"date": "2023-06-30"})

    assert_refused(response, 404)


def test_holders_needs_the_view_permissions_of_cadres_and_assignments(world, cast):
    only_units = client_for(user_with("units.only", "communes.view_administrativeunit"))
    holders = url("unit", world.communes[LE_HO].pk, "holders")

    assert only_units.get(url("unit")).status_code == 200
    assert_refused(only_units.get(holders), 403)
    assert_refused(cast.anonymous.get(holders), 401)
    assert_refused(cast.outsider.get(holders), 403)
    assert cast.official.get(holders).status_code == 200


def test_holders_runs_the_same_queries_for_one_holder_or_many(world, cast, hr, make_cadre):
    le_ho = world.communes[LE_HO]
    holders = url("unit", le_ho.pk, "holders") + "?date=2023-06-30"
    hr.seat(make_cadre(TAN_SON), world.post(LE_HO, "party_secretary"))

    few = list_queries(cast.official_user, holders)
    hr.seat(make_cadre(QUE), world.post(LE_HO, "people_committee_chairman"))
    hr.seat(make_cadre(LE_HO), world.post(LE_HO, "people_committee_vice_chairman"))
    hr.seat(make_cadre(TAN_SON), world.post(LE_HO, "people_committee_vice_chairman"))
    many = list_queries(cast.official_user, holders)

    # The user's area (2: whether an administrator, the units of the area), the user's
    # permissions (2: own, groups'), the unit, the posts valid that day with their
    # roles and organisations, their holders with their cadres; then the locality rule: the
    # overrides, the places' later and earlier versions, those units, and the same three
    # for the places' parents.
    assert len(few) == len(many) == 14, "\n".join(many)


# --------------------------------------------------------------------------- organisations


def test_list_organisations_with_their_unit(world, cast):
    party = world.post(LE_HO, "party_secretary").organisation

    found = results(cast.official.get(url("organisation"), {"unit_code": "13393"}))

    assert {o["name"] for o in found} == {"Đảng ủy Lê Hồ", "UBND Lê Hồ"}
    assert next(o for o in found if o["id"] == party.pk) == {
        "id": party.pk,
        "unit": world.communes[LE_HO].pk,
        "unit_code": "13393",
        "kind": "party_committee",
        "kind_label": "Party committee",
        "name": "Đảng ủy Lê Hồ",
        "valid_from": "2010-01-01",
        "valid_to": None,
    }


def test_organisations_as_of_a_day(world, cast):
    council = organisation_create(
        unit=world.communes[LE_HO],
        kind=OrganisationKind.PEOPLES_COUNCIL,
        name="HĐND Lê Hồ",
        valid_from=D(2021, 7, 1),
    )

    before = results(cast.official.get(url("organisation"), {"as_of": "2021-06-30"}))
    after = results(cast.official.get(url("organisation"), {"as_of": "2021-07-01"}))

    assert council.pk not in {o["id"] for o in before}
    assert council.pk in {o["id"] for o in after}


def test_create_an_organisation_that_starts_with_its_unit(world, cast):
    response = cast.hr.post(
        url("organisation"),
        {"unit": world.communes[LE_HO].pk, "kind": "peoples_council", "name": "HĐND Lê Hồ"},
        format="json",
    )

    assert response.status_code == 201, response.content
    council = Organisation.objects.get(pk=response.json()["id"])
    assert (council.valid_from, council.valid_to) == (D(2010, 1, 1), None)


def test_create_an_organisation_before_its_unit_is_refused(world, cast):
    before = records()

    response = cast.hr.post(
        url("organisation"),
        {
            "unit": world.communes[LE_HO].pk,
            "kind": "peoples_council",
            "name": "HĐND Lê Hồ",
            "valid_from": "2005-01-01",
        },
        format="json",
    )

    body = assert_refused(response, 400, "valid_from")
    assert body["errors"]["valid_from"] == [
        "An organisation exists only while its unit does (from 01/01/2010)."
    ]
    assert records() == before


def test_patch_renames_an_organisation(world, cast):
    party = world.post(LE_HO, "party_secretary").organisation

    response = cast.hr.patch(
        url("organisation", party.pk), {"name": "Đảng ủy xã Lê Hồ"}, format="json"
    )

    assert response.status_code == 200, response.content
    party.refresh_from_db()
    assert (party.name, party.name_folded) == ("Đảng ủy xã Lê Hồ", "dang uy xa le ho")


def test_an_organisation_never_moves_to_another_unit(world, cast):
    party = world.post(LE_HO, "party_secretary").organisation
    body = cast.official.get(url("organisation", party.pk)).json()
    before = records()

    moved = cast.hr.put(
        url("organisation", party.pk), {**body, "unit": world.communes[QUE].pk}, format="json"
    )
    same = cast.hr.put(url("organisation", party.pk), {**body, "name": "Đảng bộ"}, format="json")

    refusal = assert_refused(moved, 400, "unit")
    assert "never moves to another unit" in refusal["errors"]["unit"][0]
    assert same.status_code == 200, same.content
    after = records()
    assert after["Organisation"] != before["Organisation"]
    party.refresh_from_db()
    assert (party.unit_id, party.name) == (world.communes[LE_HO].pk, "Đảng bộ")


def test_organisations_are_never_deleted(world, cast):
    assert_refused(cast.hr.delete(url("organisation", world.body.pk)), 405)


# --------------------------------------------------------------------------- roles


def test_list_roles_of_the_catalogue(db, cast):
    found = results(cast.official.get(url("role"), {"is_key": "true", "page_size": 100}))

    assert [r["code"] for r in found] == [
        "party_secretary",
        "standing_deputy_secretary",
        "people_council_chairman",
        "people_committee_chairman",
        "people_committee_vice_chairman",
    ]
    secretary = Role.objects.get(code="party_secretary")
    assert found[0] == {
        "id": secretary.pk,
        "code": "party_secretary",
        "name": "Bí thư Đảng ủy",
        "name_en": "Party secretary",
        "category": "cadre",
        "category_label": "elected or appointed cadre",
        "field": "",
        "is_key": True,
        "sort_order": secretary.sort_order,
        "valid_from": None,
        "valid_to": None,
    }


def test_create_a_role(db, cast):
    response = cast.hr.post(
        url("role"),
        {
            "code": "police_chief",
            "name": "Trưởng Công an xã",
            "name_en": "Commune police chief",
            "category": "cadre",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    role = Role.objects.get(code="police_chief")
    assert (role.name_folded, role.field, role.is_key) == ("truong cong an xa", "", False)


def test_create_a_role_with_a_code_taken_is_refused(db, cast):
    before = records()

    response = cast.hr.post(
        url("role"),
        {"code": "party_secretary", "name": "Bí thư", "name_en": "Secretary", "category": "cadre"},
        format="json",
    )

    assert_refused(response, 400, "code")
    assert records() == before


def test_a_civil_servant_title_needs_a_field(db, cast):
    before = records()

    response = cast.hr.post(
        url("role"),
        {"code": "clerk", "name": "Văn thư", "name_en": "Clerk", "category": "civil_servant"},
        format="json",
    )

    body = assert_refused(response, 400)
    assert "A civil-servant title needs a field; other roles have none." in json.dumps(
        body, ensure_ascii=False
    )
    assert records() == before


def test_the_code_of_a_role_never_changes(db, cast):
    role = Role.objects.get(code="specialist")
    before = records()

    renamed = cast.hr.patch(url("role", role.pk), {"code": "expert"}, format="json")

    body = assert_refused(renamed, 400, "code")
    assert body["errors"]["code"] == [
        "The code of a role never changes: reports and other systems rely on it."
    ]
    assert records() == before
    same = cast.hr.patch(
        url("role", role.pk), {"code": "specialist", "name_en": "Expert"}, format="json"
    )
    assert same.status_code == 200, same.content
    role.refresh_from_db()
    assert (role.code, role.name_en) == ("specialist", "Expert")


# --------------------------------------------------------------------------- posts


def test_list_posts_with_their_title_unit_and_role(world, cast):
    post = world.post(LE_HO, "people_committee_vice_chairman")

    found = results(cast.official.get(url("post"), {"unit": world.communes[LE_HO].pk}))

    assert len(found) == 5
    assert next(p for p in found if p["id"] == post.pk) == {
        "id": post.pk,
        "title": "People's Committee vice-chairman – UBND Lê Hồ",
        "organisation": post.organisation_id,
        "unit": world.communes[LE_HO].pk,
        "role": post.role_id,
        "role_code": "people_committee_vice_chairman",
        "seats": 2,
        "valid_from": "2010-01-01",
        "valid_to": None,
    }


def test_posts_as_of_a_day(world, cast, merged):
    old = results(cast.official.get(url("post"), {"unit_code": "13393", "as_of": "2024-12-31"}))
    new = results(cast.official.get(url("post"), {"unit_code": "13393", "as_of": "2025-01-01"}))

    assert len(old) == 5
    assert new == []


def test_create_a_post_that_starts_with_its_organisation(world, cast):
    party = world.post(LE_HO, "party_secretary").organisation
    deputy = Role.objects.get(code="deputy_secretary")

    response = cast.hr.post(
        url("post"), {"organisation": party.pk, "role": deputy.pk, "seats": 2}, format="json"
    )

    assert response.status_code == 201, response.content
    post = Post.objects.get(pk=response.json()["id"])
    assert (post.seats, post.valid_from, post.valid_to) == (2, D(2010, 1, 1), None)
    assert response.json()["title"] == "Deputy Party secretary – Đảng ủy Lê Hồ"


def test_create_a_second_post_of_the_same_role_is_refused(world, cast):
    existing = world.post(LE_HO, "party_secretary")
    before = records()

    response = cast.hr.post(
        url("post"),
        {"organisation": existing.organisation_id, "role": existing.role_id},
        format="json",
    )

    body = assert_refused(response, 400, "non_field_errors")
    assert body["detail"] == "This organisation already has a post for that role from that date."
    assert records() == before


def test_patch_the_seats_of_a_post(world, cast):
    post = world.post(LE_HO, "people_committee_vice_chairman")

    response = cast.hr.patch(url("post", post.pk), {"seats": 3}, format="json")

    assert response.status_code == 200, response.content
    post.refresh_from_db()
    assert post.seats == 3


def test_a_post_keeps_a_seat_for_each_holder(world, cast, hr, make_cadre):
    post = world.post(LE_HO, "people_committee_vice_chairman")
    hr.seat(make_cadre(LE_HO), post)
    hr.seat(make_cadre(QUE), post)
    before = records()

    response = cast.hr.patch(url("post", post.pk), {"seats": 1}, format="json")

    assert_refused(response, 400, "seats")
    assert records() == before


def test_a_post_never_changes_its_role(world, cast):
    post = world.post(LE_HO, "party_secretary")
    body = cast.official.get(url("post", post.pk)).json()
    before = records()

    response = cast.hr.put(
        url("post", post.pk),
        {**body, "role": Role.objects.get(code="deputy_secretary").pk},
        format="json",
    )

    assert_refused(response, 400, "role")
    assert records() == before


# --------------------------------------------------------------------------- permissions


def create_body(resource: str, world) -> dict:
    """A valid new record of each resource."""
    return {
        "unit": {
            "code": "13396",
            "name": "Tượng Lĩnh",
            "kind": "commune",
            "parent": world.district.pk,
            "valid_from": "2010-01-01",
        },
        "organisation": {
            "unit": world.communes[LE_HO].pk,
            "kind": "peoples_council",
            "name": "HĐND Lê Hồ",
        },
        "role": {
            "code": "police_chief",
            "name": "Trưởng Công an xã",
            "name_en": "Commune police chief",
            "category": "cadre",
        },
        "post": {
            "organisation": world.post(LE_HO, "party_secretary").organisation_id,
            "role": Role.objects.get(code="deputy_secretary").pk,
            "seats": 2,
        },
    }[resource]


def a_record(resource: str, world) -> tuple[int, dict]:
    """An existing record of each resource and a correction of it."""
    return {
        "unit": (world.communes[QUE].pk, {"name": "Thị trấn Quế"}),
        "organisation": (world.body.pk, {"name": "Ban Thường vụ"}),
        "role": (Role.objects.get(code="specialist").pk, {"name_en": "Expert"}),
        "post": (world.district_posts["specialist"].pk, {"seats": 4}),
    }[resource]


RESOURCES = ["unit", "organisation", "role", "post"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_anonymous_requests_are_refused_with_401(world, cast, resource):
    pk, change = a_record(resource, world)
    before = records()

    answers = [
        cast.anonymous.get(url(resource)),
        cast.anonymous.get(url(resource, pk)),
        cast.anonymous.post(url(resource), create_body(resource, world), format="json"),
        cast.anonymous.patch(url(resource, pk), change, format="json"),
    ]

    for response in answers:
        assert_refused(response, 401)
        assert response["WWW-Authenticate"] == "Token"
    assert records() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_users_without_permission_are_refused_with_403(world, cast, resource):
    pk, change = a_record(resource, world)
    before = records()

    answers = [
        cast.outsider.get(url(resource)),
        cast.outsider.get(url(resource, pk)),
        cast.outsider.post(url(resource), create_body(resource, world), format="json"),
        cast.outsider.patch(url(resource, pk), change, format="json"),
    ]

    for response in answers:
        assert_refused(response, 403)
    assert records() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_officials_read_but_do_not_write(world, cast, resource):
    pk, change = a_record(resource, world)
    before = records()

    assert cast.official.get(url(resource)).status_code == 200
    assert cast.official.get(url(resource, pk)).json()["id"] == pk
    assert_refused(
        cast.official.post(url(resource), create_body(resource, world), format="json"), 403
    )
    assert_refused(cast.official.patch(url(resource, pk), change, format="json"), 403)
    assert_refused(cast.official.put(url(resource, pk), change, format="json"), 403)
    assert records() == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_hr_staff_create_and_correct(world, cast, resource):
    pk, change = a_record(resource, world)

    created = cast.hr.post(url(resource), create_body(resource, world), format="json")
    corrected = cast.hr.patch(url(resource, pk), change, format="json")

    assert created.status_code == 201, created.content
    assert corrected.status_code == 200, corrected.content
    assert cast.hr.get(url(resource, created.json()["id"])).status_code == 200
    for field, value in change.items():
        assert corrected.json()[field] == value


# --------------------------------------------------------------------------- bad input


BAD_FIELDS = [
    ("unit", "parent", 999999),
    ("unit", "parent", TOO_BIG),
    ("unit", "parent", "abc"),
    ("unit", "parent", [1]),
    ("unit", "parent", 1.5),
    ("unit", "valid_from", "2023-02-30"),
    ("unit", "valid_from", "30/06/2023"),
    ("unit", "valid_from", 20230630),
    ("unit", "valid_to", "9999-99-99"),
    ("unit", "valid_to", "9999-12-31"),
    ("unit", "valid_from", "0001-01-01"),
    ("unit", "name", "a\u0000b"),
    ("unit", "name", "x" * 101),
    ("unit", "name", None),
    ("unit", "name", ""),
    ("unit", "name", 42),
    ("unit", "code", "a\u0000b"),
    ("unit", "code", "123456"),
    ("unit", "code", "1339a"),
    ("unit", "kind", "village"),
    ("unit", "kind", 5),
    ("organisation", "unit", TOO_BIG),
    ("organisation", "unit", 999999),
    ("organisation", "unit", None),
    ("organisation", "name", "x" * 201),
    ("organisation", "name", "a\u0000b"),
    ("organisation", "name", True),
    ("organisation", "kind", "club"),
    ("organisation", "valid_from", "2023-02-30"),
    ("organisation", "valid_to", {"day": 1}),
    ("role", "code", "x" * 61),
    ("role", "code", "not a slug"),
    ("role", "code", "a\u0000b"),
    ("role", "code", 12),
    ("role", "name", "x" * 151),
    ("role", "name_en", "a\u0000b"),
    ("role", "category", 1),
    ("role", "field", "a\u0000b"),
    ("role", "is_key", "maybe"),
    ("role", "sort_order", TOO_BIG),
    ("role", "sort_order", -1),
    ("role", "sort_order", "first"),
    ("role", "valid_from", "2023-02-30"),
    ("post", "organisation", TOO_BIG),
    ("post", "organisation", "a\u0000b"),
    ("post", "role", 999999),
    ("post", "role", "party_secretary"),
    ("post", "role", 1.5),
    ("post", "seats", TOO_BIG),
    ("post", "seats", 0),
    ("post", "seats", 100),
    ("post", "seats", "two"),
    ("post", "seats", 1.5),
    ("post", "valid_from", "2023-02-30"),
]


@pytest.mark.parametrize(("resource", "field", "value"), BAD_FIELDS)
def test_a_bad_field_on_create_is_refused_and_writes_nothing(world, cast, resource, field, value):
    before = records()

    response = cast.hr.post(
        url(resource), {**create_body(resource, world), field: value}, format="json"
    )

    assert_refused(response, 400, field)
    assert records() == before


@pytest.mark.parametrize(("resource", "field", "value"), BAD_FIELDS)
def test_a_bad_field_on_patch_is_refused_and_writes_nothing(world, cast, resource, field, value):
    pk, _change = a_record(resource, world)
    before = records()

    response = cast.hr.patch(url(resource, pk), {field: value}, format="json")

    assert response.status_code == 400, response.content
    assert_refused(response, 400)
    assert records() == before


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("[]", "application/json"),
        ('"text"', "application/json"),
        ("{not json", "application/json"),
        ("code=1", "application/x-www-form-urlencoded"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(world, cast, resource, body, content_type):
    before = records()

    response = cast.hr.generic("POST", url(resource), body, content_type=content_type)

    assert response.status_code in (400, 415), response.content
    assert_refused(response, response.status_code)
    assert records() == before


@pytest.mark.parametrize(
    ("resource", "params"),
    [
        ("unit", {"as_of": "2023-02-30"}),
        ("unit", {"as_of": "yesterday"}),
        ("unit", {"q": "a\x00b"}),
        ("unit", {"q": "x" * 201}),
        ("unit", {"parent": str(TOO_BIG)}),
        ("unit", {"parent": "abc"}),
        ("unit", {"code": "123456"}),
        ("unit", {"code": "a\x00b"}),
        ("unit", {"kind": "village"}),
        ("unit", {"valid_from_after": "2023-13-01"}),
        ("organisation", {"unit": str(TOO_BIG)}),
        ("organisation", {"as_of": "2023-02-30"}),
        ("organisation", {"kind": "club"}),
        ("organisation", {"unit_code": "a\x00b"}),
        ("role", {"category": "boss"}),
        ("role", {"code": "x" * 61}),
        ("role", {"is_key": "maybe"}),
        ("post", {"is_key": "yes please"}),
        ("post", {"role": str(TOO_BIG)}),
        ("post", {"organisation": "-1"}),
        ("post", {"unit": "1.5"}),
        ("post", {"as_of": "2023-06-31"}),
        ("post", {"role_code": "a\x00b"}),
    ],
)
def test_a_bad_filter_is_refused(world, cast, resource, params):
    response = cast.official.get(url(resource), params)

    assert_refused(response, 400, *params)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("page", ["abc", "99", "0"])
def test_a_page_that_does_not_exist_is_404(world, cast, resource, page):
    assert_refused(cast.official.get(url(resource), {"page": page}), 404)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("pk", ["999999", str(TOO_BIG), "abc", "-1"])
def test_an_unknown_id_is_404(world, cast, resource, pk):
    before = records()

    assert_refused(cast.official.get(f"/api/v1/{resource}s/{pk}/"), 404)
    assert_refused(cast.hr.patch(f"/api/v1/{resource}s/{pk}/", {}, format="json"), 404)
    assert records() == before


# --------------------------------------------------------------------------- query counts


def add_units(world, count: int) -> None:
    """Communes of the district, each succeeding the previous one (links to prefetch)."""
    for _ in range(count):
        old = CommuneFactory(parent=world.district)
        unit_succeed(
            predecessors=[old],
            code=old.code,
            name=old.name,
            kind=UnitKind.WARD,
            parent=world.district,
            effective_date=D(2020, 1, 1),
        )


def add_organisations(world, count: int) -> None:
    start = Organisation.objects.count()
    for index in range(start, start + count):
        OrganisationFactory(unit=world.communes[index % 3], name=f"Hội {index}")


def add_roles(world, count: int) -> None:
    start = Role.objects.count()
    for index in range(start, start + count):
        role_create(
            code=f"role_{index}", name=f"Vai {index}", name_en=f"Role {index}", category="cadre"
        )


def add_posts(world, count: int) -> None:
    start = Post.objects.count()
    for index in range(start, start + count):
        organisation = OrganisationFactory(unit=world.communes[index % 3], name=f"Hội {index}")
        PostFactory(organisation=organisation)


@pytest.mark.parametrize(
    ("resource", "add", "expected"),
    [
        # the user's area (2: administrator?, the units of the area), permissions of the
        # user (2), count, units with their parents, predecessors, successors
        ("unit", add_units, 8),
        # area (2), permissions (2), count, organisations with their units
        ("organisation", add_organisations, 6),
        # permissions (2), count, roles (a catalogue every area shares: no area is read)
        ("role", add_roles, 4),
        # area (2), permissions (2), count, posts with their roles and organisations
        ("post", add_posts, 6),
    ],
)
def test_lists_run_the_same_queries_for_n_and_3n_rows(world, cast, resource, add, expected):
    add(world, 5)
    few = list_queries(cast.official_user, url(resource) + "?page_size=200")
    add(world, 10)
    many = list_queries(cast.official_user, url(resource) + "?page_size=200")

    assert len(few) == len(many) == expected, "\n".join(many)
