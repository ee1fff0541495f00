"""On PostgreSQL: the rows the COPY path writes commit for real, past every constraint.

The foreign keys and exclusion constraints are checked on the whole load, and the deferred
constraint trigger (a seat within the post's seats) on every assignment; a row that broke
one would make the command fail and leave nothing behind. The test commits (``committed_db``)
so that nothing is left to a rollback.
"""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.db import connection

from conftest import stored_records
from rotation.models import Assignment, Movement
from synthetic import generator
from synthetic.tests.test_rules import generate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY and the constraint triggers: PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("committed_db"),
]


def constraints_of(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY conname",
            [table],
        )
        return cursor.fetchall()


def test_the_copied_rows_commit_with_every_constraint_in_place():
    before = constraints_of("rotation_assignment")
    generate(cadres=200, communes=12, units_after=5)
    assert connection.in_atomic_block is False  # the command's transaction has committed
    assert Assignment.objects.count() > 0
    assert Movement.objects.count() > 0
    assert constraints_of("rotation_assignment") == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM rotation_assignment_id_seq")
        assert cursor.fetchone()[0] == max(Assignment.objects.values_list("pk", flat=True))


def test_a_row_that_breaks_a_rule_is_refused_at_commit_and_nothing_is_written(monkeypatch):
    """A holder on seat 99 of a post with fewer seats: the trigger refuses it."""
    before = constraints_of("rotation_assignment")
    real_close = generator.History.close

    def close(self, holding, last_day, **kwargs):
        holding.seat.number = 99
        return real_close(self, holding, last_day, **kwargs)

    monkeypatch.setattr(generator.History, "close", close)
    with pytest.raises(CommandError, match="assignment_seat_within_post_seats"):
        generate(cadres=200, communes=12, units_after=5)
    assert not any(stored_records().values())
    assert constraints_of("rotation_assignment") == before
