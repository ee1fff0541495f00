"""The officials' dashboards on small records: who may open them, bad addresses, languages,
and the number of queries of each page.

The figures of the Kim Bảng records are checked in ``test_pages_kim_bang.py``.
"""

import datetime
import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadres.tests.factories import CadreFactory
from communes.models import OrganisationKind
from communes.tests.factories import CommuneFactory, OrganisationFactory, PostFactory
from reports.checks import check_dashboard_defaults
from reports.tests.pages_support import ENGLISH, has_element, official_user, text_of
from reports.tests.records import DAY, LE_HO, TAN_SON, Records
from rotation.models import MovementKind

D = datetime.date
PAGES = ("overview", "unit", "cadre", "returns", "vacancies", "movements")


@pytest.fixture
def official(area_units):
    return official_user(area=area_units)


@pytest.fixture
def as_official(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def records(world) -> Records:
    return Records(world)


@pytest.fixture
def kien(world, make_cadre, records):
    """Đinh Hồng Kiên, from Tân Sơn, Party secretary of Lê Hồ: non-local there."""
    cadre = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên")
    records.hold(cadre, world.post(LE_HO, "party_secretary"))
    return cadre


@pytest.fixture
def urls(world, kien) -> dict[str, str]:
    day = "date=2023-06-30"
    unit = f"unit={world.district.code}&{day}"
    return {
        "overview": f"{reverse('reports:overview')}?{unit}",
        "unit": f"{reverse('reports:unit', args=[world.communes[LE_HO].pk])}?{day}",
        "cadre": f"{reverse('reports:cadre', args=[kien.pk])}?{day}",
        "returns": f"{reverse('reports:returns')}?{unit}",
        "vacancies": f"{reverse('reports:vacancies')}?{unit}",
        "movements": f"{reverse('reports:movements')}?unit={world.district.code}"
        "&from=2020-10-01&to=2023-06-30",
    }


# --------------------------------------------------------------------------- who may open them


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_for_an_official_with_view_permissions_only(page, urls, as_official):
    response = as_official.get(urls[page])

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert has_element(response, "main")
    assert has_element(response, "language-select")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(page, urls, client):
    response = client.get(urls[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("page", PAGES)
def test_users_without_the_view_permissions_are_refused(page, urls, client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="outsider"))

    response = client.get(urls[page], **ENGLISH)

    assert response.status_code == 403
    assert "Officials group" in text_of(response, "forbidden-message")


def test_one_missing_permission_is_enough_to_refuse(urls, client, official):
    official.user_permissions.remove(
        official.user_permissions.get(codename="view_movement", content_type__app_label="rotation")
    )
    client.force_login(official)

    assert client.get(urls["overview"]).status_code == 403


def test_the_root_address_leads_to_the_dashboard(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:overview")


def test_the_login_page_is_in_the_site_look_with_the_language_switch(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert has_element(response, "login-form")
    assert has_element(response, "language-select")
    assert "Đăng nhập" in text_of(response, "page-title")


def test_an_official_logs_in_and_lands_on_the_overview(client, official):
    official.set_password("Lanh-dao-2023")
    official.save()

    response = client.post(reverse("login"), {"username": "official", "password": "Lanh-dao-2023"})

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:overview")


def test_logging_out_returns_to_the_login_page(as_official):
    response = as_official.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert as_official.get(reverse("reports:overview")).status_code == 302


# --------------------------------------------------------------------------- what they show


def test_the_unit_page_shows_a_non_local_secretary_with_the_basis(urls, as_official, kien):
    response = as_official.get(urls["unit"])

    row = text_of(response, f"leader-party_secretary-{kien.pk}")
    assert "Đinh Hồng Kiên" in row
    assert "Tân Sơn" in row
    assert "không phải người địa phương" in row
    assert f'href="{reverse("reports:cadre", args=[kien.pk])}?date=2023-06-30"' in (
        response.content.decode()
    )


def test_the_overview_counts_non_local_secretaries(urls, as_official):
    response = as_official.get(urls["overview"])

    # Lê Hồ's secretary is from Tân Sơn; the two other communes have none.
    assert text_of(response, "card-party_secretary").startswith(
        "Bí thư Đảng ủy không phải người địa phương: 1/3 xã"
    )
    assert text_of(response, "non-local-party_secretary") == "Bí thư Đảng ủy 1 3 33,3% 0 2"


def test_pages_speak_english_when_asked(urls, as_official):
    response = as_official.get(urls["unit"], **ENGLISH)

    assert "non-local" in text_of(response, "table-leaders")
    assert "Key leaders" in text_of(response, "leaders-title")


def test_the_language_switch_keeps_the_page(urls, as_official):
    response = as_official.post(reverse("set_language"), {"language": "en", "next": urls["unit"]})

    assert response.status_code == 302
    assert response["Location"] == urls["unit"]
    assert "Key leaders" in text_of(as_official.get(urls["unit"]), "leaders-title")


def test_a_commune_code_on_the_overview_opens_the_commune_page(world, as_official):
    response = as_official.get(reverse("reports:overview"), {"unit": "13393", "date": "2023-06-30"})

    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('reports:unit', args=[world.communes[LE_HO].pk])}?date=2023-06-30"
    )


def test_the_code_input_wins_over_the_list(world, as_official):
    response = as_official.get(
        reverse("reports:overview"), {"unit": "35", "code": "350", "date": "2023-06-30"}
    )

    assert "(350)" in text_of(response, "page-title")


def test_without_a_unit_the_overview_opens_on_the_first_province(world, as_official, settings):
    settings.DASHBOARD_DEFAULT_UNIT = ""
    settings.DASHBOARD_DEFAULT_DATE = "2023-06-30"

    response = as_official.get(reverse("reports:overview"))

    assert response.status_code == 200
    assert "Hà Nam (35)" in text_of(response, "page-title")
    assert "30/06/2023" in text_of(response, "page-day")


def test_the_default_unit_and_date_come_from_the_settings(world, as_official, settings):
    settings.DASHBOARD_DEFAULT_UNIT = "350"
    settings.DASHBOARD_DEFAULT_DATE = "2023-06-30"

    response = as_official.get(reverse("reports:overview"))

    assert "Kim Bảng (350)" in text_of(response, "page-title")
    assert "30/06/2023" in text_of(response, "page-day")


@pytest.mark.parametrize(
    ("module", "environment", "expected"),
    [
        ("config.settings.local", {}, "350 2023-06-30"),
        ("config.settings.local", {"DASHBOARD_DEFAULT_UNIT": "37"}, "37 2023-06-30"),
        ("config.settings.test", {}, "- -"),
        ("config.settings.test", {"DASHBOARD_DEFAULT_DATE": "2025-07-01"}, "- 2025-07-01"),
    ],
)
def test_the_demo_opens_on_kim_bang_at_mid_term_and_the_environment_decides(
    module, environment, expected
):
    code = (
        f"import {module} as s; "
        "print(s.DASHBOARD_DEFAULT_UNIT or '-', s.DASHBOARD_DEFAULT_DATE or '-')"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_default_date_that_is_not_a_date_stops_the_server_at_start_up(settings):
    settings.DASHBOARD_DEFAULT_DATE = "30/06/2023"

    (error,) = check_dashboard_defaults(None)

    assert error.id == "reports.E001"
    assert "YYYY-MM-DD" in error.msg


def test_without_a_date_the_pages_show_today(world, as_official, settings):
    settings.DASHBOARD_DEFAULT_DATE = ""

    response = as_official.get(reverse("reports:overview"), {"unit": "350"})

    assert timezone.localdate().strftime("%d/%m/%Y") in text_of(response, "page-day")


# --------------------------------------------------------------------------- bad addresses


def test_an_unknown_unit_code_gives_a_message_not_an_error(world, as_official):
    response = as_official.get(
        reverse("reports:overview"), {"unit": "99999", "date": "2023-06-30"}, **ENGLISH
    )

    assert response.status_code == 200
    assert "There is no administrative unit with code 99999." in text_of(response, "notices")
    assert not has_element(response, "key-leaders")


def test_a_code_that_names_no_unit_on_the_day_links_to_the_units_that_carried_it(
    world, as_official
):
    response = as_official.get(
        reverse("reports:overview"), {"unit": "350", "date": "2005-01-01"}, **ENGLISH
    )

    notice = text_of(response, "notices")
    assert "No unit has code 350 on 01/01/2005" in notice
    assert "district Kim Bảng (350)" in notice
    assert f"{reverse('reports:overview')}?unit=350&amp;date=2010-01-01" in (
        response.content.decode()
    )


@pytest.mark.parametrize("text", ["30-06-2023x", "2023-02-30", "hôm qua", "<b>"])
def test_a_malformed_date_gives_a_message_and_todays_figures(text, world, as_official):
    response = as_official.get(
        reverse("reports:overview"), {"unit": "350", "date": text}, **ENGLISH
    )

    assert response.status_code == 200
    notice = text_of(response, "notices")
    assert "is not a date" in notice
    assert timezone.localdate().strftime("%d/%m/%Y") in text_of(response, "page-day")
    assert "<b>" not in response.content.decode()


def test_dates_may_be_typed_the_vietnamese_way(world, as_official):
    response = as_official.get(reverse("reports:overview"), {"unit": "350", "date": "30/06/2023"})

    assert "30/06/2023" in text_of(response, "page-day")
    assert not has_element(response, "notices")


@pytest.mark.parametrize(
    ("page", "params", "message"),
    [
        ("returns", {"within": "many"}, "is not a number of days"),
        ("returns", {"within": "0"}, "is not a number of days"),
        ("returns", {"within": "99999"}, "is not a number of days"),
        ("movements", {"direction": "sideways"}, "is not a known direction"),
        ("movements", {"gender": "x"}, "is not a known gender"),
        ("movements", {"from": "2024-01-01", "to": "2023-06-30"}, "after its end"),
        ("movements", {"from": "yesterday"}, "is not a date"),
        ("unit", {"date": "31/02/2023"}, "is not a date"),
        ("cadre", {"date": "2023"}, "is not a date"),
    ],
)
def test_bad_parameters_give_a_message_not_an_error(page, params, message, urls, as_official):
    response = as_official.get(urls[page], params, **ENGLISH)

    assert response.status_code == 200
    assert message in text_of(response, "notices")


def test_an_unknown_cadre_or_unit_is_not_found(as_official):
    assert as_official.get(reverse("reports:cadre", args=[999999])).status_code == 404
    assert as_official.get(reverse("reports:unit", args=[999999])).status_code == 404


def test_a_district_on_the_unit_page_goes_to_its_overview(world, as_official):
    response = as_official.get(reverse("reports:unit", args=[world.district.pk]), {"date": DAY})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:overview')}?unit=350&date=2023-06-30"


def test_a_merged_commune_says_which_unit_covers_it_on_the_day(kim_bang_units, as_official):
    old = kim_bang_units.communes["Đại Cương"]

    response = as_official.get(
        reverse("reports:unit", args=[old.pk]), {"date": "2025-08-01"}, **ENGLISH
    )

    assert response.status_code == 200
    notice = text_of(response, "notices")
    assert "01/01/2010 – 30/06/2025, not on 01/08/2025" in notice
    assert "ward Lê Hồ (13393)" in notice


# --------------------------------------------------------------------------- queries


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


class District:
    """Grows the test district: communes with their leaders, rotations due and vacancies."""

    def __init__(self, world, records):
        self.world = world
        self.records = records
        self.codes = itertools.count(30000)

    def communes(self, count: int) -> None:
        """``count`` communes, each with a local Party secretary, a chairman rotated there
        from the district until 31/08/2023 (due on 30/06/2023), and a vacant vice-chairman."""
        for _ in range(count):
            commune = CommuneFactory(parent=self.world.district, code=str(next(self.codes)))
            party = OrganisationFactory(
                unit=commune, kind=OrganisationKind.PARTY_COMMITTEE, name=f"Đảng ủy {commune}"
            )
            committee = OrganisationFactory(
                unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune}"
            )
            secretary = PostFactory(organisation=party, role="party_secretary")
            chairman = PostFactory(organisation=committee, role="people_committee_chairman")
            PostFactory(organisation=committee, role="people_committee_vice_chairman", seats=2)
            self.records.hold(CadreFactory(hometown=commune), secretary)
            rotated = CadreFactory(hometown=self.world.communes[LE_HO])
            self.records.hold(rotated, self.records.pool)
            self.records.decide(
                {"kind": MovementKind.ROTATION, "cadre": rotated, "to_post": chairman,
                 "effective_date": D(2020, 6, 1), "planned_end": D(2023, 8, 31)},
                signed_on=D(2020, 5, 20),
            )  # fmt: skip


@pytest.fixture
def district(world, records) -> District:
    return District(world, records)


@pytest.mark.parametrize("page", ["overview", "returns", "vacancies", "movements"])
def test_district_pages_run_as_many_queries_for_three_times_the_communes(
    page, urls, district, as_official
):
    """Units, roles, holders, the locality rule, the movements, the trend, the returns
    and the vacancies are each loaded in a fixed number of queries, plus the session and
    the user's permissions: nothing is loaded per commune, cadre or movement."""
    district.communes(2)
    as_official.get(urls[page])  # warm the caches of content types and permissions
    small = count_queries(as_official, urls[page])

    district.communes(4)
    large = count_queries(as_official, urls[page])

    assert small == large


def test_the_unit_page_runs_as_many_queries_for_three_times_the_leaders(
    world, urls, records, as_official
):
    post = world.post(TAN_SON, "party_secretary")
    url = f"{reverse('reports:unit', args=[world.communes[TAN_SON].pk])}?date=2023-06-30"

    def secretaries(count: int, first: datetime.date) -> None:
        for index in range(count):
            start = first + datetime.timedelta(days=40 * index)
            records.hold(CadreFactory(hometown=world.communes[LE_HO]), post, start=start)
            held = post.assignments.get(start_date=start)
            held.end_date = start + datetime.timedelta(days=39)
            held.save(update_fields=["end_date"])

    secretaries(2, D(2021, 1, 1))
    as_official.get(url)
    small = count_queries(as_official, url)
    secretaries(4, D(2021, 4, 1))
    large = count_queries(as_official, url)

    assert small == large
    rows = text_of(as_official.get(url), "table-leaders_history")
    assert rows.count("Bí thư Đảng ủy") == 6


def test_the_cadre_page_runs_as_many_queries_for_three_times_the_moves(
    world, records, make_cadre, as_official
):
    cadre = make_cadre(TAN_SON)
    records.hold(cadre, records.pool)
    url = f"{reverse('reports:cadre', args=[cadre.pk])}?date=2023-06-30"
    days = (D(2020, 1, 1) + datetime.timedelta(days=61 * n) for n in itertools.count())

    def moves(count: int) -> None:
        for _ in range(count):
            commune = CommuneFactory(parent=world.district)
            post = PostFactory(
                organisation=OrganisationFactory(unit=commune), role="people_committee_chairman"
            )
            day = next(days)
            records.decide(
                {"kind": MovementKind.TRANSFER, "cadre": cadre, "to_post": post,
                 "effective_date": day},
                signed_on=day,
            )  # fmt: skip

    moves(2)
    as_official.get(url)
    small = count_queries(as_official, url)
    moves(4)
    large = count_queries(as_official, url)

    assert small == large
    assert (
        len(text_of(as_official.get(url), "table-movements").split("Chủ tịch Ủy ban nhân dân")) > 6
    )
