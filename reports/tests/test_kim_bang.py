"""The Kim Bảng records reproduce the article's figures (DOMAIN.md §5), through the
selectors and through ``manage.py report``.

The records are built once for the module by ``load_demo`` (the ``kim_bang`` fixture of
the root conftest, rolled back after the module); each test runs in a savepoint within it.
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from communes.selectors import unit_on
from reports.selectors import movement_report, non_local_report
from rotation.models import Direction, MovementKind

D = datetime.date
MID_TERM = D(2023, 6, 30)
TERM_START = D(2020, 10, 1)
D2C, C2D, C2C = (
    Direction.DISTRICT_TO_COMMUNE,
    Direction.COMMUNE_TO_DISTRICT,
    Direction.COMMUNE_TO_COMMUNE,
)


@pytest.fixture
def district(kim_bang, db):
    return unit_on("350", MID_TERM)


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_non_local_secretaries_and_chairmen_at_mid_term(district):
    report = non_local_report(unit=district, day=MID_TERM)

    secretary = report.role("party_secretary")
    chairman = report.role("people_committee_chairman")
    # "8 of 18 commune Party secretaries and 4 of 18 People's Committee chairmen are non-local"
    assert (secretary.non_local, secretary.units_total) == (8, 18)
    assert (chairman.non_local, chairman.units_total) == (4, 18)
    # "in one commune the Party secretary is also People's Committee chairman"
    assert len(report.secretary_chairman) == 1
    # Đinh Hồng Kiên, from Tân Sơn, Party secretary of Lê Hồ since December 2021.
    assert "Lê Hồ" in {unit.name for unit in secretary.non_local_units}


@pytest.mark.usefixtures("english")  # the report in English: role names too
def test_non_local_command_prints_the_same_figures(district):
    text = run("non-local", "--unit", "350", "--date", "2023-06-30")
    data = json.loads(run("non-local", "--unit", "350", "--date", "2023-06-30", "--format", "json"))

    rows = {line.split("|")[0].strip(): line for line in text.splitlines() if "|" in line}
    assert rows["Party secretary"].split("|")[1:4] == ["         8 ", "    18 ", "   44% "]
    assert " ".join(rows["People's Committee chairman"].split()).startswith(
        "People's Committee chairman | 4 | 18 | 22%"
    )
    roles = {role["role"]: role for role in data["roles"]}
    assert (roles["party_secretary"]["non_local"], roles["party_secretary"]["units_total"]) == (
        8,
        18,
    )
    assert (
        roles["people_committee_chairman"]["non_local"],
        roles["people_committee_chairman"]["units_total"],
    ) == (4, 18)
    assert len(data["secretary_chairman"]) == 1


def test_movements_since_the_start_of_the_term(district):
    report = movement_report(unit=district, start=TERM_START, end=MID_TERM)
    count = report.count

    # 6 from the district to communes: 4 Party secretaries, 2 People's Committee chairmen.
    assert count(direction=D2C, kind=MovementKind.ROTATION) == 6
    assert count(direction=D2C, kind=MovementKind.ROTATION, role_code="party_secretary") == 4
    assert (
        count(direction=D2C, kind=MovementKind.ROTATION, role_code="people_committee_chairman") == 2
    )
    # 18 between district departments and offices.
    assert count(direction=Direction.WITHIN_DISTRICT) == 18
    # 3 from communes to the district: a standing deputy secretary, a chairman, a vice-chairman.
    assert count(direction=C2D, kind=MovementKind.TRANSFER) == 3
    for role in (
        "standing_deputy_secretary",
        "people_committee_chairman",
        "people_committee_vice_chairman",
    ):
        assert count(direction=C2D, kind=MovementKind.TRANSFER, role_code=role) == 1
    # 2 returned to the district after their rotation period.
    assert count(kind=MovementKind.RETURN) == 2
    assert count(direction=C2D, kind=MovementKind.RETURN) == 2
    # 1 district official nominated and elected as a commune People's Committee vice-chairman.
    assert count(direction=D2C, kind=MovementKind.ELECTION_NOMINATION) == 1
    assert (
        count(
            direction=D2C,
            kind=MovementKind.ELECTION_NOMINATION,
            role_code="people_committee_vice_chairman",
        )
        == 1
    )
    # 8 key cadres between communes: 3 chairmen, 5 secretaries.
    assert count(direction=C2C, role_code="party_secretary") == 5
    assert count(direction=C2C, role_code="people_committee_chairman") == 3
    # 23 commune civil servants between communes, in five fields.
    assert count(direction=C2C, civil_servant=True) == 23
    assert report.civil_servants == 23
    fields = {group.field for group in report.by_field if group.count}
    assert fields == {"finance", "land_environment", "culture_society", "justice", "military"}
    # Đinh Hồng Kiên, Tân Sơn → Lê Hồ in December 2021; Nguyễn Trung Trực, Ngọc Sơn → Quế.
    moved = {(row.cadre_name, row.from_unit, row.to_unit) for row in report.select(direction=C2C)}
    assert ("Đinh Hồng Kiên", "Tân Sơn", "Lê Hồ") in moved
    assert ("Nguyễn Trung Trực", "Ngọc Sơn", "Quế") in moved


@pytest.mark.usefixtures("english")  # the report in English: role names too
def test_movements_command_prints_the_same_figures(district):
    args = ["movements", "--unit", "350", "--from", "2020-10-01", "--to", "2023-06-30"]
    text = run(*args)
    data = json.loads(run(*args, "--format", "json"))
    report = movement_report(unit=district, start=TERM_START, end=MID_TERM)

    assert data == json.loads(json.dumps(report.to_dict(details=False)))
    assert f"Total: {report.total}" in text
    assert "Commune civil servants by field: 23" in text
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert "within the district | 18" in lines
    assert "district to commune | rotation | Party secretary | 4" in lines
    assert "district to commune | rotation | People's Committee chairman | 2" in lines
    assert "commune to commune | transfer | Party secretary | 5" in lines
    assert "commune to commune | transfer | People's Committee chairman | 3" in lines
