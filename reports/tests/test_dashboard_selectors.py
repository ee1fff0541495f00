"""The dashboards' figures, each rule checked on small records built through the services.

Movements by gender and age band, rotations due to end, vacant seats, the non-local trend
and the period of the current term (``reports.selectors``).
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import Gender
from cadres.tests.factories import CadreFactory
from communes.dates import months_end
from communes.models import OrganisationKind, SuccessionKind, UnitKind
from communes.services import organisation_create, post_create, unit_succeed
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
)
from reports.selectors import (
    AgeBand,
    current_term_period,
    due_returns,
    movement_report,
    non_local_report,
    non_local_trend,
    vacant_seats,
)
from reports.tests.records import DAY, LE_HO, PERIOD, QUE, TAN_SON
from rotation.models import Direction, MovementKind, Term
from rotation.services import (
    assignment_end,
    assignment_record,
    decision_cancel,
    decision_issue,
    rotation_return,
)

D = datetime.date
SECRETARY, CHAIRMAN = "party_secretary", "people_committee_chairman"


def queries_of(call) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def away(records, make_cadre, post, day, *, kind=MovementKind.ROTATION, months=36, **extra):
    """A district cadre sent to ``post`` on ``day`` for ``months``; returns the movement."""
    cadre = make_cadre(QUE, **extra)
    records.hold(cadre, records.pool)
    decision = records.decide(
        {
            "kind": kind,
            "cadre": cadre,
            "to_post": post,
            "effective_date": day,
            "planned_end": months_end(day, months),
        },
        signed_on=day - datetime.timedelta(days=7),
    )
    return decision.movements.get()


def back(records, movement, day):
    """The return of ``movement``'s cadre to the district on ``day``, issued."""
    decision = records.decide(signed_on=day - datetime.timedelta(days=7), issue=False)
    rotation_return(decision=decision, rotation=movement, effective_date=day)
    decision_issue(decision=decision)
    return decision


# --------------------------------------------------------------------------- gender and age


@pytest.fixture
def young_and_older(world, make_cadre, records):
    """Three moves to the communes' standing deputy posts: two women born on 29/02/1988,
    one the day before and one the day after her 35th birthday (01/03 in a common year),
    and a man of 47."""
    cast = {
        "Mai": make_cadre(QUE, full_name="Mai", gender=Gender.FEMALE, date_of_birth=D(1988, 2, 29)),
        "Hoa": make_cadre(QUE, full_name="Hoa", gender=Gender.FEMALE, date_of_birth=D(1988, 2, 29)),
        "Nam": make_cadre(QUE, full_name="Nam", gender=Gender.MALE, date_of_birth=D(1975, 5, 1)),
    }
    for cadre in cast.values():
        records.hold(cadre, records.pool)
    for name, index, day in [
        ("Mai", LE_HO, D(2023, 2, 28)),
        ("Hoa", TAN_SON, D(2023, 3, 1)),
        ("Nam", QUE, D(2022, 6, 1)),
    ]:
        records.decide(
            {
                "kind": MovementKind.TRANSFER,
                "cadre": cast[name],
                "to_post": world.post(index, "standing_deputy_secretary"),
                "effective_date": day,
            },
            signed_on=day - datetime.timedelta(days=5),
        )
    return cast


def test_movement_rows_carry_gender_and_age_on_the_effective_date(world, young_and_older):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    rows = {row.cadre_name: row for row in report.rows}
    assert (rows["Mai"].gender, rows["Mai"].age, rows["Mai"].young) == ("female", 34, True)
    assert (rows["Hoa"].gender, rows["Hoa"].age, rows["Hoa"].young) == ("female", 35, False)
    assert (rows["Nam"].gender, rows["Nam"].age, rows["Nam"].young) == ("male", 47, False)


@pytest.mark.usefixtures("english")
def test_movements_counted_by_gender_and_age_band(world, young_and_older):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert [(g.gender, g.label, g.count) for g in report.by_gender] == [
        ("male", "male", 1),
        ("female", "female", 2),
    ]
    assert [(g.age_band, g.label, g.count) for g in report.by_age_band] == [
        ("young", "under 35", 1),
        ("older", "35 and over", 2),
    ]
    assert [row.cadre_name for row in report.by_age_band[0].rows] == ["Mai"]
    assert sum(g.count for g in report.by_gender) == report.total
    assert sum(g.count for g in report.by_age_band) == report.total


def test_every_gender_is_listed_even_with_no_movement(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert {g.gender: g.count for g in report.by_gender} == {"male": 7, "female": 0}
    assert {g.age_band: g.count for g in report.by_age_band} == {"young": 0, "older": 7}


def test_select_and_count_by_gender_and_age_band(world, young_and_older):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert [row.cadre_name for row in report.select(gender=Gender.FEMALE)] == ["Mai", "Hoa"]
    assert [row.cadre_name for row in report.select(age_band=AgeBand.OLDER)] == ["Nam", "Hoa"]
    assert report.count(gender="female", age_band="young") == 1
    assert report.count(gender="male", age_band="young") == 0
    assert report.count(direction=Direction.DISTRICT_TO_COMMUNE, gender="female") == 2


def test_movement_to_dict_has_gender_and_age(world, young_and_older):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    data = json.loads(json.dumps(report.to_dict()))
    summary = report.to_dict(details=False)

    mai = next(row for row in data["movements"] if row["cadre_name"] == "Mai")
    assert (mai["gender"], mai["age"], mai["young"]) == ("female", 34, True)
    assert data["by_gender"][1] == {
        "gender": "female",
        "label": report.by_gender[1].label,
        "count": 2,
        "movement_ids": [row.movement_id for row in report.by_gender[1].rows],
    }
    assert [(g["age_band"], g["count"]) for g in summary["by_age_band"]] == [
        ("young", 1),
        ("older", 2),
    ]
    assert "movement_ids" not in summary["by_gender"][0]


# --------------------------------------------------------------------------- due returns


def test_rotations_ending_within_the_window_are_due_soonest_first(world, make_cadre, records):
    later = away(records, make_cadre, world.post(TAN_SON, SECRETARY), D(2021, 6, 1))
    sooner = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))

    within_90 = due_returns(unit=world.district, day=D(2023, 12, 1))
    within_200 = due_returns(unit=world.district, day=D(2023, 12, 1), within_days=200)

    assert [(r.movement_id, r.planned_end, r.days_left) for r in within_90.due] == [
        (sooner.pk, D(2024, 1, 9), 39)
    ]
    assert (within_90.due_count, within_90.overdue_count, within_90.overdue) == (1, 0, ())
    assert [r.movement_id for r in within_200.due] == [sooner.pk, later.pk]
    row = within_90.due[0]
    assert (row.unit.name, row.started, row.overdue, row.kind) == (
        "Lê Hồ",
        D(2021, 1, 10),
        False,
        "rotation",
    )
    assert row.post == "Bí thư Đảng ủy – Đảng ủy Lê Hồ"
    assert (row.cadre_id, row.decision_id) == (sooner.cadre_id, sooner.decision_id)


def test_window_bounds_are_inclusive(world, make_cadre, records):
    rotation = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    end = rotation.planned_end

    on_the_day = due_returns(unit=world.district, day=end)
    at_the_edge = due_returns(
        unit=world.district, day=end - datetime.timedelta(days=30), within_days=30
    )
    beyond = due_returns(unit=world.district, day=end - datetime.timedelta(days=31), within_days=30)

    assert [(r.days_left, r.overdue) for r in on_the_day.due] == [(0, False)]
    assert [r.days_left for r in at_the_edge.due] == [30]
    assert beyond.due == ()


def test_cadre_kept_after_the_planned_end_without_a_return_is_overdue(world, make_cadre, records):
    first = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    second = away(records, make_cadre, world.post(QUE, SECRETARY), D(2021, 2, 1))

    report = due_returns(unit=world.district, day=D(2024, 3, 1))

    assert report.due == ()
    assert [(r.movement_id, r.days_left, r.overdue) for r in report.overdue] == [
        (first.pk, -52, True),  # planned end 09/01/2024: the most overdue first
        (second.pk, -30, True),  # planned end 31/01/2024
    ]


def test_a_return_ends_the_rotation_from_its_effective_date(world, make_cadre, records):
    rotation = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    back(records, rotation, D(2024, 1, 10))

    assert [r.days_left for r in due_returns(unit=world.district, day=D(2024, 1, 9)).due] == [0]
    after = due_returns(unit=world.district, day=D(2024, 1, 10))
    assert (after.due, after.overdue) == ((), ())


def test_a_rotation_left_another_way_is_no_longer_counted(world, make_cadre, records):
    moved_on = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": moved_on.cadre,
            "to_post": world.district_posts["head"],
            "effective_date": D(2023, 6, 1),
        },
        signed_on=D(2023, 5, 25),
    )
    dissolved = away(records, make_cadre, world.post(QUE, SECRETARY), D(2021, 1, 10))
    assignment_end(
        assignment=dissolved.opened_assignments.get(),
        end_date=D(2023, 6, 30),
        reason="Sắp xếp đơn vị hành chính",
    )

    report = due_returns(unit=world.district, day=D(2023, 12, 1))

    assert (report.due, report.overdue) == ((), ())


def test_cancelled_and_draft_rotations_are_not_counted(world, make_cadre, records):
    cancelled = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    decision_cancel(decision=cancelled.decision, reason="Hủy bởi Quyết định 99-QĐ/HU")
    cadre = make_cadre(QUE)
    records.hold(cadre, records.pool)
    records.decide(
        {
            "kind": MovementKind.ROTATION,
            "cadre": cadre,
            "to_post": world.post(TAN_SON, SECRETARY),
            "effective_date": D(2021, 1, 10),
            "planned_end": D(2024, 1, 9),
        },
        signed_on=D(2021, 1, 5),
        issue=False,
    )

    report = due_returns(unit=world.district, day=D(2024, 3, 1), within_days=365)

    assert (report.due, report.overdue) == ((), ())


@pytest.mark.usefixtures("english")
def test_secondments_are_counted_and_transfers_are_not(world, make_cadre, records):
    secondment = away(
        records,
        make_cadre,
        world.post(QUE, CHAIRMAN),
        D(2022, 1, 1),
        kind=MovementKind.SECONDMENT,
        months=24,
    )
    cadre = make_cadre(QUE)
    records.hold(cadre, records.pool)
    records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": cadre,
            "to_post": world.post(LE_HO, CHAIRMAN),
            "effective_date": D(2022, 1, 1),
        },
        signed_on=D(2021, 12, 20),
    )

    report = due_returns(unit=world.district, day=D(2023, 11, 1))

    assert [(r.movement_id, r.kind, r.kind_label, r.days_left) for r in report.due] == [
        (secondment.pk, "secondment", "secondment", 60)
    ]


def test_a_rotation_not_yet_started_is_not_counted(world, make_cadre, records):
    away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))

    report = due_returns(unit=world.district, day=D(2021, 1, 9), within_days=3660)

    assert report.due == ()


def test_only_posts_taken_in_the_area_of_the_unit_count(world, make_cadre, records):
    other_district = DistrictFactory(parent=world.province)
    elsewhere = PostFactory(
        organisation=OrganisationFactory(unit=CommuneFactory(parent=other_district))
    )
    ours = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    theirs = away(records, make_cadre, elsewhere, D(2021, 1, 10))

    def listed(unit):
        return [r.movement_id for r in due_returns(unit=unit, day=D(2024, 3, 1)).overdue]

    assert listed(world.district) == [ours.pk]
    assert listed(other_district) == [theirs.pk]
    assert listed(world.province) == [ours.pk, theirs.pk]
    assert listed(world.communes[LE_HO]) == [ours.pk]
    assert listed(world.communes[TAN_SON]) == []


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("within_days", [0, -5, 3661, "90", 9.5, True])
def test_within_days_out_of_range_is_refused(world, within_days):
    with pytest.raises(ValidationError) as caught:
        due_returns(unit=world.district, day=DAY, within_days=within_days)

    assert set(caught.value.message_dict) == {"within_days"}
    assert caught.value.message_dict["within_days"] == [
        f"Look between 1 and 3660 days ahead, not {within_days}."
    ]


@pytest.mark.parametrize("within_days", [1, 3660])
def test_within_days_bounds_are_accepted(world, within_days):
    report = due_returns(unit=world.district, day=DAY, within_days=within_days)

    assert report.within_days == within_days


def test_due_returns_to_dict_is_json(world, make_cadre, records):
    rotation = away(records, make_cadre, world.post(LE_HO, SECRETARY), D(2021, 1, 10))
    away(records, make_cadre, world.post(QUE, SECRETARY), D(2020, 11, 2))

    data = json.loads(json.dumps(due_returns(unit=world.district, day=D(2024, 1, 1)).to_dict()))

    assert (data["day"], data["within_days"], data["due_count"], data["overdue_count"]) == (
        "2024-01-01",
        90,
        1,
        1,
    )
    assert data["unit"]["code"] == "350"
    assert data["due"][0] == {
        "movement_id": rotation.pk,
        "decision_id": rotation.decision_id,
        "decision_number": rotation.decision.number,
        "cadre_id": rotation.cadre_id,
        "cadre_name": rotation.cadre.full_name,
        "kind": "rotation",
        "kind_label": rotation.get_kind_display(),
        "post": "Bí thư Đảng ủy – Đảng ủy Lê Hồ",
        "unit": {
            "id": world.communes[LE_HO].pk,
            "code": "13393",
            "name": "Lê Hồ",
            "kind": "commune",
        },
        "started": "2021-01-10",
        "planned_end": "2024-01-09",
        "days_left": 8,
        "overdue": False,
    }
    assert data["overdue"][0]["days_left"] == -61  # planned end 01/11/2023


def commune_with_posts(district, *, held_by=None):
    """A commune of ``district`` with a Party secretary post (held from 2019 by ``held_by``)
    and a two-seat vice-chairman post."""
    commune = CommuneFactory(parent=district)
    secretary = PostFactory(organisation=OrganisationFactory(unit=commune), role=SECRETARY)
    committee = OrganisationFactory(
        unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune.name}"
    )
    PostFactory(organisation=committee, role="people_committee_vice_chairman", seats=2)
    if held_by is not None:
        assignment_record(cadre=held_by, post=secretary, start_date=D(2019, 1, 1))
    return commune, secretary


def test_due_returns_queries_do_not_grow_with_rotations(world, make_cadre, records):
    district = DistrictFactory(parent=world.province)

    def rotate_to(count):
        for _ in range(count):
            _commune, post = commune_with_posts(district)
            away(records, make_cadre, post, D(2021, 1, 10))

    rotate_to(2)
    # 1-2 the district's earlier versions and the ids of its area; 3 the rotations with
    # their cadres, decisions, posts, roles, organisations and units.
    small_queries, small = queries_of(lambda: due_returns(unit=district, day=D(2024, 1, 1)))
    rotate_to(4)
    large_queries, large = queries_of(lambda: due_returns(unit=district, day=D(2024, 1, 1)))

    assert (small_queries, large_queries) == (3, 3)
    assert (small.due_count, large.due_count) == (2, 6)


# --------------------------------------------------------------------------- vacant seats


def test_posts_nobody_holds_are_vacant_since_no_known_date(world):
    report = vacant_seats(unit=world.district, day=DAY)

    # Three communes of five posts (six seats) each, then the district's own posts: the
    # head of home affairs (one seat) and its specialists (three).
    assert report.total_vacant == 3 * 6 + 1 + 3
    assert [(row.unit.code, row.role_code) for row in report.rows[:5]] == [
        ("13384", SECRETARY),
        ("13384", "standing_deputy_secretary"),
        ("13384", CHAIRMAN),
        ("13384", "people_committee_vice_chairman"),
        ("13384", "finance_accounting_officer"),
    ]
    assert [row.unit.code for row in report.rows] == ["13384"] * 5 + ["13393"] * 5 + [
        "13411"
    ] * 5 + ["350"] * 2
    assert {row.since for row in report.rows} == {None}
    vice = report.rows[3]
    assert (vice.seats, vice.held, vice.vacant, vice.is_key) == (2, 0, 2, True)


def test_held_seats_are_not_vacant(world, hr, make_cadre):
    hr.seat(make_cadre(LE_HO), world.post(LE_HO, SECRETARY))
    hr.seat(make_cadre(LE_HO), world.post(LE_HO, "people_committee_vice_chairman"))

    rows = {
        (row.unit.name, row.role_code): row
        for row in vacant_seats(unit=world.district, day=DAY).rows
    }

    assert ("Lê Hồ", SECRETARY) not in rows
    vice = rows[("Lê Hồ", "people_committee_vice_chairman")]
    assert (vice.held, vice.vacant, vice.since) == (1, 1, None)  # the second seat never held
    assert vice.post == "Phó Chủ tịch Ủy ban nhân dân – UBND Lê Hồ"


def test_vacant_since_the_day_after_the_last_holder_left(world, hr, make_cadre):
    assignment = hr.seat(make_cadre(TAN_SON), world.post(TAN_SON, CHAIRMAN))
    assignment_end(assignment=assignment, end_date=D(2022, 3, 31), reason="Nghỉ hưu")

    def chairman_of_tan_son(day):
        rows = vacant_seats(unit=world.district, day=day, key_only=True).rows
        return [
            (r.held, r.since) for r in rows if (r.unit.name, r.role_code) == ("Tân Sơn", CHAIRMAN)
        ]

    assert chairman_of_tan_son(D(2022, 3, 31)) == []
    assert chairman_of_tan_son(D(2022, 4, 1)) == [(0, D(2022, 4, 1))]
    assert chairman_of_tan_son(DAY) == [(0, D(2022, 4, 1))]


def test_a_two_seat_post_is_vacant_since_it_was_last_full(world, hr, make_cadre):
    post = world.post(QUE, "people_committee_vice_chairman")
    first = hr.seat(make_cadre(QUE), post)
    second = hr.seat(make_cadre(QUE), post)
    assignment_end(assignment=first, end_date=D(2022, 5, 31), reason="Nghỉ hưu")
    assignment_end(assignment=second, end_date=D(2023, 1, 31), reason="Nghỉ hưu")
    hr.seat(make_cadre(QUE), post, D(2022, 9, 1), end_date=D(2022, 10, 31))

    def vice_of_que(day):
        rows = vacant_seats(unit=world.communes[QUE], day=day).rows
        return [(r.held, r.vacant, r.since) for r in rows if r.post_id == post.pk]

    assert vice_of_que(D(2022, 5, 31)) == []
    assert vice_of_que(D(2022, 8, 1)) == [(1, 1, D(2022, 6, 1))]
    assert vice_of_que(D(2022, 9, 15)) == []  # full again for two months
    assert vice_of_que(D(2022, 12, 1)) == [(1, 1, D(2022, 11, 1))]
    assert vice_of_que(DAY) == [(0, 2, D(2022, 11, 1))]


def test_key_only_leaves_out_civil_servants_and_department_posts(world):
    every = vacant_seats(unit=world.district, day=DAY)
    key = vacant_seats(unit=world.district, day=DAY, key_only=True)

    assert {row.role_code for row in key.rows} == {
        SECRETARY,
        "standing_deputy_secretary",
        CHAIRMAN,
        "people_committee_vice_chairman",
    }
    assert all(row.is_key for row in key.rows)
    assert {row.role_code for row in every.rows} - {row.role_code for row in key.rows} == {
        "finance_accounting_officer",
        "department_head",
        "specialist",
    }
    assert key.total_vacant == 3 * 5


def test_a_cancelled_decision_gives_its_seat_back(world, make_cadre, records):
    cadre = make_cadre(QUE)
    records.hold(cadre, records.pool)
    decision = records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": cadre,
            "to_post": world.post(QUE, SECRETARY),
            "effective_date": D(2022, 1, 1),
        },
        signed_on=D(2021, 12, 20),
    )

    def secretary_of_que():
        rows = vacant_seats(unit=world.communes[QUE], day=DAY, key_only=True).rows
        return [(r.held, r.since) for r in rows if r.role_code == SECRETARY]

    assert secretary_of_que() == []
    decision_cancel(decision=decision, reason="Hủy bởi Quyết định 12-QĐ/HU")
    assert secretary_of_que() == [(0, None)]


def test_only_posts_and_units_of_the_day_and_of_the_area(world, hr, make_cadre):
    later = PostFactory(
        organisation=world.post(LE_HO, SECRETARY).organisation,
        role="people_council_chairman",
        valid_from=D(2024, 1, 1),
    )
    other = CommuneFactory(parent=DistrictFactory(parent=world.province))
    PostFactory(organisation=OrganisationFactory(unit=other))

    def post_ids(unit, day):
        return {row.post_id for row in vacant_seats(unit=unit, day=day).rows}

    assert later.pk not in post_ids(world.district, DAY)
    assert later.pk in post_ids(world.district, D(2024, 1, 1))
    assert {row.unit.code for row in vacant_seats(unit=world.district, day=DAY).rows} == {
        "13384",
        "13393",
        "13411",
        "350",
    }
    province = vacant_seats(unit=world.province, day=DAY)
    assert other.code in {row.unit.code for row in province.rows}
    commune = vacant_seats(unit=world.communes[QUE], day=DAY)
    assert {row.unit.code for row in commune.rows} == {"13384"}


def test_after_a_merge_the_merged_unit_posts_count(world):
    merged = unit_succeed(
        predecessors=[world.communes[LE_HO], world.communes[TAN_SON]],
        code="13393",
        name="Lê Sơn",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=D(2025, 1, 1),
        change=SuccessionKind.MERGE,
    )
    party = organisation_create(
        unit=merged, kind=OrganisationKind.PARTY_COMMITTEE, name="Đảng ủy xã Lê Sơn"
    )
    post_create(organisation=party, role=SECRETARY)

    rows = vacant_seats(unit=world.district, day=D(2025, 2, 1), key_only=True).rows

    assert [(row.unit.name, row.role_code) for row in rows if row.role_code == SECRETARY] == [
        ("Quế", SECRETARY),
        ("Lê Sơn", SECRETARY),
    ]


def test_vacant_seats_to_dict_is_json(world, hr, make_cadre):
    assignment = hr.seat(make_cadre(TAN_SON), world.post(TAN_SON, CHAIRMAN))
    assignment_end(assignment=assignment, end_date=D(2022, 3, 31), reason="Nghỉ hưu")

    report = vacant_seats(unit=world.communes[TAN_SON], day=DAY, key_only=True)
    data = json.loads(json.dumps(report.to_dict()))

    assert (data["day"], data["total_vacant"], data["unit"]["name"]) == ("2023-06-30", 5, "Tân Sơn")
    chairman = next(row for row in data["rows"] if row["role"] == CHAIRMAN)
    assert chairman == {
        "post_id": world.post(TAN_SON, CHAIRMAN).pk,
        "post": "Chủ tịch Ủy ban nhân dân – UBND Tân Sơn",
        "unit": {
            "id": world.communes[TAN_SON].pk,
            "code": "13411",
            "name": "Tân Sơn",
            "kind": "commune",
        },
        "role": CHAIRMAN,
        "role_label": "Chủ tịch Ủy ban nhân dân",
        "is_key": True,
        "seats": 1,
        "held": 0,
        "vacant": 1,
        "since": "2022-04-01",
    }
    assert data["rows"][0]["since"] is None


def test_vacant_seats_queries_do_not_grow_with_communes_or_holders(world):
    district = DistrictFactory(parent=world.province)

    def add(count):
        for _ in range(count):
            commune_with_posts(district, held_by=CadreFactory())

    add(2)
    # 1-2 the district's earlier versions and the units below it; 3 the posts with their
    # roles, organisations and units; 4 the periods of their holders.
    small_queries, small = queries_of(lambda: vacant_seats(unit=district, day=DAY))
    add(4)
    large_queries, large = queries_of(lambda: vacant_seats(unit=district, day=DAY))

    assert (small_queries, large_queries) == (4, 4)
    assert (small.total_vacant, large.total_vacant) == (4, 12)  # two vice-chairmen each


# --------------------------------------------------------------------------- non-local trend


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2021, 2, 15), D(2021, 11, 20), [D(2021, 3, 31), D(2021, 6, 30), D(2021, 9, 30), D(2021, 11, 20)]),
        (D(2020, 12, 31), D(2021, 6, 30), [D(2020, 12, 31), D(2021, 3, 31), D(2021, 6, 30)]),
        (D(2021, 5, 5), D(2021, 5, 5), [D(2021, 5, 5)]),
        (D(2021, 4, 1), D(2021, 6, 29), [D(2021, 6, 29)]),
    ],
)  # fmt: skip
def test_points_are_the_quarter_ends_and_the_last_day(world, start, end, days):
    trend = non_local_trend(unit=world.district, start=start, end=end)

    assert [point.day for point in trend.points] == days
    assert (trend.start, trend.end) == (start, end)


def test_each_point_counts_as_the_non_local_report_of_its_day(
    world, secretaries, make_cadre, records
):
    outsider = make_cadre(QUE, full_name="Phạm Văn Ngoài")
    records.hold(outsider, records.pool)
    records.decide(
        {
            "kind": MovementKind.TRANSFER,
            "cadre": outsider,
            "to_post": world.post(TAN_SON, CHAIRMAN),
            "effective_date": D(2021, 11, 15),
        },
        signed_on=D(2021, 11, 1),
    )

    trend = non_local_trend(unit=world.district, start=D(2021, 1, 1), end=D(2022, 2, 10))

    for point in trend.points:
        report = non_local_report(unit=world.district, day=point.day)
        for code in (SECRETARY, CHAIRMAN):
            figure = report.role(code)
            assert point.non_local[code] == figure.non_local, (point.day, code)
            assert point.held[code] == figure.units_total - figure.vacant, (point.day, code)
        assert point.units_total == report.units_total
    assert [point.non_local[CHAIRMAN] for point in trend.points] == [0, 0, 0, 1, 1]
    assert [point.held[CHAIRMAN] for point in trend.points] == [0, 0, 0, 1, 1]
    assert {point.non_local[SECRETARY] for point in trend.points} == {2}


def test_trend_follows_the_secretary_posts_over_time(world, make_cadre, records):
    local = make_cadre(LE_HO, full_name="Nguyễn Văn Địa")
    outsider = make_cadre(QUE, full_name="Phạm Văn Ngoài")
    records.hold(local, world.post(LE_HO, SECRETARY))
    records.hold(outsider, records.pool)
    records.decide(
        {"kind": MovementKind.TRANSFER, "cadre": local, "to_post": records.pool,
         "effective_date": D(2021, 12, 15)},
        {"kind": MovementKind.TRANSFER, "cadre": outsider,
         "to_post": world.post(LE_HO, SECRETARY), "effective_date": D(2021, 12, 15)},
        signed_on=D(2021, 12, 1),
    )  # fmt: skip

    trend = non_local_trend(unit=world.district, start=D(2021, 7, 1), end=D(2022, 3, 31))

    assert [(p.day, p.non_local[SECRETARY], p.held[SECRETARY]) for p in trend.points] == [
        (D(2021, 9, 30), 0, 1),
        (D(2021, 12, 31), 1, 1),
        (D(2022, 3, 31), 1, 1),
    ]
    assert trend.points[1].share(SECRETARY) == pytest.approx(1 / 3)
    assert trend.points[1].share(CHAIRMAN) == 0


def test_a_merge_changes_the_denominator_of_later_points(world, make_cadre, records):
    records.hold(make_cadre(LE_HO), world.post(QUE, SECRETARY))
    from_tan_son = make_cadre(TAN_SON, full_name="Vũ Văn Hợp")
    merged = unit_succeed(
        predecessors=[world.communes[LE_HO], world.communes[TAN_SON]],
        code="13393",
        name="Lê Sơn",
        kind=UnitKind.COMMUNE,
        parent=world.district,
        effective_date=D(2025, 1, 1),
        change=SuccessionKind.MERGE,
    )
    party = organisation_create(
        unit=merged, kind=OrganisationKind.PARTY_COMMITTEE, name="Đảng ủy xã Lê Sơn"
    )
    records.hold(from_tan_son, post_create(organisation=party, role=SECRETARY), D(2025, 1, 1))

    trend = non_local_trend(unit=world.district, start=D(2024, 10, 1), end=D(2025, 3, 31))

    # Quế's secretary comes from Lê Hồ: non-local throughout. The merged unit's secretary
    # comes from Tân Sơn, which lies in Lê Sơn: local.
    assert [
        (p.day, p.units_total, p.non_local[SECRETARY], p.held[SECRETARY]) for p in trend.points
    ] == [
        (D(2024, 12, 31), 3, 1, 1),
        (D(2025, 3, 31), 2, 1, 2),
    ]


def test_share_is_none_without_units(world):
    empty = DistrictFactory(parent=world.province)

    (point,) = non_local_trend(unit=empty, start=D(2023, 4, 1), end=D(2023, 6, 30)).points

    assert (point.units_total, point.non_local, point.share(SECRETARY)) == (
        0,
        {SECRETARY: 0, CHAIRMAN: 0},
        None,
    )


def test_roles_are_those_asked_in_order(world, secretaries):
    trend = non_local_trend(
        unit=world.district,
        start=D(2023, 4, 1),
        end=D(2023, 6, 30),
        role_codes=["people_committee_vice_chairman", SECRETARY],
    )

    assert [code for code, _label in trend.roles] == ["people_committee_vice_chairman", SECRETARY]
    assert trend.roles[1][1] == "Bí thư Đảng ủy"
    assert trend.points[0].non_local == {"people_committee_vice_chairman": 0, SECRETARY: 2}


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("arguments", "key", "message"),
    [
        ({"start": D(2023, 7, 1), "end": D(2023, 6, 30)}, "end",
         "The period starts on 01/07/2023, after its end on 30/06/2023."),
        ({"start": D(1990, 1, 1), "end": D(2023, 6, 30)}, "start",
         "A trend covers at most 30 years; start on 01/01/1993 or later."),
        ({"role_codes": ["party_secretary", "mayor"]}, "role_codes",
         "There is no role with code mayor."),
        ({"role_codes": []}, "role_codes", "Choose at least one role."),
    ],
)  # fmt: skip
def test_trend_refuses_bad_arguments_by_name(world, arguments, key, message):
    arguments = {"start": D(2020, 10, 1), "end": D(2023, 6, 30), **arguments}

    with pytest.raises(ValidationError) as caught:
        non_local_trend(unit=world.district, **arguments)

    assert caught.value.message_dict == {key: [message]}


def test_trend_to_dict_is_json(world, secretaries):
    trend = non_local_trend(unit=world.district, start=D(2023, 1, 1), end=D(2023, 5, 15))

    data = json.loads(json.dumps(trend.to_dict()))

    assert (data["start"], data["end"], data["unit"]["code"]) == ("2023-01-01", "2023-05-15", "350")
    assert data["roles"] == [
        {"role": SECRETARY, "role_label": "Bí thư Đảng ủy"},
        {"role": CHAIRMAN, "role_label": "Chủ tịch Ủy ban nhân dân"},
    ]
    assert data["points"][0] == {
        "day": "2023-03-31",
        "units_total": 3,
        "non_local": {SECRETARY: 2, CHAIRMAN: 0},
        "held": {SECRETARY: 3, CHAIRMAN: 0},
        "share": {SECRETARY: 0.6667, CHAIRMAN: 0.0},
    }
    assert data["points"][1]["day"] == "2023-05-15"


def add_communes(district, count, hometown):
    """``count`` communes of ``district``, each with a local secretary and a non-local chairman."""
    for _ in range(count):
        commune = CommuneFactory(parent=district)
        party = OrganisationFactory(unit=commune)
        committee = OrganisationFactory(
            unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune.name}"
        )
        secretary = PostFactory(organisation=party, role=SECRETARY)
        chairman = PostFactory(organisation=committee, role=CHAIRMAN)
        start = D(2019, 1, 1)
        assignment_record(cadre=CadreFactory(hometown=commune), post=secretary, start_date=start)
        assignment_record(cadre=CadreFactory(hometown=hometown), post=chairman, start_date=start)


def test_trend_queries_grow_neither_with_units_nor_with_points(world):
    district = DistrictFactory(parent=world.province)
    add_communes(district, 2, world.communes[0])

    def trend(start):
        return non_local_trend(unit=district, start=start, end=D(2023, 6, 30))

    # 1-2 the district's earlier versions and every version of the units below it; 3 the
    # roles; 4 the holders over the whole period with their cadres; 5-11 the locality rule,
    # once for every point: overrides, then successors, predecessors and records of the
    # places and of their parents.
    small_queries, small = queries_of(lambda: trend(D(2022, 7, 1)))
    long_queries, long = queries_of(lambda: trend(D(2020, 7, 1)))
    add_communes(district, 4, world.communes[0])
    large_queries, large = queries_of(lambda: trend(D(2022, 7, 1)))

    assert (small_queries, long_queries, large_queries) == (11, 11, 11)
    assert (len(small.points), len(long.points)) == (4, 12)
    assert [
        (p.units_total, p.non_local[CHAIRMAN], p.non_local[SECRETARY]) for p in small.points
    ] == [(2, 2, 0)] * 4
    assert {(p.units_total, p.non_local[CHAIRMAN]) for p in large.points} == {(6, 6)}


# --------------------------------------------------------------------------- the term


@pytest.fixture
def term(db):
    return Term.objects.create(name="2020–2025", start=D(2020, 10, 1), end=D(2025, 9, 30))


@pytest.mark.usefixtures("term")
@pytest.mark.parametrize(
    ("day", "period"),
    [
        (D(2023, 6, 30), (D(2020, 10, 1), D(2023, 6, 30))),
        (D(2020, 10, 1), (D(2020, 10, 1), D(2020, 10, 1))),
        (D(2025, 9, 30), (D(2020, 10, 1), D(2025, 9, 30))),
    ],
)
def test_current_term_period_runs_from_the_start_of_the_term_to_the_day(day, period):
    assert current_term_period(day) == period


@pytest.mark.usefixtures("term")
@pytest.mark.parametrize(
    ("day", "period"),
    [
        (D(2025, 10, 1), (D(2020, 10, 1), D(2025, 10, 1))),  # no term recorded after 2025
        (D(2028, 2, 29), (D(2023, 2, 28), D(2028, 2, 29))),
        (D(2019, 5, 20), (D(2014, 5, 20), D(2019, 5, 20))),
    ],
)
def test_without_a_recorded_term_the_period_is_the_five_years_to_the_day(day, period):
    assert current_term_period(day) == period


def test_current_term_period_is_one_query(term, django_assert_num_queries):
    with django_assert_num_queries(1):  # the term containing the day
        current_term_period(D(2023, 6, 30))
