"""Each filter of decisions, movements and assignments narrows the records as it says.

The FilterSets are run on the querysets of the API views, with the query string a client
sends; a value a filter cannot read is a 400 naming the filter, never an unfiltered list.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from cadres.models import Cadre
from communes.models import AdministrativeUnit, Organisation, OrganisationKind, Role
from communes.tests.api_support import TOO_BIG, assert_refused
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
)
from rotation.api.views import AssignmentViewSet, DecisionViewSet, MovementViewSet
from rotation.filters import AssignmentFilterSet, DecisionFilterSet, MovementFilterSet
from rotation.models import Decision, MovementKind
from rotation.services import decision_cancel, decision_issue, movement_add

D = datetime.date
API = "/api/v1"
LE_HO, TAN_SON, QUE = 0, 1, 2


@dataclass
class Recorded:
    """Four decisions of two districts, and the assignments they open and close."""

    cadres: dict[str, Cadre]
    decisions: dict[str, Decision]
    other_district: AdministrativeUnit
    other_commune: AdministrativeUnit
    other_body: Organisation


@pytest.fixture
def recorded(world, hr, make_cadre) -> Recorded:
    """
    - 125-QĐ/HU (issued): Kiên, Party secretary, Tân Sơn → Lê Hồ on 15/12/2021.
    - 12-QĐ/HU (issued): Trực, chairman, Lê Hồ → Quế; Luân, district specialist, rotated
      to chairman of Tân Sơn; both on 10/01/2022.
    - 30-QĐ/HU (draft): Bình, standing deputy secretary of Tân Sơn → head of a district
      department on 15/05/2022.
    - 7-QĐ/HU of Lý Nhân district (cancelled): Hoa appointed chairman of Nhân Đạo.
    Mai holds the finance post of Quế and, concurrently, a vice-chairmanship since 2018.
    """
    post = world.post
    cadres = {
        "Kiên": make_cadre(TAN_SON, full_name="Đinh Hồng Kiên"),
        "Trực": make_cadre(LE_HO, full_name="Nguyễn Trung Trực"),
        "Luân": make_cadre(QUE, full_name="Trần Văn Luân"),
        "Bình": make_cadre(TAN_SON, full_name="Phạm Thị Bình"),
        "Mai": make_cadre(QUE, full_name="Đỗ Thị Mai"),
        "Hoa": make_cadre(QUE, full_name="Vũ Thị Hoa"),
    }
    hr.seat(cadres["Kiên"], post(TAN_SON, "party_secretary"), D(2015, 10, 1))
    hr.seat(cadres["Trực"], post(LE_HO, "people_committee_chairman"), D(2016, 5, 1))
    hr.seat(cadres["Luân"], world.district_posts["specialist"], D(2014, 5, 1))
    hr.seat(cadres["Bình"], post(TAN_SON, "standing_deputy_secretary"), D(2016, 5, 1))
    hr.seat(cadres["Mai"], post(QUE, "finance_accounting_officer"), D(2018, 1, 1))
    hr.seat(
        cadres["Mai"], post(QUE, "people_committee_vice_chairman"), D(2018, 1, 1), principal=False
    )

    other = DistrictFactory(code="351", name="Lý Nhân", parent=world.province)
    nhan_dao = CommuneFactory(code="13444", name="Nhân Đạo", parent=other)
    committee = OrganisationFactory(
        unit=nhan_dao, kind=OrganisationKind.PEOPLES_COMMITTEE, name="UBND Nhân Đạo"
    )
    other_chairman = PostFactory(organisation=committee, role="people_committee_chairman")
    other_body = OrganisationFactory(
        unit=other,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Huyện ủy Lý Nhân",
    )

    def decide(number, signed_on, summary, *lines, issue=True, body=None):
        decision = hr.draft(signed_on=signed_on, number=number, body=body)
        decision.summary = summary
        decision.save(update_fields=["summary"])
        for name, kind, to_post, day, extra in lines:
            movement_add(
                decision=decision,
                kind=kind,
                cadre=cadres[name],
                to_post=to_post,
                effective_date=day,
                **extra,
            )
        if issue:
            decision_issue(decision=decision)
        return decision

    transfer, rotation = MovementKind.TRANSFER, MovementKind.ROTATION
    decisions = {
        "125": decide(
            "125-QĐ/HU",
            D(2021, 12, 1),
            "Điều động Bí thư Đảng ủy xã",
            ("Kiên", transfer, post(LE_HO, "party_secretary"), D(2021, 12, 15), {}),
        ),
        "12": decide(
            "12-QĐ/HU",
            D(2022, 1, 5),
            "Luân chuyển cán bộ",
            ("Trực", transfer, post(QUE, "people_committee_chairman"), D(2022, 1, 10), {}),
            (
                "Luân",
                rotation,
                post(TAN_SON, "people_committee_chairman"),
                D(2022, 1, 10),
                {"planned_end": D(2025, 1, 9)},
            ),
        ),
        "30": decide(
            "30-QĐ/HU",
            D(2022, 5, 1),
            "Điều động về huyện",
            ("Bình", transfer, world.district_posts["head"], D(2022, 5, 15), {}),
            issue=False,
        ),
        "7": decide(
            "7-QĐ/HU",
            D(2022, 3, 1),
            "Bổ nhiệm",
            ("Hoa", MovementKind.APPOINTMENT, other_chairman, D(2022, 3, 10), {}),
            body=other_body,
        ),
    }
    decision_cancel(decision=decisions["7"], reason="Sai thẩm quyền")
    return Recorded(cadres, decisions, other, nhan_dao, other_body)


def query(**params) -> QueryDict:
    """The query string a client sends; a list is a repeated parameter."""
    return QueryDict(urlencode(params, doseq=True))


def filtered(filterset_class, queryset, params: dict):
    filterset = filterset_class(query(**params), queryset=queryset.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def resolve(params: dict, recorded: Recorded, world) -> dict:
    """Parameters whose values name records (``cadre=Kiên``) as the ids a client sends."""
    names = {
        "cadre": lambda v: recorded.cadres[v].pk,
        "decision": lambda v: recorded.decisions[v].pk,
        "issuing_body": lambda v: recorded.other_body.pk,
        "area": lambda v: {
            "district": world.district.pk,
            "province": world.province.pk,
            "Lý Nhân": recorded.other_district.pk,
            "Lê Hồ": world.communes[LE_HO].pk,
            "Tân Sơn": world.communes[TAN_SON].pk,
        }[v],
        "unit": lambda v: world.communes[LE_HO].pk,
        "role": lambda v: Role.objects.get(code=v).pk,
        "post": lambda v: world.post(QUE, v).pk,
        "to_post": lambda v: world.post(QUE, v).pk,
    }
    return {key: names[key](value) if key in names else value for key, value in params.items()}


# --------------------------------------------------------------------------- decisions

DECISIONS = {
    "q: the number as typed": ({"q": "125-QĐ/HU"}, {"125"}),
    "q: part of the number": ({"q": "12"}, {"125", "12"}),
    "q: the number in small letters": ({"q": "qđ/hu"}, {"125", "12", "30", "7"}),
    "q: words of the summary": ({"q": "luân chuyển"}, {"12"}),
    "q: every word must match": ({"q": "12 luân"}, {"12"}),
    "q: no match": ({"q": "999"}, set()),
    "number": ({"number": "12-QĐ/HU"}, {"12"}),
    "status": ({"status": "draft"}, {"30"}),
    "status, several": ({"status": ["issued", "cancelled"]}, {"125", "12", "7"}),
    "issuing body": ({"issuing_body": "Lý Nhân"}, {"7"}),
    "issuing unit code": ({"issuing_unit_code": "350"}, {"125", "12", "30"}),
    "signed after (inclusive)": ({"signed_after": "2022-01-05"}, {"12", "30", "7"}),
    "signed before (inclusive)": ({"signed_before": "2022-01-05"}, {"125", "12"}),
    "signed between": ({"signed_after": "2022-01-01", "signed_before": "2022-04-30"}, {"12", "7"}),
    "a cadre moved by it": ({"cadre": "Luân"}, {"12"}),
}


def test_each_decision_filter(recorded, world, subtests):
    for case, (params, expected) in DECISIONS.items():
        with subtests.test(case):
            params = resolve(params, recorded, world)

            found = filtered(DecisionFilterSet, DecisionViewSet.queryset, params)

            assert {d.number.split("-")[0] for d in found} == expected


# --------------------------------------------------------------------------- movements

MOVEMENTS = {
    "q without diacritics": ({"q": "nguyen trung truc"}, {"Trực"}),
    "q in capitals with diacritics": ({"q": "NGUYỄN TRUNG"}, {"Trực"}),
    "q: name and decision number": ({"q": "trung truc 12-QĐ/HU"}, {"Trực"}),
    "q: a decision number": ({"q": "125-QĐ/HU"}, {"Kiên"}),
    "q: name of another decision": ({"q": "kien 12-QĐ/HU"}, set()),
    "decision": ({"decision": "12"}, {"Trực", "Luân"}),
    "decision number": ({"decision_number": "30-QĐ/HU"}, {"Bình"}),
    "decision status": ({"decision_status": "issued"}, {"Kiên", "Trực", "Luân"}),
    "decision status, several": ({"decision_status": ["draft", "cancelled"]}, {"Bình", "Hoa"}),
    "cadre": ({"cadre": "Kiên"}, {"Kiên"}),
    "kind": ({"kind": "rotation"}, {"Luân"}),
    "kind, several": ({"kind": ["transfer", "appointment"]}, {"Kiên", "Trực", "Bình", "Hoa"}),
    "direction commune to commune": ({"direction": "commune_to_commune"}, {"Kiên", "Trực"}),
    "direction district to commune": ({"direction": "district_to_commune"}, {"Luân"}),
    "direction commune to district": ({"direction": "commune_to_district"}, {"Bình"}),
    "direction other (a first post)": ({"direction": "other"}, {"Hoa"}),
    "direction, several": (
        {"direction": ["district_to_commune", "commune_to_district"]},
        {"Luân", "Bình"},
    ),
    "effective after (inclusive)": (
        {"effective_after": "2022-01-10"},
        {"Trực", "Luân", "Bình", "Hoa"},
    ),
    "effective before (inclusive)": ({"effective_before": "2022-01-10"}, {"Kiên", "Trực", "Luân"}),
    "effective between": (
        {"effective_after": "2022-01-11", "effective_before": "2022-03-31"},
        {"Hoa"},
    ),
    "post taken": ({"to_post": "people_committee_chairman"}, {"Trực"}),
    "role taken": ({"role_code": "party_secretary"}, {"Kiên"}),
    "role, several holders": ({"role_code": "people_committee_chairman"}, {"Trực", "Luân", "Hoa"}),
    # Out of a commune to the district: counted under the commune post left.
    "role left for the district": ({"role_code": "standing_deputy_secretary"}, {"Bình"}),
    "area of the district": ({"area": "district"}, {"Kiên", "Trực", "Luân", "Bình"}),
    "area of the province": ({"area": "province"}, {"Kiên", "Trực", "Luân", "Bình", "Hoa"}),
    "area of another district": ({"area": "Lý Nhân"}, {"Hoa"}),
    "area of a commune: posts left or taken there": ({"area": "Lê Hồ"}, {"Kiên", "Trực"}),
    "area of a commune, both ways": ({"area": "Tân Sơn"}, {"Kiên", "Luân", "Bình"}),
}


def first_names(movements) -> set[str]:
    return {m.cadre.full_name.split()[-1] for m in movements}


def test_each_movement_filter(recorded, world, subtests):
    for case, (params, expected) in MOVEMENTS.items():
        with subtests.test(case):
            params = resolve(params, recorded, world)

            found = filtered(MovementFilterSet, MovementViewSet.queryset, params)

            assert first_names(found) == expected


def test_movements_are_searched_through_the_api_without_diacritics(cast, recorded):
    response = cast.official.get(f"{API}/movements/", {"q": "nguyen trung truc"})

    assert response.status_code == 200
    assert [row["cadre_name"] for row in response.json()["results"]] == ["Nguyễn Trung Trực"]


# --------------------------------------------------------------------------- assignments


def held(assignments) -> set[str]:
    return {
        f"{a.cadre.full_name.split()[-1]}: {a.post.role.code} of {a.post.organisation.unit.name}"
        for a in assignments
    }


ASSIGNMENTS = {
    "q without diacritics": (
        {"q": "dinh hong"},
        {"Kiên: party_secretary of Tân Sơn", "Kiên: party_secretary of Lê Hồ"},
    ),
    "as of the eve of a transfer": (
        {"as_of": "2021-12-14", "cadre": "Kiên"},
        {"Kiên: party_secretary of Tân Sơn"},
    ),
    "as of its effective day": (
        {"as_of": "2021-12-15", "cadre": "Kiên"},
        {"Kiên: party_secretary of Lê Hồ"},
    ),
    "as of a day: no void assignment": (
        {"as_of": "2022-03-10", "role_code": "people_committee_chairman"},
        {"Trực: people_committee_chairman of Quế", "Luân: people_committee_chairman of Tân Sơn"},
    ),
    "cadre": (
        {"cadre": "Trực"},
        {"Trực: people_committee_chairman of Lê Hồ", "Trực: people_committee_chairman of Quế"},
    ),
    "post": ({"post": "people_committee_chairman"}, {"Trực: people_committee_chairman of Quế"}),
    "unit": (
        {"unit": "Lê Hồ"},
        {"Kiên: party_secretary of Lê Hồ", "Trực: people_committee_chairman of Lê Hồ"},
    ),
    "unit code": (
        {"unit_code": "13393"},
        {"Kiên: party_secretary of Lê Hồ", "Trực: people_committee_chairman of Lê Hồ"},
    ),
    "role": (
        {"role": "party_secretary"},
        {"Kiên: party_secretary of Tân Sơn", "Kiên: party_secretary of Lê Hồ"},
    ),
    "role code": (
        {"role_code": "standing_deputy_secretary"},
        {"Bình: standing_deputy_secretary of Tân Sơn"},
    ),
    "concurrent posts": (
        {"principal": "false"},
        {"Mai: people_committee_vice_chairman of Quế"},
    ),
    "ended": (
        {"open": "false"},
        {
            "Kiên: party_secretary of Tân Sơn",
            "Trực: people_committee_chairman of Lê Hồ",
            "Luân: specialist of Kim Bảng",
        },
    ),
    "still held": (
        {"open": "true", "void": "false", "area": "Tân Sơn"},
        {
            "Luân: people_committee_chairman of Tân Sơn",
            "Bình: standing_deputy_secretary of Tân Sơn",
        },
    ),
    "voided by a cancelled decision": (
        {"void": "true"},
        {"Hoa: people_committee_chairman of Nhân Đạo"},
    ),
    "started after (inclusive)": (
        {"started_after": "2022-01-10", "void": "false"},
        {"Trực: people_committee_chairman of Quế", "Luân: people_committee_chairman of Tân Sơn"},
    ),
    "started before (inclusive)": (
        {"started_before": "2015-10-01"},
        {"Kiên: party_secretary of Tân Sơn", "Luân: specialist of Kim Bảng"},
    ),
    "area of another district": (
        {"area": "Lý Nhân"},
        {"Hoa: people_committee_chairman of Nhân Đạo"},
    ),
}


def test_each_assignment_filter(recorded, world, subtests):
    for case, (params, expected) in ASSIGNMENTS.items():
        with subtests.test(case):
            params = resolve(params, recorded, world)

            found = filtered(AssignmentFilterSet, AssignmentViewSet.queryset, params)

            assert held(found) == expected


def test_area_of_the_district_holds_every_assignment_of_its_communes_and_offices(recorded, world):
    inside = filtered(AssignmentFilterSet, AssignmentViewSet.queryset, {"area": world.district.pk})

    assert len(inside) == 9  # Kiên 2, Trực 2, Luân 2, Bình 1, Mai 2
    assert "Hoa: people_committee_chairman of Nhân Đạo" not in held(inside)


# --------------------------------------------------------------------------- bad values

BAD_VALUES = {
    "decisions": {
        "status": "signed",
        "signed_after": "2023-02-30",
        "signed_before": "yesterday",
        "issuing_body": TOO_BIG,
        "cadre": "Kiên",
        "issuing_unit_code": "123456",
        "q": "x" * 201,
    },
    "movements": {
        "kind": "promotion",
        "direction": "sideways",
        "decision_status": "approved",
        "effective_after": "2023-02-30",
        "effective_before": "31/12/2022",
        "area": "Kim Bảng",
        "decision": TOO_BIG,
        "to_post": 1.5,
    },
    "assignments": {
        "as_of": "2023-02-30",
        "started_before": "31/12/2022",
        "open": "maybe",
        "principal": "yes please",
        "void": "2",
        "unit": TOO_BIG,
        "area": -1,
        "started_after": "2023-13-01",
        "role": "party_secretary",
    },
}


@pytest.mark.parametrize(
    ("endpoint", "name", "value"),
    [
        (endpoint, name, value)
        for endpoint, bad in BAD_VALUES.items()
        for name, value in bad.items()
    ],
)
def test_a_filter_value_that_cannot_be_read_is_refused(cast, endpoint, name, value):
    response = cast.official.get(f"{API}/{endpoint}/", {name: value})

    body = assert_refused(response, 400, name)
    assert body["code"] == "invalid"
