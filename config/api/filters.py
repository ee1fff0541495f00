"""Query-parameter filters whose refusals are as strict as the schema says."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TRUE = frozenset({"true", "1"})
FALSE = frozenset({"false", "0"})


class StrictBooleanField(forms.NullBooleanField):
    """``true``/``false`` (or ``1``/``0``); empty means "not filtered"; anything else is refused."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter: ``?open=maybe`` is a 400, not silently the unfiltered list.

    django-filter's own ``BooleanFilter`` reads an unknown value as "not given", so a
    client that misspells a value gets every record and believes it filtered them.
    """

    field_class = StrictBooleanField


class IsoDateFilter(django_filters.DateFilter):
    """A day as YYYY-MM-DD, as the schema says: ``?as_of=31/12/2022`` is a 400.

    django-filter reads dates in the formats of the active language (dd/mm/yyyy for the
    admin's users), so a client's 01/02/2022 would silently be the 1st of February.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)
