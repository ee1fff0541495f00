"""Every kind of page works in a real browser under the Content Security Policy.

Debian's Chromium (driven by Playwright, see ``reports/tests/browser.py``) opens the
dashboards, the login pages, an admin change form with its autocomplete and calendar, the
API documentation (Swagger UI) and the browsable API, and the test fails on any CSP
violation, console error or script error. Skipped, with the reason, without Chromium.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model

# Committed writes (a live server), with the rows of the migrations (the root conftest).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]

PASSWORD = "csp-browser-test-password"

# Recorded in the page before any of its scripts: every CSP violation, as the browser saw it.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile || ""}:${event.lineNumber || ""} ${event.sample || ""})`
  );
});
"""


class Watched:
    """A browser page whose CSP violations, console errors and script errors are kept."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.headers: dict[str, str] = {}
        page.add_init_script(WATCH_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(
                    f"{page.url}: {message.text} ({message.location.get('url')})"
                )
                if message.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

    def goto(self, url: str):
        response = self.page.goto(url)
        assert response is not None, url
        assert response.ok, (url, response.status)
        self.headers = response.headers
        return response

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [], violations
        assert self.console_errors == [], self.console_errors
        assert self.page_errors == [], self.page_errors
        policy = self.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy, (self.page.url, policy)


@pytest.fixture
def watched(browser_page):
    return Watched(browser_page)


def make_user(username: str) -> None:
    """A superuser: these tests are about what the browser loads, not about who may see
    what (every area, every permission)."""
    get_user_model().objects.create_superuser(username, password=PASSWORD)


def log_in(watched: Watched, url: str, username: str) -> None:
    watched.goto(url)
    watched.page.fill("input[name=username]", username)
    watched.page.fill("input[name=password]", PASSWORD)
    with watched.page.expect_navigation():
        watched.page.press("input[name=password]", "Enter")


def test_dashboards_and_login_page_keep_to_the_policy(live_server, watched, world, make_cadre):
    make_user("lanhdao.csp")
    make_cadre(full_name="Đinh Hồng Kiên")
    today = datetime.date.today().isoformat()

    log_in(watched, f"{live_server.url}/accounts/login/", "lanhdao.csp")
    watched.assert_clean()
    watched.goto(f"{live_server.url}/dashboard/?unit={world.district.code}&date={today}")
    assert watched.page.locator("#page-title").count() == 1
    # The language switch posts a form and comes back.
    watched.page.select_option("#language-select", "en")
    with watched.page.expect_navigation():
        watched.page.click("#language-switch button")
    watched.assert_clean()


def test_admin_change_form_with_autocomplete_and_calendar_keeps_to_the_policy(
    live_server, watched, world, make_cadre
):
    make_user("tochuc.csp")
    cadre = make_cadre(full_name="Đinh Hồng Kiên")
    page = watched.page

    log_in(watched, f"{live_server.url}/admin/login/", "tochuc.csp")
    watched.assert_clean()
    watched.goto(f"{live_server.url}/admin/cadres/cadre/{cadre.pk}/change/")
    # The autocomplete (select2, asking the server as one types).
    page.locator("#id_birthplace + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("tan son")
    page.locator(".select2-results__option", has_text="Tân Sơn").first.click()
    assert "Tân Sơn" in page.locator("#id_birthplace + .select2").inner_text()
    # The calendar of a date field.
    page.locator("#id_date_of_birth").locator("xpath=..").locator(".date-icon").click()
    assert page.locator(".calendarbox").first.is_visible()
    watched.assert_clean()
    # The change list and the admin's own pages.
    watched.goto(f"{live_server.url}/admin/cadres/cadre/?q=dinh")
    watched.goto(f"{live_server.url}/admin/rotation/decision/add/")
    watched.assert_clean()


def test_api_docs_load_swagger_ui_from_this_site_only(live_server, watched):
    requested: list[str] = []
    watched.page.on("request", lambda request: requested.append(request.url))

    watched.goto(f"{live_server.url}/api/v1/docs/")
    watched.page.wait_for_selector(".swagger-ui .info .title")
    watched.page.wait_for_selector(".opblock-tag")

    assert "Cadre rotation records API" in watched.page.locator(".info .title").inner_text()
    elsewhere = [url for url in requested if not url.startswith(live_server.url)]
    assert elsewhere == []
    watched.assert_clean()


def test_browsable_api_session_login_keeps_to_the_policy(live_server, watched):
    make_user("tochuc.api")

    log_in(watched, f"{live_server.url}/api/v1/auth/login/?next=/api/v1/cadres/", "tochuc.api")

    assert watched.page.url.endswith("/api/v1/cadres/")
    assert "tochuc.api" in watched.page.locator(".navbar").inner_text()
    assert watched.page.locator(".response-info").count() == 1
    watched.assert_clean()
