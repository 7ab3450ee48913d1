"""Repeat measurements: a traject key on the facilitator's page, a follow-up session, the change since last time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.config import Settings
from app.sessions import traject
from app.sessions.schema import traject_tallies, trajects
from app.web import create_app
from tests.conftest import soup
from tests.sessions.helpers import answer, delete, join, live_of, start

JSON = {"accept": "application/json"}


@pytest.fixture
def app(session_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(session_settings)) as facilitator:
        yield facilitator


def key_of(app: TestClient, code: str) -> str:
    assert app.post(f"/sessies/{code}/traject", follow_redirects=False).status_code == 303
    return soup(app.get(f"/sessies/{code}/traject/")).select_one(".traject__key strong").text


def scores(app: TestClient, code: str, values: list[str], partner: str = "", halte: str = "ambitie") -> None:
    for value in values:
        phone = TestClient(app.app)
        join(phone, code)
        if partner:
            phone.post(f"/s/{code}/groep", data={"gemeente": partner, "rol": ""})
        assert answer(phone, code, halte=halte, score=value) == 303


def change_rows(app: TestClient, code: str) -> dict[str, list[str]]:
    table = soup(app.get(f"/s/{code}/uitslag")).select_one(".change table")
    return {tr.th.text: [td.text for td in tr.select("td")] for tr in table.select("tbody tr")}


def test_the_key_is_on_the_facilitators_page_only_never_on_the_projector(app: TestClient) -> None:
    deck = start(app)
    assert "Trajectsleutel maken" in app.get(f"/sessies/{deck.code}/traject/").text
    key = key_of(app, deck.code)
    assert traject.normalise_key(key) and len(key) == 19  # four groups of four, read aloud
    assert key_of(app, deck.code) == key  # asking again keeps the same traject
    phone = TestClient(app.app)
    join(phone, deck.code)
    assert phone.get(f"/sessies/{deck.code}/traject/").status_code == 403
    assert phone.post(f"/sessies/{deck.code}/traject").status_code == 403
    for page in (deck.deck, deck.deck + "ambitie", f"/s/{deck.code}", f"/s/{deck.code}/uitslag"):
        assert key not in app.get(page).text and key.replace("-", "") not in app.get(page).text, page


def test_a_follow_up_shows_the_change_per_stop_and_per_group(app: TestClient) -> None:
    first = start(app, gemeenten="Leiden\nOegstgeest")
    scores(app, first.code, ["2"] * 5, "Leiden")
    scores(app, first.code, ["4"] * 5, "Oegstgeest")
    scores(app, first.code, ["1", "1"], halte="orde")
    key = key_of(app, first.code)
    later = start(app, gemeenten="Leiden\nOegstgeest", traject=key.lower().replace("-", " "), meting="nieuw")
    scores(app, later.code, ["4"] * 5, "Leiden")
    scores(app, later.code, ["4"] * 5, "Oegstgeest")
    rows = change_rows(app, later.code)
    assert rows["1 Gemeenschappelijke ambitie"] == ["3,0", "4,0", "+1,0"]
    assert rows["2 Orde in proces en structuur"] == ["1,0", "–", "–"]
    groups = [li.text for li in soup(app.get(f"/s/{later.code}/uitslag")).select(".change__groups li")]
    assert groups == [
        "Leiden, halte 1 Gemeenschappelijke ambitie: 2,0 → 4,0 (+2,0)",
        "Oegstgeest, halte 1 Gemeenschappelijke ambitie: 4,0 → 4,0 (0,0)",
    ]
    assert "Dit is meting 2 van 2" in app.get(f"/sessies/{later.code}/traject/").text
    assert soup(app.get(f"/s/{first.code}/uitslag")).select_one(".change") is None  # the first has nothing before it


def test_the_groups_change_is_listed_in_the_order_of_the_stops(app: TestClient) -> None:
    """Before, by the stops' slugs: "leiderschap" (stop 3) came before "orde" (stop 2)."""
    first = start(app, gemeenten="Leiden\nOegstgeest")
    for halte in ("leiderschap", "orde"):
        scores(app, first.code, ["2"] * 5, "Leiden", halte=halte)
    key = key_of(app, first.code)
    later = start(app, gemeenten="Leiden\nOegstgeest", traject=key)
    for halte in ("leiderschap", "orde"):
        scores(app, later.code, ["3"] * 5, "Leiden", halte=halte)
    groups = [li.text for li in soup(app.get(f"/s/{later.code}/uitslag")).select(".change__groups li")]
    assert groups == [
        "Leiden, halte 2 Orde in proces en structuur: 2,0 → 3,0 (+1,0)",
        "Leiden, halte 3 Leiderschap: 2,0 → 3,0 (+1,0)",
    ]


def test_another_room_of_the_same_measurement_counts_with_it(app: TestClient) -> None:
    first = start(app)
    key = key_of(app, first.code)
    scores(app, first.code, ["2", "2"])
    second_room = start(app, traject=key, meting="zelfde")
    scores(app, second_room.code, ["4", "4"])
    later = start(app, traject=key)
    scores(app, later.code, ["5"])
    assert change_rows(app, later.code)["1 Gemeenschappelijke ambitie"] == ["3,0", "5,0", "+2,0"]


def test_an_unknown_key_is_a_dutch_404_that_does_not_say_whether_it_existed(app: TestClient) -> None:
    mistyped = app.post("/sessies", data={"traject": "ABCD"}, headers=JSON)
    unknown = app.post("/sessies", data={"traject": "ABCD-EFGH-JKLM-NPQR"}, headers=JSON)
    assert mistyped.status_code == unknown.status_code == 404
    assert mistyped.json()["detail"] == unknown.json()["detail"]
    assert "trajectsleutel kennen we niet" in unknown.json()["detail"]


def test_a_deleted_session_leaves_only_counts_and_the_change_survives(app: TestClient) -> None:
    first = start(app, gemeenten="Leiden\nOegstgeest")
    scores(app, first.code, ["2"] * 5, "Leiden")
    write = TestClient(app.app)
    join(write, first.code)
    write.post(f"/s/{first.code}/schrijven", data={"halte": "ambitie", "tekst": "Niet in het traject"})
    key = key_of(app, first.code)
    assert delete(app, first).status_code == 200
    later = start(app, traject=key)
    scores(app, later.code, ["3"])
    assert change_rows(app, later.code)["1 Gemeenschappelijke ambitie"] == ["2,0", "3,0", "+1,0"]
    store = live_of(app).store()
    with store.engine.connect() as db:
        kept = db.execute(select(traject_tallies)).mappings().all()
    assert {(r["dimension"], r["grp"], r["stop"], r["score"], r["n"]) for r in kept} == {
        ("", "", "ambitie", 2, 5),
        ("partner", "Leiden", "ambitie", 2, 5),
    }
    assert set(kept[0].keys()) == {"traject_id", "round", "dimension", "grp", "stop", "item", "score", "n"}


def test_an_unused_traject_is_deleted_after_the_traject_days(app: TestClient) -> None:
    from app.sessions.cleanup import clean

    deck = start(app)
    key_of(app, deck.code)
    store = live_of(app).store()
    clean(store, 30, traject_days=10)
    with store.engine.connect() as db:
        assert db.execute(select(func.count()).select_from(trajects)).scalar() == 1
    later = store.clock
    store.clock = lambda: later() + timedelta(days=11)
    try:
        clean(store, 30, traject_days=10)
    finally:
        store.clock = later
    with store.engine.connect() as db:
        assert db.execute(select(func.count()).select_from(trajects)).scalar() == 0
