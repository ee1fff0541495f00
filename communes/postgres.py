"""PostgreSQL-only constraints, added by migrations and skipped on SQLite.

Exclusion constraints say "no two rows overlap in time"; SQLite has nothing like them, so
there the services are the only guard. Django's ``ExclusionConstraint`` cannot sit in
``Meta.constraints`` of a model that must also run on SQLite, hence this small helper.
"""

from django.db import migrations


def exclusion_operation(
    table: str, name: str, elements: str, where: str = ""
) -> migrations.RunPython:
    """A migration step adding ``EXCLUDE USING gist (elements) [WHERE (where)]`` on PostgreSQL."""
    where_sql = f" WHERE ({where})" if where else ""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(
            f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" '
            f"EXCLUDE USING gist ({elements}){where_sql}"
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
