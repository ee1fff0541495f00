"""A migration operation that starts the history of the rows already stored.

When a model starts keeping its history, the rows it already holds get one "created" row
each, with their values as they stand, so that their first change shows what it changed
from. On a new database there is nothing to copy but what the earlier migrations made
(the catalogue of roles).
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

BATCH = 500


def baseline(app_label: str, *model_names: str) -> migrations.RunPython:
    """``RunPython`` writing a "created" history row for every stored row of the models."""

    def forwards(apps, schema_editor):
        now = timezone.now()
        for name in model_names:
            model = apps.get_model(app_label, name)
            history = apps.get_model(app_label, f"Historical{name}")
            fields = [field.attname for field in model._meta.concrete_fields]
            rows = []
            for record in model._base_manager.order_by("pk").iterator(chunk_size=BATCH):
                rows.append(
                    history(
                        **{attname: getattr(record, attname) for attname in fields},
                        history_date=now,
                        history_type="+",
                        command="migrate",
                    )
                )
                if len(rows) >= BATCH:
                    history._base_manager.bulk_create(rows)
                    rows = []
            history._base_manager.bulk_create(rows)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
