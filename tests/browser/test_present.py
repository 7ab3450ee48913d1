"""Presentation mode in real Chromium: the keys a presenter's clicker sends, one screen per stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.content import load_guide
from tests.browser.helpers import axe_violations, station_name
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations


def shown(page: Page) -> str:
    """Which slide is showing: 'start' or a station slug."""
    return page.locator(".js-slide:visible").evaluate("el => el.dataset.slug || 'start'")


@pytest.fixture
def deck(page: Page, live_server: LiveServer) -> Page:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server.url + "/present/")
    return page


def test_clicker_and_keyboard_keys(deck: Page, live_server: LiveServer) -> None:
    assert shown(deck) == "start"
    expect(deck.locator(".slide__url")).to_have_text(live_server.url.removeprefix("http://"))  # to type, not scan
    expect(deck.locator("img.slide__qr--large")).to_be_visible()
    deck.keyboard.press("ArrowRight")
    assert shown(deck) == STATIONS[0].slug
    assert deck.url == f"{live_server.url}/present/{STATIONS[0].slug}"
    deck.keyboard.press("PageDown")
    deck.keyboard.press("Space")
    assert shown(deck) == STATIONS[2].slug
    deck.keyboard.press("PageUp")
    assert shown(deck) == STATIONS[1].slug
    deck.keyboard.press("ArrowLeft")
    assert shown(deck) == STATIONS[0].slug
    deck.keyboard.press("End")
    assert shown(deck) == STATIONS[-1].slug
    deck.keyboard.press("ArrowRight")  # past the end stays on the last stop
    assert shown(deck) == STATIONS[-1].slug
    deck.keyboard.press("Home")
    assert shown(deck) == "start"
    deck.keyboard.press("5")
    assert shown(deck) == STATIONS[4].slug
    current = deck.locator("a.js-station[aria-current]")
    expect(current).to_have_attribute("aria-label", station_name(STATIONS[4]))
    expect(deck).to_have_title(f"{STATIONS[4].title} — presentatie")


def test_blank_screen_and_escape(deck: Page, live_server: LiveServer) -> None:
    deck.keyboard.press("3")
    blank = deck.locator(".js-blank")
    expect(blank).to_be_hidden()
    deck.keyboard.press("b")
    expect(blank).to_be_visible()
    deck.keyboard.press("b")
    expect(blank).to_be_hidden()
    deck.keyboard.press(".")
    expect(blank).to_be_visible()
    deck.keyboard.press("ArrowRight")  # moving on lifts the blank screen
    expect(blank).to_be_hidden()
    assert shown(deck) == STATIONS[3].slug
    deck.keyboard.press("Escape")
    deck.wait_for_url(f"{live_server.url}/#{STATIONS[3].slug}")
    expect(deck.locator(f"section#{STATIONS[3].slug}")).to_be_visible()


def test_each_stop_has_its_own_url_reload_and_history(deck: Page, live_server: LiveServer) -> None:
    deck.keyboard.press("2")
    deck.keyboard.press("4")
    deck.reload()
    assert shown(deck) == STATIONS[3].slug
    deck.go_back()
    assert shown(deck) == STATIONS[1].slug
    deck.locator("a.js-station").nth(6).click()  # the line itself is clickable
    assert shown(deck) == STATIONS[6].slug
    assert deck.url == f"{live_server.url}/present/{STATIONS[6].slug}"


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_slide_fits_one_screen_in_large_type(
    page: Page, live_server: LiveServer, screenshots: Path, size: tuple[int, int]
) -> None:
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/present/")
    for i in range(len(STATIONS) + 1):
        if i:
            page.keyboard.press(str(i))
        assert page.evaluate("document.documentElement.scrollHeight") <= height, f"slide {i} scrolls"
        text = page.locator(".js-slide:visible .slide__statement, .js-slide:visible .slide__lead")
        font = text.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert font >= 0.036 * height  # ≥ 3.6 % of the screen height: legible at 5 m
        expect(page.locator("svg.metro-map__svg--horizontal")).to_be_visible()
    page.screenshot(path=screenshots / f"present-{width}x{height}.png", animations="disabled")


def test_axe_in_presentation_mode(deck: Page) -> None:
    assert axe_violations(deck) == []
    deck.keyboard.press("4")
    assert axe_violations(deck) == []


def test_presentation_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(live_server.url + "/present")
    assert page.url == f"{live_server.url}/present/"
    page.get_by_role("link", name="Volgende →").click()
    expect(page.locator(".js-slide:visible h2")).to_have_text(STATIONS[0].title)
    page.get_by_role("link", name="Volgende →").click()
    expect(page.locator(".js-slide:visible h2")).to_have_text(STATIONS[1].title)
    page.get_by_role("link", name="← Vorige").click()
    expect(page.locator(".js-slide:visible h2")).to_have_text(STATIONS[0].title)
    context.close()


def test_map_page_has_a_present_button(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Presenteren").click()
    page.wait_for_url(f"{live_server.url}/present/")
    assert shown(page) == "start"
