"""The scan without a server in real Chromium: from the export on disk, on paper, and the werkbladen."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from app.config import Settings
from app.content import load_guide
from app.export import export_site
from tests.browser.helpers import axe_violations
from tests.conftest import REAL_CONTENT, LiveServer
from tests.sessions.browser.conftest import Errors, shot

STATIONS = load_guide(REAL_CONTENT).stations


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "site"
    export_site(replace(Settings(), content_dir=REAL_CONTENT), out, base_url="https://gids.example.nl/", pdf=False)
    return out


def test_the_scan_from_a_usb_stick_keeps_its_scores_in_the_browser(
    browser: Browser, contexts: list[BrowserContext], exported: Path, errors: Errors, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    contexts.append(context)
    page = errors.watch(context.new_page(), "scan")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((exported / "scan" / "index.html").as_uri())
    first, third = STATIONS[0], STATIONS[2]
    page.locator(f"#scan-{first.slug} fieldset.scale").first.get_by_label("2 Matig").check()
    page.locator(f"#scan-{third.slug} fieldset.scale").first.get_by_label("5 Sterk").check()
    expect(page.locator(".js-scan-status")).to_have_text("Bewaard in deze browser.")
    page.reload()  # the scores are still there: kept in this browser
    expect(page.locator(f"#scan-{first.slug} fieldset.scale").first.get_by_label("2 Matig")).to_be_checked()
    station = page.locator(f'svg.metro-map__svg--horizontal a.js-scan-station[data-slug="{first.slug}"]')
    expect(station).to_have_attribute("aria-label", f"Halte 1 van 7: {first.title} — 2 (matig)")
    expect(station.locator(".js-scan-score")).to_have_text("2")
    assert "scan-band--2" in (station.get_attribute("class") or "")
    shot(page, screenshots, "scan-on-one-device.png")
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    page.get_by_role("button", name="Alle scores wissen").click()
    expect(station.locator(".js-scan-score")).to_have_text("–")
    page.reload()
    expect(page.locator(f"#scan-{first.slug} fieldset.scale").first.get_by_label("2 Matig")).not_to_be_checked()


def printed(page: Page, url: str) -> PdfReader:
    page.goto(url)
    page.emulate_media(media="print")
    return PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True, prefer_css_page_size=True)))


def test_the_paper_scan_and_every_werkblad_fit_one_a4_page(page: Page, live_server: LiveServer) -> None:
    reader = printed(page, f"{live_server.url}/scan/papier/")
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert all(f"{s.number}. {s.title}" in text for s in STATIONS)
    for station in STATIONS:
        reader = printed(page, f"{live_server.url}/stops/{station.slug}/werkblad/")
        assert len(reader.pages) == 1, station.slug
        text = " ".join(reader.pages[0].extract_text().split())
        assert station.title in text and "Gespreksvragen" in text


def test_axe_finds_nothing_on_the_scan_pages(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer
) -> None:
    context = browser.new_context(bypass_csp=True)
    contexts.append(context)
    page = context.new_page()
    found = {}
    for path in ("/scan/", "/scan/papier/", f"/stops/{STATIONS[3].slug}/werkblad/"):
        page.goto(live_server.url + path)
        found[path] = axe_violations(page)
    assert {path: v for path, v in found.items() if v} == {}
