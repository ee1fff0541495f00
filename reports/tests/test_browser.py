"""In a real browser (Debian's Chromium driven by Playwright), as officials and HR staff
use the application. Skipped, with the reason, where no Chromium is installed."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_admin_login_page_is_in_vietnamese_with_a_language_switch(live_server, browser_page):
    browser_page.goto(f"{live_server.url}/admin/login/")

    assert browser_page.locator("#site-name").inner_text() == "Hồ sơ luân chuyển cán bộ"
    browser_page.select_option("#language-select", "en")
    browser_page.click("#language-switch button")
    assert browser_page.locator("#site-name").inner_text() == "Cadre rotation records"
