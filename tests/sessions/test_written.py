"""Written answers: kept as typed, shown nowhere before the facilitator approves them, moderated, limited.

On SQLite and PostgreSQL, through the routes a browser uses (forms and JSON).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web import create_app
from tests.conftest import soup
from tests.sessions.helpers import Deck, delete, join, live_of, start

JSON = {"accept": "application/json"}


@pytest.fixture
def app(session_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(session_settings)) as facilitator:
        yield facilitator


def attendee(app: TestClient, code: str) -> TestClient:
    """A phone in the room: its own cookies, the same server."""
    phone = TestClient(app.app)
    join(phone, code)
    return phone


def write(phone: TestClient, code: str, text: str, halte: str = "ambitie") -> tuple[int, str]:
    response = phone.post(f"/s/{code}/schrijven", data={"halte": halte, "tekst": text}, headers=JSON)
    return response.status_code, response.json().get("detail", "") if response.status_code != 200 else ""


def moderation(app: TestClient, deck: Deck) -> str:
    response = app.get(f"/sessies/{deck.code}/antwoorden/")
    assert response.status_code == 200
    return response.text


def ids(app: TestClient, deck: Deck) -> dict[str, int]:
    """The written answers of a session, text -> id, as the facilitator's page lists them."""
    page = soup(app.get(f"/sessies/{deck.code}/antwoorden/"))
    return {
        li.select_one(".moderation__text").text: int(li["id"].removeprefix("antwoord-"))
        for li in page.select(".moderation__answer")
    }


def act(app: TestClient, deck: Deck, answer: int, action: str, value: str = "") -> int:
    data = {"actie": action, "waarde": value}
    return app.post(f"/sessies/{deck.code}/antwoorden/{answer}", data=data, follow_redirects=False).status_code


def projected(app: TestClient, deck: Deck, slug: str = "ambitie") -> list[str]:
    """What the deck's slide of `slug` shows of the written answers."""
    page = soup(app.get(f"/sessies/{deck.code}/presenteren/{slug}"))
    box = page.select_one(f'.js-live-written[data-slug="{slug}"]')
    return [li.text for li in box.select(".written__item")]


def test_an_answer_waits_for_the_facilitator_and_then_reaches_the_projector_result_and_csv(app: TestClient) -> None:
    deck = start(app)
    phone = attendee(app, deck.code)
    assert write(phone, deck.code, "We praten niet over het geld.") == (200, "")
    # Nowhere before approval: not on the projector, not in the result, not on any phone.
    assert projected(app, deck) == []
    for page in (f"/s/{deck.code}/uitslag", f"/s/{deck.code}", f"/s/{deck.code}/uitslag.csv"):
        assert "over het geld" not in phone.get(page).text, page
    assert "over het geld" in moderation(app, deck)
    assert "1 wacht" in app.get(deck.deck).text
    assert act(app, deck, ids(app, deck)["We praten niet over het geld."], "goedkeuren") == 303
    assert projected(app, deck) == ["We praten niet over het geld."]
    assert "We praten niet over het geld." in phone.get(f"/s/{deck.code}/uitslag").text
    rows = list(csv.reader(io.StringIO(phone.get(f"/s/{deck.code}/uitslag.csv").content.decode("utf-8-sig"))))
    assert [
        "1",
        "Gemeenschappelijke ambitie",
        "1",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "antwoord",
        "",
        "We praten niet over het geld.",
    ] in rows


def test_the_attendee_page_says_how_many_they_wrote_and_works_without_script(app: TestClient) -> None:
    deck = start(app)
    phone = attendee(app, deck.code)
    response = phone.post(
        f"/s/{deck.code}/schrijven", data={"halte": "ambitie", "tekst": "Een"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == f"/s/{deck.code}#schrijven-ambitie"
    form = soup(phone.get(f"/s/{deck.code}")).select_one("#schrijven-ambitie")
    assert "U schreef 1 van 3 antwoorden" in form.select_one(".js-live-write-status").text
    assert form.select_one("label").text == "Wat blijft bij ons onder tafel?"
    assert form.select_one("textarea")["maxlength"] == "280"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Schrijf eerst een antwoord"),
        ("   \n\t ", "Schrijf eerst een antwoord"),
        ("x" * 281, "281 tekens"),
        ("Goed \u202eldeg\u202c gesprek", "leesrichting"),
        ("Goed\x07 gesprek", "stuurteken"),
        ("Goed\x00gesprek", "stuurteken"),
    ],
)
def test_bad_written_answers_are_refused_in_dutch(app: TestClient, text: str, message: str) -> None:
    deck = start(app)
    status, detail = write(attendee(app, deck.code), deck.code, text)
    assert status == 422 and message in detail
    assert ids(app, deck) == {}


def test_markup_and_links_are_shown_as_typed_never_rendered(app: TestClient) -> None:
    deck = start(app)
    phone = attendee(app, deck.code)
    typed = [
        '<script>alert("x")</script> <b>vet</b>',
        "**Markdown** en [link](https://kwaad.example)",
        "www.kwaad.example",
    ]
    for text in typed:
        assert write(phone, deck.code, text)[0] == 200
    for answer in ids(app, deck).values():
        assert act(app, deck, answer, "goedkeuren") == 303
    assert projected(app, deck) == typed
    for page in (app.get(deck.deck + "ambitie").text, phone.get(f"/s/{deck.code}/uitslag").text, moderation(app, deck)):
        assert "<script>alert" not in page and "<b>vet</b>" not in page and "<strong>Markdown" not in page
        assert 'href="https://kwaad.example' not in page and 'href="http://www.kwaad' not in page


def test_one_attendee_writes_at_most_three_answers_a_stop_and_floods_are_refused(
    session_settings: Settings,
) -> None:
    with TestClient(create_app(replace(session_settings, attendees_per_address=5))) as app:
        deck = start(app)
        phone = attendee(app, deck.code)
        statuses = [write(phone, deck.code, f"Antwoord {n}") for n in range(30)]
        assert [s for s, _ in statuses[:3]] == [200, 200, 200]
        assert {s for s, _ in statuses[3:]} == {429}
        assert "al 3 antwoorden geschreven" in statuses[3][1]
        # New cookies for every post do not get past the seats one address may take.
        for n in range(20):
            write(attendee(app, deck.code), deck.code, f"Nog een {n}")
        assert len(ids(app, deck)) == 3 + 5 - 1  # the first phone holds one of the five seats


def test_only_the_facilitator_moderates_and_only_answers_of_their_session(app: TestClient) -> None:
    deck = start(app)
    phone = attendee(app, deck.code)
    write(phone, deck.code, "Van de eerste sessie")
    answer = ids(app, deck)["Van de eerste sessie"]
    assert phone.get(f"/sessies/{deck.code}/antwoorden/").status_code == 403
    assert phone.post(f"/sessies/{deck.code}/antwoorden/{answer}", data={"actie": "goedkeuren"}).status_code == 403
    other = start(app)
    refused = app.post(f"/sessies/{other.code}/antwoorden/{answer}", data={"actie": "goedkeuren"}, headers=JSON)
    assert refused.status_code == 422 and "bestaat niet" in refused.json()["detail"]
    assert projected(app, deck) == []


def test_duplicates_merge_into_one_headings_group_and_hiding_takes_an_answer_off_the_screen(app: TestClient) -> None:
    deck = start(app)
    for text in ("Te weinig tijd", "te weinig tijd!", "Geld", "Wantrouwen"):
        write(attendee(app, deck.code), deck.code, text)
    answer = ids(app, deck)
    for text in ("Te weinig tijd", "Geld", "Wantrouwen"):
        act(app, deck, answer[text], "goedkeuren")
    assert act(app, deck, answer["te weinig tijd!"], "samenvoegen", str(answer["Te weinig tijd"])) == 303
    act(app, deck, answer["Geld"], "kop", "Middelen")
    act(app, deck, answer["Te weinig tijd"], "kop", "Middelen")
    act(app, deck, answer["Wantrouwen"], "verbergen")
    page = soup(app.get(deck.deck + "ambitie"))
    box = page.select_one('.js-live-written[data-slug="ambitie"]')
    assert [p.text for p in box.select(".written__heading")] == ["Middelen"]
    assert [li.text for li in box.select(".written__item")] == ["Te weinig tijd (2×)", "Geld"]
    # Undone: the merged answer is its own again (approved, as merging approved it).
    act(app, deck, answer["te weinig tijd!"], "losmaken")
    assert "te weinig tijd!" in projected(app, deck)
    # A merge across stops or into itself is refused with a message.
    write(attendee(app, deck.code), deck.code, "Op halte twee", halte="orde")
    elsewhere = ids(app, deck)["Op halte twee"]
    refused = app.post(
        f"/sessies/{deck.code}/antwoorden/{elsewhere}",
        data={"actie": "samenvoegen", "waarde": str(answer["Geld"])},
        headers=JSON,
    )
    assert refused.status_code == 422 and "dezelfde halte" in refused.json()["detail"]


def test_the_facilitator_chooses_an_open_question_as_the_prompt(app: TestClient) -> None:
    deck = start(app)
    refused = app.post(f"/sessies/{deck.code}/vraag", data={"halte": "ambitie", "vraag": "1"}, headers=JSON)
    assert refused.status_code == 422  # question 1 of ambitie is a statement, scored, not written to
    assert (
        app.post(
            f"/sessies/{deck.code}/vraag", data={"halte": "ambitie", "vraag": "3"}, follow_redirects=False
        ).status_code
        == 303
    )
    phone = attendee(app, deck.code)
    label = soup(phone.get(f"/s/{deck.code}")).select_one("#schrijven-ambitie label").text
    assert label == "Vraag drie van halte 1?"
    assert phone.post(f"/sessies/{deck.code}/vraag", data={"halte": "ambitie", "vraag": "0"}).status_code == 403


def test_unapproved_answers_are_deleted_with_the_session(app: TestClient) -> None:
    from sqlalchemy import func, select

    from app.sessions.schema import prompts, written_answers

    deck = start(app)
    write(attendee(app, deck.code), deck.code, "Wacht nog")
    app.post(f"/sessies/{deck.code}/vraag", data={"halte": "orde", "vraag": "2"})
    assert delete(app, deck).status_code == 200
    with live_of(app).store().engine.connect() as db:
        assert db.execute(select(func.count()).select_from(written_answers)).scalar() == 0
        assert db.execute(select(func.count()).select_from(prompts)).scalar() == 0
