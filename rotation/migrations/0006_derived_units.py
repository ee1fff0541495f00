"""The units of the posts copied onto assignments and movements (``DerivedUnitField``).

Added empty and without their foreign keys, filled from the posts (records and history
rows), then given their foreign keys (one check of the whole column each, rather than a
check queued for every row updated, which PostgreSQL would also refuse to alter the table
with) and made required where the post is: an assignment's post and a movement's post
taken always exist; the post left is only there for a movement that leaves one. On a
national database (2 million records, 3 million history rows) this takes a few minutes.
"""

import django.db.models.deletion
from django.db import migrations, models

import communes.fields

UNIT_OF_POST = (
    "SELECT p.id AS post_id, o.unit_id FROM communes_post p"
    " JOIN communes_organisation o ON o.id = p.organisation_id"
)

# One UPDATE per table: a row updated twice in one transaction would have PostgreSQL queue a
# check of each of its foreign keys, and then refuse to alter the table.
FILL = [
    f"UPDATE {table} SET unit_id = u.unit_id FROM ({UNIT_OF_POST}) u"
    f" WHERE u.post_id = {table}.post_id"
    for table in ("rotation_assignment", "rotation_historicalassignment")
] + [
    f"UPDATE {table} SET to_unit_id = x.to_unit_id, from_unit_id = x.from_unit_id FROM ("
    f" SELECT m.{key} AS {key}, u.unit_id AS to_unit_id, a.unit_id AS from_unit_id"
    f" FROM {table} m JOIN ({UNIT_OF_POST}) u ON u.post_id = m.to_post_id"
    f" LEFT JOIN rotation_assignment a ON a.id = m.from_assignment_id"
    f") x WHERE x.{key} = {table}.{key}"
    for table, key in (("rotation_movement", "id"), ("rotation_historicalmovement", "history_id"))
]


def derived(source: str, path: str, verbose_name: str, **kwargs):
    return communes.fields.DerivedUnitField(
        db_index=False,
        on_delete=django.db.models.deletion.PROTECT,
        path=path,
        related_name="+",
        source=source,
        to="communes.administrativeunit",
        verbose_name=verbose_name,
        **kwargs,
    )


def historical(source: str, path: str, verbose_name: str):
    return communes.fields.DerivedUnitField(
        blank=True,
        db_constraint=False,
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.DO_NOTHING,
        path=path,
        related_name="+",
        source=source,
        to="communes.administrativeunit",
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0005_neutral_examples"),
        ("rotation", "0005_neutral_examples"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="unit",
            field=derived(
                "post", "organisation__unit_id", "unit of the post", null=True, db_constraint=False
            ),
        ),
        migrations.AddField(
            model_name="historicalassignment",
            name="unit",
            field=historical("post", "organisation__unit_id", "unit of the post"),
        ),
        migrations.AddField(
            model_name="movement",
            name="to_unit",
            field=derived(
                "to_post",
                "organisation__unit_id",
                "unit of the post taken",
                null=True,
                db_constraint=False,
            ),
        ),
        migrations.AddField(
            model_name="historicalmovement",
            name="to_unit",
            field=historical("to_post", "organisation__unit_id", "unit of the post taken"),
        ),
        migrations.AddField(
            model_name="movement",
            name="from_unit",
            field=derived(
                "from_assignment",
                "unit_id",
                "unit of the post left",
                null=True,
                db_constraint=False,
            ),
        ),
        migrations.AddField(
            model_name="historicalmovement",
            name="from_unit",
            field=historical("from_assignment", "unit_id", "unit of the post left"),
        ),
        migrations.RunSQL(FILL, reverse_sql=migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="assignment",
            name="unit",
            field=derived("post", "organisation__unit_id", "unit of the post"),
        ),
        migrations.AlterField(
            model_name="movement",
            name="to_unit",
            field=derived("to_post", "organisation__unit_id", "unit of the post taken"),
        ),
        migrations.AlterField(
            model_name="movement",
            name="from_unit",
            field=derived("from_assignment", "unit_id", "unit of the post left", null=True),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["unit", "id"], name="assignment_unit_idx"),
        ),
        migrations.AddIndex(
            model_name="movement",
            index=models.Index(fields=["to_unit", "id"], name="movement_to_unit_idx"),
        ),
        migrations.AddIndex(
            model_name="movement",
            index=models.Index(fields=["from_unit", "id"], name="movement_from_unit_idx"),
        ),
    ]
