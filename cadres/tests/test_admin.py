"""The cadre pages: search by name without diacritics, the timeline of posts and moves, the
current post in the list, and local/non-local overrides written through the services."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Cadre, Gender, LocalityOverride
from communes.tests.admin_support import (
    ENGLISH,
    autocomplete_texts,
    form_data,
    hr_staff,
    inline_data,
    page_data,
    result_ids,
)
from rotation.models import MovementKind
from rotation.services import (
    assignment_record,
    decision_cancel,
    decision_create,
    decision_issue,
    movement_add,
)

D = datetime.date
LE_HO, TAN_SON, QUE = 0, 1, 2
LIST = reverse("admin:cadres_cadre_changelist")
ADD = reverse("admin:cadres_cadre_add")


@pytest.fixture
def hr(area_units):
    return hr_staff(area=area_units)


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def change_url(cadre) -> str:
    return reverse("admin:cadres_cadre_change", args=[cadre.pk])


@pytest.fixture
def kien(world, make_cadre):
    """Đinh Hồng Kiên, Party secretary of Tân Sơn, transferred to Lê Hồ in December 2021."""
    cadre = make_cadre(TAN_SON, full_name="Đinh Hồng Kiên", personal_id="035075000123")
    assignment_record(
        cadre=cadre, post=world.post(TAN_SON, "party_secretary"), start_date=D(2015, 10, 1)
    )
    decision = decision_create(
        number="125-QĐ/HU", signed_on=D(2021, 12, 10), issuing_body=world.body, signer="Bí thư"
    )
    movement_add(
        decision=decision,
        kind=MovementKind.TRANSFER,
        cadre=cadre,
        to_post=world.post(LE_HO, "party_secretary"),
        effective_date=D(2021, 12, 15),
    )
    decision_issue(decision=decision)
    return cadre


# --------------------------------------------------------------------------- smoke tests


def test_hr_staff_open_the_list_the_add_page_and_a_cadre(hr_client, kien):
    assert hr_client.get(LIST).status_code == 200
    assert hr_client.get(ADD).status_code == 200
    assert hr_client.get(change_url(kien)).status_code == 200


def test_cadres_are_not_deleted_here(hr_client, kien):
    url = reverse("admin:cadres_cadre_delete", args=[kien.pk])
    assert hr_client.get(url).status_code == 403


# --------------------------------------------------------------------------- search and list


@pytest.mark.parametrize("term", ["dinh hong kien", "Đinh Hồng Kiên", "DINH HONG KIEN", "kien"])
def test_dinh_hong_kien_is_found_without_diacritics(hr_client, kien, make_cadre, term):
    make_cadre(LE_HO, full_name="Đinh Văn Hồng")
    response = hr_client.get(LIST, {"q": term})
    assert result_ids(response) == {kien.pk}


def test_a_cadre_is_found_by_the_whole_identification_number_only(hr_client, kien):
    assert result_ids(hr_client.get(LIST, {"q": "035075000123"})) == {kien.pk}
    assert result_ids(hr_client.get(LIST, {"q": "0350750"})) == set()


def test_the_cadre_autocomplete_folds_the_term(hr_client, kien):
    response = hr_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "rotation",
            "model_name": "movement",
            "field_name": "cadre",
            "term": "dinh hong kien",
        },
    )
    assert autocomplete_texts(response) == [str(kien)]


def test_the_list_shows_the_current_principal_post_and_dates_as_dd_mm_yyyy(hr_client, kien):
    page = hr_client.get(LIST).content.decode()
    assert "Bí thư Đảng ủy – Đảng ủy Lê Hồ" in page
    assert "01/05/1975" in page
    english = hr_client.get(LIST, **ENGLISH).content.decode()
    assert "Party secretary – Đảng ủy Lê Hồ" in english


def make_cadres_with_posts(world, make_cadre, count: int) -> None:
    post = world.district_posts["specialist"]
    post.seats = 99
    post.save()
    for _ in range(count):
        assignment_record(cadre=make_cadre(QUE), post=post, start_date=D(2020, 1, 1))


def test_the_cadre_list_runs_the_same_queries_for_many_rows(hr_client, world, make_cadre):
    make_cadres_with_posts(world, make_cadre, 3)
    hr_client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert hr_client.get(LIST).status_code == 200
    make_cadres_with_posts(world, make_cadre, 6)
    with CaptureQueriesContext(connection) as many:
        response = hr_client.get(LIST)
    assert response.context["cl"].result_count == 9
    # 1 session, 2 user, 3-4 the user's area (administrator?, its units), 5-6 the user's and
    # their groups' permissions, 7 count of rows, 8 count of all rows, 9 the rows with their
    # hometown and (a subquery) current post.
    assert len(few) == len(many) == 9, [q["sql"] for q in many.captured_queries]


# --------------------------------------------------------------------------- timeline


def test_the_timeline_shows_posts_and_movements_with_their_decisions(hr_client, world, kien):
    page = hr_client.get(change_url(kien), **ENGLISH).content.decode()
    assert "Party secretary – Đảng ủy Tân Sơn" in page
    for day in ("01/10/2015", "14/12/2021", "15/12/2021"):
        assert day in page
    assert "held when the records began" in page
    assert "125-QĐ/HU" in page
    assert "commune to commune" in page


def test_the_timeline_marks_void_posts(hr_client, world, kien):
    decision = kien.movements.get().decision
    decision_cancel(decision=decision, reason="Nhầm số quyết định")
    page = hr_client.get(change_url(kien), **ENGLISH).content.decode()
    assert "void (decision cancelled)" in page
    assert "(cancelled)" in page


def test_the_timeline_runs_the_same_queries_however_long(hr_client, world, kien):
    hr_client.get(change_url(kien))
    with CaptureQueriesContext(connection) as short:
        hr_client.get(change_url(kien))
    for number, (post, day) in enumerate(
        [
            (world.district_posts["head"], D(2022, 6, 1)),
            (world.post(QUE, "party_secretary"), D(2023, 6, 1)),
        ],
        start=200,
    ):
        decision = decision_create(
            number=f"{number}-QĐ/HU", signed_on=day, issuing_body=world.body, signer="Bí thư"
        )
        movement_add(
            decision=decision,
            kind=MovementKind.TRANSFER,
            cadre=kien,
            to_post=post,
            effective_date=day,
        )
        decision_issue(decision=decision)
    with CaptureQueriesContext(connection) as long:
        response = hr_client.get(change_url(kien))
    assert "202-QĐ/HU" not in response.content.decode()
    assert "201-QĐ/HU" in response.content.decode()
    assert len(short) == len(long)


# --------------------------------------------------------------------------- writes


def new_cadre(world, **changes) -> dict:
    values = {
        "full_name": "Nguyễn Trung Trực",
        "gender": Gender.MALE,
        "date_of_birth": D(1976, 3, 2),
        "status": "serving",
        "hometown": world.communes[QUE],
        "birthplace": None,
        "permanent_residence": world.communes[QUE],
        "personal_id": "",
        "party_joined_on": None,
    }
    values.update(changes)
    return {**form_data(**values), **inline_data("locality_overrides", [])}


def test_a_cadre_is_created_through_the_service(hr_client, world):
    name = "Nguye\u0302\u0303n Trung Tru\u031b\u0323c"  # typed with combining marks
    response = hr_client.post(ADD, new_cadre(world, full_name=name))
    assert response.status_code == 302
    cadre = Cadre.objects.get()
    assert (cadre.full_name, cadre.full_name_folded) == ("Nguyễn Trung Trực", "nguyen trung truc")
    assert cadre.personal_id is None


def test_a_wrong_identification_number_is_refused_beside_it(hr_client, world):
    response = hr_client.post(ADD, new_cadre(world, personal_id="035175000123"), **ENGLISH)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["personal_id"])
    assert "they should be 076" in errors
    assert not Cadre.objects.exists()


def test_a_cadre_is_corrected_through_the_service(hr_client, kien):
    response = hr_client.post(
        change_url(kien),
        page_data(
            hr_client.get(change_url(kien)),
            party_joined_on=D(2000, 5, 19),
            change_reason="Đính chính theo hồ sơ đảng viên",
        ),
    )
    assert response.status_code == 302
    kien.refresh_from_db()
    assert kien.party_joined_on == D(2000, 5, 19)


def test_an_override_is_recorded_with_its_author(hr_client, hr, world, kien):
    page = hr_client.get(change_url(kien))
    data = page_data(page)
    data.update(
        {
            "locality_overrides-TOTAL_FORMS": "1",
            **form_data(
                **{
                    "locality_overrides-0-unit": world.communes[LE_HO],
                    "locality_overrides-0-is_local": True,
                    "locality_overrides-0-reason": "Grew up in Lê Hồ and worked there 20 years.",
                }
            ),
        }
    )
    response = hr_client.post(change_url(kien), data)
    assert response.status_code == 302
    override = LocalityOverride.objects.get()
    assert (override.cadre, override.unit, override.is_local) == (kien, world.communes[LE_HO], True)
    assert override.created_by == hr


def test_an_override_without_a_real_reason_is_refused_on_its_row(hr_client, world, kien):
    data = page_data(
        hr_client.get(change_url(kien)),
        full_name="Đinh Hồng Kiên (sửa)",
        change_reason="Đính chính họ tên",
    )
    data.update(
        {
            "locality_overrides-TOTAL_FORMS": "1",
            **form_data(
                **{
                    "locality_overrides-0-unit": world.communes[LE_HO],
                    "locality_overrides-0-reason": "local",
                }
            ),
        }
    )
    response = hr_client.post(change_url(kien), data, **ENGLISH)
    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "10 characters at least" in " ".join(row.errors["reason"])
    assert not LocalityOverride.objects.exists()
    kien.refresh_from_db()
    assert kien.full_name == "Đinh Hồng Kiên"
