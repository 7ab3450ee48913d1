"""Browser tests run in Debian's Chromium, driven by Playwright (its own download cannot work here).

Every page a test opens is watched: an uncaught exception or a console error fails the test,
unless the test names the message it expects with `@pytest.mark.console_error("pattern")`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error

from app.browser import CHROMIUM_ARGS, chromium_path

CHROMIUM = chromium_path() or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Chromium not found: run `make test` (it installs Playwright's Chromium) or set ZEVENSTOPS_CHROMIUM"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(autouse=True)
def browser_errors(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Collect page errors and console errors of every context the test opens; fail on any."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error: Error) -> None:
        errors.append(f"page error: {error.message}")

    def watch(context: BrowserContext) -> BrowserContext:
        context.on("console", on_console)
        context.on("weberror", lambda web_error: on_page_error(web_error.error))
        return context

    new_context = Browser.new_context

    def new_watched_context(self: Browser, *args: Any, **kwargs: Any) -> BrowserContext:
        return watch(new_context(self, *args, **kwargs))

    monkeypatch.setattr(Browser, "new_context", new_watched_context)
    yield errors
    expected = [re.compile(m.args[0]) for m in request.node.iter_markers("console_error")]
    unexpected = [e for e in errors if not any(p.search(e) for p in expected)]
    assert unexpected == [], "errors in the browser:\n" + "\n".join(unexpected)
