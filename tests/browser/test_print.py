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


def link_targets(reader: PdfReader) -> tuple[list[str], int]:
    """Every external link (URI) in a PDF, and how many links jump inside it."""
    uris, internal = [], 0
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if action is not None and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
            elif annot.get("/Dest") is not None or (action is not None and action.get("/S") == "/GoTo"):
                internal += 1
    return uris, internal


def test_pdf_links_lead_to_the_address_the_request_came_in_on(live_server: LiveServer) -> None:
    uris, _ = link_targets(pdf(live_server, f"/stops/{STATIONS[2].slug}.pdf"))
    own = [u for u in uris if u.startswith(live_server.url + "/")]
    assert own, uris  # the map's stops and the sources' links are there
    assert [u for u in uris if "zevenstops.pdf" in u] == []
    assert f"{live_server.url}/stops/{STATIONS[3].slug}/" in uris
    others = [u for u in uris if not u.startswith(live_server.url + "/")]
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in others), others


def test_booklet_links_between_stops_jump_inside_the_pdf(live_server: LiveServer) -> None:
    uris, internal = link_targets(pdf(live_server, "/guide.pdf"))
    station_links = [u for u in uris if f"{live_server.url}/stops/" in u]
    assert station_links == []  # every stop is in the booklet itself
    assert internal >= 7 * 7  # each chapter's map links to the seven stops


def test_metro_pdf_links_lead_to_the_public_address(tmp_path: Path) -> None:
    from app.cli import main as metro

    base = "https://gids.gemeente.nl/zevenstops/"
    assert metro(["pdf", str(tmp_path / "pdf"), "--base-url", base]) == 0
    uris, _ = link_targets(PdfReader(tmp_path / "pdf" / "stops" / f"{STATIONS[0].slug}.pdf"))
    assert f"{base}stops/{STATIONS[1].slug}/" in uris
    assert not [u for u in uris if "127.0.0.1" in u or "zevenstops.pdf" in u or "localhost" in u]
