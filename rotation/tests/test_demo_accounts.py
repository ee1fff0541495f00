"""The demo accounts that ``make run`` creates and prints: HR staff and an official."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse


def printed_accounts(output: str) -> dict[str, dict[str, str]]:
    """{username: {"URL": …, "password": …}} from what the command prints."""
    accounts, current = {}, {}
    for line in output.splitlines():
        if not line.startswith(" "):
            current = {}
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        current[key] = value
        if key == "username":
            accounts[value] = current
    return accounts


def run(*args: str) -> dict[str, dict[str, str]]:
    out = StringIO()
    call_command("demo_accounts", *args, stdout=out)
    return printed_accounts(out.getvalue())


def test_demo_accounts_creates_an_hr_staff_login_and_prints_it(db, settings):
    settings.DEBUG = True

    printed = run("--url", "http://127.0.0.1:8765/admin/")

    hr = printed["hr.kimbang"]
    assert hr["URL"] == "http://127.0.0.1:8765/admin/"
    user = authenticate(username="hr.kimbang", password=hr["password"])
    assert user is not None
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("rotation.add_decision")
    assert user.has_perm("cadres.change_cadre")


def test_demo_accounts_creates_an_official_who_only_reads(db, settings, client):
    settings.DEBUG = True

    printed = run("--dashboard-url", "http://127.0.0.1:8765/dashboard/")

    official = printed["lanhdao.kimbang"]
    assert official["URL"] == "http://127.0.0.1:8765/dashboard/"
    assert official["password"] != printed["hr.kimbang"]["password"]
    user = authenticate(username="lanhdao.kimbang", password=official["password"])
    assert user is not None
    assert not user.is_staff
    assert not user.is_superuser
    assert [group.name for group in user.groups.all()] == ["Officials"]
    assert user.has_perms(["cadres.view_cadre", "rotation.view_movement", "communes.view_post"])
    assert not user.has_perm("rotation.add_decision")
    assert not user.has_perm("cadres.change_cadre")
    assert not {p for p in user.get_all_permissions() if not p.split(".")[1].startswith("view_")}
    # The official reads the dashboards, and the admin does not let them in.
    assert client.login(username="lanhdao.kimbang", password=official["password"])
    assert client.get(reverse("reports:vacancies")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_running_it_again_resets_the_passwords(db, settings):
    settings.DEBUG = True
    run("--password", "first-Pass-123")
    run("--password", "second-Pass-456")

    for username in ("hr.kimbang", "lanhdao.kimbang"):
        assert get_user_model().objects.filter(username=username).count() == 1
        assert authenticate(username=username, password="second-Pass-456") is not None
        assert authenticate(username=username, password="first-Pass-123") is None


def test_demo_accounts_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("demo_accounts", stdout=StringIO())
    assert not get_user_model().objects.exists()
