"""FilterSets of decisions, movements and assignments."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from communes.filters import FoldedSearchFilter
from communes.models import AdministrativeUnit, Organisation, Post, Role
from communes.selectors import unit_area_ids
from communes.text import fold, nfc
from config.api.filters import BooleanFilter, IsoDateFilter
from rotation.models import (
    Assignment,
    Decision,
    DecisionStatus,
    Direction,
    Movement,
    MovementKind,
)


class AreaFilter(django_filters.ModelChoiceFilter):
    """Records about posts in the area of a unit (the unit and every unit below it, over time)."""

    def __init__(self, *, post_fields: tuple[str, ...], **kwargs):
        self.post_fields = post_fields
        kwargs.setdefault("queryset", AdministrativeUnit.objects.all())
        # Names the type for the schema; ``filter`` looks at every post field.
        kwargs.setdefault("field_name", f"{post_fields[0]}__organisation__unit")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        area = unit_area_ids(value)
        condition = Q()
        for field in self.post_fields:
            condition |= Q(**{f"{field}__organisation__unit__in": area})
        return qs.filter(condition)


class TypedOrFoldedSearchFilter(FoldedSearchFilter):
    """``q`` over folded names and over columns kept as typed (a decision's number).

    Every word must appear in one of the fields: in a folded column with or without
    diacritics (``nguyen trung truc``), in a column kept as typed as it was typed, in
    capitals, or folded (``125-QĐ/HU``, ``qđ/hu``; ``qd`` cannot find ``QĐ`` there).
    """

    def __init__(self, *, typed_fields: tuple[str, ...], fields: tuple[str, ...] = (), **kwargs):
        self.typed_fields = typed_fields
        super().__init__(fields=fields, **kwargs)

    def condition(self, value: str) -> Q:
        condition = Q()
        for word in nfc(value).split():
            any_field = Q()
            folded = fold(word)
            for field in self.search_fields:  # folded, as in FoldedSearchFilter
                any_field |= Q(**{f"{field}__contains": folded})
            for field in self.typed_fields:
                for form in sorted({word, word.upper(), folded} - {""}):
                    any_field |= Q(**{f"{field}__icontains": form})
            condition &= any_field
        return condition

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(self.condition(value))


class DecisionFilterSet(django_filters.FilterSet):
    q = TypedOrFoldedSearchFilter(typed_fields=("number", "summary"), label=_("Number or summary"))
    number = django_filters.CharFilter(max_length=50)
    status = django_filters.MultipleChoiceFilter(choices=DecisionStatus.choices)
    issuing_body = django_filters.ModelChoiceFilter(queryset=Organisation.objects.all())
    issuing_unit_code = django_filters.CharFilter(
        field_name="issuing_body__unit__code", max_length=5
    )
    signed_after = IsoDateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = IsoDateFilter(field_name="signed_on", lookup_expr="lte")
    cadre = django_filters.ModelChoiceFilter(
        field_name="movements__cadre", queryset=Cadre.objects.all(), distinct=True
    )

    class Meta:
        model = Decision
        fields = ["q", "number", "status", "issuing_body", "signed_after", "signed_before"]


class MovementFilterSet(django_filters.FilterSet):
    q = TypedOrFoldedSearchFilter(
        fields=("cadre__full_name_folded",),
        typed_fields=("decision__number",),
        label=_("Cadre's name or decision number, with or without diacritics"),
    )
    decision = django_filters.ModelChoiceFilter(queryset=Decision.objects.all())
    decision_number = django_filters.CharFilter(field_name="decision__number", max_length=50)
    decision_status = django_filters.MultipleChoiceFilter(
        field_name="decision__status", choices=DecisionStatus.choices
    )
    cadre = django_filters.ModelChoiceFilter(queryset=Cadre.objects.all())
    kind = django_filters.MultipleChoiceFilter(choices=MovementKind.choices)
    direction = django_filters.MultipleChoiceFilter(choices=Direction.choices)
    effective_after = IsoDateFilter(field_name="effective_date", lookup_expr="gte")
    effective_before = IsoDateFilter(field_name="effective_date", lookup_expr="lte")
    to_post = django_filters.ModelChoiceFilter(queryset=Post.objects.all())
    role_code = django_filters.CharFilter(field_name="role_code", max_length=60)
    area = AreaFilter(
        post_fields=("to_post", "from_assignment__post"),
        label=_("Unit whose area the post left or taken lies in (id)"),
    )

    class Meta:
        model = Movement
        fields = ["q", "decision", "cadre", "kind", "direction", "to_post"]


class AssignmentFilterSet(django_filters.FilterSet):
    q = FoldedSearchFilter(fields=("cadre__full_name_folded",))
    as_of = IsoDateFilter(method="held_on", label=_("Held on this day (YYYY-MM-DD)"))
    cadre = django_filters.ModelChoiceFilter(queryset=Cadre.objects.all())
    post = django_filters.ModelChoiceFilter(queryset=Post.objects.all())
    unit = django_filters.ModelChoiceFilter(
        field_name="unit", queryset=AdministrativeUnit.objects.all()
    )
    unit_code = django_filters.CharFilter(field_name="unit__code", max_length=5)
    role = django_filters.ModelChoiceFilter(field_name="post__role", queryset=Role.objects.all())
    role_code = django_filters.CharFilter(field_name="post__role__code", max_length=60)
    principal = BooleanFilter()
    open = BooleanFilter(field_name="end_date", lookup_expr="isnull")
    void = BooleanFilter(field_name="is_void")
    started_after = IsoDateFilter(field_name="start_date", lookup_expr="gte")
    started_before = IsoDateFilter(field_name="start_date", lookup_expr="lte")
    area = AreaFilter(post_fields=("post",), label=_("Unit whose area the post lies in (id)"))

    class Meta:
        model = Assignment
        fields = ["q", "as_of", "cadre", "post", "principal"]

    def held_on(self, queryset, name, value):
        return queryset.as_of(value)
