"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

Playwright's own browser download is never used. Each test gets a fresh browser context; console
errors (including Content-Security-Policy violations) fail the test.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run under a
# running loop unless told otherwise. Only the test process sets this, never the application.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/bootstrap.sh --browser (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
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


class ConsoleErrors(list[str]):
    """Console errors and page errors collected while a test runs."""


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Factory: new_page(viewport=..., java_script_enabled=..., bypass_csp=...) -> page with .errors."""
    contexts: list[Any] = []
    pages: list[Any] = []

    def make(**context_options: Any) -> Any:
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        errors = ConsoleErrors()
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        pages.append(page)
        return page

    yield make
    for page in pages:
        # A CSP violation or a JavaScript error on any page is a bug a user may hit.
        assert not page.errors, f"browser console errors: {page.errors}"
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


def login(page: Any, live_server: Any, user: Any) -> None:
    """Sign a user in by handing the browser a real session cookie (the login form has its own test)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


SERIOUS = ("serious", "critical")


def run_axe(
    browser: Any,
    live_server: Any,
    path: str,
    *,
    viewport: dict[str, int] | None = None,
    cookies: list[dict[str, Any]] | None = None,
    impacts: tuple[str, ...] | None = SERIOUS,
) -> list[dict[str, Any]]:
    """Inject axe-core (from npm, node_modules/) and return the violations on a page: by default the
    serious and critical ones; ``impacts=None`` returns every violation, of any impact.

    ``cookies`` (e.g. another page's ``context.cookies()``) checks the page as a signed-in user sees it.
    """
    if not AXE_JS.exists():
        pytest.fail("node_modules/axe-core missing: run scripts/bootstrap.sh --browser (npm ci)")
    # bypass_csp only so axe itself can be injected; the app's pages run under CSP everywhere else.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport=viewport or {"width": 1280, "height": 900}
    )
    try:
        if cookies:
            context.add_cookies(cookies)
        page = context.new_page()
        page.goto(path)
        return axe_violations(page, impacts=impacts)
    finally:
        context.close()


def axe_violations(page: Any, *, impacts: tuple[str, ...] | None = SERIOUS) -> list[dict[str, Any]]:
    """Run axe-core on a page that is already open (its context needs ``bypass_csp=True``); ``impacts``
    as in :func:`run_axe`."""
    if not AXE_JS.exists():
        pytest.fail("node_modules/axe-core missing: run scripts/bootstrap.sh --browser (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if impacts is None or v["impact"] in impacts]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    return json.dumps(
        [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations],
        indent=1,
    )
