"""The exported guide in Chromium: opened from disk (a USB stick) and under a sub-path."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, Request, expect
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


class Failures:
    """Every request that fails or answers >= 400, as it stands at the end of a test.

    A request the page was still loading when it moved on to another document (the favicon of
    the page being left, net::ERR_ABORTED) is not a failure of the export; a request aborted
    while its page is still the one shown is, and so is a missing file.
    """

    def __init__(self, page: Page):
        self.page = page
        self.documents = 0  # how many documents the page has shown; a fragment change is none
        self.shown = ""
        self.issued: dict[Request, int] = {}
        self.aborted: list[tuple[int, str]] = []
        self.others: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("request", lambda request: self.issued.setdefault(request, self.documents))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.others.append(f"{r.status} {r.url}"))

    def _navigated(self, frame: Frame) -> None:
        document = frame.url.split("#", 1)[0]
        if frame == self.page.main_frame and document != self.shown:
            self.shown = document
            self.documents += 1

    def _failed(self, request: Request) -> None:
        if request.failure == "net::ERR_ABORTED":
            self.aborted.append((self.issued.get(request, self.documents), request.url))
        else:
            self.others.append(f"failed {request.url} ({request.failure})")

    def __call__(self) -> list[str]:
        # A request issued while the document before the current one loaded (its navigation is
        # counted only once it commits) belongs to a page that was left.
        current = [url for document, url in self.aborted if document >= self.documents]
        return self.others + [f"aborted {url}" for url in current]


def watch_failures(page: Page) -> Failures:
    return Failures(page)


class Hanging(SimpleHTTPRequestHandler):
    """A small page at any address, and no answer ever under /nooit-klaar/."""

    def do_GET(self) -> None:
        if self.path.startswith("/nooit-klaar/"):
            threading.Event().wait(60)  # the test leaves the page long before
            return
        body = b"<!doctype html><title>t</title><link rel=icon href=data:,><p>pagina</p>"
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_request_is_a_failure_unless_its_page_was_left(page: Page) -> None:
    """What the export tests count: aborted by leaving the page, no; aborted on the page shown, yes."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hanging)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        failures = watch_failures(page)
        page.goto(url + "/eerste")
        with page.expect_request("**/nooit-klaar/links"):
            page.evaluate("() => { fetch('/nooit-klaar/links').catch(() => {}); }")
        with page.expect_event("requestfailed"):
            page.goto(url + "/tweede")  # the open request is cancelled by leaving the page
        assert failures() == []
        with page.expect_event("requestfailed"):
            page.evaluate(
                """() => { const stop = new AbortController();
                           fetch('/nooit-klaar/hier', {signal: stop.signal}).catch(() => {});
                           setTimeout(() => stop.abort(), 50); }"""
            )
        assert failures() == [f"aborted {url}/nooit-klaar/hier"]
    finally:
        server.shutdown()


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
    expect(page.locator(".js-slide:visible .slide__title")).to_have_text(STATIONS[2].title)
    for other in ("print/index.html", "embed/index.html"):  # every page opens without a page error
        page.goto((exported / other).as_uri())
        expect(page.locator("h1")).to_be_visible()
    assert failures() == []


def slide(page: Page) -> str:
    return page.locator(".js-slide:visible").evaluate(
        "el => [el.dataset.slug || 'start', el.dataset.view || 'start'].join(' ')"
    )


def test_presentation_from_disk_keeps_its_place_in_the_fragment(page: Page, exported: Path) -> None:
    """file:// has origin null, so the History API refuses other paths: the fragment holds the view."""
    deck = (exported / "present" / "index.html").as_uri()
    page.goto(deck)
    page.keyboard.press("ArrowRight")
    assert slide(page) == f"{STATIONS[0].slug} statement"
    assert page.url == f"{deck}#{STATIONS[0].slug}"
    page.keyboard.press("3")
    page.keyboard.press("ArrowRight")
    assert slide(page) == f"{STATIONS[2].slug} questions"
    page.reload()
    assert slide(page) == f"{STATIONS[2].slug} questions"
    page.keyboard.press("b")
    page.keyboard.press("b")
    page.go_back()
    assert slide(page) == f"{STATIONS[2].slug} statement"
    page.keyboard.press("Home")
    page.reload()
    assert slide(page) == "start start"
    page.goto(f"{deck}#{STATIONS[4].slug}")  # a link to one stop of the deck on the stick
    assert slide(page) == f"{STATIONS[4].slug} statement"
    page.locator("a.js-station").nth(1).click()
    assert slide(page) == f"{STATIONS[1].slug} statement"
    page.get_by_role("checkbox", name=re.compile("^Sneltoetsen")).uncheck()  # localStorage from disk


def test_presentation_page_of_a_stop_from_disk(page: Page, exported: Path) -> None:
    page.goto((exported / "present" / STATIONS[1].slug / "index.html").as_uri())
    assert slide(page) == f"{STATIONS[1].slug} statement"
    page.keyboard.press("6")
    page.reload()
    assert slide(page) == f"{STATIONS[5].slug} statement"


@pytest.mark.parametrize("query", ["stop={slug}", "stop={slug}&y=1"])
def test_embed_from_disk_opens_the_stop_in_its_address(page: Page, exported: Path, query: str) -> None:
    page.goto((exported / "embed" / "index.html").as_uri() + "?" + query.format(slug=STATIONS[3].slug))
    assert open_panels(page) == [STATIONS[3].slug]


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
    assert failures() == []


def test_export_includes_the_pdfs(exported: Path) -> None:
    for station in STATIONS:
        assert 1 <= len(PdfReader(exported / "stops" / f"{station.slug}.pdf").pages) <= 2
    assert len(PdfReader(exported / "guide.pdf").pages) >= 1 + len(STATIONS)
    for station in STATIONS:  # the werkbladen and the paper scan, one A4 each
        assert len(PdfReader(exported / "stops" / station.slug / "werkblad.pdf").pages) == 1
    assert len(PdfReader(exported / "scan" / "papier.pdf").pages) == 1
