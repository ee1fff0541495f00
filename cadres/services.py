"""Writes for cadres and the overrides of the local/non-local rule."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.context import audited
from cadres.models import Cadre, LocalityOverride
from communes.models import AdministrativeUnit
from communes.text import nfc

CADRE_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "hometown",
    "birthplace",
    "permanent_residence",
    "personal_id",
    "party_joined_on",
    "status",
)


def _normalise(cadre: Cadre) -> None:
    cadre.full_name = nfc(cadre.full_name)
    cadre.personal_id = (cadre.personal_id or "").strip() or None


@transaction.atomic
def cadre_create(
    *,
    full_name: str,
    gender: str,
    date_of_birth: datetime.date,
    hometown: AdministrativeUnit,
    birthplace: AdministrativeUnit | None = None,
    permanent_residence: AdministrativeUnit | None = None,
    personal_id: str | None = None,
    party_joined_on: datetime.date | None = None,
    status: str | None = None,
) -> Cadre:
    cadre = Cadre(
        full_name=full_name,
        gender=gender,
        date_of_birth=date_of_birth,
        hometown=hometown,
        birthplace=birthplace,
        permanent_residence=permanent_residence,
        personal_id=personal_id,
        party_joined_on=party_joined_on,
    )
    if status:
        cadre.status = status
    _normalise(cadre)
    cadre.full_clean()
    cadre.save()
    return cadre


@audited
@transaction.atomic
def cadre_update(*, cadre: Cadre, reason: str = "", **changes) -> Cadre:
    """Correct a cadre's record; ``reason`` (why it is corrected) is kept in its history."""
    unknown = set(changes) - set(CADRE_FIELDS)
    if unknown:
        raise TypeError(f"cadre_update() got unexpected fields {sorted(unknown)}")
    cadre = Cadre.objects.select_for_update().get(pk=cadre.pk)
    for field, value in changes.items():
        setattr(cadre, field, value)
    _normalise(cadre)
    cadre.full_clean()
    cadre.save()
    return cadre


@audited(reason=None)  # ``reason`` is the override's own, not why it changes
@transaction.atomic
def locality_override_set(
    *,
    cadre: Cadre,
    unit: AdministrativeUnit,
    is_local: bool,
    reason: str,
    by: AbstractBaseUser | None = None,
) -> LocalityOverride:
    """Record (or replace) HR's verdict that ``cadre`` is, or is not, local to ``unit``."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {
                "reason": _(
                    "Write the reason for the exception in a sentence (10 characters at least)."
                )
            }
        )
    override = LocalityOverride.objects.filter(cadre=cadre, unit=unit).first() or LocalityOverride(
        cadre=cadre, unit=unit
    )
    override.is_local = is_local
    override.reason = reason
    if by is not None and by.is_authenticated:
        override.created_by = by
    override.full_clean(validate_unique=False)
    override.save()
    return override


@audited
@transaction.atomic
def locality_override_remove(*, override: LocalityOverride, reason: str = "") -> None:
    """Remove an override (the default rule applies again); ``reason`` is kept in its history."""
    override.delete()
