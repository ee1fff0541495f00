"""The production settings pass Django's deployment checklist, and answer as they should.

``manage.py check --deploy --fail-level WARNING`` runs in a subprocess with a realistic
environment (a random 50+ character secret, the host names, a database URL), as a
deployment would; so do the requests over HTTPS behind a proxy.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Only what the tests set: nothing of the test run's own environment.
OWN = ("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_", "DEBUG", "SESSION_", "CSRF_")


def production_env(tmp_path, **overrides) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cadres.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    environment.update(overrides)
    return environment


def manage(tmp_path, *args: str, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(tmp_path, **overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_at_warning_level(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_passes_with_hsts_preload_asked_for_too(tmp_path):
    result = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", SECURE_HSTS_PRELOAD="true"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"DEBUG": "true"}, "security.W018"),
        ({"SECRET_KEY": "too-short-and-guessable"}, "security.W009"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECURE_SSL_REDIRECT": "false"}, "security.W008"),
        ({"SESSION_COOKIE_SECURE": "false"}, "security.W012"),
    ],
)
def test_check_deploy_fails_on_each_weakened_setting(tmp_path, overrides, warning):
    """The check does look: weakening one setting through the environment fails it."""
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **overrides)

    assert result.returncode != 0
    assert warning in result.stderr


REQUESTS = """
import json
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="cadres.example.gov.vn")
plain = client.get("/accounts/login/")
proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, dict(proxied.headers)],
    "cookies": {name: dict(morsel) for name, morsel in proxied.cookies.items()},
}))
"""


def test_production_redirects_to_https_and_sends_hsts_behind_a_proxy(tmp_path):
    collected = manage(tmp_path, "collectstatic", "--no-input", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        cwd=ROOT,
        env=production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto=https"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])

    assert answers["plain"] == [301, "https://cadres.example.gov.vn/accounts/login/"]
    status, headers = answers["proxied"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    csrf_cookie = answers["cookies"]["csrftoken"]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["samesite"] == "Lax"
    # collectstatic wrote the fingerprinted names (the manifest) that the pages link to.
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert manifest["paths"]["reports/dashboard.css"].startswith("reports/dashboard.")


def test_a_wrong_proxy_ssl_header_stops_the_start_with_its_name(tmp_path):
    result = manage(tmp_path, "check", SECURE_PROXY_SSL_HEADER="https")

    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must read Header-Name=value" in result.stderr
