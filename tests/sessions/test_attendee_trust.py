"""Nobody can fill, forge or lock out a live session. Each test holds a defect reproduced earlier:
answers without a cookie each became an attendee (500 posts filled a session), other sites could
post into a visitor's session, 20 starts locked a whole NAT out for an hour, codes could be guessed
unthrottled."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.sessions.limits import Buckets
from app.web import create_app
from tests.conftest import soup
from tests.sessions.helpers import ATTENDEE_COOKIE, answer, join, live_of, start, tally

JSON = {"accept": "application/json"}
CROSS_SITE = [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # a sibling subdomain is another site too
    {"origin": "https://evil.example"},
    {"origin": "null"},
]


def person(client: TestClient, address: str = "testclient") -> TestClient:
    """Another browser (its own cookies) on the same app, from `address`."""
    return TestClient(client.app, client=(address, 50000))


def seats(client: TestClient, code: str) -> int:
    session = live_of(client).store().find(code)
    assert session is not None
    return session.attendees


def test_answers_without_the_page_s_token_are_refused_and_take_no_seat(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, attendees_per_session=20))) as client:
        deck = start(client)
        flood = []
        for _ in range(60):  # a client that drops its cookie every time, as the flood did
            flooder = person(client)
            flood.append(flooder.post(f"/s/{deck.code}/antwoord", data={"halte": "orde", "score": "1"}, headers=JSON))
        assert {r.status_code for r in flood} == {403}
        assert flood[0].json()["detail"].startswith("Open eerst de pagina van de sessie")
        assert not [r for r in flood if "set-cookie" in r.headers]
        assert seats(client, deck.code) == 0 and tally(client, deck.code) == {}
        real = person(client)
        assert answer(real, deck.code, halte="orde", score="4") == 303  # the hall is not full
        assert tally(client, deck.code) == {("orde", 0): {4: 1}}


@pytest.mark.parametrize("kind", ["made up", "another session's", "unsealed"])
def test_a_token_the_server_did_not_give_for_this_session_is_refused(live_client: TestClient, kind: str) -> None:
    deck, other = start(live_client), start(live_client)
    forger = person(live_client)
    if kind == "another session's":
        join(forger, other.code)
        token = next(c.value for c in forger.cookies.jar if c.name == ATTENDEE_COOKIE)
    else:
        token = secrets.token_urlsafe(16) + ("." + secrets.token_urlsafe(16) if kind == "made up" else "")
    forger.cookies.set(ATTENDEE_COOKIE, token, path=f"/s/{deck.code}")
    refused = forger.post(f"/s/{deck.code}/antwoord", data={"halte": "orde", "score": "2"}, headers=JSON)
    assert refused.status_code == 403 and seats(live_client, deck.code) == 0


def test_new_attendees_per_address_are_limited_per_session(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, attendees_per_address=3))) as client:
        deck, other = start(client), start(client)
        for _ in range(3):
            assert answer(person(client), deck.code, halte="orde", score="3") == 303
        crowded = person(client)
        join(crowded, deck.code)
        refused = crowded.post(f"/s/{deck.code}/antwoord", data={"halte": "orde", "score": "3"}, headers=JSON)
        assert refused.status_code == 429 and refused.headers["retry-after"]
        assert refused.json()["detail"].startswith("Vanaf dit netwerk doen al 3 deelnemers mee aan deze sessie")
        assert answer(person(client, "192.0.2.7"), deck.code, halte="orde", score="3") == 303  # another network
        assert answer(person(client), other.code, halte="orde", score="3") == 303  # another session
        assert seats(client, deck.code) == 4


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_session_cannot_be_started_from_another_site(live_client: TestClient, headers: dict[str, str]) -> None:
    visitor = person(live_client)
    refused = visitor.post("/sessies", headers=headers, follow_redirects=False)
    assert refused.status_code == 403
    assert soup(refused).select_one(".error-page p").text.startswith("Dit verzoek kwam van een andere website")
    assert "set-cookie" not in refused.headers
    as_json = visitor.post("/sessies", headers={**headers, **JSON}, follow_redirects=False)
    assert as_json.status_code == 403 and as_json.json()["detail"].startswith("Dit verzoek kwam van een andere")


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_another_site_cannot_answer_for_a_visitor(live_client: TestClient, headers: dict[str, str]) -> None:
    deck = start(live_client)
    visitor = person(live_client)
    assert answer(visitor, deck.code, halte="orde", score="5") == 303
    cookies_before = [(c.name, c.value, c.path) for c in visitor.cookies.jar]
    data = {"halte": "orde", "score": "1"}
    refused = visitor.post(f"/s/{deck.code}/antwoord", data=data, headers=headers, follow_redirects=False)
    assert refused.status_code == 403 and "set-cookie" not in refused.headers
    assert [(c.name, c.value, c.path) for c in visitor.cookies.jar] == cookies_before
    assert tally(live_client, deck.code) == {("orde", 0): {5: 1}}
    for action in ("halte", "verwijderen", "overdracht"):  # the facilitator's posts as well
        response = live_client.post(f"/sessies/{deck.code}/{action}", data={"halte": "orde"}, headers=headers)
        assert response.status_code == 403, action
    assert live_of(live_client).store().find(deck.code) is not None


@pytest.mark.parametrize(
    "headers", [{}, {"sec-fetch-site": "same-origin"}, {"sec-fetch-site": "none"}, {"origin": "http://testserver"}]
)
def test_the_guide_s_own_pages_and_plain_clients_may_post(live_client: TestClient, headers: dict[str, str]) -> None:
    assert live_client.post("/sessies", headers=headers, follow_redirects=False).status_code == 303


def test_the_origin_is_the_configured_public_address(session_settings: Settings) -> None:
    settings = replace(session_settings, base_url="https://gids.gemeente.nl/zevenstops/")
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        own = client.post("/sessies", headers={"origin": "https://gids.gemeente.nl"}, follow_redirects=False)
        assert own.status_code == 303
        other = client.post("/sessies", headers={"origin": "https://testserver"}, follow_redirects=False)
        assert other.status_code == 403


def test_starting_sessions_has_a_burst_and_then_a_steady_rate() -> None:
    now = [0.0]
    starts = Buckets(20, 60, clock=lambda: now[0])
    assert [starts.take("hal") for _ in range(20)] == [None] * 20  # a hall starts its sessions at once
    assert starts.take("hal") == 60  # then one a minute
    assert starts.take("elders") is None  # another address is not affected
    now[0] += 60
    assert starts.take("hal") is None and starts.take("hal") == 60
    now[0] += 3600
    assert [starts.take("hal") for _ in range(20)] == [None] * 20  # an hour later: a full burst again


def test_a_hall_behind_one_address_can_start_twenty_sessions(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, sessions_per_hour=60))) as client:
        assert [client.post("/sessies", follow_redirects=False).status_code for _ in range(20)] == [303] * 20
        refused = client.post("/sessies", follow_redirects=False)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) <= 60


def test_guessing_codes_is_slowed_per_address(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, code_misses_per_minute=10))) as client:
        deck = start(client)
        guesser = person(client, "198.51.100.9")
        assert guesser.get(f"/s/{deck.code}").status_code == 200  # found before the guessing
        alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
        answers = [guesser.get("/s/" + "".join(secrets.choice(alphabet) for _ in range(8))) for _ in range(30)]
        assert [r.status_code for r in answers[:10]] == [404] * 10
        assert {r.status_code for r in answers[10:]} == {429}
        assert 1 <= int(answers[-1].headers["retry-after"]) <= 60
        assert soup(answers[-1]).select_one(".error-page p").text.startswith("Vanaf dit netwerk zijn veel onjuiste")
        assert guesser.get(f"/s/{deck.code}").status_code == 200  # the session it is in still works
        assert guesser.get(f"/s/{start(client).code}").status_code == 429  # a new hit would tell: refused too
        assert person(client).get(f"/s/{deck.code}").status_code == 200  # other addresses are not affected


def test_an_older_cookie_of_the_same_name_does_not_hide_the_valid_token(live_client: TestClient) -> None:
    """A browser may still hold a cookie from before (path /s/): the session's own token must win."""
    deck = start(live_client)
    phone = person(live_client)
    join(phone, deck.code)
    token = next(c.value for c in phone.cookies.jar if c.name == ATTENDEE_COOKIE)
    header = f"{ATTENDEE_COOKIE}={token}; {ATTENDEE_COOKIE}={secrets.token_urlsafe(16)}"
    stale = person(live_client)
    sent = stale.post(
        f"/s/{deck.code}/antwoord", data={"halte": "orde", "score": "4"}, headers={**JSON, "cookie": header}
    )
    assert sent.status_code == 200 and tally(live_client, deck.code) == {("orde", 0): {4: 1}}
