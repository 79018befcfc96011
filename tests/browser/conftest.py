"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Never a downloaded browser: the executable is CHROMIUM_PATH or `chromium` on
the PATH (`make test` installs Debian's package when it is missing). A
missing browser fails the run; it is never skipped.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from ..conftest import build_world, load_reference_data, load_test_regions
from ..factories import TEST_PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: run `make test` (it installs Debian's chromium) or set CHROMIUM_PATH.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, locale="en-US")  # like many phones in Indonesia
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
    # A request the closed page left in flight finishes before the test's data
    # is flushed (it would otherwise write to a database being emptied).
    with OneRequestAtATimeServer._lock:
        pass


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, DESKTOP)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from _new_page(browser, PHONE)


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """Connections on their own threads, requests one at a time.

    On the in-memory SQLite test database every server thread shares the test's
    one connection; two HTMX requests in flight at once (the results and the
    regency picker) then collide inside it ("cannot start a transaction within a
    transaction") and one of them fails. Chromium keeps several keep-alive
    connections open, so the connections still need their threads; only the
    work on the database is serialised. The whole response is produced inside
    the lock, so no request reads while another writes.
    """

    _lock = threading.Lock()

    def set_app(self, application):
        def one_at_a_time(environ, start_response):
            with self._lock:
                response = application(environ, start_response)
                try:
                    body = b"".join(response)
                finally:
                    if hasattr(response, "close"):
                        response.close()
            return [body]

        super().set_app(one_at_a_time)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, serving one request at a time (see above)."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.server_class = OneRequestAtATimeServer
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_world(transactional_db, live_server):
    """The same small world as the unit tests, in the live server's database."""
    load_test_regions()
    load_reference_data()
    return build_world()


def login(page: Page, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0 = nothing to scroll sideways)."""
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
