"""Presentation mode in real Chromium: the keys a presenter's clicker sends, one screen per view
(the start screen; per stop its statement, then its discussion questions)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from app.content import load_guide
from app.markdown import ContentHtml
from tests.browser.helpers import axe_violations, station_name
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations
HTML = ContentHtml()


def shown(page: Page) -> str:
    """Which view is showing: 'start', a station slug, or 'slug/vragen' for its questions."""
    return page.locator(".js-slide:visible").evaluate(
        "el => !el.dataset.slug ? 'start' : el.dataset.view === 'questions' ? el.dataset.slug + '/vragen' : el.dataset.slug"
    )


def announced(page: Page, name: str) -> None:
    """Focus is on the heading of the view that is showing, and that heading is named `name`."""
    heading = page.locator(".js-slide:not([hidden]) .slide__heading")
    expect(heading).to_be_focused()
    expect(heading).to_have_accessible_name(name)


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
    assert deck.url == f"{live_server.url}/present/{STATIONS[0].slug}/"
    deck.keyboard.press("PageDown")  # the stop's second view: its discussion questions
    assert shown(deck) == f"{STATIONS[0].slug}/vragen"
    assert deck.url == f"{live_server.url}/present/{STATIONS[0].slug}/#vragen"
    deck.keyboard.press("Space")
    assert shown(deck) == STATIONS[1].slug
    deck.keyboard.press("PageUp")
    assert shown(deck) == f"{STATIONS[0].slug}/vragen"
    deck.keyboard.press("ArrowLeft")
    assert shown(deck) == STATIONS[0].slug
    deck.keyboard.press("End")
    assert shown(deck) == f"{STATIONS[-1].slug}/vragen"
    deck.keyboard.press("ArrowRight")  # past the end stays on the last view
    assert shown(deck) == f"{STATIONS[-1].slug}/vragen"
    deck.keyboard.press("Home")
    assert shown(deck) == "start"
    deck.keyboard.press("5")
    assert shown(deck) == STATIONS[4].slug
    current = deck.locator("a.js-station[aria-current]")
    expect(current).to_have_attribute("aria-label", station_name(STATIONS[4]))
    expect(current).to_have_attribute("aria-current", "step")  # where the deck is on the line
    expect(deck).to_have_title(f"{STATIONS[4].title} — presentatie")


def test_each_stop_shows_its_discussion_questions(deck: Page, live_server: LiveServer) -> None:
    station = STATIONS[2]
    deck.keyboard.press("3")
    deck.keyboard.press("ArrowRight")
    assert shown(deck) == f"{station.slug}/vragen"
    items = deck.locator(".js-slide:visible .slide__questions li")
    expected = [BeautifulSoup(HTML.inline(q), "html.parser").get_text() for q in station.questions]
    assert [" ".join(t.split()) for t in items.all_inner_texts()] == [" ".join(t.split()) for t in expected]
    expect(deck).to_have_title(f"Gespreksvragen: {station.title} — presentatie")
    deck.reload()  # the address names the view
    assert shown(deck) == f"{station.slug}/vragen"
    deck.keyboard.press("ArrowRight")
    assert shown(deck) == STATIONS[3].slug


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
    assert shown(deck) == f"{STATIONS[2].slug}/vragen"
    deck.keyboard.press("Escape")
    deck.wait_for_url(f"{live_server.url}/#{STATIONS[2].slug}")
    expect(deck.locator(f"section#{STATIONS[2].slug}")).to_be_visible()


def test_the_blanked_screen_is_inert(deck: Page) -> None:
    deck.keyboard.press("2")
    deck.locator(".js-deck-next").focus()
    deck.keyboard.press("b")
    for _ in range(4):
        deck.keyboard.press("Tab")
        assert deck.evaluate("document.activeElement.closest('[inert]') === null"), "focus went under the overlay"
        assert deck.evaluate("!document.activeElement.closest('.deck__controls, .deck__map, .js-slide')")
    deck.keyboard.press("Escape")
    expect(deck.locator(".js-blank")).to_be_hidden()
    assert deck.evaluate("document.querySelectorAll('[inert]').length") == 0
    assert deck.evaluate("document.activeElement.classList.contains('js-deck-next')")  # back where it was


def test_each_stop_has_its_own_url_reload_and_history(deck: Page, live_server: LiveServer) -> None:
    deck.keyboard.press("2")
    deck.keyboard.press("4")
    deck.reload()
    assert shown(deck) == STATIONS[3].slug
    deck.go_back()
    assert shown(deck) == STATIONS[1].slug


def test_clicking_the_line_changes_slide_in_place(deck: Page, live_server: LiveServer) -> None:
    deck.evaluate("window.sameDocument = true")
    deck.locator("a.js-station").nth(6).click()  # the line itself is clickable
    assert shown(deck) == STATIONS[6].slug
    assert deck.url == f"{live_server.url}/present/{STATIONS[6].slug}/"
    assert deck.evaluate("window.sameDocument === true")  # no page load, which would end full screen
    deck.get_by_role("link", name="← Vorige").click()
    assert shown(deck) == f"{STATIONS[5].slug}/vragen"
    assert deck.evaluate("window.sameDocument === true")


def test_each_change_is_announced(deck: Page) -> None:
    """Focus moves to the new view's heading, which says where the room is."""
    deck.keyboard.press("ArrowRight")
    announced(deck, f"Halte 1 van 7 {STATIONS[0].title}")
    deck.keyboard.press("ArrowRight")
    announced(deck, f"Halte 1 van 7: {STATIONS[0].title} Gespreksvragen")
    deck.locator("a.js-station").nth(3).click()
    announced(deck, f"Halte 4 van 7 {STATIONS[3].title}")
    deck.keyboard.press("Home")
    announced(deck, "Samenwerking tussen gemeenten")


def test_arrow_keys_on_a_focused_station_do_one_thing(deck: Page) -> None:
    deck.keyboard.press("2")
    stations = deck.locator("a.js-station")
    stations.nth(4).focus()
    deck.keyboard.press("ArrowRight")  # moves along the line, and only that
    assert deck.evaluate("document.activeElement.dataset.slug") == STATIONS[5].slug
    assert shown(deck) == STATIONS[1].slug
    deck.keyboard.press("Enter")  # opens the stop that has focus
    assert shown(deck) == STATIONS[5].slug
    deck.keyboard.press("ArrowRight")  # focus is on the slide now: the keys move the slides
    assert shown(deck) == f"{STATIONS[5].slug}/vragen"


def test_single_key_shortcuts_can_be_switched_off(deck: Page) -> None:
    setting = deck.get_by_role("checkbox", name=re.compile("^Sneltoetsen van één teken"))
    expect(setting).to_be_visible()
    expect(setting).to_be_checked()
    setting.uncheck()
    deck.locator("body").click(position={"x": 5, "y": 400})
    for key in ("3", "b", ".", "f", "Space"):
        deck.keyboard.press(key)
        assert shown(deck) == "start", key
        expect(deck.locator(".js-blank")).to_be_hidden()
    deck.keyboard.press("ArrowRight")  # keys that are not characters keep working
    assert shown(deck) == STATIONS[0].slug
    deck.reload()  # remembered in this browser
    expect(setting).not_to_be_checked()
    deck.keyboard.press("4")
    assert shown(deck) == STATIONS[0].slug
    setting.check()
    deck.keyboard.press("4")
    assert shown(deck) == STATIONS[3].slug


def test_slide_changes_are_dispatched_for_the_live_session(deck: Page) -> None:
    deck.evaluate(
        "window.slides = []; document.addEventListener('zevenstops:slide', (e) => window.slides.push(e.detail))"
    )
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("ArrowRight")
    deck.keyboard.press("3")
    deck.keyboard.press("Home")
    deck.keyboard.press("3")  # one event per change, none for pressing the same stop again
    deck.keyboard.press("3")
    assert deck.evaluate("window.slides") == [
        {"slug": STATIONS[0].slug, "index": 1, "view": "statement"},
        {"slug": STATIONS[0].slug, "index": 1, "view": "questions"},
        {"slug": STATIONS[2].slug, "index": 3, "view": "statement"},
        {"slug": None, "index": 0, "view": "start"},
        {"slug": STATIONS[2].slug, "index": 3, "view": "statement"},
    ]


def test_the_first_view_is_dispatched_once_every_module_started(page: Page, live_server: LiveServer) -> None:
    page.add_init_script(
        "window.slides = []; document.addEventListener('zevenstops:slide', (e) => window.slides.push(e.detail))"
    )
    page.goto(f"{live_server.url}/present/{STATIONS[1].slug}/#vragen")
    page.wait_for_function("window.slides.length > 0")
    assert page.evaluate("window.slides") == [{"slug": STATIONS[1].slug, "index": 2, "view": "questions"}]


def test_swipes_on_a_tablet(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/present/")
    cdp = context.new_cdp_session(page)

    def swipe(x0: int, x1: int, y: int = 450) -> None:
        points = [x0 + (x1 - x0) * step // 8 for step in range(9)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
        for x in points[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    swipe(800, 200)  # to the left: next
    expect(page.locator(f".js-slide[data-slug='{STATIONS[0].slug}'][data-view='statement']")).to_be_visible()
    swipe(800, 200)
    assert shown(page) == f"{STATIONS[0].slug}/vragen"
    swipe(200, 800)  # to the right: back
    assert shown(page) == STATIONS[0].slug
    swipe(500, 520)  # a tap-sized movement is no swipe
    assert shown(page) == STATIONS[0].slug
    context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_slide_fits_one_screen_in_large_type(
    page: Page, live_server: LiveServer, screenshots: Path, size: tuple[int, int]
) -> None:
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/present/")
    views = page.locator(".js-slide").count()
    for i in range(views):
        if i:
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.documentElement.scrollHeight") <= height, f"{shown(page)} scrolls"
        text = page.locator(".js-slide:visible :is(.slide__statement, .slide__lead, .slide__questions)")
        font = text.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        # Legible at 5 m: a statement ≥ 3.6 % of the screen height; questions, longer, ≥ 3 %.
        assert font >= (0.03 if shown(page).endswith("/vragen") else 0.036) * height
        expect(page.locator("svg.metro-map__svg--horizontal")).to_be_visible()
        if i == 5:
            page.screenshot(path=screenshots / f"present-{width}x{height}.png", animations="disabled")
        if i == 6:
            page.screenshot(path=screenshots / f"present-questions-{width}x{height}.png", animations="disabled")
    assert views == 1 + 2 * len(STATIONS)


def test_axe_in_presentation_mode(deck: Page) -> None:
    assert axe_violations(deck) == []
    deck.keyboard.press("4")
    assert axe_violations(deck) == []
    deck.keyboard.press("ArrowRight")
    assert axe_violations(deck) == []


def test_presentation_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(live_server.url + "/present")
    assert page.url == f"{live_server.url}/present/"
    title = page.locator(".js-slide:visible .slide__title").first
    page.get_by_role("link", name="Volgende →").click()
    expect(title).to_have_text(STATIONS[0].title)
    expect(page.locator(".js-slide:visible .slide__questions li")).to_have_count(len(STATIONS[0].questions))
    page.get_by_role("link", name="Volgende →").click()
    expect(title).to_have_text(STATIONS[1].title)
    page.get_by_role("link", name="← Vorige").click()
    expect(title).to_have_text(STATIONS[0].title)
    context.close()


def test_map_page_has_a_present_button(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Presenteren").click()
    page.wait_for_url(f"{live_server.url}/present/")
    assert shown(page) == "start"


def test_the_live_start_form_is_styled_on_the_page_that_shows_it(page: Page, live_server: LiveServer) -> None:
    """/present/ loads app.css only (not live.css): every rule of its start form must be there."""
    page.goto(live_server.url + "/present/")
    page.locator(".live-start__groups summary").nth(1).click()
    choice = page.locator("fieldset.live-start__choice")
    assert choice.evaluate("el => getComputedStyle(el).borderTopStyle") == "none"  # no box around the choice
    field = page.locator("#live-start-traject")
    field.focus()
    outline = "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth].join(' ')"
    assert field.evaluate(outline) == "solid 3px"  # the guide's focus outline, as on the session pages
