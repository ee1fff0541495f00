"""``manage.py create_account``: users and tokens with a role and an area."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, ManagementUtility, call_command
from django.http import HttpRequest  # django-axes counts logins per request
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from access.areas import area_for
from access.models import UserArea


def create_account(*args: str) -> dict[str, str]:
    """What the command prints, as {"role": …, "area": …, "password": …, "token": …}."""
    out = StringIO()
    call_command("create_account", *args, stdout=out)
    lines = out.getvalue().splitlines()
    return {
        key.strip(): value.strip()
        for key, value in (line.split(":", 1) for line in lines[1:] if ":" in line)
    }


def snapshot() -> tuple:
    User = get_user_model()
    return (
        list(User.objects.order_by("pk").values()),
        list(UserArea.objects.order_by("pk").values()),
        list(Token.objects.order_by("pk").values_list("user_id", flat=True)),
        list(User.groups.through.objects.order_by("pk").values()),
    )


def test_hr_staff_are_created_with_their_area_and_a_random_password(kim_bang_units, english):
    printed = create_account("nguyen.hr", "--role", "hr", "--area", "350")

    user = get_user_model().objects.get(username="nguyen.hr")
    assert authenticate(HttpRequest(), username="nguyen.hr", password=printed["password"]) == user
    assert user.is_staff
    assert not user.is_superuser
    assert [group.name for group in user.groups.all()] == ["HR staff"]
    # 350 today names no unit: the last one that carried it, Kim Bảng town.
    assert [area.unit for area in user.areas.all()] == [kim_bang_units.town]
    assert printed["area"] == "Kim Bảng (350)"
    # Whose area, through its predecessor, holds the district's communes.
    assert area_for(user).has_unit(kim_bang_units.communes["Lê Hồ"].pk)


def test_an_official_is_not_staff_and_may_have_several_units(kim_bang_units, english):
    create_account(
        "lanhdao.le.ho",
        "--role",
        "official",
        "--area",
        "13393",
        "--area",
        "13384",
        "--email",
        "lanhdao@example.org",
        "--password",
        "a-Long-pass-2025",
    )

    user = get_user_model().objects.get(username="lanhdao.le.ho")
    assert not user.is_staff
    assert user.email == "lanhdao@example.org"
    assert (
        authenticate(HttpRequest(), username="lanhdao.le.ho", password="a-Long-pass-2025") == user
    )
    # 13393 today is Lê Hồ ward; 13384 was last Quế township.
    assert {area.unit for area in user.areas.all()} == {
        kim_bang_units.wards["Lê Hồ"],
        kim_bang_units.communes["Quế"],
    }


def test_an_api_client_gets_a_token_that_carries_its_area(kim_bang_units, english):
    printed = create_account("hr-system", "--role", "api", "--area", "13402")

    user = get_user_model().objects.get(username="hr-system")
    assert Token.objects.get(user=user).key == printed["token"]
    assert "password" not in printed
    assert not user.has_usable_password()
    assert not user.is_staff
    client = APIClient(HTTP_AUTHORIZATION=f"Token {printed['token']}")
    units = client.get("/api/v1/units/", {"page_size": 200}).json()["results"]
    # Kim Thanh ward (13402 today) and what it took over; nothing of Lê Hồ.
    assert {unit["name"] for unit in units} == {
        "Kim Thanh",
        "Tân Tựu",
        "Hoàng Tây",
        "Nhật Tân",
        "Nhật Tựu",
    }


def test_running_it_again_rotates_an_api_clients_token(kim_bang_units, english):
    first = create_account("hr-system", "--role", "api", "--area", "350")["token"]
    second = create_account("hr-system", "--role", "api", "--area", "350")["token"]

    assert first != second
    assert APIClient(HTTP_AUTHORIZATION=f"Token {first}").get("/api/v1/units/").status_code == 401
    assert APIClient(HTTP_AUTHORIZATION=f"Token {second}").get("/api/v1/units/").status_code == 200


def test_running_it_again_changes_role_and_area_and_keeps_the_password(kim_bang_units, english):
    printed = create_account("someone", "--role", "hr", "--area", "350")
    again = create_account("someone", "--role", "official", "--area", "13393")

    user = get_user_model().objects.get(username="someone")
    assert "password" not in again
    assert authenticate(HttpRequest(), username="someone", password=printed["password"]) == user
    assert [group.name for group in user.groups.all()] == ["Officials"]
    assert not user.is_staff
    assert [area.unit.code for area in user.areas.all()] == ["13393"]


def test_an_administrator_needs_no_area_and_sees_every_one(kim_bang_units, english):
    printed = create_account("admin.tinh", "--role", "admin")

    user = get_user_model().objects.get(username="admin.tinh")
    assert printed["area"] == "every area"
    assert user.is_staff
    assert area_for(user).unrestricted
    assert user.has_perm("auth.add_user")
    assert user.has_perm("authtoken.add_token")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "hr", "--area", "99999"], "There is no administrative unit with code 99999."),
        (["x", "--role", "hr", "--area", "350", "--area", "1"], "There is no administrative unit with code 1."),
        (["x", "--role", "chief", "--area", "350"], "Unknown role chief: choose one of hr, official, api, admin."),
        (["x", "--role", "official"], "Give the account an area (--area CODE): without one it sees nothing."),
        (["x", "--role", "api", "--area", "350", "--password", "a-Long-pass-2025"], "An API client logs in with its token only: give it no password."),
        (["x", "--role", "hr", "--area", "350", "--password", "123"], "This password is too short."),
        (["x", "--role", "hr", "--area", "350", "--email", "not-an-address"], "Enter a valid email address."),
        (["bad name!", "--role", "hr", "--area", "350"], "Enter a valid username."),
    ],
)  # fmt: skip
def test_a_mistake_is_one_line_and_writes_nothing(kim_bang_units, english, args, message):
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        call_command("create_account", *args, stdout=StringIO())

    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert snapshot() == before


def test_from_the_shell_a_mistake_exits_with_status_1(kim_bang_units, english, capsys, monkeypatch):
    # manage.py closes the database connections on its way out: not the test's own.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(
            ["manage.py", "create_account", "x", "--role", "hr", "--area", "99999"]
        ).execute()

    assert exit_.value.code == 1
    error = capsys.readouterr().err.strip()
    assert error == "CommandError: There is no administrative unit with code 99999."


def test_the_demo_accounts_work_in_kim_bang(kim_bang_units, settings):
    settings.DEBUG = True
    call_command("demo_accounts", "--password", "demo-Pass-2025", stdout=StringIO())

    for username in ("hr.kimbang", "lanhdao.kimbang"):
        user = get_user_model().objects.get(username=username)
        assert [area.unit for area in user.areas.all()] == [kim_bang_units.town]
        area = area_for(user)
        assert area.has_unit(kim_bang_units.communes["Lê Hồ"].pk)
        assert area.has_unit(kim_bang_units.wards["Lê Hồ"].pk)
        assert not area.has_unit(kim_bang_units.ninh_binh.pk)
