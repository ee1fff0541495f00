"""``generate_synthetic`` on a small country: every rule of the records holds and the report
selectors run on them.

The small run is made once per module (in a transaction rolled back at the end, like the
demo's ``kim_bang``); each figure asserted is computed here from the records themselves.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation

from cadres.models import Cadre, validate_personal_id
from communes.dates import months_end
from communes.models import COMMUNE_KINDS, AdministrativeUnit, Post, UnitSuccession
from reports.selectors import non_local_report
from rotation.models import TIMED_KINDS, Assignment, Decision, Movement, MovementKind, Term
from rotation.tests.test_derived_units import IN_STEP, out_of_step
from synthetic.writers import MODELS, history_model

D = datetime.date
MERGE_DAY = D(2025, 7, 1)
LAST_DAY = D(2025, 6, 30)
SMALL = {
    "provinces": 2,
    "districts": 3,
    "communes": 30,
    "units_after": 10,
    "cadres": 300,
    "start_year": 2018,
    "end_year": 2025,
    "no_progress": True,
}


def generate(**options) -> str:
    """The command's output, in English whatever translations exist."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("generate_synthetic", stdout=out, **{**SMALL, **options})
    return out.getvalue()


@pytest.fixture(scope="module")
def small(django_db_setup, django_db_blocker):
    """The small run, made once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = generate()
            yield output
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------------- the shape


def test_units_merge_into_fewer_units_on_1_july_2025(small):
    communes_before = AdministrativeUnit.objects.commune_level().valid_on(LAST_DAY)
    communes_after = AdministrativeUnit.objects.commune_level().valid_on(MERGE_DAY)
    assert communes_before.count() == SMALL["communes"]
    assert communes_after.count() == SMALL["units_after"]
    assert not AdministrativeUnit.objects.of_level("district").valid_on(MERGE_DAY).exists()
    assert AdministrativeUnit.objects.of_level("province").valid_on(MERGE_DAY).count() == 1
    # Every commune of before ends on 30/06/2025 and is continued by a unit of 01/07/2025.
    successors = defaultdict(set)
    for link in UnitSuccession.objects.select_related("successor"):
        assert link.successor.valid_from == MERGE_DAY
        successors[link.predecessor_id].add(link.successor)
    for commune in communes_before:
        assert commune.valid_to == LAST_DAY
        assert successors[commune.pk], commune
        assert all(s.kind in COMMUNE_KINDS for s in successors[commune.pk])
    for unit in communes_after:
        assert unit.parent.is_valid_on(MERGE_DAY)
        assert unit.parent.level == "province"
    assert "30 commune-level units before 01/07/2025, 10 after" in small


def test_posts_live_within_their_units_and_terms_cover_the_history(small):
    for post in Post.objects.select_related("organisation__unit"):
        unit = post.organisation.unit
        assert post.valid_from >= unit.valid_from
        assert (post.valid_to or D.max) <= (unit.valid_to or D.max)
    names = set(Term.objects.values_list("name", flat=True))
    assert {"2020–2025", "2025–2030"} <= names


# --------------------------------------------------------------------------- people


def test_cadres_have_unique_valid_personal_ids_and_pass_their_own_checks(small):
    cadres = list(Cadre.objects.all())
    assert len(cadres) == SMALL["cadres"]
    ids = [cadre.personal_id for cadre in cadres]
    assert len(set(ids)) == len(ids)
    for cadre in cadres:
        assert len(cadre.personal_id) == 12
        assert cadre.personal_id.isdigit()
        validate_personal_id(cadre.personal_id)
        cadre.full_clean(validate_unique=False)  # gender and year digits, Party date…
    # Vietnamese names with their diacritics.
    assert any("ễ" in cadre.full_name or "ầ" in cadre.full_name for cadre in cadres)


# --------------------------------------------------------------------------- assignments


def overlap(a: Assignment, b: Assignment) -> bool:
    return a.start_date <= (b.end_date or D.max) and b.start_date <= (a.end_date or D.max)


def test_no_seat_no_post_and_no_principal_post_is_held_twice_at_once(small):
    assignments = list(Assignment.objects.select_related("post"))
    assert assignments
    by_seat, by_cadre_post, by_principal = defaultdict(list), defaultdict(list), defaultdict(list)
    for a in assignments:
        assert not a.is_void
        assert 1 <= a.seat <= a.post.seats
        assert a.end_date is None or a.end_date >= a.start_date
        assert a.post.valid_from <= a.start_date
        assert (a.end_date or D.max) <= (a.post.valid_to or D.max)
        by_seat[(a.post_id, a.seat)].append(a)
        by_cadre_post[(a.cadre_id, a.post_id)].append(a)
        if a.principal:
            by_principal[a.cadre_id].append(a)
    for groups in (by_seat, by_cadre_post, by_principal):
        for group in groups.values():
            group.sort(key=lambda a: a.start_date)
            for first, second in itertools.pairwise(group):
                assert not overlap(first, second), (first.pk, second.pk)
    # The same, asked of the database in plain SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM rotation_assignment a JOIN communes_post p ON p.id = a.post_id "
            "WHERE a.seat > p.seats OR a.seat < 1"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT COUNT(*) FROM rotation_assignment a JOIN rotation_assignment b "
            "ON a.post_id = b.post_id AND a.seat = b.seat AND a.id < b.id "
            "WHERE a.start_date <= COALESCE(b.end_date, '9999-12-31') "
            "AND b.start_date <= COALESCE(a.end_date, '9999-12-31')"
        )
        assert cursor.fetchone()[0] == 0


def test_movements_chain_their_assignments(small):
    opened = {a.opened_by_id: a for a in Assignment.objects.exclude(opened_by=None)}
    movements = list(Movement.objects.select_related("from_assignment", "returns_from", "decision"))
    kinds = {m.kind for m in movements}
    assert {"transfer", "rotation", "return", "designation", "appointment"} <= kinds
    assert len(opened) == len(movements)
    for m in movements:
        new = opened[m.pk]
        assert (new.cadre_id, new.post_id, new.start_date) == (
            m.cadre_id,
            m.to_post_id,
            m.effective_date,
        )
        assert m.decision.status == "issued"
        assert m.decision.issued_at is not None
        assert m.decision.signed_on <= m.effective_date
        left = m.from_assignment
        if left is not None:
            assert left.cadre_id == m.cadre_id
            assert left.end_date == m.effective_date - datetime.timedelta(days=1)
            assert left.closed_by_id == m.pk
            assert left.start_date < m.effective_date
        if m.kind in TIMED_KINDS:
            limit = months_end(m.effective_date, 36)
            if m.kind == MovementKind.ROTATION:
                assert m.planned_end >= limit
            else:
                assert m.effective_date < m.planned_end <= limit
        else:
            assert m.planned_end is None
        if m.kind == MovementKind.RETURN:
            assert m.returns_from.kind in TIMED_KINDS
            assert m.returns_from.cadre_id == m.cadre_id
            assert left == opened[m.returns_from_id]
        else:
            assert m.returns_from_id is None


def test_assignments_and_movements_carry_their_posts_units(small):
    assert Movement.objects.filter(from_unit__isnull=False).exists()
    assert out_of_step() == IN_STEP


def test_decision_numbers_are_unique_per_body_and_year(small):
    seen = set()
    for decision in Decision.objects.select_related("issuing_body"):
        key = (decision.issuing_body_id, decision.number, decision.signed_on.year)
        assert key not in seen
        seen.add(key)
        body = decision.issuing_body
        assert body.valid_from <= decision.signed_on <= (body.valid_to or D.max)


def test_every_record_has_exactly_one_created_history_row(small):
    for model in MODELS.values():
        history = history_model(model)
        ids = sorted(model.objects.values_list("pk", flat=True))
        rows = list(history.objects.values_list("id", "history_type", "command"))
        assert sorted(pk for pk, _type, _command in rows) == ids, model
        assert {(t, c) for _pk, t, c in rows} <= {("+", "generate_synthetic")}


# --------------------------------------------------------------------------- reports


def non_local_units_counted_here(province, day, role) -> int:
    """Non-local units for ``role`` on ``day`` among the province's commune-level units,
    from the assignments, the cadres' places and the successions alone."""
    successors = defaultdict(set)
    for link in UnitSuccession.objects.all():
        successors[link.predecessor_id].add(link.successor_id)

    def versions(unit_id):
        found, frontier = {unit_id}, [unit_id]
        while frontier:
            frontier = [s for u in frontier for s in successors[u] if s not in found]
            found.update(frontier)
        return found

    units = [
        unit
        for unit in AdministrativeUnit.objects.commune_level().valid_on(day)
        if province.pk in (unit.parent_id, unit.parent.parent_id)
    ]
    count = 0
    for unit in units:
        holders = Assignment.objects.as_of(day).filter(
            post__organisation__unit=unit, post__role__code=role
        )
        if any(
            unit.pk not in versions(h.cadre.hometown_id) | versions(h.cadre.permanent_residence_id)
            for h in holders.select_related("cadre")
        ):
            count += 1
    return count


@pytest.mark.parametrize("day", [D(2023, 6, 30), D(2025, 10, 1)])
def test_non_local_report_counts_what_the_assignments_say(small, day):
    province = AdministrativeUnit.objects.of_level("province").valid_on(day).order_by("code")[0]
    report = non_local_report(unit=province, day=day)
    non_local_somewhere = 0
    for role in ("party_secretary", "people_committee_chairman"):
        expected = non_local_units_counted_here(province, day, role)
        assert report.role(role).non_local == expected
        non_local_somewhere += expected
    assert report.units_total > 0
    assert non_local_somewhere > 0  # some leaders are not local
