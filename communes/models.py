"""Administrative units over time, their organisations, roles and posts.

Units are versioned: a merge, a rename or a re-grading ends one record and starts another,
linked by a ``UnitSuccession``. Official codes are reused by successors, so a code is only
an identity together with a date. Records made in 2021 keep pointing at the 2021 unit.

Every period here is closed at both ends: ``valid_to`` is the last day of validity, and an
empty ``valid_to`` means "still valid".
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audit.models import AuditedHistory
from communes.fields import FoldedCharField

code_validator = RegexValidator(
    r"^[0-9]{2,5}$",
    _("An official unit code has 2 to 5 digits (province 2, district 3, commune 5)."),
)


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("province")
    MUNICIPALITY = "municipality", _("centrally-run city")
    DISTRICT = "district", _("district")
    DISTRICT_TOWN = "district_town", _("district-level town")
    PROVINCIAL_CITY = "provincial_city", _("provincial city")
    COMMUNE = "commune", _("commune")
    TOWNSHIP = "township", _("township")
    WARD = "ward", _("ward")


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("province level")
    DISTRICT = "district", _("district level")
    COMMUNE = "commune", _("commune level")


PROVINCE_KINDS = (UnitKind.PROVINCE, UnitKind.MUNICIPALITY)
DISTRICT_KINDS = (UnitKind.DISTRICT, UnitKind.DISTRICT_TOWN, UnitKind.PROVINCIAL_CITY)
COMMUNE_KINDS = (UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD)

LEVEL_OF_KIND = {
    **dict.fromkeys(PROVINCE_KINDS, UnitLevel.PROVINCE),
    **dict.fromkeys(DISTRICT_KINDS, UnitLevel.DISTRICT),
    **dict.fromkeys(COMMUNE_KINDS, UnitLevel.COMMUNE),
}


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose closed period [valid_from, valid_to] contains ``day``."""
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def overlapping_q(start: datetime.date, end: datetime.date | None, prefix: str = "") -> Q:
    """Rows whose period shares at least one day with [start, end] (end None: open)."""
    q = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__lte": end})
    return q


def period_check(name: str, start: str = "valid_from", end: str = "valid_to"):
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message=_("The end of the period cannot be before its start."),
    )


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(valid_on_q(day))

    def overlapping(self, start: datetime.date, end: datetime.date | None):
        return self.filter(overlapping_q(start, end))


class AdministrativeUnitQuerySet(ValidityQuerySet):
    def of_level(self, level: str):
        kinds = [kind for kind, kind_level in LEVEL_OF_KIND.items() if kind_level == level]
        return self.filter(kind__in=kinds)

    def commune_level(self):
        return self.of_level(UnitLevel.COMMUNE)

    def with_code(self, code: str):
        return self.filter(code=code.strip())


class AdministrativeUnit(models.Model):
    """A province, district or commune-level unit as it was during one period.

    A unit that is merged, renamed or re-graded ends (``valid_to``) and its successor
    starts the next day; the ``UnitSuccession`` rows link them. ``parent`` points at the
    parent as it was when this record started: to find the children of a unit on a day,
    use ``communes.selectors.unit_children``, which follows the parent's own successions.
    """

    code = models.CharField(
        _("official code"),
        max_length=5,
        validators=[code_validator],
        help_text=_("The code of the national list of administrative units (e.g. 13393)."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Official name with diacritics, e.g. Hoàn Kiếm.")
    )
    name_folded = FoldedCharField(source="name", max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The unit this one belonged to when this record started."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"),
        null=True,
        blank=True,
        help_text=_("Last day of validity; empty while the unit exists."),
    )
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
        blank=True,
    )

    objects = AdministrativeUnitQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            period_check("unit_valid_to_after_valid_from"),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="unit_kind_known",
                violation_error_message=_("Unknown kind of administrative unit."),
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=PROVINCE_KINDS) & Q(parent__isnull=True))
                | (~Q(kind__in=PROVINCE_KINDS) & Q(parent__isnull=False)),
                name="unit_parent_unless_province",
                violation_error_message=_(
                    "A province has no parent unit; every other unit needs one."
                ),
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="unit_code_valid_from_unique",
                violation_error_message=_("A unit with this code already starts on that date."),
            ),
        ]
        indexes = [models.Index(fields=["parent", "valid_from"], name="unit_parent_from_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} ({self.code})"

    @property
    def level(self) -> str:
        return LEVEL_OF_KIND[self.kind]

    def clean(self) -> None:
        # The check constraint ``unit_parent_unless_province`` says the same for the whole
        # record; said here, the message sits beside the parent field.
        if self.kind in PROVINCE_KINDS and self.parent_id is not None:
            raise ValidationError(
                {"parent": _("A province-level unit has no parent unit; leave it empty.")}
            )
        if self.kind in LEVEL_OF_KIND and self.kind not in PROVINCE_KINDS and not self.parent_id:
            raise ValidationError(
                {
                    "parent": _("Choose the unit this %(kind)s belongs to.")
                    % {"kind": self.get_kind_display()}
                }
            )

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def period_display(self) -> str:
        return format_period(self.valid_from, self.valid_to)


def format_period(start: datetime.date, end: datetime.date | None) -> str:
    start_text = start.strftime("%d/%m/%Y")
    if end is None:
        return _("from %(start)s") % {"start": start_text}
    return f"{start_text} – {end.strftime('%d/%m/%Y')}"


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("merge")
    SPLIT = "split", _("split")
    RENAME = "rename", _("rename")
    REGRADE = "regrade", _("re-grading")
    TRANSFER = "transfer", _("transfer to another parent unit")


class UnitSuccession(models.Model):
    """``successor`` continues (all or part of) the area of ``predecessor``.

    The successor starts the day after the predecessor ends. A merge of three communes into
    one ward is three rows with the same successor.
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="succession_links",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=SuccessionKind.choices)
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=200,
        blank=True,
        help_text=_("The resolution that made the change, e.g. Nghị quyết 1318/NQ-UBTVQH15."),
    )

    history = AuditedHistory()

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_unique_pair",
                violation_error_message=_("These two units are already linked."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SuccessionKind.values),
                name="succession_kind_known",
                violation_error_message=_("Unknown kind of change."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class OrganisationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_STANDING_COMMITTEE = "party_standing_committee", _("Party standing committee")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council")
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    MASS_ORGANISATION = "mass_organisation", _("mass organisation")
    DEPARTMENT = "department", _("department or office")


class Organisation(models.Model):
    """A body of a unit that holds posts: its Party committee, People's Committee, a department…"""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Full name, e.g. Đảng ủy phường Hoàn Kiếm.")
    )
    name_folded = FoldedCharField(source="name", max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["unit__code", "name"]
        constraints = [
            period_check("organisation_valid_to_after_valid_from"),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values),
                name="organisation_kind_known",
                violation_error_message=_("Unknown kind of organisation."),
            ),
            models.UniqueConstraint(
                fields=["unit", "name", "valid_from"],
                name="organisation_unique_name_in_unit",
                violation_error_message=_("This unit already has an organisation of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoleCategory(models.TextChoices):
    CADRE = "cadre", _("elected or appointed cadre")
    CIVIL_SERVANT = "civil_servant", _("civil servant")
    STAFF = "staff", _("staff of departments and offices")


class CivilServantField(models.TextChoices):
    MILITARY = "military", _("military")
    OFFICE_STATISTICS = "office_statistics", _("office and statistics")
    LAND_ENVIRONMENT = "land_environment", _("land administration, construction and environment")
    FINANCE = "finance", _("finance and accounting")
    JUSTICE = "justice", _("justice and civil status")
    CULTURE_SOCIETY = "culture_society", _("culture and society")


class Role(models.Model):
    """A kind of post with a stable code (``party_secretary``) that reports and APIs rely on.

    The catalogue is created by a data migration. ``valid_from``/``valid_to`` follow the legal
    period: commune civil-servant titles end on 30/06/2025, when the three offices replace them.
    """

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stable code used by reports and APIs.")
    )
    name = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_folded = FoldedCharField(source="name", max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=RoleCategory.choices)
    field = models.CharField(
        _("civil-servant field"),
        max_length=30,
        choices=CivilServantField.choices,
        blank=True,
        help_text=_("Only for commune civil-servant titles."),
    )
    is_key = models.BooleanField(
        _("key leadership role"),
        default=False,
        help_text=_("Counted in the non-local leadership figures."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    history = AuditedHistory()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=RoleCategory.values),
                name="role_category_known",
                violation_error_message=_("Unknown role category."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(category=RoleCategory.CIVIL_SERVANT) & Q(field__in=CivilServantField.values)
                )
                | (~Q(category=RoleCategory.CIVIL_SERVANT) & Q(field="")),
                name="role_field_iff_civil_servant",
                violation_error_message=_(
                    "A civil-servant title needs a field; other roles have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="role_valid_to_after_valid_from",
                violation_error_message=_("The end of the period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class PostQuerySet(ValidityQuerySet):
    def with_names(self):
        return self.select_related("role", "organisation__unit")


class Post(models.Model):
    """A role in an organisation with a number of seats, e.g. two vice-chairmen of a commune."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="posts"
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("How many people may hold this post at the same time."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = PostQuerySet.as_manager()
    history = AuditedHistory()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["organisation__unit__code", "role__sort_order", "valid_from"]
        constraints = [
            period_check("post_valid_to_after_valid_from"),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=99),
                name="post_seats_between_1_and_99",
                violation_error_message=_("A post has between 1 and 99 seats."),
            ),
            models.UniqueConstraint(
                fields=["organisation", "role", "valid_from"],
                name="post_unique_role_in_organisation",
                violation_error_message=_(
                    "This organisation already has a post for that role from that date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role.label} – {self.organisation.name}"

    @property
    def unit(self) -> AdministrativeUnit:
        return self.organisation.unit

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
