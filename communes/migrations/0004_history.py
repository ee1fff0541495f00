"""The history of every communes record (django-simple-history, see audit/)."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import communes.fields
from audit.baseline import baseline


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0003_postgres_exclusions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAdministrativeUnit",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "request_method",
                    models.CharField(blank=True, max_length=10, verbose_name="request method"),
                ),
                (
                    "request_path",
                    models.CharField(blank=True, max_length=255, verbose_name="request address"),
                ),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        help_text="The same for every change made by one request.",
                        max_length=64,
                        verbose_name="request id",
                    ),
                ),
                (
                    "command",
                    models.CharField(
                        blank=True,
                        help_text="The management command that made the change, when no request did.",
                        max_length=100,
                        verbose_name="command",
                    ),
                ),
                (
                    "code",
                    models.CharField(
                        help_text="The code of the national list of administrative units (e.g. 13393).",
                        max_length=5,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9]{2,5}$",
                                "An official unit code has 2 to 5 digits (province 2, district 3, commune 5).",
                            )
                        ],
                        verbose_name="official code",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Official name with diacritics, e.g. Lê Hồ.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("name_folded", communes.fields.FoldedCharField(max_length=100, source="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("province", "province"),
                            ("municipality", "centrally-run city"),
                            ("district", "district"),
                            ("district_town", "district-level town"),
                            ("provincial_city", "provincial city"),
                            ("commune", "commune"),
                            ("township", "township"),
                            ("ward", "ward"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="valid from")),
                (
                    "valid_to",
                    models.DateField(
                        blank=True,
                        help_text="Last day of validity; empty while the unit exists.",
                        null=True,
                        verbose_name="valid to",
                    ),
                ),
                (
                    "history_change_reason",
                    models.TextField(blank=True, null=True, verbose_name="reason for the change"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The unit this one belonged to when this record started.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="parent unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical administrative unit",
                "verbose_name_plural": "historical administrative units",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalOrganisation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "request_method",
                    models.CharField(blank=True, max_length=10, verbose_name="request method"),
                ),
                (
                    "request_path",
                    models.CharField(blank=True, max_length=255, verbose_name="request address"),
                ),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        help_text="The same for every change made by one request.",
                        max_length=64,
                        verbose_name="request id",
                    ),
                ),
                (
                    "command",
                    models.CharField(
                        blank=True,
                        help_text="The management command that made the change, when no request did.",
                        max_length=100,
                        verbose_name="command",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("party_committee", "Party committee"),
                            ("party_standing_committee", "Party standing committee"),
                            ("peoples_council", "People's Council"),
                            ("peoples_committee", "People's Committee"),
                            ("fatherland_front", "Fatherland Front"),
                            ("mass_organisation", "mass organisation"),
                            ("department", "department or office"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Full name, e.g. Đảng ủy xã Lê Hồ.",
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                ("name_folded", communes.fields.FoldedCharField(max_length=200, source="name")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                (
                    "history_change_reason",
                    models.TextField(blank=True, null=True, verbose_name="reason for the change"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="administrative unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical organisation",
                "verbose_name_plural": "historical organisations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPost",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "request_method",
                    models.CharField(blank=True, max_length=10, verbose_name="request method"),
                ),
                (
                    "request_path",
                    models.CharField(blank=True, max_length=255, verbose_name="request address"),
                ),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        help_text="The same for every change made by one request.",
                        max_length=64,
                        verbose_name="request id",
                    ),
                ),
                (
                    "command",
                    models.CharField(
                        blank=True,
                        help_text="The management command that made the change, when no request did.",
                        max_length=100,
                        verbose_name="command",
                    ),
                ),
                (
                    "seats",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="How many people may hold this post at the same time.",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(99),
                        ],
                        verbose_name="seats",
                    ),
                ),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                (
                    "history_change_reason",
                    models.TextField(blank=True, null=True, verbose_name="reason for the change"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.organisation",
                        verbose_name="organisation",
                    ),
                ),
                (
                    "role",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.role",
                        verbose_name="role",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical post",
                "verbose_name_plural": "historical posts",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalRole",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "request_method",
                    models.CharField(blank=True, max_length=10, verbose_name="request method"),
                ),
                (
                    "request_path",
                    models.CharField(blank=True, max_length=255, verbose_name="request address"),
                ),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        help_text="The same for every change made by one request.",
                        max_length=64,
                        verbose_name="request id",
                    ),
                ),
                (
                    "command",
                    models.CharField(
                        blank=True,
                        help_text="The management command that made the change, when no request did.",
                        max_length=100,
                        verbose_name="command",
                    ),
                ),
                (
                    "code",
                    models.SlugField(
                        help_text="Stable code used by reports and APIs.",
                        max_length=60,
                        verbose_name="code",
                    ),
                ),
                ("name", models.CharField(max_length=150, verbose_name="name (Vietnamese)")),
                ("name_en", models.CharField(max_length=150, verbose_name="name (English)")),
                ("name_folded", communes.fields.FoldedCharField(max_length=150, source="name")),
                (
                    "category",
                    models.CharField(
                        choices=[
                            ("cadre", "elected or appointed cadre"),
                            ("civil_servant", "civil servant"),
                            ("staff", "staff of departments and offices"),
                        ],
                        max_length=20,
                        verbose_name="category",
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("military", "military"),
                            ("office_statistics", "office and statistics"),
                            (
                                "land_environment",
                                "land administration, construction and environment",
                            ),
                            ("finance", "finance and accounting"),
                            ("justice", "justice and civil status"),
                            ("culture_society", "culture and society"),
                        ],
                        help_text="Only for commune civil-servant titles.",
                        max_length=30,
                        verbose_name="civil-servant field",
                    ),
                ),
                (
                    "is_key",
                    models.BooleanField(
                        default=False,
                        help_text="Counted in the non-local leadership figures.",
                        verbose_name="key leadership role",
                    ),
                ),
                ("sort_order", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="valid to")),
                (
                    "history_change_reason",
                    models.TextField(blank=True, null=True, verbose_name="reason for the change"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical role",
                "verbose_name_plural": "historical roles",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalUnitSuccession",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "history_username",
                    models.CharField(blank=True, max_length=150, verbose_name="user name"),
                ),
                (
                    "ip_address",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address"),
                ),
                (
                    "request_method",
                    models.CharField(blank=True, max_length=10, verbose_name="request method"),
                ),
                (
                    "request_path",
                    models.CharField(blank=True, max_length=255, verbose_name="request address"),
                ),
                (
                    "request_id",
                    models.CharField(
                        blank=True,
                        help_text="The same for every change made by one request.",
                        max_length=64,
                        verbose_name="request id",
                    ),
                ),
                (
                    "command",
                    models.CharField(
                        blank=True,
                        help_text="The management command that made the change, when no request did.",
                        max_length=100,
                        verbose_name="command",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("merge", "merge"),
                            ("split", "split"),
                            ("rename", "rename"),
                            ("regrade", "re-grading"),
                            ("transfer", "transfer to another parent unit"),
                        ],
                        max_length=20,
                        verbose_name="kind of change",
                    ),
                ),
                (
                    "legal_basis",
                    models.CharField(
                        blank=True,
                        help_text="The resolution that made the change, e.g. Nghị quyết 1318/NQ-UBTVQH15.",
                        max_length=200,
                        verbose_name="legal basis",
                    ),
                ),
                (
                    "history_change_reason",
                    models.TextField(blank=True, null=True, verbose_name="reason for the change"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "predecessor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="predecessor",
                    ),
                ),
                (
                    "successor",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="successor",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical unit succession",
                "verbose_name_plural": "historical unit successions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The rows already stored start their history as they stand.
        baseline(
            "communes", "AdministrativeUnit", "UnitSuccession", "Organisation", "Role", "Post"
        ),
    ]
