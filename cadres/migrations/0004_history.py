"""The history of every cadres record (django-simple-history, see audit/)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import cadres.models
import communes.fields
from audit.baseline import baseline


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0003_override_cadre_protect"),
        ("communes", "0004_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalCadre",
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
                    "full_name",
                    models.CharField(
                        help_text="With diacritics, e.g. Đinh Hồng Kiên.",
                        max_length=100,
                        verbose_name="full name",
                    ),
                ),
                (
                    "full_name_folded",
                    communes.fields.FoldedCharField(max_length=100, source="full_name"),
                ),
                (
                    "gender",
                    models.CharField(
                        choices=[("male", "male"), ("female", "female")],
                        max_length=10,
                        verbose_name="gender",
                    ),
                ),
                ("date_of_birth", models.DateField(verbose_name="date of birth")),
                (
                    "personal_id",
                    models.CharField(
                        blank=True,
                        db_index=True,
                        error_messages={
                            "unique": "Another cadre already has this identification number."
                        },
                        help_text="12-digit citizen identity number (CCCD). Sensitive.",
                        max_length=12,
                        null=True,
                        validators=[cadres.models.validate_personal_id],
                        verbose_name="personal identification number",
                    ),
                ),
                (
                    "party_joined_on",
                    models.DateField(
                        blank=True,
                        help_text="Empty for people who are not Party members.",
                        null=True,
                        verbose_name="Party membership date",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("serving", "serving"),
                            ("retired", "retired"),
                            ("left", "left the service"),
                            ("deceased", "deceased"),
                        ],
                        default="serving",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="updated"),
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
                    "birthplace",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="birthplace",
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
                    "hometown",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Quê quán: the commune-level unit of the family's origin.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="hometown",
                    ),
                ),
                (
                    "permanent_residence",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Nơi thường trú: the commune-level unit of registered residence.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.administrativeunit",
                        verbose_name="permanent residence",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical cadre",
                "verbose_name_plural": "historical cadres",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLocalityOverride",
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
                    "is_local",
                    models.BooleanField(
                        help_text="Ticked: local to this unit. Unticked: not local.",
                        verbose_name="is local",
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        help_text="Why the default rule does not apply, e.g. 'grew up in the commune'.",
                        verbose_name="reason",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="recorded"),
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
                    "cadre",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cadres.cadre",
                        verbose_name="cadre",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
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
                "verbose_name": "historical local/non-local override",
                "verbose_name_plural": "historical local/non-local overrides",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The rows already stored start their history as they stand.
        baseline("cadres", "Cadre", "LocalityOverride"),
    ]
