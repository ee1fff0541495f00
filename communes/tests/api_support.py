"""Helpers of the API tests: a fixed cast of users, and what every refusal must look like."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from communes.models import Role
from communes.tests.admin_support import HR_APPS, hr_staff
from conftest import bind_area, stored_records

# 2**63 is one past the largest integer a database column holds.
TOO_BIG = 2**63


def client_for(user=None) -> APIClient:
    """A client that speaks JSON as ``user`` (anonymous when None), answered in English."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def user_with(username: str, *permissions: str, area=()):
    """A user with exactly these permissions (``app_label.codename``), working in ``area``."""
    user = get_user_model().objects.create_user(username=username)
    bind_area(user, area)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@dataclass
class Cast:
    """Who calls the API in the tests."""

    anonymous: APIClient
    outsider: APIClient  # logged in, without any permission
    official: APIClient  # reads everything, changes nothing
    hr: APIClient  # HR staff: view, add, change and delete on the records
    hr_user: object
    official_user: object


def make_cast(area=()) -> Cast:
    """The cast, working in the units ``area`` (the root conftest's ``area_units``)."""
    official = get_user_model().objects.create_user(username="official")
    official.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=HR_APPS, codename__startswith="view_")
    )
    bind_area(official, area)
    outsider = get_user_model().objects.create_user(username="outsider")
    bind_area(outsider, area)
    hr = hr_staff("hr.api", area=area)
    return Cast(
        anonymous=client_for(),
        outsider=client_for(outsider),
        official=client_for(official),
        hr=client_for(hr),
        hr_user=hr,
        official_user=official,
    )


def assert_refused(response, status: int, *fields: str) -> dict:
    """The answer has the API's error shape; ``fields`` are among the keys of ``errors``."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert isinstance(body["detail"], str), body
    assert body["detail"], body
    assert isinstance(body["code"], str), body
    assert body["code"], body
    if fields:
        assert set(fields) <= set(body["errors"]), body
        for messages in body["errors"].values():
            assert messages, body
            assert all(isinstance(m, str) and m for m in messages), body
    return body


def records() -> dict[str, list[dict]]:
    """Every stored record the API can write, roles included."""
    return {**stored_records(), "Role": list(Role.objects.order_by("pk").values())}


def list_queries(user, url: str) -> list[str]:
    """The SQL of one GET of ``url`` by ``user``, read afresh so that no permission is cached."""
    client = client_for(get_user_model().objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return [query["sql"] for query in captured.captured_queries]
