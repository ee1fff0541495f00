"""The headline figures, checked against records built through the services."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from cadres.models import LocalityOverride
from cadres.tests.factories import CadreFactory
from communes.models import OrganisationKind, SuccessionKind, UnitKind
from communes.services import organisation_create, post_create, unit_succeed
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
)
from reports.selectors import Standing, movement_report, non_local_report
from reports.tests.records import DAY, LE_HO, PERIOD, QUE, TAN_SON
from rotation.models import Direction, MovementKind
from rotation.services import (
    assignment_end,
    assignment_record,
    decision_cancel,
    decision_issue,
    rotation_return,
)

D = datetime.date
KEY_ROLES = [
    "party_secretary",
    "standing_deputy_secretary",
    "people_council_chairman",
    "people_committee_chairman",
    "people_committee_vice_chairman",
]


def counts(figure):
    return figure.non_local, figure.units_total, figure.local, figure.vacant


# --------------------------------------------------------------------------- non-local


def test_non_local_counts_units_whose_secretary_is_not_local(world, secretaries):
    report = non_local_report(unit=world.district, day=DAY)

    secretary = report.role("party_secretary")
    assert counts(secretary) == (2, 3, 1, 0)
    assert [unit.code for unit in secretary.non_local_units] == ["13384", "13393"]
    assert [unit.code for unit in secretary.local_units] == ["13411"]
    assert secretary.share == pytest.approx(2 / 3)
    assert report.units_total == 3
    assert [unit.name for unit in report.units] == ["Quế", "Lê Hồ", "Tân Sơn"]


def test_non_local_lists_holders_with_hometown_and_basis(world, secretaries):
    secretary = non_local_report(unit=world.district, day=DAY).role("party_secretary")

    rows = {row.unit.name: row for row in secretary.units}
    (kien,) = rows["Lê Hồ"].holders
    assert (kien.cadre_name, kien.hometown, kien.is_local, kien.basis) == (
        "Đinh Hồng Kiên",
        "Tân Sơn",
        False,
        "none",
    )
    (son,) = rows["Tân Sơn"].holders
    assert (son.is_local, son.basis) == (True, "hometown")
    assert rows["Tân Sơn"].standing == Standing.LOCAL


def test_non_local_roles_default_to_key_roles_in_catalogue_order(world, secretaries):
    report = non_local_report(unit=world.district, day=DAY)

    assert [figure.role_code for figure in report.roles] == KEY_ROLES
    assert report.roles[0].role_label == "Bí thư Đảng ủy"


def test_posts_nobody_holds_are_vacant_not_local(world, secretaries, make_cadre, records):
    records.hold(make_cadre(QUE), world.post(QUE, "people_committee_chairman"))

    chairman = non_local_report(unit=world.district, day=DAY).role("people_committee_chairman")

    assert counts(chairman) == (0, 3, 1, 2)
    assert [unit.name for unit in chairman.vacant_units] == ["Lê Hồ", "Tân Sơn"]
    assert chairman.units[1].holders == ()
    assert chairman.units[1].standing == Standing.VACANT


def test_a_post_becomes_vacant_when_its_holder_leaves(world, secretaries):
    [assignment] = secretaries[TAN_SON].assignments.all()
    assignment_end(assignment=assignment, end_date=D(2022, 12, 31), reason="Nghỉ hưu")

    before = non_local_report(unit=world.district, day=D(2022, 12, 31)).role("party_secretary")
    after = non_local_report(unit=world.district, day=D(2023, 1, 1)).role("party_secretary")

    assert counts(before) == (2, 3, 1, 0)
    assert counts(after) == (2, 3, 0, 1)


def test_permanent_residence_makes_a_cadre_local(world, make_cadre, records):
    cadre = make_cadre(TAN_SON, permanent_residence=world.communes[LE_HO])
    records.hold(cadre, world.post(LE_HO, "party_secretary"))

    secretary = non_local_report(unit=world.district, day=DAY).role("party_secretary")

    (holder,) = secretary.units[1].holders
    assert (holder.is_local, holder.basis) == (True, "permanent_residence")
    assert counts(secretary) == (0, 3, 1, 2)


def test_hr_override_decides_over_the_default_rule(world, secretaries):
    LocalityOverride.objects.create(
        cadre=secretaries[LE_HO],
        unit=world.communes[LE_HO],
        is_local=True,
        reason="Lớn lên và công tác 25 năm tại xã",
    )

    secretary = non_local_report(unit=world.district, day=DAY).role("party_secretary")

    assert counts(secretary) == (1, 3, 2, 0)
    holder = secretary.units[1].holders[0]
    assert (holder.basis, holder.reason) == ("override", "Lớn lên và công tác 25 năm tại xã")


def test_one_non_local_vice_chairman_makes_the_post_non_local(world, make_cadre, records):
    post = world.post(LE_HO, "people_committee_vice_chairman")
    records.hold(make_cadre(LE_HO), post)
    records.hold(make_cadre(QUE), post)

    vice = non_local_report(unit=world.district, day=DAY).role("people_committee_vice_chairman")

    assert counts(vice) == (1, 3, 0, 2)
    assert len(vice.units[1].holders) == 2


def test_figure_follows_an_issued_decision_and_its_cancellation(world, make_cadre, records):
    local = make_cadre(LE_HO, full_name="Nguyễn Văn Địa")
    outsider = make_cadre(QUE, full_name="Phạm Văn Ngoài")
    records.hold(local, world.post(LE_HO, "party_secretary"))
    records.hold(outsider, records.pool)
    decision = records.decide(
        {"kind": MovementKind.TRANSFER, "cadre": local, "to_post": records.pool,
         "effective_date": D(2021, 12, 15)},
        {"kind": MovementKind.TRANSFER, "cadre": outsider,
         "to_post": world.post(LE_HO, "party_secretary"), "effective_date": D(2021, 12, 15)},
        signed_on=D(2021, 12, 1),
        issue=False,
    )  # fmt: skip

    def non_local_on(day):
        return non_local_report(unit=world.district, day=day).role("party_secretary").non_local

    assert non_local_on(D(2022, 1, 1)) == 0  # a draft changes nothing
    decision_issue(decision=decision)
    assert (non_local_on(D(2021, 12, 14)), non_local_on(D(2022, 1, 1))) == (0, 1)
    decision_cancel(decision=decision, reason="Hủy bởi Quyết định 130-QĐ/HU")
    assert non_local_on(D(2022, 1, 1)) == 0


def test_secretary_who_is_also_chairman_is_listed(world, make_cadre, records):
    both = make_cadre(LE_HO, full_name="Nguyễn Trung Trực")
    records.hold(both, world.post(QUE, "party_secretary"))
    records.hold(both, world.post(QUE, "people_committee_chairman"), principal=False)
    # Secretary of one commune and chairman of another: not the case the article counts.
    elsewhere = make_cadre(QUE)
    records.hold(elsewhere, world.post(LE_HO, "party_secretary"))
    records.hold(elsewhere, world.post(TAN_SON, "people_committee_chairman"), principal=False)

    report = non_local_report(unit=world.district, day=DAY)

    assert [(row.unit.code, row.cadre_name) for row in report.secretary_chairman] == [
        ("13384", "Nguyễn Trung Trực")
    ]
    assert counts(report.role("party_secretary")) == (2, 3, 0, 1)
    assert counts(report.role("people_committee_chairman")) == (2, 3, 0, 1)


def test_secretary_and_chairman_found_even_when_those_roles_are_not_asked(
    world, make_cadre, records
):
    both = make_cadre(QUE)
    records.hold(both, world.post(QUE, "party_secretary"))
    records.hold(both, world.post(QUE, "people_committee_chairman"), principal=False)

    report = non_local_report(
        unit=world.district, day=DAY, role_codes=["people_committee_vice_chairman"]
    )

    assert [figure.role_code for figure in report.roles] == ["people_committee_vice_chairman"]
    assert len(report.secretary_chairman) == 1


def test_a_merge_changes_the_denominator_and_keeps_hometowns_local(world, make_cadre, records):
    records.hold(make_cadre(LE_HO), world.post(QUE, "party_secretary"))
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
    records.hold(
        from_tan_son, post_create(organisation=party, role="party_secretary"), D(2025, 1, 1)
    )

    before = non_local_report(unit=world.district, day=D(2024, 12, 31)).role("party_secretary")
    after = non_local_report(unit=world.district, day=D(2025, 1, 2)).role("party_secretary")

    assert counts(before) == (1, 3, 0, 2)
    assert counts(after) == (1, 2, 1, 0)
    assert [unit.name for unit in after.local_units] == ["Lê Sơn"]


def test_holders_of_other_districts_are_not_counted(world, make_cadre, records):
    other = CommuneFactory(parent=DistrictFactory(parent=world.province))
    records.hold(make_cadre(QUE), PostFactory(organisation=OrganisationFactory(unit=other)))

    report = non_local_report(unit=world.district, day=DAY)

    assert counts(report.role("party_secretary")) == (0, 3, 0, 3)


def test_province_report_covers_the_communes_of_its_districts(world, secretaries):
    DistrictFactory(parent=world.province)  # a district with no commune adds nothing

    report = non_local_report(unit=world.province, day=DAY)

    assert counts(report.role("party_secretary")) == (2, 3, 1, 0)


def test_commune_report_covers_that_commune(world, secretaries):
    report = non_local_report(unit=world.communes[QUE], day=DAY)

    assert counts(report.role("party_secretary")) == (1, 1, 0, 0)


@pytest.mark.usefixtures("english")
def test_unknown_role_code_is_refused(world):
    with pytest.raises(ValidationError, match="no role with code mayor"):
        non_local_report(unit=world.district, day=DAY, role_codes=["party_secretary", "mayor"])


def test_non_local_to_dict_is_json_with_the_same_numbers(world, secretaries):
    report = non_local_report(unit=world.district, day=DAY)

    data = json.loads(json.dumps(report.to_dict()))
    summary = report.to_dict(details=False)

    assert data["day"] == "2023-06-30"
    assert data["units_total"] == 3
    first = data["roles"][0]
    assert (first["role"], first["non_local"], first["units_total"], first["share"]) == (
        "party_secretary",
        2,
        3,
        0.6667,
    )
    assert [unit["code"] for unit in first["non_local_units"]] == ["13384", "13393"]
    assert first["units"][1]["holders"][0]["cadre_name"] == "Đinh Hồng Kiên"
    assert "units" not in summary["roles"][0]


def add_communes(district, count, hometown):
    """``count`` communes of ``district``, each with a local secretary and a non-local chairman."""
    for _ in range(count):
        commune = CommuneFactory(parent=district)
        party = OrganisationFactory(unit=commune)
        committee = OrganisationFactory(
            unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {commune.name}"
        )
        secretary = PostFactory(organisation=party, role="party_secretary")
        chairman = PostFactory(organisation=committee, role="people_committee_chairman")
        start = D(2019, 1, 1)
        assignment_record(cadre=CadreFactory(hometown=commune), post=secretary, start_date=start)
        assignment_record(cadre=CadreFactory(hometown=hometown), post=chairman, start_date=start)


def test_non_local_queries_do_not_grow_with_units_or_cadres(world, django_assert_num_queries):
    district = DistrictFactory(parent=world.province)
    add_communes(district, 2, world.communes[0])
    # 1-2 the district's earlier versions, the communes below it; 3 the roles; 4 the holders
    # with their cadres, hometowns, roles and organisations; 5-11 the locality rule:
    # overrides, then successors, predecessors and records of the places and of their parents.
    with django_assert_num_queries(11):
        small = non_local_report(unit=district, day=DAY)
    add_communes(district, 4, world.communes[0])
    with django_assert_num_queries(11):
        large = non_local_report(unit=district, day=DAY)

    assert counts(small.role("people_committee_chairman")) == (2, 2, 0, 0)
    assert counts(large.role("people_committee_chairman")) == (6, 6, 0, 0)
    assert counts(large.role("party_secretary")) == (0, 6, 6, 0)


# --------------------------------------------------------------------------- movements


def by(groups, *attributes):
    return {tuple(getattr(g, a) for a in attributes): g.count for g in groups}


def test_movements_counted_by_direction(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert report.total == 7
    assert by(report.by_direction, "direction") == {
        (Direction.DISTRICT_TO_COMMUNE,): 2,
        (Direction.COMMUNE_TO_DISTRICT,): 1,
        (Direction.COMMUNE_TO_COMMUNE,): 3,
        (Direction.WITHIN_DISTRICT,): 1,
        (Direction.OTHER,): 0,
    }


def test_movements_counted_by_kind(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    kinds = by(report.by_kind, "kind")
    assert kinds[(MovementKind.ROTATION,)] == 1
    assert kinds[(MovementKind.TRANSFER,)] == 5
    assert kinds[(MovementKind.ELECTION_NOMINATION,)] == 1
    assert sum(kinds.values()) == 7
    assert len(kinds) == len(MovementKind)


def test_movements_counted_by_direction_kind_and_role(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert [(g.direction, g.kind, g.role_code, g.count) for g in report.by_direction_kind_role] == [
        ("district_to_commune", "rotation", "party_secretary", 1),
        ("district_to_commune", "election_nomination", "people_committee_vice_chairman", 1),
        # Out of a commune: counted under the commune post left, not the district post taken.
        ("commune_to_district", "transfer", "standing_deputy_secretary", 1),
        ("commune_to_commune", "transfer", "people_committee_chairman", 1),
        ("commune_to_commune", "transfer", "finance_accounting_officer", 1),
        ("commune_to_commune", "transfer", "justice_civil_status_officer", 1),
        ("within_district", "transfer", "specialist", 1),
    ]
    assert [row.cadre_name for row in report.by_direction_kind_role[2].rows] == ["Bình"]


def test_civil_servants_counted_by_field(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert report.civil_servants == 2
    fields = by(report.by_field, "field")
    assert fields[("finance",)] == 1
    assert fields[("justice",)] == 1
    assert sum(fields.values()) == 2
    assert report.count(direction=Direction.COMMUNE_TO_COMMUNE, civil_servant=True) == 2
    assert report.count(direction=Direction.COMMUNE_TO_COMMUNE, civil_servant=False) == 1


def test_movement_rows_say_who_moved_where_by_which_decision(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    first = report.rows[0]
    assert (first.cadre_name, first.effective_date, first.decision_number) == (
        "An",
        D(2021, 1, 10),
        "1-QĐ/HU",
    )
    assert first.from_post == "Chuyên viên – Ban Tổ chức Huyện ủy Kim Bảng"
    assert first.to_post == "Bí thư Đảng ủy – Đảng ủy Lê Hồ"
    assert (first.from_unit, first.to_unit) == ("Kim Bảng", "Lê Hồ")
    assert [row.effective_date for row in report.rows] == sorted(
        row.effective_date for row in report.rows
    )


def test_drafts_cancelled_decisions_and_moves_outside_the_period_are_not_counted(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    names = {row.cadre_name for row in report.rows}
    assert names.isdisjoint({"Lan", "Minh", "Thảo"})
    wider = movement_report(unit=world.district, start=D(2020, 1, 1), end=D(2023, 12, 31))
    assert {row.cadre_name for row in wider.rows} - names == {"Thảo", "Lan"}


def test_period_bounds_are_inclusive(world, moves):
    day = D(2021, 1, 10)

    report = movement_report(unit=world.district, start=day, end=day)

    assert [row.cadre_name for row in report.rows] == ["An"]


def test_return_after_rotation_counts_under_the_commune_post_left(world, moves, records):
    decision = records.decide(signed_on=D(2024, 1, 5), issue=False)
    rotation_return(decision=decision, rotation=moves["rotation"], effective_date=D(2024, 1, 10))
    decision_issue(decision=decision)

    report = movement_report(unit=world.district, start=D(2024, 1, 1), end=D(2024, 12, 31))
    assert [(g.direction, g.kind, g.role_code, g.count) for g in report.by_direction_kind_role] == [
        ("commune_to_district", "return", "party_secretary", 1)
    ]


def test_movements_of_another_district_are_excluded_unless_they_enter_ours(
    world, moves, make_cadre, records
):
    other = DistrictFactory(parent=world.province)
    office = OrganisationFactory(unit=other, kind=OrganisationKind.DEPARTMENT, name="Phòng Nội vụ")
    there = PostFactory(organisation=office, role="specialist", seats=2)
    elsewhere = PostFactory(organisation=office, role="department_head")
    stays, comes = make_cadre(QUE, full_name="Ở Lại"), make_cadre(QUE, full_name="Đến Đây")
    records.hold(stays, there)
    records.hold(comes, there)
    records.decide(
        {"kind": MovementKind.TRANSFER, "cadre": stays, "to_post": elsewhere,
         "effective_date": D(2022, 8, 1)},
        {"kind": MovementKind.TRANSFER, "cadre": comes,
         "to_post": world.post(TAN_SON, "people_committee_chairman"),
         "effective_date": D(2022, 8, 1)},
        signed_on=D(2022, 7, 25),
    )  # fmt: skip

    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert report.total == 8
    assert report.count(direction=Direction.DISTRICT_TO_COMMUNE) == 3
    assert "Ở Lại" not in {row.cadre_name for row in report.rows}


def test_a_regraded_district_still_reports_the_movements_of_its_predecessor(world, moves):
    town = unit_succeed(
        predecessors=[world.district],
        code="350",
        name="Kim Bảng",
        kind=UnitKind.DISTRICT_TOWN,
        parent=world.province,
        effective_date=D(2025, 1, 1),
        change=SuccessionKind.REGRADE,
        end_assignments_reason="Nghị quyết 1318/NQ-UBTVQH15",
    )

    report = movement_report(unit=town, start=PERIOD[0], end=PERIOD[1])

    assert report.total == 7


@pytest.mark.usefixtures("english")
def test_movement_report_refuses_a_period_that_ends_before_it_starts(world):
    with pytest.raises(ValidationError, match="after its end"):
        movement_report(unit=world.district, start=D(2023, 7, 1), end=D(2023, 6, 30))


def test_movement_to_dict_is_json_with_the_same_numbers(world, moves):
    report = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    data = json.loads(json.dumps(report.to_dict()))
    summary = report.to_dict(details=False)

    assert (data["start"], data["end"], data["total"]) == ("2020-10-01", "2023-06-30", 7)
    assert {g["direction"]: g["count"] for g in data["by_direction"]}["commune_to_commune"] == 3
    assert data["by_direction_kind_role"][2] == {
        "direction": "commune_to_district",
        "kind": "transfer",
        "role": "standing_deputy_secretary",
        "label": report.by_direction_kind_role[2].label,
        "count": 1,
        "movement_ids": [report.by_direction_kind_role[2].rows[0].movement_id],
    }
    assert data["movements"][0]["effective_date"] == "2021-01-10"
    assert "movements" not in summary
    assert "movement_ids" not in summary["by_kind"][0]


def test_movement_queries_do_not_grow_with_movements(
    world, moves, make_cadre, records, django_assert_num_queries
):
    # 1-2 the district's earlier versions and the ids of its area; 3 the ids of the
    # movements; 4 the movements with their decisions, cadres, posts, roles, organisations
    # and units.
    with django_assert_num_queries(4):
        small = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])
    office = OrganisationFactory(
        unit=world.district, kind=OrganisationKind.DEPARTMENT, name="Văn phòng Huyện ủy"
    )
    post = PostFactory(organisation=office, role="specialist", seats=20)
    for index in range(14):
        cadre = make_cadre(QUE)
        records.hold(cadre, records.pool)
        records.decide(
            {"kind": MovementKind.TRANSFER, "cadre": cadre,
             "to_post": post,
             "effective_date": D(2022, 9, 1) + datetime.timedelta(days=index)},
            signed_on=D(2022, 8, 25),
        )  # fmt: skip
    with django_assert_num_queries(4):
        large = movement_report(unit=world.district, start=PERIOD[0], end=PERIOD[1])

    assert (small.total, large.total) == (7, 21)
