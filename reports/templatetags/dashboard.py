"""Template helpers of the dashboards: cells of ``reports.tables``, numbers the local way."""

from __future__ import annotations

import datetime

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from communes.dates import dmy
from reports.tables import CODE, NUMBER, PERCENT, TEXT, Badge, Link, number_text, percent_text

register = template.Library()

NOTHING = mark_safe('<span class="none">—</span>')


@register.simple_tag
def cell(value, column):
    """One cell of a table as HTML: links, badges, dates dd/mm/yyyy, numbers 1.234, 44,4%."""
    kind = getattr(column, "kind", TEXT)
    if isinstance(value, tuple):
        return format_html_join(mark_safe("<br>"), "{}", ((cell(part, column),) for part in value))
    if value is None:
        return NOTHING
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.href, cell(value.text, column))
    if isinstance(value, Badge):
        if value.note:
            return format_html(
                '<span class="badge badge-{}">{}</span> <span class="basis">({})</span>',
                value.tone,
                value.text,
                value.note,
            )
        return format_html('<span class="badge badge-{}">{}</span>', value.tone, value.text)
    if kind == PERCENT:
        return percent_text(value)
    if isinstance(value, datetime.date):
        return dmy(value)
    if kind == NUMBER and isinstance(value, int):
        return number_text(value)
    return value


@register.filter
def vn_number(value):
    """1.234 in Vietnamese, 1,234 in English."""
    return number_text(value)


@register.filter
def percent(value):
    return percent_text(value)


@register.filter
def ddmmyyyy(value):
    return dmy(value)


@register.filter
def cell_class(column) -> str:
    """The CSS class of a column's cells: numbers align right, codes stay on one line."""
    if column.kind in (NUMBER, PERCENT):
        return "num"
    return "nowrap" if column.kind == CODE else ""


@register.filter
def at(sequence, index: int):
    return sequence[index]
