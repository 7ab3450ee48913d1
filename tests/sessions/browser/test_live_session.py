"""A whole live session in real Chromium: a facilitator and three attendees, on SQLite and PostgreSQL.

The attendees join by the address in the QR code on the projector (decoded from a screenshot),
follow the facilitator, answer, see the result and download the CSV; the server restarts on the
same database and the result is still there.
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.config import Settings
from app.content import load_guide
from tests.browser.helpers import station_name
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, shot

STATIONS = load_guide(REAL_CONTENT).stations
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


def decode_qr(image: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(image)))
    assert len(found) == 1, "expected one QR code in the screenshot"
    return found[0].text


def visible_stop(page: Page) -> str:
    return page.locator(".js-live-stop:visible").get_attribute("data-slug") or "start"


def score(page: Page, value: int) -> None:
    """Tap a score of the stop on the phone's screen, as a thumb would."""
    stop = page.locator(".js-live-stop:visible")
    stop.locator("fieldset.scale").first.get_by_label(f"{value} ", exact=False).check()
    expect(stop.locator(".js-live-answer-status")).to_have_text("Opgeslagen")


def csv_rows(page: Page) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())  # a BOM, for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_a_whole_session(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors, screenshots: Path
) -> None:
    first, second = STATIONS[0], STATIONS[2]
    with Worker(real_settings) as server:
        facilitator_context = browser.new_context(viewport=PROJECTOR)
        contexts.append(facilitator_context)
        deck = errors.watch(facilitator_context.new_page(), "facilitator")
        deck.goto(server.url + "/present/")
        deck.get_by_role("button", name="Live sessie starten").click()
        deck.wait_for_url("**/sessies/*/presenteren/")
        code = deck.url.split("/")[4]
        qr = deck.locator("img.live-join__qr")
        expect(qr).to_be_visible()
        join = decode_qr(qr.screenshot())
        assert join == f"{server.url}/s/{code}"
        expect(deck.locator(".live-join__address")).to_have_text(join.removeprefix("http://"))
        shot(deck, screenshots, "live-projector-start.png")

        phones = []
        for n in range(3):
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
            contexts.append(context)
            phone = errors.watch(context.new_page(), f"attendee {n + 1}")
            phone.goto(join)
            expect(phone.locator("#live-wacht")).to_be_visible()
            phones.append(phone)

        toggle = deck.get_by_role("button", name="Antwoorden tonen (A)")
        expect(toggle).to_be_hidden()  # nothing to show on the start screen
        deck.keyboard.press("ArrowRight")  # the clicker: every phone follows
        expect(toggle).to_be_visible()
        for phone in phones:
            expect(phone.locator(f"#halte-{first.slug}")).to_be_visible()
        for phone, value in zip(phones, (2, 4, 4)):
            score(phone, value)
        statement = phones[0].locator(f"#halte-{first.slug}")
        statement.get_by_text("Ook uw mening over de stellingen").click()
        statement.locator("fieldset.scale").nth(1).get_by_label("1 ", exact=False).check()
        expect(statement.locator(".js-live-answer-status")).to_have_text("Opgeslagen")

        tally = deck.locator(f'.js-live-tally[data-slug="{first.slug}"]')
        expect(tally.locator(".live-tally__count")).to_contain_text("3 antwoorden · gemiddeld 3,3 (redelijk)")
        expect(tally.locator(".bar-chart__count")).to_have_text(["0", "1", "0", "2", "0"])
        station = deck.locator(f'a.js-scan-station[data-slug="{first.slug}"]')
        name = station_name(first, score="3,3")  # what the map shows first (2.5.3), then the rest
        expect(station).to_have_attribute("aria-label", f"{name} — gemiddeld 3,3 (redelijk), 3 antwoorden")
        assert "scan-band--3" in (station.get_attribute("class") or "")
        shot(deck, screenshots, "live-projector-stop.png")
        shot(phones[1], screenshots, "live-phone-stop.png")

        deck.keyboard.press(str(second.number))  # straight to a later stop
        for phone in phones:
            expect(phone.locator(f"#halte-{second.slug}")).to_be_visible()
        score(phones[2], 1)
        expect(deck.locator(f'.js-live-tally[data-slug="{second.slug}"] .live-tally__count')).to_contain_text(
            "1 antwoord"
        )

        phones[1].get_by_role("link", name="Uitslag van deze sessie").click()
        result = phones[1]
        expect(result.locator("h1")).to_contain_text("Samenwerkingsscan")
        summaries = result.locator(".result-stop__summary")
        expect(summaries.nth(0)).to_have_text("Gemiddeld 3,3 (redelijk), 3 antwoorden.")
        expect(summaries.nth(2)).to_have_text("Gemiddeld 1,0 (zwak), 1 antwoord.")
        starters = result.locator(".starters__score")
        expect(starters.nth(0)).to_contain_text("1,0")  # the lowest scores first
        shot(result, screenshots, "live-phone-result.png", full_page=True)
        rows = csv_rows(result)
        assert rows[0][:9] == ["halte", "titel", "aantal", "gemiddelde", "1", "2", "3", "4", "5"]
        assert rows[0][9:] == ["vraag", "soort", "weet niet", "tekst"]
        stops = [r[:9] for r in rows[1:] if r[10] == "halte"]  # the per-stop rows, as before
        assert stops[0] == ["1", first.title, "3", "3.33", "0", "1", "0", "2", "0"]
        assert stops[2] == ["3", second.title, "1", "1.00", "1", "0", "0", "0", "0"]
        assert [r[2] for r in stops] == ["3", "0", "1", "0", "0", "0", "0"]
        agreed = [r for r in rows[1:] if r[10] == "stelling" and r[2] != "0"]
        assert [r[:11] for r in agreed] == [["1", first.title, "1", "1.00", "1", "0", "0", "0", "0", "1", "stelling"]]
        for context in contexts:  # everyone leaves: their streams close
            context.close()
        contexts.clear()

    with Worker(real_settings) as restarted:  # a new server on the same database
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = errors.watch(context.new_page(), "after restart")
        page.goto(f"{restarted.url}/s/{code}/uitslag")
        expect(page.locator(".result-stop__summary").nth(0)).to_have_text("Gemiddeld 3,3 (redelijk), 3 antwoorden.")
        assert csv_rows(page) == rows


def fits(page: Page, height: int, within: float = 5.0) -> bool:
    """Whether the page, once redrawn by the events of a move, needs no scrolling (waits up to `within` s)."""
    deadline = time.monotonic() + within
    while (tall := page.evaluate("document.documentElement.scrollHeight")) > height and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    return tall <= height


def test_the_live_deck_fits_one_screen_in_large_type(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors, screenshots: Path
) -> None:
    """Statement, or (A) the chart, on one screen; text at least 3.6 % of the height, legible at 5 m."""
    with Worker(real_settings) as server:
        for width, height in ((1920, 1080), (1280, 720)):
            context = browser.new_context(viewport={"width": width, "height": height})
            contexts.append(context)
            deck = errors.watch(context.new_page(), f"deck {width}x{height}")
            deck.goto(server.url + "/present/")
            deck.get_by_role("button", name="Live sessie starten").click()
            deck.wait_for_url("**/sessies/*/presenteren/")
            assert deck.evaluate("document.documentElement.scrollHeight") <= height, "the start screen scrolls"
            for number in range(1, len(STATIONS) + 1):
                deck.keyboard.press(str(number))
                slide = deck.locator(".js-slide:visible")
                # The move's events (count, notice) may redraw parts of the slide just after the key:
                # it must settle on one screen, not only be measured before they arrive.
                assert fits(deck, height), f"stop {number} scrolls"
                font = slide.locator(".slide__statement").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
                assert font >= 0.036 * height
                deck.keyboard.press("a")  # the answers, large
                expect(slide.locator(".slide__statement")).to_be_hidden()
                expect(slide.locator(".bar-chart")).to_be_visible()
                assert fits(deck, height), f"chart {number} scrolls"
                # The live count may replace the chart at any moment: measure in the page until it is
                # drawn (a chart being swapped in has no size yet); it must reach 3.6 % of the height.
                deck.wait_for_function(
                    """(least) => [...document.querySelectorAll('.js-slide:not([hidden]) .bar-chart__count')]
                        .some((el) => el.getBoundingClientRect().height >= least)""",
                    arg=0.036 * height,
                    timeout=60_000,
                )
                if number == 5:
                    shot(deck, screenshots, f"live-projector-answers-{width}x{height}.png")
                deck.keyboard.press("a")
                expect(slide.locator(".slide__statement")).to_be_visible()
            context.close()
        contexts.clear()
