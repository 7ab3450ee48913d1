"""The map's texts as people meet them: none overlaps another (also with WCAG 1.4.12 text
spacing), each link's name holds what it shows (2.5.3), and Tab follows the line."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from app.content import load_guide
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations
PAGES = ["/", *(f"/stops/{s.slug}" for s in STATIONS)]

# The text-spacing overrides of WCAG 2.1 success criterion 1.4.12, as the bookmarklets set them.
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"""

BOXES = """() => [...document.querySelectorAll('svg.metro-map__svg text')]
    .map((el) => ({text: el.textContent.trim(), box: el.getBoundingClientRect()}))
    .filter(({box}) => box.width > 0 && box.height > 0)
    .map(({text, box}) => ({text, left: box.left, right: box.right, top: box.top, bottom: box.bottom}))"""


def collisions(page: Page, gap: float = 1.0) -> list[str]:
    """Pairs of map texts on screen whose boxes overlap or come closer than `gap` pixels."""
    found = []
    for a, b in itertools.combinations(page.evaluate(BOXES), 2):
        apart = (
            a["right"] + gap <= b["left"]
            or b["right"] + gap <= a["left"]
            or a["bottom"] + gap <= b["top"]
            or b["bottom"] + gap <= a["top"]
        )
        if not apart:
            found.append(f"{a['text']!r} meets {b['text']!r}")
    return found


@pytest.fixture(params=[False, True], ids=["plain", "text-spacing"])
def spacing(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, bool]]:
    """A page, and whether it carries the 1.4.12 text-spacing stylesheet."""
    context = browser.new_context(bypass_csp=True)  # the stylesheet is an inline style
    page = context.new_page()
    if request.param:
        page.add_init_script(
            f"""document.addEventListener('DOMContentLoaded', () => {{
                const style = document.createElement('style');
                style.textContent = {TEXT_SPACING!r};
                document.head.append(style);
            }});"""
        )
    yield page, request.param
    context.close()


@pytest.mark.parametrize("width", [1024, 1280])
def test_no_two_map_texts_meet(spacing: tuple[Page, bool], live_server: LiveServer, width: int) -> None:
    page, spaced = spacing
    page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        labels = page.locator("svg.metro-map__svg:visible .metro-map__label")
        expect(labels).to_have_count(len(STATIONS))
        letters = labels.first.evaluate("el => parseFloat(getComputedStyle(el).letterSpacing) || 0")
        assert (letters > 1) == spaced  # the stylesheet really widens the labels
        if path != "/":
            expect(page.locator("svg.metro-map__svg .metro-map__here:visible")).to_have_count(1)
        found[path] = collisions(page)
    assert found == {path: [] for path in PAGES}


LINKS = """() => [...document.querySelectorAll('a.metro-map__station, a.metro-map__terminal')].map((a) => ({
    name: a.getAttribute('aria-label'),
    shown: [...a.querySelectorAll('.metro-map__label tspan, .metro-map__terminal-label, .metro-map__number')]
        .map((t) => t.textContent.trim()),
}))"""


@pytest.mark.parametrize(
    "path",
    ["/", f"/stops/{STATIONS[4].slug}", f"/present/{STATIONS[4].slug}", "/print", "/embed", "/scan/"],
)
def test_each_link_is_named_by_what_it_shows(page: Page, live_server: LiveServer, path: str) -> None:
    """2.5.3: the name starts with the visible text as it reads ("3 Leiderschap"), on the guide's
    maps and on the score map of the scan alike."""
    page.goto(live_server.url + path)
    links = page.evaluate(LINKS)
    assert len(links) >= len(STATIONS) + 2
    for link in links:
        shown = " ".join(link["shown"]).casefold()
        numbers = [text for text in link["shown"] if text.isdigit()]
        if numbers:  # a stop: its name starts with what it shows
            assert link["name"].casefold().startswith(shown), link
        else:  # a terminal: "Beginstation: Samenwerking" holds "Samenwerking"
            assert shown in link["name"].casefold(), link
        assert all(f"halte {n} " in link["name"].casefold() for n in numbers), link


def test_voice_control_finds_a_station_by_its_label(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    station = STATIONS[4]
    assert station.label != station.title  # the case of 2.5.3: a short label on the map
    link = page.locator("svg.metro-map__svg--horizontal").get_by_role("link", name=station.label)
    expect(link).to_have_accessible_name(f"5 {station.label} — {station.title}, halte 5 van 7")
    link.click()
    expect(page.locator(f"section#{station.slug}")).to_be_visible()


@pytest.mark.parametrize("path", ["/", f"/stops/{STATIONS[2].slug}"])
def test_tab_follows_the_line(page: Page, live_server: LiveServer, path: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + path)
    page.locator("svg.metro-map__svg:visible a.metro-map__terminal").first.focus()
    names = [page.evaluate("document.activeElement.getAttribute('aria-label')")]
    for _ in range(len(STATIONS) + 1):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
    numbers = [name.split(":")[0] if ", halte " not in name else name.rsplit(", ", 1)[1] for name in names]
    assert numbers == ["Beginstation", *(f"halte {s.number} van 7" for s in STATIONS), "Eindstation"]
