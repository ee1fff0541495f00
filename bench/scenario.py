"""What the benchmarks look at: a day, a term, the largest province and district, and
the accounts that read them. Chosen from the data, so that the same benchmarks run on the
Kim Bảng records and on a national synthetic database."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.db import connection

from access.accounts import account_set
from access.roles import ADMIN, API, OFFICIAL
from communes.models import COMMUNE_KINDS, DISTRICT_KINDS, PROVINCE_KINDS, AdministrativeUnit
from reports.selectors import current_term_period

# Mid-term of 2020–2025, the day of the press report the Kim Bảng records reproduce.
DEFAULT_DAY = "2023-06-30"


def _kinds(kinds) -> str:
    return "('" + "','".join(kinds) + "')"


def _largest(kinds, day: datetime.date, parent_id: int | None = None) -> AdministrativeUnit:
    """The unit of ``kinds`` valid on ``day`` with the most commune-level units below it
    (children and grandchildren, by the parent links of the day)."""
    valid = "{a}.valid_from <= %(day)s AND ({a}.valid_to IS NULL OR {a}.valid_to >= %(day)s)"
    sql = f"""
        SELECT u.id FROM communes_administrativeunit u
        WHERE u.kind IN {_kinds(kinds)} AND {valid.format(a="u")}
          AND (%(parent)s::bigint IS NULL OR u.parent_id = %(parent)s)
        ORDER BY (
            SELECT count(*) FROM communes_administrativeunit c
            LEFT JOIN communes_administrativeunit m ON m.id = c.parent_id
            WHERE c.kind IN {_kinds(COMMUNE_KINDS)} AND {valid.format(a="c")}
              AND (c.parent_id = u.id OR m.parent_id = u.id)
        ) DESC, u.code
        LIMIT 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"day": day, "parent": parent_id})
        row = cursor.fetchone()
    if row is None:
        raise SystemExit(f"No unit of kinds {kinds} on {day}: is the database filled?")
    return AdministrativeUnit.objects.get(pk=row[0])


@dataclass
class Scenario:
    day: datetime.date
    term: tuple[datetime.date, datetime.date]
    province: AdministrativeUnit
    district: AdministrativeUnit
    admin: object
    api_client: object  # an API client of the province
    api_token: str
    official: object  # an official of the district

    @classmethod
    def build(cls) -> Scenario:
        day = datetime.date.fromisoformat(os.environ.get("BENCH_DATE", DEFAULT_DAY))
        province = _largest(PROVINCE_KINDS, day)
        try:
            district = _largest(DISTRICT_KINDS, day, parent_id=province.pk)
        except SystemExit:  # after 01/07/2025 there are no districts: the province, then
            district = province
        api = account_set(username="bench-api", role=API, units=[province])
        return cls(
            day=day,
            term=current_term_period(day),
            province=province,
            district=district,
            admin=account_set(username="bench-admin", role=ADMIN, units=[]).user,
            api_client=api.user,
            api_token=api.token,
            official=account_set(username="bench-official", role=OFFICIAL, units=[district]).user,
        )

    def describe(self) -> str:
        return (
            f"day {self.day}, term {self.term[0]}–{self.term[1]}, "
            f"province {self.province.name} ({self.province.code}), "
            f"district {self.district.name} ({self.district.code})"
        )
