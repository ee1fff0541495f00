"""Seats of a post, and the assignments recorded or ended without a decision.

Each holder occupies a numbered seat so that PostgreSQL can refuse more holders than seats;
``rotation.seating`` picks the numbers, moving holders who start later when someone
arrives before them.
"""

import datetime

import pytest

from cadres.models import CadreStatus
from communes.tests.factories import PostFactory
from rotation.models import Assignment, MovementKind
from rotation.services import (
    assignment_end,
    assignment_record,
    decision_cancel,
    decision_issue,
    movement_add,
)

D = datetime.date

pytestmark = pytest.mark.usefixtures("english")


def seats(post, day) -> dict[str, int]:
    return {a.cadre.full_name: a.seat for a in Assignment.objects.as_of(day).filter(post=post)}


# --------------------------------------------------------------------------- seat allocation


def test_a_holder_who_starts_later_moves_to_another_seat_for_an_earlier_arrival(
    world, hr, make_cadre
):
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    later = hr.seat(make_cadre(0, full_name="Lê Văn Ba"), vice_chairman, D(2023, 1, 1))
    assert later.seat == 1

    hr.move(
        MovementKind.APPOINTMENT,
        make_cadre(0, full_name="Phạm Thị Tư"),
        vice_chairman,
        D(2022, 1, 1),
    )

    assert seats(vice_chairman, D(2022, 6, 1)) == {"Phạm Thị Tư": 1}
    assert seats(vice_chairman, D(2023, 1, 1)) == {"Phạm Thị Tư": 1, "Lê Văn Ba": 2}


def test_issue_rejects_an_earlier_arrival_on_a_post_taken_later_by_someone_else(
    world, hr, make_cadre, refused
):
    chairman = world.post(0, "people_committee_chairman")
    hr.seat(make_cadre(0, full_name="Lê Văn Ba"), chairman, D(2023, 1, 1))
    decision = hr.draft(signed_on=D(2021, 12, 1))
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(0, full_name="Phạm Thị Tư"),
        to_post=chairman,
        effective_date=D(2022, 1, 1),
    )

    refusal = refused(decision_issue, decision=decision)

    [(line, field, code, message)] = refusal.lines()
    assert (line, field, code) == (1, "to_post", "post_full")
    assert message == (
        f"Line 1 (Phạm Thị Tư): {chairman} has 1 seat(s) and on 01/01/2023 it is already "
        "held by Lê Văn Ba. Move a holder out in the same decision, or choose another post."
    )


def test_a_seat_freed_by_a_holder_who_left_is_given_to_the_next_one(world, hr, make_cadre):
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    hr.seat(make_cadre(0, full_name="Lê Văn Ba"), vice_chairman, end_date=D(2021, 6, 30))
    hr.seat(make_cadre(0, full_name="Phạm Thị Tư"), vice_chairman)

    hr.seat(make_cadre(0, full_name="Hà Thị Thu"), vice_chairman, D(2021, 7, 1))

    assert seats(vice_chairman, D(2021, 6, 30)) == {"Lê Văn Ba": 1, "Phạm Thị Tư": 2}
    assert seats(vice_chairman, D(2021, 7, 1)) == {"Hà Thị Thu": 1, "Phạm Thị Tư": 2}


def test_void_assignments_hold_no_seat(world, hr, make_cadre):
    chairman = world.post(1, "people_committee_chairman")
    given = hr.move(MovementKind.APPOINTMENT, make_cadre(1), chairman, D(2022, 1, 1))
    decision_cancel(decision=given.decision, reason="Ban hành nhầm, hủy theo QĐ 5-QĐ/HU")

    hr.seat(make_cadre(1, full_name="Hà Thị Thu"), chairman, D(2022, 1, 1))

    assert seats(chairman, D(2022, 1, 1)) == {"Hà Thị Thu": 1}


# --------------------------------------------------------------------------- assignment_record


def test_record_a_post_held_before_the_records_began(world, make_cadre):
    cadre = make_cadre(0)

    assignment = assignment_record(
        cadre=cadre, post=world.post(0, "party_secretary"), start_date=D(2015, 10, 1)
    )

    assert (assignment.start_date, assignment.end_date, assignment.seat) == (
        D(2015, 10, 1),
        None,
        1,
    )
    assert (assignment.opened_by, assignment.principal) == (None, True)
    assert list(Assignment.objects.as_of(D(2021, 1, 1)).filter(cadre=cadre)) == [assignment]


def test_record_a_past_post_of_a_retired_cadre_with_its_end(world, make_cadre):
    retired = make_cadre(0, status=CadreStatus.RETIRED)

    assignment = assignment_record(
        cadre=retired,
        post=world.post(0, "party_secretary"),
        start_date=D(2010, 1, 1),
        end_date=D(2015, 9, 30),
    )

    assert assignment.end_date == D(2015, 9, 30)


def test_record_rejects_an_end_before_the_start(world, make_cadre, refused):
    refusal = refused(
        assignment_record,
        cadre=make_cadre(0),
        post=world.post(0, "party_secretary"),
        start_date=D(2015, 10, 1),
        end_date=D(2015, 9, 30),
    )

    assert refusal.keys == {"end_date"}
    assert refusal.messages("end_date") == ["The end date is before the start date."]


def test_record_rejects_an_open_post_for_a_cadre_who_is_not_serving(world, make_cadre, refused):
    retired = make_cadre(0, full_name="Lê Văn Ba", status=CadreStatus.RETIRED)

    refusal = refused(
        assignment_record,
        cadre=retired,
        post=world.post(0, "party_secretary"),
        start_date=D(2015, 10, 1),
    )

    assert refusal.messages("cadre") == [
        "Lê Văn Ba is not serving; record the post with its end date."
    ]


def test_record_rejects_a_post_not_yet_created(world, make_cadre, refused):
    post = PostFactory(
        organisation=world.post(0, "party_secretary").organisation,
        role="deputy_secretary",
        valid_from=D(2020, 1, 1),
    )

    refusal = refused(assignment_record, cadre=make_cadre(0), post=post, start_date=D(2019, 12, 31))

    assert refusal.keys == {"post"}
    assert refusal.codes("post") == ["post_not_valid"]


def test_record_rejects_a_full_post(world, hr, make_cadre, refused):
    hr.seat(make_cadre(0, full_name="Lê Văn Ba"), world.post(0, "party_secretary"))

    refusal = refused(
        assignment_record,
        cadre=make_cadre(0),
        post=world.post(0, "party_secretary"),
        start_date=D(2020, 1, 1),
    )

    assert refusal.keys == {"post"}
    assert refusal.codes("post") == ["post_full"]
    assert "already held by Lê Văn Ba" in refusal.messages("post")[0]


def test_record_rejects_a_second_principal_post(world, hr, make_cadre, refused):
    cadre = make_cadre(0)
    hr.seat(cadre, world.post(0, "party_secretary"))

    refusal = refused(
        assignment_record,
        cadre=cadre,
        post=world.post(0, "people_committee_chairman"),
        start_date=D(2020, 1, 1),
    )

    assert refusal.keys == {"principal"}
    assert refusal.codes("principal") == ["two_principal_posts"]


def test_record_accepts_a_concurrent_post_beside_the_principal_one(world, hr, make_cadre):
    cadre = make_cadre(0)
    hr.seat(cadre, world.post(0, "party_secretary"))

    concurrent = assignment_record(
        cadre=cadre,
        post=world.post(0, "people_committee_chairman"),
        start_date=D(2020, 1, 1),
        principal=False,
    )

    assert Assignment.objects.as_of(D(2020, 1, 1)).filter(cadre=cadre).count() == 2
    assert concurrent.principal is False


def test_record_rejects_the_same_post_twice_at_once(world, hr, make_cadre, refused):
    cadre = make_cadre(0)
    hr.seat(cadre, world.post(0, "people_committee_vice_chairman"), principal=False)

    refusal = refused(
        assignment_record,
        cadre=cadre,
        post=world.post(0, "people_committee_vice_chairman"),
        start_date=D(2020, 1, 1),
        principal=False,
    )

    assert refusal.codes("post") == ["same_post_twice"]


# --------------------------------------------------------------------------- assignment_end


def test_end_an_assignment_without_a_movement(world, hr, make_cadre):
    assignment = hr.seat(make_cadre(0), world.post(0, "party_secretary"))

    ended = assignment_end(assignment=assignment, end_date=D(2022, 4, 30), reason=" Nghỉ hưu ")

    ended.refresh_from_db()
    assert (ended.end_date, ended.end_reason, ended.closed_by) == (
        D(2022, 4, 30),
        "Nghỉ hưu",
        None,
    )
    assert not Assignment.objects.as_of(D(2022, 5, 1)).filter(pk=assignment.pk).exists()


def test_end_rejects_a_missing_reason(world, hr, make_cadre, refused):
    assignment = hr.seat(make_cadre(0), world.post(0, "party_secretary"))

    refusal = refused(assignment_end, assignment=assignment, end_date=D(2022, 4, 30), reason="")

    assert refusal.messages("end_reason") == ["Say why the assignment ends."]


def test_end_rejects_an_end_before_the_start(world, hr, make_cadre, refused):
    assignment = hr.seat(make_cadre(0), world.post(0, "party_secretary"), D(2019, 1, 1))

    refusal = refused(
        assignment_end, assignment=assignment, end_date=D(2018, 12, 31), reason="Nghỉ hưu"
    )

    assert refusal.messages("end_date") == [
        "The end date 31/12/2018 is before the start of the assignment (01/01/2019)."
    ]


def test_end_rejects_an_assignment_ended_already(world, hr, make_cadre, refused):
    assignment = hr.seat(make_cadre(0), world.post(0, "party_secretary"))
    assignment_end(assignment=assignment, end_date=D(2022, 4, 30), reason="Nghỉ hưu")

    refusal = refused(
        assignment_end, assignment=assignment, end_date=D(2022, 5, 31), reason="Nghỉ hưu"
    )

    assert refusal.messages("end_date") == ["This assignment already ended on 30/04/2022."]


def test_end_rejects_a_void_assignment(world, hr, make_cadre, refused):
    given = hr.move(
        MovementKind.APPOINTMENT, make_cadre(0), world.post(0, "party_secretary"), D(2022, 1, 1)
    )
    decision_cancel(decision=given.decision, reason="Ban hành nhầm, hủy theo QĐ 5-QĐ/HU")

    refusal = refused(
        assignment_end,
        assignment=given.opened_assignments.get(),
        end_date=D(2022, 5, 31),
        reason="Nghỉ hưu",
    )

    assert refusal.keys == {"assignment"}
    assert refusal.codes("assignment") == ["void"]
