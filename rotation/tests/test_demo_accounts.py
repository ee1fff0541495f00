"""The demo HR account that ``make run`` creates and prints."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command


def test_demo_accounts_creates_an_hr_staff_login_and_prints_it(db, settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("demo_accounts", "--url", "http://127.0.0.1:8765/admin/", stdout=out)

    printed = dict(
        line.strip().split(":", 1) for line in out.getvalue().splitlines()[1:] if ":" in line
    )
    password = printed["password"].strip()
    assert printed["URL"].strip() == "http://127.0.0.1:8765/admin/"
    user = authenticate(username="hr.kimbang", password=password)
    assert user is not None
    assert user.is_staff
    assert not user.is_superuser
    assert user.has_perm("rotation.add_decision")
    assert user.has_perm("cadres.change_cadre")


def test_running_it_again_resets_the_password(db, settings):
    settings.DEBUG = True
    call_command("demo_accounts", "--password", "first-Pass-123", stdout=StringIO())
    call_command("demo_accounts", "--password", "second-Pass-456", stdout=StringIO())
    assert get_user_model().objects.filter(username="hr.kimbang").count() == 1
    assert authenticate(username="hr.kimbang", password="second-Pass-456") is not None
    assert authenticate(username="hr.kimbang", password="first-Pass-123") is None


def test_demo_accounts_refuses_to_run_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("demo_accounts", stdout=StringIO())
    assert not get_user_model().objects.exists()
