"""The national table (``national_non_local`` and ``/api/v1/reports/non-local/national/``):
each province's row counts what that province's own ``non_local_report`` counts, in a
number of queries that does not grow with the provinces, communes or cadres."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.locality import LocalityRule
from cadres.models import LocalityOverride
from cadres.tests.factories import CadreFactory
from communes.models import PROVINCE_KINDS, AdministrativeUnit
from communes.tests.api_support import assert_refused, client_for, make_cast, user_with
from communes.tests.factories import DistrictFactory, ProvinceFactory
from reports.selectors import national_non_local, non_local_report
from reports.tests.records import DAY, LE_HO, TAN_SON
from reports.tests.test_api import add_communes

D = datetime.date
NATIONAL = "/api/v1/reports/non-local/national/"


def figures_of_each_province(day: datetime.date) -> dict[str, tuple]:
    """What each province's own report counts: (units, then per role held and non-local)."""
    provinces = AdministrativeUnit.objects.valid_on(day).filter(kind__in=PROVINCE_KINDS)
    result = {}
    for province in provinces:
        report = non_local_report(unit=province, day=day)
        result[province.code] = (
            report.units_total,
            {role.role_code: role.units_total - role.vacant for role in report.roles},
            {role.role_code: role.non_local for role in report.roles},
        )
    return result


def figures_of_the_table(table) -> dict[str, tuple]:
    return {row.unit.code: (row.units_total, row.held, row.non_local) for row in table.provinces}


# --------------------------------------------------------------------------- the rule's cases


@pytest.fixture
def second_province(world):
    """Another province, with a district of three communes: local secretaries, non-local
    chairmen (from Lê Hồ, in Hà Nam)."""
    province = ProvinceFactory(code="36", name="Nam Định")
    district = DistrictFactory(code="360", name="Ý Yên", parent=province)
    add_communes(district, 3, world.communes[LE_HO])
    return province


def test_a_holder_made_local_by_hr_counts_as_local(world, secretaries, second_province):
    before = figures_of_the_table(national_non_local(day=DAY))
    LocalityOverride.objects.create(
        cadre=secretaries[LE_HO],
        unit=world.communes[LE_HO],
        is_local=True,
        reason="Lớn lên và công tác 25 năm tại xã",
    )

    after = figures_of_the_table(national_non_local(day=DAY))

    assert after == figures_of_each_province(DAY)
    assert after["35"][2]["party_secretary"] == before["35"][2]["party_secretary"] - 1
    assert after["36"] == before["36"]


def test_many_holders_read_every_override_and_judge_the_same(
    world, secretaries, second_province, monkeypatch
):
    LocalityOverride.objects.create(
        cadre=secretaries[LE_HO], unit=world.communes[LE_HO], is_local=True, reason="Lý do"
    )
    # Another cadre's override, about a unit where they hold nothing: read, never used.
    LocalityOverride.objects.create(
        cadre=CadreFactory(hometown=world.communes[TAN_SON]),
        unit=world.communes[LE_HO],
        is_local=False,
        reason="Lý do",
    )
    few = figures_of_the_table(national_non_local(day=DAY))
    monkeypatch.setattr("cadres.locality.MANY_CADRES", 0)

    with CaptureQueriesContext(connection) as captured:
        many = figures_of_the_table(national_non_local(day=DAY))

    assert many == few == figures_of_each_province(DAY)
    overrides = [q["sql"] for q in captured.captured_queries if "localityoverride" in q["sql"]]
    assert len(overrides) == 1, overrides
    assert "WHERE" not in overrides[0], overrides


def test_few_cadres_read_only_their_own_overrides(world):
    cadre, other = CadreFactory(), CadreFactory()
    LocalityOverride.objects.create(
        cadre=other, unit=world.communes[LE_HO], is_local=True, reason="Lý do"
    )

    with CaptureQueriesContext(connection) as captured:
        rule = LocalityRule(DAY).prepare([cadre])

    overrides = [q["sql"] for q in captured.captured_queries if "localityoverride" in q["sql"]]
    assert len(overrides) == 1, overrides
    assert "WHERE" in overrides[0], overrides
    assert rule.verdict(cadre, world.communes[LE_HO]).basis == "none"


def test_the_queries_do_not_grow_with_provinces_communes_or_cadres(world, secretaries):
    with CaptureQueriesContext(connection) as few:
        national_non_local(day=DAY)
    for code in ("36", "37"):
        province = ProvinceFactory(code=code)
        add_communes(DistrictFactory(code=f"{code}0", parent=province), 4, world.communes[LE_HO])

    with CaptureQueriesContext(connection) as many:
        table = national_non_local(day=DAY)

    assert len(table.provinces) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


# --------------------------------------------------------------------------- over the API


@pytest.fixture
def cast(area_units):
    return make_cast(area_units)


@pytest.mark.usefixtures("english")
def test_an_administrator_reads_every_province(world, secretaries, second_province):
    admin = get_user_model().objects.create_superuser("admin", password=None)

    response = client_for(admin).get(NATIONAL, {"date": "2023-06-30"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body == national_non_local(day=DAY).to_dict()
    assert [row["unit"]["code"] for row in body["provinces"]] == ["35", "36"]
    assert body["non_local"]["party_secretary"] == sum(
        row["non_local"]["party_secretary"] for row in body["provinces"]
    )


@pytest.mark.usefixtures("english")
def test_a_user_reads_only_the_provinces_of_their_area(cast, world, secretaries, second_province):
    district_user = user_with(
        "district", "rotation.view_assignment", "rotation.view_movement", area=[world.district]
    )

    mine = cast.official.get(NATIONAL, {"date": "2023-06-30"}).json()
    below = client_for(district_user).get(NATIONAL, {"date": "2023-06-30"}).json()

    assert [row["unit"]["code"] for row in mine["provinces"]] == ["35"]
    assert mine["provinces"][0] == national_non_local(day=DAY).to_dict()["provinces"][0]
    assert below["provinces"] == []
    assert below["units_total"] == 0


@pytest.mark.usefixtures("english")
def test_the_national_table_needs_the_report_permissions(cast, world):
    assert_refused(cast.anonymous.get(NATIONAL), 401)
    assert_refused(cast.outsider.get(NATIONAL), 403)
    assert_refused(cast.hr.post(NATIONAL, {}, format="json"), 405)


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("query", "key"),
    [
        ({"date": "2023-02-30"}, "date"),
        ({"date": "30/06/2023"}, "date"),
        ({"date": "2023-06-30", "role": ["party_secretary", "mayor"]}, "role"),
    ],
    ids=["impossible date", "date as dd/mm/yyyy", "unknown role"],
)
def test_a_bad_query_is_refused_naming_the_parameter(cast, world, query, key):
    assert_refused(cast.official.get(NATIONAL, query), 400, key)


@pytest.mark.usefixtures("english")
def test_the_roles_asked_are_the_roles_answered(cast, world, secretaries):
    query = {"date": "2023-06-30", "role": ["people_committee_chairman", "party_secretary"]}

    body = cast.official.get(NATIONAL, query).json()

    assert [role["role"] for role in body["roles"]] == query["role"]
    assert set(body["provinces"][0]["non_local"]) == set(query["role"])
