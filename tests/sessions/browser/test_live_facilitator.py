"""The facilitator's deck in Chromium: no secret in any address or the history, a second device by a
one-time link, every control reachable on a projector's screen, and the A key obeying the setting."""

from __future__ import annotations

import contextlib

import httpx
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Response, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from app.config import Settings
from app.content import load_guide
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, start_in_browser
from tests.sessions.helpers import start

STATIONS = load_guide(REAL_CONTENT).stations
SCREENS = [(1024, 768), (1280, 720), (1920, 1080)]

# Every visible control of the deck whose centre is covered by something that is not itself.
COVERED = """() => [...document.querySelectorAll(
    '.deck__controls a, .deck__controls button, .deck__controls input, .deck__controls label,'
    + ' .live-controls a, .live-controls button, .live-controls summary')]
  .filter((el) => el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }))
  .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 2 && r.height > 2; })
  .filter((el) => {
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });  // below the fold is not covered
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const label = el.tagName === 'LABEL' ? document.getElementById(el.htmlFor) : null;
    return !(hit && (el.contains(hit) || hit === label || hit.closest('label') === el));
  })
  .map((el) => (el.textContent || el.getAttribute('aria-label') || el.id || el.tagName).trim().slice(0, 40))"""


# Whether an element is seen on screen, not only read out (visually hidden is 1px, clipped).
SEEN = "(selector) => document.querySelector(selector).getBoundingClientRect().width > 1"


def seen(locator: Locator) -> bool:
    return bool(locator.evaluate("(el) => el.getBoundingClientRect().width > 1"))


def posted(response: Response) -> str:
    return response.request.post_data or ""


def history_urls(page: Page) -> list[str]:
    cdp = page.context.new_cdp_session(page)
    return [entry["url"] for entry in cdp.send("Page.getNavigationHistory")["entries"]]


def room(server: Worker, code: str) -> str | None:
    session = live_of_server(server).store().find(code)
    return session.stop if session else None


def live_of_server(server: Worker):  # type: ignore[no-untyped-def]
    return server.server.config.app.app.state.live_sessions


def test_no_secret_in_any_address_or_the_history(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        code = start_in_browser(deck, server.url)
        for _ in range(2):
            deck.keyboard.press("ArrowRight")
        with deck.expect_response(lambda r: r.url.endswith("/halte") and STATIONS[1].slug in posted(r)) as moved:
            deck.keyboard.press("ArrowRight")  # the move is posted after the slide shows: wait for it
        assert moved.value.ok
        expect(deck.locator(".js-slide:visible").first).to_have_attribute("data-slug", STATIONS[1].slug)
        secret = next(c["value"] for c in context.cookies() if c["name"] == "zevenstops_gespreksleider")
        urls = history_urls(deck)
        assert len(urls) >= 3
        assert [url for url in urls if secret in url or "sleutel" in url] == []
        assert [url for url in urls if url.startswith(server.url)][1:], urls
        assert all(f"/sessies/{code}/presenteren/" in url for url in urls if "/sessies/" in url), urls
        assert "zevenstops_gespreksleider" not in deck.evaluate("document.cookie")  # HttpOnly: no script reads it
        assert room(server, code) == STATIONS[1].slug  # the slide changes moved the room, by POST


def test_a_second_device_takes_over_by_the_one_time_link(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        laptop_context = browser.new_context(viewport={"width": 1280, "height": 720})
        tablet_context = browser.new_context(viewport={"width": 820, "height": 1180})
        contexts += [laptop_context, tablet_context]
        laptop = errors.watch(laptop_context.new_page(), "laptop")
        code = start_in_browser(laptop, server.url)
        expect(laptop.locator(".slide--start")).not_to_contain_text("overnemen")
        laptop.locator(".live-controls__menu > summary").click()
        laptop.get_by_role("button", name="Op een ander apparaat verder").click()
        link = laptop.locator(".live-takeover__link a").get_attribute("href")
        assert link and "#" in link

        tablet = errors.watch(tablet_context.new_page(), "tablet")
        tablet.goto(link)
        field = tablet.get_by_label("Overnamecode van het apparaat van de gespreksleider")
        expect(field).to_have_value(link.split("#", 1)[1])
        assert "#" not in tablet.url  # the token left the address bar at once
        tablet.get_by_role("button", name="Sessie overnemen").click()
        tablet.wait_for_url(f"**/sessies/{code}/presenteren/")
        tablet.keyboard.press("ArrowRight")
        expect(tablet.locator(".js-live-room")).to_have_text(f"Op de telefoons: Halte 1: {STATIONS[0].title}")
        assert room(server, code) == STATIONS[0].slug
        assert [url for url in history_urls(tablet) if "#" in url] == []


def test_every_control_of_the_deck_can_be_reached(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        for width, height in SCREENS:
            context = browser.new_context(viewport={"width": width, "height": height}, reduced_motion="reduce")
            contexts.append(context)
            deck = errors.watch(context.new_page(), f"deck {width}x{height}")
            start_in_browser(deck, server.url)
            assert deck.evaluate(COVERED) == [], f"start screen {width}x{height}"
            deck.keyboard.press("4")
            expect(deck.locator(".js-live-toggle")).to_be_visible()
            assert deck.evaluate(COVERED) == [], f"stop {width}x{height}"
            deck.locator(".live-controls__menu > summary").click()
            assert deck.evaluate(COVERED) == [], f"session menu {width}x{height}"
            deck.get_by_text("Sessie verwijderen").click()
            expect(deck.get_by_role("button", name="Ja, verwijder deze sessie en alle antwoorden nu")).to_be_visible()
            assert deck.evaluate(COVERED) == [], f"delete opened {width}x{height}"


def test_the_answers_key_obeys_the_shortcut_setting_and_keeps_its_name(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        start_in_browser(deck, server.url)
        deck.keyboard.press("ArrowRight")
        toggle = deck.get_by_role("button", name="Antwoorden tonen (A)")
        deck.keyboard.press("a")
        expect(toggle).to_have_attribute("aria-pressed", "true")  # the same name, pressed
        deck.keyboard.press("a")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        deck.get_by_role("checkbox").uncheck()  # single-key shortcuts off (WCAG 2.1.4)
        deck.locator("body").press("a")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()  # the button itself still works
        expect(toggle).to_have_attribute("aria-pressed", "true")


def test_a_page_on_another_site_cannot_start_a_session_or_answer(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings
) -> None:
    """A real cross-site form post from Chromium (Sec-Fetch-Site: cross-site) is refused before any route."""
    with Worker(real_settings) as server:
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()  # the refusal is a 403, which Chromium logs as a console error
        with context.new_page() as phone:  # the visitor is in a session already
            with httpx.Client(base_url=server.url) as facilitator:
                code = start(facilitator).code
            phone.goto(f"{server.url}/s/{code}")
        evil = f"""<!doctype html><title>Elders</title>
            <form id="start" method="post" action="{server.url}/sessies"></form>
            <form id="answer" method="post" action="{server.url}/s/{code}/antwoord">
              <input name="halte" value="{STATIONS[0].slug}"><input name="score" value="1"></form>
            <script>document.getElementById(location.hash.slice(1)).submit()</script>"""
        page.route("http://elders.test/**", lambda route: route.fulfill(body=evil, content_type="text/html"))
        for form in ("start", "answer"):
            page.goto(f"http://elders.test/#{form}")
            expect(page.locator(".error-page h1")).to_have_text("Geen toegang")
            expect(page.locator(".error-page p")).to_contain_text("kwam van een andere website")
        store = live_of_server(server).store()
        with store.engine.connect() as db:
            assert db.exec_driver_sql("SELECT count(*) FROM sessions").scalar() == 1  # only the facilitator's
        assert store.tally(store.find(code).id) == {}


def test_a_broken_takeover_link_leaves_an_empty_field_and_no_error(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    """A link cut short or mangled (a stray "%") threw in the page's script, so the fragment stayed."""
    with Worker(real_settings) as server:
        laptop_context, tablet_context = browser.new_context(), browser.new_context()
        contexts += [laptop_context, tablet_context]
        code = start_in_browser(errors.watch(laptop_context.new_page(), "laptop"), server.url)
        tablet = errors.watch(tablet_context.new_page(), "tablet")
        tablet.goto(f"{server.url}/sessies/{code}/overnemen/#%E0%A4%A")
        expect(tablet.get_by_label("Overnamecode van het apparaat van de gespreksleider")).to_have_value("")
        expect(tablet).to_have_url(f"{server.url}/sessies/{code}/overnemen/")


def test_the_deck_says_what_the_room_sees_when_it_shows_another_slide(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    """With JavaScript the room line was always hidden: a deck reopened on another slide (or left behind
    by a second device) gave no sign that the phones showed something else."""
    with Worker(real_settings) as server:
        context = browser.new_context(viewport={"width": 1024, "height": 768}, reduced_motion="reduce")
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        code = start_in_browser(deck, server.url)
        line = deck.locator(".js-live-room")
        assert not seen(line)  # the room sees what the deck shows (the line is only read out)
        with deck.expect_response(lambda response: response.url.endswith("/halte")) as moved:
            deck.keyboard.press("ArrowRight")
        assert moved.value.ok and room(server, code) == STATIONS[0].slug
        deck.goto(f"{server.url}/sessies/{code}/presenteren/")  # reopened on the start screen
        expect(line).to_have_text(f"Op de telefoons: Halte 1: {STATIONS[0].title}")
        deck.wait_for_function(SEEN, arg=".js-live-room")
        assert deck.evaluate(COVERED) == []
        deck.keyboard.press("ArrowRight")  # the deck shows what the room sees again
        deck.wait_for_function(f"(selector) => !({SEEN})(selector)", arg=".js-live-room")
        with deck.expect_response(lambda r: r.url.endswith("/halte") and STATIONS[1].slug in posted(r)):
            deck.keyboard.press("2")  # and moves the room with it
        expect(line).to_have_text(f"Op de telefoons: Halte 2: {STATIONS[1].title}")
        assert not seen(line)


def test_quick_slide_changes_leave_the_room_on_the_last_slide(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    """Each slide change posted at once: two posts in flight could arrive in either order and leave
    the room on the older slide. Now one move is in flight at a time, then the latest one."""
    with Worker(real_settings) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        code = start_in_browser(deck, server.url)
        held: list[Route] = []
        moves: list[str] = []
        deck.on("request", lambda r: moves.append(r.post_data or "") if r.url.endswith("/halte") else None)
        deck.route("**/halte", lambda route: held.append(route) if not held else route.continue_())
        with deck.expect_request("**/halte"):
            deck.keyboard.press("ArrowRight")  # stop 1: its post is held on the way
        deck.keyboard.press("2")
        expect(deck.locator(".js-slide:visible").first).to_have_attribute("data-slug", STATIONS[1].slug)
        if len(moves) < 2:  # no second post while the first is on its way (its absence: a bounded wait)
            with contextlib.suppress(PlaywrightTimeout):
                deck.wait_for_event("request", lambda r: r.url.endswith("/halte"), timeout=1500)
        assert len(moves) == 1, f"a second move was posted while the first was on its way: {moves}"
        with deck.expect_response(lambda r: r.url.endswith("/halte") and STATIONS[1].slug in posted(r)) as moved:
            held[0].continue_()
        assert moved.value.ok and room(server, code) == STATIONS[1].slug
