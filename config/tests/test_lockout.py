"""Repeated failed logins lock the account out from that address (django-axes).

The three login pages (officials', the admin's, the browsable API's) share one count per
username and address; the lockout is a page in the site's look (429), or JSON for API
clients; it ends after the cool-off, on ``axes_reset_username``, or by a successful login
before the limit.
"""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from config.security import lockout_message

PASSWORD = "Correct-horse-2026"
LOGIN_PAGES = ["/accounts/login/", "/admin/login/", "/api/v1/auth/login/"]


@pytest.fixture
def account(django_user_model):
    return django_user_model.objects.create_user("tochuc.lockout", password=PASSWORD, is_staff=True)


def attempt(client: Client, page: str, password: str, username: str = "tochuc.lockout", **extra):
    return client.post(page, {"username": username, "password": password}, **extra)


def fail_until_limit(client: Client, page: str = "/accounts/login/", **extra):
    """Fail ``AXES_FAILURE_LIMIT`` times; the answers, the last one being the lockout."""
    return [
        attempt(client, page, "wrong-password", **extra) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_defaults_are_five_failures_fifteen_minutes_per_username_and_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_each_login_page_locks_out_after_the_limit(db, account, page):
    client = Client()
    answers = fail_until_limit(client, page)

    # Before the limit, the login page again with its error.
    assert [a.status_code for a in answers[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = answers[-1]
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)
    # Even the right password is refused now.
    again = attempt(client, page, PASSWORD)
    assert again.status_code == 429
    assert not logged_in(client)


def test_the_lockout_page_is_in_the_sites_look_and_language(db, account, english):
    client = Client()
    locked = fail_until_limit(client)[-1]

    page = locked.content.decode()
    assert "reports/dashboard.css" in page  # the site's stylesheet, header and footer
    assert 'id="lockout-message"' in page
    # In Vietnamese by default (the message as the catalogue translates it).
    assert 'lang="vi"' in page
    with translation.override("vi"):
        assert escape(lockout_message()) in page
    english_page = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), "/accounts/login/", PASSWORD)
    assert english_page.status_code == 429
    assert "locked from your address for 15 minutes" in english_page.content.decode()
    assert reverse("login") in english_page.content.decode()


def test_failures_count_across_the_three_login_pages(db, account):
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, LOGIN_PAGES[index % 3], "wrong").status_code == 200

    assert attempt(client, "/api/v1/auth/login/", "wrong").status_code == 429
    assert attempt(client, "/admin/login/", PASSWORD).status_code == 429


def test_api_clients_get_json_in_the_apis_error_shape(db, account):
    client = Client()
    answers = fail_until_limit(client, "/api/v1/auth/login/", HTTP_ACCEPT="application/json")

    locked = answers[-1]
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    body = json.loads(locked.content)
    assert body["code"] == "locked_out"
    assert "15" in body["detail"]


def test_another_address_or_another_account_is_not_locked(db, account, django_user_model):
    django_user_model.objects.create_user("colleague", password=PASSWORD)
    fail_until_limit(Client(REMOTE_ADDR="10.0.0.1"))

    # The same account from another office's address logs in.
    other_address = Client(REMOTE_ADDR="10.0.0.2")
    assert attempt(other_address, "/accounts/login/", PASSWORD).status_code == 302
    assert logged_in(other_address)
    # A colleague behind the same address logs in.
    colleague = Client(REMOTE_ADDR="10.0.0.1")
    assert attempt(colleague, "/accounts/login/", PASSWORD, username="colleague").status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(db, account):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for number in range(settings.AXES_FAILURE_LIMIT):
        answer = attempt(
            client, "/accounts/login/", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}"
        )
    assert answer.status_code == 429
    assert (
        attempt(client, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="9.9.9.9").status_code
        == 429
    )


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_clients(db, account, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    fail_until_limit(proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    # The attacker's address is locked out; another client through the same proxy is not.
    assert (
        attempt(proxy, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code
        == 429
    )
    assert (
        attempt(
            proxy, "/accounts/login/", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1"
        ).status_code
        == 302
    )


def test_the_lockout_ends_after_the_cool_off(db, account):
    client = Client()
    fail_until_limit(client)
    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 429

    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )

    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 302
    assert logged_in(client)


def test_an_administrator_unlocks_an_account_with_axes_reset_username(db, account):
    client = Client()
    fail_until_limit(client)
    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 429

    call_command("axes_reset_username", "tochuc.lockout", stdout=StringIO())

    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 302


def test_a_successful_login_before_the_limit_starts_the_count_again(db, account):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "/accounts/login/", "wrong")
    assert attempt(client, "/accounts/login/", PASSWORD).status_code == 302
    client.logout()

    answers = [attempt(client, "/accounts/login/", "wrong").status_code for _ in range(4)]

    assert answers == [200] * 4


def test_failed_attempts_are_listed_in_the_admin_for_administrators(db, account, django_user_model):
    fail_until_limit(Client())
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("root", password=PASSWORD))

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))

    assert listing.status_code == 200
    assert "tochuc.lockout" in listing.content.decode()


def test_lockout_settings_come_from_the_environment():
    from config.tests.test_settings import run_python

    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_LOCKOUT_PARAMETERS)",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="60",
        AXES_LOCKOUT_PARAMETERS="ip_address",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "3600.0", "['ip_address']"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AXES_FAILURE_LIMIT", "many"),
        ("AXES_FAILURE_LIMIT", "0"),
        ("AXES_LOCKOUT_PARAMETERS", "username+shoe_size"),
    ],
)
def test_a_wrong_lockout_setting_stops_the_start_with_its_name(variable, value):
    from config.tests.test_settings import run_python

    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="config.settings.test",
        **{variable: value},
    )
    assert result.returncode != 0
    assert variable in result.stderr
