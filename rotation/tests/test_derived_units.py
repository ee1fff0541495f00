"""The copies of the posts' units on assignments and movements (``DerivedUnitField``):
right on every write path, carried into the history, and filled by the migration."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from audit import bulk
from communes.models import Post
from reports.tests.records import LE_HO, QUE, TAN_SON, D, Records
from rotation.models import Assignment, Movement, MovementKind
from rotation.services import assignment_record, movement_update


def out_of_step() -> dict[str, list[int]]:
    """The ids of the records whose copied unit is not their post's unit (none, ever)."""
    return {
        "assignment.unit": list(
            Assignment.objects.exclude(unit=F("post__organisation__unit")).values_list(
                "pk", flat=True
            )
        ),
        "movement.to_unit": list(
            Movement.objects.exclude(to_unit=F("to_post__organisation__unit")).values_list(
                "pk", flat=True
            )
        ),
        "movement.from_unit": list(
            Movement.objects.filter(
                Q(from_assignment__isnull=True, from_unit__isnull=False)
                | Q(from_assignment__isnull=False, from_unit__isnull=True)
                | (
                    Q(from_assignment__isnull=False)
                    & ~Q(from_unit=F("from_assignment__post__organisation__unit"))
                )
            ).values_list("pk", flat=True)
        ),
    }


IN_STEP = {"assignment.unit": [], "movement.to_unit": [], "movement.from_unit": []}


@pytest.fixture
def records(world) -> Records:
    return Records(world)


def test_an_assignment_recorded_carries_its_posts_unit(world, make_cadre):
    assignment = assignment_record(
        cadre=make_cadre(), post=world.post(QUE, "party_secretary"), start_date=D(2020, 1, 1)
    )

    assignment.refresh_from_db()
    assert assignment.unit == world.communes[QUE]
    assert out_of_step() == IN_STEP


def test_issued_movements_carry_both_posts_units(world, make_cadre, records):
    cadre = make_cadre(TAN_SON)
    records.hold(cadre, world.post(TAN_SON, "standing_deputy_secretary"))

    (rotation,) = records.decide(
        {
            "kind": MovementKind.ROTATION,
            "cadre": cadre,
            "to_post": world.post(LE_HO, "party_secretary"),
            "effective_date": D(2021, 12, 1),
            "planned_end": D(2024, 12, 1),
        },
        signed_on=D(2021, 11, 20),
    ).movements.all()

    assert (rotation.to_unit, rotation.from_unit) == (
        world.communes[LE_HO],
        world.communes[TAN_SON],
    )
    opened = Assignment.objects.get(opened_by=rotation)
    assert opened.unit == world.communes[LE_HO]
    assert out_of_step() == IN_STEP


def test_a_first_post_has_no_unit_left(world, make_cadre, records):
    (appointment,) = records.decide(
        {
            "kind": MovementKind.APPOINTMENT,
            "cadre": make_cadre(),
            "to_post": world.district_posts["specialist"],
            "effective_date": D(2021, 3, 1),
        },
        signed_on=D(2021, 2, 20),
    ).movements.all()

    assert (appointment.to_unit, appointment.from_unit) == (world.district, None)


def test_a_draft_line_moved_to_another_post_follows_it(world, make_cadre, records):
    cadre = make_cadre(TAN_SON)
    records.hold(cadre, world.post(TAN_SON, "standing_deputy_secretary"))
    decision = records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": cadre,
            "to_post": world.post(LE_HO, "party_secretary"),
            "effective_date": D(2021, 12, 1),
        },
        signed_on=D(2021, 11, 20),
        issue=False,
    )
    line = decision.movements.get()

    movement_update(movement=line, to_post=world.district_posts["head"])

    line.refresh_from_db()
    assert (line.to_unit, line.from_unit) == (world.district, world.communes[TAN_SON])
    assert out_of_step() == IN_STEP


def test_the_history_keeps_the_unit_without_reading_the_post_again(world, make_cadre):
    post = Post.objects.select_related("organisation").get(
        pk=world.post(LE_HO, "party_secretary").pk
    )
    assignment = Assignment(cadre=make_cadre(), post=post, start_date=D(2020, 1, 1))

    with CaptureQueriesContext(connection) as captured:
        assignment.save()

    assert not [q for q in captured.captured_queries if "communes_post" in q["sql"]]
    assert assignment.history.get().unit_id == world.communes[LE_HO].pk


def test_a_post_not_loaded_is_read_once(world, make_cadre):
    assignment = Assignment(
        cadre=make_cadre(), post_id=world.post(QUE, "party_secretary").pk, start_date=D(2020, 1, 1)
    )

    with CaptureQueriesContext(connection) as captured:
        assignment.save()

    reads = [q for q in captured.captured_queries if "communes_post" in q["sql"]]
    assert len(reads) == 1
    assert assignment.unit_id == world.communes[QUE].pk


def test_bulk_created_assignments_carry_their_units_too(world, make_cadre):
    created = bulk.bulk_create(
        [
            Assignment(
                cadre=make_cadre(),
                post=world.post(index, "party_secretary"),
                start_date=D(2020, 1, 1),
            )
            for index in (LE_HO, TAN_SON)
        ]
    )

    assert {a.unit_id for a in created} == {world.communes[LE_HO].pk, world.communes[TAN_SON].pk}
    assert out_of_step() == IN_STEP


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_db")
def test_the_migration_fills_the_units_of_the_records_already_there(world, make_cadre, records):
    cadre = make_cadre(TAN_SON)
    records.hold(cadre, world.post(TAN_SON, "standing_deputy_secretary"))
    records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": cadre,
            "to_post": world.post(LE_HO, "party_secretary"),
            "effective_date": D(2021, 12, 1),
        },
        signed_on=D(2021, 11, 20),
    )
    before = sorted(Assignment.objects.values_list("pk", "unit_id"))
    executor = MigrationExecutor(connection)
    executor.migrate([("rotation", "0005_neutral_examples")])
    try:
        executor.loader.build_graph()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM rotation_assignment")
            assert cursor.fetchone()[0] == len(before)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(Assignment.objects.values_list("pk", "unit_id")) == before
    assert out_of_step() == IN_STEP
    assert Movement.objects.get().from_unit == world.communes[TAN_SON]
    history = Assignment.history.model.objects.values_list("unit_id", flat=True)
    assert None not in set(history)
