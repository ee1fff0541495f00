"""The pages of units, organisations, roles and posts: search without diacritics, writes
through the services, and who holds each post of a unit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communes.models import AdministrativeUnit, Organisation, Post, Role, UnitKind
from communes.services import unit_succeed
from communes.tests.admin_support import (
    ENGLISH,
    autocomplete_texts,
    form_data,
    hr_staff,
    page_data,
    result_ids,
)
from communes.tests.factories import OrganisationFactory
from rotation.services import assignment_record

D = datetime.date
# The reason HR staff give when they correct a record (kept in its history).
CORRECTION = "Đính chính theo hồ sơ gốc"
LE_HO, TAN_SON, QUE = 0, 1, 2


@pytest.fixture
def hr_client(client, area_units):
    client.force_login(hr_staff(area=area_units))
    return client


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:communes_{model}_{view}", args=args)


# --------------------------------------------------------------------------- smoke tests


@pytest.fixture
def records(world):
    """One record of each kind, with a unit that has a predecessor."""
    merged = unit_succeed(
        predecessors=[world.communes[QUE]],
        code="13384",
        name="Kim Bảng",
        kind=UnitKind.WARD,
        parent=world.district,
        effective_date=D(2025, 7, 1),
        legal_basis="Nghị quyết 1318/NQ-UBTVQH15",
    )
    return {
        "administrativeunit": merged,
        "organisation": world.body,
        "role": Role.objects.get(code="party_secretary"),
        "post": world.post(LE_HO, "party_secretary"),
    }


@pytest.mark.parametrize("model", ["administrativeunit", "organisation", "role", "post"])
def test_hr_staff_open_the_list_the_add_page_and_a_record(hr_client, records, model):
    assert hr_client.get(url(model, "changelist")).status_code == 200
    assert hr_client.get(url(model, "add")).status_code == 200
    assert hr_client.get(url(model, "change", records[model].pk)).status_code == 200


@pytest.mark.parametrize("model", ["administrativeunit", "organisation", "role", "post"])
def test_records_with_a_history_are_not_deleted_here(hr_client, records, model):
    assert hr_client.get(url(model, "delete", records[model].pk)).status_code == 403


def test_a_unit_page_lists_its_predecessors(hr_client, world, records):
    response = hr_client.get(url("administrativeunit", "change", records["administrativeunit"].pk))
    assert "Nghị quyết 1318/NQ-UBTVQH15" in response.content.decode()


# --------------------------------------------------------------------------- search


def test_le_ho_finds_le_ho_without_diacritics(hr_client, world):
    le_ho = world.communes[LE_HO]
    for term in ("le ho", "LE HO", "Lê Hồ", "  lê   hồ "):
        response = hr_client.get(url("administrativeunit", "changelist"), {"q": term})
        assert result_ids(response) == {le_ho.pk}, term


def test_units_are_found_by_code(hr_client, world):
    response = hr_client.get(url("administrativeunit", "changelist"), {"q": "13411"})
    assert result_ids(response) == {world.communes[TAN_SON].pk}


def test_autocomplete_of_units_folds_the_term(hr_client, world):
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cadres", "model_name": "cadre", "field_name": "hometown", "term": "le ho"},
    )
    assert response.status_code == 200
    assert autocomplete_texts(response) == [str(world.communes[LE_HO])]


def test_bi_thu_le_ho_finds_the_party_secretary_of_le_ho(hr_client, world):
    response = hr_client.get(url("post", "changelist"), {"q": "bi thu le ho"})
    found = result_ids(response)
    assert world.post(LE_HO, "party_secretary").pk in found
    assert world.post(TAN_SON, "party_secretary").pk not in found
    assert world.post(LE_HO, "people_committee_chairman").pk not in found


def test_organisations_are_found_by_their_unit(hr_client, world):
    response = hr_client.get(url("organisation", "changelist"), {"q": "dang uy tan son"})
    assert result_ids(response) == {world.post(TAN_SON, "party_secretary").organisation_id}


def test_validity_filter(hr_client, world, records):
    ended = world.communes[QUE]
    current = hr_client.get(url("administrativeunit", "changelist"), {"validity": "current"})
    gone = hr_client.get(url("administrativeunit", "changelist"), {"validity": "ended"})
    assert ended.pk not in result_ids(current)
    assert records["administrativeunit"].pk in result_ids(current)
    assert result_ids(gone) == {ended.pk}


# --------------------------------------------------------------------------- posts and holders


def test_a_unit_page_shows_who_holds_each_post_in_constant_queries(hr_client, world, make_cadre):
    page = url("administrativeunit", "change", world.communes[LE_HO].pk)
    secretary = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên")
    assignment_record(
        cadre=secretary, post=world.post(LE_HO, "party_secretary"), start_date=D(2021, 12, 15)
    )
    hr_client.get(page)
    with CaptureQueriesContext(connection) as one:
        response = hr_client.get(page)
    assert "Đinh Hồng Kiên" in response.content.decode()

    for name in ("Lê Văn Một", "Lê Văn Hai"):
        assignment_record(
            cadre=make_cadre(LE_HO, full_name=name),
            post=world.post(LE_HO, "people_committee_vice_chairman"),
            start_date=D(2021, 1, 1),
        )
    with CaptureQueriesContext(connection) as three:
        response = hr_client.get(page)
    assert "Lê Văn Hai" in response.content.decode()
    assert len(one) == len(three)


def test_an_ended_unit_shows_the_holders_of_its_last_day(hr_client, world, make_cadre):
    que = world.communes[QUE]
    assignment_record(
        cadre=make_cadre(QUE, full_name="Nguyễn Trung Trực"),
        post=world.post(QUE, "people_committee_chairman"),
        start_date=D(2021, 1, 1),
    )
    unit_succeed(
        predecessors=[que],
        code="13384",
        name="Kim Bảng",
        kind=UnitKind.WARD,
        parent=world.district,
        effective_date=D(2025, 7, 1),
        end_assignments_reason="Sắp xếp đơn vị hành chính",
    )
    response = hr_client.get(url("administrativeunit", "change", que.pk))
    page = response.content.decode()
    assert "Nguyễn Trung Trực" in page
    assert "30/06/2025" in page


# --------------------------------------------------------------------------- writes


def test_a_unit_is_created_through_the_service(hr_client, world):
    response = hr_client.post(
        url("administrativeunit", "add"),
        form_data(
            code=" 13387 ",
            name="Nguye\u0302\u0303n U\u0301y",  # typed with combining marks
            kind=UnitKind.COMMUNE,
            parent=world.district,
            valid_from=D(2010, 1, 1),
        ),
    )
    assert response.status_code == 302
    unit = AdministrativeUnit.objects.get(code="13387")
    assert (unit.name, unit.name_folded) == ("Nguyễn Úy", "nguyen uy")


def test_a_unit_code_in_use_is_refused_beside_the_code(hr_client, world):
    response = hr_client.post(
        url("administrativeunit", "add"),
        form_data(
            code="13393",
            name="Lê Hồ mới",
            kind=UnitKind.COMMUNE,
            parent=world.district,
            valid_from=D(2015, 1, 1),
        ),
        **ENGLISH,
    )
    assert response.status_code == 200
    assert "already names Lê Hồ" in " ".join(response.context["adminform"].form.errors["code"])
    assert AdministrativeUnit.objects.filter(code="13393").count() == 1


def test_a_unit_cannot_end_before_its_organisations(hr_client, world):
    le_ho = world.communes[LE_HO]
    page = url("administrativeunit", "change", le_ho.pk)
    data = page_data(hr_client.get(page), change_reason=CORRECTION, valid_to=D(2024, 12, 31))
    response = hr_client.post(page, data, **ENGLISH)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["valid_to"])
    assert "correct the organisation first" in errors
    le_ho.refresh_from_db()
    assert le_ho.valid_to is None


def test_a_unit_name_is_corrected(hr_client, world):
    tan_son = world.communes[TAN_SON]
    page = url("administrativeunit", "change", tan_son.pk)
    response = hr_client.post(
        page, page_data(hr_client.get(page), change_reason=CORRECTION, name="Tân  Sơn ")
    )
    assert response.status_code == 302
    tan_son.refresh_from_db()
    assert tan_son.name == "Tân  Sơn"


def test_an_organisation_starts_with_its_unit_unless_told_otherwise(hr_client, world):
    response = hr_client.post(
        url("organisation", "add"),
        form_data(unit=world.communes[LE_HO], kind="fatherland_front", name="Ủy ban MTTQ Lê Hồ"),
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Ủy ban MTTQ Lê Hồ")
    assert organisation.valid_from == world.communes[LE_HO].valid_from


def test_a_post_is_created_and_its_seats_cannot_drop_below_its_holders(
    hr_client, world, make_cadre
):
    committee = world.post(LE_HO, "people_committee_chairman").organisation
    response = hr_client.post(
        url("post", "add"),
        form_data(organisation=committee, role=Role.objects.get(code="specialist"), seats=2),
    )
    assert response.status_code == 302
    post = Post.objects.get(organisation=committee, role__code="specialist")
    assert (post.seats, post.valid_from) == (2, committee.valid_from)
    for _ in range(2):
        assignment_record(cadre=make_cadre(), post=post, start_date=D(2020, 1, 1))

    page = url("post", "change", post.pk)
    response = hr_client.post(
        page, page_data(hr_client.get(page), change_reason=CORRECTION, seats=1), **ENGLISH
    )

    assert response.status_code == 200
    assert "it needs at least that many seats" in " ".join(
        response.context["adminform"].form.errors["seats"]
    )
    post.refresh_from_db()
    assert post.seats == 2


def test_a_post_page_shows_its_holders_and_keeps_its_role(hr_client, world, make_cadre):
    post = world.post(LE_HO, "people_committee_vice_chairman")
    assignment_record(cadre=make_cadre(full_name="Hà Thị Phó"), post=post, start_date=D(2020, 1, 1))
    response = hr_client.get(url("post", "change", post.pk))
    page = response.content.decode()
    assert "Hà Thị Phó" in page
    assert 'name="role"' not in page
    page = url("post", "change", post.pk)
    response = hr_client.post(
        page, page_data(hr_client.get(page), change_reason=CORRECTION, seats=3)
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.seats, post.role.code) == (3, "people_committee_vice_chairman")


def test_a_role_keeps_its_code(hr_client, world):
    role = Role.objects.get(code="specialist")
    page = url("role", "change", role.pk)
    shown = hr_client.get(page)
    assert 'name="code"' not in shown.content.decode()
    data = page_data(
        shown,
        code="something_else",
        name="Chuyên viên chính",
        name_en="Senior specialist",
        change_reason=CORRECTION,
    )
    response = hr_client.post(page, data)
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.code, role.name, role.name_en) == (
        "specialist",
        "Chuyên viên chính",
        "Senior specialist",
    )


def test_a_role_is_created_through_the_service(hr_client, db):
    response = hr_client.post(
        url("role", "add"),
        form_data(
            code="office_chief",
            name="Chánh Văn phòng",
            name_en="Office chief",
            category="staff",
            sort_order=205,
        ),
    )
    assert response.status_code == 302
    assert Role.objects.get(code="office_chief").name_folded == "chanh van phong"


def test_an_organisation_cannot_lose_the_period_of_its_posts(hr_client, world):
    organisation = OrganisationFactory(unit=world.communes[LE_HO], name="Hội Nông dân Lê Hồ")
    Post.objects.create(
        organisation=organisation,
        role=Role.objects.get(code="farmers_union_chairman"),
        valid_from=D(2010, 1, 1),
    )
    page = url("organisation", "change", organisation.pk)
    data = page_data(hr_client.get(page), change_reason=CORRECTION, valid_to=D(2020, 1, 1))
    response = hr_client.post(page, data, **ENGLISH)
    assert response.status_code == 200
    assert "correct the post first" in " ".join(
        response.context["adminform"].form.errors["valid_to"]
    )
    organisation.refresh_from_db()
    assert organisation.valid_to is None


def test_a_post_cannot_start_after_one_of_its_holders(hr_client, world, make_cadre):
    post = world.post(LE_HO, "party_secretary")
    assignment_record(
        cadre=make_cadre(full_name="Đinh Hồng Kiên"), post=post, start_date=D(2015, 1, 1)
    )
    page = url("post", "change", post.pk)

    response = hr_client.post(
        page,
        page_data(hr_client.get(page), change_reason=CORRECTION, valid_from=D(2016, 1, 1)),
        **ENGLISH,
    )

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["valid_from"])
    assert "Đinh Hồng Kiên holds this post from 01/01/2015" in errors
    post.refresh_from_db()
    assert post.valid_from == D(2010, 1, 1)


def test_a_role_cannot_end_before_its_posts(hr_client, world):
    role = Role.objects.get(code="party_secretary")
    page = url("role", "change", role.pk)

    response = hr_client.post(
        page,
        page_data(hr_client.get(page), change_reason=CORRECTION, valid_to=D(2020, 1, 1)),
        **ENGLISH,
    )

    assert response.status_code == 200
    assert "correct the post first" in " ".join(
        response.context["adminform"].form.errors["valid_to"]
    )
    role.refresh_from_db()
    assert role.valid_to is None
