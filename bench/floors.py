"""Hand-written SQL computing what the application computes: the floor of each benchmark.

Written straight against the tables, one statement each, with no ORM and no Python loop
over rows: what the database must do at least for the same answer. Each function returns
the values its benchmark compares with the application's (same keys, same numbers).

PostgreSQL's estimates of recursive CTEs (the units' lineages and areas) are off by orders
of magnitude, and with them it would hash-join whole tables. So the floors start from
the small sets (the communes of the day, the area's posts) and reach the big tables
through ``LATERAL`` subqueries fenced by ``OFFSET 0``, i.e. through their indexes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db import connection

from communes.models import COMMUNE_KINDS, DISTRICT_KINDS

COMMUNE = "('" + "','".join(COMMUNE_KINDS) + "')"
DISTRICT = "('" + "','".join(DISTRICT_KINDS) + "')"


def _valid(alias: str, day: str) -> str:
    return (
        f"({alias}.valid_from <= {day} AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= {day}))"
    )


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The unit of ``%(unit)s``, its earlier versions, and every unit below them (``area``).
AREA = """    lineage(id) AS (
        SELECT %(unit)s::bigint
        UNION
        SELECT s.predecessor_id FROM communes_unitsuccession s JOIN lineage l ON s.successor_id = l.id
    ),
    area(id) AS (
        SELECT id FROM lineage
        UNION
        SELECT u.id FROM communes_administrativeunit u JOIN area a ON u.parent_id = a.id
    )"""


# Every earlier version of each unit (through merges, renames and re-gradings).
BACK = """
    back(unit_id, other_id) AS (
        SELECT successor_id, predecessor_id FROM communes_unitsuccession
        UNION
        SELECT b.unit_id, s.predecessor_id
        FROM back b JOIN communes_unitsuccession s ON s.successor_id = b.other_id
    )"""


# The commune-level units within each root unit on each day: the children, valid that day,
# of the root and of its earlier versions, then the children of those that are districts
# (and of their earlier versions). The tree has at most three levels (province, district,
# commune-level unit), so two steps reach every commune.
WITHIN = f"""
    lineage(unit_id, version_id) AS MATERIALIZED (
        SELECT id, id FROM communes_administrativeunit WHERE kind NOT IN {COMMUNE}
        UNION ALL
        SELECT b.unit_id, b.other_id FROM back b
        JOIN communes_administrativeunit u ON u.id = b.unit_id AND u.kind NOT IN {COMMUNE}
    ),
    level1(day, root_id, unit_id, is_commune) AS MATERIALIZED (
        SELECT d.day, r.root_id, c.id, c.kind IN {COMMUNE}
        FROM unnest(%(days)s::date[]) AS d(day) CROSS JOIN unnest(%(roots)s::bigint[]) AS r(root_id)
        JOIN lineage l ON l.unit_id = r.root_id
        JOIN communes_administrativeunit c ON c.parent_id = l.version_id AND {_valid("c", "d.day")}
    ),
    communes(day, root_id, unit_id) AS MATERIALIZED (
        SELECT day, root_id, unit_id FROM level1 WHERE is_commune
        UNION
        SELECT w.day, w.root_id, c.id FROM level1 w
        JOIN lineage l ON l.unit_id = w.unit_id
        JOIN communes_administrativeunit c ON c.parent_id = l.version_id
            AND c.kind IN {COMMUNE} AND {_valid("c", "w.day")}
        WHERE NOT w.is_commune
    )"""


def non_local(
    *, days: Sequence[datetime.date], roots: Sequence[int], roles: Sequence[str]
) -> dict[tuple, tuple[int, int, int]]:
    """For each day, root unit and role: (commune-level units, units held, units with a
    non-local holder), the units being those within the root that day (following the
    earlier versions of every parent), a unit non-local when any holder is."""
    bases = [f"{base}_id" for base in settings.CADRE_LOCALITY_BASES]
    places = ", ".join(f"cd.{base}" for base in bases)
    conditions = " OR ".join(
        f"COALESCE(h.{base} = h.unit_id OR (NOT {_valid(base[:2] + 'u', 'h.day')}"
        f" AND EXISTS (SELECT 1 FROM related r WHERE r.unit_id = h.{base}"
        f" AND r.other_id = h.unit_id)), false)"
        for base in bases
    )
    validity = "".join(
        f" LEFT JOIN communes_administrativeunit {base[:2]}u ON {base[:2]}u.id = h.{base}"
        for base in bases
    )
    needed = " UNION ".join(
        f"SELECT h.{base} FROM holders h JOIN communes_administrativeunit u ON u.id = h.{base}"
        f" WHERE NOT {_valid('u', 'h.day')}"
        for base in bases
    )
    # The estimates of recursive CTEs are far off: the holders are read commune by commune
    # (LATERAL, by the indexes), and the successions are followed only from the places
    # that no longer exist on the day (and the units of HR's overrides).
    sql = f"""
    WITH RECURSIVE {BACK},
    {WITHIN},
    holders AS MATERIALIZED (
        SELECT c.day, c.root_id, c.unit_id, h.role, h.cadre_id, {places}
        FROM (SELECT DISTINCT unit_id FROM communes) u CROSS JOIN LATERAL (
            SELECT r.code AS role, a.cadre_id, a.start_date, a.end_date
            FROM communes_organisation o
            JOIN communes_post p ON p.organisation_id = o.id
            JOIN communes_role r ON r.id = p.role_id
            JOIN rotation_assignment a ON a.post_id = p.id
            WHERE o.unit_id = u.unit_id AND r.code = ANY(%(roles)s) AND NOT a.is_void
                AND a.start_date <= %(last)s AND (a.end_date IS NULL OR a.end_date >= %(first)s)
            OFFSET 0
        ) h
        JOIN communes c ON c.unit_id = u.unit_id
            AND h.start_date <= c.day AND (h.end_date IS NULL OR h.end_date >= c.day)
        JOIN cadres_cadre cd ON cd.id = h.cadre_id
    ),
    overridden AS MATERIALIZED (SELECT DISTINCT cadre_id FROM cadres_localityoverride),
    needed(unit_id) AS MATERIALIZED (
        {needed} UNION SELECT unit_id FROM cadres_localityoverride
    ),
    fwd_n(unit_id, other_id) AS (
        SELECT predecessor_id, successor_id FROM communes_unitsuccession
        WHERE predecessor_id IN (SELECT unit_id FROM needed)
        UNION
        SELECT f.unit_id, s.successor_id
        FROM fwd_n f JOIN communes_unitsuccession s ON s.predecessor_id = f.other_id
    ),
    back_n(unit_id, other_id) AS (
        SELECT successor_id, predecessor_id FROM communes_unitsuccession
        WHERE successor_id IN (SELECT unit_id FROM needed)
        UNION
        SELECT b.unit_id, s.predecessor_id
        FROM back_n b JOIN communes_unitsuccession s ON s.successor_id = b.other_id
    ),
    related AS MATERIALIZED (SELECT * FROM fwd_n UNION SELECT * FROM back_n),
    judged AS (
        SELECT h.day, h.root_id, h.unit_id, h.role, COALESCE(
            CASE WHEN h.cadre_id IN (SELECT cadre_id FROM overridden) THEN
                (SELECT ov.is_local FROM cadres_localityoverride ov
                 JOIN communes_administrativeunit ou ON ou.id = ov.unit_id
                 WHERE ov.cadre_id = h.cadre_id AND (ov.unit_id = h.unit_id OR (
                     NOT {_valid("ou", "h.day")} AND EXISTS (SELECT 1 FROM related r
                     WHERE r.unit_id = ov.unit_id AND r.other_id = h.unit_id)))
                 ORDER BY ov.id LIMIT 1)
            END,
            {conditions}
        ) AS is_local
        FROM holders h {validity}
    ),
    standing AS (
        SELECT day, root_id, unit_id, role, bool_and(is_local) AS local
        FROM judged GROUP BY day, root_id, unit_id, role
    ),
    totals AS (
        SELECT d.day, r.root_id, count(c.unit_id) AS units
        FROM unnest(%(days)s::date[]) AS d(day) CROSS JOIN unnest(%(roots)s::bigint[]) AS r(root_id)
        LEFT JOIN communes c ON c.day = d.day AND c.root_id = r.root_id
        GROUP BY d.day, r.root_id
    )
    SELECT t.day, t.root_id, r.role, t.units, count(s.unit_id),
        count(s.unit_id) FILTER (WHERE NOT s.local)
    FROM totals t CROSS JOIN unnest(%(roles)s::text[]) AS r(role)
    LEFT JOIN standing s ON s.day = t.day AND s.root_id = t.root_id AND s.role = r.role
    GROUP BY t.day, t.root_id, r.role, t.units
    """
    params = {"days": list(days), "roots": list(roots), "roles": list(roles)}
    rows = _rows(sql, {**params, "first": min(days), "last": max(days)})
    return {(day, root, role): (units, held, non) for day, root, role, units, held, non in rows}


def movements(*, unit_id: int, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The counts of the movement report: total, by direction, kind, field, gender, age band."""
    sql = f"""
    WITH RECURSIVE
{AREA},
    picked(id) AS MATERIALIZED (
        SELECT mv.id FROM area CROSS JOIN LATERAL (
            SELECT id FROM rotation_movement
            WHERE to_unit_id = area.id AND effective_date BETWEEN %(start)s AND %(end)s
            OFFSET 0
        ) mv
        UNION
        SELECT mv.id FROM area CROSS JOIN LATERAL (
            SELECT id FROM rotation_movement
            WHERE from_unit_id = area.id AND effective_date BETWEEN %(start)s AND %(end)s
            OFFSET 0
        ) mv
    ),
    m AS MATERIALIZED (
        SELECT x.* FROM picked pk CROSS JOIN LATERAL (
        SELECT mv.kind, cd.gender,
            extract(year FROM age(mv.effective_date, cd.date_of_birth)) < 35 AS young,
            CASE
                WHEN mv.from_assignment_id IS NULL THEN 'other'
                WHEN fu.kind IN {DISTRICT} AND tu.kind IN {COMMUNE} THEN 'district_to_commune'
                WHEN fu.kind IN {COMMUNE} AND tu.kind IN {DISTRICT} THEN 'commune_to_district'
                WHEN fu.kind IN {COMMUNE} AND tu.kind IN {COMMUNE} AND fu.id <> tu.id
                    THEN 'commune_to_commune'
                WHEN fu.kind IN {DISTRICT} AND tu.kind IN {DISTRICT} AND fu.id = tu.id
                    THEN 'within_district'
                ELSE 'other'
            END AS direction,
            CASE WHEN fu.kind IN {COMMUNE} AND tu.kind IN {DISTRICT} THEN fr.field ELSE tr.field
            END AS field
        FROM rotation_movement mv
        JOIN rotation_decision d ON d.id = mv.decision_id AND d.status = 'issued'
        JOIN cadres_cadre cd ON cd.id = mv.cadre_id
        JOIN communes_post tp ON tp.id = mv.to_post_id
        JOIN communes_role tr ON tr.id = tp.role_id
        JOIN communes_organisation tor ON tor.id = tp.organisation_id
        JOIN communes_administrativeunit tu ON tu.id = tor.unit_id
        LEFT JOIN rotation_assignment fa ON fa.id = mv.from_assignment_id
        LEFT JOIN communes_post fp ON fp.id = fa.post_id
        LEFT JOIN communes_role fr ON fr.id = fp.role_id
        LEFT JOIN communes_organisation fo ON fo.id = fp.organisation_id
        LEFT JOIN communes_administrativeunit fu ON fu.id = fo.unit_id
        WHERE mv.id = pk.id
        OFFSET 0
        ) x
    )
    SELECT 'total', count(*) FROM m
    UNION ALL SELECT 'direction:' || direction, count(*) FROM m GROUP BY direction
    UNION ALL SELECT 'kind:' || kind, count(*) FROM m GROUP BY kind
    UNION ALL SELECT 'field:' || field, count(*) FROM m WHERE field <> '' GROUP BY field
    UNION ALL SELECT 'gender:' || gender, count(*) FROM m GROUP BY gender
    UNION ALL SELECT 'young', count(*) FROM m WHERE young
    """
    rows = _rows(sql, {"unit": unit_id, "start": start, "end": end})
    return {key: count for key, count in rows if count}


# The units a user sees (access.areas.visible_units_of, the same rule written once more).
VISIBLE = """
    earlier(unit_id) AS (
        SELECT unit_id FROM access_userarea WHERE user_id = %(user)s
        UNION
        SELECT s.predecessor_id FROM communes_unitsuccession s
        JOIN earlier e ON s.successor_id = e.unit_id
    ),
    edge(from_id, to_id) AS (
        SELECT parent_id, id FROM communes_administrativeunit WHERE parent_id IS NOT NULL
        UNION ALL
        SELECT predecessor_id, successor_id FROM communes_unitsuccession
    ),
    visible(unit_id) AS (
        SELECT unit_id FROM earlier
        UNION
        SELECT edge.to_id FROM edge JOIN visible v ON edge.from_id = v.unit_id
    )
"""


def assignments_page(*, user_id: int | None, before: int | None, size: int) -> list[int]:
    """The ids of one page of assignments in the user's area (None: every area), newest
    first, with the columns the API answers (cadre's name, post's role and organisation)."""
    # The visible ids as one array (an InitPlan), as the application passes them.
    area = "AND a.unit_id = ANY(ARRAY(SELECT unit_id FROM visible))" if user_id else ""
    after = "AND a.id < %(before)s" if before else ""
    # For an area, the area's rows by the index on (unit, id), then sorted: by the key
    # PostgreSQL would walk every newer row of the table (config.api.pagination).
    order = "a.id + 0" if user_id else "a.id"
    sql = f"""
    WITH RECURSIVE {VISIBLE}
    SELECT a.id, a.cadre_id, c.full_name, a.post_id, r.code, r.name, o.name, o.unit_id,
        a.seat, a.start_date, a.end_date, a.principal, a.opened_by_id, a.closed_by_id,
        a.end_reason, a.is_void
    FROM rotation_assignment a
    JOIN communes_post p ON p.id = a.post_id
    JOIN communes_organisation o ON o.id = p.organisation_id
    JOIN communes_role r ON r.id = p.role_id
    JOIN cadres_cadre c ON c.id = a.cadre_id
    WHERE true {after} {area}
    ORDER BY {order} DESC LIMIT %(size)s
    """
    rows = _rows(sql, {"user": user_id or 0, "before": before, "size": size})
    return [row[0] for row in rows]


def name_search(*, words: Sequence[str], user_id: int | None, size: int) -> tuple[int, list]:
    """(matches, first page as (folded name, date of birth)) of cadres whose folded name
    holds every word, among those of the user's area (None: every area)."""
    like = " AND ".join("c.full_name_folded LIKE %(w" + str(i) + ")s" for i in range(len(words)))
    params: dict = {f"w{i}": f"%{word}%" for i, word in enumerate(words)}
    params.update({"user": user_id or 0, "size": size})
    # access.areas._cadres: a place in the area, or a post held or taken there.
    area = "" if user_id is None else "AND c.id IN (SELECT id FROM area_cadres)"
    sql = f"""
    WITH RECURSIVE {VISIBLE},
    area_cadres(id) AS MATERIALIZED (
        SELECT id FROM cadres_cadre WHERE hometown_id IN (SELECT unit_id FROM visible)
        UNION SELECT id FROM cadres_cadre WHERE birthplace_id IN (SELECT unit_id FROM visible)
        UNION SELECT id FROM cadres_cadre
            WHERE permanent_residence_id IN (SELECT unit_id FROM visible)
        UNION SELECT cadre_id FROM rotation_assignment
            WHERE unit_id IN (SELECT unit_id FROM visible)
        UNION SELECT cadre_id FROM rotation_movement
            WHERE to_unit_id IN (SELECT unit_id FROM visible)
    ),
    hits AS (
        SELECT c.id, c.full_name_folded, c.date_of_birth FROM cadres_cadre c
        WHERE {like} {area}
    )
    SELECT (SELECT count(*) FROM hits), h.full_name_folded, h.date_of_birth
    FROM (SELECT * FROM hits ORDER BY full_name_folded, date_of_birth LIMIT %(size)s) h
    ORDER BY h.full_name_folded, h.date_of_birth
    """
    rows = _rows(sql, params)
    if not rows:
        return 0, []
    return rows[0][0], [(name, born) for _count, name, born in rows]


def due_returns(*, unit_id: int, day: datetime.date, within_days: int) -> tuple[int, int]:
    """(due, overdue): rotations and secondments into the area still held on ``day``, not
    returned by then, planned to end by ``day + within_days`` (overdue: before ``day``)."""
    sql = f"""
    WITH RECURSIVE
{AREA}
    SELECT count(*) FILTER (WHERE m.planned_end >= %(day)s),
        count(*) FILTER (WHERE m.planned_end < %(day)s)
    FROM area CROSS JOIN LATERAL (
        SELECT m.id, m.planned_end FROM rotation_movement m
        JOIN rotation_decision d ON d.id = m.decision_id AND d.status = 'issued'
        WHERE m.to_unit_id = area.id AND m.kind IN ('rotation', 'secondment')
            AND m.planned_end <= %(day)s::date + %(within)s
            AND EXISTS (SELECT 1 FROM rotation_assignment a WHERE a.opened_by_id = m.id
                AND NOT a.is_void AND a.start_date <= %(day)s
                AND (a.end_date IS NULL OR a.end_date >= %(day)s))
            AND NOT EXISTS (SELECT 1 FROM rotation_movement r
                JOIN rotation_decision rd ON rd.id = r.decision_id AND rd.status = 'issued'
                WHERE r.returns_from_id = m.id AND r.effective_date <= %(day)s)
        OFFSET 0
    ) m
    """
    return tuple(_rows(sql, {"unit": unit_id, "day": day, "within": within_days})[0])


def vacant_key_seats(*, unit_id: int, day: datetime.date) -> tuple[int, int]:
    """(posts, seats): key posts of the unit and the units within it that day with fewer
    holders that day than seats, and how many seats are vacant."""
    sql = f"""
    WITH RECURSIVE {BACK},
    {WITHIN},
    units(unit_id) AS (
        SELECT %(unit)s::bigint UNION SELECT unit_id FROM level1 UNION SELECT unit_id FROM communes
    ),
    posts AS (
        SELECT p.seats, (SELECT count(*) FROM rotation_assignment a WHERE a.post_id = p.id
            AND NOT a.is_void AND a.start_date <= %(day)s
            AND (a.end_date IS NULL OR a.end_date >= %(day)s)) AS held
        FROM units CROSS JOIN LATERAL (
            SELECT p.id, p.seats FROM communes_organisation o
            JOIN communes_post p ON p.organisation_id = o.id
            JOIN communes_role r ON r.id = p.role_id AND r.is_key
            WHERE o.unit_id = units.unit_id
              AND {_valid("p", "%(day)s")} AND {_valid("o", "%(day)s")}
            OFFSET 0
        ) p
    )
    SELECT count(*), coalesce(sum(seats - held), 0) FROM posts WHERE held < seats
    """
    params = {"unit": unit_id, "day": day, "days": [day], "roots": [unit_id]}
    return tuple(_rows(sql, params)[0])
