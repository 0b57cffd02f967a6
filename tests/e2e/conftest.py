"""Browser fixtures: Debian's Chromium driven by Playwright, JavaScript off, against the app
served by a real HTTP server on 127.0.0.1 in a background thread.

Without /usr/bin/chromium (or Playwright) these tests skip with the reason; with
AID_REQUIRE_BROWSER=1 (CI sets it) they fail instead, so a broken install cannot pass quietly.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from aid.extensions import db
from tests.support.app import finish_background_jobs, make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPO_ROOT = Path(__file__).resolve().parents[2]
# AID_TEST_ARTIFACTS: another folder, so two suites running at once (.ci/run) keep apart.
ARTIFACTS = Path(os.environ.get("AID_TEST_ARTIFACTS") or REPO_ROOT / "test-artifacts")


def _unavailable(reason: str):
    if os.environ.get("AID_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (AID_REQUIRE_BROWSER=1: the browser tests must run here)",
                    pytrace=False)
    pytest.skip(f"{reason}; install it with `apt-get install chromium chromium-driver`")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"browser tests need Debian's Chromium at {CHROMIUM}, which is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("browser tests need the playwright package (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer(str):
    """The server's base URL, carrying the app it serves (for setting up data)."""

    def __new__(cls, url: str, app):
        self = super().__new__(cls, url)
        self.app = app
        return self


@pytest.fixture
def live_server(tmp_path, template_db):
    """The app on a free port of 127.0.0.1: real sockets, real cookies, CSRF on, limits off."""
    # SERVER_NAME would make url_for point at aid.test; the browser talks to 127.0.0.1.
    app = make_app(tmp_path, template_db, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="aid-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        finish_background_jobs()
        # tests/conftest.py empties PostgreSQL before each test; here we only let go.
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def visit(browser, live_server):
    """A fresh context with JavaScript disabled, as (page, every URL the page asked for).

    The browser's own language is English, so any Arabic on screen comes from ?lang=ar.
    """
    # A cheap phone's screen: 360 px wide.
    context = browser.new_context(java_script_enabled=False, locale="en-US",
                                  viewport={"width": 360, "height": 740})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    try:
        yield page, requested
    finally:
        context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
