"""The headline figures over REST: exactly the JSON of ``manage.py report … --format json``.

``GET /api/v1/reports/non-local/`` and ``/reports/movements/`` read the same selectors as
the command; they need the view permissions on assignments and movements; a bad query
parameter is a 400 naming it. The Kim Bảng records reproduce the article's figures (last
section: it loads the demo records for the rest of the module, so it stays last).
"""

import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.tests.factories import CadreFactory
from communes.models import OrganisationKind
from communes.tests.api_support import assert_refused, client_for, make_cast, user_with
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
)
from reports.tests.records import LE_HO, QUE, D
from rotation.models import Term
from rotation.services import assignment_record

API = "/api/v1/reports"
NON_LOCAL = f"{API}/non-local/"
MOVEMENTS = f"{API}/movements/"
ON_THE_DAY = {"unit": "350", "date": "2023-06-30"}
IN_THE_PERIOD = {"unit": "350", "from": "2020-10-01", "to": "2023-06-30"}

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def cast(area_units):
    return make_cast(area_units)


def command_json(*args: str) -> dict:
    """What ``manage.py report … --format json`` prints, read back."""
    out = StringIO()
    call_command("report", *args, "--format", "json", "--language", "en", stdout=out)
    return json.loads(out.getvalue())


# --------------------------------------------------------------------------- the same figures


@pytest.mark.parametrize("details", [False, True], ids=["figures", "with details"])
def test_non_local_answers_what_the_command_prints(cast, secretaries, details):
    query = {**ON_THE_DAY, **({"details": "true"} if details else {})}

    response = cast.official.get(NON_LOCAL, query)

    assert response.status_code == 200, response.content
    expected = command_json(
        "non-local", "--unit", "350", "--date", "2023-06-30", *(["--details"] if details else [])
    )
    assert response.json() == expected
    party_secretary = next(r for r in response.json()["roles"] if r["role"] == "party_secretary")
    assert (party_secretary["non_local"], party_secretary["units_total"]) == (2, 3)
    assert ("units" in party_secretary) is details


@pytest.mark.parametrize("details", [False, True], ids=["figures", "with details"])
def test_movements_answers_what_the_command_prints(cast, moves, details):
    query = {**IN_THE_PERIOD, **({"details": "true"} if details else {})}

    response = cast.official.get(MOVEMENTS, query)

    assert response.status_code == 200, response.content
    expected = command_json(
        "movements",
        "--unit",
        "350",
        "--from",
        "2020-10-01",
        "--to",
        "2023-06-30",
        *(["--details"] if details else []),
    )
    assert response.json() == expected
    assert response.json()["total"] == 7
    assert ("movements" in response.json()) is details


def test_the_roles_asked_are_the_roles_answered(cast, secretaries):
    response = cast.official.get(
        NON_LOCAL, {**ON_THE_DAY, "role": ["people_committee_chairman", "party_secretary"]}
    )

    assert response.status_code == 200, response.content
    assert response.json() == command_json(
        "non-local",
        "--unit",
        "350",
        "--date",
        "2023-06-30",
        "--role",
        "people_committee_chairman",
        "--role",
        "party_secretary",
    )
    assert {r["role"] for r in response.json()["roles"]} == {
        "people_committee_chairman",
        "party_secretary",
    }


def test_the_period_starts_by_default_with_the_party_term(cast, moves):
    Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))

    response = cast.official.get(MOVEMENTS, {"unit": "350", "to": "2023-06-30"})

    assert response.status_code == 200, response.content
    assert response.json() == command_json("movements", "--unit", "350", "--to", "2023-06-30")
    assert response.json()["total"] == 7


def test_figures_are_labelled_in_the_language_asked(cast, secretaries):
    vietnamese = client_for(cast.official_user)
    vietnamese.credentials(HTTP_ACCEPT_LANGUAGE="vi")

    response = vietnamese.get(NON_LOCAL, ON_THE_DAY)

    labels = {r["role"]: r["role_label"] for r in response.json()["roles"]}
    assert labels["party_secretary"] == "Bí thư Đảng ủy"


# --------------------------------------------------------------------------- who may read them


@pytest.mark.parametrize(("path", "query"), [(NON_LOCAL, ON_THE_DAY), (MOVEMENTS, IN_THE_PERIOD)])
def test_reports_need_the_view_permissions_on_assignments_and_movements(cast, world, path, query):
    area = [world.province]
    only_assignments = client_for(user_with("a", "rotation.view_assignment", area=area))
    only_movements = client_for(user_with("m", "rotation.view_movement", area=area))
    both = client_for(
        user_with("b", "rotation.view_assignment", "rotation.view_movement", area=area)
    )

    assert_refused(cast.anonymous.get(path, query), 401)
    assert_refused(cast.outsider.get(path, query), 403)
    assert_refused(only_assignments.get(path, query), 403)
    assert_refused(only_movements.get(path, query), 403)
    assert both.get(path, query).status_code == 200
    assert cast.official.get(path, query).status_code == 200
    assert cast.hr.get(path, query).status_code == 200


@pytest.mark.parametrize("path", [NON_LOCAL, MOVEMENTS])
def test_reports_are_read_only(cast, world, path):
    assert_refused(cast.hr.post(path, ON_THE_DAY, format="json"), 405)


# --------------------------------------------------------------------------- bad parameters

BAD_NON_LOCAL = {
    "no unit": ({"date": "2023-06-30"}, "unit"),
    "unknown unit code": ({"unit": "999", "date": "2023-06-30"}, "unit"),
    "code of no unit on the day": ({"unit": "350", "date": "2005-01-01"}, "unit"),
    "over-long code": ({"unit": "350350"}, "unit"),
    "NUL byte in the code": ({"unit": "35\u00000"}, "unit"),
    "impossible date": ({"unit": "350", "date": "2023-02-30"}, "date"),
    "date as dd/mm/yyyy": ({"unit": "350", "date": "30/06/2023"}, "date"),
    "unknown role": ({**ON_THE_DAY, "role": ["party_secretary", "mayor"]}, "role"),
    "details neither true nor false": ({**ON_THE_DAY, "details": "maybe"}, "details"),
}

BAD_MOVEMENTS = {
    "no unit": ({"from": "2020-10-01", "to": "2023-06-30"}, "unit"),
    "unknown unit code": ({**IN_THE_PERIOD, "unit": "999"}, "unit"),
    "code of no unit on the last day": (
        {"unit": "350", "from": "2004-01-01", "to": "2005-01-01"},
        "unit",
    ),
    "malformed first day": ({**IN_THE_PERIOD, "from": "2020-10"}, "from"),
    "malformed last day": ({**IN_THE_PERIOD, "to": "tomorrow"}, "to"),
    "first day after the last": ({**IN_THE_PERIOD, "from": "2023-07-01"}, "from"),
    "no first day and no term recorded": ({"unit": "350", "to": "2023-06-30"}, "from"),
    "details neither true nor false": ({**IN_THE_PERIOD, "details": "2"}, "details"),
}


@pytest.mark.parametrize(("query", "key"), BAD_NON_LOCAL.values(), ids=BAD_NON_LOCAL.keys())
def test_a_bad_non_local_query_is_refused_naming_the_parameter(cast, world, query, key):
    response = cast.official.get(NON_LOCAL, query)

    body = assert_refused(response, 400, key)
    assert body["code"] == "invalid"


@pytest.mark.parametrize(("query", "key"), BAD_MOVEMENTS.values(), ids=BAD_MOVEMENTS.keys())
def test_a_bad_movements_query_is_refused_naming_the_parameter(cast, world, query, key):
    response = cast.official.get(MOVEMENTS, query)

    body = assert_refused(response, 400, key)
    assert body["code"] == "invalid"


def test_a_code_not_valid_on_the_day_says_when_it_was(cast, world):
    body = assert_refused(cast.official.get(NON_LOCAL, {"unit": "350", "date": "2005-01-01"}), 400)

    assert body["errors"]["unit"] == [
        "No unit has code 350 on 01/01/2005. That code names: Kim Bảng (from 01/01/2010)."
    ]


# --------------------------------------------------------------------------- queries


def add_communes(district, count: int, hometown) -> None:
    """``count`` communes of ``district``, each with a local secretary and a non-local chairman."""
    for _ in range(count):
        commune = CommuneFactory(parent=district)
        party = OrganisationFactory(unit=commune, kind=OrganisationKind.PARTY_COMMITTEE)
        committee = OrganisationFactory(
            unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune.name}"
        )
        secretary = PostFactory(organisation=party, role="party_secretary")
        chairman = PostFactory(organisation=committee, role="people_committee_chairman")
        start = D(2019, 1, 1)
        assignment_record(cadre=CadreFactory(hometown=commune), post=secretary, start_date=start)
        assignment_record(cadre=CadreFactory(hometown=hometown), post=chairman, start_date=start)


def queries(user, path, query) -> int:
    """The number of queries of one GET by ``user``, read afresh: no permission is cached."""
    client = client_for(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, query)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


def test_non_local_runs_the_same_queries_for_n_and_3n_communes(cast, world):
    district = DistrictFactory(code="351", parent=world.province)
    query = {"unit": "351", "date": "2023-06-30", "details": "true"}
    add_communes(district, 2, world.communes[LE_HO])
    few = queries(cast.official_user, NON_LOCAL, query)
    add_communes(district, 4, world.communes[LE_HO])
    many = queries(cast.official_user, NON_LOCAL, query)

    # 1-2 the user's and their groups' permissions; 3-4 the user's area (administrator?,
    # its units); 5 the unit with the code on the day; 6-7 its earlier versions and the
    # communes below it; 8 the roles; 9 the holders with cadres, hometowns, roles and
    # organisations; 10-16 the locality rule: overrides, then successors, predecessors and
    # records of the places and of their parents.
    assert few == many == 16


def test_movements_run_the_same_queries_for_n_and_3n_movements(
    cast, world, moves, make_cadre, records
):
    few = queries(cast.official_user, MOVEMENTS, {**IN_THE_PERIOD, "details": "true"})
    office = OrganisationFactory(
        unit=world.district, kind=OrganisationKind.DEPARTMENT, name="Văn phòng Huyện ủy"
    )
    post = PostFactory(organisation=office, role="specialist", seats=20)
    for index in range(14):
        cadre = make_cadre(QUE)
        records.hold(cadre, records.pool)
        records.decide(
            {
                "kind": "transfer",
                "cadre": cadre,
                "to_post": post,
                "effective_date": D(2022, 9, 1) + datetime.timedelta(days=index),
            },
            signed_on=D(2022, 8, 25),
        )
    many = queries(cast.official_user, MOVEMENTS, {**IN_THE_PERIOD, "details": "true"})

    # 1-2 the user's and their groups' permissions; 3-4 the user's area (administrator?, its
    # units); 5 the unit with the code on the last day; 6-7 its earlier versions and the ids
    # of its area; 8 the ids of the movements; 9 the movements with their decisions,
    # cadres, posts, roles, organisations and units.
    assert few == many == 9


# --------------------------------------------------------------------------- Kim Bảng
# Keep last: ``kim_bang`` loads the demo records for the rest of the module.


def test_kim_bang_at_mid_term_through_the_api(kim_bang, area_units):
    official = client_for(
        user_with(
            "official.kb", "rotation.view_assignment", "rotation.view_movement", area=area_units
        )
    )

    response = official.get(NON_LOCAL, ON_THE_DAY)

    assert response.status_code == 200, response.content
    roles = {role["role"]: role for role in response.json()["roles"]}
    # "8 of 18 commune Party secretaries and 4 of 18 People's Committee chairmen are non-local"
    assert (roles["party_secretary"]["non_local"], roles["party_secretary"]["units_total"]) == (
        8,
        18,
    )
    assert (
        roles["people_committee_chairman"]["non_local"],
        roles["people_committee_chairman"]["units_total"],
    ) == (4, 18)
    assert len(response.json()["secretary_chairman"]) == 1
    assert response.json() == command_json("non-local", "--unit", "350", "--date", "2023-06-30")


def test_kim_bang_movements_of_the_term_through_the_api(kim_bang, area_units):
    official = client_for(
        user_with(
            "official.kb", "rotation.view_assignment", "rotation.view_movement", area=area_units
        )
    )

    response = official.get(MOVEMENTS, {**IN_THE_PERIOD, "details": "true"})

    assert response.status_code == 200, response.content
    assert response.json() == command_json(
        "movements", "--unit", "350", "--from", "2020-10-01", "--to", "2023-06-30", "--details"
    )
    assert response.json()["civil_servants"] == 23
