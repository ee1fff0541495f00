"""``python manage.py demo_accounts``: an HR staff account for trying the application locally."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

HR_GROUP = "HR staff"
HR_APPS = ("communes", "cadres", "rotation")
USERNAME = "hr.kimbang"


def hr_group() -> Group:
    """The group of HR staff: every permission on units, cadres and rotation records.

    The admin still refuses what the rules forbid (editing an issued decision, writing
    assignments by hand); the permissions only say which pages a person may open.
    """
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=HR_APPS))
    return group


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo HR staff account hr.kimbang with a new random password, "
        "and print the credentials. For local use only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Use this password instead of a random one.")
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="Where the admin is served."
        )

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("demo_accounts is for local development only (DEBUG is off).")
        password = (
            options["password"] or os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(9)
        )
        User = get_user_model()
        with transaction.atomic():
            user, _ = User.objects.get_or_create(
                username=USERNAME, defaults={"first_name": "Cán bộ", "last_name": "Tổ chức"}
            )
            user.is_staff = True
            user.is_active = True
            user.set_password(password)
            user.save()
            user.groups.add(hr_group())
        self.stdout.write(self.style.SUCCESS("Demo HR staff account (local use only):"))
        self.stdout.write(f"  URL:      {options['url']}")
        self.stdout.write(f"  username: {USERNAME}")
        self.stdout.write(f"  password: {password}")
