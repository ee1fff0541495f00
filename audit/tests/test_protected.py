"""Records that others refer to are never deleted, and an issued decision is never edited:
the database's side (every foreign key protects what it points at), the admin's and the
API's (a clear refusal, never a server error)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from audit.tests.conftest import audited_models
from communes.tests.admin_support import ENGLISH
from config.api.errors import exception_handler
from rotation.models import DecisionStatus, MovementKind
from rotation.services import decision_issue, decision_update, movement_add

D = datetime.date

# The only references that do not protect: a draft's lines are deleted with it
# (``decision_delete``; an issued decision's lines are protected by the assignments they
# opened and closed), and an account's areas go with the account.
CASCADES = {("rotation.Movement", "decision"), ("access.UserArea", "user")}


def test_every_reference_protects_the_record_it_points_at():
    found = set()
    for model in audited_models():
        for field in model._meta.concrete_fields:
            if not field.is_relation:
                continue
            key = (model._meta.label, field.name)
            if field.remote_field.on_delete is not models.PROTECT:
                found.add(key)
    assert found <= CASCADES, found - CASCADES


def test_a_referenced_record_cannot_be_deleted_even_by_hand(world):
    with pytest.raises(ProtectedError):
        world.communes[0].delete()
    assert world.communes[0].organisations.exists()


def test_the_api_refuses_deleting_a_referenced_record_with_a_conflict(world, english):
    """No API operation deletes a record others refer to (the services refuse first); if
    one ever tried, the answer would be a 409 in the API's error shape, saying why."""
    with pytest.raises(ProtectedError) as caught:
        world.communes[0].delete()

    response = exception_handler(caught.value, {})

    assert response.status_code == 409
    assert response.data["code"] == "protected"
    assert response.data["detail"].startswith("This record cannot be deleted")
    assert "organisation" in response.data["detail"]


@pytest.fixture
def superuser_client(db) -> Client:
    user = get_user_model().objects.create_superuser("root.protect", password=None)
    client = Client(**ENGLISH)
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["unit", "organisation", "post", "cadre"])
def test_the_admin_offers_no_deletion_of_records_others_refer_to(
    world, make_cadre, superuser_client, name
):
    record = {
        "unit": world.communes[0],
        "organisation": world.body,
        "post": world.post(0, "party_secretary"),
        "cadre": make_cadre(0),
    }[name]
    opts = type(record)._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[record.pk])

    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


def test_an_account_that_issued_a_decision_cannot_be_deleted(
    world, hr, make_cadre, superuser_client
):
    issuer = get_user_model().objects.create_user("issuer")
    decision = hr.draft(signed_on=D(2024, 1, 2))
    movement_add(
        decision=decision,
        kind=MovementKind.APPOINTMENT,
        cadre=make_cadre(0),
        to_post=world.district_posts["head"],
        effective_date=D(2024, 1, 2),
    )
    decision_issue(decision=decision, by=issuer)
    url = reverse("admin:auth_user_delete", args=[issuer.pk])

    page = superuser_client.get(url)
    superuser_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert page.context["protected"], "the page lists what stands in the way"
    assert get_user_model().objects.filter(pk=issuer.pk).exists()


def test_an_issued_decision_is_not_edited_and_its_history_shows_no_edit(
    world, hr, make_cadre, english
):
    movement = hr.move(
        MovementKind.APPOINTMENT, make_cadre(0), world.district_posts["head"], D(2024, 1, 2)
    )
    decision = movement.decision
    rows = decision.history.count()

    with pytest.raises(ValidationError) as caught:
        decision_update(decision=decision, summary="Sửa sau khi ban hành", reason="Thử")

    assert "cancel it or record an amending decision" in " ".join(caught.value.messages)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.history.count() == rows
