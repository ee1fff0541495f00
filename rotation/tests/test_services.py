"""Every rule of ``rotation.services``: the bad input gets a clear error and writes nothing.

Each test sets up the records with the services (``hr`` fixture), then calls the service
that must refuse through ``refused``, which also checks that no stored record changed.
Errors about a line of a decision being issued sit under ``"movements"`` with the line and
the field at fault in their params; ``Refusal.lines()`` reads them as (line, field, code,
message).
"""

import datetime

import pytest
from django.utils import timezone

from cadres.models import CadreStatus
from cadres.services import cadre_update
from communes.models import UnitKind
from communes.services import unit_succeed
from communes.tests.factories import PostFactory
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind
from rotation.services import (
    assignment_end,
    decision_cancel,
    decision_create,
    decision_delete,
    decision_issue,
    decision_update,
    movement_add,
    movement_remove,
    movement_update,
    rotation_return,
)

D = datetime.date
SIGNED = D(2021, 12, 1)
EFFECTIVE = D(2021, 12, 15)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def kien(world, make_cadre, hr):
    """Đinh Hồng Kiên, Party secretary of Tân Sơn for many years (DOMAIN.md §5)."""
    cadre = make_cadre(1, full_name="Đinh Hồng Kiên")
    hr.seat(cadre, world.post(1, "party_secretary"), D(2015, 10, 1))
    return cadre


def transfer_to_le_ho(world, hr, cadre, **kwargs):
    """A draft transferring ``cadre`` to Party secretary of Lê Hồ."""
    decision = hr.draft(signed_on=kwargs.pop("signed_on", SIGNED))
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(0, "party_secretary"),
        effective_date=kwargs.pop("effective_date", EFFECTIVE),
        **kwargs,
    )
    return decision


# --------------------------------------------------------------------------- decisions


def test_create_rejects_a_number_already_used_by_the_body_that_year(world, hr, refused):
    hr.draft(signed_on=D(2021, 3, 2), number="125-QĐ/HU")

    refusal = refused(
        decision_create,
        number="125-QĐ/HU",
        signed_on=SIGNED,
        issuing_body=world.body,
        signer="Nguyễn Văn Chính",
    )

    assert refusal.keys == {"number"}
    [message] = refusal.messages("number")
    assert "already has a decision 125-QĐ/HU in 2021 (signed on 02/03/2021)" in message


def test_create_accepts_a_number_again_in_another_year_or_from_another_body(world, hr):
    first = hr.draft(signed_on=D(2021, 3, 2), number="125-QĐ/HU")
    other_body = world.post(0, "party_secretary").organisation

    next_year = decision_create(
        number="125-QĐ/HU", signed_on=D(2022, 1, 5), issuing_body=world.body, signer="A"
    )
    same_year = decision_create(
        number="125-QĐ/HU", signed_on=D(2021, 5, 5), issuing_body=other_body, signer="A"
    )

    assert Decision.objects.filter(number="125-QĐ/HU").count() == 3
    assert {first.pk, next_year.pk, same_year.pk} == set(
        Decision.objects.values_list("pk", flat=True)
    )


def test_update_rejects_renumbering_a_draft_onto_another_decision(world, hr, refused):
    hr.draft(signed_on=D(2021, 3, 2), number="125-QĐ/HU")
    draft = hr.draft(signed_on=SIGNED, number="130-QĐ/HU")

    refusal = refused(decision_update, decision=draft, number="125-QĐ/HU")

    assert refusal.codes("number") == ["number_taken"]


def test_create_rejects_a_body_that_did_not_exist_when_the_decision_was_signed(world, refused):
    world.body.valid_from = D(2020, 10, 1)
    world.body.save()

    refusal = refused(
        decision_create,
        number="1-QĐ/HU",
        signed_on=D(2020, 9, 30),
        issuing_body=world.body,
        signer="A",
    )

    assert refusal.keys == {"issuing_body"}
    assert refusal.messages("issuing_body") == [
        "Ban Thường vụ Huyện ủy Kim Bảng did not exist on 30/09/2020, the date the decision "
        "was signed."
    ]


def test_issue_rejects_a_decision_signed_in_the_future(world, hr, kien, refused):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    decision = transfer_to_le_ho(world, hr, kien, signed_on=tomorrow, effective_date=tomorrow)

    refusal = refused(decision_issue, decision=decision)

    assert refusal.keys == {"signed_on"}
    assert "in the future" in refusal.messages("signed_on")[0]


def test_issue_rejects_a_decision_without_movements(hr, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(decision_issue, decision=decision)

    assert refusal.keys == {"movements"}
    assert refusal.codes("movements") == ["no_movements"]
    assert "at least one movement" in refusal.messages("movements")[0]


def test_issue_rejects_a_decision_issued_already(world, hr, kien, refused):
    decision = transfer_to_le_ho(world, hr, kien)
    decision_issue(decision=decision)

    refusal = refused(decision_issue, decision=decision)

    assert refusal.keys == {"status"}
    assert "is issued and can no longer be changed" in refusal.messages("status")[0]


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        (decision_update, lambda d, w: {"decision": d, "summary": "corrected"}),
        (decision_delete, lambda d, w: {"decision": d}),
        (
            movement_add,
            lambda d, w: {
                "decision": d,
                "kind": MovementKind.APPOINTMENT,
                "cadre": d.movements.get().cadre,
                "to_post": w.post(2, "people_committee_chairman"),
                "effective_date": EFFECTIVE,
                "concurrent": True,
            },
        ),
        (movement_update, lambda d, w: {"movement": d.movements.get(), "notes": "typo"}),
        (movement_remove, lambda d, w: {"movement": d.movements.get()}),
    ],
    ids=["update", "delete", "add movement", "update movement", "remove movement"],
)
def test_an_issued_decision_cannot_be_edited(world, hr, kien, refused, service, arguments):
    decision = transfer_to_le_ho(world, hr, kien)
    decision_issue(decision=decision)

    refusal = refused(service, **arguments(decision, world))

    assert refusal.keys == {"status"}
    assert refusal.codes("status") == ["not_draft"]
    assert "cancel it or record an amending decision" in refusal.messages("status")[0]


# --------------------------------------------------------------------------- the post taken


def test_issue_rejects_a_post_already_full_on_that_date(world, hr, kien, make_cadre, refused):
    holder = make_cadre(0, full_name="Trần Thị Lụa")
    hr.seat(holder, world.post(0, "party_secretary"))
    decision = transfer_to_le_ho(world, hr, kien)

    refusal = refused(decision_issue, decision=decision)

    assert refusal.keys == {"movements"}
    [(line, field, code, message)] = refusal.lines()
    assert (line, field, code) == (1, "to_post", "post_full")
    assert "has 1 seat(s) and on 15/12/2021 it is already held by Trần Thị Lụa" in message
    assert message.startswith("Line 1 (Đinh Hồng Kiên): ")


def test_issue_rejects_a_third_holder_of_a_two_seat_post(world, hr, make_cadre, refused):
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    holders = [make_cadre(0, full_name=name) for name in ("Lê Văn Ba", "Phạm Thị Tư")]
    for holder in holders:
        hr.seat(holder, vice_chairman)
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])
    decision = hr.draft(signed_on=SIGNED)
    movement_add(
        decision=decision,
        kind=MovementKind.ELECTION_NOMINATION,
        cadre=official,
        to_post=vice_chairman,
        from_post=world.district_posts["specialist"],
        effective_date=EFFECTIVE,
    )

    refusal = refused(decision_issue, decision=decision)

    [(_line, field, code, message)] = refusal.lines()
    assert (field, code) == ("to_post", "post_full")
    assert f"has {vice_chairman.seats} seat(s)" in message
    assert "Lê Văn Ba, Phạm Thị Tư" in message


def test_add_rejects_a_post_of_a_commune_after_it_was_merged(world, hr, kien, refused):
    tan_son = world.communes[1]
    unit_succeed(
        predecessors=[tan_son],
        code="13396",
        name="Nguyễn Úy",
        kind=UnitKind.WARD,
        parent=world.province,
        effective_date=D(2025, 7, 1),
        end_assignments_reason="Nghị quyết 1674/NQ-UBTVQH15",
    )
    appointee = world.post(0, "party_secretary")
    hr.seat(kien, appointee, D(2025, 7, 1))
    decision = hr.draft(signed_on=D(2025, 7, 10))

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(1, "party_secretary"),
        effective_date=D(2025, 7, 15),
    )

    assert refusal.keys == {"to_post"}
    assert refusal.codes("to_post") == ["unit_not_valid"]
    assert refusal.messages("to_post") == [
        "commune Tân Sơn does not exist on 15/07/2025 (it exists 01/01/2010 – 30/06/2025); "
        "choose a post of the unit that covers that place on that date."
    ]


def test_add_rejects_a_post_that_no_longer_exists(world, hr, kien, refused):
    abolished = PostFactory(
        organisation=world.post(0, "party_secretary").organisation,
        role="deputy_secretary",
        valid_to=D(2020, 12, 31),
    )
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=abolished,
        effective_date=EFFECTIVE,
    )

    assert refusal.codes("to_post") == ["post_not_valid"]
    assert (
        "does not exist on 15/12/2021 (it exists 01/01/2010 – 31/12/2020)"
        in (refusal.messages("to_post")[0])
    )


def test_add_rejects_a_civil_servant_title_after_30_june_2025(world, hr, make_cadre, refused):
    officer = make_cadre(1)
    hr.seat(officer, world.post(1, "finance_accounting_officer"))
    decision = hr.draft(signed_on=D(2025, 7, 1))

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=officer,
        to_post=world.post(0, "finance_accounting_officer"),
        effective_date=D(2025, 7, 1),
    )

    assert refusal.codes("to_post") == ["role_not_valid"]
    assert refusal.messages("to_post") == [
        "The title Finance and accounting officer is not in force on 01/07/2025."
    ]


def test_a_civil_servant_title_is_in_force_on_its_last_day(world, hr, make_cadre):
    officer = make_cadre(1)
    hr.seat(officer, world.post(1, "finance_accounting_officer"))

    moved = hr.move(
        MovementKind.TRANSFER, officer, world.post(0, "finance_accounting_officer"), D(2025, 6, 30)
    )

    assert moved.opened_assignments.get().start_date == D(2025, 6, 30)


# --------------------------------------------------------------------------- the cadre


def test_add_rejects_a_cadre_who_is_not_serving(world, hr, kien, refused):
    cadre_update(cadre=kien, status=CadreStatus.RETIRED)
    kien.refresh_from_db()
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        effective_date=EFFECTIVE,
    )

    assert refusal.keys == {"cadre"}
    assert refusal.messages("cadre") == [
        "Đinh Hồng Kiên is not serving (status: retired) and cannot be moved."
    ]


def test_issue_rejects_a_cadre_who_retired_after_the_movement_was_added(world, hr, kien, refused):
    decision = transfer_to_le_ho(world, hr, kien)
    cadre_update(cadre=kien, status=CadreStatus.RETIRED)

    refusal = refused(decision_issue, decision=decision)

    assert [(f, c) for _l, f, c, _m in refusal.lines()] == [("cadre", "cadre_not_serving")]


# --------------------------------------------------------------------------- dates


def test_add_rejects_an_effective_date_before_the_decision_was_signed(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        effective_date=SIGNED - datetime.timedelta(days=1),
    )

    assert refusal.keys == {"effective_date"}
    assert refusal.messages("effective_date") == [
        "The effective date 30/11/2021 is before the decision was signed (01/12/2021)."
    ]


def test_add_rejects_an_effective_date_not_after_the_start_in_the_post_left(
    world, hr, make_cadre, refused
):
    cadre = make_cadre(1, full_name="Vũ Văn Hải")
    current = hr.seat(cadre, world.post(1, "party_secretary"), EFFECTIVE)
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(0, "party_secretary"),
        effective_date=current.start_date,
    )

    assert refusal.keys == {"effective_date"}
    assert refusal.messages("effective_date") == [
        "The effective date 15/12/2021 must be after Vũ Văn Hải started in the post left "
        "(15/12/2021)."
    ]


def rotation_line(world, hr, cadre, planned_end, kind=MovementKind.ROTATION) -> dict:
    """The arguments of ``movement_add`` for a rotation (or secondment) from 01/01/2022."""
    return {
        "decision": hr.draft(signed_on=D(2021, 12, 20)),
        "kind": kind,
        "cadre": cadre,
        "to_post": world.post(2, "people_committee_chairman"),
        "effective_date": D(2022, 1, 1),
        "planned_end": planned_end,
    }


def test_a_rotation_of_exactly_36_months_is_accepted(world, hr, make_cadre):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    movement = movement_add(**rotation_line(world, hr, official, D(2024, 12, 31)))
    decision = decision_issue(decision=movement.decision)

    assert decision.status == DecisionStatus.ISSUED
    assert decision.movements.get().planned_end == D(2024, 12, 31)


def test_add_rejects_a_rotation_one_day_shorter_than_36_months(world, hr, make_cadre, refused):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    refusal = refused(movement_add, **rotation_line(world, hr, official, D(2024, 12, 30)))

    assert refusal.keys == {"planned_end"}
    assert refusal.codes("planned_end") == ["rotation_too_short"]
    assert refusal.messages("planned_end") == [
        "A rotation lasts at least 36 months: starting on 01/01/2022 it ends on 31/12/2024 "
        "or later, not 30/12/2024."
    ]


def test_a_secondment_of_exactly_36_months_is_accepted(world, hr, make_cadre):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    line = rotation_line(world, hr, official, D(2024, 12, 31), kind=MovementKind.SECONDMENT)

    assert movement_add(**line).planned_end == D(2024, 12, 31)


def test_add_rejects_a_secondment_longer_than_36_months(world, hr, make_cadre, refused):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    line = rotation_line(world, hr, official, D(2025, 1, 1), kind=MovementKind.SECONDMENT)

    refusal = refused(movement_add, **line)

    assert refusal.codes("planned_end") == ["secondment_too_long"]
    assert "at the latest, not 01/01/2025" in refusal.messages("planned_end")[0]


@pytest.mark.parametrize(
    ("planned_end", "code", "wording"),
    [
        (None, "planned_end_missing", "A rotation needs a planned end date."),
        (
            D(2022, 1, 1),
            "planned_end_order",
            "The planned end 01/01/2022 is not after the effective date 01/01/2022.",
        ),
    ],
    ids=["missing", "not after the start"],
)
def test_add_rejects_a_rotation_without_a_proper_planned_end(
    world, hr, make_cadre, refused, planned_end, code, wording
):
    official = make_cadre(0)
    hr.seat(official, world.district_posts["specialist"])

    refusal = refused(movement_add, **rotation_line(world, hr, official, planned_end))

    assert refusal.keys == {"planned_end"}
    assert refusal.codes("planned_end") == [code]
    assert refusal.messages("planned_end") == [wording]


def test_add_rejects_a_planned_end_on_a_transfer(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        effective_date=EFFECTIVE,
        planned_end=D(2025, 12, 31),
    )

    assert refusal.keys == {"planned_end"}
    assert refusal.messages("planned_end") == [
        "Only a rotation or a secondment has a planned end; leave it empty."
    ]


# --------------------------------------------------------------------------- the post left


@pytest.mark.parametrize("kind", [MovementKind.TRANSFER, MovementKind.ROTATION])
def test_add_rejects_a_move_of_someone_who_holds_no_post(world, hr, make_cadre, refused, kind):
    newcomer = make_cadre(0, full_name="Hoàng Văn Nam")
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=kind,
        cadre=newcomer,
        to_post=world.post(0, "party_secretary"),
        effective_date=EFFECTIVE,
        planned_end=D(2024, 12, 31) if kind == MovementKind.ROTATION else None,
    )

    assert refusal.keys == {"from_assignment"}
    assert refusal.codes("from_assignment") == ["nothing_to_leave"]
    assert "Hoàng Văn Nam holds no post on 15/12/2021" in refusal.messages("from_assignment")[0]
    assert "record an appointment or a designation" in refusal.messages("from_assignment")[0]


def test_add_rejects_a_post_left_that_the_cadre_does_not_hold(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        from_post=world.post(2, "party_secretary"),
        effective_date=EFFECTIVE,
    )

    assert refusal.codes("from_assignment") == ["not_holding_post"]
    assert "Đinh Hồng Kiên does not hold" in refusal.messages("from_assignment")[0]


def test_add_rejects_leaving_an_assignment_of_another_cadre(world, hr, kien, make_cadre, refused):
    other = make_cadre(2, full_name="Đỗ Thị Mai")
    theirs = hr.seat(other, world.post(2, "party_secretary"))
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(0, "party_secretary"),
        from_assignment=theirs,
        effective_date=EFFECTIVE,
    )

    assert refusal.keys == {"from_assignment"}
    assert refusal.messages("from_assignment") == [
        "The post left is held by Đỗ Thị Mai, not by Đinh Hồng Kiên."
    ]


def test_add_rejects_leaving_an_assignment_that_already_ended(world, hr, make_cadre, refused):
    cadre = make_cadre(0)
    ended = hr.seat(cadre, world.post(0, "party_secretary"), D(2015, 1, 1))
    assignment_end(assignment=ended, end_date=D(2020, 10, 31), reason="Nghỉ hưu")
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(1, "party_secretary"),
        from_assignment=ended,
        effective_date=EFFECTIVE,
    )

    assert refusal.codes("from_assignment") == ["left_already_ended"]
    assert "that assignment ended on 31/10/2020" in refusal.messages("from_assignment")[0]


def test_add_rejects_a_transfer_to_the_post_left(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(1, "party_secretary"),
        effective_date=EFFECTIVE,
    )

    assert refusal.keys == {"to_post"}
    assert refusal.messages("to_post") == ["The post taken is the post left; choose another post."]


def test_issue_rejects_two_lines_leaving_the_same_post(world, hr, kien, refused):
    current = Assignment.objects.get(cadre=kien)
    decision = hr.draft(signed_on=SIGNED)
    for commune in (0, 2):
        movement_add(
            decision=decision,
            kind=MovementKind.TRANSFER,
            cadre=kien,
            to_post=world.post(commune, "party_secretary"),
            from_assignment=current,
            effective_date=EFFECTIVE,
        )

    refusal = refused(decision_issue, decision=decision)

    [(line, field, code, message)] = refusal.lines()
    assert (line, field, code) == (2, "from_assignment", "left_twice")
    assert message == "Lines 1 and 2 both move Đinh Hồng Kiên out of the same post."


def test_issue_rejects_leaving_a_post_given_by_a_decision_cancelled_since(
    world, hr, make_cadre, refused
):
    cadre = make_cadre(0, full_name="Lê Văn Ba")
    given = hr.move(
        MovementKind.APPOINTMENT, cadre, world.post(0, "party_secretary"), D(2021, 6, 1)
    )
    decision = hr.draft(signed_on=SIGNED)
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(1, "party_secretary"),
        effective_date=EFFECTIVE,
    )
    decision_cancel(decision=given.decision, reason="Ban hành nhầm, hủy theo QĐ 5-QĐ/HU")

    refusal = refused(decision_issue, decision=decision)

    assert ("from_assignment", "left_void") in [(f, c) for _l, f, c, _m in refusal.lines()]


def test_issue_rejects_lines_dated_before_a_signing_date_corrected_since(world, hr, kien, refused):
    decision = transfer_to_le_ho(world, hr, kien)
    decision_update(decision=decision, signed_on=D(2021, 12, 20))

    refusal = refused(decision_issue, decision=decision)

    [(line, field, code, message)] = refusal.lines()
    assert (line, field, code) == (1, "effective_date", "before_signed")
    assert message == (
        "Line 1 (Đinh Hồng Kiên): The effective date 15/12/2021 is before the decision was "
        "signed (20/12/2021)."
    )


# --------------------------------------------------------------------------- one principal post


def test_add_rejects_a_second_principal_post_unless_concurrent(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=kien,
        to_post=world.post(1, "people_committee_chairman"),
        effective_date=EFFECTIVE,
    )

    assert refusal.keys == {"concurrent"}
    assert "already holds a principal post on 15/12/2021" in refusal.messages("concurrent")[0]
    assert "tick 'concurrent post'" in refusal.messages("concurrent")[0]


def test_issue_rejects_a_second_principal_post_taken_after_the_line_was_added(
    world, hr, make_cadre, refused
):
    newcomer = make_cadre(0, full_name="Hoàng Văn Nam")
    decision = hr.draft(signed_on=SIGNED)
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=newcomer,
        to_post=world.post(0, "people_committee_chairman"),
        effective_date=EFFECTIVE,
    )
    hr.seat(newcomer, world.post(0, "standing_deputy_secretary"), D(2021, 6, 1))

    refusal = refused(decision_issue, decision=decision)

    [(_line, field, code, message)] = refusal.lines()
    assert (field, code) == ("concurrent", "two_principal_posts")
    assert "Hoàng Văn Nam would hold two principal posts from 15/12/2021" in message


def test_add_rejects_the_same_post_twice_even_as_a_concurrent_post(world, hr, kien, refused):
    decision = hr.draft(signed_on=SIGNED)

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=kien,
        to_post=world.post(1, "party_secretary"),
        effective_date=EFFECTIVE,
        concurrent=True,
    )

    assert refusal.keys == {"to_post"}
    assert refusal.codes("to_post") == ["same_post_twice"]
    assert "Đinh Hồng Kiên already holds" in refusal.messages("to_post")[0]
    assert "from 01/10/2015" in refusal.messages("to_post")[0]


def test_issue_rejects_the_same_post_twice_when_taken_after_the_line_was_added(
    world, hr, make_cadre, refused
):
    cadre = make_cadre(0)
    hr.seat(cadre, world.district_posts["specialist"])
    decision = hr.draft(signed_on=SIGNED)
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=cadre,
        to_post=world.post(0, "people_committee_vice_chairman"),
        effective_date=EFFECTIVE,
        concurrent=True,
    )
    hr.seat(cadre, world.post(0, "people_committee_vice_chairman"), D(2021, 6, 1), principal=False)

    refusal = refused(decision_issue, decision=decision)

    assert [(f, c) for _l, f, c, _m in refusal.lines()] == [("to_post", "same_post_twice")]


# --------------------------------------------------------------------------- returns


@pytest.fixture
def rotation(world, hr, make_cadre):
    """A district specialist rotated to People's Committee chairman of Quế for 36 months."""
    official = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(official, world.district_posts["specialist"])
    return hr.move(
        MovementKind.ROTATION,
        official,
        world.post(2, "people_committee_chairman"),
        D(2022, 1, 1),
        planned_end=D(2024, 12, 31),
    )


def test_return_rejects_a_rotation_already_returned_from(hr, rotation, refused):
    first = hr.draft(signed_on=D(2025, 1, 2), number="7-QĐ/HU")
    rotation_return(decision=first, rotation=rotation, effective_date=D(2025, 1, 2))
    decision_issue(decision=first)
    second = hr.draft(signed_on=D(2025, 2, 1))

    refusal = refused(
        rotation_return, decision=second, rotation=rotation, effective_date=D(2025, 2, 1)
    )

    assert "returns_from" in refusal.keys
    assert refusal.codes("returns_from") == ["already_returned"]
    assert refusal.messages("returns_from") == [
        "Nguyễn Trung Trực already returned from this rotation by decision 7-QĐ/HU."
    ]


def test_add_rejects_a_return_of_another_cadre_than_the_one_rotated(
    world, hr, rotation, make_cadre, refused
):
    other = make_cadre(0, full_name="Lê Văn Ba")
    hr.seat(other, world.district_posts["head"])
    decision = hr.draft(signed_on=D(2025, 1, 2))

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.RETURN,
        cadre=other,
        to_post=world.district_posts["specialist"],
        effective_date=D(2025, 1, 2),
        returns_from=rotation,
    )

    assert refusal.messages("returns_from") == [
        "That rotation moved Nguyễn Trung Trực, not Lê Văn Ba."
    ]
    assert refusal.codes("from_assignment") == ["wrong_cadre"]


def test_add_rejects_a_return_from_a_transfer(world, hr, kien, refused):
    transfer = hr.move(MovementKind.TRANSFER, kien, world.post(0, "party_secretary"), EFFECTIVE)
    decision = hr.draft(signed_on=D(2022, 6, 1))

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.RETURN,
        cadre=kien,
        to_post=world.post(1, "party_secretary"),
        effective_date=D(2022, 6, 1),
        returns_from=transfer,
    )

    assert refusal.messages("returns_from") == [
        "A return ends a rotation or a secondment, not a transfer."
    ]


def test_add_rejects_naming_a_rotation_on_a_movement_that_is_not_a_return(
    world, hr, rotation, refused
):
    decision = hr.draft(signed_on=D(2025, 1, 2))

    refusal = refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=rotation.cadre,
        to_post=world.post(0, "people_committee_chairman"),
        effective_date=D(2025, 1, 2),
        returns_from=rotation,
    )

    assert refusal.keys == {"returns_from"}
    assert refusal.codes("returns_from") == ["returns_from_not_allowed"]


def test_issue_rejects_a_return_once_the_rotation_was_cancelled(hr, rotation, refused):
    decision = hr.draft(signed_on=D(2025, 1, 2))
    rotation_return(decision=decision, rotation=rotation, effective_date=D(2025, 1, 2))
    decision_cancel(decision=rotation.decision, reason="Quyết định 9-QĐ/HU hủy bỏ")

    refusal = refused(decision_issue, decision=decision)

    fields = {(field, code) for _l, field, code, _m in refusal.lines()}
    assert ("returns_from", "return_rotation_not_issued") in fields


def test_movements_in_a_draft_are_not_written_when_a_later_line_is_refused(
    world, hr, kien, make_cadre, refused
):
    decision = transfer_to_le_ho(world, hr, kien)
    newcomer = make_cadre(0)

    refused(
        movement_add,
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=newcomer,
        to_post=world.post(1, "party_secretary"),
        effective_date=EFFECTIVE,
    )

    assert list(Movement.objects.values_list("cadre", flat=True)) == [kien.pk]
