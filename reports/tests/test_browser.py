"""In a real browser (Debian's Chromium driven by Playwright), as officials and HR staff
use the application. Skipped, with the reason, where no Chromium is installed.

Every expected figure is computed from the records by ``reports.selectors`` (the article's
8 of 18 is what those records reproduce); the browser must show what the selectors say.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from access.accounts import unit_for_code
from access.models import UserArea
from cadres.locality import is_local
from communes.models import AdministrativeUnit, Post
from reports.selectors import SECRETARY, non_local_report
from rotation.management.commands.demo_accounts import hr_group, officials_group
from rotation.models import Assignment, Decision, DecisionStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("committed_db")]

PASSWORD = "browser-test-password"
KIM_BANG = "350"
LE_HO = "13393"
ARTICLE_DAY = datetime.date(2023, 6, 30)
EARLIER_DAY = datetime.date(2021, 1, 1)


def secretaries_figure(day: datetime.date, code: str = KIM_BANG):
    """What the selectors say of the Party secretaries of unit ``code`` on ``day``."""
    unit = AdministrativeUnit.objects.valid_on(day).get(code=code)
    report = non_local_report(unit=unit, day=day)
    return next(r for r in report.roles if r.role_code == SECRETARY)


def secretaries_non_local(day: datetime.date, code: str = KIM_BANG) -> tuple[int, int]:
    """(non-local Party secretaries, commune-level units) of unit ``code`` on ``day``."""
    figure = secretaries_figure(day, code)
    return figure.non_local, figure.units_total


def make_user(username: str, *, staff: bool, group, area: str = KIM_BANG) -> None:
    """A user of ``group`` working in the unit of code ``area``: Kim Bảng (350), as the demo
    accounts do, unless said otherwise."""
    user = get_user_model().objects.create_user(
        username, password=PASSWORD, is_staff=staff, first_name="Thử", last_name="Nghiệm"
    )
    user.groups.add(group)
    UserArea.objects.create(user=user, unit=unit_for_code(area))


@pytest.fixture
def kim_bang_site(live_server):
    """The Kim Bảng records behind a live server (this test's own, flushed afterwards)."""
    call_command("load_demo", verbosity=0)
    return live_server


def log_in(page, url: str, username: str) -> None:
    """Open ``url`` (a login page, or a page that sends there), log in, land where asked."""
    page.goto(url)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def card_figure(page, role_code: str) -> str:
    return page.locator(f"#card-{role_code} .card-figure").inner_text().strip()


def test_the_admin_login_page_is_in_vietnamese_with_a_language_switch(live_server, browser_page):
    browser_page.goto(f"{live_server.url}/admin/login/")

    assert browser_page.locator("#site-name").inner_text() == "Hồ sơ luân chuyển cán bộ"
    browser_page.select_option("#language-select", "en")
    browser_page.click("#language-switch button")
    assert browser_page.locator("#site-name").inner_text() == "Cadre rotation records"


def test_an_official_reads_the_non_local_figures_of_any_day_and_a_commune(
    kim_bang_site, browser_page
):
    make_user("lanhdao.test", staff=False, group=officials_group())
    page = browser_page
    non_local, communes = secretaries_non_local(ARTICLE_DAY)
    assert (non_local, communes) == (8, 18)  # the article's figure, from the records
    earlier, earlier_communes = secretaries_non_local(EARLIER_DAY)
    assert earlier != non_local

    # A link sent to the official: the login page first, then the page it names.
    log_in(page, f"{kim_bang_site.url}/dashboard/?unit={KIM_BANG}&date=2023-06-30", "lanhdao.test")
    assert "/dashboard/" in page.url
    assert page.locator("#page-title").inner_text() == "Cán bộ huyện Kim Bảng (350)"
    assert "30/06/2023" in page.locator("#page-day").inner_text()
    assert card_figure(page, SECRETARY) == f"{non_local}/{communes}"

    # The date picker: the official moves the day back to 01/01/2021.
    page.fill("#date-input", EARLIER_DAY.isoformat())
    with page.expect_navigation():
        page.click("#scope-submit")
    assert "01/01/2021" in page.locator("#page-day").inner_text()
    assert card_figure(page, SECRETARY) == f"{earlier}/{earlier_communes}"

    # Back to the day of the article, then to Lê Hồ from the table of communes.
    page.fill("#date-input", ARTICLE_DAY.isoformat())
    with page.expect_navigation():
        page.click("#scope-submit")
    with page.expect_navigation():
        page.locator(f"#commune-{LE_HO} th a").click()
    assert page.locator("#page-title").inner_text() == "Xã Lê Hồ (13393)"
    kien = page.locator("#leaders tbody tr", has_text="Đinh Hồng Kiên")
    assert kien.count() == 1
    assert kien.locator("th").inner_text().strip() == "Bí thư Đảng ủy"
    assert "không phải người địa phương" in kien.inner_text()

    # And the cadre's own page, from the link on the name.
    with page.expect_navigation():
        kien.get_by_role("link", name="Đinh Hồng Kiên").click()
    assert page.locator("h1").inner_text().strip().startswith("Đinh Hồng Kiên")


@dataclass
class Swap:
    """Two local Party secretaries of unit ``code`` who would both be non-local in each
    other's commune: a decision exchanging them raises the figure by two."""

    first: Assignment
    second: Assignment

    @classmethod
    def find(cls, code: str, day: datetime.date) -> Swap:
        figure = secretaries_figure(day, code)
        local = [
            Assignment.objects.select_related("cadre", "post__organisation__unit").get(
                pk=holder.assignment_id
            )
            for standing in figure.units
            for holder in standing.holders
            if holder.is_local and holder.principal
        ]
        local = [a for a in local if a.start_date < day and a.end_date is None]
        for index, first in enumerate(local):
            for second in local[index + 1 :]:
                first_unit = first.post.organisation.unit
                second_unit = second.post.organisation.unit
                if (
                    not is_local(first.cadre, second_unit, day).is_local
                    and not is_local(second.cadre, first_unit, day).is_local
                ):
                    return cls(first, second)
        raise AssertionError(f"Unit {code} has no two local secretaries to exchange on {day}.")


def choose(page, select_id: str, search: str, option_text: str) -> None:
    """Pick ``option_text`` in the admin's autocomplete (select2) of ``select_id``."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def test_hr_staff_issue_a_decision_in_the_admin_and_the_dashboard_shows_the_new_figure(
    kim_bang_site, browser_page
):
    make_user("tochuc.test", staff=True, group=hr_group())
    # An official of the province (Hà Nam, which became Ninh Bình): the figure read below
    # is the province's, outside the area of Kim Bảng's own officials.
    make_user("lanhdao.test", staff=False, group=officials_group(), area="35")
    page = browser_page
    # Records are only ever added after what they hold: the decision takes effect after
    # the 2025 mergers, in the province that now holds the former Kim Bảng communes.
    signed, effective, day = (datetime.date(2026, 1, d) for d in (5, 12, 31))
    province = AdministrativeUnit.objects.valid_on(day).get(name="Lê Hồ").parent
    swap = Swap.find(province.code, effective)
    before, communes = secretaries_non_local(day, province.code)
    body = (
        Decision.objects.filter(status=DecisionStatus.ISSUED, signed_on__lte=effective)
        .latest("signed_on")
        .issuing_body
    )

    log_in(page, f"{kim_bang_site.url}/admin/rotation/decision/add/", "tochuc.test")
    page.fill("#id_number", "999-QĐ/TU")
    page.fill("#id_signed_on", signed.strftime("%d/%m/%Y"))
    choose(page, "id_issuing_body", body.name, body.name)
    page.fill("#id_signer", "Bí thư Tỉnh ủy")
    page.fill("#id_summary", "Điều động, hoán đổi Bí thư Đảng ủy hai xã")
    page.locator(".add-row a").click()  # a second line
    lines = [(swap.first, swap.second), (swap.second, swap.first)]
    for row, (moving, into) in enumerate(lines):
        post = Post.objects.with_names().get(pk=into.post_id)
        page.select_option(f"#id_movements-{row}-kind", "transfer")
        choose(page, f"id_movements-{row}-cadre", moving.cadre.full_name, moving.cadre.full_name)
        choose(page, f"id_movements-{row}-to_post", into.post.organisation.unit.name, str(post))
        page.fill(f"#id_movements-{row}-effective_date", effective.strftime("%d/%m/%Y"))
    with page.expect_navigation():
        page.click("input[name=_issue]")

    success = page.locator(".messagelist .success")
    assert success.count() == 1, page.locator(".errornote, .errorlist").all_inner_texts()
    assert "999-QĐ/TU" in success.inner_text()
    decision = Decision.objects.get(number="999-QĐ/TU")
    assert decision.status == DecisionStatus.ISSUED
    after, _ = secretaries_non_local(day, province.code)
    assert after == before + 2

    # An official opens the province's page of that day: the new figure, from the records.
    page.context.clear_cookies()
    log_in(
        page,
        f"{kim_bang_site.url}/dashboard/?unit={province.code}&date={day.isoformat()}",
        "lanhdao.test",
    )
    assert card_figure(page, SECRETARY) == f"{after}/{communes}"
    first_unit = swap.first.post.organisation.unit
    secretary, standing = page.locator(f"#commune-{first_unit.code} td").all()[:2]
    assert secretary.inner_text().strip() == swap.second.cadre.full_name
    assert "không phải người địa phương" in standing.inner_text()


def test_the_overview_works_by_keyboard_on_a_phone_and_on_paper(kim_bang_site, browser_page):
    make_user("lanhdao.test", staff=False, group=officials_group())
    page = browser_page
    log_in(page, f"{kim_bang_site.url}/dashboard/?unit={KIM_BANG}&date=2023-06-30", "lanhdao.test")
    non_local, communes = secretaries_non_local(EARLIER_DAY)

    # The keyboard alone: the first Tab offers to skip to the content, and the date form
    # is filled and sent without a mouse.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.focus("#date-input")
    page.keyboard.type("01012021")  # a date field takes the digits, day and month first
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "01/01/2021" in page.locator("#page-day").inner_text()
    assert card_figure(page, SECRETARY) == f"{non_local}/{communes}"

    # A phone: the page does not scroll sideways (wide tables scroll within their box).
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(f"#card-{SECRETARY}").is_visible()

    # Paper: the figures without the header, the forms and the download links.
    page.emulate_media(media="print")
    assert page.locator(f"#card-{SECRETARY}").is_visible()
    assert not page.locator("#site-header").is_visible()
    assert not page.locator("#scope-form").is_visible()
    assert not page.locator(".exports").first.is_visible()
