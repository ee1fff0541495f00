"""The REST API's side of the area rule (``access.areas``).

- ``InAreaMixin``, first in the bases of every viewset of the records: lists, details,
  workflow steps and history answer only about the records of the user's area (a token
  carries its user's area); anything else is a 404, as an unknown id is.
- ``AreaFilterBackend`` (the default filter backend): a filter naming a record by id
  (``?unit=``, ``?cadre=``) accepts only the ids of the area; another id is refused as an
  unknown one is. A filter by code (``?unit_code=``) outside the area finds nothing.
- ``limit_to_area``, called by ``config.api.fields.RecordKeyField``: an id sent in a
  request body (``to_post``, ``cadre``…) must name a record of the area, or it "does not
  exist" (400, nothing written).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend

from access.areas import area_of, in_area, is_scoped

# ``RecordKeyField.area_choices``: which records of the area an id may name.
RECORDS = "records"
ISSUING_BODIES = "issuing_bodies"


class InAreaMixin:
    # The records of the user's area only. (A comment, not a docstring: drf-spectacular
    # would describe a viewset without a docstring of its own by it.)

    def get_queryset(self):
        return in_area(self.request, super().get_queryset())


class AreaFilterBackend(DjangoFilterBackend):
    """django-filter, with the choices of every filter by id limited to the user's area."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for name, choice_filter in filterset.filters.items():
                if isinstance(choice_filter, ModelChoiceFilter | ModelMultipleChoiceFilter):
                    choices = choice_filter.get_queryset(request)
                    if name == "issuing_body":  # the bodies the area's decisions come from
                        choice_filter.queryset = area_of(request).issuing_bodies(choices)
                    elif is_scoped(choices.model):
                        choice_filter.queryset = area_of(request).filter(choices)
        return filterset


def limit_to_area(field, queryset: QuerySet) -> QuerySet:
    """The records an id of ``field`` (a related field of a serializer) may name.

    The record's current value is accepted back unchanged (a PUT sends the whole record,
    e.g. a cadre's hometown that lies elsewhere). The serializer needs the request in its
    context: without it, which area applies is unknown, and that is a programming error.
    """
    request = field.context.get("request")
    if request is None:
        raise ImproperlyConfigured(
            f"{type(field.root).__name__} needs the request in its context to limit "
            f"{field.field_name} to the user's area."
        )
    area = area_of(request)
    current = []
    instance = getattr(field.parent, "instance", None)
    if instance is not None and not isinstance(instance, list | QuerySet):
        current = [getattr(instance, f"{field.source}_id", None)]
    if getattr(field, "area_choices", RECORDS) == ISSUING_BODIES:
        return area.issuing_bodies(queryset, also=current)
    if not is_scoped(queryset.model):
        return queryset
    return area.filter(queryset, also=current)
