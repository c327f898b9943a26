"""Browser tests drive Debian's chromium (/usr/bin/chromium) through Playwright for Python.
Screenshots go to artifacts/screenshots/ (ignored by git)."""

import os
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's expect() waits 5 s by default, the page's own actions 15 s (below): the
# same 15 s for both, since what they wait for is the same server.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, whose stop waits for its request threads.

    The threads of an in-memory SQLite test database share the test's connection, which
    allows that only until the server stops; a request thread still open then (a
    keep-alive connection of the browser) closed the connection when the browser went
    away, from another thread: "DatabaseWrapper objects created in a thread can only be
    used in that same thread", one PytestUnhandledThreadExceptionWarning per thread.
    So the request threads are not daemons and the server's close joins them, and the
    browser (below) is set up after the server, so it is closed, and its connections
    with it, before the server stops."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    create = server.thread._create_server

    def joined_on_close(*args, **kwargs):
        httpd = create(*args, **kwargs)
        httpd.daemon_threads = False
        httpd.block_on_close = True
        return httpd

    server.thread._create_server = joined_on_close
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("未找到 Debian 的 chromium（apt-get install chromium），浏览器测试无法运行。")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def shot():
    """shot(page, "name") saves artifacts/screenshots/<test>/<n>-name.png."""
    counter = {"n": 0}

    def take(page, name, folder="flow"):
        counter["n"] += 1
        out = SHOTS / folder
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{counter['n']:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


_warm = set()


@pytest.fixture(autouse=True)
def _live_server_warmed_up(request, _base_data_present):
    """The first request a live server answers imports every view and compiles the
    templates: seconds on a loaded machine, which the first page load of a test then
    spent out of its 15 s. One request without a browser, and without a short timeout,
    does that before the test starts, once per server."""
    if "live_server" not in request.fixturenames:
        return
    url = request.getfixturevalue("live_server").url
    if url not in _warm:
        with urllib.request.urlopen(f"{url}/login/", timeout=600) as response:
            response.read()
        _warm.add(url)
