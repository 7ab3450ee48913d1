"""A whole council meeting in real Chromium, on SQLite and PostgreSQL: two partner municipalities,
written answers moderated by keyboard and projected, the groups compared (a group below the
minimum shows nothing), a follow-up session with the change since last time, and the council
report PDF: PDF/UA, A4, the municipality's colour, the source's statements, only approved answers.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import httpx
import pikepdf
import pytest
from bs4 import BeautifulSoup
from pdfua import validate
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from pypdf import PdfReader

from app.config import Settings
from app.content import load_guide
from app.markdown import make_markdown
from tests.browser.helpers import axe_violations
from tests.conftest import REAL_CONTENT
from tests.sessions.browser.conftest import Errors, Worker, shot
from tests.sessions.helpers import answer, join

STATIONS = load_guide(REAL_CONTENT).stations
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
AA, BEE = "Gemeente Aa", "Gemeente Bee"
BRAND = "#8a1538"  # not the default: the report must carry the municipality's own colour
PROMPT = "Wat blijft bij ons onder tafel?"
# (partner, role, score on stop 1, score on stop 2) of the nine attendees; Bee's three stay below five.
ROOM = [
    (AA, "raadslid", 4, 2),
    (AA, "raadslid", 4, 1),
    (AA, "ambtenaar", 3, 2),
    (AA, "bestuurder", 4, 1),
    (AA, "raadslid", 3, 2),
    (AA, "ambtenaar", 4, 1),
    (BEE, "raadslid", 2, 5),
    (BEE, "ambtenaar", 1, 5),
    (BEE, "raadslid", 2, 4),
]
# The follow-up: Aa says 4 on both stops; Bee, now five (two more than phones, by HTTP), 3 and 2.
LATER = [(p, r, 4, 4) if p == AA else (p, r, 3, 2) for p, r, _, _ in ROOM]
WRITTEN = {  # attendee -> what they write on stop 1
    0: "Wie betaalt als het tegenvalt?",
    1: "wie betaalt als het tegenvalt",  # a duplicate: merged into the first
    2: "Naam van een wethouder die niemand vertrouwt",  # hidden by the facilitator
    6: "Bee voelt zich de kleine partner",
    7: "Nog niet beoordeeld, dus nergens te zien",  # left waiting
}
APPROVED = ["Wie betaalt als het tegenvalt? (2×)", "Bee voelt zich de kleine partner"]
NOT_SHOWN = ["Naam van een wethouder", "Nog niet beoordeeld", "wie betaalt als het tegenvalt\n"]


def phone_in(browser: Browser, contexts: list[BrowserContext], errors: Errors, who: str) -> Page:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, reduced_motion="reduce")
    contexts.append(context)
    return errors.watch(context.new_page(), who)


def start_session(deck: Page, base_url: str, key: str = "") -> str:
    """Start a session with the two partners and roles (and a traject key) from /present/; return its code."""
    deck.goto(base_url + "/present/")
    deck.get_by_text("Gemeenten en rollen vergelijken (niet verplicht)").click()
    deck.get_by_label("Partnergemeenten, één per regel").fill(f"{AA}\n{BEE}")
    deck.get_by_label("Vraag naar de rol: bestuurder, raadslid, ambtenaar of anders").check()
    if key:
        deck.get_by_text("Vervolgmeting (niet verplicht)").click()
        deck.get_by_label("Trajectsleutel").fill(key)
        deck.get_by_label("een nieuwe meting").check()
    deck.get_by_role("button", name="Live sessie starten").click()
    deck.wait_for_url("**/sessies/*/presenteren/")
    return deck.url.split("/")[4]


def choose_group(phone: Page, partner: str, role: str) -> None:
    phone.get_by_role("group", name="Uw gemeente").get_by_label(partner).check()
    phone.get_by_role("group", name="Uw rol").get_by_label(role).check()
    phone.get_by_role("button", name="Keuze bewaren").click()
    expect(phone.locator(".live-group__chosen")).to_have_text(f"U doet mee als {partner}, {role}.")


def score(phone: Page, slug: str, value: int) -> None:
    stop = phone.locator(f"#halte-{slug}")
    expect(stop).to_be_visible()
    stop.locator("fieldset.scale").first.get_by_label(f"{value} ", exact=False).check()
    expect(stop.locator(".js-live-answer-status")).to_have_text("Opgeslagen")


def write(phone: Page, slug: str, text: str) -> None:
    stop = phone.locator(f"#halte-{slug}")
    field = stop.get_by_label(PROMPT)
    field.fill(text)
    stop.get_by_role("button", name="Antwoord insturen").click()
    expect(stop.locator(".js-live-write-status")).to_contain_text("U schreef 1 van 3 antwoorden")
    expect(field).to_have_value("")


def press_and_follow(deck: Page, phones: list[Page], key: str, slug: str) -> None:
    deck.keyboard.press(key)
    for phone in phones:
        expect(phone.locator(f"#halte-{slug}")).to_be_visible()


def answer_of(moderation: Page, text: str) -> Locator:
    """The facilitator's box of the written answer reading exactly `text`."""
    exact = moderation.locator(".moderation__text").filter(has_text=re.compile(f"^{re.escape(text)}$"))
    return moderation.locator(".moderation__answer", has=exact)


def moderate(moderation: Page, button: str, text: str) -> None:
    """Press a moderation button of the answer reading `text`, by keyboard (Tab to it, Enter)."""
    answer_of(moderation, text).get_by_role("button", name=button).focus()
    moderation.keyboard.press("Enter")
    moderation.wait_for_load_state()


def csv_rows(page: Page) -> list[list[str]]:
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als CSV").click()
    return list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))


def squeeze(text: str) -> str:
    """Text without any white space or ligatures: a PDF's line breaks and a page's spacing do not count."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def test_a_council_meeting_with_two_partners_a_follow_up_and_the_council_report(
    browser: Browser,
    contexts: list[BrowserContext],
    real_settings: Settings,
    errors: Errors,
    screenshots: Path,
    tmp_path: Path,
) -> None:
    first, second = STATIONS[0], STATIONS[1]
    tag = "pg" if real_settings.database_url.startswith("postgresql") else "sqlite"
    with Worker(replace(real_settings, brand_colour=BRAND)) as server:
        context = browser.new_context(viewport=PROJECTOR, reduced_motion="reduce")
        contexts.append(context)
        deck = errors.watch(context.new_page(), "facilitator")
        code = start_session(deck, server.url)
        phones = [phone_in(browser, contexts, errors, f"attendee {n + 1}") for n in range(len(ROOM))]
        for phone, (partner, role, _, _) in zip(phones, ROOM):
            phone.goto(f"{server.url}/s/{code}")
            if phone is phones[0]:
                assert axe_violations(phone) == []
                shot(phone, screenshots, f"meeting-{tag}-phone-group.png")
            choose_group(phone, partner, role)

        # Stop 1: everyone scores, five write; stop 2: everyone scores.
        press_and_follow(deck, phones, "1", first.slug)
        for n, (phone, (_, _, value, _)) in enumerate(zip(phones, ROOM)):
            score(phone, first.slug, value)
            if n in WRITTEN:
                write(phone, first.slug, WRITTEN[n])
        shot(phones[0], screenshots, f"meeting-{tag}-phone-write.png")
        written = deck.locator(f'.js-live-written[data-slug="{first.slug}"]')
        expect(written).to_have_text("Nog geen goedgekeurde antwoorden.")
        expect(deck.locator(".js-live-waiting")).to_have_text(f"({len(WRITTEN)} wachten)")

        # The facilitator moderates in a tab of their own, by keyboard: approve, merge, hide, leave one.
        moderation = errors.watch(context.new_page(), "moderation")
        moderation.goto(f"{server.url}/sessies/{code}/antwoorden/")
        assert axe_violations(moderation) == []
        moderate(moderation, "Goedkeuren", WRITTEN[0])
        answer_of(moderation, WRITTEN[1]).get_by_label("Samenvoegen met").select_option(label=WRITTEN[0])
        moderate(moderation, "Samenvoegen", WRITTEN[1])
        moderate(moderation, "Verbergen", WRITTEN[2])
        moderate(moderation, "Goedkeuren", WRITTEN[6])
        expect(moderation.locator(".moderation__answer--goedgekeurd")).to_have_count(2)
        expect(moderation.locator(".moderation__answer--nieuw")).to_have_count(1)

        # The deck shows exactly the approved answers, without a reload.
        expect(written.locator(".written__item")).to_have_text(APPROVED)
        expect(deck.locator(".js-live-waiting")).to_have_text("(1 wacht)")
        deck.keyboard.press("a")  # the answers, large
        expect(deck.locator(".deck.live-deck--answers")).to_be_visible()
        # The chart gives up height for the answers: one screen, the deck's controls on it.
        assert deck.evaluate("() => document.documentElement.scrollHeight") <= PROJECTOR["height"]
        expect(deck.locator(".deck__controls")).to_be_in_viewport(ratio=1)
        shot(deck, screenshots, f"meeting-{tag}-projector-written.png")
        deck.keyboard.press("a")

        press_and_follow(deck, phones, "2", second.slug)
        for phone, (_, _, _, value) in zip(phones, ROOM):
            score(phone, second.slug, value)

        # Where we differ: Aa's figures, Bee "te weinig antwoorden" (and not how few), the largest first.
        deck.get_by_text("Sessie", exact=True).click()
        deck.get_by_role("link", name="Waar verschillen wij?").click()
        partners = deck.locator("#verschil-partner ~ .table-scroll table")
        expect(partners.locator("thead th")).to_have_text(["Halte", "Verschil", AA, BEE])
        expect(partners.locator("tbody th")).to_have_text([f"1 {first.title}", f"2 {second.title}"])
        expect(partners.locator("tbody tr").nth(0).locator("td")).to_have_text(["–", "3,7 (6)", "te weinig antwoorden"])
        expect(partners.locator("tbody tr").nth(1).locator("td")).to_have_text(["–", "1,5 (6)", "te weinig antwoorden"])
        assert "(3)" not in deck.locator("main").inner_text()
        assert axe_violations(deck) == []
        # Read from the back of the room: the rule under the table too, the role table unwrapped.
        rule = deck.locator(".differences__rule").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert rule >= 18
        roles = deck.locator("#verschil-role ~ .table-scroll tbody th").first
        assert roles.evaluate("e => e.getClientRects().length") == 1
        assert roles.bounding_box()["height"] < 2 * roles.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        shot(deck, screenshots, f"meeting-{tag}-projector-differences.png")

        # The result page and its CSV follow the same rules.
        result = phones[3]
        result.goto(f"{server.url}/s/{code}/uitslag")
        expect(result.locator(".result-stop").nth(0).locator(".written__item")).to_have_text(APPROVED)
        text = result.locator("main").inner_text()
        for hidden in NOT_SHOWN:
            assert hidden not in text + "\n"
        expect(result.locator("#verschil-partner ~ .table-scroll tbody tr").nth(0).locator("td")).to_have_text(
            ["–", "3,7 (6)", "te weinig antwoorden"]
        )
        rows = csv_rows(result)
        bee = [r for r in rows if r[10] == "gemeente" and r[12].startswith(BEE)]
        assert bee and all(r[2:10] == ["", "", "", "", "", "", "", "0"] for r in bee)
        assert {r[12] for r in bee} == {f"{BEE} (te weinig antwoorden)"}
        aa = {r[0]: r[2:4] for r in rows if r[10] == "gemeente" and r[12] == AA}
        assert aa["1"] == ["6", "3.67"] and aa["2"] == ["6", "1.50"]
        answers = [r[12] for r in rows if r[10] == "antwoord"]
        assert answers == [WRITTEN[0], WRITTEN[6]]

        # The traject key from the facilitator's own page, then a follow-up session with it.
        deck.goto(f"{server.url}/sessies/{code}/presenteren/")
        deck.get_by_text("Sessie", exact=True).click()
        deck.get_by_role("link", name="Vervolgmeting").click()
        deck.get_by_role("button", name="Trajectsleutel maken").click()
        key = deck.locator(".traject__key strong").inner_text()
        later = start_session(deck, server.url, key)
        for phone, (partner, role, _, _) in zip(phones, LATER):
            phone.goto(f"{server.url}/s/{later}")
            choose_group(phone, partner, role)
        press_and_follow(deck, phones, "1", first.slug)
        for phone, (_, _, value, _) in zip(phones, LATER):
            score(phone, first.slug, value)
        write(phones[0], first.slug, "Het geld is nu geregeld")
        write(phones[4], first.slug, "Dit mag niet in het verslag")
        press_and_follow(deck, phones, "2", second.slug)
        for phone, (_, _, _, value) in zip(phones, LATER):
            score(phone, second.slug, value)
        for _ in range(2):  # two more from Bee, as the bulk answers of the other browser tests
            with httpx.Client(base_url=server.url) as attendee:
                join(attendee, later)
                attendee.post(f"/s/{later}/groep", data={"gemeente": BEE, "rol": ""})
                assert answer(attendee, later, halte=first.slug, score="3") == 303
                assert answer(attendee, later, halte=second.slug, score="2") == 303
        moderation.goto(f"{server.url}/sessies/{later}/antwoorden/")
        moderate(moderation, "Goedkeuren", "Het geld is nu geregeld")

        result.goto(f"{server.url}/s/{later}/uitslag")
        change = result.locator(".change table tbody tr")
        expect(change.nth(0).locator("td")).to_have_text(["3,0", "3,5", "+0,5"])
        expect(change.nth(1).locator("td")).to_have_text(["2,6", "3,1", "+0,5"])
        expect(result.locator(".change__groups li")).to_have_text(  # Bee had too few the first time
            [
                f"{AA}, halte 1 {first.title}: 3,7 → 4,0 (+0,3)",
                f"{AA}, halte 2 {second.title}: 1,5 → 4,0 (+2,5)",
                f"raadslid, halte 1 {first.title}: 3,0 → 3,6 (+0,6)",
                f"raadslid, halte 2 {second.title}: 2,8 → 3,2 (+0,4)",
            ]
        )
        # Both partners large enough now: the largest difference first (stop 2: 4,0 against 2,0).
        compared = result.locator("#verschil-partner ~ .table-scroll tbody tr")
        expect(compared.locator("th")).to_have_text([f"2 {second.title}", f"1 {first.title}"])
        expect(compared.nth(0).locator("td")).to_have_text(["2,0", "4,0 (6)", "2,0 (5)"])
        assert "Dit mag niet" not in result.locator("main").inner_text()
        shot(result, screenshots, f"meeting-{tag}-phone-result.png", full_page=True)

        # The council report: the follow-up's result as an A4 PDF.
        response = httpx.get(f"{server.url}/s/{later}/uitslag.pdf", timeout=120)
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
        report = tmp_path / "raadsinformatiebrief.pdf"
        report.write_bytes(response.content)
    assert_council_report(report, screenshots, tag)


def assert_council_report(report: Path, screenshots: Path, tag: str) -> None:
    """PDF/UA, A4 on every page, the brand colour painted, the statements, approved answers, the change."""
    (screenshots / f"meeting-{tag}-report.pdf").write_bytes(report.read_bytes())  # to look at
    if shutil.which("pdftoppm"):  # poppler, where installed: the pages as images, to look at
        prefix = str(screenshots / f"meeting-{tag}-report")
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(report), prefix], check=True, capture_output=True)
    found = validate(str(report))
    assert [(f.rule_id, f.severity.name, f.message) for f in found.findings] == []
    reader = PdfReader(report)
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.3, 841.9), abs=1.5)
    text = squeeze(" ".join(page.extract_text() for page in reader.pages))
    for station in STATIONS:  # the source's statement of every stop, word for word
        statement = BeautifulSoup(make_markdown().render(station.statement), "html.parser").get_text()
        assert squeeze(statement) in text, station.slug
    assert squeeze("Het geld is nu geregeld") in text
    assert squeeze("Dit mag niet in het verslag") not in text
    assert squeeze("Verandering sinds de vorige meting") in text
    largest, next_one = squeeze(f"2 {STATIONS[1].title}2,04,0(6)"), squeeze(f"1 {STATIONS[0].title}1,04,0(6)")
    assert largest in text and next_one in text and text.index(largest) < text.index(next_one)
    assert BRAND_RGB in painted_colours(report)
    # "Per halte" does not end a page alone: the first stop follows it on the same page.
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    stops = next(n for n, page in enumerate(pages) if squeeze("Per halte") in page.replace("Perhalte:", ""))
    assert squeeze(f"Halte 1: {STATIONS[0].title}") in pages[stops]


BRAND_RGB = tuple(round(int(BRAND[i : i + 2], 16) / 255, 2) for i in (1, 3, 5))


def painted_colours(report: Path) -> set[tuple[float, ...]]:
    """Every RGB fill and stroke colour the report's pages set, rounded to two decimals."""
    colours = set()
    with pikepdf.open(report) as pdf:
        for page in pdf.pages:
            for operands, _operator in pikepdf.parse_content_stream(page, "rg RG"):
                colours.add(tuple(round(float(v), 2) for v in operands))
    return colours
