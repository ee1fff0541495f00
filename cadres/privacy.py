"""Who sees a cadre's personal identification number, and what the others see.

The number (CCCD) is shown in full only to accounts with the permission
``cadres.view_personal_id`` (HR staff); everyone else — in the admin, the API, anywhere it
is shown — sees its last three digits (``•••••••••567``), cannot search by it, and cannot
change a recorded number they cannot read. The logs never carry it (``config.logs``).
"""

from __future__ import annotations

PERMISSION = "cadres.view_personal_id"
MASK = "•"
SHOWN_DIGITS = 3


def can_see_personal_id(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


def mask_personal_id(value: str | None) -> str | None:
    """``001203004567`` → ``•••••••••567``; no number stays no number."""
    if not value:
        return value
    return MASK * max(len(value) - SHOWN_DIGITS, 0) + value[-SHOWN_DIGITS:]


def personal_id_for(user, value: str | None) -> str | None:
    """The number as ``user`` may see it."""
    return value if can_see_personal_id(user) else mask_personal_id(value)
