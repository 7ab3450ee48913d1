"""Browser tests run in Debian's Chromium, driven by Playwright (its own download cannot work here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Page as PlaywrightPage

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
def no_page_errors(request: pytest.FixtureRequest, browser: Browser, monkeypatch: pytest.MonkeyPatch):
    """Fail a browser test on any page error or console error, in every page it opens.

    Every context a test makes (pytest-playwright's `page` too) is watched. A test that opens a
    page meant to fail (a 404) marks itself `expected_console_errors`.
    """
    problems: list[str] = []

    def watch_page(page: PlaywrightPage) -> None:
        page.on("pageerror", lambda error: problems.append(f"pageerror on {page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type} on {page.url}: {message.text}")
                if message.type == "error"
                else None
            ),
        )

    original = browser.new_context

    def new_context(*args: object, **kwargs: object) -> BrowserContext:
        context = original(*args, **kwargs)  # type: ignore[arg-type]
        context.on("page", watch_page)
        return context

    monkeypatch.setattr(browser, "new_context", new_context)
    yield
    if request.node.get_closest_marker("expected_console_errors") is None:
        assert problems == [], "the browser reported errors"
