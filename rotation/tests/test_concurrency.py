"""Conflicting decisions issued at the same moment, on PostgreSQL.

Eight threads, each with its own database connection, wait at a barrier and then issue
eight drafts that cannot all be applied: the same cadre moved to eight different posts on
the same day, eight cadres moved to the last free seat of one post, and a mix of both with
decisions of two lines. ``decision_issue`` locks the cadres, then the posts, in id order,
and checks the rules again once it holds the locks; so the first decision through wins
and every other is refused with a reason a person can act on, its draft untouched.

Each scenario runs a few rounds on fresh records, through the service and through the
REST API against a live server (every request answered: 200 for the winners, a 400 with
the reason for the others, never a 5xx); afterwards the stored records keep every rule (no
cadre holds a post twice or two principal posts at once, no post has more holders than
seats on any day, every issued movement has its assignments linked, no draft has any).
Ending a post while decisions move its holder out takes the same locks, in the same order.
Should PostgreSQL ever stop a transaction as a deadlock, the API says "retry" (409).

Skipped on SQLite: SQLite lets one writer at a time write the whole database, so there
is no race to test; there the services' checks are tested one call at a time.
"""

from __future__ import annotations

import datetime
import functools
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

import pytest
import requests
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections, transaction
from django.utils import translation
from rest_framework.authtoken.models import Token

from access.models import UserArea
from communes.dates import dmy
from communes.models import OrganisationKind, Post
from communes.tests.admin_support import hr_staff
from communes.tests.factories import CommuneFactory, OrganisationFactory, PostFactory
from config.api.errors import exception_handler
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind
from rotation.seating import overlaps
from rotation.services import assignment_end, decision_issue, movement_add

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer at a time write the whole database: no race to test",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.usefixtures("english"),
]

D = datetime.date
THREADS = 8
ROUNDS = 3
SIGNED = D(2024, 1, 10)
DAY = D(2024, 1, 15)  # the effective date of every movement
SEATED = D(2019, 1, 1)


# --------------------------------------------------------------------------- records of a round


class Stage:
    """Fresh communes and posts for one round (factories), with cadres seated in them and
    drafts made through the services."""

    def __init__(self, world, hr, make_cadre, label: str):
        self.world = world
        self.hr = hr
        self.make_cadre = make_cadre
        self.label = label
        self.count = 0

    def post(self, seats: int = 1) -> Post:
        """The Party secretary post of a new commune (one seat) or its vice-chairman posts."""
        self.count += 1
        commune = CommuneFactory(
            parent=self.world.district, name=f"Xã {self.label} {self.count}", valid_from=SEATED
        )
        if seats == 1:
            organisation = OrganisationFactory(
                unit=commune, kind=OrganisationKind.PARTY_COMMITTEE, name=f"Đảng ủy {commune}"
            )
            return PostFactory(organisation=organisation, role="party_secretary")
        organisation = OrganisationFactory(
            unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune}"
        )
        return PostFactory(
            organisation=organisation, role="people_committee_vice_chairman", seats=seats
        )

    def seated(self, post: Post | None = None):
        """A cadre holding ``post`` (a new one by default) since 2019."""
        cadre = self.make_cadre(0)
        self.hr.seat(cadre, post or self.post(), SEATED)
        return cadre

    def draft(self, *lines: tuple) -> Decision:
        """A draft whose lines transfer each (cadre, post) on ``DAY``."""
        decision = self.hr.draft(signed_on=SIGNED)
        for cadre, to_post in lines:
            movement_add(
                decision=decision,
                kind=MovementKind.TRANSFER,
                cadre=cadre,
                to_post=to_post,
                effective_date=DAY,
            )
        return decision


@pytest.fixture
def stage(world, hr, make_cadre) -> Callable[[str], Stage]:
    return lambda label: Stage(world, hr, make_cadre, label)


# --------------------------------------------------------------------------- issuing at the same moment


@dataclass
class Outcome:
    decision_id: int
    error: BaseException | None = None
    trace: str = ""

    @property
    def won(self) -> bool:
        return self.error is None

    def codes(self) -> set[str]:
        assert isinstance(self.error, ValidationError), self.trace
        return {e.code for errors in self.error.error_dict.values() for e in errors}

    def messages(self) -> list[str]:
        assert isinstance(self.error, ValidationError), self.trace
        return [m for messages in self.error.message_dict.values() for m in messages]


def at_once(work: Callable[[int], object], count: int) -> list[Outcome | object]:
    """Run ``work(i)`` in ``count`` threads released together; each thread has its own
    database connection, closed when it ends. Returns what each returned, in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    assert all(result is not None for result in results), results  # no request lost
    return results


def attempt_together(calls: list[tuple[int, Callable[[], object]]]) -> list[Outcome]:
    """Make every call (decision id, service call) at the same moment, in English."""

    def attempt(index: int) -> Outcome:
        decision_id, call = calls[index]
        outcome = Outcome(decision_id)
        with translation.override("en"):
            try:
                call()
            except Exception as error:  # every error is kept and asserted on below
                outcome.error = error
                outcome.trace = traceback.format_exc()
        return outcome

    outcomes = at_once(attempt, len(calls))
    for outcome in outcomes:
        # No deadlock, serialization failure or database error escapes: a refusal or nothing.
        assert outcome.won or isinstance(outcome.error, ValidationError), outcome.trace
    return outcomes


def issue_together(decisions: list[Decision]) -> list[Outcome]:
    """Issue every draft at the same moment through ``decision_issue``."""
    return attempt_together(
        [(d.pk, functools.partial(decision_issue, decision=d)) for d in decisions]
    )


# --------------------------------------------------------------------------- the rules, on what is stored


def assert_records_keep_every_rule() -> None:
    """The invariants of DOMAIN.md §3.4 on every stored record, computed afresh."""
    held = list(Assignment.objects.effective().select_related("post", "cadre").order_by("pk"))
    by_cadre: dict[int, list[Assignment]] = defaultdict(list)
    by_post: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in held:
        by_cadre[assignment.cadre_id].append(assignment)
        by_post[assignment.post_id].append(assignment)

    for rows in by_cadre.values():
        for a, b in combinations(rows, 2):
            if overlaps(a, b):
                assert a.post_id != b.post_id, f"{a} and {b}: one post held twice at once"
                assert not (a.principal and b.principal), f"{a} and {b}: two principal posts"

    for rows in by_post.values():
        post = rows[0].post
        for a in rows:
            # The most holders at once is reached on some holder's first day.
            holders = [b for b in rows if b.is_held_on(a.start_date)]
            assert len(holders) <= post.seats, f"{post}: {len(holders)} holders on {a.start_date}"
            assert 1 <= a.seat <= post.seats, f"{a}: seat {a.seat} of {post.seats}"
        for a, b in combinations(rows, 2):
            assert not (overlaps(a, b) and a.seat == b.seat), f"{a} and {b}: one seat"

    opened: dict[int, list[Assignment]] = defaultdict(list)
    closed: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.all():
        if assignment.opened_by_id:
            opened[assignment.opened_by_id].append(assignment)
        if assignment.closed_by_id:
            closed[assignment.closed_by_id].append(assignment)
    for movement in Movement.objects.select_related("decision", "from_assignment"):
        status = movement.decision.status
        if status == DecisionStatus.ISSUED:
            (new,) = [a for a in opened[movement.pk] if not a.is_void]
            assert (new.cadre_id, new.post_id, new.start_date) == (
                movement.cadre_id,
                movement.to_post_id,
                movement.effective_date,
            )
            if movement.from_assignment_id:
                left = movement.from_assignment
                assert left.closed_by_id == movement.pk, f"{movement}: post left not closed"
                assert left.end_date == movement.effective_date - datetime.timedelta(days=1)
        elif status == DecisionStatus.DRAFT:
            assert not opened[movement.pk], f"a draft's movement opened {opened[movement.pk]}"
            assert not closed[movement.pk], f"a draft's movement closed {closed[movement.pk]}"
    drafts = Decision.objects.filter(status=DecisionStatus.DRAFT)
    assert not drafts.filter(issued_at__isnull=False).exists()


def assert_untouched(decision_ids: list[int]) -> None:
    """The losers are drafts still, and nothing in the records points at their movements."""
    losers = Decision.objects.filter(pk__in=decision_ids)
    assert set(losers.values_list("status", flat=True)) <= {DecisionStatus.DRAFT}
    assert not Assignment.objects.filter(opened_by__decision__in=losers).exists()
    assert not Assignment.objects.filter(closed_by__decision__in=losers).exists()


# --------------------------------------------------------------------------- the same cadre to eight posts


def test_one_cadre_sent_to_eight_posts_at_once_moves_once(stage):
    for round_number in range(ROUNDS):
        s = stage(f"A{round_number}")
        principal_post = s.post()
        kien = s.seated(principal_post)
        targets = [s.post() for _ in range(THREADS)]
        drafts = [s.draft((kien, target)) for target in targets]

        outcomes = issue_together(drafts)

        winners = [o for o in outcomes if o.won]
        assert len(winners) == 1, [o.trace for o in outcomes if o.trace]
        winner = Decision.objects.get(pk=winners[0].decision_id)
        assert winner.status == DecisionStatus.ISSUED
        target = winner.movements.get().to_post
        assert [a.post for a in Assignment.objects.as_of(DAY).filter(cadre=kien)] == [target]
        for outcome in outcomes:
            if outcome.won:
                continue
            assert outcome.codes() == {"left_already_ended"}, outcome.messages()
            (message,) = outcome.messages()
            assert (
                f"{kien.full_name} no longer holds {principal_post}: that assignment ended "
                f"on {dmy(DAY - datetime.timedelta(days=1))}"
            ) in message
        assert_untouched([o.decision_id for o in outcomes if not o.won])
        for other in targets:
            if other != target:
                assert not Assignment.objects.filter(post=other).exists()
    assert_records_keep_every_rule()


# --------------------------------------------------------------------------- eight cadres to the last seat


def test_eight_cadres_sent_to_the_last_free_seat_at_once_one_gets_it(stage):
    for round_number in range(ROUNDS):
        s = stage(f"B{round_number}")
        deputies = s.post(seats=2)
        holder = s.seated(deputies)
        cadres = [s.seated() for _ in range(THREADS)]
        drafts = [s.draft((cadre, deputies)) for cadre in cadres]

        outcomes = issue_together(drafts)

        winners = [o for o in outcomes if o.won]
        assert len(winners) == 1, [o.trace for o in outcomes if o.trace]
        newcomer = Decision.objects.get(pk=winners[0].decision_id).movements.get().cadre
        holders = Assignment.objects.as_of(DAY).filter(post=deputies)
        assert sorted(holders.values_list("cadre", flat=True)) == sorted([holder.pk, newcomer.pk])
        names = ", ".join(sorted([holder.full_name, newcomer.full_name]))
        for outcome in outcomes:
            if outcome.won:
                continue
            assert outcome.codes() == {"post_full"}, outcome.messages()
            (message,) = outcome.messages()
            assert (
                f"{deputies} has 2 seat(s) and on {dmy(DAY)} it is already held by {names}"
            ) in message
        assert_untouched([o.decision_id for o in outcomes if not o.won])
        for cadre in cadres:
            if cadre != newcomer:  # the losers still hold the post they had
                assert Assignment.objects.as_of(DAY).filter(cadre=cadre).count() == 1
    assert_records_keep_every_rule()


# --------------------------------------------------------------------------- both at once, two-line decisions


def test_mixed_conflicts_apply_each_decision_whole_or_not_at_all(stage):
    for round_number in range(ROUNDS):
        s = stage(f"C{round_number}")
        kien = s.seated()
        deputies = s.post(seats=2)
        s.seated(deputies)
        newcomers = [s.seated() for _ in range(4)]
        drafts = [
            s.draft((kien, s.post())),
            s.draft((kien, s.post())),
            s.draft((newcomers[0], deputies)),
            s.draft((newcomers[1], deputies)),
            # Two lines: both are applied, or neither.
            s.draft((kien, s.post()), (newcomers[2], deputies)),
            s.draft((newcomers[3], deputies), (kien, s.post())),
            s.draft((kien, s.post())),
            s.draft((newcomers[0], s.post())),  # free post, but its cadre may have moved
        ]

        outcomes = issue_together(drafts)

        issued = Movement.objects.filter(
            decision__in=[o.decision_id for o in outcomes if o.won]
        ).select_related("cadre")
        assert sum(1 for m in issued if m.cadre_id == kien.pk) == 1, "Kiên moves exactly once"
        assert sum(1 for m in issued if m.to_post_id == deputies.pk) == 1, "one seat, one taker"
        for outcome in outcomes:
            if not outcome.won:
                assert outcome.codes() <= {"left_already_ended", "post_full"}, outcome.messages()
                assert all(outcome.messages())
        assert_untouched([o.decision_id for o in outcomes if not o.won])
    assert_records_keep_every_rule()


# --------------------------------------------------------------------------- the same through the REST API


def test_api_answers_every_conflicting_issue_request_with_one_200_and_clear_refusals(
    world, stage, live_server
):
    user = hr_staff("hr.concurrency")
    UserArea.objects.create(user=user, unit=world.province)  # HR staff of the whole province
    auth = {"Authorization": f"Token {Token.objects.create(user=user).key}"}
    api = f"{live_server.url}/api/v1/decisions"
    for round_number in range(ROUNDS):
        s = stage(f"D{round_number}")
        deputies = s.post(seats=2)
        s.seated(deputies)
        kien = s.seated()
        drafts = [s.draft((s.seated(), deputies)) for _ in range(THREADS // 2)]
        drafts += [s.draft((kien, s.post())) for _ in range(THREADS - len(drafts))]
        etags = []
        for draft in drafts:
            read = requests.get(f"{api}/{draft.pk}/", headers=auth, timeout=30)
            assert read.status_code == 200, read.text
            etags.append(read.headers["ETag"])

        posts = [
            functools.partial(
                requests.post,
                f"{api}/{draft.pk}/issue/",
                headers={**auth, "If-Match": etag, "Accept-Language": "en"},
                timeout=60,
            )
            for draft, etag in zip(drafts, etags, strict=True)
        ]

        answers = at_once(lambda index, posts=posts: posts[index](), len(posts))

        statuses = [answer.status_code for answer in answers]
        assert all(status < 500 for status in statuses), [a.text for a in answers]
        assert statuses.count(200) == 2, statuses  # one taker of the seat, one move of Kiên
        for draft, answer in zip(drafts, answers, strict=True):
            body = answer.json()
            if answer.status_code == 200:
                assert body["status"] == "issued"
                continue
            assert answer.status_code == 400, body
            assert body["code"] == "invalid"
            # The seat taken meanwhile is about the post taken; Kiên gone, about the post left.
            expected = "to_post" if draft.movements.get().to_post == deputies else "from_assignment"
            assert list(body["errors"]) == [f"movements.1.{expected}"], body
            assert body["detail"].startswith("Line 1 ("), body
        won = [d.pk for d, a in zip(drafts, answers, strict=True) if a.status_code == 200]
        assert_untouched([d.pk for d in drafts if d.pk not in won])
    assert_records_keep_every_rule()


# --------------------------------------------------------------------------- ending a post while a decision moves its holder


@pytest.fixture
def slow_checks(monkeypatch):
    """Widen the window between ``decision_issue`` reading the post left and writing its end,
    so that an ``assignment_end`` that did not wait for the cadre's lock would land in it."""
    import rotation.services

    check = rotation.services._check_movement

    def check_slowly(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.05)

    monkeypatch.setattr(rotation.services, "_check_movement", check_slowly)


@pytest.mark.usefixtures("slow_checks")
def test_ending_a_post_while_decisions_move_its_holder_out_lets_one_through(stage):
    for round_number in range(ROUNDS):
        s = stage(f"E{round_number}")
        principal_post = s.post()
        kien = s.seated(principal_post)
        left = Assignment.objects.get(cadre=kien, post=principal_post)
        drafts = [s.draft((kien, s.post())) for _ in range(THREADS // 2)]

        def end(left=left):
            time.sleep(0.02)  # once the decisions have read the post left as open
            assignment_end(assignment=left, end_date=D(2023, 12, 31), reason="Nghỉ hưu")

        calls = [(d.pk, functools.partial(decision_issue, decision=d)) for d in drafts]
        outcomes = attempt_together(calls + [(0, end)] * (THREADS - len(drafts)))

        assert sum(o.won for o in outcomes) == 1, [o.messages() for o in outcomes if not o.won]
        for outcome in outcomes:
            if not outcome.won:
                assert outcome.codes() <= {"left_already_ended", "already_ended"}
        left.refresh_from_db()
        if left.closed_by_id:  # a decision moved Kiên out first
            assert (left.end_date, left.end_reason) == (DAY - datetime.timedelta(days=1), "")
        else:  # the post was ended first: Kiên went nowhere
            assert (left.end_date, left.end_reason) == (D(2023, 12, 31), "Nghỉ hưu")
            assert not Decision.objects.filter(
                pk__in=[d.pk for d in drafts], status=DecisionStatus.ISSUED
            ).exists()
        assert_untouched([o.decision_id for o in outcomes if o.decision_id and not o.won])
    assert_records_keep_every_rule()


# --------------------------------------------------------------------------- a deadlock, should one ever happen


def deadlock_between_two_transactions(first, second) -> OperationalError:
    """Two transactions lock ``first`` and ``second`` in opposite orders; PostgreSQL stops
    one of them (after ``deadlock_timeout``) and that error is returned."""
    model = type(first)
    rows = [(first.pk, second.pk), (second.pk, first.pk)]
    held = threading.Barrier(2)

    def lock_both(index: int):
        try:
            with transaction.atomic():
                for position, pk in enumerate(rows[index]):
                    list(model.objects.select_for_update().filter(pk=pk))
                    if position == 0:
                        held.wait(timeout=30)
        except OperationalError as error:
            return error
        return "locked both"

    results = at_once(lock_both, 2)
    (error,) = [r for r in results if isinstance(r, OperationalError)]
    return error


def test_api_answers_a_deadlock_as_a_conflict_to_retry_not_a_500(stage):
    s = stage("F")
    error = deadlock_between_two_transactions(s.seated(), s.seated())

    answer = exception_handler(error, {})

    assert answer.status_code == 409
    assert answer.data["code"] == "conflict"
    assert "retry" in str(answer.data["detail"])
