"""Names a screen reader lists: on pages with several forms, groups or examples, each its own.

Found by IBM Equal Access (aria_form_label_unique, fieldset_label_valid, aria_article_label_unique):
the moderation page had four nameless forms per answer, the attendee's page seven groups all
called "Hoe staan wij ervoor op deze halte?", a stop's practice examples nameless articles.
"""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient

from app.content import load_guide
from tests.conftest import VALID, soup
from tests.sessions.helpers import answer, deck_path, join, move, start

GUIDE = load_guide(VALID)


def _name(tag: Tag, page: BeautifulSoup) -> str:
    if tag.get("aria-label"):
        return str(tag["aria-label"])
    if tag.get("aria-labelledby"):
        return " ".join(page.find(id=ref).get_text(" ", strip=True) for ref in str(tag["aria-labelledby"]).split())
    legend = tag.find("legend", recursive=False)
    return legend.get_text("", strip=True) if legend else ""


def _unnamed_and_repeated(page: BeautifulSoup, selector: str) -> tuple[list[str], list[str]]:
    names = [_name(tag, page) for tag in page.select(selector)]
    return [str(tag)[:80] for tag, name in zip(page.select(selector), names, strict=True) if not name], [
        name for name, n in Counter(names).items() if n > 1 and name
    ]


def test_every_form_and_group_of_a_session_has_a_name_of_its_own(live_client: TestClient) -> None:
    deck = start(live_client, gemeenten="Aadorp\nBeekdal", rollen="ja")
    first = GUIDE.stations[0].slug
    move(live_client, deck, first)
    for text in ("Wie betaalt als het tegenvalt?", "De raad hoort het te laat.", "Een gezamenlijke agenda helpt."):
        attendee = TestClient(live_client.app)
        join(attendee, deck.code)
        assert answer(attendee, deck.code, halte=first, score="3") in (200, 303)
        written = attendee.post(
            f"/s/{deck.code}/schrijven", data={"halte": first, "tekst": text}, follow_redirects=False
        )
        assert written.status_code == 303, written.text
    pages = {
        "attendee": soup(attendee.get(f"/s/{deck.code}")),
        "moderation": soup(live_client.get(f"/sessies/{deck.code}/antwoorden/")),
        "deck": soup(live_client.get(deck_path(deck, first))),
    }
    assert len(pages["moderation"].select("form")) >= 12  # a prompt per stop, four forms per answer
    for where, page in pages.items():
        assert len(page.select("form")) > 1, where
        assert _unnamed_and_repeated(page, "form") == ([], []), where
        assert _unnamed_and_repeated(page, "fieldset") == ([], []), where


def test_each_practice_example_is_named_by_its_title(client: TestClient) -> None:
    station = GUIDE.stations[0]  # two practice examples
    page = soup(client.get(f"/stops/{station.slug}/"))
    cases = page.select("article.case")
    assert len(cases) >= 2
    for case in cases:
        title = case.select_one(".case__title")
        assert title is not None and case["aria-label"] == f"Praktijkvoorbeeld: {title.get_text(strip=True)}"
    assert _unnamed_and_repeated(page, "article") == ([], [])
