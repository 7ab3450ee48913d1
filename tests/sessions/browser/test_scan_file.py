"""The offline scan's scores as a file: saved on one device, opened on the next to compare (or load)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser.helpers import axe_violations, station_name
from tests.conftest import LiveServer
from tests.sessions.browser.conftest import Errors, shot
from tests.sessions.browser.test_offline_browser import STATIONS

KEPT = "De huidige scores blijven zoals ze zijn."
FORMAT = "zevenstops-samenwerkingsscan"


def score(page: Page, number: int, value: int, word: str) -> None:
    """Choose a stop's own score by its label ("2 Matig"), as a person does."""
    page.locator(f"#scan-{STATIONS[number - 1].slug} fieldset.scale").first.get_by_label(f"{value} {word}").check()


def statement(page: Page) -> Locator:
    """The first statement of the first stop."""
    return page.locator(f'.js-scan-item[data-slug="{STATIONS[0].slug}"][data-item="1"]')


def stored(page: Page) -> object:
    return page.evaluate("() => JSON.parse(localStorage.getItem('zevenstops-scan') || 'null')")


def comparison(page: Page) -> list[list[str]]:
    return page.locator(".js-scan-compare tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


def station_label(page: Page, number: int) -> Locator:
    return page.locator(f'svg.metro-map__svg--horizontal a.js-scan-station[data-slug="{STATIONS[number - 1].slug}"]')


def opened(page: Page, name: str, body: bytes) -> None:
    page.get_by_label("Eerdere scan openen om te vergelijken").set_input_files(
        files=[{"name": name, "mimeType": "application/json", "buffer": body}]
    )


def no_overflow(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width  # type: ignore[index]


def test_a_saved_scan_is_compared_with_the_next_one_from_the_export_on_disk(
    browser: Browser, contexts: list[BrowserContext], exported: Path, errors: Errors, tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    contexts.append(context)
    page = errors.watch(context.new_page(), "scan")
    page.goto((exported / "scan" / "index.html").as_uri())
    score(page, 1, 2, "Matig")
    score(page, 2, 3, "Redelijk")
    score(page, 3, 5, "Sterk")
    score(page, 5, 3, "Redelijk")
    page.locator(f"#scan-{STATIONS[0].slug} summary").click()  # the statements are folded away
    statement(page).get_by_label("4 Eens", exact=True).check()
    with page.expect_download() as saving:
        page.get_by_role("button", name="Scores bewaren als bestand").click()
    download = saving.value
    today = date.today().isoformat()
    assert download.suggested_filename == f"samenwerkingsscan-{today}.json"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    first, second, third, fifth = (STATIONS[n].slug for n in (0, 1, 2, 4))
    assert json.loads(saved.read_text()) == {
        "formaat": FORMAT,
        "versie": 1,
        "datum": today,
        "scores": {first: {"0": 2, "1": 4}, second: {"0": 3}, third: {"0": 5}, fifth: {"0": 3}},
    }
    expect(page.locator(".js-scan-status")).to_have_text(f"De scores zijn bewaard als bestand: {saved.name}.")

    page.get_by_role("button", name="Alle scores wissen").click()
    page.get_by_role("button", name="Ja, alles wissen").click()
    score(page, 1, 4, "Goed")
    score(page, 2, 1, "Zwak")
    score(page, 4, 1, "Zwak")
    score(page, 5, 3, "Redelijk")
    now = stored(page)
    opened(page, saved.name, saved.read_bytes())
    expect(page.get_by_role("heading", name="Vergelijking met de scan van")).to_be_focused()
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september"]
    months += ["oktober", "november", "december"]
    day = f"{date.today().day} {months[date.today().month - 1]} {date.today().year}"
    expect(page.locator(".js-scan-status")).to_have_text(f"De scan van {day} staat nu naast de huidige scores.")
    expect(page.get_by_role("table", name=f"Score per halte: vorige keer ({day}), nu en het verschil")).to_be_visible()
    none = "nog geen score"
    assert comparison(page) == [
        [f"1. {STATIONS[0].title}", "2 (matig)", "4 (goed)", "+2"],
        [f"2. {STATIONS[1].title}", "3 (redelijk)", "1 (zwak)", "\u22122"],
        [f"3. {STATIONS[2].title}", "5 (sterk)", none, none],
        [f"4. {STATIONS[3].title}", none, "1 (zwak)", "vorige keer geen score"],
        [f"5. {STATIONS[4].title}", "3 (redelijk)", "3 (redelijk)", "gelijk"],
        [f"6. {STATIONS[5].title}", none, none, none],
        [f"7. {STATIONS[6].title}", none, none, none],
    ]
    expect(station_label(page, 1)).to_have_attribute(
        "aria-label", f"{station_name(STATIONS[0], score='4')} — 4 (goed), vorige keer 2"
    )
    expect(station_label(page, 3)).to_have_attribute(
        "aria-label", f"{station_name(STATIONS[2])} — {none}, vorige keer 5"
    )
    expect(station_label(page, 4)).to_have_attribute(
        "aria-label", f"{station_name(STATIONS[3], score='1')} — 1 (zwak), vorige keer geen score"
    )
    assert stored(page) == now  # opening a file to compare changes nothing in this browser
    score(page, 3, 4, "Goed")  # the comparison follows the scores being given
    assert comparison(page)[2][2:] == ["4 (goed)", "\u22121"]
    no_overflow(page)
    page.evaluate("document.querySelector('.js-scan-compare').scrollIntoView({behavior: 'instant'})")
    shot(page, Path("/tmp"), "scan-compare-390.png")
    for width in (320, 1920):
        page.set_viewport_size({"width": width, "height": 1080 if width == 1920 else 640})
        no_overflow(page)
    page.evaluate("document.querySelector('.js-scan-file').scrollIntoView({behavior: 'instant'})")
    shot(page, Path("/tmp"), "scan-compare-1920.png")

    # "Deze scores laden", by keyboard only: it asks first, "Nee" keeps the scores of this browser.
    load = page.get_by_role("button", name="Deze scores laden")
    load.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Nee, niet laden")).to_be_focused()
    page.keyboard.press("Enter")
    expect(load).to_be_focused()
    assert stored(page) != json.loads(saved.read_text())["scores"]
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Ja, vervangen")).to_be_focused()
    page.keyboard.press("Enter")
    assert stored(page) == json.loads(saved.read_text())["scores"]
    expect(page.locator(".js-scan-compare")).to_be_hidden()
    expect(page.locator(".js-scan-status")).to_have_text(f"De scores van {day} staan nu in deze browser.")
    page.reload()
    expect(page.locator(f"#scan-{first} fieldset.scale").first.get_by_label("2 Matig")).to_be_checked()
    expect(statement(page).get_by_label("4 Eens", exact=True)).to_be_checked()
    expect(station_label(page, 1)).to_have_attribute(
        "aria-label", f"{station_name(STATIONS[0], score='2')} — 2 (matig)"
    )


def valid(**changes: object) -> dict[str, object]:
    scan: dict[str, object] = {
        "formaat": FORMAT,
        "versie": 1,
        "datum": "2026-11-02",
        "scores": {STATIONS[0].slug: {"0": 3}},
    }
    return {**scan, **changes}


BAD = {
    "geen JSON": (b"halte 1: 3\n", "Dit bestand is geen bewaarde scan: de inhoud is geen JSON."),
    "ander bestand": (
        json.dumps({"formaat": "iets anders", "versie": 1}).encode(),
        "Dit bestand is geen bewaarde Samenwerkingsscan van deze gids.",
    ),
    "een lijst": (b"[1, 2, 3]", "Dit bestand is geen bewaarde Samenwerkingsscan van deze gids."),
    "versie 2": (
        json.dumps(valid(versie=2)).encode(),
        "Dit bestand komt van een andere versie van de scan (2); deze gids leest versie 1.",
    ),
    "geen datum": (
        json.dumps(valid(datum="2026-02-30")).encode(),
        "In dit bestand ontbreekt de datum van de scan, of die klopt niet.",
    ),
    "score 9": (
        json.dumps(valid(scores={STATIONS[1].slug: {"0": 9}})).encode(),
        f"Dit bestand heeft bij halte {STATIONS[1].title} een score die niet kan: 9. Een score is een heel getal van 1 tot 5.",
    ),
    "score 2,5": (
        json.dumps(valid(scores={STATIONS[1].slug: {"0": 2.5}})).encode(),
        f"Dit bestand heeft bij halte {STATIONS[1].title} een score die niet kan: 2.5. Een score is een heel getal van 1 tot 5.",
    ),
    "score als tekst": (
        json.dumps(valid(scores={STATIONS[1].slug: {"0": "3"}})).encode(),
        f'Dit bestand heeft bij halte {STATIONS[1].title} een score die niet kan: "3". Een score is een heel getal van 1 tot 5.',
    ),
    "onbekende halte": (
        json.dumps(valid(scores={"bestaat-niet": {"0": 3}})).encode(),
        'Dit bestand noemt een halte die deze gids niet kent: "bestaat-niet".',
    ),
    "onbekende stelling": (
        json.dumps(valid(scores={STATIONS[2].slug: {"7": 3}})).encode(),
        f'Dit bestand noemt bij halte {STATIONS[2].title} een stelling die deze gids niet kent: "7".',
    ),
    "geen scores": (json.dumps(valid(scores={})).encode(), "Dit bestand bevat geen scores."),
    "te groot": (
        json.dumps(valid(opmerking="x" * 110_000)).encode(),
        "Dit bestand is te groot voor een bewaarde scan (meer dan 100 kB).",
    ),
}


def test_a_bad_file_is_refused_in_dutch_and_changes_nothing(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer, errors: Errors
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    contexts.append(context)
    page = errors.watch(context.new_page(), "scan")
    page.goto(f"{live_server.url}/scan/")
    score(page, 2, 4, "Goed")
    before = stored(page)
    alert = page.get_by_role("alert")
    for name, (body, message) in BAD.items():
        opened(page, f"{name}.json", body)
        expect(alert).to_have_text(f"{message} {KEPT}")
        expect(page.locator(".js-scan-compare")).to_be_hidden()
        assert stored(page) == before, name
        expect(page.locator(f"#scan-{STATIONS[1].slug} fieldset.scale").first.get_by_label("4 Goed")).to_be_checked()
    no_overflow(page)
    field = page.get_by_label("Eerdere scan openen om te vergelijken").bounding_box()
    assert field and field["height"] >= 44  # its button is large enough to tap
    assert axe_violations(page) == []
    page.evaluate("document.querySelector('.js-scan-file').scrollIntoView({behavior: 'instant'})")
    shot(page, Path("/tmp"), "scan-bad-file-320.png")
    opened(page, "goed.json", json.dumps(valid()).encode())  # a good file after a bad one: the message goes
    expect(page.locator(".js-scan-compare")).to_be_visible()
    expect(alert).to_have_text("")
    assert axe_violations(page) == []  # over http: from file:// axe cannot read the stylesheets
    opened(page, "geen JSON.json", b"{")  # and a bad one after it leaves the comparison as it was
    expect(alert).to_have_text(f"{BAD['geen JSON'][1]} {KEPT}")
    assert comparison(page)[0][1:] == ["3 (redelijk)", "nog geen score", "nog geen score"]


def test_without_scores_there_is_nothing_to_save(
    browser: Browser, contexts: list[BrowserContext], live_server: LiveServer, errors: Errors
) -> None:
    context = browser.new_context()
    contexts.append(context)
    page = errors.watch(context.new_page(), "scan")
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    page.goto(f"{live_server.url}/scan/")
    page.get_by_role("button", name="Scores bewaren als bestand").click()
    expect(page.locator(".js-scan-status")).to_have_text("Er zijn nog geen scores om te bewaren.")
    assert downloads == []


def test_without_javascript_the_file_controls_are_not_shown(
    browser: Browser, contexts: list[BrowserContext], exported: Path
) -> None:
    context = browser.new_context(java_script_enabled=False)
    contexts.append(context)
    page = context.new_page()
    page.goto((exported / "scan" / "index.html").as_uri())
    expect(page.locator("button:visible, input[type=file]:visible")).to_have_count(0)
    expect(page.get_by_role("link", name="druk de papieren scan af")).to_be_visible()
