"""FilterSets of cadres and of the overrides of the local/non-local rule."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre, CadreStatus, Gender, LocalityOverride
from cadres.privacy import can_see_personal_id
from communes.filters import FoldedSearchFilter
from communes.models import AdministrativeUnit
from config.api.filters import BooleanFilter
from rotation.models import Assignment


class CadreSearchFilter(FoldedSearchFilter):
    """``q``: the name without diacritics (``nguyen trung truc``), or a whole personal id
    (for accounts that may see personal ids: for others a number finds no one, so that it
    cannot be used to find out whose number it is)."""

    def filter(self, qs, value):
        if not value or not value.strip():
            return qs
        condition = self.condition(value)
        if can_see_personal_id(getattr(self.parent.request, "user", None)):
            condition |= Q(personal_id=value.strip())
        return qs.filter(condition)


class CadreFilterSet(django_filters.FilterSet):
    q = CadreSearchFilter(
        fields=("full_name_folded",),
        label=_("Name, with or without diacritics, or the whole personal identification number"),
    )
    gender = django_filters.ChoiceFilter(choices=Gender.choices)
    status = django_filters.MultipleChoiceFilter(choices=CadreStatus.choices)
    hometown = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.all())
    hometown_code = django_filters.CharFilter(field_name="hometown__code", max_length=5)
    born_after = django_filters.DateFilter(field_name="date_of_birth", lookup_expr="gte")
    born_before = django_filters.DateFilter(field_name="date_of_birth", lookup_expr="lte")
    holds_post_in = django_filters.ModelChoiceFilter(
        # Names the type for the schema; ``filter_holds_post_in`` does the filtering.
        field_name="assignments__unit",
        queryset=AdministrativeUnit.objects.all(),
        method="filter_holds_post_in",
        label=_("Holds a post of this unit (id) on the day `on`"),
    )
    on = django_filters.DateFilter(
        method="filter_on", label=_("The day of holds_post_in (YYYY-MM-DD); default today")
    )

    class Meta:
        model = Cadre
        fields = ["q", "gender", "status", "hometown", "hometown_code"]

    def filter_holds_post_in(self, queryset, name, value):
        day = self.form.cleaned_data.get("on") or timezone.localdate()
        held = Assignment.objects.as_of(day).filter(unit=value)
        return queryset.filter(pk__in=held.values("cadre_id"))

    def filter_on(self, queryset, name, value):
        return queryset  # read by ``holds_post_in``


class LocalityOverrideFilterSet(django_filters.FilterSet):
    cadre = django_filters.ModelChoiceFilter(queryset=Cadre.objects.all())
    unit = django_filters.ModelChoiceFilter(queryset=AdministrativeUnit.objects.all())
    unit_code = django_filters.CharFilter(field_name="unit__code", max_length=5)
    is_local = BooleanFilter()

    class Meta:
        model = LocalityOverride
        fields = ["cadre", "unit", "unit_code", "is_local"]
