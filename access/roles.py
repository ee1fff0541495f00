"""The four roles: what each kind of user may do, as groups of Django permissions.

=================  =========================  ======  =====================================
code               group (stable name)        staff   may
=================  =========================  ======  =====================================
``hr``             HR staff                   yes     record and correct the records of
                                                      their area in the admin (and the API)
``official``       Officials                  no      read the records and dashboards of
                                                      their area; change nothing
``api``            API clients                no      what HR staff may, through the REST
                                                      API with a token; no admin login
``admin``          Administrators             yes     everything, users and tokens
                                                      included, in every area
=================  =========================  ======  =====================================

The group names are stable identifiers (the code looks groups up by them); people read
them translated (``ROLES[code].label``). The groups are created by the migration
``access/0002_roles`` (and by ``group_for`` when missing) and their permissions are set
here after every ``migrate`` (``sync_roles``), so that models added later are covered: a
change made to these four groups by hand is undone by the next migrate. Give a person a
different set in a group of your own.

Where a role may act is their area (``access.areas``); administrators and superusers
have every area.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HR = "hr"
OFFICIAL = "official"
API = "api"
ADMIN = "admin"

# The apps whose records the roles read and write.
RECORD_APPS = ("communes", "cadres", "rotation")
# Catalogues shared by every area (app label, model): only administrators change them.
SHARED_CATALOGUES = (("communes", "role"), ("rotation", "term"))
# Seeing personal identification numbers in full is for those who record people.
PERSONAL_ID = ("cadres", "view_personal_id")


@dataclass(frozen=True)
class AccessRole:
    code: str
    group_name: str
    label: Promise
    staff: bool  # logs in to the admin
    every_area: bool  # sees every area, needs none of their own
    description: Promise


ROLES: dict[str, AccessRole] = {
    HR: AccessRole(
        HR,
        "HR staff",
        _("HR staff"),
        staff=True,
        every_area=False,
        description=_("Records and corrects the records of their area."),
    ),
    OFFICIAL: AccessRole(
        OFFICIAL,
        "Officials",
        _("Officials"),
        staff=False,
        every_area=False,
        description=_("Reads the records and dashboards of their area."),
    ),
    API: AccessRole(
        API,
        "API clients",
        _("API clients"),
        staff=False,
        every_area=False,
        description=_(
            "Another system: reads and writes the records of its area through the REST API."
        ),
    ),
    ADMIN: AccessRole(
        ADMIN,
        "Administrators",
        _("Administrators"),
        staff=True,
        every_area=True,
        description=_("Everything, users and tokens included, in every area."),
    ),
}

ADMINISTRATORS = ROLES[ADMIN].group_name


def permissions_of(code: str, *, using: str = DEFAULT_DB_ALIAS) -> QuerySet[Permission]:
    """The permissions of role ``code``."""
    every = Permission.objects.using(using)
    if code == ADMIN:
        return every.all()
    records = every.filter(content_type__app_label__in=RECORD_APPS)
    personal_id = Q(content_type__app_label=PERSONAL_ID[0], codename=PERSONAL_ID[1])
    if code == OFFICIAL:
        return records.filter(codename__startswith="view_").exclude(personal_id)
    if code in (HR, API):
        catalogue_writes = Q(pk__in=[])
        for app_label, model in SHARED_CATALOGUES:
            catalogue_writes |= Q(
                content_type__app_label=app_label, content_type__model=model
            ) & ~Q(codename__startswith="view_")
        return records.exclude(catalogue_writes)
    raise KeyError(code)


def group_for(code: str, *, using: str = DEFAULT_DB_ALIAS) -> Group:
    """The group of role ``code``, created if missing, with the role's permissions."""
    group, _created = Group.objects.using(using).get_or_create(name=ROLES[code].group_name)
    group.permissions.set(permissions_of(code, using=using))
    return group


def sync_roles(sender=None, *, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """After ``migrate``: each role's group (created by the migration) gets its permissions.

    ``post_migrate`` is sent app by app, so the permissions of the apps listed after this
    one may not exist yet: they are created first (Django's own, idempotent, step). A group
    that is not there is left so: after ``flush`` (which sends ``post_migrate`` too) the
    database is empty, and a restore brings the groups back with everything else.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for code, role in ROLES.items():
        group = Group.objects.using(using).filter(name=role.group_name).first()
        if group is not None:
            group.permissions.set(permissions_of(code, using=using))


def roles_of(user) -> list[AccessRole]:
    """The roles whose groups ``user`` belongs to (one query)."""
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLES.values() if role.group_name in names]
