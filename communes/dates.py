"""Date helpers shared by the apps: calendar months and the dd/mm/yyyy form people read."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole calendar months, clamped to the month's last day (31/01 + 1 → 28/02)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def months_end(start: datetime.date, months: int) -> datetime.date:
    """The last day of a period of ``months`` months that starts on ``start``."""
    end = add_months(start, months)
    return (
        end if end in (datetime.date.max, datetime.date.min) else end - datetime.timedelta(days=1)
    )


def dmy(day: datetime.date | None) -> str:
    """dd/mm/yyyy, the way Vietnamese records write dates; an empty string for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_iso_date(text: str) -> datetime.date:
    """A YYYY-MM-DD date; ``ValueError`` with a readable message otherwise."""
    try:
        return datetime.date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD.") from None
