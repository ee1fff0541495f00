"""``manage.py report``: tables and JSON with the selectors' numbers, one-line errors."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from communes.models import SuccessionKind, UnitKind
from communes.services import unit_succeed
from reports.selectors import movement_report, non_local_report
from reports.tests.records import DAY, LE_HO, PERIOD, QUE, TAN_SON, D
from rotation.models import Term

# The report is read in English, role names included (the catalogue's English names).
pytestmark = pytest.mark.usefixtures("english")

NON_LOCAL = ["non-local", "--unit", "350", "--date", "2023-06-30"]
MOVEMENTS = ["movements", "--unit", "350", "--from", "2020-10-01", "--to", "2023-06-30"]


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def table(text: str, first_header: str) -> list[list[str]]:
    """The rows of the table whose header starts with ``first_header``, as lists of cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first_header + " "))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        rows.append([cell.strip() for cell in line.split("|")])
    return rows


# --------------------------------------------------------------------------- non-local


def test_non_local_table_shows_each_key_role_with_its_share(world, secretaries):
    text = run(*NON_LOCAL)

    assert text.splitlines()[0] == "Non-local key cadres – district Kim Bảng (350), 30/06/2023"
    rows = table(text, "Role")
    assert rows[0] == ["Party secretary", "2", "3", "67%", "1", "0"]
    assert [row[0] for row in rows] == [
        "Party secretary",
        "Standing deputy Party secretary",
        "People's Council chairman",
        "People's Committee chairman",
        "People's Committee vice-chairman",
    ]
    assert "Party secretary also People's Committee chairman: 0" in text


def test_non_local_table_columns_are_aligned(world, secretaries):
    lines = run(*NON_LOCAL).splitlines()

    header = next(i for i, line in enumerate(lines) if line.startswith("Role "))
    bars = {
        tuple(i for i, ch in enumerate(line) if ch in "|+") for line in lines[header : header + 7]
    }
    assert len(bars) == 1


def test_non_local_table_and_json_agree(world, secretaries, make_cadre, records):
    both = make_cadre(LE_HO, full_name="Nguyễn Trung Trực")
    records.hold(both, world.post(QUE, "people_committee_chairman"), principal=False)

    text = run(*NON_LOCAL)
    data = json.loads(run(*NON_LOCAL, "--format", "json"))

    rows = table(text, "Role")
    assert [
        [r["role_label"], str(r["non_local"]), str(r["units_total"]), f"{r['share']:.0%}",
         str(r["local"]), str(r["vacant"])]
        for r in data["roles"]
    ] == rows  # fmt: skip
    assert data["day"] == "2023-06-30"
    assert data["secretary_chairman"] == []
    assert "units" not in data["roles"][0]  # holders only with --details


def test_non_local_names_the_secretary_who_is_also_chairman(world, secretaries, records):
    records.hold(secretaries[QUE], world.post(QUE, "people_committee_chairman"), principal=False)

    text = run(*NON_LOCAL)
    data = json.loads(run(*NON_LOCAL, "--format", "json"))

    assert "Party secretary also People's Committee chairman: 1 – Quế (13384): Lê Thị Hồ" in text
    assert [(row["unit"]["code"], row["cadre_name"]) for row in data["secretary_chairman"]] == [
        ("13384", "Lê Thị Hồ")
    ]


def test_non_local_details_list_holders_and_vacancies(world, secretaries):
    text = run(*NON_LOCAL, "--details")
    data = json.loads(run(*NON_LOCAL, "--details", "--format", "json"))

    rows = table(text, "Code")  # the first details table: Party secretaries
    assert rows[1] == [
        "13393",
        "Lê Hồ",
        "Đinh Hồng Kiên",
        "Tân Sơn",
        "non-local",
        "no recorded place in the unit",
    ]
    assert rows[2][:5] == ["13411", "Tân Sơn", "Trần Văn Sơn", "Tân Sơn", "local"]
    chairmen = table(text.split("People's Committee chairman\n", 1)[1], "Code")
    assert [row[2:5] for row in chairmen] == [["—", "", "vacant"]] * 3
    holders = data["roles"][0]["units"][1]["holders"]
    assert holders[0]["cadre_name"] == "Đinh Hồng Kiên"


def test_non_local_role_option_picks_roles(world, secretaries):
    data = json.loads(run(*NON_LOCAL, "--role", "party_secretary", "--format", "json"))

    assert [role["role"] for role in data["roles"]] == ["party_secretary"]


def test_non_local_json_matches_the_selector(world, secretaries):
    report = non_local_report(unit=world.district, day=DAY)

    data = json.loads(run(*NON_LOCAL, "--format", "json", "--details"))

    assert data == json.loads(json.dumps(report.to_dict()))


# --------------------------------------------------------------------------- movements


def test_movement_tables(world, moves):
    text = run(*MOVEMENTS)

    lines = text.splitlines()
    assert lines[0] == "Movements – district Kim Bảng (350), 01/10/2020 – 30/06/2023"
    assert lines[1] == "Total: 7"
    assert table(text, "Direction")[:4] == [
        ["district to commune", "2"],
        ["commune to district", "1"],
        ["commune to commune", "3"],
        ["within the district", "1"],
    ]
    assert ["transfer", "5"] in table(text, "Kind")
    assert table(text.split("By direction, kind and role", 1)[1], "Direction")[2] == [
        "commune to district",
        "transfer",
        "Standing deputy Party secretary",
        "1",
    ]
    assert "Commune civil servants by field: 2" in text
    assert ["finance and accounting", "1"] in table(text, "Field")


def test_movement_table_and_json_agree(world, moves):
    text = run(*MOVEMENTS)
    data = json.loads(run(*MOVEMENTS, "--format", "json"))

    assert f"Total: {data['total']}" in text
    assert table(text, "Direction") == [[g["label"], str(g["count"])] for g in data["by_direction"]]
    assert table(text, "Kind") == [[g["label"], str(g["count"])] for g in data["by_kind"]]
    assert table(text, "Field") == [[g["label"], str(g["count"])] for g in data["by_field"]]
    combined = table(text.split("By direction, kind and role", 1)[1], "Direction")
    assert [row[3] for row in combined] == [str(g["count"]) for g in data["by_direction_kind_role"]]
    assert "movements" not in data


def test_movement_details_list_the_movements_with_dates_as_people_write_them(world, moves):
    text = run(*MOVEMENTS, "--details")
    data = json.loads(run(*MOVEMENTS, "--details", "--format", "json"))

    rows = table(text, "Date")
    assert rows[0][:4] == ["10/01/2021", "1-QĐ/HU", "An", "rotation"]
    assert rows[0][6] == (
        "Specialist – Ban Tổ chức Huyện ủy Kim Bảng → Party secretary – Đảng ủy Lê Hồ"
    )
    assert len(rows) == 7
    assert data["movements"][0]["effective_date"] == "2021-01-10"
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])
    assert data == json.loads(json.dumps(report.to_dict()))


def test_movements_period_defaults_to_the_party_term(world, moves):
    Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))

    text = run("movements", "--unit", "350", "--to", "2023-06-30")

    assert text.splitlines()[:2] == [
        "Movements – district Kim Bảng (350), 01/10/2020 – 30/06/2023",
        "Total: 7",
    ]


def test_movements_unit_is_resolved_on_the_last_day(world, moves):
    unit_succeed(
        predecessors=[world.district],
        code="350",
        name="Kim Bảng",
        kind=UnitKind.DISTRICT_TOWN,
        parent=world.province,
        effective_date=D(2025, 1, 1),
        change=SuccessionKind.REGRADE,
        end_assignments_reason="Nghị quyết 1318/NQ-UBTVQH15",
    )

    text = run("movements", "--unit", "350", "--from", "2020-10-01", "--to", "2025-03-01")

    assert text.splitlines()[:2] == [
        "Movements – district-level town Kim Bảng (350), 01/10/2020 – 01/03/2025",
        "Total: 8",  # and Lan's move of 01/07/2023
    ]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["non-local", "--unit", "99999", "--date", "2023-06-30"],
            "There is no administrative unit with code 99999.",
        ),
        (
            ["non-local", "--unit", "350", "--date", "30/06/2023"],
            "--date: '30/06/2023' is not a date in the form YYYY-MM-DD, e.g. 2023-06-30.",
        ),
        (
            ["non-local", "--unit", "350", "--date", "20230630"],
            "--date: '20230630' is not a date in the form YYYY-MM-DD, e.g. 2023-06-30.",
        ),
        (
            ["non-local", "--unit", "350", "--date", "2023-02-30"],
            "--date: 2023-02-30 is not a day of the calendar.",
        ),
        (
            ["non-local", "--unit", "350", "--role", "mayor"],
            "There is no role with code mayor.",
        ),
        (
            ["movements", "--unit", "350", "--from", "2023-07-01", "--to", "2023-06-30"],
            "--from 2023-07-01 is after --to 2023-06-30.",
        ),
        (
            ["movements", "--unit", "350", "--from", "2020-13-01", "--to", "2023-06-30"],
            "--from: 2020-13-01 is not a day of the calendar.",
        ),
        (
            ["movements", "--unit", "350", "--to", "2023-06-30"],
            "No Party term is recorded that contains 30/06/2023; give --from.",
        ),
    ],
)
def test_bad_arguments_get_a_one_line_error(world, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)

    assert str(error.value) == message


def test_a_code_not_valid_that_day_names_the_units_that_carried_it(world):
    unit_succeed(
        predecessors=[world.communes[LE_HO], world.communes[TAN_SON]],
        code="13393",
        name="Lê Sơn",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=D(2025, 1, 1),
    )

    with pytest.raises(CommandError) as error:
        run("non-local", "--unit", "13411", "--date", "2025-06-30")

    assert str(error.value) == (
        "No unit has code 13411 on 30/06/2025. That code names: Tân Sơn (01/01/2010 – 31/12/2024)."
    )
    assert "\n" not in str(error.value)


def test_missing_unit_is_a_usage_error(world):
    with pytest.raises(CommandError, match="the following arguments are required: --unit"):
        run("non-local", "--date", "2023-06-30")


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory):
    """Environment for ``manage.py`` on a migrated, empty SQLite file."""
    path = tmp_path_factory.mktemp("report") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


@pytest.mark.parametrize(
    "args",
    [
        ["non-local", "--unit", "99999", "--date", "2023-06-30"],
        ["non-local", "--unit", "350", "--date", "2023-02-30"],
        ["movements", "--unit", "350", "--from", "2023-07-01", "--to", "2023-06-30"],
    ],
)
def test_manage_py_prints_one_line_and_no_traceback(empty_database, args):
    result = subprocess.run(
        [sys.executable, "manage.py", "report", *args],
        cwd=settings.BASE_DIR,
        env=empty_database,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("CommandError: ")
