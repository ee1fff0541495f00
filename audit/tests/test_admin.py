"""The history in the admin: every record's History page, who may read it, and the reason
HR staff give when they correct a record."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from audit.admin import CHANGE_REASON, AuditedAdminMixin
from audit.context import recording
from audit.tests.conftest import audited_models
from cadres.tests.factories import CadreFactory
from communes.services import unit_update
from communes.tests.admin_support import ENGLISH, page_data
from communes.tests.api_support import user_with
from communes.tests.factories import ProvinceFactory
from rotation.models import Decision, MovementKind
from rotation.services import decision_delete, movement_add

D = datetime.date


def history_url(record) -> str:
    opts = type(record)._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[record.pk])


def change_url(record) -> str:
    opts = type(record)._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def staff_client(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client(**ENGLISH)
    client.force_login(user)
    return client


def test_every_admin_page_of_the_records_shows_their_history():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model in audited_models()
    }
    assert registered
    for model, model_admin in registered.items():
        assert isinstance(model_admin, AuditedAdminMixin), model._meta.label


def test_simple_history_revert_pages_are_not_offered():
    """Reverting to an old version would bypass the services (and the change permission):
    corrections go through the change form."""
    with pytest.raises(NoReverseMatch):
        reverse("admin:communes_administrativeunit_simple_history", args=[1, 1])


def test_the_history_page_says_who_when_from_where_why_and_what_changed(world, hr_client, hr_user):
    unit = world.communes[0]
    page = hr_client.get(change_url(unit))
    assert page.status_code == 200

    response = hr_client.post(
        change_url(unit),
        page_data(page, name="Lê Hồ B", **{CHANGE_REASON: "Sai tên, theo Nghị quyết 1318"}),
    )
    assert response.status_code == 302, response.context and response.context["errors"]

    response = hr_client.get(history_url(unit))
    assert response.status_code == 200
    text = response.content.decode()
    assert "hr.audit" in text
    assert "Sai tên, theo Nghị quyết 1318" in text
    assert f"POST {change_url(unit)} (127.0.0.1)" in text
    assert "Name:</strong> Lê Hồ &rarr; Lê Hồ B" in text
    # The creation lists the values the record started with: dates as dd/mm/yyyy, the
    # parent by its name, the kind by its label.
    assert "Valid from:</strong> — &rarr; 01/01/2010" in text
    assert f"Parent unit:</strong> — &rarr; {world.district}" in text
    assert "Kind:</strong> — &rarr; commune" in text
    entries = response.context["entries"]
    assert [e.type for e in entries] == ["changed", "created"]


def test_correcting_a_record_needs_a_reason_and_nothing_is_saved_without_one(world, hr_client):
    unit = world.communes[0]
    page = hr_client.get(change_url(unit))

    response = hr_client.post(change_url(unit), page_data(page, name="Lê Hồ B"))

    assert response.status_code == 200
    assert CHANGE_REASON in response.context["adminform"].form.errors
    unit.refresh_from_db()
    assert unit.name == "Lê Hồ"
    assert unit.history.count() == 1


def test_saving_a_record_unchanged_needs_no_reason(world, hr_client):
    unit = world.communes[0]
    page = hr_client.get(change_url(unit))

    response = hr_client.post(change_url(unit), page_data(page))

    assert response.status_code == 302


def test_a_draft_is_saved_without_a_reason_and_its_history_names_the_user(
    world, hr, hr_client, hr_user
):
    draft = hr.draft(signed_on=D(2024, 1, 2))
    page = hr_client.get(change_url(draft))
    form = page.context["adminform"].form
    assert not form.fields[CHANGE_REASON].required

    response = hr_client.post(change_url(draft), page_data(page, summary="Điều động"))

    assert response.status_code == 302
    row = draft.history.first()
    assert (row.summary, row.history_user, row.history_change_reason) == (
        "Điều động",
        hr_user,
        None,
    )


def test_an_issued_decision_asks_no_reason_since_it_cannot_be_changed(world, hr, hr_client):
    cadre = CadreFactory(hometown=world.communes[0])
    movement = hr.move(MovementKind.APPOINTMENT, cadre, world.district_posts["head"], D(2024, 1, 2))

    page = hr_client.get(change_url(movement.decision))

    assert page.status_code == 200
    assert CHANGE_REASON.encode() not in page.content


def test_reading_the_history_needs_the_view_permission(world):
    unit = world.communes[0]
    reader = staff_client(
        user_with("reader.units", "communes.view_administrativeunit", area=[world.province])
    )
    stranger = staff_client(user_with("stranger", "cadres.view_cadre", area=[world.province]))

    assert reader.get(history_url(unit)).status_code == 200
    assert stranger.get(history_url(unit)).status_code == 403


def test_the_history_of_a_record_outside_the_area_is_unknown(world):
    elsewhere = ProvinceFactory(code="36", name="Nam Định")
    reader = staff_client(
        user_with("reader.elsewhere", "communes.view_administrativeunit", area=[elsewhere])
    )

    assert reader.get(history_url(world.communes[0])).status_code == 404
    assert reader.get(history_url(elsewhere)).status_code == 200


def test_an_unknown_record_has_no_history_page(hr_client):
    url = reverse("admin:communes_administrativeunit_history", args=[999999])
    assert hr_client.get(url).status_code == 404
    url = reverse("admin:communes_administrativeunit_history", args=["abc"])
    assert hr_client.get(url).status_code == 404


def test_the_history_of_a_deleted_draft_is_kept(world, hr, hr_user, make_cadre):
    draft = hr.draft(signed_on=D(2024, 1, 2), number="77-QĐ/HU")
    movement_add(
        decision=draft,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(0),
        to_post=world.district_posts["head"],
        effective_date=D(2024, 1, 2),
    )
    with recording(user=hr_user):
        decision_delete(decision=Decision.objects.get(pk=draft.pk), reason="Nhập trùng")
    superuser = get_user_model().objects.create_superuser("root.audit", password=None)
    client = Client(**ENGLISH)
    client.force_login(superuser)

    response = client.get(history_url(draft))

    assert response.status_code == 200
    assert response.context["deleted"]
    assert [e.type for e in response.context["entries"]][:1] == ["deleted"]
    assert "Nhập trùng" in response.content.decode()


def test_the_history_page_runs_the_same_queries_for_n_and_3n_entries(world, hr_client, hr_user):
    unit = world.communes[1]

    def correct(times: int) -> None:
        with recording(user=hr_user):
            for index in range(times):
                unit_update(unit=unit, name=f"Tân Sơn {index}-{times}")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert hr_client.get(history_url(unit)).status_code == 200
        return len(captured)

    correct(4)
    few = queries()
    correct(8)
    # The session and user, the area, the unit, the count and the page of entries with
    # their users, the related records named by the changes (one query per model).
    assert queries() == few
