"""Cancelling an issued decision: its effects are undone, its record is kept.

The assignments it opened stay, marked void and ignored everywhere; those it closed are
open again. A cancellation that would contradict later records is refused.
"""

import datetime

import pytest

from rotation.models import Assignment, DecisionStatus, MovementKind
from rotation.services import (
    assignment_end,
    decision_cancel,
    decision_issue,
    movement_add,
    rotation_return,
)

D = datetime.date
REASON = "Quyết định 130-QĐ/HU ngày 20/12/2021 hủy bỏ quyết định này"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def kien(world, make_cadre, hr):
    cadre = make_cadre(1, full_name="Đinh Hồng Kiên")
    hr.seat(cadre, world.post(1, "party_secretary"), D(2015, 10, 1))
    return cadre


@pytest.fixture
def transfer(world, hr, kien):
    """Kiên transferred from Tân Sơn to Lê Hồ on 15/12/2021."""
    return hr.move(MovementKind.TRANSFER, kien, world.post(0, "party_secretary"), D(2021, 12, 15))


def holders(post, day) -> list[str]:
    return sorted(a.cadre.full_name for a in Assignment.objects.as_of(day).filter(post=post))


# --------------------------------------------------------------------------- paths


def test_cancel_voids_the_posts_given_and_gives_back_the_posts_left(
    world, transfer, django_user_model
):
    hr_user = django_user_model.objects.create_user("hr_staff")
    opened = transfer.opened_assignments.get()
    left = transfer.from_assignment

    cancelled = decision_cancel(decision=transfer.decision, reason=f"  {REASON} ", by=hr_user)

    assert cancelled.status == DecisionStatus.CANCELLED
    assert (cancelled.cancellation_reason, cancelled.cancelled_by) == (REASON, hr_user)
    assert cancelled.cancelled_at is not None
    opened.refresh_from_db()
    left.refresh_from_db()
    assert opened.is_void is True
    assert (left.end_date, left.closed_by, left.is_void) == (None, None, False)
    assert holders(world.post(1, "party_secretary"), D(2021, 12, 15)) == ["Đinh Hồng Kiên"]
    assert holders(world.post(0, "party_secretary"), D(2021, 12, 15)) == []
    assert list(cancelled.movements.all()) == [transfer]
    assert Assignment.objects.filter(pk=opened.pk).exists()
    assert not Assignment.objects.effective().filter(pk=opened.pk).exists()


def test_a_corrected_decision_is_issued_after_the_wrong_one_is_cancelled(
    world, hr, kien, transfer, make_cadre
):
    decision_cancel(decision=transfer.decision, reason=REASON)
    corrected = hr.draft(signed_on=D(2021, 12, 20), number="130-QĐ/HU")
    movement_add(
        decision=corrected,
        kind=MovementKind.TRANSFER,
        cadre=kien,
        to_post=world.post(2, "party_secretary"),
        effective_date=D(2021, 12, 20),
    )
    newcomer = make_cadre(0, full_name="Lê Văn Ba")
    movement_add(
        decision=corrected,
        kind=MovementKind.APPOINTMENT,
        cadre=newcomer,
        to_post=world.post(0, "party_secretary"),
        effective_date=D(2021, 12, 20),
    )

    decision_issue(decision=corrected)

    assert holders(world.post(2, "party_secretary"), D(2021, 12, 20)) == ["Đinh Hồng Kiên"]
    assert holders(world.post(0, "party_secretary"), D(2021, 12, 20)) == ["Lê Văn Ba"]
    assert holders(world.post(1, "party_secretary"), D(2021, 12, 20)) == []
    voided = transfer.opened_assignments.get()
    assert (voided.is_void, voided.seat) == (True, 1)


def test_cancelling_a_swap_gives_each_secretary_their_post_back(world, hr, make_cadre):
    first, second = make_cadre(0, full_name="Lê Văn Ba"), make_cadre(1, full_name="Phạm Văn Tư")
    le_ho, tan_son = world.post(0, "party_secretary"), world.post(1, "party_secretary")
    hr.seat(first, le_ho)
    hr.seat(second, tan_son)
    swap = hr.draft(signed_on=D(2022, 1, 5))
    for cadre, post in ((first, tan_son), (second, le_ho)):
        movement_add(
            decision=swap,
            kind=MovementKind.TRANSFER,
            cadre=cadre,
            to_post=post,
            effective_date=D(2022, 1, 10),
        )
    decision_issue(decision=swap)

    decision_cancel(decision=swap, reason=REASON)

    assert holders(le_ho, D(2022, 1, 10)) == ["Lê Văn Ba"]
    assert holders(tan_son, D(2022, 1, 10)) == ["Phạm Văn Tư"]
    assert Assignment.objects.filter(is_void=True).count() == 2


def test_cancelling_a_return_puts_the_cadre_back_in_the_rotation_post(world, hr, make_cadre):
    official = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(official, world.district_posts["specialist"])
    rotation = hr.move(
        MovementKind.ROTATION,
        official,
        world.post(2, "people_committee_chairman"),
        D(2022, 1, 1),
        planned_end=D(2024, 12, 31),
    )
    back = hr.draft(signed_on=D(2024, 12, 20))
    rotation_return(decision=back, rotation=rotation, effective_date=D(2025, 1, 1))
    decision_issue(decision=back)

    decision_cancel(decision=back, reason=REASON)

    assert holders(world.post(2, "people_committee_chairman"), D(2025, 1, 1)) == [
        "Nguyễn Trung Trực"
    ]
    assert holders(world.district_posts["specialist"], D(2025, 1, 1)) == []


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancel_rejects_a_missing_reason(transfer, refused, reason):
    refusal = refused(decision_cancel, decision=transfer.decision, reason=reason)

    assert refusal.keys == {"cancellation_reason"}
    assert refusal.messages("cancellation_reason") == [
        "Say why the decision is cancelled, e.g. the number of the cancelling decision."
    ]


def test_cancel_rejects_a_draft_and_says_it_can_be_deleted(hr, refused):
    draft = hr.draft(signed_on=D(2021, 12, 1))

    refusal = refused(decision_cancel, decision=draft, reason=REASON)

    assert refusal.keys == {"status"}
    assert refusal.messages("status") == [
        "Only an issued decision can be cancelled; this one is draft. A draft can simply be "
        "deleted."
    ]


def test_cancel_rejects_a_decision_cancelled_already(transfer, refused):
    decision_cancel(decision=transfer.decision, reason=REASON)

    refusal = refused(decision_cancel, decision=transfer.decision, reason=REASON)

    assert refusal.codes("status") == ["not_issued"]


def test_cancel_rejects_a_decision_a_later_one_built_on(world, hr, kien, transfer, refused):
    hr.draft(signed_on=D(2022, 1, 1))  # takes number 2
    later = hr.move(MovementKind.TRANSFER, kien, world.post(2, "party_secretary"), D(2023, 1, 1))

    refusal = refused(decision_cancel, decision=transfer.decision, reason=REASON)

    assert refusal.codes("status") == ["built_upon"]
    assert refusal.messages("status") == [
        f"Đinh Hồng Kiên has since left {world.post(0, 'party_secretary')} by decision "
        f"{later.decision.number}; cancel that decision first."
    ]


def test_cancel_rejects_a_rotation_the_cadre_has_returned_from(world, hr, make_cadre, refused):
    official = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(official, world.district_posts["specialist"])
    rotation = hr.move(
        MovementKind.ROTATION,
        official,
        world.post(2, "people_committee_chairman"),
        D(2022, 1, 1),
        planned_end=D(2024, 12, 31),
    )
    back = hr.draft(signed_on=D(2024, 12, 20), number="9-QĐ/HU")
    rotation_return(decision=back, rotation=rotation, effective_date=D(2025, 1, 1))
    decision_issue(decision=back)

    refusal = refused(decision_cancel, decision=rotation.decision, reason=REASON)

    assert refusal.codes("status") == ["built_upon"]
    assert "by decision 9-QĐ/HU" in refusal.messages("status")[0]


def test_cancel_rejects_a_decision_whose_post_given_has_since_ended(world, kien, transfer, refused):
    assignment_end(
        assignment=transfer.opened_assignments.get(),
        end_date=D(2024, 5, 31),
        reason="Nghỉ hưu",
    )

    refusal = refused(decision_cancel, decision=transfer.decision, reason=REASON)

    assert refusal.codes("status") == ["built_upon"]
    assert "has since ended (Nghỉ hưu); reopen it first" in refusal.messages("status")[0]


def test_cancel_rejects_giving_back_a_post_filled_since(
    world, hr, kien, transfer, make_cadre, refused
):
    successor = make_cadre(1, full_name="Bùi Thị Yến")
    hr.move(MovementKind.APPOINTMENT, successor, world.post(1, "party_secretary"), D(2022, 3, 1))

    refusal = refused(decision_cancel, decision=transfer.decision, reason=REASON)

    assert refusal.keys == {"status"}
    assert refusal.codes("status") == ["seat_taken_since"]
    assert refusal.messages("status") == [
        f"Đinh Hồng Kiên cannot get {world.post(1, 'party_secretary')} back: from 01/03/2022 "
        "it is held by Bùi Thị Yến. Cancel or amend the decision that filled it first."
    ]


def test_cancel_rejects_giving_back_a_principal_post_when_another_was_taken_since(
    world, hr, make_cadre, refused
):
    cadre = make_cadre(0, full_name="Vũ Văn Hải")
    hr.seat(cadre, world.post(0, "people_committee_chairman"))
    # Moved out of the principal post into a concurrent one; a new principal post later.
    moved = hr.move(
        MovementKind.TRANSFER,
        cadre,
        world.post(0, "people_committee_vice_chairman"),
        D(2022, 1, 1),
        concurrent=True,
    )
    hr.move(MovementKind.APPOINTMENT, cadre, world.district_posts["head"], D(2022, 6, 1))

    refusal = refused(decision_cancel, decision=moved.decision, reason=REASON)

    assert refusal.codes("status") == ["principal_taken_since"]
    assert "Vũ Văn Hải has since taken" in refusal.messages("status")[0]
