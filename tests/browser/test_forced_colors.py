"""Windows contrast themes (forced colours) in Chromium, dark and light: the map keeps its line,
stations, labels, "u bent hier", terminals and focus visible, measured as contrast in the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from app.content import load_guide
from tests.browser.helpers import tab_to_first_station
from tests.conftest import REAL_CONTENT, LiveServer

STATIONS = load_guide(REAL_CONTENT).stations

# Contrast as WCAG defines it, of what the page paints: colours with alpha are laid over what
# is under them. Returns one line per element that falls short.
MEASURE = """() => {
  const parse = (c) => { const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number); return {r, g, b, a}; };
  const over = (top, under) => top.a >= 1 ? top : {
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1};
  const lum = ({r, g, b}) => [r, g, b].map((v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
  const page = parse(getComputedStyle(document.body).backgroundColor);
  const paint = (el, prop, under = page) => over(parse(getComputedStyle(el)[prop]), under);
  const shown = (el) => el.getBoundingClientRect().width > 0 && el.closest('svg').getBoundingClientRect().width > 0;
  const short = [];
  const need = (what, el, value, minimum) => {
    if (value < minimum) short.push(`${what} ${el.closest('a')?.getAttribute('aria-label') ?? ''}: ${value.toFixed(2)} < ${minimum}`);
  };
  for (const svg of document.querySelectorAll('svg.metro-map__svg')) {
    if (!svg.getBoundingClientRect().width) continue;
    for (const line of svg.querySelectorAll('.metro-map__line')) need('line', line, ratio(paint(line, 'stroke'), page), 3);
    for (const stop of svg.querySelectorAll('.metro-map__stop')) {
      need('station ring', stop, ratio(paint(stop, 'stroke'), page), 3);
    }
    for (const mark of svg.querySelectorAll('.metro-map__terminal-mark')) {
      need('terminal', mark, ratio(paint(mark, 'fill'), page), 3);
    }
    for (const text of svg.querySelectorAll('text')) {
      if (!shown(text)) continue;
      const circle = text.classList.contains('metro-map__number') && text.closest('a').querySelector('.metro-map__stop');
      const under = circle ? paint(circle, 'fill') : page;
      need(`text "${text.textContent.trim()}"`, text, ratio(paint(text, 'fill', under), under), 4.5);
    }
    for (const current of svg.querySelectorAll('.metro-map__station--current .metro-map__stop')) {
      need('current station', current, ratio(paint(current, 'fill'), page), 3);
    }
  }
  const focused = document.activeElement.closest?.('.js-station');
  if (focused) need('focus ring', focused, ratio(paint(focused.querySelector('.metro-map__hit'), 'stroke'), page), 3);
  return short;
}"""


@pytest.fixture(params=["dark", "light"])
def contrast_theme(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        forced_colors="active", color_scheme=request.param, viewport={"width": 1280, "height": 900}
    )
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/", f"/stops/{STATIONS[2].slug}", f"/present/{STATIONS[5].slug}"])
def test_the_map_stays_visible_in_a_contrast_theme(contrast_theme: Page, live_server: LiveServer, path: str) -> None:
    page = contrast_theme
    page.goto(live_server.url + path)
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    assert page.evaluate(MEASURE) == []


def test_focus_stays_visible_in_a_contrast_theme(contrast_theme: Page, live_server: LiveServer) -> None:
    page = contrast_theme
    page.goto(live_server.url + "/")
    tab_to_first_station(page)
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.slug") == STATIONS[1].slug
    assert page.evaluate(MEASURE) == []


def test_screenshot_in_a_dark_contrast_theme(browser: Browser, live_server: LiveServer, screenshots: Path) -> None:
    """A picture to look at (test-results/screenshots): a station page in a dark contrast theme."""
    context = browser.new_context(forced_colors="active", color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/stops/{STATIONS[4].slug}")
    tab_to_first_station(page)
    page.screenshot(path=screenshots / "forced-colors-dark.png")
    assert page.evaluate(MEASURE) == []
    context.close()
