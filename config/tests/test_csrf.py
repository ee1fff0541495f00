"""Every form that changes something is refused without its CSRF token.

Two halves: every ``<form method="post">`` of the project's templates carries
``{% csrf_token %}``; and each POST the site accepts (the login pages, logging out, the
language switch, an admin change form, the API's writes with a session) is refused (403)
when sent without the token, and accepted with it — so the refusal is the token's doing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from cadres.models import Cadre

ROOT = Path(__file__).resolve().parents[2]
FORM = re.compile(r"<form\b(?P<attributes>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
POST = re.compile(r"""method\s*=\s*["']?post""", re.I)
PASSWORD = "Correct-horse-2026"


def project_templates() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("templates/**/*.html")
        if not {".venv", "staticfiles", "node_modules"} & set(path.parts)
    )


def test_every_post_form_of_the_templates_carries_the_csrf_token():
    forms = [
        (path.relative_to(ROOT), match)
        for path in project_templates()
        for match in FORM.finditer(path.read_text())
        if POST.search(match.group("attributes"))
    ]
    # The templates this test reads: the login page, the language switch, … (not none).
    assert len(forms) >= 5, forms
    missing = [str(path) for path, match in forms if "{% csrf_token %}" not in match.group("body")]
    assert missing == []


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password=PASSWORD)


def csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def token_of(client: Client, url: str) -> str:
    """Open ``url`` as a browser would; the CSRF token its forms carry (from the cookie)."""
    assert client.get(url).status_code == 200
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("page", ["/accounts/login/", "/admin/login/", "/api/v1/auth/login/"])
def test_login_pages_refuse_a_post_without_the_token(db, superuser, page):
    client = csrf_client()
    credentials = {"username": "root", "password": PASSWORD}

    refused = client.post(page, credentials)
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session

    token = token_of(client, page)
    accepted = client.post(page, {**credentials, "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_refusal_is_a_page_in_the_sites_look_saying_what_to_do(db, english):
    refused = csrf_client().post("/accounts/login/", {"username": "x", "password": "y"})

    assert refused.status_code == 403
    page = refused.content.decode()
    assert "reports/dashboard.css" in page
    assert 'id="csrf-message"' in page


@pytest.mark.parametrize("page", ["/accounts/logout/", "/admin/logout/", "/api/v1/auth/logout/"])
def test_logging_out_needs_the_token(db, superuser, page):
    client = csrf_client(superuser)

    assert client.post(page).status_code == 403
    assert "_auth_user_id" in client.session

    token = token_of(client, "/admin/")
    assert client.post(page, {"csrfmiddlewaretoken": token}).status_code in (200, 302)
    assert "_auth_user_id" not in client.session


def test_the_language_switch_needs_the_token(db):
    client = csrf_client()

    refused = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert refused.status_code == 403
    assert "django_language" not in client.cookies

    token = token_of(client, "/accounts/login/")
    client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/accounts/login/", "csrfmiddlewaretoken": token},
    )
    assert client.cookies["django_language"].value == "en"


def test_an_admin_change_form_refuses_a_post_without_the_token(db, superuser, make_cadre):
    cadre = make_cadre(full_name="Đinh Hồng Kiên")
    client = csrf_client(superuser)
    url = reverse("admin:cadres_cadre_change", args=[cadre.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        full_name="Đinh Hồng Kiến",
        # The audit trail asks why a record is corrected (ignored where it does not).
        change_reason="Sửa lỗi chính tả trong họ tên",
        date_of_birth=cadre.date_of_birth.strftime("%d/%m/%Y"),
        hometown=cadre.hometown_id,
        **{
            "locality_overrides-TOTAL_FORMS": "0",
            "locality_overrides-INITIAL_FORMS": "0",
        },
    )

    assert client.post(url, data).status_code == 403
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Đinh Hồng Kiên"

    data["csrfmiddlewaretoken"] = client.cookies["csrftoken"].value
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Đinh Hồng Kiến"


def test_api_writes_with_a_session_need_the_token(db, superuser, make_cadre):
    cadre = make_cadre(full_name="Đinh Hồng Kiên")
    client = csrf_client(superuser)
    url = f"/api/v1/cadres/{cadre.pk}/"
    read = client.get(url, HTTP_ACCEPT="application/json")
    change = json.dumps({"full_name": "Đinh Hồng Kiến"})

    refused = client.patch(url, change, content_type="application/json", HTTP_IF_MATCH=read["ETag"])
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Đinh Hồng Kiên"

    token = token_of(client, "/admin/")
    accepted = client.patch(
        url,
        change,
        content_type="application/json",
        HTTP_IF_MATCH=read["ETag"],
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 200, accepted.content
    assert Cadre.objects.get(pk=cadre.pk).full_name == "Đinh Hồng Kiến"


def test_api_writes_with_a_token_need_no_csrf_token(db, superuser):
    """Other systems authenticate with ``Authorization: Token``, which a browser never
    sends by itself: no CSRF token is asked of them."""
    from rest_framework.authtoken.models import Token

    key = Token.objects.create(user=superuser).key
    answer = csrf_client().post(
        "/api/v1/cadres/",
        json.dumps({"full_name": "Thử"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert answer.status_code == 400  # refused for its content, not for CSRF
    assert "CSRF" not in answer.json()["detail"]
