"""Passwords follow Django's four rules (10 characters at least); logins expire."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

PASSWORD = "Correct-horse-2026"


def refusal_codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_passwords_need_ten_characters_and_must_not_be_common_numeric_or_the_username(
    django_user_model,
):
    user = django_user_model(username="hr.kimbang", first_name="Tổ", last_name="Chức")

    assert refusal_codes("Kb-2026-x", user) == {"password_too_short"}
    assert refusal_codes("password123", user) == {"password_too_common"}
    assert refusal_codes("2026112612345", user) == {"password_entirely_numeric"}
    assert refusal_codes("hr.kimbang1", user) == {"password_too_similar"}
    assert refusal_codes(PASSWORD, user) == set()


def test_the_admin_refuses_a_weak_new_password_and_keeps_the_old_one(db, django_user_model):
    user = django_user_model.objects.create_user("tochuc", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(user)

    answer = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": "123456789", "new_password2": "123456789"},
    )

    assert answer.status_code == 200
    assert answer.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.fixture
def logged_in(db, django_user_model):
    django_user_model.objects.create_user("lanhdao", password=PASSWORD)
    client = Client()
    answer = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})
    assert answer.status_code == 302
    return client, answer


def test_a_login_lasts_eight_hours_at_most(logged_in, settings):
    client, _ = logged_in

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    session = Session.objects.get(session_key=client.session.session_key)
    expected = timezone.now() + datetime.timedelta(hours=8)
    assert abs(session.expire_date - expected) < datetime.timedelta(minutes=1)


def test_the_session_cookie_is_http_only_same_site_and_ends_with_the_browser(logged_in):
    _, answer = logged_in
    cookie = answer.cookies["sessionid"]

    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # a browser-session cookie: gone when the browser closes
    assert cookie["expires"] == ""


def test_the_cookie_keeps_its_age_when_told_not_to_end_with_the_browser(
    db, django_user_model, settings
):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = False
    django_user_model.objects.create_user("lanhdao", password=PASSWORD)

    answer = Client().post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})

    assert answer.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_an_expired_login_is_sent_back_to_the_login_page(logged_in):
    client, _ = logged_in
    assert client.get("/dashboard/").status_code in (200, 403)  # logged in

    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    answer = client.get("/dashboard/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_session_settings_come_from_the_environment():
    from config.tests.test_settings import run_python

    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        SESSION_COOKIE_AGE="3600",
        SESSION_EXPIRE_AT_BROWSER_CLOSE="false",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3600", "False"]
