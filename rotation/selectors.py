"""Reads of the rotation records shared by the admin, the dashboards and the API."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cadres.models import Cadre
from rotation.models import Assignment, DecisionStatus, Movement


def cadre_assignments(cadre: Cadre) -> QuerySet[Assignment]:
    """Every post the cadre held or holds, void ones included, by start: one query."""
    return (
        Assignment.objects.filter(cadre=cadre)
        .select_related(
            "post__role",
            "post__organisation__unit",
            "opened_by__decision",
            "closed_by__decision",
        )
        .order_by("start_date", "pk")
    )


def cadre_movements(cadre: Cadre, *, drafts: bool = True) -> QuerySet[Movement]:
    """Every movement of the cadre with its direction, in the order they take effect: one
    query. ``drafts=False`` leaves out the lines of draft decisions (not yet happened)."""
    movements = Movement.objects.with_direction().filter(cadre=cadre)
    if not drafts:
        movements = movements.filter(~Q(decision__status=DecisionStatus.DRAFT))
    return movements.select_related(
        "decision",
        "to_post__role",
        "to_post__organisation__unit",
        "from_assignment__post__role",
        "from_assignment__post__organisation__unit",
    ).order_by("effective_date", "decision__signed_on", "position", "pk")
