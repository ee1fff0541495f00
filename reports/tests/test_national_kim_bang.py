"""The national table on the Kim Bảng records (``load_demo``, loaded once for the module):
each province of the day, before and after the 2025 merge, counts what its own report counts.
"""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from communes.models import PROVINCE_KINDS, AdministrativeUnit
from reports.selectors import national_non_local
from reports.tests.test_national import figures_of_each_province, figures_of_the_table

D = datetime.date


@pytest.mark.parametrize(
    "day",
    [D(2020, 10, 1), D(2023, 6, 30), D(2025, 6, 30), D(2025, 8, 1)],
    ids=["term start", "mid-term", "eve of the merge", "after the merge"],
)
def test_each_province_counts_what_its_own_report_counts(kim_bang, db, day):
    table = national_non_local(day=day)

    expected = figures_of_each_province(day)
    assert figures_of_the_table(table) == expected
    # Not a table of zeros: the records hold non-local secretaries on every one of these days.
    assert table.totals.non_local["party_secretary"] > 0
    assert table.totals.units_total == sum(units for units, _held, _non in expected.values())


def test_the_provinces_are_those_of_the_day_in_code_order(kim_bang, db):
    before = national_non_local(day=D(2025, 6, 30))
    after = national_non_local(day=D(2025, 8, 1))

    def codes(day):
        return sorted(
            AdministrativeUnit.objects.valid_on(day)
            .filter(kind__in=PROVINCE_KINDS)
            .values_list("code", flat=True)
        )

    assert [row.unit.code for row in before.provinces] == codes(D(2025, 6, 30))
    assert [row.unit.code for row in after.provinces] == codes(D(2025, 8, 1))
    assert codes(D(2025, 6, 30)) != codes(D(2025, 8, 1))  # the merge changed the provinces


# --------------------------------------------------------------------------- manage.py report national


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("report", "national", *args, "--language", "en", stdout=out)
    return out.getvalue()


def test_the_command_prints_the_table_as_json(kim_bang, db):
    printed = json.loads(run("--date", "2023-06-30", "--format", "json"))

    with translation.override("en"):
        assert printed == national_non_local(day=D(2023, 6, 30)).to_dict()


def test_the_command_prints_a_line_per_province_and_the_totals(kim_bang, db):
    table = national_non_local(day=D(2023, 6, 30), role_codes=["party_secretary"])

    text = run("--date", "2023-06-30", "--role", "party_secretary")

    rows = {line.split("|")[0].strip(): line for line in text.splitlines() if "|" in line}
    for row in table.provinces:
        cells = [cell.strip() for cell in rows[row.unit.code].split("|")]
        units = row.units_total
        share = f"{row.non_local['party_secretary'] / units:.0%}" if units else "—"
        assert cells == [
            row.unit.code,
            row.unit.name,
            str(row.units_total),
            f"{row.non_local['party_secretary']} ({share})",
        ]
    assert "30/06/2023" in text
    total = next(line for line in text.splitlines() if "| Total" in line)
    assert total.split("|")[3].strip().startswith(str(table.totals.non_local["party_secretary"]))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "30/06/2023"), "--date: '30/06/2023' is not a date in the form YYYY-MM-DD"),
        (("--date", "2023-02-30"), "--date: 2023-02-30 is not a day of the calendar."),
        (("--role", "mayor"), "There is no role with code mayor."),
    ],
)
def test_the_command_refuses_bad_arguments_in_one_line(kim_bang, db, args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)

    assert message in str(refused.value)
