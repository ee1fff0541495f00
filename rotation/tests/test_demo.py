"""The Kim Bảng records built by ``load_demo``: complete, consistent, and idempotent."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cadres.locality import is_local
from cadres.models import Cadre
from communes.models import AdministrativeUnit, Organisation, Post, UnitLevel, UnitSuccession
from communes.selectors import unit_on, units_within
from rotation.models import Assignment, Decision, DecisionStatus, Movement, MovementKind
from rotation.services import decision_issue

D = datetime.date
MID_TERM = D(2023, 6, 30)
KIM_BANG_CODES = {
    "13384": "Quế", "13387": "Nguyễn Úy", "13390": "Đại Cương", "13393": "Lê Hồ",
    "13396": "Tượng Lĩnh", "13399": "Nhật Tựu", "13402": "Nhật Tân", "13405": "Đồng Hóa",
    "13408": "Hoàng Tây", "13411": "Tân Sơn", "13414": "Thụy Lôi", "13417": "Văn Xá",
    "13420": "Khả Phong", "13423": "Ngọc Sơn", "13429": "Ba Sao", "13432": "Liên Sơn",
    "13435": "Thi Sơn", "13438": "Thanh Sơn",
}  # fmt: skip

pytestmark = pytest.mark.usefixtures("kim_bang")


def counts() -> dict[str, int]:
    models = [
        AdministrativeUnit,
        UnitSuccession,
        Organisation,
        Post,
        Cadre,
        Decision,
        Movement,
        Assignment,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_load_demo_twice_adds_nothing(db):
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before


def test_kim_bang_has_its_18_commune_level_units_at_mid_term(db):
    district = unit_on("350", MID_TERM)
    assert (district.name, district.kind, district.parent.code) == ("Kim Bảng", "district", "35")
    units = units_within(district, MID_TERM, level=UnitLevel.COMMUNE)
    assert {u.code: u.name for u in units} == KIM_BANG_CODES
    assert {u.name for u in units if u.kind == "township"} == {"Quế", "Ba Sao"}


def test_in_2025_the_town_has_17_units_with_tan_tuu(db):
    day = D(2025, 3, 1)
    town = unit_on("350", day)
    assert town.kind == "district_town"
    names = {u.name for u in units_within(town, day, level=UnitLevel.COMMUNE)}
    assert len(names) == 17
    assert "Tân Tựu" in names
    assert not {"Nhật Tân", "Nhật Tựu"} & names
    tan_tuu = unit_on("13402", day)
    assert {p.name for p in tan_tuu.predecessors.all()} == {"Nhật Tân", "Nhật Tựu"}


def test_after_july_2025_the_area_is_six_wards_of_ninh_binh(db):
    day = D(2025, 8, 1)
    province = unit_on("37", day)
    assert {p.code for p in province.predecessors.all()} == {"35", "36", "37"}
    wards = {u.code: u for u in units_within(province, day, level=UnitLevel.COMMUNE)}
    expected = {
        "13384": ("Kim Bảng", {"Quế", "Ngọc Sơn", "Văn Xá"}),
        "13393": ("Lê Hồ", {"Lê Hồ", "Đại Cương", "Đồng Hóa"}),
        "13396": ("Nguyễn Úy", {"Nguyễn Úy", "Tượng Lĩnh", "Tân Sơn"}),
        "13402": ("Kim Thanh", {"Tân Tựu", "Hoàng Tây"}),
        "13420": ("Tam Chúc", {"Ba Sao", "Khả Phong", "Thụy Lôi"}),
        "13435": ("Lý Thường Kiệt", {"Thi Sơn", "Liên Sơn", "Thanh Sơn"}),
    }
    assert set(wards) == set(expected)
    for code, (name, predecessors) in expected.items():
        assert wards[code].name == name
        assert wards[code].kind == "ward"
        assert {p.name for p in wards[code].predecessors.all()} == predecessors
    with pytest.raises(ValidationError, match="350"):
        unit_on("350", day)


def test_dinh_hong_kien_moved_from_tan_son_to_le_ho_in_december_2021(db):
    kien = Cadre.objects.get(full_name="Đinh Hồng Kiên")
    assert kien.hometown.name == "Tân Sơn"
    move = Movement.objects.get(
        cadre=kien, to_post__organisation__unit__name="Lê Hồ", to_post__role__code="party_secretary"
    )
    assert move.effective_date.strftime("%m/%Y") == "12/2021"
    assert move.decision.issuing_body.name == "Ban Thường vụ Huyện ủy Kim Bảng"
    assert move.from_assignment.post.organisation.unit.name == "Tân Sơn"
    assert move.from_assignment.post.role.code == "party_secretary"
    assert move.from_assignment.start_date.year <= 2015  # "for many years"
    le_ho = unit_on("13393", MID_TERM)
    assert not is_local(kien, le_ho, MID_TERM).is_local


def test_nguyen_trung_truc_moved_from_ngoc_son_to_que_not_his_residence(db):
    truc = Cadre.objects.get(full_name="Nguyễn Trung Trực")
    move = Movement.objects.get(cadre=truc, to_post__role__code="people_committee_chairman")
    assert move.from_assignment.post.organisation.unit.name == "Ngọc Sơn"
    assert move.from_assignment.post.role.code == "people_committee_chairman"
    assert move.to_post.organisation.unit.name == "Quế"
    que = unit_on("13384", MID_TERM)
    assert truc.permanent_residence.name != "Quế"
    assert not is_local(truc, que, MID_TERM).is_local


@pytest.mark.parametrize(
    "day", [D(2019, 1, 1), D(2021, 1, 1), MID_TERM, D(2025, 3, 1), D(2025, 8, 1), D(2026, 1, 1)]
)
def test_no_post_ever_has_more_holders_than_seats(db, day):
    held = Counter(Assignment.objects.as_of(day).values_list("post_id", flat=True))
    seats = dict(Post.objects.filter(pk__in=held).values_list("pk", "seats"))
    assert held, "the records hold posts on that day"
    assert all(count <= seats[post] for post, count in held.items())


@pytest.mark.parametrize("day", [D(2021, 1, 1), MID_TERM, D(2025, 8, 1)])
def test_nobody_holds_two_principal_posts(db, day):
    principal = Counter(
        Assignment.objects.as_of(day).principal().values_list("cadre_id", flat=True)
    )
    assert principal
    assert max(principal.values()) == 1


def test_no_open_assignment_outlives_its_post(db):
    assert not Assignment.objects.open().filter(post__valid_to__isnull=False).exists()


def test_every_commune_has_a_party_secretary_and_a_chairman_at_mid_term(db):
    units = units_within(unit_on("350", MID_TERM), MID_TERM, level=UnitLevel.COMMUNE)
    for role in ("party_secretary", "people_committee_chairman"):
        held = set(
            Assignment.objects.as_of(MID_TERM)
            .filter(post__role__code=role, post__organisation__unit__in=units)
            .values_list("post__organisation__unit_id", flat=True)
        )
        assert held == {u.pk for u in units}, role


def test_rotations_last_at_least_36_months_and_returns_link_back(db):
    rotations = Movement.objects.filter(kind=MovementKind.ROTATION)
    assert rotations.exists()
    for rotation in rotations:
        assert rotation.planned_end >= rotation.effective_date.replace(
            year=rotation.effective_date.year + 3
        ) - datetime.timedelta(days=1)
    returns = Movement.objects.filter(kind=MovementKind.RETURN).select_related(
        "returns_from", "from_assignment"
    )
    assert returns.exists()
    for movement in returns:
        assert movement.returns_from.kind == MovementKind.ROTATION
        assert movement.from_assignment.opened_by_id == movement.returns_from_id


def test_every_decision_is_issued_except_the_two_drafts(db):
    statuses = Counter(Decision.objects.values_list("status", flat=True))
    assert statuses[DecisionStatus.DRAFT] == 2
    assert set(statuses) == {DecisionStatus.ISSUED, DecisionStatus.DRAFT}


def test_the_draft_that_overfills_a_post_is_refused_and_the_other_issues(db):
    refused = Decision.objects.get(number="216-QĐ/TU")
    before = Assignment.objects.count()
    with pytest.raises(ValidationError) as caught:
        decision_issue(decision=refused)
    [error] = caught.value.error_dict["movements"]
    assert error.code == "post_full"
    assert error.params["field"] == "to_post"
    assert Assignment.objects.count() == before
    refused.refresh_from_db()
    assert refused.status == DecisionStatus.DRAFT

    decision_issue(decision=Decision.objects.get(number="215-QĐ/TU"))
    assert Assignment.objects.count() == before + 1
