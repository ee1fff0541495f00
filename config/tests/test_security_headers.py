"""Security headers and the Content Security Policy on every kind of answer.

What the browser does with them is ``test_browser_csp.py``; here, what the server sends.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from config.settings.base import proxy_ssl_header


def policy_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def nonce_in(policy_sources: list[str]) -> str | None:
    for source in policy_sources:
        if source.startswith("'nonce-"):
            return source[len("'nonce-") : -1]
    return None


@pytest.fixture
def superuser_client(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    return client


def test_pages_carry_the_security_headers(db):
    response = Client().get("/accounts/login/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # HSTS only in production, over HTTPS (test_deploy.py).
    assert "Strict-Transport-Security" not in response


def test_the_policy_allows_this_site_only_and_no_inline_script(db):
    policy = policy_of(Client().get("/accounts/login/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no nonce asked for, none given
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)


def test_an_inline_style_of_the_admin_carries_the_nonce_of_its_answer(db, superuser_client):
    first = superuser_client.get("/admin/")
    second = superuser_client.get("/admin/")

    nonce = nonce_in(policy_of(first)["style-src"])
    assert nonce
    assert f'<style nonce="{nonce}">' in first.content.decode()
    assert nonce_in(policy_of(second)["style-src"]) != nonce  # new on every answer
    assert re.findall(r"<style(?![^>]*nonce=)", first.content.decode()) == []


def test_swagger_ui_is_served_from_this_site_under_the_policy(db):
    response = Client().get("/api/v1/docs/")
    page = response.content.decode()
    policy = policy_of(response)

    assert "unsafe-inline" not in policy["script-src"]
    nonce = nonce_in(policy["style-src"])
    assert f'<style nonce="{nonce}">' in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert [s for s in sources if not s.startswith("/")] == []


def test_the_browsable_api_alone_may_use_inline_styles(db, superuser_client):
    browsable = superuser_client.get("/api/v1/cadres/", HTTP_ACCEPT="text/html")
    login = Client().get("/api/v1/auth/login/")

    for response in (browsable, login):
        assert response.status_code == 200
        policy = policy_of(response)
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["script-src"] == ["'self'"]
    # No inline script handler on the page (DRF's logout link has one: ours is a form).
    assert "onclick" not in browsable.content.decode()
    assert 'id="api-logout"' in browsable.content.decode()


def test_json_answers_and_static_files_carry_the_headers_too(db):
    for response in (
        Client().get("/api/v1/cadres/", HTTP_ACCEPT="application/json"),
        Client().get("/static/reports/dashboard.css"),
    ):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert policy_of(response)["default-src"] == ["'self'"]


def test_error_pages_carry_the_policy(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert policy_of(response)["default-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("X-Forwarded-Proto=https", ("HTTP_X_FORWARDED_PROTO", "https")),
        (" x-forwarded-ssl = on ", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_the_proxys_https_header_is_read_from_the_environment(raw, expected):
    assert proxy_ssl_header(raw) == expected


@pytest.mark.parametrize("raw", ["https", "=https", "X-Forwarded-Proto="])
def test_a_proxy_https_header_that_cannot_be_read_is_refused(raw):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        proxy_ssl_header(raw)


def test_behind_a_proxy_its_https_header_makes_a_request_secure(db, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600

    proxied = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    plain = Client().get("/accounts/login/")

    assert proxied["Strict-Transport-Security"] == "max-age=3600"
    assert "Strict-Transport-Security" not in plain
