"""The dashboards' figures on the Kim Bảng records (``rotation/demo/kim_bang.py``).

Every expected number below is derived from the story the records tell, not read off the
selectors; the comments say which decisions make it. The records are built once for the
module by ``load_demo`` (the ``kim_bang`` fixture of the root conftest).
"""

import datetime

import pytest

from communes.models import UnitLevel
from communes.selectors import unit_on, units_within
from reports.selectors import (
    current_term_period,
    due_returns,
    movement_report,
    non_local_report,
    non_local_trend,
    vacant_seats,
)
from rotation.models import Direction, Movement

D = datetime.date
MID_TERM = D(2023, 6, 30)
TERM_START = D(2020, 10, 1)
SECRETARY, CHAIRMAN = "party_secretary", "people_committee_chairman"


@pytest.fixture
def district(kim_bang, db):
    return unit_on("350", MID_TERM)


def figures(report, code):
    figure = report.role(code)
    return figure.non_local, figure.units_total, figure.vacant


# --------------------------------------------------------------------------- non-local


def test_the_term_runs_from_1_october_2020(district):
    assert current_term_period(MID_TERM) == (TERM_START, MID_TERM)


def test_trend_over_the_first_half_of_the_term(district):
    trend = non_local_trend(unit=district, start=TERM_START, end=MID_TERM)

    days = [point.day for point in trend.points]
    assert days[0] == D(2020, 12, 31)
    assert days[-1] == MID_TERM
    assert len(days) == 11
    assert {point.units_total for point in trend.points} == {18}
    assert {point.held[SECRETARY] for point in trend.points} == {18}
    assert {point.held[CHAIRMAN] for point in trend.points} == {18}
    # Secretaries. Non-local before the term: Văn Xá's (from Hoàng Tây) and Thụy Lôi's
    # (R1, rotated in 2018). +1 Nhật Tân (211-QĐ/HU, 04/01/2021; D1 replaces R1 in Thụy
    # Lôi); +1 Liên Sơn (251-QĐ/HU, 01/07/2021); +2 Lê Hồ and Tân Sơn swap their
    # secretaries (298-QĐ/HU, 15/12/2021); 01/06/2022 Văn Xá's secretary goes home to
    # Hoàng Tây and D2 takes Văn Xá (no change); +2 Đồng Hóa and Khả Phong swap
    # (350-QĐ/HU, 01/10/2022).
    assert [point.non_local[SECRETARY] for point in trend.points] == [
        2, 3, 3, 4, 6, 6, 6, 6, 8, 8, 8,
    ]  # fmt: skip
    # Chairmen. Non-local before the term: Đại Cương's (from Nguyễn Úy) and Thanh Sơn's
    # (R2). +2 Ngọc Sơn and Quế swap (245-QĐ/HU, 01/06/2021); D5 replaces R2 (01/09/2021);
    # 01/03/2022 Đại Cương's chairman goes home to Nguyễn Úy and D6 takes Đại Cương.
    assert [point.non_local[CHAIRMAN] for point in trend.points] == [
        2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    ]  # fmt: skip


def test_trend_ends_at_the_article_figures(district):
    trend = non_local_trend(unit=district, start=TERM_START, end=MID_TERM)
    report = non_local_report(unit=district, day=MID_TERM)

    last = trend.points[-1]
    # "8 of 18 commune Party secretaries and 4 of 18 People's Committee chairmen are non-local"
    assert (last.non_local[SECRETARY], last.units_total) == (8, 18)
    assert (last.non_local[CHAIRMAN], last.units_total) == (4, 18)
    assert last.share(SECRETARY) == pytest.approx(8 / 18)
    assert figures(report, SECRETARY)[:2] == (8, 18)
    assert figures(report, CHAIRMAN)[:2] == (4, 18)
    first = trend.points[0]
    assert first.non_local[SECRETARY] < 8
    assert first.non_local[CHAIRMAN] < 4


def test_every_point_of_the_trend_is_the_non_local_report_of_its_day(district):
    trend = non_local_trend(unit=district, start=TERM_START, end=MID_TERM)

    for point in trend.points:
        report = non_local_report(unit=district, day=point.day)
        assert point.units_total == report.units_total
        for code in (SECRETARY, CHAIRMAN):
            assert point.non_local[code] == report.role(code).non_local, (point.day, code)


def test_figures_on_1_january_2021(district):
    # Nhật Tân's secretary retired on 31/12/2020 and D3 arrives on 04/01/2021: vacant.
    # R1 (Thụy Lôi) and Văn Xá's secretary are the two non-local ones; the chairmen are
    # as before the term.
    day = D(2021, 1, 1)
    report = non_local_report(unit=district, day=day)
    (point,) = non_local_trend(unit=district, start=day, end=day).points

    assert figures(report, SECRETARY) == (2, 18, 1)
    assert [unit.name for unit in report.role(SECRETARY).vacant_units] == ["Nhật Tân"]
    assert {unit.name for unit in report.role(SECRETARY).non_local_units} == {"Văn Xá", "Thụy Lôi"}
    assert figures(report, CHAIRMAN) == (2, 18, 0)
    assert (point.non_local[SECRETARY], point.held[SECRETARY], point.units_total) == (2, 17, 18)


def test_figures_after_the_2025_mergers(district):
    # 01/07/2025: six wards of Ninh Bình (province 37), each designated its leaders from
    # those of its predecessors, the last-listed predecessor's first (wards_2025):
    # secretaries — Kim Bảng: Văn Xá's D2 (lives in Quế: local); Lê Hồ: Đồng Hóa's (from
    # Khả Phong: non-local); Nguyễn Úy: Tân Sơn's (from Lê Hồ: non-local); Kim Thanh:
    # Hoàng Tây's (local); Tam Chúc: Thụy Lôi's D1 (from Quế: non-local); Lý Thường Kiệt:
    # Thanh Sơn's (local). Chairmen: every ward's is local but Lý Thường Kiệt's, Thanh
    # Sơn's D5 (from Lê Hồ, lives in Quế).
    day = D(2025, 8, 1)
    province = unit_on("37", day)
    report = non_local_report(unit=province, day=day)
    (point,) = non_local_trend(unit=province, start=D(2025, 7, 1), end=day).points

    assert [unit.name for unit in report.units] == [
        "Kim Bảng", "Lê Hồ", "Nguyễn Úy", "Kim Thanh", "Tam Chúc", "Lý Thường Kiệt",
    ]  # fmt: skip
    assert figures(report, SECRETARY) == (3, 6, 0)
    assert {u.name for u in report.role(SECRETARY).non_local_units} == {
        "Lê Hồ",
        "Nguyễn Úy",
        "Tam Chúc",
    }
    assert figures(report, CHAIRMAN) == (1, 6, 0)
    assert [u.name for u in report.role(CHAIRMAN).non_local_units] == ["Lý Thường Kiệt"]
    assert (point.units_total, point.non_local[SECRETARY], point.non_local[CHAIRMAN]) == (6, 3, 1)


def test_the_merger_of_nhat_tan_and_nhat_tuu_changes_the_denominator(district):
    # 01/01/2025: the district becomes a town, Nhật Tân and Nhật Tựu become Tân Tựu: 17 units.
    town = unit_on("350", D(2025, 6, 30))

    trend = non_local_trend(unit=town, start=D(2024, 10, 1), end=D(2025, 6, 30))

    assert [(p.day, p.units_total) for p in trend.points] == [
        (D(2024, 12, 31), 18),
        (D(2025, 3, 31), 17),
        (D(2025, 6, 30), 17),
    ]
    for point in trend.points:
        within = units_within(town, point.day, level=UnitLevel.COMMUNE)
        assert point.units_total == len(within)


# --------------------------------------------------------------------------- movements


def test_movements_of_the_term_by_gender_and_age_add_up_to_the_total(district):
    report = movement_report(unit=district, start=TERM_START, end=MID_TERM)

    # DOMAIN.md §5: 6 + 18 + 3 + 2 + 1 + 8 + 23.
    assert report.total == 61
    assert report.count(direction=Direction.WITHIN_DISTRICT) == 18
    assert sum(group.count for group in report.by_gender) == report.total
    assert sum(group.count for group in report.by_age_band) == report.total
    # The same split read straight from the cadres' records.
    people = Movement.objects.filter(pk__in=[row.movement_id for row in report.rows]).values_list(
        "cadre__gender", "cadre__date_of_birth", "effective_date"
    )
    women = sum(1 for gender, _born, _day in people if gender == "female")
    ages = [
        day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        for _g, born, day in people
    ]
    young = sum(1 for age in ages if age < 35)
    assert {g.gender: g.count for g in report.by_gender} == {"male": 61 - women, "female": women}
    assert {g.age_band: g.count for g in report.by_age_band} == {
        "young": young,
        "older": 61 - young,
    }


def test_the_named_cadres_age_on_their_move(district):
    report = movement_report(unit=district, start=TERM_START, end=MID_TERM)

    rows = {row.cadre_name: row for row in report.select(direction=Direction.COMMUNE_TO_COMMUNE)}
    # Đinh Hồng Kiên, born 12/08/1969, moved on 15/12/2021; Nguyễn Trung Trực, born
    # 05/03/1974, moved on 01/06/2021.
    kien, truc = rows["Đinh Hồng Kiên"], rows["Nguyễn Trung Trực"]
    assert (kien.gender, kien.age, kien.young) == ("male", 52, False)
    assert (truc.gender, truc.age, truc.young) == ("male", 47, False)


# --------------------------------------------------------------------------- due returns


def listed(rows):
    return [(row.decision_number, row.unit.name, row.planned_end, row.days_left) for row in rows]


def test_the_2018_rotations_are_due_on_1_january_2021(district):
    # 112-QĐ/HU: R1 to Thụy Lôi and R2 to Thanh Sơn from 01/03/2018 for 36 months.
    report = due_returns(unit=district, day=D(2021, 1, 1))

    assert listed(report.due) == [
        ("112-QĐ/HU", "Thụy Lôi", D(2021, 2, 28), 58),
        ("112-QĐ/HU", "Thanh Sơn", D(2021, 2, 28), 58),
    ]
    assert report.overdue == ()
    assert [row.post for row in report.due] == [
        "Bí thư Đảng ủy – Đảng ủy xã Thụy Lôi",
        "Chủ tịch Ủy ban nhân dân – Ủy ban nhân dân xã Thanh Sơn",
    ]


def test_r2_is_overdue_until_the_return_of_september_2021(district):
    # R1 returns on 01/03/2021 (230-QĐ/HU); R2 only on 01/09/2021 (268-QĐ/HU).
    in_march = due_returns(unit=district, day=D(2021, 3, 1))
    in_september = due_returns(unit=district, day=D(2021, 9, 1))

    assert listed(in_march.overdue) == [("112-QĐ/HU", "Thanh Sơn", D(2021, 2, 28), -1)]
    assert in_march.due == ()
    assert listed(in_september.overdue) == []


def test_the_rotation_to_thuy_loi_of_2021_is_overdue_in_2024(district):
    # 230-QĐ/HU: D1 to Thụy Lôi from 01/03/2021 for 36 months, to 29/02/2024; no return.
    day = D(2024, 6, 1)
    report = due_returns(unit=unit_on("350", day), day=day)
    within_a_year = due_returns(unit=unit_on("350", day), day=day, within_days=365)

    assert listed(report.overdue) == [("230-QĐ/HU", "Thụy Lôi", D(2024, 2, 29), -93)]
    assert report.due == ()
    # D3 in Nhật Tân (211-QĐ/HU, 48 months) and D2 in Văn Xá (327-QĐ/HU, 36 months).
    assert listed(within_a_year.due) == [
        ("211-QĐ/HU", "Nhật Tân", D(2025, 1, 3), 216),
        ("327-QĐ/HU", "Văn Xá", D(2025, 5, 31), 364),
    ]


def test_a_rotation_ended_by_a_merger_is_no_longer_due(district):
    # Nhật Tân merges into Tân Tựu on 01/01/2025: D3's assignment ends on 31/12/2024.
    before = due_returns(unit=unit_on("350", D(2024, 12, 31)), day=D(2024, 12, 31))
    after = due_returns(unit=unit_on("350", D(2025, 1, 1)), day=D(2025, 1, 1))

    assert [row.unit.name for row in before.due] == ["Nhật Tân"]
    assert after.due == ()
    assert [row.unit.name for row in after.overdue] == ["Thụy Lôi"]


def test_nothing_is_due_in_the_wards_of_2025(district):
    # Every rotated cadre's commune post ended on 30/06/2025; the wards' leaders were designated.
    day = D(2025, 8, 1)
    report = due_returns(unit=unit_on("37", day), day=day, within_days=3660)

    assert (report.due, report.overdue) == ((), ())


# --------------------------------------------------------------------------- vacant seats


def test_hoang_tay_standing_deputy_secretary_vacant_at_mid_term(district):
    # 275-QĐ/HU moved Hoàng Tây's standing deputy secretary to the district on 01/10/2021;
    # every other key seat was filled at mid-term.
    report = vacant_seats(unit=district, day=MID_TERM, key_only=True)

    assert [(r.unit.name, r.role_code, r.held, r.seats, r.since) for r in report.rows] == [
        ("Hoàng Tây", "standing_deputy_secretary", 0, 1, D(2021, 10, 1))
    ]


def test_vacant_key_seats_at_the_end_of_2023(district):
    # 455-QĐ/HU (05/09/2023) fills Hoàng Tây from Tượng Lĩnh, whose vice-chairman seat is
    # then empty until the rotation of 520-QĐ/HU (01/04/2024).
    def key_rows(day):
        report = vacant_seats(unit=district, day=day, key_only=True)
        return [(r.unit.name, r.role_code, r.held, r.seats, r.since) for r in report.rows]

    assert key_rows(D(2023, 12, 31)) == [
        ("Tượng Lĩnh", "people_committee_vice_chairman", 1, 2, D(2023, 9, 5))
    ]
    assert key_rows(D(2024, 4, 1)) == []


def test_commune_civil_servant_seat_left_by_a_transfer(district):
    # 699/QĐ-UBND moved one of Quế's two land officers to Thanh Sơn's vacant seat on 01/08/2022.
    rows = {(r.unit.name, r.role_code): r for r in vacant_seats(unit=district, day=MID_TERM).rows}

    que = rows[("Quế", "land_environment_officer")]
    assert (que.held, que.seats, que.since) == (1, 2, D(2022, 8, 1))
    assert ("Thanh Sơn", "land_environment_officer") not in rows


def test_each_ward_has_one_vice_chairman_seat_never_filled(district):
    # Each ward's designation decision names two of its three vice-chairmen.
    day = D(2025, 8, 1)
    report = vacant_seats(unit=unit_on("37", day), day=day, key_only=True)

    assert [(r.unit.name, r.role_code, r.held, r.seats, r.since) for r in report.rows] == [
        (name, "people_committee_vice_chairman", 2, 3, None)
        for name in ["Kim Bảng", "Lê Hồ", "Nguyễn Úy", "Kim Thanh", "Tam Chúc", "Lý Thường Kiệt"]
    ]
