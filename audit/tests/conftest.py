"""Fixtures of the audit trail's tests: HR staff of the small district, and helpers that read
what the history kept."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.test import Client

from communes.tests.admin_support import hr_staff
from communes.tests.api_support import client_for, user_with

D = datetime.date

# The apps whose every model keeps a history.
AUDITED_APPS = ("communes", "cadres", "rotation", "access")


def audited_models() -> list[type]:
    """Every concrete model of the audited apps, but the history models themselves."""
    return [
        model
        for app in AUDITED_APPS
        if app in apps.app_configs
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def snapshot() -> dict[tuple[str, int], dict]:
    """Every row of every audited model, by (model, pk), as its history copies it."""
    rows = {}
    for model in audited_models():
        for values in model._default_manager.values():
            rows[(model._meta.label, values["id"])] = values
    return rows


def last_history(model_label: str, pk: int):
    model = apps.get_model(model_label)
    return model.history.filter(id=pk).select_related("history_user").first()


def history_values(record) -> dict:
    """The record's values as one history row kept them."""
    fields = record.instance_type._meta.concrete_fields
    return {f.attname: getattr(record, f.attname) for f in fields}


@pytest.fixture
def hr_user(world):
    return hr_staff("hr.audit", area=[world.province])


@pytest.fixture
def hr_client(hr_user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(hr_user)
    return client


@pytest.fixture
def api_hr(hr_user):
    return client_for(hr_user)


@pytest.fixture
def viewer(world):
    """Reads units, cadres and decisions in the district; changes nothing."""
    return user_with(
        "viewer.audit",
        "communes.view_administrativeunit",
        "cadres.view_cadre",
        "rotation.view_decision",
        area=[world.province],
    )
