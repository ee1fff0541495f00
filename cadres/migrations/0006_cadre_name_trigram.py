"""On PostgreSQL, a trigram index on the folded name, for the name search (``q``).

``q=nguyen van`` asks for every word anywhere in the folded name (``LIKE '%nguyen%' AND
LIKE '%van%'``): a b-tree cannot answer that, so without this index every search reads the
whole table. pg_trgm's GIN index answers such patterns (bench/name_search.py,
docs/PERFORMANCE.md). SQLite has no such index: there the search reads the table.
"""

from django.db import migrations

INDEX = "cadre_name_folded_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "cadres_cadre" '
        'USING gin ("full_name_folded" gin_trgm_ops)'
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("cadres", "0005_neutral_examples")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
