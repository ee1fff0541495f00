"""Administrative units over time: which unit carries a code, and what lies within it, on a day.

The ``kim_bang_units`` fixture (``units`` here) replays the 2025 reforms with
``communes.services.unit_succeed``: Nhật Tân + Nhật Tựu → Tân Tựu (code 13402 reused) and
district → town on 01/01/2025, then wards of Ninh Bình on 01/07/2025.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from communes.models import AdministrativeUnit, SuccessionKind, UnitLevel
from communes.selectors import (
    UnitTimeline,
    predecessors_of,
    successors_of,
    unit_area_ids,
    unit_children,
    unit_on,
    units_within,
)

D = datetime.date
MERGE_DAY = D(2025, 1, 1)
EVE_OF_MERGE = D(2024, 12, 31)
REFORM_DAY = D(2025, 7, 1)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def units(kim_bang_units):
    return kim_bang_units


def names(found) -> set[str]:
    return {unit.name for unit in found}


# --------------------------------------------------------------------------- valid_on


def test_valid_on_lists_both_merged_communes_until_the_eve_of_the_merge(units):
    merged = [units.communes["Nhật Tân"], units.communes["Nhật Tựu"]]

    valid = AdministrativeUnit.objects.valid_on(EVE_OF_MERGE).filter(pk__in=[u.pk for u in merged])

    assert names(valid) == {"Nhật Tân", "Nhật Tựu"}


def test_valid_on_lists_only_the_successor_from_the_day_of_the_merge(units):
    merged = [units.communes["Nhật Tân"], units.communes["Nhật Tựu"], units.tan_tuu]

    valid = AdministrativeUnit.objects.valid_on(MERGE_DAY).filter(pk__in=[u.pk for u in merged])

    assert list(valid) == [units.tan_tuu]


def test_a_reused_code_names_one_unit_on_each_day(units):
    def carrying(day):
        return list(AdministrativeUnit.objects.valid_on(day).with_code("13402"))

    assert carrying(EVE_OF_MERGE) == [units.communes["Nhật Tân"]]
    assert carrying(MERGE_DAY) == [units.tan_tuu]
    assert carrying(REFORM_DAY) == [units.wards["Kim Thanh"]]
    assert AdministrativeUnit.objects.with_code("13402").count() == 3


def test_merge_ends_the_predecessors_the_day_before_and_links_them_to_the_successor(units):
    nhat_tan, nhat_tuu = units.communes["Nhật Tân"], units.communes["Nhật Tựu"]

    assert (nhat_tan.valid_to, nhat_tuu.valid_to) == (EVE_OF_MERGE, EVE_OF_MERGE)
    assert units.tan_tuu.valid_from == MERGE_DAY
    assert set(units.tan_tuu.predecessors.all()) == {nhat_tan, nhat_tuu}
    assert set(units.tan_tuu.predecessor_links.values_list("kind", flat=True)) == {
        SuccessionKind.MERGE
    }


def test_a_regraded_district_keeps_its_code_and_becomes_a_district_level_town(units):
    assert units.district.valid_to == EVE_OF_MERGE
    assert (units.town.code, units.town.level) == ("350", UnitLevel.DISTRICT)
    assert list(units.town.predecessors.all()) == [units.district]


# --------------------------------------------------------------------------- unit_on


def test_unit_on_finds_the_unit_carrying_a_code_on_each_day(units):
    assert unit_on("13402", D(2021, 12, 1)) == units.communes["Nhật Tân"]
    assert unit_on("13402", D(2025, 3, 1)) == units.tan_tuu
    assert unit_on(" 13402 ", D(2025, 8, 1)) == units.wards["Kim Thanh"]


def test_unit_on_refuses_a_code_that_names_no_unit_that_day_and_says_when_it_did(units):
    with pytest.raises(ValidationError) as caught:
        unit_on("13399", D(2025, 3, 1))

    assert caught.value.code == "unit_not_valid"
    [message] = caught.value.messages
    assert "13399" in message
    assert "01/03/2025" in message
    assert f"Nhật Tựu ({units.communes['Nhật Tựu'].period_display()})" in message


def test_unit_on_refuses_an_unknown_code_with_a_readable_message(units):
    with pytest.raises(ValidationError) as caught:
        unit_on("99999", D(2021, 1, 1))

    assert caught.value.code == "unknown_unit"
    assert caught.value.messages == ["There is no administrative unit with code 99999."]


# --------------------------------------------------------------------------- the tree on a day


def test_children_of_a_district_are_its_communes_of_that_day(units):
    assert names(unit_children(units.district, D(2024, 6, 1))) == set(units.communes)


def test_children_of_a_regraded_town_include_the_communes_recorded_under_the_old_district(
    units,
):
    children = unit_children(units.town, D(2025, 3, 1))

    unchanged = set(units.communes) - {"Nhật Tân", "Nhật Tựu"}
    assert names(children) == unchanged | {"Tân Tựu"}
    assert {c.parent_id for c in children} == {units.district.pk, units.town.pk}


def test_children_of_the_new_province_are_the_wards_once_districts_are_gone(units):
    assert names(unit_children(units.ninh_binh, D(2025, 8, 1))) == set(units.wards)


def test_units_within_a_province_walk_down_to_the_communes_of_the_day(units):
    within = units_within(units.ha_nam, D(2025, 3, 1))

    unchanged = set(units.communes) - {"Nhật Tân", "Nhật Tựu"}
    assert names(within) == {"Kim Bảng"} | unchanged | {"Tân Tựu"}
    assert [u.code for u in within] == sorted(u.code for u in within)
    assert [u.name for u in units_within(units.ha_nam, D(2025, 3, 1), level="district")] == [
        "Kim Bảng"
    ]


def test_units_within_a_town_of_one_level_sorted_by_code(units):
    communes = units_within(units.town, D(2025, 3, 1), level=UnitLevel.COMMUNE)

    expected = [
        u
        for u in AdministrativeUnit.objects.valid_on(D(2025, 3, 1)).commune_level()
        if u.parent_id in (units.district.pk, units.town.pk)
    ]
    assert communes == sorted(expected, key=lambda u: u.code)
    assert units.communes["Nhật Tân"] not in communes


def test_area_of_the_town_covers_every_version_of_it_and_of_its_communes(units):
    area = unit_area_ids(units.town)

    expected = {units.town.pk, units.district.pk, units.tan_tuu.pk}
    expected |= {u.pk for u in units.communes.values()}
    assert area == expected


def test_area_of_a_ward_covers_the_communes_it_absorbed_and_theirs(units):
    area = unit_area_ids(units.wards["Kim Thanh"])

    absorbed = [units.communes[n] for n in ("Nhật Tân", "Nhật Tựu", "Hoàng Tây")]
    assert area == {units.wards["Kim Thanh"].pk, units.tan_tuu.pk} | {u.pk for u in absorbed}


def test_lineages_follow_successions_transitively(units):
    nhat_tan = units.communes["Nhật Tân"]
    kim_thanh = units.wards["Kim Thanh"]

    assert successors_of([nhat_tan.pk])[nhat_tan.pk] == {units.tan_tuu.pk, kim_thanh.pk}
    assert predecessors_of([kim_thanh.pk])[kim_thanh.pk] == {
        units.tan_tuu.pk,
        nhat_tan.pk,
        units.communes["Nhật Tựu"].pk,
        units.communes["Hoàng Tây"].pk,
    }


# --------------------------------------------------------------------------- UnitTimeline


def test_timeline_moves_an_old_commune_forward_to_the_units_that_absorbed_it(units):
    nhat_tan = units.communes["Nhật Tân"]
    timeline = UnitTimeline([nhat_tan.pk])

    assert timeline.on(nhat_tan.pk, D(2021, 1, 1)) == {nhat_tan.pk}
    assert timeline.on(nhat_tan.pk, D(2025, 3, 1)) == {units.tan_tuu.pk}
    assert timeline.on(nhat_tan.pk, D(2025, 8, 1)) == {units.wards["Kim Thanh"].pk}


def test_timeline_moves_a_new_ward_back_to_every_commune_it_covers(units):
    ward = units.wards["Lê Hồ"]
    timeline = UnitTimeline([ward.pk])

    covered = {units.communes[n].pk for n in ("Lê Hồ", "Đại Cương", "Đồng Hóa")}
    assert timeline.on(ward.pk, D(2021, 12, 1)) == covered
    assert timeline.on(ward.pk, D(2025, 8, 1)) == {ward.pk}


def test_timeline_knows_nothing_of_units_it_was_not_built_for(units):
    timeline = UnitTimeline([units.tan_tuu.pk])

    assert timeline.on(units.communes["Quế"].pk, D(2021, 1, 1)) == set()


def test_timeline_loads_any_number_of_units_in_three_queries(units, django_assert_num_queries):
    every = list(AdministrativeUnit.objects.values_list("pk", flat=True))

    # successors (one recursive query), predecessors (one), the units themselves (one)
    with django_assert_num_queries(3):
        UnitTimeline(every[:2])
    with django_assert_num_queries(3):
        UnitTimeline(every)
