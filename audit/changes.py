"""The entries of a record's history as people and programs read them: what changed, from
what to what, by whom, when, from where and why. The admin's history page and the API's
``…/history/`` read them from here, so both always say the same.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CREATED, CHANGED, DELETED = "+", "~", "-"
TYPE_NAMES = {CREATED: "created", CHANGED: "changed", DELETED: "deleted"}
TYPE_LABELS = {
    CREATED: pgettext_lazy("history entry", "created"),
    CHANGED: pgettext_lazy("history entry", "changed"),
    DELETED: pgettext_lazy("history entry", "deleted"),
}


@dataclass
class Change:
    """One field of the record: its value before the change and after it (None: none)."""

    field: models.Field
    before: Any
    after: Any

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def label(self) -> str:
        return str(self.field.verbose_name)


@dataclass
class Entry:
    """One historical row of a record, with the fields it changed."""

    record: models.Model  # the historical row (simple-history)
    changes: list[Change] = field(default_factory=list)

    @property
    def type(self) -> str:
        return TYPE_NAMES[self.record.history_type]

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.record.history_type])

    @property
    def user_id(self) -> int | None:
        return self.record.history_user_id

    @property
    def username(self) -> str:
        user = self.record.history_user
        return user.get_username() if user is not None else self.record.history_username

    @property
    def reason(self) -> str | None:
        return self.record.history_change_reason or None

    @property
    def origin(self) -> str:
        """Where the change came from, in a few words: ``PATCH /api/v1/units/3/ (10.0.0.7)``
        or ``manage.py load_demo``."""
        record = self.record
        if record.request_method:
            address = f" ({record.ip_address})" if record.ip_address else ""
            return f"{record.request_method} {record.request_path}{address}"
        if record.command:
            return f"manage.py {record.command}"
        return ""


def history_of(model: type[models.Model], pk) -> models.QuerySet:
    """The history rows of the record ``pk`` of ``model`` (deleted or not), newest first,
    with their users."""
    return model.history.filter(**{model._meta.pk.attname: pk}).select_related("history_user")


def shown_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields a history shows: all the record's, but its id (the history is the
    record's) and the search keys derived from another field (their change is the other
    field's)."""
    from communes.fields import FoldedCharField

    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, FoldedCharField)
    ]


def entries(
    model: type[models.Model], records: list[models.Model], older: models.Model | None
) -> list[Entry]:
    """The entries of ``records`` (one record's history rows, newest first); ``older`` is
    the row just before the last of them, if any, to say what the last one changed.

    A creation lists every field that has a value (before: none), a deletion every field
    that had one (after: none), a change the fields whose value differs from the row before.
    """
    fields = shown_fields(model)
    found = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else older
        found.append(Entry(record, _changes(fields, record, previous)))
    return found


def _changes(fields, record, previous) -> list[Change]:
    if record.history_type == DELETED:
        values = [(f, getattr(record, f.attname)) for f in fields]
        return [Change(f, value, None) for f, value in values if value not in (None, "")]
    if record.history_type == CREATED or previous is None:
        values = [(f, getattr(record, f.attname)) for f in fields]
        return [Change(f, None, value) for f, value in values if value not in (None, "")]
    changes = []
    for f in fields:
        before, after = getattr(previous, f.attname), getattr(record, f.attname)
        if before != after:
            changes.append(Change(f, before, after))
    return changes


def mask(model: type[models.Model], entries_: list[Entry], user) -> None:
    """Show each value as ``user`` may see it: a model names, in ``history_masks``, the
    fields some readers see only in part ({field name: function(user, value)})."""
    masks = getattr(model, "history_masks", {})
    if not masks:
        return
    for entry in entries_:
        for change in entry.changes:
            shown = masks.get(change.name)
            if shown is not None:
                change.before = shown(user, change.before)
                change.after = shown(user, change.after)


def json_value(value: Any) -> Any:
    """A value as the API answers it: dates in ISO 8601, numbers and text as they are."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


class Display:
    """Values as people read them on the history page: the label of a choice, the name of
    a related record, dd/mm/yyyy dates. Related records are read once per model and page."""

    def __init__(self, entries_: list[Entry]) -> None:
        wanted: dict[type[models.Model], set] = {}
        for entry in entries_:
            for change in entry.changes:
                if change.field.is_relation:
                    ids = wanted.setdefault(change.field.related_model, set())
                    ids.update(v for v in (change.before, change.after) if v is not None)
        self.related = {
            # select_related(): the names of related records often name their own relations.
            model: model._default_manager.select_related().in_bulk(ids)
            for model, ids in wanted.items()
            if ids
        }

    def __call__(self, change: Change, value: Any) -> str:
        if value is None or value == "":
            return "—"
        f = change.field
        if f.is_relation:
            related = self.related.get(f.related_model, {}).get(value)
            return str(related) if related is not None else f"#{value}"
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return str(value)
