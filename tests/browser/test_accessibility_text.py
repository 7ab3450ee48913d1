"""Text that grows with the reader's text size (WCAG 1.4.4), pages that fit 320 px (1.4.10), and
map links whose names hold what they show (2.5.3), on the guide's pages and the live session's.

The text size is the browser's own setting (Chromium's default font size, as a person sets it in
the settings: `webkit.webprefs.default_font_size` in the profile), not zoom: 32 px is 200 %.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, BrowserType, Page

from tests.browser.kinds import SLUG, STATIONS, server, start_session
from tests.conftest import LiveServer

__all__ = ["server"]

# The rendered size of a text: its computed font size, and for SVG text times the map's scale.
RENDERED = """(selector) => {
  const shown = [...document.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0
      && getComputedStyle(el).visibility !== 'hidden' && !el.closest('[hidden]'));
  return shown.map((el) => {
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    return size;
  });
}"""

DECK = {
    "dia-titel": ".slide:not([hidden]) .slide__title",
    "kaartlabel": ".deck__map .metro-map__label",
    "kaartcijfer": ".deck__map .metro-map__number",
}
GROWING = {
    "/present/": {**DECK, "inleiding": ".slide:not([hidden]) .slide__lead"},
    f"/present/{SLUG}/": {**DECK, "uitspraak": ".slide:not([hidden]) .slide__statement p"},
    "/": {"kaartlabel": ".metro-map__label", "kaartcijfer": ".metro-map__number", "tekst": ".lead"},
    f"/stops/{SLUG}/": {"kaartlabel": ".metro-map__label", "uitspraak": ".station__statement p"},
    "/scan/": {"kaartlabel": ".metro-map__label"},
    "gespreksleider": {"dia-titel": ".slide:not([hidden]) .slide__title", "kaartlabel": ".deck__map .metro-map__label"},
    "deelnemer": {"kaartlabel": ".metro-map__label", "titel": ".live-stop:not([hidden]) .live-stop__title"},
    "uitslag": {"kaartlabel": ".metro-map__label", "score": ".scan-map__score"},
}
SCREENS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]


def sized_browser(browser_type: BrowserType, launch_args: dict, folder: Path, size: int) -> BrowserContext:
    """Chromium with a profile whose default font size is `size` px (16 is the browser's own)."""
    (folder / "Default").mkdir(parents=True)
    prefs = {"webkit": {"webprefs": {"default_font_size": size}}}
    (folder / "Default" / "Preferences").write_text(json.dumps(prefs))
    return browser_type.launch_persistent_context(folder, **launch_args)


@pytest.fixture(scope="module")
def text_sizes(
    browser_type: BrowserType, browser_type_launch_args: dict, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[int, BrowserContext]]:
    contexts = {
        size: sized_browser(browser_type, browser_type_launch_args, tmp_path_factory.mktemp(f"profile{size}"), size)
        for size in (16, 32)
    }
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module")
def sessions(text_sizes: dict[int, BrowserContext], server: LiveServer) -> dict[int, dict[str, str]]:
    """A live session per profile (the deck opens only where it was started)."""
    found = {}
    for size, context in text_sizes.items():
        page = context.new_page()
        found[size] = start_session(page, server.url)
        page.close()
    return found


def watched(context: BrowserContext) -> tuple[Page, list[str]]:
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s['width']}x{s['height']}")
@pytest.mark.parametrize("where", list(GROWING))
def test_text_grows_with_the_browser_text_size(
    text_sizes: dict[int, BrowserContext],
    sessions: dict[int, dict[str, str]],
    server: LiveServer,
    where: str,
    screen: dict[str, int],
    screenshots: Path,
) -> None:
    """1.4.4: at a default font size of 32 px every text measured is at least twice its size at 16 px."""
    measured: dict[int, dict[str, float]] = {}
    for size, context in text_sizes.items():
        page, errors = watched(context)
        page.set_viewport_size(screen)
        page.goto(server.url + sessions[size].get(where, where))
        page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == size
        measured[size] = {}
        for name, selector in GROWING[where].items():
            sizes = page.evaluate(RENDERED, selector)
            assert sizes, f"{where}: nothing shown for {name} ({selector})"
            measured[size][name] = min(sizes)
        if size == 32:
            name = where.strip("/").replace("/", "-") or "kaart"
            page.screenshot(path=screenshots / f"text32-{name}-{screen['width']}.png")
        page.close()
        assert errors == []
    growth = {name: round(measured[32][name] / measured[16][name], 2) for name in measured[16]}
    assert all(g >= 1.95 for g in growth.values()), (growth, measured)


REFLOW = [
    "/toegankelijkheid/",
    "/scan/papier/",
    "/privacy",
    "/present/",
    f"/present/{SLUG}/",
    "/",
    f"/stops/{SLUG}/",
    f"/stops/{SLUG}/werkblad/",
    "/scan/",
    "/print/",
    "/s/",
    "deelnemer",
    "gespreksleider",
    "uitslag",
    "overnemen",
]


def test_no_page_is_wider_than_320px(
    text_sizes: dict[int, BrowserContext], sessions: dict[int, dict[str, str]], server: LiveServer, screenshots: Path
) -> None:
    """1.4.10: at a 320 px wide window no page scrolls sideways (a wide table scrolls in its own box)."""
    page, errors = watched(text_sizes[16])
    page.set_viewport_size({"width": 320, "height": 640})
    wider = {}
    for where in REFLOW:
        page.goto(server.url + sessions[16].get(where, where))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            wider[where] = width
        name = where.strip("/").replace("/", "-") or "kaart"
        page.screenshot(path=screenshots / f"reflow-320-{name}.png", full_page=True)
    page.close()
    assert wider == {}
    assert errors == []


# What each stop link on a map shows (its label, its number and, on a score map, its score) and its name.
SHOWN_AND_NAMED = """() => [...document.querySelectorAll('svg.metro-map__svg a.metro-map__station')]
  .filter((a) => a.getClientRects().length > 0)
  .map((a) => ({
    name: a.getAttribute('aria-label'),
    label: [...a.querySelectorAll('.metro-map__label tspan')].map((t) => t.textContent.trim()).join(' '),
    number: a.querySelector('.metro-map__number').textContent.trim(),
    score: (a.querySelector('.scan-map__score') || {textContent: ''}).textContent.trim(),
  }))"""


@pytest.mark.parametrize("where", ["/", f"/stops/{SLUG}/", "/scan/", "deelnemer", "uitslag", "gespreksleider"])
def test_the_name_of_every_map_link_holds_what_it_shows(
    text_sizes: dict[int, BrowserContext], sessions: dict[int, dict[str, str]], server: LiveServer, where: str
) -> None:
    """2.5.3: the name starts with the number and label the link shows ("3 Leiderschap"), and on the
    score map it holds the score it shows too; on the guide's map and the score map alike."""
    page, errors = watched(text_sizes[16])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(server.url + sessions[16].get(where, where))
    links = page.evaluate(SHOWN_AND_NAMED)
    page.close()
    assert len(links) == len(STATIONS)
    for link in links:
        assert link["name"].casefold().startswith(f"{link['number']} {link['label']}".casefold()), link
        if any(c.isalnum() for c in link["score"]):  # "–" (no score yet) is a sign, not a word
            assert link["score"].casefold() in link["name"].casefold(), link
    assert errors == []
