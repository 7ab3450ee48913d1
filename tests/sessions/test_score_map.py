"""The score map (deck, results, /scan/): every score at its own station, in line order, named as on the guide's map."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from app import metro
from app.content import load_guide
from tests.conftest import VALID, soup
from tests.sessions.helpers import answer, deck_path, join, move, start

GUIDE = load_guide(VALID)
TERMINALS = ["Beginstation", "Eindstation"]


def _scored_pages(client: TestClient) -> dict[str, BeautifulSoup]:
    deck = start(client)
    move(client, deck, GUIDE.stations[2].slug)
    attendee = TestClient(client.app)
    join(attendee, deck.code)
    assert answer(attendee, deck.code, halte=GUIDE.stations[2].slug, score="4") in (200, 303)
    return {
        "deck": soup(client.get(deck_path(deck, GUIDE.stations[2].slug))),
        "result": soup(client.get(f"/s/{deck.code}/uitslag")),
        "scan": soup(client.get("/scan/")),
    }


def _number(tag: Tag, name: str) -> float:
    value = tag.get(name)
    assert isinstance(value, str) and value.strip(), f"{name} missing on {tag}"
    return float(value)


def test_every_score_is_written_at_its_station_on_every_map(live_client: TestClient) -> None:
    pages = _scored_pages(live_client)
    for where, page in pages.items():
        svgs = page.select("nav.scan-map svg")
        assert svgs, where
        for svg in svgs:
            _, _, width, height = (float(v) for v in svg["viewbox"].split())
            stations = svg.select("a.js-scan-station")
            assert len(stations) == len(GUIDE.stations), where
            for station in stations:
                circle = station.select_one("circle.metro-map__stop")
                score = station.select_one("text.js-scan-score")
                assert circle is not None and score is not None
                cx, cy = _number(circle, "cx"), _number(circle, "cy")
                x, y = _number(score, "x"), _number(score, "y")
                assert score["text-anchor"] in ("start", "middle", "end")
                assert 0 <= x <= width and 0 <= y <= height, (where, svg["class"], x, y)
                assert abs(x - cx) + abs(y - cy) < 160, (where, svg["class"], station["data-slug"], x, y, cx, cy)
    third = pages["result"].select_one(f'svg a[data-slug="{GUIDE.stations[2].slug}"] .js-scan-score')
    assert third is not None and third.get_text(strip=True) == "4,0"


@pytest.mark.parametrize("layout", ["horizontal", "located", "vertical", "strip"])
def test_each_layout_keeps_a_score_row_that_no_label_meets(layout: str) -> None:
    stations = [(s.number, s.slug, s.label) for s in GUIDE.stations]
    drawing = metro.layouts(stations)[layout]
    for stop in drawing.stops:
        assert 0 <= stop.score.x <= drawing.width and 0 < stop.score.y <= drawing.height
        assert all(abs(stop.score.y - y) >= metro.FONT for _, y in stop.label.rows) or stop.score.x != stop.label.x


def test_the_score_map_follows_the_line_and_names_what_it_shows(live_client: TestClient) -> None:
    """Tab order start, 1…7, end (as the guide's map); each name starts with the visible label (WCAG 2.5.3)."""
    for where, page in _scored_pages(live_client).items():
        for svg in page.select("nav.scan-map svg"):
            links = svg.find_all("a")
            names = [a["aria-label"] for a in links]
            assert names[0].startswith("Beginstation") and names[-1].startswith("Eindstation"), where
            for a, station in zip(links[1:-1], GUIDE.stations, strict=True):
                visible = " ".join(t.get_text(strip=True) for t in a.select(".metro-map__label tspan"))
                written = a.select_one(".js-scan-score")
                score = written.get_text(strip=True) if written else ""  # "3,4" beside it, or "–"
                visible += f" {score}" if score not in ("", "–") else ""
                assert a["aria-label"].startswith(f"{station.number} {visible}"), (
                    where,
                    a["aria-label"],
                    visible,
                )
            for a in (links[0], links[-1]):
                shown = a.select_one(".metro-map__terminal-label")
                if shown is not None:
                    assert shown.get_text(strip=True) in a["aria-label"]


def test_a_statement_takes_agreement_or_dont_know_and_the_average_leaves_dont_know_out(live_client: TestClient) -> None:
    from tests.sessions.helpers import tally

    deck = start(live_client)
    for value in ("4", "5", "0"):
        person = TestClient(live_client.app)
        assert answer(person, deck.code, halte="ambitie", score="3", **{"stelling-1": value}) == 303
    assert tally(live_client, deck.code)[("ambitie", 1)] == {4: 1, 5: 1, 0: 1}
    page = soup(live_client.get(f"/s/{deck.code}/uitslag"))
    table = page.select_one("[aria-labelledby=uitslag-ambitie] .table-scroll table")
    assert table is not None
    head = [th.get_text(strip=True) for th in table.select("thead th")]
    row = [td.get_text(" ", strip=True) for td in table.select("tbody tr")[0].select("td")]
    assert dict(zip(head, row, strict=True)) == {
        "Stelling": "Stelling: Vraag een van halte 1.",
        "Gemiddeld": "4,5 (helemaal eens)",
        "Antwoorden": "2",
        "Weet niet": "1",
    }
    open_questions = [
        li.get_text(strip=True) for li in page.select("[aria-labelledby=uitslag-ambitie] .result-stop__open li")
    ]
    assert open_questions == ["Vraag drie van halte 1?"]
    rows = live_client.get(f"/s/{deck.code}/uitslag.csv").content.decode("utf-8-sig").splitlines()
    assert rows[0].split(",")[:9] == ["halte", "titel", "aantal", "gemiddelde", "1", "2", "3", "4", "5"]
    assert rows[1].split(",")[:4] == ["1", "Gemeenschappelijke ambitie", "3", "3.00"]
    assert rows[2].split(",")[:13] == [
        "1",
        "Gemeenschappelijke ambitie",
        "2",
        "4.50",
        "0",
        "0",
        "0",
        "1",
        "1",
        "1",
        "stelling",
        "1",
        "Stelling: Vraag een van halte 1.",
    ]


def test_the_deck_tally_shows_statements_on_their_own_scale(live_client: TestClient) -> None:
    deck = start(live_client)
    move(live_client, deck, "ambitie")
    for value in ("2", "0"):
        person = TestClient(live_client.app)
        assert answer(person, deck.code, halte="ambitie", score="3", **{"stelling-2": value}) == 303
    page = soup(live_client.get(deck_path(deck, "ambitie")))
    items = [
        " ".join(li.get_text().split())
        for li in page.select('.js-live-tally[data-slug="ambitie"] .live-tally__statements li')
    ]
    assert items == ["Gespreksvraag 2: 2,0 (oneens), 1 antwoord · 1 weet niet"]


def test_the_result_is_dated_by_the_dutch_day_the_session_started(live_client: TestClient) -> None:
    """The council report says when the meeting was; 23:30 UTC is already the next day in Nijmegen."""
    from datetime import UTC, datetime, timedelta

    from app.pages import dutch_date
    from tests.sessions.helpers import live_of

    store = live_of(live_client).store()
    clock = store.clock
    late = datetime.now(UTC).replace(hour=23, minute=30, second=0, microsecond=0)  # today: no cleanup takes it
    store.clock = lambda: late
    try:
        code = start(live_client).code
    finally:
        store.clock = clock
    title = soup(live_client.get(f"/s/{code}/uitslag")).select_one(".page-title__sub").text
    assert (
        title.startswith("Uitslag van live sessie ")
        and f" van {dutch_date((late + timedelta(days=1)).date())}: " in title
    )
