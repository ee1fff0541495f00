"""Browser fixtures: Debian's Chromium driven by Playwright, never a downloaded browser.

The browser is found at ``CHROMIUM_PATH`` or as ``chromium`` on the PATH; without one the
browser tests are skipped with a reason that says how to get it (``make test`` says so
too). A failing browser test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def find_chromium() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium():
    path = find_chromium()
    if path is None:
        pytest.skip(
            "No Chromium found: browser tests skipped. Install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it."
        )
    # Playwright's synchronous API runs an event loop in this thread; the test's own
    # database calls are still synchronous, so Django may allow them.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, request):
    """A page in Vietnamese, at the size of an office laptop (1366×768)."""
    context = chromium.new_context(
        viewport={"width": 1366, "height": 768}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
