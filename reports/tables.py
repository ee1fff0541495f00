"""The tables of the dashboard pages: one definition for the page, the CSV and the Excel file.

Each page turns the selectors' results into ``Table``s; its template shows them and
``?export=csv&table=<name>`` (or ``export=xlsx``) sends the same rows as a file
(``reports.exports``), so that a page and its exports never disagree.

A cell is a plain value (text, a whole number, a date, a share between 0 and 1 in a
``PERCENT`` column, or None for "nothing"), a ``Link``, a ``Badge``, or a tuple of those
for a post with several holders. The page renders links and badges; the files keep their
text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from communes.dates import dmy

TEXT = "text"
NUMBER = "number"
DATE = "date"
PERCENT = "percent"
CODE = "code"  # text kept on one line: decision numbers


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


@dataclass(frozen=True)
class Link:
    """A value (a name, or a count in a ``NUMBER`` column) that links to another page."""

    text: str | int
    href: str

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Badge:
    """A standing such as "non-local", with what it rests on ("hometown")."""

    text: str
    tone: str  # CSS modifier: non-local, local, vacant, overdue, due, void
    note: str = ""

    def __str__(self) -> str:
        return f"{self.text} ({self.note})" if self.note else self.text


@dataclass(frozen=True)
class Row:
    cells: tuple
    id: str = ""  # a stable element id for the row, when people (or tests) point at it
    tone: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table; ``name`` is what ``?table=`` calls it and its element id's stem."""

    name: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str = ""  # what the page says instead of an empty table

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"Table {self.name}: a row has {len(row.cells)} cells.")

    @property
    def html_id(self) -> str:
        return f"table-{self.name}"


def rows(values: Iterable[tuple]) -> tuple[Row, ...]:
    return tuple(Row(tuple(cells)) for cells in values)


def percent_text(share: float | None) -> str:
    """44,4% in Vietnamese, 44.4% in English; a dash for no share."""
    if share is None:
        return "—"
    # Rounded half up here: number_format alone would cut 5.55…% to 5.5%.
    value = (Decimal(str(share)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(value, 1, use_l10n=True)}%"


def number_text(value: int | None) -> str:
    """A whole number grouped the local way: 1.234 in Vietnamese."""
    if value is None:
        return "—"
    return number_format(value, use_l10n=True, force_grouping=True)


def plain_text(value, kind: str = TEXT) -> str:
    """The text of a cell, as a CSV file or a screen reader reads it."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "; ".join(plain_text(part, kind) for part in value)
    if isinstance(value, Link):
        value = value.text
    if kind == PERCENT:
        return percent_text(value)
    if isinstance(value, datetime.date):
        return dmy(value)
    return str(value)
