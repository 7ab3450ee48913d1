"""What a person does with the map, in real Chromium: click, keys, history, no JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.content import load_guide
from tests.browser.helpers import (
    axe_violations,
    focused,
    open_panels,
    station_name,
    tab_to_first_station,
    visible_stations,
)
from tests.conftest import REAL_CONTENT, LiveServer

GUIDE = load_guide(REAL_CONTENT)
STATIONS = GUIDE.stations


@pytest.fixture
def home(page: Page, live_server: LiveServer) -> Page:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    return page


def first_statement_words(station) -> str:
    return re.sub(r"\s+", " ", station.statement.replace("*", "")).strip()[:40]


def test_clicking_each_station_opens_its_panel(home: Page, live_server: LiveServer) -> None:
    assert open_panels(home) == []
    links = visible_stations(home)
    expect(links).to_have_count(7)
    for i, station in enumerate(STATIONS):
        links.nth(i).click()
        panel = home.locator(f"section#{station.slug}")
        expect(panel).to_be_visible()
        expect(panel.locator("h2.station__title")).to_have_text(station.title)
        expect(panel.locator(".station__statement")).to_contain_text(first_statement_words(station))
        expect(panel.locator(".station__eyebrow")).to_contain_text(f"Halte {station.number} van 7")
        assert open_panels(home) == [station.slug]
        assert home.url == f"{live_server.url}/#{station.slug}"
        current = home.locator("svg.metro-map__svg:visible a[aria-current]")
        expect(current).to_have_attribute("aria-label", station_name(station))


def test_keyboard_only_walk(home: Page, live_server: LiveServer) -> None:
    tab_to_first_station(home)
    assert focused(home)["label"] == station_name(STATIONS[0])
    home.keyboard.press("ArrowRight")
    home.keyboard.press("ArrowRight")
    assert focused(home)["label"] == station_name(STATIONS[2])
    home.keyboard.press("ArrowLeft")
    assert focused(home)["label"] == station_name(STATIONS[1])
    home.keyboard.press("End")
    assert focused(home)["label"] == station_name(STATIONS[6])
    home.keyboard.press("Home")
    home.keyboard.press("ArrowRight")
    home.keyboard.press("ArrowRight")
    home.keyboard.press("Enter")
    assert open_panels(home) == [STATIONS[2].slug]
    assert focused(home)["text"] == STATIONS[2].title  # focus moved into the panel, on its title
    home.keyboard.press("Escape")
    assert open_panels(home) == []
    assert focused(home)["label"] == station_name(STATIONS[2])
    assert home.url == f"{live_server.url}/"
    home.keyboard.press("ArrowRight")
    home.keyboard.press(" ")  # Space opens a station as Enter does
    assert open_panels(home) == [STATIONS[3].slug]


def test_panel_buttons_previous_next_and_close(home: Page) -> None:
    visible_stations(home).nth(3).click()
    panel = home.locator(f"section#{STATIONS[3].slug}")
    panel.locator(".js-next").click()
    assert open_panels(home) == [STATIONS[4].slug]
    home.locator(f"section#{STATIONS[4].slug} .js-prev").click()
    home.locator(f"section#{STATIONS[3].slug} .js-prev").click()
    assert open_panels(home) == [STATIONS[2].slug]
    home.locator(f"section#{STATIONS[2].slug} .js-close").click()
    assert open_panels(home) == []
    assert focused(home)["label"] == station_name(STATIONS[2])


def test_back_and_forward(home: Page) -> None:
    links = visible_stations(home)
    links.nth(1).click()
    links.nth(4).click()
    assert open_panels(home) == [STATIONS[4].slug]
    home.go_back()
    expect(home.locator(f"section#{STATIONS[1].slug}")).to_be_visible()
    assert open_panels(home) == [STATIONS[1].slug]
    home.go_back()
    expect(home.locator(".js-panel:visible")).to_have_count(0)
    home.go_forward()
    expect(home.locator(f"section#{STATIONS[1].slug}")).to_be_visible()


def test_deep_link_opens_its_station(page: Page, live_server: LiveServer) -> None:
    station = STATIONS[5]
    page.goto(f"{live_server.url}/#{station.slug}")
    expect(page.locator(f"section#{station.slug}")).to_be_visible()
    assert open_panels(page) == [station.slug]
    assert focused(page)["text"] == station.title


def test_narrow_screen_uses_the_vertical_line(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    expect(page.locator("svg.metro-map__svg--vertical")).to_be_visible()
    expect(page.locator("svg.metro-map__svg--horizontal")).to_be_hidden()
    visible_stations(page).nth(6).click()
    assert open_panels(page) == [STATIONS[6].slug]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling


def test_without_javascript_every_station_is_reachable(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    for station in STATIONS:
        section = page.locator(f"section#{station.slug}")
        expect(section).to_be_visible()
        expect(section.locator("h2")).to_have_text(station.title)
    page.locator(f'svg.metro-map__svg--horizontal a[href="#{STATIONS[4].slug}"]').click()
    assert page.url.endswith(f"#{STATIONS[4].slug}")
    expect(page.locator(f"section#{STATIONS[4].slug}")).to_be_in_viewport()
    page.goto(f"{live_server.url}/stops/{STATIONS[2].slug}")
    expect(page.locator("h1")).to_have_text(STATIONS[2].title)
    page.locator("svg.metro-map__svg--horizontal a.metro-map__station").nth(3).click()
    expect(page.locator("h1")).to_have_text(STATIONS[3].title)
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.console_error(r"status of 404 \(Not Found\) \(http://[^)]*/bestaat-niet\)")  # the 404 page itself
def test_axe_reports_no_violations(page: Page, live_server: LiveServer, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    assert axe_violations(page) == []
    visible_stations(page).nth(3).click()
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/stops/{STATIONS[4].slug}")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/bestaat-niet")
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [1280, 375, 320])
def test_screenshots(page: Page, live_server: LiveServer, screenshots: Path, width: int) -> None:
    """Pictures to look at (test-results/screenshots); the test checks that nothing overflows."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    page.screenshot(path=screenshots / f"map-{width}.png")
    visible_stations(page).nth(3).click()
    page.screenshot(path=screenshots / f"panel-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # reflows: no sideways scrolling
    page.goto(f"{live_server.url}/stops/{STATIONS[2].slug}")
    page.screenshot(path=screenshots / f"station-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{live_server.url}/present/{STATIONS[2].slug}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_line_stays_in_view_while_reading_a_panel(home: Page) -> None:
    """On a wide screen the map is sticky, so the next stop is one click away, and the
    panel's title is not hidden under it."""
    home.emulate_media(reduced_motion="reduce")  # no smooth scrolling: measure where it lands
    visible_stations(home).nth(2).click()
    home.mouse.wheel(0, 2500)
    home.wait_for_timeout(300)
    expect(home.locator("svg.metro-map__svg--horizontal")).to_be_in_viewport()
    visible_stations(home).nth(4).click()
    title = home.locator(f"section#{STATIONS[4].slug} h2.station__title")
    map_bottom = home.locator(".map-block").evaluate("el => el.getBoundingClientRect().bottom")
    assert title.evaluate("el => el.getBoundingClientRect().top") >= map_bottom - 1
