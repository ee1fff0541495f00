"""FilterSets of the units, organisations, roles and posts, and the filters other apps share."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communes.models import (
    AdministrativeUnit,
    Organisation,
    OrganisationKind,
    Post,
    Role,
    RoleCategory,
    UnitKind,
    valid_on_q,
)
from communes.text import fold
from config.api.filters import BooleanFilter


class FoldedSearchFilter(django_filters.CharFilter):
    """``q``: every word must appear in one of the folded columns, diacritics ignored.

    ``nguyen trung truc`` finds Nguyễn Trung Trực; codes and numbers match as typed.
    """

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        self.search_fields = fields
        kwargs.setdefault("label", _("Search, with or without diacritics"))
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def condition(self, value: str) -> Q:
        """Every folded word of ``value`` in one of the fields (empty ``Q`` for no words)."""
        condition = Q()
        for word in fold(value).split():
            any_field = Q()
            for field in self.search_fields:
                # Both sides are folded (lower case), so a case-sensitive LIKE finds the same
                # rows as icontains without upper-casing every row, and can use the trigram
                # index on PostgreSQL (cadres.0006).
                any_field |= Q(**{f"{field}__contains": word})
            condition &= any_field
        return condition

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(self.condition(value))


class ValidOnFilter(django_filters.DateFilter):
    """``as_of=YYYY-MM-DD``: the records valid on that day (``prefix`` for a related period)."""

    def __init__(self, *, prefix: str = "", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("label", _("Valid on this day (YYYY-MM-DD)"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(valid_on_q(value, self.prefix))


class UnitFilterSet(django_filters.FilterSet):
    q = FoldedSearchFilter(fields=("name_folded", "code"))
    as_of = ValidOnFilter()
    code = django_filters.CharFilter(max_length=5)
    kind = django_filters.MultipleChoiceFilter(choices=UnitKind.choices)
    parent = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.all())
    parent_code = django_filters.CharFilter(field_name="parent__code", max_length=5)
    valid_from_after = django_filters.DateFilter(field_name="valid_from", lookup_expr="gte")
    valid_from_before = django_filters.DateFilter(field_name="valid_from", lookup_expr="lte")

    class Meta:
        model = AdministrativeUnit
        fields = ["q", "as_of", "code", "kind", "parent", "parent_code"]


class OrganisationFilterSet(django_filters.FilterSet):
    q = FoldedSearchFilter(fields=("name_folded",))
    as_of = ValidOnFilter()
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices)
    unit = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.all())
    unit_code = django_filters.CharFilter(field_name="unit__code", max_length=5)

    class Meta:
        model = Organisation
        fields = ["q", "as_of", "kind", "unit", "unit_code"]


class RoleFilterSet(django_filters.FilterSet):
    q = FoldedSearchFilter(fields=("name_folded", "code"))
    code = django_filters.CharFilter(max_length=60)
    category = django_filters.MultipleChoiceFilter(choices=RoleCategory.choices)
    is_key = BooleanFilter()

    class Meta:
        model = Role
        fields = ["q", "code", "category", "field", "is_key"]


class PostFilterSet(django_filters.FilterSet):
    q = FoldedSearchFilter(fields=("role__name_folded", "organisation__name_folded", "role__code"))
    as_of = ValidOnFilter()
    organisation = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all())
    unit = django_filters.ModelChoiceFilter(
        field_name="organisation__unit", queryset=AdministrativeUnit.objects.all()
    )
    unit_code = django_filters.CharFilter(field_name="organisation__unit__code", max_length=5)
    role = django_filters.ModelChoiceFilter(queryset=Role.objects.all())
    role_code = django_filters.CharFilter(field_name="role__code", max_length=60)
    is_key = BooleanFilter(field_name="role__is_key")

    class Meta:
        model = Post
        fields = ["q", "as_of", "organisation", "unit", "unit_code", "role", "role_code", "is_key"]
