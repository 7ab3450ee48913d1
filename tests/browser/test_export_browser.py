"""The exported guide in Chromium: opened from disk (a USB stick) and under a sub-path."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.config import Settings
from app.content import load_guide
from app.export import export_site
from tests.browser.helpers import open_panels, visible_stations
from tests.conftest import REAL_CONTENT, free_port

STATIONS = load_guide(REAL_CONTENT).stations


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real guide exported with its PDFs, inside a folder 'gids' (the sub-path)."""
    root = tmp_path_factory.mktemp("www")
    export_site(replace(Settings(), content_dir=REAL_CONTENT), root / "gids", base_url="https://gids.example.nl/gids/")
    return root / "gids"


def watch_failures(page: Page) -> list[str]:
    failures: list[str] = []
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}"))
    page.on(
        "response", lambda response: response.status >= 400 and failures.append(f"{response.status} {response.url}")
    )
    return failures


def walk_the_line(page: Page) -> None:
    for i, station in enumerate(STATIONS):
        visible_stations(page).nth(i).click()
        assert open_panels(page) == [station.slug]
    page.locator(f"section#{STATIONS[-1].slug}").get_by_role("link", name="Afdrukken").click()
    expect(page.locator("h1")).to_have_text(STATIONS[-1].title)
    page.locator("svg.metro-map__svg--horizontal a.js-station").nth(4).click()
    expect(page.locator("h1")).to_have_text(STATIONS[4].title)


def test_opened_from_disk(page: Page, exported: Path) -> None:
    failures = watch_failures(page)
    page.add_init_script("window.print = () => {}")
    page.goto((exported / "index.html").as_uri())
    expect(page.locator("html.js")).to_have_count(1)
    walk_the_line(page)
    page.goto((exported / "present" / "index.html").as_uri())
    page.keyboard.press("3")
    expect(page.locator(".js-slide:visible h2")).to_have_text(STATIONS[2].title)
    assert failures == []


@pytest.fixture(scope="module")
def static_server(exported: Path) -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(exported.parent))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/gids/"
    server.shutdown()


def test_served_under_a_sub_path(page: Page, static_server: str) -> None:
    failures = watch_failures(page)
    page.add_init_script("window.print = () => {}")
    page.goto(static_server)
    walk_the_line(page)
    assert failures == []


def test_export_includes_the_pdfs(exported: Path) -> None:
    for station in STATIONS:
        assert 1 <= len(PdfReader(exported / "stops" / f"{station.slug}.pdf").pages) <= 2
    assert len(PdfReader(exported / "guide.pdf").pages) >= 1 + len(STATIONS)
