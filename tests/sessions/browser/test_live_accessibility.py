"""What axe does not see on the live session, in real Chromium: the attendee hears where the room
moved to, the deck's start screen works like any other slide, the charts and the score map stay
readable in a contrast theme, and every status region is there to announce its first message."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from app.config import Settings
from app.content import load_guide
from tests.browser.test_forced_colors import MEASURE
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, start_in_browser
from tests.sessions.helpers import answer, move, start

STATIONS = load_guide(REAL_CONTENT).stations
PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1280, "height": 720}

# A live region must be rendered (not display:none, not visibility:hidden) before its first message.
RENDERED = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const style = getComputedStyle(el);
  return el.getClientRects().length > 0 && style.display !== 'none' && style.visibility !== 'hidden';
})"""

# Contrast of the bar charts and the score map's rings and scores, in what the page paints.
CHART_MEASURE = """() => {
  const parse = (c) => { const [r, g, b] = c.match(/[\\d.]+/g).map(Number); return {r, g, b}; };
  const lum = ({r, g, b}) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const short = [];
  const need = (what, el, prop, minimum) => {
    const value = ratio(parse(getComputedStyle(el)[prop]), page);
    if (value < minimum) short.push(`${what} "${el.textContent.trim()}": ${value.toFixed(2)} < ${minimum}`);
  };
  const shown = (el) => el.getBoundingClientRect().width > 0;
  const charts = [...document.querySelectorAll('svg.bar-chart')].filter(shown);
  for (const chart of charts) {
    for (const text of chart.querySelectorAll('text')) need(text.getAttribute('class'), text, 'fill', 4.5);
    for (const axis of chart.querySelectorAll('.bar-chart__axis')) need('axis', axis, 'stroke', 3);
  }
  for (const ring of [...document.querySelectorAll('.scan-map .scan-map__fill')].filter(shown)) need('ring', ring, 'stroke', 3);
  for (const ring of [...document.querySelectorAll('.scan-map .metro-map__station--current .scan-map__current')]) {
    need('current ring', ring, 'stroke', 3);
  }
  for (const score of [...document.querySelectorAll('.scan-map__score')].filter(shown)) need('score', score, 'fill', 4.5);
  return {charts: charts.length, short};
}"""


def test_the_attendee_hears_where_the_room_moved_and_focus_follows(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server, httpx.Client(base_url=server.url) as facilitator:
        session = start(facilitator)
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        phone = errors.watch(context.new_page(), "attendee")
        phone.goto(f"{server.url}/s/{session.code}")
        expect(phone.locator(".js-live-refresh")).to_be_hidden()  # the script runs
        now = phone.locator(".js-live-now")
        assert phone.evaluate(RENDERED, ".js-live-now") == [True]

        # Focus on the page itself: it follows to the new stop's heading.
        third = STATIONS[2]
        assert move(facilitator, session, third.slug).status_code == 200
        expect(now).to_have_text(f"Nu op het scherm: Halte 3 van {len(STATIONS)}, {third.title}")
        assert phone.title().startswith(f"Halte 3 van {len(STATIONS)}: {third.title} — Live sessie ")
        assert phone.evaluate("document.activeElement.id") == f"live-{third.slug}"

        # Focus on an answer in the stop that goes: it follows too.
        phone.locator(f"#halte-{third.slug} input[type=radio]").first.focus()
        fifth = STATIONS[4]
        assert move(facilitator, session, fifth.slug).status_code == 200
        expect(now).to_have_text(f"Nu op het scherm: Halte 5 van {len(STATIONS)}, {fifth.title}")
        assert phone.evaluate("document.activeElement.id") == f"live-{fifth.slug}"

        # Focus on something outside the stops stays where it is.
        phone.get_by_role("link", name="Uitslag van deze sessie").focus()
        assert move(facilitator, session, None).status_code == 200
        expect(now).to_have_text("Nu op het scherm: Even wachten")
        assert phone.evaluate("document.activeElement.textContent") == "Uitslag van deze sessie"


def test_the_deck_start_screen_is_a_slide_like_any_other(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        context = browser.new_context(viewport=PROJECTOR)
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        start_in_browser(deck, server.url)
        expect(deck.locator(".slide--start")).to_be_visible()
        assert deck.evaluate("document.querySelector('[data-module-failed]')") is None
        deck.keyboard.press("ArrowRight")
        deck.keyboard.press("ArrowRight")  # the first stop's questions: "#vragen"
        expect(deck.locator(".js-slide:visible")).to_have_attribute("data-view", "questions")
        assert deck.url.endswith("#vragen")
        deck.keyboard.press("Home")
        expect(deck.locator(".slide--start")).to_be_visible()
        assert deck.evaluate("document.activeElement.id") == "slide-start"
        assert "#" not in deck.url
        assert deck.title().startswith("Doe mee op uw telefoon")
        assert deck.evaluate("document.querySelector('[data-module-failed]')") is None


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_charts_and_the_score_map_stay_readable_in_a_contrast_theme(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors, scheme: str
) -> None:
    first = STATIONS[0]
    with Worker(real_settings) as server:
        context = browser.new_context(
            viewport=PROJECTOR,
            forced_colors="active",
            color_scheme=scheme,  # type: ignore[arg-type]
        )
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        code = start_in_browser(deck, server.url)
        with httpx.Client(base_url=server.url) as attendee:
            attendee.get(f"/s/{code}")
            answer(attendee, code, halte=first.slug, score="4")
        deck.keyboard.press("ArrowRight")
        deck.get_by_role("button", name="Antwoorden tonen (A)").click()
        expect(deck.locator(f'.js-live-tally[data-slug="{first.slug}"] svg.bar-chart')).to_be_visible()
        assert deck.evaluate("matchMedia('(forced-colors: active)').matches")
        measured = deck.evaluate(CHART_MEASURE)
        assert measured["charts"] == 1
        assert measured["short"] == []
        # The guide's own measure of the map (line, labels, numbers); on the score map the current
        # stop's fill is its band, and the ring around it (measured above) marks it.
        assert [s for s in deck.evaluate(MEASURE) if not s.startswith("current station")] == []


def test_status_regions_are_there_before_their_first_message(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    first = STATIONS[0]
    with Worker(real_settings) as server:
        facilitator_context = browser.new_context(viewport=PROJECTOR)
        phone_context = browser.new_context(viewport=PHONE)
        contexts += [facilitator_context, phone_context]
        deck = errors.watch(facilitator_context.new_page(), "facilitator")
        code = start_in_browser(deck, server.url)
        deck.keyboard.press("ArrowRight")
        said = deck.locator(f'.js-live-tally[data-slug="{first.slug}"] .js-live-tally-said')
        assert deck.evaluate(RENDERED, ".live-controls__status") == [True]
        assert said.get_attribute("role") == "status"

        phone = errors.watch(phone_context.new_page(), "attendee")
        phone.goto(f"{server.url}/s/{code}")
        expect(phone.locator(".js-live-refresh")).to_be_hidden()
        assert phone.evaluate(RENDERED, ".live__ended") == [True]
        assert phone.evaluate(RENDERED, ".js-live-stop:not([hidden]) .js-live-answer-status") == [True]
        phone.locator(".js-live-stop:visible fieldset.scale").first.get_by_label("4 ", exact=False).check()
        expect(phone.locator(".js-live-stop:visible .js-live-answer-status")).to_have_text("Opgeslagen")
        expect(said).to_have_text("1 antwoord")  # the count alone, not the chart

        phone.goto(f"{server.url}/scan/")
        assert phone.evaluate(RENDERED, ".scan__status") == [True]
        assert phone.evaluate("document.querySelector('.scan__status').getAttribute('role')") == "status"
