"""``GET /units/{id}/holders/`` on the Kim Bảng records (DOMAIN.md §5), at mid-term.

A module of its own: the ``kim_bang`` records stay loaded for the whole module, and the
other API tests build the smaller ``world`` with the same province code.
"""

import pytest
from django.urls import reverse

from communes.tests.api_support import make_cast

pytestmark = pytest.mark.usefixtures("kim_bang", "english")


@pytest.fixture
def official(area_units):
    return make_cast(area_units).official


def key_holders(official, code: str, day: str) -> dict[str, list[tuple[str, bool]]]:
    units = official.get(reverse("unit-list"), {"code": code, "as_of": day}).json()["results"]
    assert len(units) == 1, units
    response = official.get(
        reverse("unit-holders", args=[units[0]["id"]]), {"date": day, "key_only": "true"}
    )
    assert response.status_code == 200, response.content
    return {
        post["role_code"]: [(h["full_name"], h["is_local"]) for h in post["holders"]]
        for post in response.json()["posts"]
    }


def test_le_ho_party_secretary_at_mid_term_is_dinh_hong_kien_non_local(official):
    holders = key_holders(official, "13393", "2023-06-30")

    assert holders["party_secretary"] == [("Đinh Hồng Kiên", False)]


def test_before_his_transfer_dinh_hong_kien_was_secretary_of_tan_son(official):
    holders = key_holders(official, "13411", "2021-06-30")

    assert holders["party_secretary"] == [("Đinh Hồng Kiên", True)]


def test_que_chairman_at_mid_term_is_nguyen_trung_truc_non_local(official):
    holders = key_holders(official, "13384", "2023-06-30")

    assert holders["people_committee_chairman"] == [("Nguyễn Trung Trực", False)]
