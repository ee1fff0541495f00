"""A restore outside any test transaction: committed for real, its deferred checks run at
commit, and the id sequences set after the restored ids (PostgreSQL).

A module of its own: the Kim Bảng records that ``test_backup_restore`` keeps loaded for its
module must be gone when this test empties the database.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backups import archive
from backups.tests.test_backup_restore import database_contents
from cadres.models import Cadre


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_db")
def test_a_restored_database_takes_new_records_after_the_restored_ones(
    world, hr, make_cadre, tmp_path
):
    hr.seat(make_cadre(0), world.post(0, "party_secretary"))
    backup = tmp_path / "records.jsonl.gz"
    archive.back_up(backup)  # outside any transaction: its own repeatable-read snapshot
    contents = database_contents()
    last_cadre = Cadre.objects.order_by("pk").last().pk

    call_command("flush", interactive=False, verbosity=0)  # the id sequences start again at 1
    archive.restore(backup, replace=True)  # committed, deferred checks and all

    assert database_contents() == contents
    assert make_cadre(1).pk > last_cadre  # the id sequences continue after the restored ids
