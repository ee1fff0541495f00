"""The area rule (``access.areas``) on Kim Bảng's units through the 2025 reforms."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from access.areas import area_for, area_of
from access.models import UserArea
from access.roles import ADMIN, group_for
from cadres.models import Cadre
from cadres.tests.factories import CadreFactory
from communes.models import AdministrativeUnit, Organisation, OrganisationKind, UnitKind
from communes.services import organisation_create, post_create, unit_create
from rotation.models import Decision
from rotation.services import assignment_record, decision_create, movement_add

D = datetime.date


def user_of(*units, name: str = "someone"):
    user = get_user_model().objects.create_user(name)
    for unit in units:
        UserArea.objects.create(user=user, unit=unit)
    return user


def names(area) -> set[str]:
    return {
        f"{unit.name} ({unit.valid_from.year})"
        for unit in area.filter(AdministrativeUnit.objects.all())
    }


@pytest.fixture
def elsewhere(db):
    """Another province with a district and a commune, unrelated to Kim Bảng."""
    start = D(2010, 1, 1)
    province = unit_create(code="04", name="Cao Bằng", kind=UnitKind.PROVINCE, valid_from=start)
    district = unit_create(
        code="042", name="Hòa An", kind=UnitKind.DISTRICT, parent=province, valid_from=start
    )
    commune = unit_create(
        code="01234", name="Hồng Việt", kind=UnitKind.COMMUNE, parent=district, valid_from=start
    )
    return province, district, commune


def test_a_district_sees_its_communes_the_town_it_became_and_the_wards_after_the_merger(
    kim_bang_units, elsewhere
):
    area = area_for(user_of(kim_bang_units.district))

    assert names(area) == {
        "Kim Bảng (2010)",  # the district
        "Kim Bảng (2025)",  # the town it became (re-grading)
        *(f"{name} (2010)" for name in kim_bang_units.communes),  # every commune below it
        "Tân Tựu (2025)",  # under the town, from Nhật Tân and Nhật Tựu
        "Lê Hồ (2025)",  # the wards that took over its communes
        "Kim Thanh (2025)",
    }
    # Neither the province above it, nor the province its wards moved to, nor elsewhere.
    for unit in (kim_bang_units.ha_nam, kim_bang_units.ninh_binh, *elsewhere):
        assert not area.has_unit(unit.pk)
    assert area.above_ids == {kim_bang_units.ha_nam.pk, kim_bang_units.ninh_binh.pk}


def test_a_ward_sees_the_communes_it_took_over_and_nothing_of_its_neighbours(kim_bang_units):
    area = area_for(user_of(kim_bang_units.wards["Kim Thanh"]))

    assert names(area) == {
        "Kim Thanh (2025)",
        "Tân Tựu (2025)",  # its predecessors, and theirs
        "Hoàng Tây (2010)",
        "Nhật Tân (2010)",
        "Nhật Tựu (2010)",
    }


def test_a_province_sees_what_it_became_after_the_merger(kim_bang_units, elsewhere):
    area = area_for(user_of(kim_bang_units.ha_nam))

    assert area.has_unit(kim_bang_units.ninh_binh.pk)
    assert area.has_unit(kim_bang_units.wards["Lê Hồ"].pk)
    assert not any(area.has_unit(unit.pk) for unit in elsewhere)


def test_several_units_add_up(kim_bang_units, elsewhere):
    area = area_for(user_of(kim_bang_units.communes["Quế"], elsewhere[2]))

    assert names(area) == {"Quế (2010)", "Hồng Việt (2010)"}


def test_a_user_without_an_area_sees_nothing(kim_bang_units):
    area = area_for(user_of())

    assert not area.filter(AdministrativeUnit.objects.all()).exists()
    assert not area.filter(Decision.objects.all()).exists()


def test_superusers_and_administrators_see_every_area(kim_bang_units, elsewhere):
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    administrator = user_of(name="admin")
    administrator.groups.add(group_for(ADMIN))
    every = AdministrativeUnit.objects.count()

    for user in (superuser, administrator):
        area = area_for(user)
        assert area.unrestricted
        assert area.filter(AdministrativeUnit.objects.all()).count() == every


def test_an_inactive_user_sees_nothing(kim_bang_units):
    user = user_of(kim_bang_units.district)
    user.is_active = False

    assert not area_for(user).filter(AdministrativeUnit.objects.all()).exists()


def test_the_area_is_read_in_two_queries_once_per_request(
    kim_bang_units, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = user_of(kim_bang_units.district)

    with django_assert_num_queries(2):  # administrator? then the units, in one query
        first = area_of(request)
    with django_assert_num_queries(0):
        again = area_of(request)

    assert again is first


def test_the_area_follows_the_user_of_the_request(kim_bang_units):
    request = RequestFactory().get("/")
    request.user = user_of(kim_bang_units.district, name="first")
    first = area_of(request)
    request.user = user_of(kim_bang_units.communes["Quế"], name="second")

    assert area_of(request) != first
    assert area_of(request).unit_ids == {kim_bang_units.communes["Quế"].pk}


# --------------------------------------------------------------------------- records


@pytest.fixture
def le_ho(kim_bang_units):
    commune = kim_bang_units.communes["Lê Hồ"]
    committee = organisation_create(
        unit=commune, kind=OrganisationKind.PARTY_COMMITTEE, name="Đảng ủy xã Lê Hồ"
    )
    return commune, committee, post_create(organisation=committee, role="party_secretary")


def test_a_cadre_is_in_the_area_by_a_post_held_there_or_by_a_place(
    kim_bang_units, le_ho, elsewhere
):
    commune, _, secretary = le_ho
    foreign = elsewhere[2]
    by_post = CadreFactory(hometown=foreign, full_name="Giữ chức")
    assignment_record(cadre=by_post, post=secretary, start_date=D(2019, 1, 1))
    CadreFactory(hometown=commune, full_name="Quê ở đây")
    CadreFactory(hometown=foreign, permanent_residence=commune, full_name="Ở đây")
    CadreFactory(hometown=foreign, birthplace=commune, full_name="Sinh ở đây")
    stranger = CadreFactory(hometown=foreign, full_name="Người nơi khác")

    seen = set(
        area_for(user_of(kim_bang_units.district))
        .filter(Cadre.objects.all())
        .values_list("full_name", flat=True)
    )

    assert seen == {"Giữ chức", "Quê ở đây", "Ở đây", "Sinh ở đây"}
    assert stranger.full_name not in seen


def test_a_decision_is_in_the_area_by_its_body_or_one_of_its_lines(
    kim_bang_units, le_ho, elsewhere
):
    _commune, committee, secretary = le_ho
    province_body = organisation_create(
        unit=kim_bang_units.ha_nam,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Hà Nam",
    )
    foreign_body = organisation_create(
        unit=elsewhere[0],
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Cao Bằng",
    )

    def draft(number, body):
        return decision_create(
            number=number, signed_on=D(2021, 1, 4), issuing_body=body, signer="Bí thư"
        )

    by_body = draft("1-QĐ/ĐU", committee)
    by_line = draft("2-QĐ/TU", province_body)
    movement_add(
        decision=by_line,
        kind="appointment",
        cadre=CadreFactory(hometown=elsewhere[2]),
        to_post=secretary,
        effective_date=D(2021, 1, 5),
    )
    started_above = draft("3-QĐ/TU", province_body)  # no line yet, by the province
    elsewhere_draft = draft("4-QĐ/TU", foreign_body)

    seen = set(
        area_for(user_of(kim_bang_units.district))
        .filter(Decision.objects.all())
        .values_list("number", flat=True)
    )

    assert seen == {by_body.number, by_line.number, started_above.number}
    assert elsewhere_draft.number not in seen


def test_issuing_bodies_come_from_the_area_and_the_units_above_it(kim_bang_units, le_ho, elsewhere):
    _, committee, _ = le_ho
    above = organisation_create(
        unit=kim_bang_units.ninh_binh,
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Ninh Bình",
    )
    foreign = organisation_create(
        unit=elsewhere[0],
        kind=OrganisationKind.PARTY_STANDING_COMMITTEE,
        name="Ban Thường vụ Tỉnh ủy Cao Bằng",
    )
    area = area_for(user_of(kim_bang_units.district))

    bodies = set(area.issuing_bodies(Organisation.objects.all()))
    organisations = set(area.filter(Organisation.objects.all()))

    assert {committee, above} <= bodies
    assert foreign not in bodies
    # Above the area is for issuing bodies only: the organisations of the area are its own.
    assert organisations == {committee}


def test_a_model_the_rule_does_not_know_is_refused_rather_than_shown(kim_bang_units):
    area = area_for(user_of(kim_bang_units.district))

    with pytest.raises(LookupError, match="no rule"):
        area.filter(get_user_model().objects.all())
