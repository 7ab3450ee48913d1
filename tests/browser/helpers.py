"""Small steps that browser tests repeat."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from app.content import Station

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def visible_stations(page: Page) -> Locator:
    """The station links of the map layout that is showing."""
    return page.locator("svg.metro-map__svg:visible a.js-station")


def open_panels(page: Page) -> list[str]:
    return page.locator(".js-panel:visible").evaluate_all("els => els.map(e => e.dataset.slug)")


def focused(page: Page) -> dict[str, str | None]:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {label: e.getAttribute('aria-label'), text: e.textContent.trim(), id: e.id}; }"
    )


def tab_to_first_station(page: Page, limit: int = 15) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('js-station')"):
            return
    raise AssertionError("Tab never reached a station on the map")


def axe_violations(page: Page) -> list[str]:
    """Run axe-core on the page once its transitions have ended; describe each violation in one line.

    A slide that is still fading in has half its contrast: axe must see the page as a person does.
    """
    page.evaluate("() => Promise.all(document.getAnimations().map((animation) => animation.finished))")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
    ]


def station_name(station: Station, total: int = 7, score: str = "") -> str:
    """A station link's accessible name: what the map shows first (number, label, on a score map
    the `score` written beside it), then the full title."""
    name = f"{station.number} {station.label}" + (f" {score}" if score else "")
    if station.label != station.title:
        name = f"{name} — {station.title}"
    return f"{name}, halte {station.number} van {total}"
