"""``python manage.py demo_accounts``: an HR staff account and an official's account for
trying the application locally."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from access.accounts import unit_for_code
from access.models import UserArea
from access.roles import HR, OFFICIAL, ROLES, group_for

HR_GROUP = ROLES[HR].group_name
OFFICIALS_GROUP = ROLES[OFFICIAL].group_name
USERNAME = "hr.kimbang"
OFFICIAL_USERNAME = "lanhdao.kimbang"
# Both accounts work in Kim Bảng: the district, the town it became, and after 01/07/2025
# the six wards of Ninh Bình that took over its communes (``access.areas``).
AREA_CODE = "350"


def hr_group() -> Group:
    """The group of HR staff (``access.roles``): every permission on units, cadres and
    rotation records, seeing personal identification numbers included
    (``cadres.view_personal_id``), but changing the catalogues every area shares (roles,
    terms).

    The admin still refuses what the rules forbid (editing an issued decision, writing
    assignments by hand); the permissions only say which pages a person may open.
    """
    return group_for(HR)


def officials_group() -> Group:
    """The group of officials (``access.roles``): they read the records (the dashboards),
    figures rather than identity numbers, and change nothing."""
    return group_for(OFFICIAL)


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
            USERNAME: chosen or self.random_password(USERNAME),
            OFFICIAL_USERNAME: chosen or self.random_password(OFFICIAL_USERNAME),
        }
        if chosen:
            # The same rules as for every password (AUTH_PASSWORD_VALIDATORS).
            for username in passwords:
                try:
                    validate_password(chosen, get_user_model()(username=username))
                except ValidationError as error:
                    raise CommandError(
                        "The password chosen (--password or DEMO_PASSWORD) is refused: "
                        + " ".join(error.messages)
                    ) from None
        try:
            area = [unit_for_code(AREA_CODE)]
        except ValidationError:  # the records are not loaded yet
            area = []
            self.stderr.write(
                f"No unit has code {AREA_CODE} (run load_demo first): the accounts see "
                "nothing until this command runs again."
            )
        with transaction.atomic():
            self.account(
                USERNAME,
                passwords[USERNAME],
                staff=True,
                group=hr_group(),
                names=("Cán bộ", "Tổ chức"),
                area=area,
            )
            self.account(
                OFFICIAL_USERNAME,
                passwords[OFFICIAL_USERNAME],
                staff=False,
                group=officials_group(),
                names=("Lãnh đạo", "Huyện"),
                area=area,
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
    def random_password(username: str) -> str:
        """12 random letters, digits, - and _, drawn again in the rare case the password
        rules refuse them (all digits, say)."""
        while True:
            password = secrets.token_urlsafe(9)
            try:
                validate_password(password, get_user_model()(username=username))
            except ValidationError:
                continue
            return password

    @staticmethod
    def account(username: str, password: str, *, staff: bool, group: Group, names, area) -> None:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": names[0], "last_name": names[1]}
        )
        user.is_staff = staff
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(group)
        for unit in area:
            UserArea.objects.get_or_create(user=user, unit=unit)
