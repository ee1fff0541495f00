"""``python manage.py api_token <username>``: the REST API token of a user.

    python manage.py api_token hr.kimbang            # creates it, or prints the existing one
    python manage.py api_token hr.kimbang --rotate   # a new token; the old one stops working
    python manage.py api_token hr.kimbang --revoke   # no token any more

The key alone goes to standard output (``TOKEN=$(python manage.py api_token hr.kimbang)``),
what was done to standard error. A token carries the permissions of its user: give another
system its own user, in a group with only the permissions it needs, and the area (units)
it works in: the token carries the user's area too (``access.areas``); ``create_account
--role api`` does all of it at once.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from access.areas import is_administrator


class Command(BaseCommand):
    help = (
        "Create (or print) the REST API token of a user; --rotate replaces it, --revoke "
        "deletes it. The token carries the user's permissions."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token authenticates as.")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the token by a new one; the old one stops working at once.",
        )
        action.add_argument(
            "--revoke", action="store_true", help="Delete the token; the user keeps their login."
        )

    def handle(self, *args, username: str, rotate: bool, revoke: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                _("No user is named %(username)s.") % {"username": username}
            ) from None

        if revoke:
            deleted, _details = Token.objects.filter(user=user).delete()
            if deleted:
                self.stderr.write(
                    _("The token of %(username)s is revoked.") % {"username": username}
                )
            else:
                self.stderr.write(_("%(username)s has no token.") % {"username": username})
            return

        if not user.is_active:
            raise CommandError(
                _("%(username)s is not active: a token would not authenticate them.")
                % {"username": username}
            )
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
        if rotate:
            message = _("New token of %(username)s; the old one no longer works.")
        elif created:
            message = _("Token created for %(username)s.")
        else:
            message = _("The existing token of %(username)s.")
        self.stderr.write(message % {"username": username})
        if not is_administrator(user) and not user.areas.exists():
            # The token carries the user's area (access.areas): without one it sees nothing.
            self.stderr.write(
                _(
                    "%(username)s has no area yet: the token answers nothing until they "
                    "get one (create_account --area, or the user's page in the admin)."
                )
                % {"username": username}
            )
        self.stdout.write(token.key)
