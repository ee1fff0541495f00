"""``python manage.py create_account USERNAME --role hr|official|api|admin --area CODE …``

    python manage.py create_account nguyen.hr --role hr --area 350
    python manage.py create_account lanhdao.ly --role official --area 13393 --area 13402
    python manage.py create_account hr-system --role api --area 37      # prints its token
    python manage.py create_account admin.tinh --role admin --email a@example.org

Creates the account (or updates it: its role, areas and, if given, email and password)
and prints it with its password (a random one unless ``--password``), or for an API
client its new token. ``--area`` takes an official unit code, repeatable: the unit that
carries the code today, else the last one that carried it (see ``access.accounts``);
required except for administrators, who see every area. Any mistake (unknown role or
code, a weak password) prints one line, exits with status 1 and writes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from access.accounts import account_set, unit_for_code
from access.roles import ROLES


class Command(BaseCommand):
    help = (
        "Create or update an account with a role (hr, official, api, admin) and an area "
        "(official unit codes); prints its password, or an API client's token."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="hr, official, api or admin.")
        parser.add_argument(
            "--area",
            action="append",
            default=[],
            metavar="CODE",
            help="Official code of a unit the account works in; repeat for several.",
        )
        parser.add_argument("--email")
        parser.add_argument("--password", help="Default: a random password, printed.")

    def handle(self, *args, username, role, area, email, password, **options):
        try:
            units = [unit_for_code(code) for code in dict.fromkeys(area)]
            result = account_set(
                username=username.strip(),
                role=role.strip().lower(),
                units=units,
                email=email,
                password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        spec = ROLES[role.strip().lower()]
        message = _("Account %(username)s created.") if result.created else None
        message = message or _("Account %(username)s updated.")
        self.stdout.write(self.style.SUCCESS(message % {"username": result.user.get_username()}))
        # Keys in English, as ``demo_accounts`` prints them, for scripts to read.
        self.stdout.write(f"  role: {spec.label} ({spec.code})")
        if result.units:
            places = ", ".join(f"{unit.name} ({unit.code})" for unit in result.units)
        else:
            places = _("every area")
        self.stdout.write(f"  area: {places}")
        if result.password:
            self.stdout.write(f"  password: {result.password}")
        if result.token:
            self.stdout.write(f"  token: {result.token}")
