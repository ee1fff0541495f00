"""Fixtures shared by every app's tests: a small district with posts, and a fixed cast."""

import datetime
from dataclasses import dataclass, field

import pytest

from cadres.tests.factories import CadreFactory
from communes.models import AdministrativeUnit, OrganisationKind, Post, UnitKind
from communes.tests.factories import (
    CommuneFactory,
    DistrictFactory,
    OrganisationFactory,
    PostFactory,
    ProvinceFactory,
)


@dataclass
class World:
    """Province Thử, district Huyện Thử with three communes, each with key posts."""

    province: AdministrativeUnit
    district: AdministrativeUnit
    communes: list[AdministrativeUnit]
    posts: dict[tuple[str, str], Post] = field(default_factory=dict)
    district_posts: dict[str, Post] = field(default_factory=dict)
    body: object = None

    def post(self, commune_index: int, role: str) -> Post:
        return self.posts[(self.communes[commune_index].code, role)]


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(code="35", name="Hà Nam")
    district = DistrictFactory(code="350", name="Kim Bảng", parent=province)
    communes = [
        CommuneFactory(code="13393", name="Lê Hồ", parent=district),
        CommuneFactory(code="13411", name="Tân Sơn", parent=district),
        CommuneFactory(code="13384", name="Quế", parent=district, kind=UnitKind.TOWNSHIP),
    ]
    w = World(province=province, district=district, communes=communes)
    for unit in communes:
        party = OrganisationFactory(unit=unit, kind=OrganisationKind.PARTY_COMMITTEE, name=f"Đảng ủy {unit.name}")
        committee = OrganisationFactory(
            unit=unit, kind=OrganisationKind.PEOPLES_COMMITTEE, name=f"UBND {unit.name}"
        )
        for org, role, seats in [
            (party, "party_secretary", 1),
            (party, "standing_deputy_secretary", 1),
            (committee, "people_committee_chairman", 1),
            (committee, "people_committee_vice_chairman", 2),
            (committee, "finance_accounting_officer", 1),
        ]:
            w.posts[(unit.code, role)] = PostFactory(organisation=org, role=role, seats=seats)
    standing = OrganisationFactory(
        unit=district, kind=OrganisationKind.PARTY_STANDING_COMMITTEE, name="Ban Thường vụ Huyện ủy Kim Bảng"
    )
    w.body = standing
    home_affairs = OrganisationFactory(unit=district, kind=OrganisationKind.DEPARTMENT, name="Phòng Nội vụ")
    w.district_posts["head"] = PostFactory(organisation=home_affairs, role="department_head")
    w.district_posts["specialist"] = PostFactory(organisation=home_affairs, role="specialist", seats=3)
    return w


@pytest.fixture
def make_cadre(world):
    def make(hometown_index: int = 0, **kwargs):
        kwargs.setdefault("hometown", world.communes[hometown_index])
        return CadreFactory(**kwargs)

    return make


D = datetime.date
