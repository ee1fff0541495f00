"""Seats of a post: each holder occupies a numbered seat, one holder per seat at a time.

The numbering lets PostgreSQL refuse more holders than seats with an exclusion constraint
on (post, seat, period); these functions pick the numbers, in memory first, then write
them without ever passing through a state the constraint would refuse.
"""

from __future__ import annotations

import datetime

from communes.models import Post
from rotation.models import Assignment


def overlaps(a: Assignment, b: Assignment) -> bool:
    a_end = a.end_date or datetime.date.max
    b_end = b.end_date or datetime.date.max
    return a.start_date <= b_end and b.start_date <= a_end


def allocate_seats(
    post: Post, new: list[Assignment]
) -> tuple[tuple[Assignment, datetime.date, list[Assignment]] | None, list[Assignment]]:
    """Number the seats of ``post`` so that no seat has two holders at once (in memory).

    Holders in place before the first new start date keep their seats; the others, new ones
    included, are seated in order of start date on the lowest free seat, which fits them
    whenever the number of holders on every day is within the seats. Returns the failure
    (one of ``new``, the day it finds the post full, the other holders that day) if the
    post is full, and the saved assignments whose seat number changed.
    """
    start = min(a.start_date for a in new)
    existing = list(
        Assignment.objects.overlapping(start, None)
        .filter(post=post)
        .exclude(pk__in=[a.pk for a in new if a.pk])
        .select_related("cadre")
    )
    free_after: dict[int, datetime.date] = dict.fromkeys(
        range(1, post.seats + 1), datetime.date.min
    )
    movable: list[Assignment] = []
    for assignment in existing:
        if assignment.start_date < start and 1 <= assignment.seat <= post.seats:
            free_after[assignment.seat] = max(
                free_after[assignment.seat], assignment.end_date or datetime.date.max
            )
        else:
            movable.append(assignment)
    moved: list[Assignment] = []
    for assignment in sorted(movable + new, key=lambda a: (a.start_date, a.pk is None, a.pk or 0)):
        seat = next(
            (s for s, until in sorted(free_after.items()) if until < assignment.start_date), None
        )
        if seat is None:
            day = assignment.start_date
            holders = [
                other
                for other in existing + new
                if other is not assignment
                and other.start_date <= day
                and (other.end_date is None or other.end_date >= day)
            ]
            if not _is_among(assignment, new):
                # A stored holder who starts later finds no seat: the new assignment is the
                # one in the way, and the stored holder is among those the post is held by.
                culprit = next((h for h in holders if _is_among(h, new)), None)
                if culprit is not None:
                    holders = [h for h in holders if h is not culprit] + [assignment]
                    assignment = culprit
            return (assignment, day, holders), []
        if assignment.pk and assignment.seat != seat:
            moved.append(assignment)
        assignment.seat = seat
        free_after[seat] = assignment.end_date or datetime.date.max
    return None, moved


def _is_among(assignment: Assignment, assignments: list[Assignment]) -> bool:
    return any(assignment is other for other in assignments)


def renumber(assignments: list[Assignment], *, reopen: set[int] = frozenset()) -> None:
    """Write new seat numbers (and reopenings) in two steps, so that no intermediate
    state has two holders on one seat: first to spare numbers above any real seat.

    The spare numbers live only inside the transaction: they are not kept in the history.
    The second step saves each assignment, so its history keeps the new seat (and the
    reopening) against the one before; ``assignments`` are as read in this transaction.
    """
    for offset, assignment in enumerate(assignments, start=1):
        Assignment.objects.filter(pk=assignment.pk).update(seat=1000 + offset)
    for assignment in assignments:
        fields = ["seat"]
        if assignment.pk in reopen:
            assignment.end_date = None
            assignment.closed_by = None
            fields += ["end_date", "closed_by"]
        assignment.save(update_fields=fields)
