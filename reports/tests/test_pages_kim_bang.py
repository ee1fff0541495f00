"""The dashboards on the Kim Bảng records show the article's figures (DOMAIN.md §5).

The records are built once for the module by ``load_demo`` (the ``kim_bang`` fixture).
"""

import datetime
import re

import pytest
from django.urls import reverse

from cadres.models import Cadre
from communes.selectors import unit_on
from reports.tests.pages_support import ENGLISH, official_user, text_of

MID_TERM = datetime.date(2023, 6, 30)


@pytest.fixture
def as_official(kim_bang, area_units, client):
    client.force_login(official_user(area=area_units))
    return client


@pytest.fixture
def le_ho(kim_bang, db):
    return unit_on("13393", MID_TERM)


@pytest.fixture
def kien(kim_bang, db):
    return Cadre.objects.get(full_name="Đinh Hồng Kiên")


def overview(client, day: str, **headers):
    return client.get(reverse("reports:overview"), {"unit": "350", "date": day}, **headers)


def test_the_overview_at_mid_term_shows_the_articles_figures(as_official):
    response = overview(as_official, "2023-06-30")

    assert response.status_code == 200
    # "8 of 18 commune Party secretaries and 4 of 18 People's Committee chairmen are non-local"
    assert text_of(response, "card-party_secretary").startswith(
        "Bí thư Đảng ủy không phải người địa phương: 8/18 xã"
    )
    assert text_of(response, "card-people_committee_chairman").startswith(
        "Chủ tịch Ủy ban nhân dân không phải người địa phương: 4/18 xã"
    )
    # "in one commune the Party secretary is also People's Committee chairman"
    assert "kiêm Chủ tịch UBND: 1 xã" in text_of(response, "card-secretary-chairman")
    assert "Ba Sao" in text_of(response, "card-secretary-chairman")
    assert "Cán bộ huyện Kim Bảng (350)" in text_of(response, "page-title")


def test_the_overview_reads_the_same_in_english(as_official):
    response = overview(as_official, "2023-06-30", **ENGLISH)

    assert text_of(response, "card-party_secretary").startswith(
        "Party secretary not local: 8/18 communes"
    )


def test_the_overview_on_another_day_shows_that_days_figures(as_official):
    response = overview(as_official, "2021-01-01")

    secretaries = text_of(response, "card-party_secretary")
    assert "2/18" in secretaries
    assert "8/18" not in secretaries
    assert "2/18" in text_of(response, "card-people_committee_chairman")


def test_the_overview_names_the_communes_behind_a_figure(as_official):
    response = overview(as_official, "2023-06-30")

    assert text_of(response, "commune-13393").startswith(
        "Lê Hồ Đinh Hồng Kiên không phải người địa phương"
    )
    assert text_of(response, "card-party_secretary-units") == (
        "Lê Hồ Nhật Tân Đồng Hóa Tân Sơn Thụy Lôi Văn Xá Khả Phong Liên Sơn"
    )


def test_the_overview_counts_the_moves_of_the_term_as_the_article_does(as_official):
    response = overview(as_official, "2023-06-30", **ENGLISH)

    heading = text_of(response, "movements-title")
    assert "(01/10/2020 – 30/06/2023): 61 movements" in heading
    article = text_of(response, "table-movements_by_role")
    # "6 cadres moved from the district to communes (4 Party secretaries, 2 chairmen)"
    assert "district to commune rotation Party secretary 4" in article
    assert "district to commune rotation People's Committee chairman 2" in article
    # "8 key cadres moved between communes (3 chairmen, 5 secretaries)"
    assert "commune to commune transfer Party secretary 5" in article
    assert "commune to commune transfer People's Committee chairman 3" in article
    assert "within the district 18" in text_of(response, "table-movements_by_direction")
    # The chart draws the same numbers, with a description for screen readers.
    assert "commune to commune: 31" in text_of(response, "chart-movements-desc")


def test_the_trend_ends_on_the_articles_figures(as_official):
    response = overview(as_official, "2023-06-30")

    rows = text_of(response, "table-trend")
    assert rows.endswith("30/06/2023 18 8 44,4% 4 22,2%")
    assert "31/12/2020 18 2 11,1% 2 11,1%" in rows
    assert "<path" in response.content.decode()


def test_the_counts_link_to_the_cadres_behind_them(as_official):
    response = overview(as_official, "2023-06-30")

    link = re.search(
        r'href="([^"]*direction=district_to_commune[^"]*kind=rotation[^"]*role=party_secretary[^"]*)"',
        response.content.decode(),
    )
    listed = as_official.get(link.group(1).replace("&amp;", "&"))

    assert listed.status_code == 200
    assert text_of(listed, "movements-summary").startswith("Hiển thị 4 trong số 61")
    assert text_of(listed, "table-movements").count("luân chuyển") == 4


def test_the_movements_page_lists_the_six_rotations_with_gender_and_age(as_official):
    response = as_official.get(
        reverse("reports:movements"),
        {"unit": "350", "from": "2020-10-01", "to": "2023-06-30",
         "direction": "district_to_commune", "kind": "rotation"},
    )  # fmt: skip

    assert text_of(response, "movements-summary") == (
        "Hiển thị 6 trong số 61 lượt luân chuyển, điều động của thời kỳ."
    )
    assert text_of(response, "table-by_gender").endswith("nam 4 nữ 2")
    assert text_of(response, "table-by_age_band").endswith("dưới 35 tuổi 0 từ 35 tuổi trở lên 6")


def test_the_unit_page_of_le_ho_shows_dinh_hong_kien_non_local(as_official, le_ho, kien):
    response = as_official.get(reverse("reports:unit", args=[le_ho.pk]), {"date": "2023-06-30"})

    assert response.status_code == 200
    row = text_of(response, f"leader-party_secretary-{kien.pk}")
    assert "Đinh Hồng Kiên" in row
    assert "Tân Sơn" in row
    assert "không phải người địa phương" in row
    history = text_of(response, "table-leaders_history")
    assert "Bí thư Đảng ủy Đinh Hồng Kiên 15/12/2021 đang giữ" in history


def test_the_cadre_page_shows_the_timeline_and_the_verdict(as_official, kien):
    response = as_official.get(reverse("reports:cadre", args=[kien.pk]), {"date": "2023-06-30"})

    assert "Tân Sơn" in text_of(response, "cadre-hometown")
    current = text_of(response, "current-posts")
    assert "Bí thư Đảng ủy – Đảng ủy xã Lê Hồ" in current
    assert "không phải người địa phương" in current
    movements = text_of(response, "table-movements")
    assert "15/12/2021" in movements
    assert "Đảng ủy xã Tân Sơn" in movements


def test_a_secretary_on_his_home_commune_is_local(as_official, kien):
    response = as_official.get(reverse("reports:cadre", args=[kien.pk]), {"date": "2021-06-01"})

    current = text_of(response, "current-posts")
    assert "Đảng ủy xã Tân Sơn" in current
    assert "người địa phương (quê quán)" in current
    assert "không phải" not in current


def test_the_returns_page_lists_the_rotations_ending(as_official):
    response = as_official.get(
        reverse("reports:returns"), {"unit": "350", "date": "2023-06-30", "within": "365"}
    )

    due = text_of(response, "table-due")
    assert "Phan Công Hải" in due
    assert "29/02/2024" in due


def test_the_vacancies_page_lists_the_vacant_key_seats(as_official):
    response = as_official.get(
        reverse("reports:vacancies"), {"unit": "350", "date": "2023-06-30", "key": "1"}
    )

    assert "Hoàng Tây" in text_of(response, "table-vacancies")
    assert text_of(response, "vacancies-summary") == "Còn khuyết 1 vị trí."


def test_the_code_of_a_merged_unit_after_the_reform_gives_a_message_with_links(as_official):
    response = overview(as_official, "2026-01-01", **ENGLISH)

    assert response.status_code == 200
    notice = text_of(response, "notices")
    assert "No unit has code 350 on 01/01/2026" in notice
    assert "district-level town Kim Bảng (350) – 01/01/2025 – 30/06/2025" in notice
