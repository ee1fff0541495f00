"""Writes of many rows at once that keep the history of each row.

``QuerySet.update()`` and ``bulk_create()`` send no signal, so simple-history would not see
them; the services use these instead. They write the rows in one statement (per batch) and
their history rows in another, with the same who, why and from where as a row saved one by
one (see ``audit.context``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audit.context import current_reason, current_user, origin


def bulk_create(objs: Iterable[models.Model]) -> list[models.Model]:
    """``Model.objects.bulk_create(objs)``, and a "created" history row for each."""
    objs = list(objs)
    if not objs:
        return []
    return bulk_create_with_history(
        objs,
        type(objs[0]),
        default_change_reason=current_reason(),
        custom_historical_attrs=origin(current_user()),
    )


def bulk_update(objs: Sequence[models.Model], fields: Sequence[str]) -> int:
    """``Model.objects.bulk_update(objs, fields)``, and a "changed" history row for each.

    The history row copies every field of the instance: ``objs`` must be read from the
    database (in this transaction) with only ``fields`` changed since.
    """
    objs = list(objs)
    if not objs:
        return 0
    return bulk_update_with_history(
        objs,
        type(objs[0]),
        list(fields),
        default_change_reason=current_reason(),
        custom_historical_attrs=origin(current_user()),
    )
