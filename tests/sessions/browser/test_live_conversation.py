"""The onderstroom on the table, in real Chromium: two partner municipalities write, the facilitator
moderates by keyboard, the projector shows only what was approved, and the groups are compared."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.config import Settings
from app.content import load_guide
from tests.browser.helpers import axe_violations
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, shot
from tests.sessions.helpers import answer, join

STATIONS = load_guide(REAL_CONTENT).stations
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
PARTNERS = ("Leiden", "Oegstgeest")


def phone_in(browser: Browser, contexts: list[BrowserContext], errors: Errors, url: str, who: str) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    contexts.append(context)
    page = errors.watch(context.new_page(), who)
    page.goto(url)
    return page


def test_written_answers_are_moderated_projected_and_the_partners_compared(
    browser: Browser, contexts: list[BrowserContext], real_settings: Settings, errors: Errors, screenshots: Path
) -> None:
    first = STATIONS[0]
    with Worker(real_settings) as server:
        context = browser.new_context(viewport=PROJECTOR, bypass_csp=True, reduced_motion="reduce")
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        deck.goto(server.url + "/present/")
        deck.get_by_text("Gemeenten en rollen vergelijken (niet verplicht)").click()
        deck.get_by_label("Partnergemeenten, één per regel").fill("\n".join(PARTNERS))
        deck.get_by_label("Vraag naar de rol: bestuurder, raadslid, ambtenaar of anders").check()
        deck.get_by_role("button", name="Live sessie starten").click()
        deck.wait_for_url("**/sessies/*/presenteren/")
        code = deck.url.split("/")[4]
        deck.keyboard.press("1")  # the room goes to the first stop

        phones = []
        for partner, role in zip(PARTNERS, ("raadslid", "ambtenaar")):
            phone = phone_in(browser, contexts, errors, f"{server.url}/s/{code}", partner)
            found = axe_violations(phone)
            assert found == [], found
            phone.get_by_role("group", name="Uw gemeente").get_by_label(partner).check()
            phone.get_by_role("group", name="Uw rol").get_by_label(role).check()
            phone.get_by_role("button", name="Keuze bewaren").click()
            expect(phone.locator(".live-group__chosen")).to_have_text(f"U doet mee als {partner}, {role}.")
            expect(phone.locator(f"#halte-{first.slug}")).to_be_visible()
            phones.append(phone)
        stop = phones[0].locator(f"#halte-{first.slug}")
        field = stop.get_by_label("Wat blijft bij ons onder tafel?")
        field.fill("Wie betaalt als het tegenvalt?")
        stop.get_by_role("button", name="Antwoord insturen").click()
        expect(stop.locator(".js-live-write-status")).to_contain_text("U schreef 1 van 3 antwoorden")
        expect(field).to_have_value("")
        other = phones[1].locator(f"#halte-{first.slug}")
        other.get_by_label("Wat blijft bij ons onder tafel?").fill("<b>Oegstgeest</b> voelt zich klein")
        other.get_by_role("button", name="Antwoord insturen").click()
        expect(other.locator(".js-live-write-status")).to_contain_text("U schreef 1 van 3")
        shot(phones[0], screenshots, "live-phone-write.png", full_page=True)

        # Nothing on the projector yet; the facilitator's menu says two wait.
        written = deck.locator(f'.js-live-written[data-slug="{first.slug}"]')
        expect(written).to_have_text("Nog geen goedgekeurde antwoorden.")
        expect(deck.locator(".js-live-waiting")).to_have_text("(2 wachten)")

        # The facilitator moderates on a page of their own (another tab), by keyboard only.
        moderation = errors.watch(context.new_page(), "moderation")
        moderation.goto(f"{server.url}/sessies/{code}/antwoorden/")
        assert axe_violations(moderation) == []
        approve = moderation.get_by_role("button", name="Goedkeuren antwoord 1").first
        approve.focus()
        moderation.keyboard.press("Enter")
        moderation.wait_for_load_state()
        expect(moderation.locator(".moderation__answer--goedgekeurd")).to_have_count(1)
        shot(moderation, screenshots, "live-moderation.png", full_page=True)

        # The deck shows the approved answer without a reload, as typed; the other stays off it.
        expect(written.locator(".written__item")).to_have_text(["Wie betaalt als het tegenvalt?"])
        expect(deck.locator(".js-live-waiting")).to_have_text("(1 wacht)")
        deck.keyboard.press("a")  # the answers, large
        shot(deck, screenshots, "live-projector-written.png")

        # Scores from both partners: five each reach the minimum; the roles stay below it.
        for partner, value in ((PARTNERS[0], "2"), (PARTNERS[1], "4")):
            for _ in range(5):
                with httpx.Client(base_url=server.url) as attendee:
                    join(attendee, code)
                    attendee.post(f"/s/{code}/groep", data={"gemeente": partner, "rol": "raadslid"})
                    assert answer(attendee, code, halte=first.slug, score=value) == 303
        deck.get_by_text("Sessie", exact=True).click()
        deck.get_by_role("link", name="Waar verschillen wij?").click()
        table = deck.locator("#verschil-partner ~ .table-scroll table")
        expect(table.locator("tbody tr").first.locator("td")).to_have_text(["2,0", "2,0 (5)", "4,0 (5)"])
        roles = deck.locator("#verschil-role ~ .table-scroll table")  # raadsleden alone: their figures, no difference
        expect(roles.locator("tbody tr").first.locator("td")).to_have_text(
            ["–", "te weinig antwoorden", "3,0 (10)", "te weinig antwoorden", "te weinig antwoorden"]
        )
        assert axe_violations(deck) == []
        shot(deck, screenshots, "live-projector-differences.png")
