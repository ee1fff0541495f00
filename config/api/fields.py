"""Input fields every endpoint shares: dates the records can hold, ids that are integers."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from rest_framework import serializers

# Wide enough for any cadre's record, narrow enough that the rules' date arithmetic
# (a rotation's 36 months after its start) never leaves the calendar Python can hold.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2199, 12, 31)


class RecordDateField(serializers.DateField):
    """A YYYY-MM-DD date between 1900 and 2199; 9999-12-31 is a typing slip, not a date."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(MinValueValidator(FIRST_DAY))
        self.validators.append(MaxValueValidator(LAST_DAY))


class RecordKeyField(serializers.PrimaryKeyRelatedField):
    """The id of a record: an integer, never a float silently cut down (``1.5`` is not ``1``).

    It must name a record of the user's area (``access.api.limit_to_area``): any other id
    "does not exist", as an unknown one. ``area_choices = "issuing_bodies"``: the
    organisations that may issue the area's decisions instead.
    """

    area_choices = "records"

    def __init__(self, **kwargs):
        kwargs.setdefault("pk_field", serializers.IntegerField())
        super().__init__(**kwargs)

    def get_queryset(self):
        from access.api import limit_to_area

        return limit_to_area(self, super().get_queryset())


class IssuingBodyField(RecordKeyField):
    """An organisation that may issue the decisions of the user's area: one of the area's,
    or of a unit above it (the province's standing committee for its wards)."""

    area_choices = "issuing_bodies"


class StringField(serializers.CharField):
    """Text that must come as a JSON string: DRF would store ``42`` as ``"42"``, but a number
    where the schema says string is a client's mistake worth telling (400)."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
