"""The success criteria WCAG 2.2 added at level A and AA, measured in Chromium on every kind of page:
target size (2.5.8), focus not hidden (2.4.11), no dragging (2.5.7), help in one place (3.2.6),
nothing asked twice (3.3.7) and signing in without a memory test (3.3.8)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from tests.browser.kinds import GUIDE_PAGES, SESSION_KINDS, STATIONS, server, start_session
from tests.conftest import LiveServer

__all__ = ["server"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def facilitator(browser: Browser, server: LiveServer) -> Iterator[tuple[BrowserContext, dict[str, str]]]:
    """The context that started a live session (it holds the facilitator's cookie), and its pages."""
    context = browser.new_context(reduced_motion="reduce")  # focus scrolls into view at once
    page = context.new_page()
    pages = start_session(page, server.url)
    page.close()
    yield context, pages
    context.close()


def every_page(pages: dict[str, str]) -> dict[str, str]:
    return {**GUIDE_PAGES, **{kind: pages[kind] for kind in SESSION_KINDS}}


# Every target a pointer can hit: its box (an input with its label: clicking either works), whether it
# is a link inside a sentence (the exception of 2.5.8), and a name for the report.
TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const shown = (el) => { const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})
      && r.bottom + window.scrollY > 0 && r.right + window.scrollX > 0; };
  const targets = [...document.querySelectorAll(selector)].filter(shown);
  return targets.map((el, index) => {
    let {left, top, right, bottom} = el.getBoundingClientRect();
    for (const label of el.labels || []) {
      const r = label.getBoundingClientRect();
      if (r.width > 0) { left = Math.min(left, r.left); top = Math.min(top, r.top);
        right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom); }
    }
    const block = el.parentElement.closest('p, li, td, th, dd, figcaption, blockquote, div');
    const inline = getComputedStyle(el).display === 'inline' && !!block
      && block.textContent.replace(/\\s+/g, '').length > el.textContent.replace(/\\s+/g, '').length;
    const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || el.tagName).trim().slice(0, 40);
    const nested = targets.map((other, i) => i).filter((i) => i !== index
      && (targets[i].contains(el) || el.contains(targets[i])));
    return {name: `${el.tagName.toLowerCase()} "${name}"`, left, top, right, bottom, inline, index, nested};
  });
}"""


def too_small(targets: list[dict]) -> list[str]:
    """Targets under 24×24 CSS px whose 24 px circle meets another target (or its circle): 2.5.8."""
    small = [t for t in targets if not t["inline"] and (t["right"] - t["left"] < 24 or t["bottom"] - t["top"] < 24)]
    found = []
    for t in small:
        cx, cy = (t["left"] + t["right"]) / 2, (t["top"] + t["bottom"]) / 2
        for other in targets:
            if other is t or other["index"] in t["nested"]:
                continue  # one target inside another (a link in a scrolling table) is not beside it
            dx = max(other["left"] - cx, 0, cx - other["right"])
            dy = max(other["top"] - cy, 0, cy - other["bottom"])
            near = (dx * dx + dy * dy) ** 0.5 < 12
            if other in small:
                ox, oy = (other["left"] + other["right"]) / 2, (other["top"] + other["bottom"]) / 2
                near = near or ((cx - ox) ** 2 + (cy - oy) ** 2) ** 0.5 < 24
            if near:
                size = f"{t['right'] - t['left']:.0f}×{t['bottom'] - t['top']:.0f}"
                found.append(f"{t['name']} {size} beside {other['name']}")
                break
    return found


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_target_is_24px_or_has_room_around_it(
    facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer, screen: dict[str, int]
) -> None:
    """2.5.8: every target is at least 24×24 CSS px, or a 24 px circle on it meets no other target;
    links inside a sentence are the criterion's exception."""
    context, pages = facilitator
    page = context.new_page()
    page.set_viewport_size(screen)
    found = {}
    for kind, path in every_page(pages).items():
        page.goto(server.url + path)
        targets = page.evaluate(TARGETS)
        assert targets, kind
        if problems := too_small(targets):
            found[kind] = problems
    page.close()
    assert found == {}


# Whether any of a grid of points on the focused element shows that element (or a part of it).
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {name: 'body', shown: true};
  const r = el.getBoundingClientRect();
  const name = (el.getAttribute('aria-label') || el.textContent || el.tagName).trim().slice(0, 40);
  for (let i = 1; i < 6; i++) for (let j = 1; j < 6; j++) {
    const x = r.left + (r.width * i) / 6, y = r.top + (r.height * j) / 6;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = document.elementFromPoint(x, y);
    if (hit && (hit === el || el.contains(hit) || hit.contains(el) && hit.closest('svg') === null)) return {name, shown: true};
  }
  return {name, shown: false, box: [r.left, r.top, r.width, r.height]};
}"""


LAST_FOCUSABLE = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), summary')]
  .filter((el) => el.checkVisibility({visibilityProperty: true})).at(-1).focus()"""


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_focus_is_never_hidden_behind_other_content(
    facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer, screen: dict[str, int]
) -> None:
    """2.4.11: tabbing through each page and back (also the map with a stop open under the sticky line),
    the focused element is each time at least partly in view, not covered by sticky or fixed content."""
    context, pages = facilitator
    page = context.new_page()
    page.set_viewport_size(screen)
    hidden = {}
    for kind, path in every_page(pages).items():
        page.goto(server.url + path)
        page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")
        seen = []
        for key in ["Tab"] * 45 + ["End"] + ["Shift+Tab"] * 45:  # and back up from the end: then
            if key == "End":  # sticky content is above what takes the focus
                page.evaluate(LAST_FOCUSABLE)
                continue
            page.keyboard.press(key)
            focus = page.evaluate(FOCUS_SHOWN)
            if not focus["shown"]:
                seen.append(f"{focus['name']} at {focus['box']}")
        if seen:
            hidden[kind] = seen
    page.close()
    assert hidden == {}


# Listeners for dragging, recorded as the page registers them.
RECORD_LISTENERS = """(() => {
  window.__listened = [];
  const add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, ...rest) {
    window.__listened.push(type);
    return add.call(this, type, ...rest);
  };
})();"""
DRAGGING = {"drag", "dragstart", "dragend", "dragover", "dragenter", "drop", "pointermove", "mousemove", "touchmove"}


def test_nothing_needs_dragging(
    browser: Browser, facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer
) -> None:
    """2.5.7: no page listens for a drag or for a pointer moving, and nothing is draggable; the
    presentation's swipe is a start and an end point only, with buttons and keys beside it (2.5.1)."""
    context, pages = facilitator
    context.add_init_script(RECORD_LISTENERS)
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    found = {}
    listened = set()
    for kind, path in every_page(pages).items():
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        types = set(page.evaluate("window.__listened"))
        listened |= types
        draggable = page.locator('[draggable="true"]').count()
        if types & DRAGGING or draggable:
            found[kind] = (sorted(types & DRAGGING), draggable)
    page.close()
    assert "click" in listened and "keydown" in listened  # the recording sees the scripts' listeners
    assert found == {}


# The help a page offers (the way to the accessibility statement with its contact), in page order.
HELP = """() => [...document.querySelectorAll('a[href]')]
  .filter((a) => /toegankelijkheid/.test(a.getAttribute('href')) && a.getClientRects().length)
  .map((a) => ({text: a.textContent.trim().split(' (')[0], inFooter: !!a.closest('footer'),
    afterMain: !!document.querySelector('main') && !!(document.querySelector('main').compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)
      && !document.querySelector('main').contains(a),
    last: a === [...document.querySelectorAll('footer a[href]')].at(-1)}))"""


def test_help_is_in_the_same_place_on_every_page(
    facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer
) -> None:
    """3.2.6: every page that offers help offers it the same way: one link "Toegankelijkheid" (the
    statement, with the contact) as the last link of the footer, after the page's own content. The
    full-screen decks show no help at all, so they cannot put it elsewhere."""
    context, pages = facilitator
    page = context.new_page()
    found = {}
    for kind, path in every_page(pages).items():
        page.goto(server.url + path)
        found[kind] = page.evaluate(HELP)
    page.close()
    without = {kind for kind, links in found.items() if not links}
    assert without == {"presentatie", "dia", "gespreksleider"}
    same = [{"text": "Toegankelijkheid", "inFooter": True, "afterMain": True, "last": True}]
    assert {kind: links for kind, links in found.items() if links and links != same} == {}


def test_an_answer_is_never_asked_for_twice(
    browser: Browser, facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer
) -> None:
    """3.3.7: the attendee who comes back to a stop finds the score given before already chosen; the
    scan on one device keeps its answers when the page is opened again; a mistyped session code is
    kept in the field to correct, not typed again."""
    context, pages = facilitator
    page = context.new_page()
    page.goto(server.url + pages["deelnemer"])  # this context answered stop 1 with a 4 (start_session)
    stop = page.locator("section.js-live-stop:visible")
    expect(stop.locator("input.scale__input[name=score]:checked")).to_have_value("4")
    page.reload()
    expect(page.locator("section.js-live-stop:visible input.scale__input[name=score]:checked")).to_have_value("4")

    page.goto(server.url + "/scan/")
    first = page.locator(f"#scan-{STATIONS[0].slug} fieldset.scale").first
    first.get_by_label("2 Matig").check()
    page.reload()
    expect(page.locator(f"#scan-{STATIONS[0].slug} fieldset.scale").first.get_by_label("2 Matig")).to_be_checked()

    page.goto(server.url + "/s/")
    code = page.get_by_label("Code op het scherm van de gespreksleider")
    code.fill("ab-c")  # too short to be a code: the page says so and keeps what was typed
    page.get_by_role("button", name="Meedoen").click()
    expect(page.locator(".live-join__error")).to_be_visible()
    expect(code).to_have_value("ab-c")
    page.close()


PASTE = """(field) => {
  const data = new DataTransfer();
  data.setData('text/plain', 'ABCD-EFGH');
  const event = new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true});
  field.dispatchEvent(event);
  return {prevented: event.defaultPrevented, autocomplete: field.getAttribute('autocomplete')};
}"""


def test_taking_over_a_session_needs_no_memory_or_transcription(
    browser: Browser, facilitator: tuple[BrowserContext, dict[str, str]], server: LiveServer
) -> None:
    """3.3.8: the facilitator's only credential is a cookie; going on on another device takes a link
    or QR code (nothing to remember or copy by hand), and the code fields take a paste. No puzzle."""
    context, pages = facilitator
    page = context.new_page()
    page.goto(server.url + pages["gespreksleider"])
    page.get_by_text("Sessie", exact=True).click()
    page.get_by_role("button", name="Op een ander apparaat verder").click()
    link = page.locator(".live-takeover__link a")
    expect(page.locator(".live-takeover__qr img")).to_be_visible()
    address = link.get_attribute("href")
    page.close()
    assert address and "/overnemen/#" in address
    other = browser.new_context()
    phone = other.new_page()
    phone.goto(address)
    expect(phone.locator("#overnamecode")).not_to_have_value("")  # the link filled it in
    phone.get_by_role("button", name="Sessie overnemen").click()
    phone.wait_for_url("**/sessies/*/presenteren/**")
    expect(
        phone.get_by_role("button", name="Toon deze halte aan de zaal").or_(phone.locator(".live-controls"))
    ).not_to_have_count(0)
    for path, field in ((pages["overnemen"], "#overnamecode"), ("/s/", "#code")):
        phone.goto(server.url + path)
        assert phone.locator(field).evaluate(PASTE)["prevented"] is False, path
        assert phone.locator("input[type=password], [class*=captcha], iframe").count() == 0, path
    other.close()
