"""The area rule: which records a user may see and change.

Each user is bound to one or more administrative units (``access.models.UserArea``). A
unit stands for its place over time, so a user's **visible units** are:

1. the units of their area and their earlier versions (the units they continue, through
   merges, renames and re-gradings: a user of Lê Hồ ward sees Lê Hồ, Đại Cương and Đồng
   Hóa communes, whose records the ward took over);
2. every unit below those, through the parent links of every version (Kim Bảng district's
   18 communes; Tân Tựu, whose parent is Kim Bảng town);
3. every later version of any of these (the successors after merges and re-gradings), and
   everything below those in turn: a user of Kim Bảng district still sees, after
   01/07/2025, the six wards of Ninh Bình that took over its communes, and Kim Bảng town.

The units a successor also took over from elsewhere are not included: a ward made of one
commune of the area and one of another district is visible, the other district's commune
is not. A unit that was split shares its history with every unit it was split into.

Nothing is visible to a user without an area (the secure default); superusers and members
of *Administrators* (``access.roles``) see every area.

What is "in the area", model by model (``Area.condition``):

- administrative units: the visible units; unit successions: when both ends are visible;
- organisations: their unit; posts: their organisation's unit; locality overrides: their unit;
- assignments: their post's unit;
- movements: the unit of the post taken, or of the post left;
  (for both, the copies of the posts' units they carry, ``Assignment.unit``,
  ``Movement.to_unit`` and ``Movement.from_unit``: one indexed column, no join);
- decisions: the unit of the issuing body, or any of their movements; a decision without
  movements yet also when its issuing body sits *above* the area (the province, whose
  standing committee issues the decisions about the wards): so that HR staff find the
  draft they have just started;
- cadres: anyone who ever held a post in the area (an assignment, void or not), is moved
  into or out of it by a movement, or whose hometown, birthplace or permanent residence is
  in it: a cadre HR staff have just recorded (with a place in the area) is found at once;
- roles and Party terms: shared catalogues, the same for every area.

Issuing bodies may be chosen among the organisations of the visible units and of the
units above them (``Area.issuing_bodies``): a district's decisions come from the province.

Anything outside the area answers as if it did not exist: 404 for a record asked by its
id, "does not exist" for an id given in a form or a request, an empty list for a filter.

The visible units are read in two queries (membership of *Administrators*, then one
recursive query) and kept on the request (``area_of``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from access.roles import ADMINISTRATORS

# The attribute of Django's request that keeps the area of its user.
REQUEST_ATTRIBUTE = "_access_area"


@dataclass(frozen=True)
class Area:
    """The units a user may see: ``unit_ids``, or every unit (``None``, administrators).

    ``above_ids`` are the units above the area (ancestors, over time, of the visible
    units): only their organisations, as issuing bodies of decisions, are ever shown.
    ``bound_ids`` are the units the user is bound to (``UserArea``), where the dashboards
    open.
    """

    user_id: int | None
    unit_ids: frozenset[int] | None
    above_ids: frozenset[int] = frozenset()
    bound_ids: frozenset[int] = frozenset()

    @property
    def unrestricted(self) -> bool:
        return self.unit_ids is None

    def has_unit(self, unit_id: int | None) -> bool:
        return unit_id is not None and (self.unit_ids is None or unit_id in self.unit_ids)

    @property
    def ids(self) -> list[int]:
        """The visible unit ids, sorted (for the SQL of a filter); only when restricted."""
        assert self.unit_ids is not None
        return sorted(self.unit_ids)

    # ------------------------------------------------------------------ filtering

    def condition(self, model: type[Model]) -> Q | None:
        """The condition on ``model``'s rows that are in the area; ``None``: no condition
        (an unrestricted area, or a shared catalogue). ``LookupError`` for a model the
        rule says nothing about, so that a new model cannot slip through unscoped."""
        label = model._meta.label_lower
        if label in SHARED:
            return None
        try:
            rule = RULES[label]
        except KeyError:
            raise LookupError(f"access.areas has no rule for {model._meta.label}") from None
        if self.unrestricted:
            return None
        return rule(self)

    def filter(self, queryset: QuerySet, *, also: Iterable[int] = ()) -> QuerySet:
        """``queryset`` limited to the area; ``also``: ids let through besides (the value a
        record already has, which a form or a PUT sends back unchanged)."""
        condition = self.condition(queryset.model)
        if condition is None:
            return queryset
        extra = [pk for pk in also if pk is not None]
        if extra:
            condition |= Q(pk__in=extra)
        elif not self.unit_ids:
            return queryset.none()
        return queryset.filter(condition)

    def issuing_bodies(self, queryset: QuerySet, *, also: Iterable[int] = ()) -> QuerySet:
        """Organisations that may issue the decisions of the area: those of the visible
        units and of the units above them."""
        if self.unrestricted:
            return queryset
        units = sorted(self.unit_ids | self.above_ids)
        extra = [pk for pk in also if pk is not None]
        return queryset.filter(Q(unit_id__in=units) | Q(pk__in=extra))

    def covers_decision(self, decision) -> bool:
        """Whether every line of ``decision`` is in the area: only then may the user
        change, issue, cancel or delete it (the other lines are not even shown to them)."""
        if self.unrestricted:
            return True
        from rotation.models import Movement

        outside = Movement.objects.filter(decision=decision).exclude(self.condition(Movement))
        return not outside.exists()


NOWHERE = Area(user_id=None, unit_ids=frozenset())


# --------------------------------------------------------------------------- rules by model


def _units(area: Area) -> Q:
    return Q(pk__in=area.ids)


def _successions(area: Area) -> Q:
    return Q(predecessor_id__in=area.ids, successor_id__in=area.ids)


def _by_unit(path: str) -> Callable[[Area], Q]:
    def rule(area: Area) -> Q:
        return Q(**{f"{path}__in": area.ids})

    return rule


def _movements(area: Area) -> Q:
    return Q(to_unit_id__in=area.ids) | Q(from_unit_id__in=area.ids)


def _decisions(area: Area) -> Q:
    from rotation.models import Movement

    lines = Movement.objects.filter(decision_id=OuterRef("pk"))
    return (
        Q(issuing_body__unit_id__in=area.ids)
        | Exists(lines.filter(_movements(area)))
        | (~Exists(lines) & Q(issuing_body__unit_id__in=sorted(area.unit_ids | area.above_ids)))
    )


def _cadres(area: Area) -> Q:
    from rotation.models import Assignment, Movement

    ids = area.ids
    return (
        Q(hometown_id__in=ids)
        | Q(birthplace_id__in=ids)
        | Q(permanent_residence_id__in=ids)
        | Exists(Assignment.objects.filter(cadre_id=OuterRef("pk"), unit_id__in=ids))
        | Exists(Movement.objects.filter(cadre_id=OuterRef("pk"), to_unit_id__in=ids))
    )


RULES: dict[str, Callable[[Area], Q]] = {
    "communes.administrativeunit": _units,
    "communes.unitsuccession": _successions,
    "communes.organisation": _by_unit("unit_id"),
    "communes.post": _by_unit("organisation__unit_id"),
    "cadres.cadre": _cadres,
    "cadres.localityoverride": _by_unit("unit_id"),
    "rotation.assignment": _by_unit("unit_id"),
    "rotation.movement": _movements,
    "rotation.decision": _decisions,
}
# The same for every area.
SHARED = frozenset({"communes.role", "rotation.term"})


def is_scoped(model: type[Model]) -> bool:
    """Whether the rule limits ``model`` to an area."""
    return model._meta.label_lower in RULES


def in_area(request, queryset: QuerySet) -> QuerySet:
    """``queryset`` limited to the area of the request's user; a shared catalogue as it is,
    without reading the area."""
    if queryset.model._meta.label_lower in SHARED:
        return queryset
    return area_of(request).filter(queryset)


# --------------------------------------------------------------------------- whose area


def is_administrator(user) -> bool:
    """Superusers and members of *Administrators* have every area (one query)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists()


def area_for(user) -> Area:
    """The area of ``user``, read from the database (two queries at most)."""
    if not user or not user.is_authenticated or not user.is_active:
        return NOWHERE
    if is_administrator(user):
        return Area(user_id=user.pk, unit_ids=None)
    bound, visible, above = visible_units_of(user.pk)
    return Area(
        user_id=user.pk,
        unit_ids=frozenset(visible),
        above_ids=frozenset(above - visible),
        bound_ids=frozenset(bound),
    )


def area_of(request) -> Area:
    """The area of the request's user, read once per request.

    Takes Django's request or DRF's (whose ``user`` may come from a token); kept on
    Django's request, for the user it was read for.
    """
    user = getattr(request, "user", None)
    holder = getattr(request, "_request", request)
    user_id = user.pk if user is not None and user.is_authenticated else None
    area = getattr(holder, REQUEST_ATTRIBUTE, None)
    if area is None or area.user_id != user_id:
        area = area_for(user)
        setattr(holder, REQUEST_ATTRIBUTE, area)
    return area


# From the area units and their predecessors (``earlier``), everything reached by "parent
# of" and "predecessor of" links (``within``), then the ancestors of all of that (``above``).
# The portable form, for SQLite:
PORTABLE_WALK = """
        edge(from_id, to_id) AS (
            SELECT parent_id, id FROM {units} WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT predecessor_id, successor_id FROM {links}
        ),
        within(unit_id) AS (
            SELECT unit_id FROM earlier
            UNION
            SELECT edge.to_id FROM edge JOIN within w ON edge.from_id = w.unit_id
        ),
        above(unit_id) AS (
            SELECT u.parent_id FROM {units} u JOIN within w ON u.id = w.unit_id
            WHERE u.parent_id IS NOT NULL
            UNION
            SELECT u.parent_id FROM {units} u JOIN above a ON u.id = a.unit_id
            WHERE u.parent_id IS NOT NULL
        )"""
# The same walk for PostgreSQL, which misjudges recursive queries by orders of magnitude: it
# sorted or hashed the whole units table at every step (a province's area: 50–80 ms on the
# national data). Here each step is a ``LATERAL`` lookup (fenced by ``OFFSET 0``, lest the
# planner turn it back into a join) that reads only the children, successors and parents
# of the units found; and ``UNION ALL``, since the links never loop back (successions go
# forward in time, parents up a three-level tree): ``UNION`` made PostgreSQL size a hash
# table for each step by its estimate, millions of rows, which alone took 15 ms. A unit
# reached twice is listed twice; the sets of ``visible_units_of`` keep it once. About 6 ms.
INDEXED_WALK = """
        within(unit_id) AS (
            SELECT unit_id FROM earlier
            UNION ALL
            SELECT next.id FROM within w CROSS JOIN LATERAL (
                SELECT id FROM {units} WHERE parent_id = w.unit_id
                UNION ALL
                SELECT successor_id FROM {links} WHERE predecessor_id = w.unit_id
            ) next
        ),
        above(unit_id) AS (
            SELECT up.parent_id FROM within w CROSS JOIN LATERAL (
                SELECT parent_id FROM {units} WHERE id = w.unit_id AND parent_id IS NOT NULL
                OFFSET 0
            ) up
            UNION ALL
            SELECT up.parent_id FROM above a CROSS JOIN LATERAL (
                SELECT parent_id FROM {units} WHERE id = a.unit_id AND parent_id IS NOT NULL
                OFFSET 0
            ) up
        )"""


def visible_units_of(user_id: int) -> tuple[set[int], set[int], set[int]]:
    """(bound unit ids, visible unit ids, ids of the units above them) for ``user_id``.

    One recursive query; the rule is the module's docstring: the area units and their
    predecessors, then everything reached from those by "parent of" and "predecessor of"
    links, then the ancestors of all of that.
    """
    from access.models import UserArea
    from communes.models import AdministrativeUnit, UnitSuccession

    units = AdministrativeUnit._meta.db_table
    links = UnitSuccession._meta.db_table
    areas = UserArea._meta.db_table
    walk = INDEXED_WALK if connection.vendor == "postgresql" else PORTABLE_WALK
    sql = f"""
        WITH RECURSIVE
        earlier(unit_id) AS (
            SELECT unit_id FROM {areas} WHERE user_id = %s
            UNION
            SELECT s.predecessor_id FROM {links} s JOIN earlier e ON s.successor_id = e.unit_id
        ),{walk.format(units=units, links=links)}
        SELECT 'b', unit_id FROM {areas} WHERE user_id = %s
        UNION ALL
        SELECT 'w', unit_id FROM within
        UNION ALL
        SELECT 'a', unit_id FROM above
    """
    found: dict[str, set[int]] = {"b": set(), "w": set(), "a": set()}
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id])
        for kind, unit_id in cursor.fetchall():
            found[kind].add(unit_id)
    return found["b"], found["w"], found["a"]
