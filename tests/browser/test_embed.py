"""The embed in an intranet page on another origin, and the insluiten snippet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from app.content import load_guide
from tests.browser.helpers import axe_violations, station_name
from tests.conftest import REAL_CONTENT, LiveServer, free_port

STATIONS = load_guide(REAL_CONTENT).stations


class HostPage:
    """A stand-in intranet page on another origin (another port on 127.0.0.1)."""

    def __init__(self) -> None:
        self.html = b""
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(host.html)

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def host() -> Iterator[HostPage]:
    page = HostPage()
    yield page
    page.server.shutdown()


def snippet_from_map_page(page: Page, live_server: LiveServer) -> str:
    """The code a communications officer copies from the 'Insluiten' dialog."""
    page.goto(live_server.url + "/")
    page.get_by_text("Insluiten op uw intranet").click()
    return page.locator("#embed-snippet").input_value()


def test_snippet_frames_the_embed_and_the_iframe_grows(page: Page, live_server: LiveServer, host: HostPage) -> None:
    snippet = snippet_from_map_page(page, live_server)
    assert f'src="{live_server.url}/embed/"' in snippet  # a full address, ready to paste
    host.html = f"""<!doctype html><html lang="nl"><title>Intranet</title>
        <h1>Intranet van de gemeente</h1><div style="width: 340px">{snippet}</div>""".encode()
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(host.url)
    frame_element = page.locator("iframe[data-zevenstops]")
    frame = page.frame_locator("iframe[data-zevenstops]")
    expect(frame.locator("svg.metro-map__svg--vertical")).to_be_visible()  # narrow column: vertical line
    page.wait_for_function("document.querySelector('iframe').style.height !== ''")
    closed = frame_element.evaluate("f => f.getBoundingClientRect().height")
    inner = frame.locator("html").evaluate("el => Math.ceil(el.getBoundingClientRect().height)")
    assert abs(closed - inner) <= 2  # the iframe is exactly as tall as the guide
    frame.locator("a.js-station:visible").nth(3).click()
    expect(frame.locator(f"section#{STATIONS[3].slug}")).to_be_visible()
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height > {closed + 500}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1000  # the host page does not break


def test_embed_opens_on_a_given_stop(page: Page, live_server: LiveServer, host: HostPage) -> None:
    host.html = f"""<!doctype html><html lang="nl"><title>Intranet</title>
        <iframe src="{live_server.url}/embed?stop={STATIONS[5].slug}" title="Gids" style="width:600px;height:500px"></iframe>""".encode()
    page.goto(host.url)
    frame = page.frame_locator("iframe")
    expect(frame.locator(f"section#{STATIONS[5].slug}")).to_be_visible()
    expect(frame.locator("a.js-station:visible[aria-current]")).to_have_attribute(
        "aria-label", station_name(STATIONS[5])
    )


@pytest.mark.console_error(r"violates the following Content Security Policy directive: \"frame-ancestors 'self'\"")
def test_the_map_page_refuses_to_be_framed_elsewhere(page: Page, live_server: LiveServer, host: HostPage) -> None:
    host.html = f"""<!doctype html><html lang="nl"><title>Intranet</title>
        <iframe src="{live_server.url}/" title="Gids"></iframe>""".encode()
    page.goto(host.url)
    page.wait_for_timeout(500)
    child = [f for f in page.frames if f != page.main_frame]
    assert len(child) == 1
    assert child[0].url.startswith("chrome-error://")  # blocked by frame-ancestors 'self'


def test_embed_fits_300px_and_has_no_axe_violations(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 300, "height": 700})
    page.goto(live_server.url + "/embed")
    assert page.evaluate("document.documentElement.scrollWidth") <= 300
    expect(page.locator(".site-header")).to_have_count(0)
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/embed?stop={STATIONS[2].slug}")  # opened on a stop
    expect(page.locator(f"section#{STATIONS[2].slug}")).to_be_visible()
    assert axe_violations(page) == []


def test_copy_button_copies_the_snippet(page: Page, live_server: LiveServer) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    snippet = snippet_from_map_page(page, live_server)
    page.get_by_role("button", name="Kopieer de code").click()
    expect(page.locator(".js-copy-status")).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == snippet
