"""The session browser tests use the same Chromium set-up as tests/browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from app.config import Settings
from app.export import export_site
from tests.browser.conftest import browser_type_launch_args, pytest_collection_modifyitems, screenshots
from tests.conftest import REAL_CONTENT, LiveServer

__all__ = ["browser_type_launch_args", "pytest_collection_modifyitems", "screenshots"]


class Worker(LiveServer):
    """The guide on a free port; streams still open are cut after 2 s when it stops."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.server.config.timeout_graceful_shutdown = 2


class Errors:
    """Every console error and uncaught exception of the pages it watches: a test ends with none."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.allowed: list[re.Pattern[str]] = []

    def watch(self, page: Page, who: str) -> Page:
        page.on("pageerror", lambda error: self.seen.append(f"{who}: {error}"))
        page.on("console", lambda m: self._console(who, m.text) if m.type == "error" else None)
        return page

    def expect(self, pattern: str) -> None:
        """From now on, console errors matching `pattern` are expected (a refusal the test makes happen)."""
        self.allowed.append(re.compile(pattern))

    def _console(self, who: str, text: str) -> None:
        if not any(p.search(text) for p in self.allowed):
            self.seen.append(f"{who}: {text}")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide with its real content exported to disk, as on a USB stick (no PDFs)."""
    out = tmp_path_factory.mktemp("export") / "site"
    export_site(replace(Settings(), content_dir=REAL_CONTENT), out, base_url="https://gids.example.nl/", pdf=False)
    return out


@pytest.fixture
def errors() -> Iterator[Errors]:
    found = Errors()
    yield found
    assert found.seen == []


@pytest.fixture
def real_settings(session_settings: Settings) -> Settings:
    """The real content (what people see) on the test's own database."""
    return replace(session_settings, content_dir=REAL_CONTENT)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browser contexts a test opens (each its own cookies: its own person), closed afterwards."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def shot(page: Page, folder: Path, name: str, **options: object) -> None:
    page.screenshot(path=folder / name, animations="disabled", **options)  # type: ignore[arg-type]


def start_in_browser(page: Page, base_url: str) -> str:
    """Start a live session from /present/ as a facilitator does; return its code (the deck is open)."""
    page.goto(base_url + "/present/")
    page.get_by_role("button", name="Live sessie starten").click()
    page.wait_for_url("**/sessies/*/presenteren/**")
    # The URL changes when the deck starts loading; a key pressed before its scripts ran is lost.
    page.wait_for_function(
        "[...document.querySelectorAll('[data-module]')].every((e) => e.hasAttribute('data-module-started'))"
    )
    return page.url.split("/sessies/", 1)[1].split("/", 1)[0]
