"""No write escapes the history: after each step HR staff take through the services, every
row that was created, changed or deleted has a history row written by that step, of the
right kind, naming the right user, the reason given, and the row's values.

The steps cover the paths that write many rows at once (issuing, cancelling, returning,
re-seating, ending assignments, merging and ending units, deleting a draft), which the
services used to write with ``QuerySet.update()`` and ``bulk_create()``.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.context import recording
from audit.tests.conftest import history_values, last_history, snapshot
from communes.models import Post, UnitKind
from communes.services import post_set_seats, unit_end, unit_succeed
from communes.tests.factories import OrganisationFactory, PostFactory
from rotation.models import MovementKind
from rotation.services import (
    assignment_end,
    decision_cancel,
    decision_delete,
    decision_issue,
    movement_add,
    rotation_return,
)

D = datetime.date


def check_step(step, *, user, reason: str | None = None, reasons: dict | None = None) -> set[str]:
    """Run ``step``; check the history of every row it created, changed or deleted.

    ``reason`` is the reason each history row carries, but for the models ``reasons``
    names. Returns the models whose rows changed, so that a test can say which it expects.
    """
    before = snapshot()
    started = timezone.now()
    step()
    after = snapshot()
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed, "the step changed nothing"
    for label, pk in sorted(changed):
        record = last_history(label, pk)
        assert record is not None, f"{label} {pk} has no history"
        assert record.history_date >= started, f"{label} {pk}: no history row for this change"
        if (label, pk) not in before:
            expected_type, values = "+", after[(label, pk)]
        elif (label, pk) not in after:
            expected_type, values = "-", before[(label, pk)]
        else:
            expected_type, values = "~", after[(label, pk)]
        assert record.history_type == expected_type, (label, pk)
        assert history_values(record) == values, (label, pk)
        assert record.history_user == user, (label, pk)
        assert record.history_username == user.get_username()
        assert record.history_change_reason == (reasons or {}).get(label, reason), (label, pk)
    return {label for label, _pk in changed}


@pytest.fixture
def specialist(world, hr, make_cadre):
    """A district specialist, seated there since 2019."""
    cadre = make_cadre(0, full_name="Nguyễn Trung Trực")
    hr.seat(cadre, world.district_posts["specialist"])
    return cadre


def test_every_row_the_services_write_keeps_its_history(world, hr, hr_user, make_cadre, specialist):
    rotation_decision = hr.draft(signed_on=D(2021, 12, 20))
    rotation = movement_add(
        decision=rotation_decision,
        kind=MovementKind.ROTATION,
        cadre=specialist,
        to_post=world.post(2, "people_committee_chairman"),
        effective_date=D(2022, 1, 1),
        planned_end=D(2024, 12, 31),
    )

    # Issuing closes the post left, opens the post taken and marks the decision issued.
    changed = check_step(
        lambda: decision_issue(decision=rotation_decision, by=hr_user), user=hr_user
    )
    assert changed == {"rotation.Decision", "rotation.Assignment"}

    # A return, issued, then cancelled: the posts it changed are given back (re-seated).
    back = hr.draft(signed_on=D(2025, 1, 2))
    with recording(user=hr_user):
        rotation_return(decision=back, rotation=rotation, effective_date=D(2025, 1, 2))
    check_step(lambda: decision_issue(decision=back, by=hr_user), user=hr_user)
    changed = check_step(
        lambda: decision_cancel(decision=back, reason="Quyết định 9-QĐ/HU hủy bỏ", by=hr_user),
        user=hr_user,
        reason="Quyết định 9-QĐ/HU hủy bỏ",
    )
    assert changed == {"rotation.Decision", "rotation.Assignment"}

    # More seats on a held post: its holders are re-seated one by one.
    vice_chairman = world.post(0, "people_committee_vice_chairman")
    for _ in range(2):
        hr.seat(make_cadre(0), vice_chairman)
    with recording(user=hr_user, reason="Biên chế mới"):
        changed = check_step(
            lambda: post_set_seats(post=vice_chairman, seats=3), user=hr_user, reason="Biên chế mới"
        )
    assert "communes.Post" in changed

    # An assignment ended without a movement.
    secretary = hr.seat(make_cadre(1), world.post(1, "party_secretary"))
    with recording(user=hr_user):
        check_step(
            lambda: assignment_end(
                assignment=secretary, end_date=D(2024, 5, 31), reason="Nghỉ hưu"
            ),
            user=hr_user,
            reason="Nghỉ hưu",
        )

    # Two communes merge into a ward: they, their organisations and posts end (in bulk),
    # the posts still held end with them, the ward and its succession links start.
    def merge():
        unit_succeed(
            predecessors=[world.communes[1], world.communes[2]],
            code="13411",
            name="Tân Sơn",
            kind=UnitKind.WARD,
            parent=world.district,
            effective_date=D(2025, 7, 1),
            legal_basis="Nghị quyết 1318/NQ-UBTVQH15",
            end_assignments_reason="Sắp xếp đơn vị hành chính",
            reason="Sáp nhập theo Nghị quyết 1318/NQ-UBTVQH15",
        )

    with recording(user=hr_user):
        changed = check_step(
            merge,
            user=hr_user,
            reason="Sáp nhập theo Nghị quyết 1318/NQ-UBTVQH15",
            # The posts still held end for the reason given to end them.
            reasons={"rotation.Assignment": "Sắp xếp đơn vị hành chính"},
        )
    assert {
        "communes.AdministrativeUnit",
        "communes.UnitSuccession",
        "communes.Organisation",
        "communes.Post",
        "rotation.Assignment",
    } <= changed

    # A commune ends without a successor: its organisations and posts end in bulk.
    with recording(user=hr_user):
        changed = check_step(
            lambda: unit_end(
                unit=world.communes[0],
                last_day=D(2025, 6, 30),
                end_assignments_reason="Sắp xếp đơn vị hành chính",
                reason="Giải thể",
            ),
            user=hr_user,
            reason="Giải thể",
            reasons={"rotation.Assignment": "Sắp xếp đơn vị hành chính"},
        )
    assert {"communes.AdministrativeUnit", "communes.Organisation", "communes.Post"} <= changed

    # A draft deleted with its lines: each keeps a "deleted" row with its last values.
    draft = hr.draft(signed_on=D(2024, 1, 2))
    movement_add(
        decision=draft,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(0),
        to_post=world.district_posts["head"],
        effective_date=D(2024, 1, 2),
    )
    with recording(user=hr_user):
        changed = check_step(
            lambda: decision_delete(decision=draft, reason="Nhập trùng"),
            user=hr_user,
            reason="Nhập trùng",
        )
    assert changed == {"rotation.Decision", "rotation.Movement"}


def test_ending_a_unit_writes_its_organisations_and_posts_in_bulk(world, hr_user):
    """The organisations and posts a unit takes with it are ended by one statement per
    model and their history rows written by one more: the queries do not grow with them."""
    bigger = world.communes[2]
    for index in range(10):
        PostFactory(
            organisation=OrganisationFactory(unit=bigger, name=f"Hội đoàn thể {index}"),
            role="specialist",
        )

    def queries_to_merge(unit, code: str) -> int:
        with CaptureQueriesContext(connection) as captured, recording(user=hr_user):
            unit_succeed(
                predecessors=[unit],
                code=code,
                name=f"Phường {unit.name}",
                kind=UnitKind.WARD,
                parent=world.district,
                effective_date=D(2025, 7, 1),
            )
        return len(captured)

    smaller = Post.objects.filter(organisation__unit=world.communes[1])
    ended = Post.objects.filter(organisation__unit=bigger)
    assert ended.count() == smaller.count() + 10

    assert queries_to_merge(world.communes[1], "13411") == queries_to_merge(bigger, "13384")
    assert {post.valid_to for post in ended} == {D(2025, 6, 30)}
    assert {post.history.first().valid_to for post in ended} == {D(2025, 6, 30)}
    assert {post.history.first().history_user for post in ended} == {hr_user}
