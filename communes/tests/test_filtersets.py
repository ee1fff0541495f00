"""Each filter of the units, organisations, roles and posts narrows the records as it says."""

import datetime

import pytest

from communes.filters import OrganisationFilterSet, PostFilterSet, RoleFilterSet, UnitFilterSet
from communes.models import AdministrativeUnit, Organisation, OrganisationKind, Post, Role, UnitKind
from communes.services import organisation_create, unit_succeed
from communes.tests.factories import CommuneFactory, PostFactory

D = datetime.date
LE_HO, TAN_SON, QUE = 0, 1, 2


def filtered(filterset_class, queryset, **params):
    filterset = filterset_class(params, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def units(**params) -> set[str]:
    return names(filtered(UnitFilterSet, AdministrativeUnit.objects.all(), **params))


def names(queryset) -> set[str]:
    return {item.name for item in queryset}


# --------------------------------------------------------------------------- units


class TestUnitFilterSet:
    def test_q_ignores_diacritics_and_case(self, world):
        assert units(q="le ho") == {"Lê Hồ"}
        assert units(q="LÊ HỒ") == {"Lê Hồ"}

    def test_q_needs_every_word(self, world):
        assert units(q="tan son") == {"Tân Sơn"}
        assert units(q="tan que") == set()

    def test_q_finds_a_code(self, world):
        assert units(q="13384") == {"Quế"}

    def test_as_of_follows_a_merge(self, world):
        merged = unit_succeed(
            predecessors=[world.communes[LE_HO], world.communes[TAN_SON]],
            code="13393",
            name="Lê Hồ Tân",
            kind=UnitKind.COMMUNE,
            parent=world.district,
            effective_date=D(2025, 1, 1),
        )

        eve = filtered(UnitFilterSet, AdministrativeUnit.objects.all(), as_of="2024-12-31")
        day = filtered(UnitFilterSet, AdministrativeUnit.objects.all(), as_of="2025-01-01")

        assert set(eve) == {world.province, world.district, *world.communes}
        assert set(day) == {world.province, world.district, merged, world.communes[QUE]}

    def test_as_of_leaves_out_a_unit_not_yet_created(self, world):
        CommuneFactory(parent=world.district, valid_from=D(2020, 1, 1), name="Xã Mới")

        assert "Xã Mới" not in units(as_of="2019-12-31")
        assert "Xã Mới" in units(as_of="2020-01-01")

    def test_code(self, world):
        assert units(code="13411") == {"Tân Sơn"}

    def test_kind_takes_several_kinds(self, world):
        assert units(kind=["township"]) == {"Quế"}
        assert units(kind=["township", "district"]) == {
            "Quế",
            "Kim Bảng",
        }

    def test_parent(self, world):
        assert units(parent=world.province.pk) == {"Kim Bảng"}
        assert len(units(parent=world.district.pk)) == 3

    def test_parent_code(self, world):
        assert units(parent_code="35") == {"Kim Bảng"}

    def test_valid_from_after_and_before(self, world):
        CommuneFactory(parent=world.district, valid_from=D(2020, 1, 1), name="Xã Mới")

        assert units(valid_from_after="2015-01-01") == {"Xã Mới"}
        assert "Xã Mới" not in units(valid_from_before="2019-12-31")
        assert len(units(valid_from_before="2019-12-31")) == 5


# --------------------------------------------------------------------------- organisations


def organisations(**params) -> set[str]:
    return names(filtered(OrganisationFilterSet, Organisation.objects.all(), **params))


class TestOrganisationFilterSet:
    def test_q_ignores_diacritics(self, world):
        assert organisations(q="dang uy le ho") == {"Đảng ủy Lê Hồ"}
        assert organisations(q="ubnd") == {"UBND Lê Hồ", "UBND Tân Sơn", "UBND Quế"}

    def test_as_of(self, world):
        organisation_create(
            unit=world.communes[QUE],
            kind=OrganisationKind.PEOPLES_COUNCIL,
            name="HĐND Quế",
            valid_from=D(2021, 7, 1),
        )

        assert "HĐND Quế" not in organisations(as_of="2021-06-30")
        assert "HĐND Quế" in organisations(as_of="2021-07-01")

    def test_kind(self, world):
        assert organisations(kind=["department"]) == {"Phòng Nội vụ"}
        assert organisations(kind=["department", "party_standing_committee"]) == {
            "Phòng Nội vụ",
            "Ban Thường vụ Huyện ủy Kim Bảng",
        }

    def test_unit(self, world):
        assert organisations(unit=world.communes[TAN_SON].pk) == {"Đảng ủy Tân Sơn", "UBND Tân Sơn"}

    def test_unit_code(self, world):
        assert organisations(unit_code="13384") == {"Đảng ủy Quế", "UBND Quế"}


# --------------------------------------------------------------------------- roles


def roles(**params) -> set[str]:
    return {r.code for r in filtered(RoleFilterSet, Role.objects.all(), **params)}


class TestRoleFilterSet:
    def test_q_ignores_diacritics_and_finds_codes(self, db):
        assert roles(q="pho bi thu") == {"standing_deputy_secretary", "deputy_secretary"}
        assert roles(q="department_head") == {"department_head"}

    def test_code(self, db):
        assert roles(code="specialist") == {"specialist"}

    def test_category(self, db):
        assert roles(category=["civil_servant"]) == {
            "military_commander",
            "office_statistics_officer",
            "land_environment_officer",
            "finance_accounting_officer",
            "justice_civil_status_officer",
            "culture_society_officer",
        }

    def test_field(self, db):
        assert roles(field="justice") == {"justice_civil_status_officer"}

    def test_is_key(self, db):
        key = {
            "party_secretary",
            "standing_deputy_secretary",
            "people_council_chairman",
            "people_committee_chairman",
            "people_committee_vice_chairman",
        }
        assert roles(is_key="true") == key
        assert roles(is_key="false") == set(Role.objects.values_list("code", flat=True)) - key


# --------------------------------------------------------------------------- posts


def posts(**params) -> set[str]:
    return {str(p) for p in filtered(PostFilterSet, Post.objects.all(), **params)}


class TestPostFilterSet:
    def test_q_searches_role_and_organisation_without_diacritics(self, world):
        assert posts(q="bi thu le ho") == {
            "Bí thư Đảng ủy – Đảng ủy Lê Hồ",
            "Phó Bí thư Thường trực Đảng ủy – Đảng ủy Lê Hồ",
        }
        assert posts(q="pho bi thu thuong truc que") == {
            "Phó Bí thư Thường trực Đảng ủy – Đảng ủy Quế"
        }
        assert posts(q="chuyen vien") == {"Chuyên viên – Phòng Nội vụ"}

    def test_q_finds_a_role_code(self, world):
        assert posts(q="department_head") == {"Trưởng phòng, Trưởng ban – Phòng Nội vụ"}

    def test_as_of(self, world):
        late = PostFactory(
            organisation=world.post(QUE, "party_secretary").organisation,
            role="deputy_secretary",
            valid_from=D(2022, 1, 1),
        )

        assert str(late) not in posts(as_of="2021-12-31")
        assert str(late) in posts(as_of="2022-01-01")
        assert len(posts(as_of="2021-12-31")) == 17

    def test_organisation(self, world):
        party = world.post(LE_HO, "party_secretary").organisation

        assert posts(organisation=party.pk) == {
            "Bí thư Đảng ủy – Đảng ủy Lê Hồ",
            "Phó Bí thư Thường trực Đảng ủy – Đảng ủy Lê Hồ",
        }

    def test_unit(self, world):
        assert len(posts(unit=world.communes[TAN_SON].pk)) == 5
        assert posts(unit=world.district.pk) == {
            "Trưởng phòng, Trưởng ban – Phòng Nội vụ",
            "Chuyên viên – Phòng Nội vụ",
        }

    def test_unit_code(self, world):
        assert len(posts(unit_code="13384")) == 5
        assert all(title.endswith("Quế") for title in posts(unit_code="13384"))

    def test_role(self, world):
        chairman = Role.objects.get(code="people_committee_chairman")

        assert posts(role=chairman.pk) == {
            "Chủ tịch Ủy ban nhân dân – UBND Lê Hồ",
            "Chủ tịch Ủy ban nhân dân – UBND Tân Sơn",
            "Chủ tịch Ủy ban nhân dân – UBND Quế",
        }

    def test_role_code(self, world):
        assert posts(role_code="party_secretary") == {
            "Bí thư Đảng ủy – Đảng ủy Lê Hồ",
            "Bí thư Đảng ủy – Đảng ủy Tân Sơn",
            "Bí thư Đảng ủy – Đảng ủy Quế",
        }

    def test_is_key(self, world):
        assert len(posts(is_key="true")) == 12
        assert posts(is_key="false") == {
            "Công chức Tài chính – Kế toán – UBND Lê Hồ",
            "Công chức Tài chính – Kế toán – UBND Tân Sơn",
            "Công chức Tài chính – Kế toán – UBND Quế",
            "Trưởng phòng, Trưởng ban – Phòng Nội vụ",
            "Chuyên viên – Phòng Nội vụ",
        }


@pytest.mark.parametrize(
    ("filterset_class", "params"),
    [
        (UnitFilterSet, {"as_of": "2023-02-30"}),
        (UnitFilterSet, {"q": "a\x00b"}),
        (UnitFilterSet, {"code": "123456"}),
        (UnitFilterSet, {"parent": str(2**63)}),
        (OrganisationFilterSet, {"unit_code": "a\x00b"}),
        (RoleFilterSet, {"category": "boss"}),
        (PostFilterSet, {"role": "abc"}),
    ],
)
def test_a_bad_value_makes_the_filterset_invalid(world, filterset_class, params):
    filterset = filterset_class(params, queryset=filterset_class._meta.model.objects.all())

    assert not filterset.is_valid()
    assert set(filterset.errors) == set(params)
