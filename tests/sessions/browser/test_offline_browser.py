"""The scan without a server in real Chromium: from the export on disk, on paper, and the werkbladen."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from app.content import load_guide
from tests.browser.helpers import axe_violations, station_name
from tests.conftest import REAL_CONTENT, LiveServer
from tests.sessions.browser.conftest import Errors, shot

STATIONS = load_guide(REAL_CONTENT).stations


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
    expect(station).to_have_attribute("aria-label", f"{station_name(first, score='2')} — 2 (matig)")
    expect(station.locator(".js-scan-score")).to_have_text("2")
    assert "scan-band--2" in (station.get_attribute("class") or "")
    shot(page, screenshots, "scan-on-one-device.png")
    # The form has a submit button (HTML_CodeSniffer H32.2): it sends nothing, it leads back to the map.
    page.get_by_role("button", name="Klaar: toon mijn scores op de kaart").press("Enter")
    status = page.locator(".js-scan-status")
    expect(status).to_have_text("Uw scores staan op de kaart: 2 van 7 haltes hebben een score.")
    expect(status).to_be_focused()
    assert page.url == (exported / "scan" / "index.html").as_uri()  # nothing was submitted
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]
    clear = page.get_by_role("button", name="Alle scores wissen")
    clear.click()  # asks first; "Nee, bewaren" keeps everything
    expect(clear).to_have_attribute("aria-expanded", "true")
    page.get_by_role("button", name="Nee, bewaren").click()
    expect(page.get_by_role("button", name="Ja, alles wissen")).to_be_hidden()
    expect(clear).to_be_focused()
    expect(station.locator(".js-scan-score")).to_have_text("2")
    page.reload()
    expect(page.locator(f"#scan-{first.slug} fieldset.scale").first.get_by_label("2 Matig")).to_be_checked()
    page.get_by_role("button", name="Alle scores wissen").click()
    page.get_by_role("button", name="Ja, alles wissen").click()
    expect(station.locator(".js-scan-score")).to_have_text("–")
    expect(page.locator(".js-scan-status")).to_have_text("Alle scores zijn gewist.")
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


@pytest.mark.parametrize(("width", "layout"), [(1280, "horizontal"), (375, "vertical")])
def test_each_score_is_drawn_at_its_station(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer, errors: Errors, width: int, layout: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    contexts.append(context)
    page = errors.watch(context.new_page(), "scan")
    page.goto(f"{live_server.url}/scan/")
    page.locator(f"#scan-{STATIONS[0].slug} fieldset.scale").first.get_by_label("3 Redelijk").check()
    stations = page.locator(f"svg.metro-map__svg--{layout} a.js-scan-station")
    expect(stations).to_have_count(len(STATIONS))
    for i in range(len(STATIONS)):
        station = stations.nth(i)
        circle = station.locator("circle.metro-map__stop").bounding_box()
        score = station.locator(".js-scan-score").bounding_box()
        assert circle and score and score["width"] > 0, (layout, i)
        # The score's box touches its own station's circle, give or take a few pixels of gap.
        gap_x = max(circle["x"] - (score["x"] + score["width"]), score["x"] - (circle["x"] + circle["width"]), 0)
        gap_y = max(circle["y"] - (score["y"] + score["height"]), score["y"] - (circle["y"] + circle["height"]), 0)
        limit = circle["height"] * 2.5
        assert gap_x <= limit and gap_y <= limit, (layout, i, circle, score)
    expect(stations.first.locator(".js-scan-score")).to_have_text("3")


def test_every_score_group_on_the_scan_has_its_own_name(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/scan/")
    names = page.locator("fieldset.scale").evaluate_all(
        "sets => sets.map(s => s.querySelector('legend').textContent.replace(/\\s+/g, ' ').trim())"
    )
    assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]
    third = page.get_by_role("group", name=f"Halte 3, {STATIONS[2].title}: Hoe staan wij ervoor op deze halte?")
    expect(third).to_have_count(1)


@pytest.mark.parametrize("path", ["/scan/papier/", f"/stops/{STATIONS[0].slug}/werkblad/"])
def test_the_print_button_prints_and_without_javascript_shows_no_dead_button(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer, errors: Errors, path: str
) -> None:
    context = browser.new_context()
    contexts.append(context)
    page = errors.watch(context.new_page(), "print")
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    page.goto(live_server.url + path)
    button = page.get_by_role("button", name="Afdrukken")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_function("window.__printed === 1")
    still = browser.new_context(java_script_enabled=False)
    contexts.append(still)
    bare = still.new_page()
    bare.goto(live_server.url + path)
    expect(bare.locator("button:visible")).to_have_count(0)
