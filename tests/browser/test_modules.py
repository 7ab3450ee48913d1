"""The JavaScript modules: found one way (data-module), each started on its own, and none of
them able to hide the content when it fails."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from app.content import load_guide
from tests.browser.helpers import focused, open_panels, tab_to_first_station, visible_stations
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations
SLUGS = [s.slug for s in STATIONS]


def break_panels(route: Route) -> None:
    """Serve app.js with the panels' init throwing, as a bug or a missing browser API would."""
    script = httpx.get(route.request.url).text
    broken, count = re.subn(r"function initPanels\(container\) \{", r'\g<0> throw new Error("kapot");', script, count=1)
    assert count == 1, "the panels' init function was not found in app.js"
    route.fulfill(body=broken, content_type="text/javascript")


@pytest.mark.console_error(r'Zeven stops: module "station-panels" failed: Error: kapot')
def test_a_failing_module_hides_no_content(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.route(re.compile(r"/static/app\.[0-9a-f]+\.js$"), break_panels)
    said: list[str] = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.goto(live_server.url + "/")
    expect(page.locator("[data-module='station-panels']")).to_have_attribute("data-module-failed", "kapot")
    said_first = [text.splitlines()[0] for text in said]  # the first line; a stack trace follows
    assert 'error: Zeven stops: module "station-panels" failed: Error: kapot' in said_first  # developers see it
    assert open_panels(page) == SLUGS  # every station stays readable
    tab_to_first_station(page)
    page.keyboard.press("ArrowRight")  # the map's own module still runs
    assert focused(page)["label"].endswith(", halte 2 van 7")


@pytest.mark.console_error(r'Zeven stops: module "kapot" failed: Error: stuk')
def test_modules_of_other_scripts_run_and_fail_alone(page: Page, live_server: LiveServer) -> None:
    """Another script (the live session) registers its module in window.ZevenStopsModules."""

    def add_elements(route: Route) -> None:
        html = httpx.get(route.request.url).text.replace(
            "</main>", '<div data-module="kapot"></div><div data-module="telt"></div></main>'
        )
        route.fulfill(body=html, content_type="text/html")

    page.route(live_server.url + "/", add_elements)
    page.add_init_script(
        """window.ZevenStopsModules = {
            kapot() { throw new Error("stuk"); },
            telt(element) { element.textContent = "gestart"; },
        };"""
    )
    said: list[str] = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.goto(live_server.url + "/")
    expect(page.locator("[data-module='kapot']")).to_have_attribute("data-module-failed", "stuk")
    expect(page.locator("[data-module='telt']")).to_have_text("gestart")
    # The console names the module that failed, once; the others started without a word.
    assert [t.splitlines()[0] for t in said if t.startswith("error:")] == [
        'error: Zeven stops: module "kapot" failed: Error: stuk'
    ]
    visible_stations(page).nth(2).click()
    assert open_panels(page) == [SLUGS[2]]


def test_a_malformed_fragment_breaks_nothing(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#%zz")
    expect(page.locator("[data-module='station-panels'].js-panels-ready")).to_have_count(1)
    visible_stations(page).nth(1).click()
    assert open_panels(page) == [SLUGS[1]]


def test_without_javascript_a_link_shows_its_station_alone(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert open_panels(page) == SLUGS  # the whole guide, readable from top to bottom
    page.goto(f"{live_server.url}/#{SLUGS[3]}")
    assert open_panels(page) == [SLUGS[3]]
    page.locator(f'svg.metro-map__svg--horizontal a[href="#{SLUGS[5]}"]').click()
    assert open_panels(page) == [SLUGS[5]]
    context.close()


@pytest.mark.parametrize("query", ["stop={slug}", "stop={slug}&y=1", "y=1&stop={slug}"])
def test_embed_reads_the_stop_from_its_address(page: Page, live_server: LiveServer, query: str) -> None:
    page.goto(f"{live_server.url}/embed?" + query.format(slug=SLUGS[4]))
    assert open_panels(page) == [SLUGS[4]]
    expect(page.locator("a.js-station:visible[aria-current]")).to_have_count(1)
    # One convention with the server: the panel shown is the station's own address, so "page".
    expect(page.locator("a.js-station:visible[aria-current]")).to_have_attribute("aria-current", "page")
