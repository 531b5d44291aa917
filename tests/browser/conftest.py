"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against a live server started by pytest-django.

Screenshots of key screens go to test-artifacts/<test name>/ (kept as CI artifacts).
"""
import os
import re
import shutil
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = os.environ.get("ACADEMY_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}



def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser(transactional_db, live_server, monkeypatch):
    """A headless Chromium for one test.

    Function-scoped on purpose, and set up after the database: Playwright's sync
    API keeps an asyncio loop running in this thread, and while it runs Django's
    thread-local connections resolve differently, so the database set-up and
    teardown of *other* tests (serialized rollback) must never happen under it.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    # The ORM calls a test makes between browser steps are ordinary synchronous
    # calls, made while Playwright's loop is running in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
        yield browser
        # The ORM calls the test made while Playwright's loop ran went through connections of
        # their own (see above). Close them here, still under the loop, or their sessions outlive
        # the run and PostgreSQL cannot drop the test database at the end.
        connections.close_all()
        browser.close()


class Shots:
    """Numbered screenshots for one test."""

    def __init__(self, name):
        self.dir = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.n = 0

    def __call__(self, page, label):
        self.n += 1
        path = self.dir / f"{self.n:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request):
    return Shots(request.node.name)


def _context(browser, viewport, live_server):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai",
                                  base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def phone(browser, live_server):
    context = _context(browser, PHONE, live_server)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(browser, live_server):
    context = _context(browser, DESKTOP, live_server)
    page = context.new_page()
    yield page
    context.close()


def login(page, username, password):
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$|.*/\?.*"))
