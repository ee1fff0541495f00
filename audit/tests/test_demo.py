"""``load_demo`` builds the Kim Bảng records through the services: every record it leaves
has its history, made by the command, ending with the values the record has."""

from __future__ import annotations

import pytest

from audit.tests.conftest import audited_models, history_values

pytestmark = pytest.mark.usefixtures("kim_bang")


def test_every_record_of_the_demo_has_its_history_ending_with_its_values(db):
    checked = 0
    for model in audited_models():
        current = {values["id"]: values for values in model._default_manager.values()}
        latest = {}
        for record in model.history.order_by("id", "-history_date", "-history_id"):
            latest.setdefault(record.id, record)
        missing = set(current) - set(latest)
        assert not missing, f"{model._meta.label}: {len(missing)} records without history"
        for pk, values in current.items():
            assert history_values(latest[pk]) == values, (model._meta.label, pk)
        checked += len(current)
        commands = set(model.history.values_list("command", flat=True))
        # The catalogue of roles comes from a migration; everything else from the command.
        assert commands <= {"load_demo", "migrate"}, (model._meta.label, commands)
        assert not model.history.exclude(history_user=None).exists()
    assert checked  # the district's units, posts, cadres, decisions, assignments…
