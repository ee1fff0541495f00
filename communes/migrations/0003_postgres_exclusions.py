"""On PostgreSQL: one code names one unit at a time; one role appears once per organisation at a time."""

from django.db import migrations

from communes.postgres import exclusion_operation


class Migration(migrations.Migration):
    dependencies = [("communes", "0002_role_catalogue")]

    operations = [
        exclusion_operation(
            "communes_administrativeunit",
            "unit_code_not_shared_at_once",
            "code WITH =, daterange(valid_from, valid_to, '[]') WITH &&",
        ),
        exclusion_operation(
            "communes_post",
            "post_role_not_duplicated_at_once",
            "organisation_id WITH =, role_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&",
        ),
    ]
