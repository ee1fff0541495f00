"""Writes for units, organisations and posts through ``communes.services``.

A merge, a rename or a re-grading is recorded with ``unit_succeed``: the old records end
the day before and keep pointing where they did, so records of their time stay true.
"""

import datetime

import pytest

from communes.models import AdministrativeUnit, Organisation, OrganisationKind, Post, UnitKind
from communes.services import (
    organisation_create,
    post_create,
    post_set_seats,
    unit_create,
    unit_end,
    unit_succeed,
)
from rotation.models import Assignment, MovementKind
from rotation.services import assignment_end

D = datetime.date
MERGE_DAY = D(2025, 1, 1)
EVE = D(2024, 12, 31)

pytestmark = pytest.mark.usefixtures("english")


# --------------------------------------------------------------------------- unit_create


def test_create_a_unit_with_its_code_trimmed_and_its_name_composed(world):
    unit = unit_create(
        code=" 13390 ",
        name="Đại Cương",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        valid_from=D(2010, 1, 1),
    )

    unit.refresh_from_db()
    assert (unit.code, unit.name, unit.name_folded) == ("13390", "Đại Cương", "dai cuong")
    assert unit.parent == world.district


def test_create_rejects_a_code_that_is_not_2_to_5_digits(world, refused):
    refusal = refused(
        unit_create,
        code="1339A",
        name="Đại Cương",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        valid_from=D(2010, 1, 1),
    )

    assert refusal.keys == {"code"}
    assert refusal.messages("code") == [
        "An official unit code has 2 to 5 digits (province 2, district 3, commune 5)."
    ]


def test_create_rejects_a_commune_without_a_parent_beside_the_parent_field(db, refused):
    refusal = refused(
        unit_create, code="13390", name="Đại Cương", kind=UnitKind.COMMUNE, valid_from=D(2010, 1, 1)
    )

    assert refusal.keys == {"parent"}
    assert refusal.messages("parent") == ["Choose the unit this commune belongs to."]


def test_create_rejects_a_province_with_a_parent(world, refused):
    refusal = refused(
        unit_create,
        code="37",
        name="Ninh Bình",
        kind=UnitKind.PROVINCE,
        parent=world.province,
        valid_from=D(2010, 1, 1),
    )

    assert refusal.keys == {"parent"}


def test_create_rejects_a_parent_of_the_wrong_level(world, refused):
    refusal = refused(
        unit_create,
        code="351",
        name="Duy Tiên",
        kind=UnitKind.DISTRICT,
        parent=world.communes[0],
        valid_from=D(2010, 1, 1),
    )

    assert refusal.messages("parent") == ["A district cannot belong to a commune."]


def test_create_accepts_a_ward_directly_under_a_province(world):
    """Since 01/07/2025 commune-level units sit under the province, with no district."""
    ward = unit_create(
        code="13396",
        name="Nguyễn Úy",
        kind=UnitKind.WARD,
        parent=world.province,
        valid_from=D(2025, 7, 1),
    )

    assert ward.parent == world.province


def test_create_rejects_a_parent_that_does_not_exist_yet(world, refused):
    refusal = refused(
        unit_create,
        code="13390",
        name="Đại Cương",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        valid_from=D(2009, 12, 31),
    )

    assert refusal.messages("parent") == [
        "Kim Bảng does not exist on 31/12/2009, when this unit starts."
    ]


def test_create_rejects_a_code_that_names_another_unit_at_the_same_time(world, refused):
    refusal = refused(
        unit_create,
        code="13393",
        name="Đại Cương",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        valid_from=D(2020, 1, 1),
    )

    assert refusal.keys == {"code"}
    assert refusal.messages("code") == ["Code 13393 already names Lê Hồ during from 01/01/2010."]


# --------------------------------------------------------------------------- unit_succeed


def merge_le_ho_and_tan_son(world, **kwargs):
    """Not what happened, but the shape of every merge: two communes into one."""
    return unit_succeed(
        predecessors=[world.communes[0], world.communes[1]],
        code="13393",
        name="Lê Hồ",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=MERGE_DAY,
        legal_basis="Nghị quyết 1318/NQ-UBTVQH15",
        **kwargs,
    )


def test_merge_ends_the_communes_their_organisations_and_posts_the_day_before(world):
    merged = merge_le_ho_and_tan_son(world)

    old = AdministrativeUnit.objects.filter(pk__in=[u.pk for u in world.communes[:2]])
    assert set(old.values_list("valid_to", flat=True)) == {EVE}
    assert set(Organisation.objects.filter(unit__in=old).values_list("valid_to", flat=True)) == {
        EVE
    }
    assert set(
        Post.objects.filter(organisation__unit__in=old).values_list("valid_to", flat=True)
    ) == {EVE}
    assert merged.valid_from == MERGE_DAY
    assert set(merged.predecessors.all()) == set(old)
    assert set(merged.predecessor_links.values_list("legal_basis", flat=True)) == {
        "Nghị quyết 1318/NQ-UBTVQH15"
    }
    assert list(AdministrativeUnit.objects.valid_on(MERGE_DAY).with_code("13393")) == [merged]
    assert list(AdministrativeUnit.objects.valid_on(EVE).with_code("13393")) == [world.communes[0]]


def test_merge_rejects_units_whose_posts_are_still_held(world, hr, make_cadre, refused):
    hr.seat(make_cadre(0, full_name="Lê Văn Ba"), world.post(0, "party_secretary"))
    hr.seat(make_cadre(1, full_name="Đinh Hồng Kiên"), world.post(1, "party_secretary"))

    refusal = refused(merge_le_ho_and_tan_son, world=world)

    assert refusal.keys == {"predecessors"}
    assert refusal.messages("predecessors") == [
        "2 posts are still held in these units (Lê Văn Ba, Đinh Hồng Kiên); record the "
        "movements first or give a reason to end them on 31/12/2024."
    ]


def test_merge_with_a_reason_ends_the_posts_still_held(world, hr, make_cadre):
    secretary = hr.seat(make_cadre(0), world.post(0, "party_secretary"))
    elsewhere = hr.seat(make_cadre(2), world.post(2, "party_secretary"))

    merge_le_ho_and_tan_son(world, end_assignments_reason="Sáp nhập theo NQ 1318")

    secretary.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (secretary.end_date, secretary.end_reason) == (EVE, "Sáp nhập theo NQ 1318")
    assert elsewhere.end_date is None
    assert not Assignment.objects.as_of(MERGE_DAY).filter(pk=secretary.pk).exists()


def test_merge_rejects_a_post_held_past_the_merge(world, hr, make_cadre, refused):
    cadre = make_cadre(0, full_name="Lê Văn Ba")
    hr.seat(cadre, world.post(0, "party_secretary"))
    hr.move(MovementKind.TRANSFER, cadre, world.post(2, "party_secretary"), D(2025, 3, 1))

    refusal = refused(merge_le_ho_and_tan_son, world=world)

    assert refusal.messages("predecessors") == [
        f"Lê Văn Ba holds {world.post(0, 'party_secretary')} 01/01/2019 – 28/02/2025, after "
        "the unit ends on 31/12/2024; correct that record first."
    ]


def test_merge_rejects_a_post_taken_after_the_merge_even_with_a_reason(
    world, hr, make_cadre, refused
):
    hr.seat(make_cadre(0, full_name="Lê Văn Ba"), world.post(0, "party_secretary"), D(2025, 2, 1))

    refusal = refused(
        merge_le_ho_and_tan_son, world=world, end_assignments_reason="Sáp nhập theo NQ 1318"
    )

    assert "Lê Văn Ba holds" in refusal.messages("predecessors")[0]
    assert "from 01/02/2025" in refusal.messages("predecessors")[0]


def test_merge_rejects_no_predecessor(world, refused):
    refusal = refused(
        unit_succeed,
        predecessors=[],
        code="13393",
        name="Lê Hồ",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=MERGE_DAY,
    )

    assert refusal.messages("predecessors") == ["Name at least one unit that is replaced."]


def test_merge_rejects_a_unit_that_already_ended_on_another_day(world, refused):
    AdministrativeUnit.objects.filter(pk=world.communes[1].pk).update(valid_to=D(2024, 6, 30))
    world.communes[1].refresh_from_db()

    refusal = refused(merge_le_ho_and_tan_son, world=world)

    assert refusal.messages("predecessors") == [
        "Tân Sơn does not exist on 31/12/2024, so it cannot be replaced then."
    ]


def test_a_unit_without_successor_ends_with_its_organisations_and_posts(world, refused):
    district = world.district

    ended = unit_end(unit=district, last_day=D(2025, 6, 30))

    assert ended.valid_to == D(2025, 6, 30)
    assert set(
        Post.objects.filter(organisation__unit=district).values_list("valid_to", flat=True)
    ) == {D(2025, 6, 30)}


def test_ending_a_unit_rejects_posts_still_held_without_a_reason(world, hr, make_cadre, refused):
    hr.seat(make_cadre(0), world.district_posts["head"])

    refusal = refused(unit_end, unit=world.district, last_day=D(2025, 6, 30))

    assert refusal.keys == {"valid_to"}
    assert refusal.messages("valid_to") == [
        "1 posts are still held in Kim Bảng; give a reason to end them."
    ]


def test_ending_a_unit_rejects_a_post_held_past_its_last_day(world, hr, make_cadre, refused):
    cadre = make_cadre(0, full_name="Lê Văn Ba")
    hr.seat(cadre, world.district_posts["head"])
    hr.move(MovementKind.TRANSFER, cadre, world.post(0, "party_secretary"), D(2025, 9, 1))

    refusal = refused(
        unit_end, unit=world.district, last_day=D(2025, 6, 30), end_assignments_reason="NQ 1674"
    )

    assert refusal.messages("valid_to") == [
        f"Lê Văn Ba holds {world.district_posts['head']} 01/01/2019 – 31/08/2025, after the "
        "unit ends on 30/06/2025; correct that record first."
    ]


# --------------------------------------------------------------------------- organisations, posts


def test_an_organisation_exists_by_default_as_long_as_its_unit(world):
    organisation = organisation_create(
        unit=world.communes[0], kind=OrganisationKind.PEOPLES_COUNCIL, name="HĐND xã Lê Hồ"
    )

    assert (organisation.valid_from, organisation.valid_to) == (
        world.communes[0].valid_from,
        world.communes[0].valid_to,
    )
    assert organisation in Organisation.objects.valid_on(D(2021, 1, 1))


def test_organisation_rejects_a_period_outside_its_unit(world, refused):
    refusal = refused(
        organisation_create,
        unit=world.communes[0],
        kind=OrganisationKind.PEOPLES_COUNCIL,
        name="HĐND xã Lê Hồ",
        valid_from=D(2009, 1, 1),
    )

    assert refusal.messages("valid_from") == [
        "An organisation exists only while its unit does (from 01/01/2010)."
    ]


def test_post_takes_its_role_by_code_and_its_period_from_the_organisation(world):
    organisation = world.post(0, "party_secretary").organisation

    post = post_create(organisation=organisation, role="deputy_secretary", seats=2)

    assert (post.role.code, post.seats) == ("deputy_secretary", 2)
    assert (post.valid_from, post.valid_to) == (organisation.valid_from, None)
    assert post.is_valid_on(D(2030, 1, 1))


def test_a_civil_servant_title_post_ends_with_the_title_on_30_june_2025(world):
    organisation = world.post(0, "people_committee_chairman").organisation

    post = post_create(organisation=organisation, role="justice_civil_status_officer")

    assert post.valid_to == D(2025, 6, 30)
    assert post.is_valid_on(D(2025, 6, 30))
    assert not post.is_valid_on(D(2025, 7, 1))
    assert post not in Post.objects.valid_on(D(2025, 7, 1))


def test_post_rejects_an_unknown_role_code(world, refused):
    refusal = refused(
        post_create,
        organisation=world.post(0, "party_secretary").organisation,
        role="village_head",
    )

    assert refusal.messages("role") == ["There is no role with code village_head."]


def test_post_rejects_a_role_the_organisation_already_has_then(world, refused):
    refusal = refused(
        post_create,
        organisation=world.post(0, "party_secretary").organisation,
        role="party_secretary",
        valid_from=D(2020, 1, 1),
    )

    assert refusal.messages("role") == ["Đảng ủy Lê Hồ already has this post during that period."]


def test_post_rejects_a_period_outside_its_organisation(world, refused):
    refusal = refused(
        post_create,
        organisation=world.post(0, "party_secretary").organisation,
        role="deputy_secretary",
        valid_from=D(2009, 1, 1),
    )

    assert refusal.keys == {"valid_from"}


@pytest.mark.parametrize("seats", [0, 100])
def test_post_rejects_a_number_of_seats_outside_1_to_99(world, refused, seats):
    refusal = refused(
        post_create,
        organisation=world.post(0, "party_secretary").organisation,
        role="deputy_secretary",
        seats=seats,
    )

    assert refusal.keys == {"seats"}


# --------------------------------------------------------------------------- post_set_seats


def test_more_seats_for_a_post(world):
    post = post_set_seats(post=world.post(0, "people_committee_vice_chairman"), seats=3)

    post.refresh_from_db()
    assert post.seats == 3


def test_fewer_seats_rejected_while_more_people_held_the_post_at_once(
    world, hr, make_cadre, refused
):
    post = world.post(0, "people_committee_vice_chairman")
    hr.seat(make_cadre(0), post, D(2019, 1, 1))
    hr.seat(make_cadre(0), post, D(2020, 1, 1))

    refusal = refused(post_set_seats, post=post, seats=1)

    assert refusal.keys == {"seats"}
    assert refusal.messages("seats") == [
        "On 01/01/2020 2 people hold this post; it needs at least that many seats."
    ]


def test_fewer_seats_move_the_holders_into_the_seats_that_remain(world, hr, make_cadre):
    post = world.district_posts["specialist"]
    first = hr.seat(make_cadre(0), post, D(2019, 1, 1))
    second = hr.seat(make_cadre(0), post, D(2019, 1, 1))
    third = hr.seat(make_cadre(0), post, D(2020, 1, 1))
    assert third.seat == 3
    # The second specialist in fact left before the third arrived: a correction.
    assignment_end(assignment=second, end_date=D(2019, 12, 31), reason="Chuyển công tác")

    post_set_seats(post=post, seats=2)

    seats = dict(Assignment.objects.filter(post=post).values_list("pk", "seat"))
    assert seats == {first.pk: 1, second.pk: 2, third.pk: 2}
