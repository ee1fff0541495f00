"""The history of every rotation record (django-simple-history, see audit/)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from audit.baseline import baseline


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0004_history"),
        ("communes", "0004_history"),
        ("rotation", "0003_postgres_seat_within_post_seats"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalAssignment",
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
                    "seat",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Which of the post's seats this holder occupies.",
                        verbose_name="seat",
                    ),
                ),
                ("start_date", models.DateField(verbose_name="start")),
                (
                    "end_date",
                    models.DateField(
                        blank=True,
                        help_text="Last day in the post; empty while held.",
                        null=True,
                        verbose_name="end",
                    ),
                ),
                (
                    "principal",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked: held concurrently with the principal post (kiêm nhiệm).",
                        verbose_name="principal post",
                    ),
                ),
                (
                    "end_reason",
                    models.CharField(
                        blank=True,
                        help_text="When ended without a movement: retirement, dissolution of the unit…",
                        max_length=200,
                        verbose_name="reason for ending",
                    ),
                ),
                (
                    "is_void",
                    models.BooleanField(
                        default=False,
                        help_text="Opened by a decision that was later cancelled; kept for the record only.",
                        verbose_name="void",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created"),
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
                    "closed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="rotation.movement",
                        verbose_name="closed by",
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
                    "opened_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty for a post already held when the records began.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="rotation.movement",
                        verbose_name="opened by",
                    ),
                ),
                (
                    "post",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.post",
                        verbose_name="post",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical assignment",
                "verbose_name_plural": "historical assignments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalDecision",
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
                    "number",
                    models.CharField(
                        help_text="As printed on the decision, e.g. 125-QĐ/HU.",
                        max_length=50,
                        verbose_name="number",
                    ),
                ),
                ("signed_on", models.DateField(verbose_name="date signed")),
                (
                    "signer",
                    models.CharField(
                        help_text="Name and title of the person who signed.",
                        max_length=150,
                        verbose_name="signer",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "draft"),
                            ("issued", "issued"),
                            ("cancelled", "cancelled"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                (
                    "issued_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="issued at"
                    ),
                ),
                (
                    "cancelled_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="cancelled at"
                    ),
                ),
                (
                    "cancellation_reason",
                    models.TextField(
                        blank=True, editable=False, verbose_name="reason for cancelling"
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
                    "cancelled_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="cancelled by",
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
                    "issued_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="issued by",
                    ),
                ),
                (
                    "issuing_body",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="e.g. Ban Thường vụ Huyện ủy Kim Bảng.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.organisation",
                        verbose_name="issuing body",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical decision",
                "verbose_name_plural": "historical decisions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalMovement",
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
                    "position",
                    models.PositiveSmallIntegerField(
                        default=1,
                        help_text="Order of the movement in the decision.",
                        verbose_name="line",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("rotation", "rotation"),
                            ("transfer", "transfer"),
                            ("secondment", "secondment"),
                            ("return", "return after rotation"),
                            ("election_nomination", "nomination for election"),
                            ("appointment", "appointment"),
                            ("designation", "designation"),
                        ],
                        max_length=30,
                        verbose_name="kind",
                    ),
                ),
                (
                    "effective_date",
                    models.DateField(
                        help_text="First day in the new post.", verbose_name="effective date"
                    ),
                ),
                (
                    "planned_end",
                    models.DateField(
                        blank=True,
                        help_text="Rotation and secondment only: the last day of the planned period.",
                        null=True,
                        verbose_name="planned end",
                    ),
                ),
                (
                    "concurrent",
                    models.BooleanField(
                        default=False,
                        help_text="Ticked: the new post is held in addition to the principal post (kiêm nhiệm).",
                        verbose_name="concurrent post",
                    ),
                ),
                ("notes", models.TextField(blank=True, verbose_name="notes")),
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
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="rotation.decision",
                        verbose_name="decision",
                    ),
                ),
                (
                    "from_assignment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="The assignment this movement ends; empty for a first or concurrent post.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="rotation.assignment",
                        verbose_name="post left",
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
                    "returns_from",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="For a return: the rotation or secondment it ends.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="rotation.movement",
                        verbose_name="returns from",
                    ),
                ),
                (
                    "to_post",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.post",
                        verbose_name="post taken",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical movement",
                "verbose_name_plural": "historical movements",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalTerm",
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
                    "name",
                    models.CharField(
                        db_index=True,
                        help_text="e.g. 2020–2025",
                        max_length=20,
                        verbose_name="name",
                    ),
                ),
                ("start", models.DateField(verbose_name="start")),
                ("end", models.DateField(verbose_name="end")),
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
                "verbose_name": "historical term",
                "verbose_name_plural": "historical terms",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
                "default_permissions": (),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        # The rows already stored start their history as they stand.
        baseline("rotation", "Term", "Decision", "Movement", "Assignment"),
    ]
