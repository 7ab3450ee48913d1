"""Every kind of page the guide has, for the tests that measure a WCAG criterion on all of them.

The guide's own pages are fixed addresses; the live session's pages exist once a session runs, so
`start_session` starts one in the browser (as a facilitator does), answers one stop as an attendee
and hands back their addresses. The facilitator's deck only opens in the context that started it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.config import Settings
from app.content import load_guide
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations
SLUG = STATIONS[2].slug

GUIDE_PAGES = {
    "kaart": "/",
    "kaart met open halte": f"/#{SLUG}",
    "halte": f"/stops/{SLUG}/",
    "presentatie": "/present/",
    "dia": f"/present/{SLUG}/",
    "inbedden": f"/embed/?stop={SLUG}",
    "boekje": "/print/",
    "scan": "/scan/",
    "scan op papier": "/scan/papier/",
    "werkblad": f"/stops/{SLUG}/werkblad/",
    "privacy": "/privacy",
    "toegankelijkheid": "/toegankelijkheid/",
    "api-documentatie": "/docs",
    "niet gevonden": "/bestaat-niet/",
    "sessie zoeken": "/s/",
}
SESSION_KINDS = ("deelnemer", "gespreksleider", "uitslag", "overnemen")


def session_server(tmp: Path) -> LiveServer:
    """The guide with its real content and a session database of its own."""
    settings = replace(
        Settings(),
        content_dir=REAL_CONTENT,
        data_dir=tmp,
        database_url=f"sqlite:///{tmp / 'sessies.db'}",
        sessions_per_hour=10_000,
    )
    return LiveServer(settings)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with session_server(tmp_path_factory.mktemp("data")) as running:
        yield running


def start_session(page: Page, base_url: str) -> dict[str, str]:
    """Start a live session from /present/, answer stop 1 on it; the address of each session page."""
    page.goto(base_url + "/present/")
    page.get_by_role("button", name="Live sessie starten").click()
    page.wait_for_url("**/sessies/*/presenteren/**")
    deck = page.url.removeprefix(base_url)
    code = deck.split("/sessies/", 1)[1].split("/", 1)[0]
    with page.expect_response(lambda response: response.url.endswith("/halte")):
        page.keyboard.press("ArrowRight")  # the room moves to stop 1
    page.goto(f"{base_url}/s/{code}")
    stop = page.locator("section.js-live-stop:visible")
    stop.locator("label.scale__option").nth(3).click()
    stop.get_by_role("button", name="Antwoord versturen").click()
    expect(stop.locator(".js-live-answer-status")).to_have_text("Opgeslagen")
    return {
        "deelnemer": f"/s/{code}",
        "gespreksleider": deck,
        "uitslag": f"/s/{code}/uitslag",
        "overnemen": f"/sessies/{code}/overnemen/",
    }
