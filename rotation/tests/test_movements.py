"""The paths of a decision through ``rotation.services``, as HR staff record them.

Transfer, swap, rotation and its return, secondment, concurrent post, nomination for
election and a first appointment: each is issued, then the stored assignments are read.
"""

import datetime

import pytest

from rotation.models import (
    Assignment,
    DecisionStatus,
    Direction,
    Movement,
    MovementKind,
)
from rotation.services import (
    decision_delete,
    decision_issue,
    movement_add,
    movement_remove,
    movement_update,
    rotation_assignment,
    rotation_return,
)

D = datetime.date

pytestmark = pytest.mark.usefixtures("english")


def direction_of(movement: Movement) -> str:
    return Movement.objects.with_direction().get(pk=movement.pk).direction


def holders(post, day) -> list[str]:
    return sorted(a.cadre.full_name for a in Assignment.objects.as_of(day).filter(post=post))


# --------------------------------------------------------------------------- transfer


def test_transfer_closes_the_post_left_on_the_eve_and_opens_the_post_taken(
    world, hr, make_cadre, django_user_model
):
    kien = make_cadre(1, full_name="Đinh Hồng Kiên")
    tan_son = hr.seat(kien, world.post(1, "party_secretary"), D(2015, 10, 1))
    hr_user = django_user_model.objects.create_user("hr_staff")
    decision = hr.draft(signed_on=D(2021, 12, 1), number="125-QĐ/HU")
    movement = movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        effective_date=D(2021, 12, 15),
    )

    issued = decision_issue(decision=decision, by=hr_user)

    assert (issued.status, issued.issued_by) == (DecisionStatus.ISSUED, hr_user)
    assert issued.issued_at is not None
    tan_son.refresh_from_db()
    assert (tan_son.end_date, tan_son.closed_by) == (D(2021, 12, 14), movement)
    le_ho = movement.opened_assignments.get()
    assert (le_ho.post, le_ho.start_date, le_ho.end_date) == (
        world.post(0, "party_secretary"),
        D(2021, 12, 15),
        None,
    )
    assert (le_ho.principal, le_ho.seat) == (True, 1)
    assert movement.from_assignment == tan_son
    assert list(Assignment.objects.as_of(D(2021, 12, 14)).filter(cadre=kien)) == [tan_son]
    assert list(Assignment.objects.as_of(D(2021, 12, 15)).filter(cadre=kien)) == [le_ho]
    assert direction_of(movement) == Direction.COMMUNE_TO_COMMUNE


def test_transfer_leaves_the_principal_post_when_no_post_left_is_named(world, hr, make_cadre):
    cadre = make_cadre(0)
    principal = hr.seat(cadre, world.post(0, "people_committee_chairman"))
    hr.seat(cadre, world.post(0, "standing_deputy_secretary"), principal=False)

    movement = hr.move(
        MovementKind.TRANSFER, cadre, world.post(2, "people_committee_chairman"), D(2022, 3, 1)
    )

    assert movement.from_assignment == principal
    held = Assignment.objects.as_of(D(2022, 3, 1)).filter(cadre=cadre)
    assert {(a.post, a.principal) for a in held} == {
        (world.post(0, "standing_deputy_secretary"), False),
        (world.post(2, "people_committee_chairman"), True),
    }


def test_transfer_from_a_named_concurrent_post_keeps_the_principal_post(world, hr, make_cadre):
    cadre = make_cadre(0)
    principal = hr.seat(cadre, world.post(0, "party_secretary"))
    concurrent = hr.seat(cadre, world.post(0, "people_committee_chairman"), principal=False)

    movement = hr.move(
        MovementKind.TRANSFER,
        cadre,
        world.post(2, "people_committee_chairman"),
        D(2022, 3, 1),
        from_post=world.post(0, "people_committee_chairman"),
        concurrent=True,
    )

    assert movement.from_assignment == concurrent
    principal.refresh_from_db()
    assert principal.end_date is None
    assert Assignment.objects.as_of(D(2022, 3, 1)).filter(cadre=cadre).count() == 2


def test_one_decision_swaps_two_secretaries(world, hr, make_cadre):
    first, second = make_cadre(0, full_name="Lê Văn Ba"), make_cadre(1, full_name="Phạm Văn Tư")
    le_ho, tan_son = world.post(0, "party_secretary"), world.post(1, "party_secretary")
    hr.seat(first, le_ho)
    hr.seat(second, tan_son)
    decision = hr.draft(signed_on=D(2022, 1, 5))
    for cadre, post in ((first, tan_son), (second, le_ho)):
        movement_add(
            decision=decision,
            kind=MovementKind.TRANSFER,
            cadre=cadre,
            to_post=post,
            effective_date=D(2022, 1, 10),
        )

    decision_issue(decision=decision)

    assert holders(le_ho, D(2022, 1, 9)) == ["Lê Văn Ba"]
    assert holders(tan_son, D(2022, 1, 9)) == ["Phạm Văn Tư"]
    assert holders(le_ho, D(2022, 1, 10)) == ["Phạm Văn Tư"]
    assert holders(tan_son, D(2022, 1, 10)) == ["Lê Văn Ba"]
    assert Assignment.objects.filter(end_date=D(2022, 1, 9)).count() == 2


# --------------------------------------------------------------------------- rotation and return


@pytest.fixture
def rotated(world, hr, make_cadre):
    """A district specialist rotated for 36 months to chairman of Quế township."""
    official = make_cadre(0, full_name="Nguyễn Trung Trực")
    district = hr.seat(official, world.district_posts["specialist"], D(2016, 5, 1))
    rotation = hr.move(
        MovementKind.ROTATION,
        official,
        world.post(2, "people_committee_chairman"),
        D(2022, 1, 1),
        planned_end=D(2024, 12, 31),
    )
    return rotation, district


def test_rotation_records_its_planned_end_and_moves_the_cadre_to_the_commune(world, rotated):
    rotation, district = rotated

    district.refresh_from_db()
    assert (district.end_date, district.closed_by) == (D(2021, 12, 31), rotation)
    in_commune = rotation_assignment(rotation)
    assert (in_commune.post, in_commune.start_date, in_commune.end_date) == (
        world.post(2, "people_committee_chairman"),
        D(2022, 1, 1),
        None,
    )
    assert rotation.planned_end == D(2024, 12, 31)
    assert direction_of(rotation) == Direction.DISTRICT_TO_COMMUNE


def test_return_goes_back_by_default_to_the_post_left_by_the_rotation(world, hr, rotated):
    rotation, district = rotated
    decision = hr.draft(signed_on=D(2024, 12, 20))

    back = rotation_return(decision=decision, rotation=rotation, effective_date=D(2025, 1, 1))
    decision_issue(decision=decision)

    in_commune = rotation_assignment(rotation)
    assert back.kind == MovementKind.RETURN
    assert back.returns_from == rotation
    assert back.from_assignment == in_commune
    assert back.to_post == district.post
    assert (in_commune.end_date, in_commune.closed_by) == (D(2024, 12, 31), back)
    home = back.opened_assignments.get()
    assert (home.post, home.start_date, home.end_date) == (
        world.district_posts["specialist"],
        D(2025, 1, 1),
        None,
    )
    assert list(rotation.returns.all()) == [back]
    assert direction_of(back) == Direction.COMMUNE_TO_DISTRICT


def test_return_to_another_post_than_the_one_left(world, hr, rotated):
    rotation, _district = rotated
    decision = hr.draft(signed_on=D(2024, 12, 20))

    back = rotation_return(
        decision=decision,
        rotation=rotation,
        effective_date=D(2025, 1, 1),
        to_post=world.district_posts["head"],
    )
    decision_issue(decision=decision)

    assert back.opened_assignments.get().post == world.district_posts["head"]
    assert holders(world.post(2, "people_committee_chairman"), D(2025, 1, 1)) == []


def test_secondment_for_at_most_36_months_then_return(world, hr, make_cadre):
    officer = make_cadre(0, full_name="Đỗ Thị Mai")
    hr.seat(officer, world.post(0, "finance_accounting_officer"), D(2018, 1, 1))

    secondment = hr.move(
        MovementKind.SECONDMENT,
        officer,
        world.post(1, "finance_accounting_officer"),
        D(2022, 2, 1),
        planned_end=D(2023, 1, 31),
    )
    decision = hr.draft(signed_on=D(2023, 1, 20))
    back = rotation_return(decision=decision, rotation=secondment, effective_date=D(2023, 2, 1))
    decision_issue(decision=decision)

    assert secondment.kind == MovementKind.SECONDMENT
    assert holders(world.post(1, "finance_accounting_officer"), D(2022, 6, 1)) == ["Đỗ Thị Mai"]
    assert holders(world.post(0, "finance_accounting_officer"), D(2022, 6, 1)) == []
    assert back.returns_from == secondment
    assert holders(world.post(0, "finance_accounting_officer"), D(2023, 2, 1)) == ["Đỗ Thị Mai"]
    assert direction_of(secondment) == Direction.COMMUNE_TO_COMMUNE


# --------------------------------------------------------------------------- other kinds


def test_party_secretary_also_becomes_peoples_committee_chairman_as_a_concurrent_post(
    world, hr, make_cadre
):
    secretary = make_cadre(2, full_name="Trần Văn Hòa")
    principal = hr.seat(secretary, world.post(2, "party_secretary"))

    movement = hr.move(
        MovementKind.ELECTION_NOMINATION,
        secretary,
        world.post(2, "people_committee_chairman"),
        D(2021, 6, 1),
        concurrent=True,
    )

    concurrent = movement.opened_assignments.get()
    assert concurrent.principal is False
    assert movement.from_assignment is None
    principal.refresh_from_db()
    assert principal.end_date is None
    held = Assignment.objects.as_of(D(2021, 6, 1)).filter(cadre=secretary)
    assert set(held) == {principal, concurrent}
    assert list(held.principal()) == [principal]


def test_district_official_nominated_and_elected_commune_vice_chairman(world, hr, make_cadre):
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    sitting = make_cadre(0, full_name="Lê Văn Ba")
    hr.seat(sitting, vice_chairman)
    official = make_cadre(1, full_name="Hà Thị Thu")
    district = hr.seat(official, world.district_posts["specialist"])

    movement = hr.move(
        MovementKind.ELECTION_NOMINATION,
        official,
        vice_chairman,
        D(2021, 7, 1),
        from_post=world.district_posts["specialist"],
    )

    district.refresh_from_db()
    assert (district.end_date, district.closed_by) == (D(2021, 6, 30), movement)
    assert holders(vice_chairman, D(2021, 7, 1)) == ["Hà Thị Thu", "Lê Văn Ba"]
    seats = Assignment.objects.as_of(D(2021, 7, 1)).filter(post=vice_chairman)
    assert sorted(seats.values_list("seat", flat=True)) == list(range(1, vice_chairman.seats + 1))
    assert direction_of(movement) == Direction.DISTRICT_TO_COMMUNE


@pytest.mark.parametrize("kind", [MovementKind.APPOINTMENT, MovementKind.DESIGNATION])
def test_first_post_is_an_appointment_or_designation_without_a_post_left(
    world, hr, make_cadre, kind
):
    newcomer = make_cadre(0)

    movement = hr.move(kind, newcomer, world.district_posts["specialist"], D(2022, 9, 1))

    assignment = movement.opened_assignments.get()
    assert (assignment.cadre, assignment.start_date, assignment.principal) == (
        newcomer,
        D(2022, 9, 1),
        True,
    )
    assert movement.from_assignment is None
    assert direction_of(movement) == Direction.OTHER


def test_movements_between_district_departments_stay_within_the_district(world, hr, make_cadre):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    movement = hr.move(MovementKind.TRANSFER, official, world.district_posts["head"], D(2022, 1, 1))

    assert direction_of(movement) == Direction.WITHIN_DISTRICT


def test_a_move_out_of_a_commune_counts_under_the_commune_post_left(world, hr, make_cadre):
    deputy = make_cadre(0)
    hr.seat(deputy, world.post(0, "standing_deputy_secretary"))

    movement = hr.move(MovementKind.TRANSFER, deputy, world.district_posts["head"], D(2022, 1, 1))
    counted = Movement.objects.with_reported_role().get(pk=movement.pk)

    assert counted.role_code == "standing_deputy_secretary"


def test_the_rules_are_checked_again_when_a_draft_line_is_changed(world, hr, make_cadre):
    cadre = make_cadre(0)
    hr.seat(cadre, world.post(0, "party_secretary"))
    decision = hr.draft(signed_on=D(2022, 1, 1))
    movement = movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(1, "party_secretary"),
        effective_date=D(2022, 1, 10),
    )

    movement = movement_update(movement=movement, to_post=world.post(2, "party_secretary"))
    decision_issue(decision=decision)

    assert holders(world.post(2, "party_secretary"), D(2022, 1, 10)) == [cadre.full_name]
    assert holders(world.post(1, "party_secretary"), D(2022, 1, 10)) == []


def test_correcting_the_date_of_a_line_keeps_the_post_left_that_was_named(world, hr, make_cadre):
    official = make_cadre(1, full_name="Hà Thị Thu")
    district = hr.seat(official, world.district_posts["specialist"])
    decision = hr.draft(signed_on=D(2021, 6, 1))
    movement = movement_add(
        decision=decision,
        kind=MovementKind.ELECTION_NOMINATION,
        cadre=official,
        to_post=world.post(0, "people_committee_vice_chairman"),
        from_post=world.district_posts["specialist"],
        effective_date=D(2021, 7, 1),
    )

    corrected = movement_update(movement=movement, effective_date=D(2021, 7, 5))
    decision_issue(decision=decision)

    assert corrected.from_assignment == district
    district.refresh_from_db()
    assert district.end_date == D(2021, 7, 4)


def test_clearing_the_post_left_of_a_line_means_the_principal_post(world, hr, make_cadre):
    secretary = make_cadre(0)
    principal = hr.seat(secretary, world.post(0, "party_secretary"))
    concurrent = hr.seat(secretary, world.post(0, "people_committee_chairman"), principal=False)
    decision = hr.draft(signed_on=D(2022, 1, 1))
    movement = movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=secretary,
        to_post=world.post(1, "party_secretary"),
        from_post=world.post(0, "people_committee_chairman"),
        effective_date=D(2022, 1, 10),
    )
    assert movement.from_assignment == concurrent

    movement = movement_update(movement=movement, from_post=None)

    assert movement.from_assignment == principal


def test_changing_the_rotation_a_return_ends_leaves_the_post_of_that_rotation(
    world, hr, make_cadre
):
    first, second = make_cadre(0), make_cadre(1)
    rotations = []
    for index, cadre in enumerate((first, second)):
        hr.seat(cadre, world.district_posts["specialist"], D(2016, 5, 1))
        rotations.append(
            hr.move(
                MovementKind.ROTATION,
                cadre,
                world.post(index, "people_committee_vice_chairman"),
                D(2021, 1, 1),
                planned_end=D(2023, 12, 31),
            )
        )
    decision = hr.draft(signed_on=D(2024, 1, 1))
    back = rotation_return(decision=decision, rotation=rotations[0], effective_date=D(2024, 1, 2))

    back = movement_update(movement=back, cadre=second, returns_from=rotations[1])

    assert back.from_assignment == rotation_assignment(rotations[1])


def test_a_draft_loses_a_line_or_is_deleted_with_its_lines(world, hr, make_cadre):
    decision = hr.draft(signed_on=D(2022, 1, 1))
    lines = [
        movement_add(
            decision=decision,
            kind=MovementKind.APPOINTMENT,
            cadre=make_cadre(0),
            to_post=world.district_posts["specialist"],
            effective_date=D(2022, 1, 10),
        )
        for _ in range(2)
    ]

    movement_remove(movement=lines[0])
    assert list(decision.movements.all()) == [lines[1]]
    decision_delete(decision=decision)

    assert not Movement.objects.exists()
    assert not type(decision).objects.exists()
    assert not Assignment.objects.exists()
