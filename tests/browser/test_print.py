"""Handouts on paper: print media, and real PDFs printed by Chromium, checked with pypdf."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.config import Settings
from app.content import load_guide
from tests.browser.helpers import axe_violations, tab_to_first_station
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


PUBLIC = "https://gids.example.nl/zevenstops/"


@pytest.fixture(scope="module")
def public_server() -> Iterator[LiveServer]:
    """The guide with its public address configured, as an intranet server runs it."""
    with LiveServer(replace(Settings(), content_dir=REAL_CONTENT, base_url=PUBLIC)) as server:
        yield server


@pytest.mark.parametrize("station", STATIONS, ids=[s.slug for s in STATIONS])
def test_station_handout_pdf(public_server: LiveServer, station) -> None:
    reader = pdf(public_server, f"/stops/{station.slug}.pdf")
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
    # The QR code's address, printed under it (the line may break after a slash).
    assert f"gids.example.nl/zevenstops/stops/{station.slug}" in first.replace("/ ", "/")
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


def test_the_qr_address_is_text_under_the_code(page: Page, public_server: LiveServer, tmp_path: Path) -> None:
    station = STATIONS[2]
    page.goto(f"{public_server.url}/stops/{station.slug}")
    figure = page.locator("figure.qr")
    address = f"gids.example.nl/zevenstops/stops/{station.slug}"
    expect(figure.locator("figcaption")).to_have_text(address)
    expect(figure.get_by_role("img")).to_have_accessible_name(f"QR-code naar deze halte online: {address}")
    svg = httpx.get(public_server.url + figure.locator("img").get_attribute("src").removeprefix("..")).text
    assert "<text" not in svg  # no tiny text inside the image
    # What a phone reads from the code is the address printed under it.
    picture = tmp_path / "qr.png"
    figure.locator("img").screenshot(path=picture, scale="device")
    decoded = [found.text for found in zxingcpp.read_barcodes(Image.open(picture))]  # a pip package: no apt needed
    assert decoded == [f"https://{address}/"]  # typed without the slash, it redirects there


def test_without_a_public_address_the_page_writes_where_it_is_served(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/stops/{STATIONS[0].slug}")
    address = f"{live_server.url.removeprefix('http://')}/stops/{STATIONS[0].slug}"
    expect(page.locator("figure.qr figcaption")).to_have_text(address)
    expect(page.locator("figure.qr img")).to_have_attribute("alt", f"QR-code naar deze halte online: {address}")


def test_each_map_in_the_booklet_has_its_own_name(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/print")
    names = page.locator("nav").evaluate_all(
        """navs => navs.map((nav) => nav.getAttribute('aria-label')
            || document.getElementById(nav.getAttribute('aria-labelledby')).textContent.trim())"""
    )
    assert len(names) == 1 + len(STATIONS)
    assert len(set(names)) == len(names), names
    assert f"Metrokaart, halte 3 van 7: {STATIONS[2].title}" in names


FOCUS_STYLE = """el => { const style = getComputedStyle(el);
    return {background: style.backgroundColor, outline: style.outlineStyle}; }"""


def test_printing_shows_no_focus_highlight(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    tab_to_first_station(page)
    page.keyboard.press("ArrowRight")
    hit = page.locator("svg.metro-map__svg--horizontal a.js-station").nth(1).locator(".metro-map__hit")
    on_screen = hit.evaluate("el => getComputedStyle(el).fill")
    page.emulate_media(media="print")
    assert hit.evaluate("el => getComputedStyle(el).fill") not in (on_screen, "rgb(255, 191, 71)")
    page.emulate_media(media="screen")
    page.keyboard.press("Enter")  # opens the panel and moves focus to its title
    title = page.locator(f"section#{STATIONS[1].slug} .station__title")
    expect(title).to_be_focused()
    assert title.evaluate(FOCUS_STYLE)["background"] == "rgb(255, 191, 71)"  # the highlight on screen
    page.emulate_media(media="print")
    assert title.evaluate(FOCUS_STYLE) == {"background": "rgba(0, 0, 0, 0)", "outline": "none"}


def test_axe_on_the_booklet(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/print")
    assert axe_violations(page) == []
