"""The personal identification number is seen in full only with ``cadres.view_personal_id``.

Everyone else — an HR clerk without the permission, a read-only account, an official —
reads ``•••••••••234`` in the admin and the API, cannot find a cadre by the number (which
would tell whose it is), and cannot overwrite a number they cannot read, while still
correcting the rest of the record (the masked value sent back keeps the number).
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from cadres.models import Cadre
from cadres.privacy import can_see_personal_id, mask_personal_id, personal_id_for
from communes.tests.admin_support import form_data, hr_staff, inline_data, page_data, result_ids

D = datetime.date
PERSONAL_ID = "035075001234"
MASKED = "•••••••••234"
REASON = "Sửa lỗi chính tả trong họ tên"


@pytest.fixture
def kien(world, make_cadre):
    return make_cadre(
        full_name="Đinh Hồng Kiên", date_of_birth=D(1975, 5, 1), personal_id=PERSONAL_ID
    )


@pytest.fixture
def hr(area_units):
    """HR staff: every permission on cadres, seeing the number included."""
    return hr_staff("hr.full", area=area_units)


@pytest.fixture
def clerk(area_units):
    """HR staff who record and correct cadres but may not see the number."""
    user = hr_staff("hr.clerk", area=area_units)
    user.user_permissions.remove(Permission.objects.get(codename="view_personal_id"))
    return user


@pytest.fixture
def reader(area_units):
    """A staff account that may only view cadres in the admin."""
    from django.contrib.auth import get_user_model

    from conftest import bind_area

    user = get_user_model().objects.create_user("reader", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_cadre"))
    bind_area(user, area_units)
    return user


def admin_client(client, user):
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def change_url(cadre) -> str:
    return reverse("admin:cadres_cadre_change", args=[cadre.pk])


def api_url(cadre=None) -> str:
    return reverse("cadre-list") if cadre is None else reverse("cadre-detail", args=[cadre.pk])


def stored_id(cadre) -> str | None:
    return Cadre.objects.get(pk=cadre.pk).personal_id


# --------------------------------------------------------------------------- the rule


def test_the_mask_keeps_the_last_three_digits():
    assert mask_personal_id(PERSONAL_ID) == MASKED
    assert len(MASKED) == len(PERSONAL_ID)
    assert mask_personal_id(None) is None
    assert mask_personal_id("") == ""


def test_hr_staff_see_the_number_and_a_clerk_without_the_permission_does_not(hr, clerk):
    assert can_see_personal_id(hr)
    assert not can_see_personal_id(clerk)
    assert personal_id_for(hr, PERSONAL_ID) == PERSONAL_ID
    assert personal_id_for(clerk, PERSONAL_ID) == MASKED
    assert personal_id_for(None, PERSONAL_ID) == MASKED


# --------------------------------------------------------------------------- admin


def test_the_admin_shows_the_number_to_hr_staff(client, hr, kien):
    page = admin_client(client, hr).get(change_url(kien))

    assert page.status_code == 200
    assert "personal_id" in page.context["adminform"].form.fields
    assert f'value="{PERSONAL_ID}"' in page.content.decode()


@pytest.mark.parametrize("user", ["clerk", "reader"])
def test_the_admin_shows_the_number_masked_to_others(client, request, kien, user):
    page = admin_client(client, request.getfixturevalue(user)).get(change_url(kien))

    assert page.status_code == 200
    content = page.content.decode()
    assert PERSONAL_ID not in content
    assert MASKED in content
    assert "personal_id" not in page.context["adminform"].form.fields


def test_a_clerk_corrects_a_record_without_touching_the_number(client, clerk, kien):
    client = admin_client(client, clerk)
    data = page_data(client.get(change_url(kien)), full_name="Đinh Hồng Kiến")
    data["change_reason"] = REASON  # the audit trail's question, where it is asked
    # A number slipped into the post anyway is ignored: the form has no such field.
    data["personal_id"] = "035075009999"

    response = client.post(change_url(kien), data)

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    kien.refresh_from_db()
    assert kien.full_name == "Đinh Hồng Kiến"
    assert kien.personal_id == PERSONAL_ID


def test_a_clerk_types_the_number_of_a_new_cadre(client, clerk, world):
    client = admin_client(client, clerk)
    add = reverse("admin:cadres_cadre_add")
    assert "personal_id" in client.get(add).context["adminform"].form.fields

    response = client.post(
        add,
        {
            **form_data(
                full_name="Nguyễn Trung Trực",
                gender="male",
                date_of_birth=D(1972, 3, 4),
                status="serving",
                hometown=world.communes[0],
                permanent_residence=world.communes[0],
                personal_id="035072001234",
            ),
            **inline_data("locality_overrides", []),
        },
    )

    assert response.status_code == 302
    created = Cadre.objects.get(full_name="Nguyễn Trung Trực")
    assert created.personal_id == "035072001234"
    assert "035072001234" not in client.get(change_url(created)).content.decode()


def test_only_hr_staff_find_a_cadre_by_the_number_in_the_admin(client, hr, clerk, kien):
    changelist = reverse("admin:cadres_cadre_changelist")

    assert result_ids(admin_client(client, hr).get(changelist, {"q": PERSONAL_ID})) == {kien.pk}
    as_clerk = admin_client(client, clerk).get(changelist, {"q": PERSONAL_ID})
    assert result_ids(as_clerk) == set()
    assert result_ids(client.get(changelist, {"q": "dinh hong kien"})) == {kien.pk}
    # The search box does not offer what it would not do.
    assert "12" not in str(as_clerk.context["cl"].search_help_text)


def test_the_autocomplete_of_cadres_finds_no_one_by_the_number_without_the_permission(
    client, clerk, kien
):
    answer = admin_client(client, clerk).get(
        reverse("admin:autocomplete"),
        {
            "term": PERSONAL_ID,
            "app_label": "rotation",
            "model_name": "movement",
            "field_name": "cadre",
        },
    )

    assert answer.status_code == 200
    assert answer.json()["results"] == []


# --------------------------------------------------------------------------- API


def test_the_api_gives_the_number_to_hr_staff_and_the_mask_to_others(hr, clerk, kien):
    assert api_client(hr).get(api_url(kien)).json()["personal_id"] == PERSONAL_ID
    assert api_client(clerk).get(api_url(kien)).json()["personal_id"] == MASKED
    listed = api_client(clerk).get(api_url()).json()["results"]
    assert [c["personal_id"] for c in listed] == [MASKED]
    assert PERSONAL_ID not in api_client(clerk).get(api_url()).content.decode()


def test_a_clerk_puts_the_record_back_as_read_and_the_number_stays(clerk, kien):
    client = api_client(clerk)
    read = client.get(api_url(kien))
    record = {
        key: value
        for key, value in read.json().items()
        if key not in ("id", "created_at", "updated_at")
    }
    record["full_name"] = "Đinh Hồng Kiến"

    answer = client.put(api_url(kien), record, format="json", HTTP_IF_MATCH=read["ETag"])

    assert answer.status_code == 200, answer.content
    assert answer.json()["personal_id"] == MASKED
    assert stored_id(kien) == PERSONAL_ID
    assert Cadre.objects.get(pk=kien.pk).full_name == "Đinh Hồng Kiến"
    # The ETag is the record's: it changed with the correction and guards the next one.
    assert answer["ETag"] != read["ETag"]
    stale = client.patch(
        api_url(kien), {"full_name": "X"}, format="json", HTTP_IF_MATCH=read["ETag"]
    )
    assert stale.status_code == 412


def test_a_clerk_cannot_overwrite_a_number_they_cannot_read(clerk, kien):
    client = api_client(clerk)
    tag = client.get(api_url(kien))["ETag"]

    answer = client.patch(
        api_url(kien), {"personal_id": "035075009999"}, format="json", HTTP_IF_MATCH=tag
    )

    assert answer.status_code == 400
    body = answer.json()
    assert set(body["errors"]) == {"personal_id"}
    assert "035075009999" not in answer.content.decode()
    assert stored_id(kien) == PERSONAL_ID


def test_hr_staff_correct_the_number(hr, kien):
    client = api_client(hr)
    tag = client.get(api_url(kien))["ETag"]

    answer = client.patch(
        api_url(kien), {"personal_id": "035075009999"}, format="json", HTTP_IF_MATCH=tag
    )

    assert answer.status_code == 200, answer.content
    assert stored_id(kien) == "035075009999"


def test_a_clerk_records_a_new_cadre_with_a_number_and_reads_it_masked(clerk, world):
    answer = api_client(clerk).post(
        api_url(),
        {
            "full_name": "Nguyễn Trung Trực",
            "gender": "male",
            "date_of_birth": "1972-03-04",
            "hometown": world.communes[0].pk,
            "personal_id": "035072001234",
        },
        format="json",
    )

    assert answer.status_code == 201, answer.content
    assert answer.json()["personal_id"] == "•••••••••234"
    assert Cadre.objects.get(pk=answer.json()["id"]).personal_id == "035072001234"


def test_only_hr_staff_find_a_cadre_by_the_number_in_the_api(hr, clerk, kien):
    def found(user) -> list[int]:
        return [
            c["id"] for c in api_client(user).get(api_url(), {"q": PERSONAL_ID}).json()["results"]
        ]

    assert found(hr) == [kien.pk]
    assert found(clerk) == []


def test_the_schema_says_who_sees_the_number():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["Cadre"]["properties"]["personal_id"]

    assert "cadres.view_personal_id" in field["description"]
    assert "•••••••••567" in field["description"]


# --------------------------------------------------------------------------- dashboards


def test_the_dashboards_cadre_page_does_not_show_the_number(client, kien, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))

    page = client.get(reverse("reports:cadre", args=[kien.pk]))

    assert page.status_code == 200
    assert "Đinh Hồng Kiên" in page.content.decode()
    assert PERSONAL_ID not in page.content.decode()
    assert MASKED not in page.content.decode()


# --------------------------------------------------------------------------- history


def test_the_history_page_shows_the_number_only_to_hr_staff(client, hr, clerk, kien):
    from cadres.services import cadre_update

    cadre_update(cadre=kien, personal_id="035075009999")
    history = reverse("admin:cadres_cadre_history", args=[kien.pk])

    as_hr = admin_client(client, hr).get(history).content.decode()
    as_clerk = admin_client(client, clerk).get(history).content.decode()

    assert PERSONAL_ID in as_hr
    assert "035075009999" in as_hr
    assert PERSONAL_ID not in as_clerk
    assert "035075009999" not in as_clerk
    assert MASKED in as_clerk
    assert "•••••••••999" in as_clerk
