"""The demo accounts that ``make run`` creates and prints: HR staff and an official."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest
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


def authenticate(**credentials):
    """Log in as a login page does: django-axes needs the request to count failures."""
    return django_authenticate(HttpRequest(), **credentials)


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
    assert client.login(
        request=HttpRequest(), username="lanhdao.kimbang", password=official["password"]
    )
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


def test_a_chosen_password_must_pass_the_password_rules(db, settings):
    settings.DEBUG = True
    for weak in ("short1", "1234567890123", "password123"):
        with pytest.raises(CommandError, match="refused"):
            run("--password", weak)
    assert not get_user_model().objects.exists()


def test_random_passwords_pass_the_password_rules(db, settings):
    from django.contrib.auth.password_validation import validate_password

    settings.DEBUG = True
    printed = run()

    for username, account in printed.items():
        validate_password(account["password"], get_user_model().objects.get(username=username))


def test_the_official_may_not_see_personal_ids_but_hr_staff_may(db, settings):
    settings.DEBUG = True
    run()
    users = get_user_model().objects
    assert users.get(username="hr.kimbang").has_perm("cadres.view_personal_id")
    assert not users.get(username="lanhdao.kimbang").has_perm("cadres.view_personal_id")
