"""Local or non-local (DOMAIN.md §3.7): by hometown or permanent residence, following merges.

The ``kim_bang_units`` fixture replays the 2025 reforms: Nhật Tân + Nhật Tựu → Tân Tựu
(01/01/2025), then Lê Hồ + Đại Cương + Đồng Hóa → Lê Hồ ward and Tân Tựu + Hoàng Tây →
Kim Thanh ward (01/07/2025). A place recorded before a merge lies in the unit that
absorbed it; a place recorded after it covers every unit it absorbed.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.locality import LocalityRule, is_local
from cadres.models import LocalityOverride
from cadres.services import locality_override_set
from cadres.tests.factories import CadreFactory
from communes.models import UnitKind
from communes.services import unit_create

D = datetime.date
IN_2021 = D(2021, 12, 1)
AFTER_MERGE = D(2025, 3, 1)
AFTER_REFORM = D(2025, 8, 1)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def units(kim_bang_units):
    return kim_bang_units


def cadre_from(hometown, residence=None, birthplace=None, **fields):
    return CadreFactory(
        hometown=hometown,
        permanent_residence=residence or hometown,
        birthplace=birthplace,
        **fields,
    )


# --------------------------------------------------------------------------- the default rule


def test_local_by_hometown(units):
    cadre = cadre_from(units.communes["Lê Hồ"], residence=units.communes["Quế"])

    verdict = is_local(cadre, units.communes["Lê Hồ"], IN_2021)

    assert (verdict.is_local, verdict.basis) == (True, "hometown")
    assert verdict.basis_label == "hometown"


def test_local_by_permanent_residence(units):
    cadre = cadre_from(units.communes["Quế"], residence=units.communes["Đại Cương"])

    verdict = is_local(cadre, units.communes["Đại Cương"], IN_2021)

    assert (verdict.is_local, verdict.basis) == (True, "permanent_residence")


def test_non_local_when_no_recorded_place_lies_in_the_unit(units):
    cadre = cadre_from(units.communes["Quế"], residence=units.communes["Đại Cương"])

    verdict = is_local(cadre, units.communes["Lê Hồ"], IN_2021)

    assert (verdict.is_local, verdict.basis) == (False, "none")
    assert verdict.basis_label == "no recorded place in the unit"


def test_birthplace_does_not_make_a_cadre_local_by_default(units):
    cadre = cadre_from(units.communes["Quế"], birthplace=units.communes["Đồng Hóa"])

    assert is_local(cadre, units.communes["Đồng Hóa"], IN_2021).is_local is False


def test_birthplace_makes_a_cadre_local_where_the_province_configures_it(units, settings):
    settings.CADRE_LOCALITY_BASES = ("hometown", "permanent_residence", "birthplace")
    cadre = cadre_from(units.communes["Quế"], birthplace=units.communes["Đồng Hóa"])

    verdict = is_local(cadre, units.communes["Đồng Hóa"], IN_2021)

    assert (verdict.is_local, verdict.basis) == (True, "birthplace")


def test_a_rule_by_hometown_only_ignores_the_residence(units):
    cadre = cadre_from(units.communes["Quế"], residence=units.communes["Đại Cương"])

    rule = LocalityRule(IN_2021, bases=["hometown"]).prepare([cadre])

    assert rule.verdict(cadre, units.communes["Đại Cương"]).is_local is False
    assert rule.verdict(cadre, units.communes["Quế"]).is_local is True


@pytest.mark.parametrize("bases", [[], ["upbringing"]])
def test_a_rule_refuses_unknown_or_no_bases(bases):
    with pytest.raises(ValueError, match="Locality bases must be among"):
        LocalityRule(IN_2021, bases=bases)


# --------------------------------------------------------------------------- merges


def test_hometown_recorded_as_an_old_commune_is_local_to_the_units_that_absorbed_it(units):
    cadre = cadre_from(units.communes["Nhật Tân"])

    assert is_local(cadre, units.tan_tuu, AFTER_MERGE).is_local is True
    assert is_local(cadre, units.wards["Kim Thanh"], AFTER_REFORM).is_local is True
    assert is_local(cadre, units.wards["Lê Hồ"], AFTER_REFORM).is_local is False


def test_hometown_recorded_as_a_new_ward_is_local_to_each_commune_it_absorbed(units):
    cadre = cadre_from(units.wards["Lê Hồ"])

    for name in ("Lê Hồ", "Đại Cương", "Đồng Hóa"):
        assert is_local(cadre, units.communes[name], IN_2021).is_local is True, name
    assert is_local(cadre, units.communes["Quế"], IN_2021).is_local is False


def test_a_commune_is_not_local_to_its_neighbour_before_they_merged(units):
    cadre = cadre_from(units.communes["Nhật Tân"])

    assert is_local(cadre, units.communes["Nhật Tựu"], IN_2021).is_local is False
    assert is_local(cadre, units.communes["Nhật Tân"], IN_2021).is_local is True


# --------------------------------------------------------------------------- district level


def test_local_to_the_district_that_contains_the_hometown(units):
    cadre = cadre_from(units.communes["Lê Hồ"])

    assert is_local(cadre, units.district, IN_2021).is_local is True


def test_local_to_the_regraded_town_through_the_commune_recorded_under_the_old_district(units):
    from_le_ho = cadre_from(units.communes["Lê Hồ"])
    from_nhat_tan = cadre_from(units.communes["Nhật Tân"])

    assert is_local(from_le_ho, units.town, AFTER_MERGE).is_local is True
    assert is_local(from_nhat_tan, units.town, AFTER_MERGE).is_local is True


def test_non_local_to_a_district_whose_communes_do_not_hold_the_hometown(units):
    duy_tien = unit_create(
        code="347",
        name="Duy Tiên",
        kind=UnitKind.DISTRICT,
        parent=units.ha_nam,
        valid_from=D(2010, 1, 1),
    )
    elsewhere = unit_create(
        code="13300",
        name="Chuyên Ngoại",
        kind=UnitKind.COMMUNE,
        parent=duy_tien,
        valid_from=D(2010, 1, 1),
    )
    cadre = cadre_from(elsewhere)

    assert is_local(cadre, units.district, IN_2021).is_local is False
    assert is_local(cadre, duy_tien, IN_2021).is_local is True


# --------------------------------------------------------------------------- HR override


REASON = "Lớn lên và công tác hơn 20 năm tại xã"


def test_override_makes_a_non_local_cadre_local_with_its_reason(units, django_user_model):
    hr_user = django_user_model.objects.create_user("hr_staff")
    cadre = cadre_from(units.communes["Quế"])

    override = locality_override_set(
        cadre=cadre, unit=units.communes["Lê Hồ"], is_local=True, reason=f" {REASON} ", by=hr_user
    )
    verdict = is_local(cadre, units.communes["Lê Hồ"], IN_2021)

    assert (verdict.is_local, verdict.basis, verdict.reason) == (True, "override", REASON)
    assert (override.reason, override.created_by) == (REASON, hr_user)


def test_override_makes_a_cadre_local_by_hometown_non_local(units):
    cadre = cadre_from(units.communes["Lê Hồ"])

    locality_override_set(
        cadre=cadre,
        unit=units.communes["Lê Hồ"],
        is_local=False,
        reason="Gia đình chuyển đi từ nhỏ, không sinh sống tại xã",
    )

    verdict = is_local(cadre, units.communes["Lê Hồ"], IN_2021)
    assert (verdict.is_local, verdict.basis) == (False, "override")


def test_override_follows_the_unit_through_its_merge(units):
    cadre = cadre_from(units.communes["Quế"])
    locality_override_set(
        cadre=cadre, unit=units.communes["Đại Cương"], is_local=True, reason=REASON
    )

    assert is_local(cadre, units.wards["Lê Hồ"], AFTER_REFORM).basis == "override"
    assert is_local(cadre, units.communes["Lê Hồ"], IN_2021).is_local is False


def test_setting_an_override_again_replaces_it(units):
    cadre = cadre_from(units.communes["Quế"])
    locality_override_set(cadre=cadre, unit=units.communes["Lê Hồ"], is_local=True, reason=REASON)

    locality_override_set(
        cadre=cadre,
        unit=units.communes["Lê Hồ"],
        is_local=False,
        reason="Nhập sai, theo Công văn 12/BTC",
    )

    assert LocalityOverride.objects.get().is_local is False
    assert is_local(cadre, units.communes["Lê Hồ"], IN_2021).is_local is False


@pytest.mark.parametrize("reason", ["", "   ", "vì lý do"])
def test_override_rejects_a_missing_or_too_short_reason(units, refused, reason):
    cadre = cadre_from(units.communes["Quế"])

    refusal = refused(
        locality_override_set,
        cadre=cadre,
        unit=units.communes["Lê Hồ"],
        is_local=True,
        reason=reason,
    )

    assert refusal.keys == {"reason"}
    assert refusal.messages("reason") == [
        "Write the reason for the exception in a sentence (10 characters at least)."
    ]


# --------------------------------------------------------------------------- many cadres


def cadres_across(units, count: int):
    places = [*units.communes.values(), units.tan_tuu, *units.wards.values()]
    cadres = []
    for n in range(count):
        cadre = cadre_from(
            places[n % len(places)],
            residence=places[(n + 3) % len(places)],
            birthplace=places[(n + 5) % len(places)],
        )
        if n % 4 == 0:
            locality_override_set(
                cadre=cadre, unit=places[(n + 1) % len(places)], is_local=True, reason=REASON
            )
        cadres.append(cadre)
    return cadres


def verdicts_and_queries(cadres, units_asked, day):
    with CaptureQueriesContext(connection) as queries:
        rule = LocalityRule(day).prepare(cadres)
        verdicts = [rule.verdict(cadre, unit) for cadre in cadres for unit in units_asked]
    return verdicts, len(queries)


@pytest.mark.parametrize("day", [IN_2021, AFTER_REFORM])
def test_verdicts_for_many_cadres_take_a_constant_number_of_queries(units, day):
    asked = [units.district, *units.communes.values(), *units.wards.values()]
    few = cadres_across(units, 4)
    many = few + cadres_across(units, 8)

    few_verdicts, few_queries = verdicts_and_queries(few, asked, day)
    many_verdicts, many_queries = verdicts_and_queries(many, asked, day)

    # overrides; then successors, predecessors and rows of the recorded places; then the
    # same three for their parents: 7 queries, however many cadres
    assert few_queries == many_queries == 7
    assert len(many_verdicts) == 3 * len(few_verdicts)
    assert any(v.is_local for v in many_verdicts)
    assert any(v.basis == "override" for v in many_verdicts)


def test_verdicts_agree_with_one_by_one_answers(units):
    cadres = cadres_across(units, 6)
    asked = [units.district, *units.communes.values()]

    rule = LocalityRule(IN_2021).prepare(cadres)

    for cadre in cadres:
        for unit in asked:
            assert rule.verdict(cadre, unit) == is_local(cadre, unit, IN_2021)


def test_a_verdict_about_a_cadre_left_out_of_prepare_is_still_right(units):
    prepared = cadre_from(units.communes["Quế"])
    forgotten = cadre_from(units.communes["Nhật Tân"])

    rule = LocalityRule(AFTER_MERGE).prepare([prepared])

    assert rule.verdict(forgotten, units.tan_tuu).is_local is True
    assert rule.verdict(prepared, units.communes["Quế"]).is_local is True
