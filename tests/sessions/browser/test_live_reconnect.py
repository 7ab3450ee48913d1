"""A phone keeps following when the server restarts behind a proxy (or the stream is refused for a while).

Before, a stream answered with an error (nginx's 502 while the server restarts, a 503) was closed
by Chromium for good: the phone silently stopped following.
"""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, BrowserContext, Route, expect

from app.config import Settings
from app.content import load_guide
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker
from tests.sessions.helpers import FACILITATOR_COOKIE, move, start

STATIONS = load_guide(REAL_CONTENT).stations
LOST = "Verbinding verbroken, opnieuw verbinden…"


def worker_on(port: int, settings: Settings) -> Worker:
    """A new server on the same port and database: the restarted service."""
    worker = Worker(settings)
    worker.port, worker.url = port, f"http://127.0.0.1:{port}"
    worker.server.config.port = port
    return worker


def test_the_phone_says_it_lost_the_room_and_follows_again_after_a_restart(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    first = Worker(real_settings).__enter__()
    try:
        with httpx.Client(base_url=first.url) as facilitator:
            deck = start(facilitator)
            move(facilitator, deck, STATIONS[0].slug)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        contexts.append(context)
        phone = errors.watch(context.new_page(), "phone")
        phone.goto(f"{first.url}/s/{deck.code}")
        expect(phone.locator(f"#halte-{STATIONS[0].slug}")).to_be_visible()
        lost = phone.locator(".js-live-lost")
        expect(lost).to_have_text("")

        # While the server is away the proxy answers 502: Chromium closes the stream for good.
        def bad_gateway(route: Route) -> None:
            route.fulfill(status=502, body="Bad Gateway", content_type="text/plain")

        phone.route("**/s/*/events", bad_gateway)
        # The browser logs the cut stream and the refused ones, rightly.
        errors.expect(r"502|Bad Gateway|EventSource|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED")
        port = first.port
    finally:
        first.__exit__(None, None, None)
    expect(lost).to_have_text(LOST)
    expect(phone.get_by_role("link", name="Vernieuwen")).to_be_visible()
    assert phone.evaluate("document.querySelector('.js-live-lost').getAttribute('role')") == "status"

    with worker_on(port, real_settings) as restarted:
        phone.unroute("**/s/*/events", bad_gateway)
        with httpx.Client(base_url=restarted.url, cookies={FACILITATOR_COOKIE: deck.secret}) as facilitator:
            expect(lost).to_have_text("", timeout=20_000)  # reconnected by itself, within the backoff
            assert move(facilitator, deck, STATIONS[2].slug).status_code == 200
        expect(phone.locator(f"#halte-{STATIONS[2].slug}")).to_be_visible()
        expect(phone.get_by_role("link", name="Vernieuwen")).to_be_hidden()
