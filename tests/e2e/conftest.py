"""Browser tests: Debian's Chromium driven by Playwright against a live server.

Chromium runs headless with the flags this network needs (no background networking). Each
test gets a fresh browser context; screenshots of failures land in test-results/.

Without Chromium (a machine where it cannot be installed: no root, no Debian apt-get) the
browser tests are skipped with the reason and the rest of the suite runs; on CI (CI=true) a
missing Chromium is a failure, so a CI run never passes without its browser tests.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.e2e.support import RESULTS, session_cookie_add

# Playwright's sync API runs an event loop in the test's thread; the ORM calls made by the
# test itself (fixtures creating users) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's chromium-headless-shell first: the old headless shell, which Playwright itself uses
# for headless runs. It renders the same pages with about 40% less CPU than the full browser in
# headless mode (the browser tests serially: 69 against 118 CPU-seconds, 87 against 103 s).
# The full `chromium` works too. E2E_CHROMIUM names another binary (or a missing one, to see
# the skip on a machine with it).
CHROMIUM = (
    os.environ.get("E2E_CHROMIUM")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or "/usr/bin/chromium"
)
NO_CHROMIUM = (
    "Chromium is not installed (`make e2e-deps` installs it with root and Debian's apt-get): "
    "browser tests skipped"
)
CI_NO_CHROMIUM = "Chromium is not installed and CI is set: run `make e2e-deps` as root."


class OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server, serving one request at a time when its threads share the test's
    in-memory SQLite connection (on PostgreSQL each thread has its own connection and
    requests run side by side, as in production).

    One SQLite connection cannot run two requests at once: the pages send their
    instrumentation batch with `sendBeacon` as they unload, so a beacon POST and the form's
    own POST arrive together, and one of them would fail with "cannot open savepoint - SQL
    statements in progress". The lock is held until the response has been sent (streamed
    bodies read the database too) and released when the server closes it.
    """

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            lock.acquire()
            try:
                return _ReleasedOnClose(application(environ, start_response), lock)
            except BaseException:
                lock.release()
                raise

        return super().set_app(one_at_a_time)


class _ReleasedOnClose:
    """A WSGI response body that releases `lock` when the server closes it (the server
    always does, after sending it or when the client went away)."""

    def __init__(self, body, lock):
        self.body, self.lock, self.released = body, lock, False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if self.released:
            return
        try:
            if hasattr(self.body, "close"):
                self.body.close()
        finally:
            self.released = True
            self.lock.release()


LiveServerThread.server_class = OneRequestAtATimeOnSharedSQLite


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def pytest_collection_modifyitems(config, items):
    """Outside CI, browser tests are skipped up front (no live server, no database set-up)
    when Chromium is missing; on CI they run and the `browser` fixture fails."""
    if chromium_available() or on_ci():
        return
    skip = pytest.mark.skip(reason=NO_CHROMIUM)
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(skip)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """On CI without Chromium a browser test fails at once, before its fixtures create and
    migrate a test database it could never use."""
    if item.get_closest_marker("e2e") is not None and on_ci() and not chromium_available():
        pytest.fail(CI_NO_CHROMIUM)


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        pytest.fail(CI_NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.live_server_url = live_server.url
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def sign_in(page):
    """Signed in as `user` (a session cookie), then on the page the login form would have led
    to: the home page, which sends each role to its own."""

    def do(user) -> None:
        session_cookie_add(page.context, user=user, url=page.live_server_url)
        page.goto(f"{page.live_server_url}/")

    return do


@pytest.fixture
def sign_in_through_form(page, password):
    """Sign in through the real login form, as a person would."""

    def do(user) -> None:
        page.goto(f"{page.live_server_url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        # Signed in once the browser has left the login page and loaded where it was sent
        # (not "networkidle": that always waits half a second more, in every journey).
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return do
