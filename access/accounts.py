"""Creating the accounts of the four roles, with their areas (``create_account``, the demo).

``account_set`` is the one write path: it creates or updates a user, puts them in the
group of their role (and in no other role's group), binds them to their units, and for an
API client issues a new token. All or nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from access.models import UserArea
from access.roles import API, ROLES, group_for
from communes.models import AdministrativeUnit


def random_password(user) -> str:
    """16 random letters, digits, - and _ that the password rules accept."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def unit_for_code(code: str) -> AdministrativeUnit:
    """The unit an area code names: the one that carries it today, else the last one that
    carried it (350 is Kim Bảng town, 01/01/2025–30/06/2025). Its earlier versions and what
    it became are in the area anyway (``access.areas``)."""
    code = (code or "").strip()
    versions = list(AdministrativeUnit.objects.filter(code=code).order_by("-valid_from"))
    if not versions:
        raise ValidationError(
            _("There is no administrative unit with code %(code)s.") % {"code": code},
            code="unknown_unit",
        )
    today = timezone.localdate()
    return next((unit for unit in versions if unit.is_valid_on(today)), versions[0])


@dataclass(frozen=True)
class AccountResult:
    user: object
    created: bool
    password: str | None  # the password set, when one was set
    token: str | None  # the new token of an API client
    units: tuple[AdministrativeUnit, ...]


def account_set(
    *,
    username: str,
    role: str,
    units: list[AdministrativeUnit],
    email: str | None = None,
    password: str | None = None,
) -> AccountResult:
    """Create (or update) the account ``username`` with ``role`` and the area ``units``.

    A new account without ``password`` gets a random one (so does one that had none, an
    API client that becomes something else); an API client gets none: it uses its token. An existing account keeps its password unless one is given, and gets exactly
    this role and these units. An API client gets a new token; the old one stops working.
    Raises ``ValidationError`` with a message a person can act on; writes nothing then.
    """
    if role not in ROLES:
        raise ValidationError(
            _("Unknown role %(role)s: choose one of %(roles)s.")
            % {"role": role, "roles": ", ".join(ROLES)},
            code="unknown_role",
        )
    spec = ROLES[role]
    if not units and not spec.every_area:
        raise ValidationError(
            _("Give the account an area (--area CODE): without one it sees nothing."),
            code="no_area",
        )
    if role == API and password:
        raise ValidationError(
            _("An API client logs in with its token only: give it no password."),
            code="api_password",
        )
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    created = user is None
    if created:
        if not username:
            raise ValidationError(_("Give a user name."), code="username")
        for validator in User._meta.get_field(User.USERNAME_FIELD).validators:
            validator(username)
        user = User(**{User.USERNAME_FIELD: username})
    if email is not None:
        validate_email(email)
        user.email = email
    if password is None and role != API and (created or not user.has_usable_password()):
        password = random_password(user)
    elif password:
        validate_password(password, user)
    with transaction.atomic():
        user.is_staff = spec.staff
        user.is_active = True
        if password:
            user.set_password(password)
        elif created or role == API:
            user.set_unusable_password()
        user.save()
        others = Group.objects.filter(
            name__in=[r.group_name for r in ROLES.values() if r.code != role]
        )
        user.groups.remove(*others)
        user.groups.add(group_for(role))
        UserArea.objects.filter(user=user).exclude(unit__in=units).delete()
        for unit in units:
            UserArea.objects.get_or_create(user=user, unit=unit)
        token = None
        if role == API:
            Token.objects.filter(user=user).delete()
            token = Token.objects.create(user=user).key
    return AccountResult(
        user=user, created=created, password=password, token=token, units=tuple(units)
    )
