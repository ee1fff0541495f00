"""Cadres and civil servants, and the exceptions HR staff make to the local/non-local rule."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedHistory
from cadres.privacy import personal_id_for
from communes.fields import FoldedCharField
from communes.models import AdministrativeUnit

# Province codes used in the first three digits of a citizen identity number (CCCD),
# per Circular 07/2016/TT-BCA and its amendments.
PERSONAL_ID_PROVINCE_CODES = frozenset(
    f"{n:03d}"
    for n in (
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35,
        36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68,
        70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    )
)  # fmt: skip


def validate_personal_id(value: str) -> None:
    """A 12-digit citizen identity number whose province code is one that exists."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("The personal identification number has exactly 12 digits."), code="format"
        )
    if value[:3] not in PERSONAL_ID_PROVINCE_CODES:
        raise ValidationError(
            _("%(code)s is not a province code: the first 3 digits name the province of birth."),
            code="province",
            params={"code": value[:3]},
        )


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class CadreStatus(models.TextChoices):
    SERVING = "serving", _("serving")
    RETIRED = "retired", _("retired")
    LEFT = "left", _("left the service")
    DECEASED = "deceased", _("deceased")


class CadreQuerySet(models.QuerySet):
    def serving(self):
        return self.filter(status=CadreStatus.SERVING)

    def with_places(self):
        return self.select_related("hometown", "birthplace", "permanent_residence")


class Cadre(models.Model):
    """A person who holds or held posts: a cadre (elected, appointed) or a civil servant.

    Hometown (quê quán), birthplace and permanent residence are administrative units as
    recorded, so they keep pointing at the unit of their time when units merge; whether
    the person is local to a unit follows the successions (see ``cadres.locality``).
    """

    full_name = models.CharField(
        _("full name"), max_length=100, help_text=_("With diacritics, e.g. Nguyễn Thị Thu Hà.")
    )
    full_name_folded = FoldedCharField(source="full_name", max_length=100)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"))
    hometown = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("hometown"),
        on_delete=models.PROTECT,
        related_name="cadres_by_hometown",
        help_text=_("Quê quán: the commune-level unit of the family's origin."),
    )
    birthplace = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("birthplace"),
        on_delete=models.PROTECT,
        related_name="cadres_by_birthplace",
        null=True,
        blank=True,
    )
    permanent_residence = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("permanent residence"),
        on_delete=models.PROTECT,
        related_name="cadres_by_residence",
        null=True,
        blank=True,
        help_text=_("Nơi thường trú: the commune-level unit of registered residence."),
    )
    personal_id = models.CharField(
        _("personal identification number"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_personal_id],
        help_text=_("12-digit citizen identity number (CCCD). Sensitive."),
        error_messages={"unique": _("Another cadre already has this identification number.")},
    )
    party_joined_on = models.DateField(
        _("Party membership date"),
        null=True,
        blank=True,
        help_text=_("Empty for people who are not Party members."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CadreStatus.choices, default=CadreStatus.SERVING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CadreQuerySet.as_manager()
    history = AuditedHistory()
    # The history pages show the number as the reader may see it (``cadres.privacy``).
    history_masks = {"personal_id": personal_id_for}

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["full_name_folded", "date_of_birth"]
        permissions = [
            ("view_personal_id", _("Can see the personal identification number in full")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(personal_id__isnull=True) | Q(Exact(Length("personal_id"), 12)),
                name="cadre_personal_id_12_digits",
                violation_error_message=_(
                    "The personal identification number has exactly 12 digits."
                ),
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values),
                name="cadre_gender_known",
                violation_error_message=_("Unknown gender."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CadreStatus.values),
                name="cadre_status_known",
                violation_error_message=_("Unknown status."),
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gt=datetime.date(1900, 1, 1)),
                name="cadre_born_after_1900",
                violation_error_message=_("The date of birth is before 1900."),
            ),
            models.CheckConstraint(
                condition=Q(party_joined_on__isnull=True)
                | Q(party_joined_on__gt=models.F("date_of_birth")),
                name="cadre_party_after_birth",
                violation_error_message=_("The Party membership date is before the birth date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.date_of_birth:%d/%m/%Y})"

    def clean(self) -> None:
        errors: dict[str, list] = {}
        today = timezone.localdate()  # the date in Việt Nam, as decision_issue reads it
        if self.date_of_birth and self.date_of_birth > today:
            errors.setdefault("date_of_birth", []).append(_("The date of birth is in the future."))
        if self.date_of_birth and self.party_joined_on:
            adult = _add_years(self.date_of_birth, 18)
            if self.party_joined_on < adult:
                errors.setdefault("party_joined_on", []).append(
                    _("Party members join at 18 at the earliest; this date is before that.")
                )
            if self.party_joined_on > today:
                errors.setdefault("party_joined_on", []).append(
                    _("The Party membership date is in the future.")
                )
        if self.personal_id and self.date_of_birth and self.gender and len(self.personal_id) == 12:
            expected = personal_id_century_digit(self.gender, self.date_of_birth.year)
            if expected is not None and self.personal_id[3:6] != (
                f"{expected}{self.date_of_birth.year % 100:02d}"
            ):
                errors.setdefault("personal_id", []).append(
                    _(
                        "Digits 4 to 6 of the identification number encode gender and year "
                        "of birth; for this person they should be %(digits)s."
                    )
                    % {"digits": f"{expected}{self.date_of_birth.year % 100:02d}"}
                )
        if errors:
            raise ValidationError(errors)


def personal_id_century_digit(gender: str, year: int) -> int | None:
    """The 4th digit of a CCCD number: century of birth and gender (0/1 for 1900s, 2/3 for 2000s)."""
    century = year // 100
    base = {19: 0, 20: 2, 21: 4}.get(century)
    if base is None:
        return None
    return base + (1 if gender == Gender.FEMALE else 0)


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class LocalityOverride(models.Model):
    """HR's written exception to the local/non-local rule for one person and one unit.

    Provinces define "local" differently (upbringing, 20 years of work…); when the default
    rule gets a person wrong, HR records the right answer here with its reason. The
    override also holds for the successors of ``unit`` after a merge.
    """

    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        # Nothing is lost silently: a cadre with overrides is not deleted with them.
        on_delete=models.PROTECT,
        related_name="locality_overrides",
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="locality_overrides",
    )
    is_local = models.BooleanField(
        _("is local"), help_text=_("Ticked: local to this unit. Unticked: not local.")
    )
    reason = models.TextField(
        _("reason"),
        help_text=_("Why the default rule does not apply, e.g. 'grew up in the commune'."),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("local/non-local override")
        verbose_name_plural = _("local/non-local overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "unit"],
                name="override_one_per_cadre_and_unit",
                violation_error_message=_("This cadre already has an override for this unit."),
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="override_reason_required",
                violation_error_message=_("An override needs a written reason."),
            ),
        ]

    def __str__(self) -> str:
        verdict = _("local") if self.is_local else _("non-local")
        return f"{self.cadre.full_name}: {verdict} – {self.unit.name}"
