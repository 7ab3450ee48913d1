"""Every live-session page: axe finds nothing, and the attendee's phone works without JavaScript."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, expect
from pypdf import PdfReader

from app.config import Settings
from app.content import load_guide
from tests.browser.helpers import axe_violations
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, shot
from tests.sessions.helpers import answer, move, start

STATIONS = load_guide(REAL_CONTENT).stations


def test_axe_finds_nothing_on_any_session_page(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors
) -> None:
    with Worker(real_settings) as server:
        # Reduced motion: axe must not measure contrast halfway through a slide's fade-in.
        context = browser.new_context(
            bypass_csp=True, viewport={"width": 1920, "height": 1080}, reduced_motion="reduce"
        )
        contexts.append(context)
        page = errors.watch(context.new_page(), "axe")
        page.goto(server.url + "/present/")
        page.get_by_role("button", name="Live sessie starten").click()
        page.wait_for_url("**/sessies/*/presenteren/")
        deck, code = page.url, page.url.split("/")[4]
        found = {"deck start": axe_violations(page)}
        page.keyboard.press("2")
        found["deck stop"] = axe_violations(page)
        page.keyboard.press("a")
        found["deck answers"] = axe_violations(page)
        with httpx.Client(base_url=server.url) as phone:
            assert answer(phone, code, halte=STATIONS[1].slug, score="2") == 303
        for name, path in [
            ("attendee", f"/s/{code}"),
            ("result", f"/s/{code}/uitslag"),
            ("join", "/s/"),
            ("privacy", "/privacy"),
        ]:
            page.goto(server.url + path)
            found[name] = axe_violations(page)
        stranger = browser.new_context(bypass_csp=True, reduced_motion="reduce")  # no facilitator's cookie
        contexts.append(stranger)
        refused = stranger.new_page()  # its 404 and 403 are logged as console errors, rightly
        for name, path in [
            ("unknown code", "/s/k7qm4xpa"),
            ("not the facilitator", f"/sessies/{code}/presenteren/"),
        ]:
            refused.goto(server.url + path)
            found[name] = axe_violations(refused)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{server.url}/s/{code}")
        page.locator(".js-live-stop:visible summary").click()
        found["attendee phone, statements open"] = axe_violations(page)
        page.goto(deck)
        page.locator(".live-controls__menu > summary").click()
        found["deck session menu"] = axe_violations(page)
        page.get_by_text("Sessie verwijderen").click()
        page.get_by_role("button", name="Ja, verwijder deze sessie en alle antwoorden nu").click()
        found["deleted"] = axe_violations(page)
        assert {name: v for name, v in found.items() if v} == {}


def test_an_attendee_without_javascript_refreshes_and_answers(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, screenshots: Path
) -> None:
    with Worker(real_settings) as server:
        facilitator = httpx.Client(base_url=server.url)
        started = start(facilitator)
        code = started.code
        context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
        contexts.append(context)
        phone = context.new_page()
        phone.goto(f"{server.url}/s/{code}")
        expect(phone.locator("#live-wacht")).to_be_visible()
        assert move(facilitator, started, STATIONS[3].slug).status_code == 200
        phone.get_by_role("link", name="Vernieuwen").click()
        stop = phone.locator(f"#halte-{STATIONS[3].slug}")
        expect(stop).to_be_visible()
        stop.locator("fieldset.scale").first.get_by_label("4 Goed").check()
        stop.get_by_role("button", name="Antwoord versturen").click()
        expect(phone.locator(f"#halte-{STATIONS[3].slug} .js-live-answer-status")).to_have_text(
            "Uw antwoord: 4 — goed."
        )
        expect(phone.locator(f"#score-{STATIONS[3].slug}-4")).to_be_checked()
        shot(phone, screenshots, "live-phone-without-javascript.png", full_page=True)
        context.close()
        contexts.clear()


def test_the_result_prints_as_an_a4_pdf(real_settings: Settings) -> None:
    with Worker(real_settings) as server:
        with httpx.Client(base_url=server.url) as facilitator:
            code = start(facilitator).code
        for n, value in enumerate(("1", "2", "2", "5")):
            with httpx.Client(base_url=server.url) as phone:
                fields = {"halte": STATIONS[n % 2].slug, "score": value, "stelling-1": "3"}
                assert answer(phone, code, **fields) == 303
        response = httpx.get(f"{server.url}/s/{code}/uitslag.pdf", timeout=60)
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.content))
        assert reader.pages[0].mediabox.width == pytest.approx(595, abs=2)  # A4 portrait
        assert len(reader.pages) <= 3
        text = " ".join(page.extract_text() for page in reader.pages)
        text = " ".join(text.split())
        assert "Samenwerkingsscan" in text and f"{code.upper()[:4]} {code.upper()[4:]}" in text
        assert "Gemiddeld 1,5 (matig), 2 antwoorden." in text and "Gemiddeld 3,5 (goed), 2 antwoorden." in text
        assert "Download als CSV" not in text  # no links to click on paper


def test_the_result_fits_a_320_px_screen(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors, screenshots: Path
) -> None:
    """WCAG 1.4.10: no sideways scrolling of the page at 320 px; a table that must scroll does so on its own, by keyboard too."""
    with Worker(real_settings) as server:
        with httpx.Client(base_url=server.url) as facilitator:
            code = start(facilitator).code
        with httpx.Client(base_url=server.url) as phone:
            answers = {
                f"stelling-{n}": "2" for n, q in enumerate(STATIONS[0].questions, 1) if q.startswith("Stelling:")
            }
            assert answer(phone, code, halte=STATIONS[0].slug, score="3", **answers) == 303
        context = browser.new_context(viewport={"width": 320, "height": 640})
        contexts.append(context)
        page = errors.watch(context.new_page(), "result")
        page.goto(f"{server.url}/s/{code}/uitslag")
        expect(page.locator(".result-stop__statements")).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        region = page.get_by_role("region", name="Stellingen: van 1 (helemaal oneens) tot 5 (helemaal eens)")
        expect(region).to_have_count(1)
        if region.evaluate("r => r.scrollWidth > r.clientWidth"):
            expect(region).to_have_attribute("tabindex", "0")
        shot(page, screenshots, "result-320.png", full_page=True)
