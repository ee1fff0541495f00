"""``python manage.py demo_accounts``: an HR staff account and an official's account for
trying the application locally."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

HR_GROUP = "HR staff"
OFFICIALS_GROUP = "Officials"
HR_APPS = ("communes", "cadres", "rotation")
USERNAME = "hr.kimbang"
OFFICIAL_USERNAME = "lanhdao.kimbang"


def hr_group() -> Group:
    """The group of HR staff: every permission on units, cadres and rotation records.

    The admin still refuses what the rules forbid (editing an issued decision, writing
    assignments by hand); the permissions only say which pages a person may open.
    """
    group, _ = Group.objects.get_or_create(name=HR_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=HR_APPS))
    return group


def officials_group() -> Group:
    """The group of officials: they read the records (the dashboards), and change nothing."""
    group, _ = Group.objects.get_or_create(name=OFFICIALS_GROUP)
    group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=HR_APPS, codename__startswith="view_")
    )
    return group


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo accounts with new random passwords and print them: "
        "hr.kimbang (HR staff, the admin) and lanhdao.kimbang (an official, the dashboards, "
        "read only). For local use only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", help="Give both accounts this password instead of random ones."
        )
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/admin/", help="Where the admin is served."
        )
        parser.add_argument(
            "--dashboard-url",
            default="http://127.0.0.1:8000/dashboard/",
            help="Where the dashboards are served.",
        )

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.DEBUG:
            raise CommandError("demo_accounts is for local development only (DEBUG is off).")
        chosen = options["password"] or os.environ.get("DEMO_PASSWORD")
        passwords = {
            USERNAME: chosen or secrets.token_urlsafe(9),
            OFFICIAL_USERNAME: chosen or secrets.token_urlsafe(9),
        }
        with transaction.atomic():
            self.account(
                USERNAME,
                passwords[USERNAME],
                staff=True,
                group=hr_group(),
                names=("Cán bộ", "Tổ chức"),
            )
            self.account(
                OFFICIAL_USERNAME,
                passwords[OFFICIAL_USERNAME],
                staff=False,
                group=officials_group(),
                names=("Lãnh đạo", "Huyện"),
            )
        self.stdout.write(self.style.SUCCESS("Demo HR staff account (local use only):"))
        self.stdout.write(f"  URL:      {options['url']}")
        self.stdout.write(f"  username: {USERNAME}")
        self.stdout.write(f"  password: {passwords[USERNAME]}")
        self.stdout.write(
            self.style.SUCCESS("Demo official account, dashboards only (local use only):")
        )
        self.stdout.write(f"  URL:      {options['dashboard_url']}")
        self.stdout.write(f"  username: {OFFICIAL_USERNAME}")
        self.stdout.write(f"  password: {passwords[OFFICIAL_USERNAME]}")

    @staticmethod
    def account(username: str, password: str, *, staff: bool, group: Group, names) -> None:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": names[0], "last_name": names[1]}
        )
        user.is_staff = staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
