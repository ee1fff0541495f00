"""The four roles as groups: HR staff, Officials, API clients, Administrators.

Their permissions are set after every ``migrate`` by ``access.roles.sync_roles`` (the
permissions of a fresh database do not exist yet while migrations run).
"""

from django.db import migrations

GROUPS = ("HR staff", "Officials", "API clients", "Administrators")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        # Reversing keeps the groups: removing them would take their members out of them.
        migrations.RunPython(create_groups, migrations.RunPython.noop),
    ]
