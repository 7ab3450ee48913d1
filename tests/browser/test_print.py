"""Handouts on paper: print media, and real PDFs printed by Chromium, checked with pypdf."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.content import load_guide
from tests.conftest import REAL_CONTENT, LiveServer

GUIDE = load_guide(REAL_CONTENT)
STATIONS = GUIDE.stations


def pdf(live_server: LiveServer, path: str) -> PdfReader:
    response = httpx.get(live_server.url + path, timeout=60)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


@pytest.mark.parametrize("station", STATIONS, ids=[s.slug for s in STATIONS])
def test_station_handout_pdf(live_server: LiveServer, station) -> None:
    reader = pdf(live_server, f"/stops/{station.slug}.pdf")
    assert 1 <= len(reader.pages) <= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait
    text = words(" ".join(page.extract_text() for page in reader.pages))
    first = words(reader.pages[0].extract_text())
    assert station.title in first and f"Halte {station.number} van 7" in first
    assert "u bent hier" in first
    assert words(station.statement.replace("*", "")).split(":")[0][:30] in first
    for heading in ("Toelichting", "Citaten", "Praktijkvoorbeelden", "Gespreksvragen", "Bronnen"):
        assert heading in text
    assert f"p. {station.pages}" in text  # the source reference
    assert f"stops/{station.slug}" in first  # the QR code's address, printed under it
    assert "Volgende halte" not in text and "Sluiten" not in text  # no navigation on paper


def test_cached_pdf_is_the_same_document(live_server: LiveServer) -> None:
    first = httpx.get(f"{live_server.url}/stops/{STATIONS[0].slug}.pdf", timeout=60).content
    again = httpx.get(f"{live_server.url}/stops/{STATIONS[0].slug}.pdf", timeout=60).content
    assert first == again


def test_booklet_pdf_starts_each_station_on_a_new_page(live_server: LiveServer) -> None:
    reader = pdf(live_server, "/guide.pdf")
    pages = [words(page.extract_text()) for page in reader.pages]
    assert "Samenwerking tussen gemeenten" in pages[0] and "Inleiding" in pages[0]
    starts = []
    for station in STATIONS:
        start = next(i for i, text in enumerate(pages) if f"Halte {station.number} van 7 {station.title}" in text)
        starts.append(start)
    assert starts == sorted(starts) and starts[0] >= 1
    assert all(b - a in (1, 2) for a, b in itertools.pairwise(starts))  # each station one or two pages
    assert "Colofon" in " ".join(pages[starts[-1] + 1 :])
    assert len(reader.pages) <= 1 + 2 * len(STATIONS) + 2


def test_print_media_hides_controls(page: Page, live_server: LiveServer, screenshots: Path) -> None:
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(f"{live_server.url}/stops/{STATIONS[3].slug}")
    page.emulate_media(media="print")
    for hidden in (".station__nav", ".handout__actions", ".site-header", ".skip-link"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("svg.metro-map__svg--horizontal")).to_be_visible()
    expect(page.locator("img.station__qr")).to_be_visible()
    page.screenshot(path=screenshots / "print-station.png", full_page=True)
    page.goto(f"{live_server.url}/#{STATIONS[3].slug}")
    page.emulate_media(media="print")
    # Printing the map page with a station open prints that station, not the whole page.
    expect(page.locator(f"section#{STATIONS[3].slug}")).to_be_visible()
    expect(page.locator(f"section#{STATIONS[2].slug}")).to_be_hidden()
    expect(page.locator(".about")).to_be_hidden()


def test_panel_print_link_opens_the_handout(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/#{STATIONS[1].slug}")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.add_init_script("window.print = () => { window.__printed = true; }")
    page.locator(f"section#{STATIONS[1].slug}").get_by_role("link", name=re.compile("^Afdrukken")).click()
    page.wait_for_url(f"{live_server.url}/stops/{STATIONS[1].slug}/")
    page.wait_for_function("window.__printed === true")
