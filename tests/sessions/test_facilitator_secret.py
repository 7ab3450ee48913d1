"""The facilitator's secret never sits in an address, and reading a page never moves the room.

Defects this holds (each reproduced on the earlier code): the secret in the deck's address (so on
the projector, in the history, in `metro serve`'s and nginx's access logs and in the event stream's
URL), a GET or HEAD on a slide moving the room, and no way to go on on a second device but
copying that address.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.sessions import codes
from app.web import create_app
from tests.conftest import VALID, free_port, soup
from tests.sessions.helpers import (
    FACILITATOR_COOKIE,
    answer,
    deck_path,
    facilitator_events,
    join,
    live_of,
    move,
    start,
)


def room_of(client: TestClient, code: str) -> str | None:
    session = live_of(client).store().find(code)
    assert session is not None
    return session.stop


def test_starting_sets_a_strict_cookie_scoped_to_the_session_and_a_clean_address(live_client: TestClient) -> None:
    response = live_client.post("/sessies", follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    code = location.split("/sessies/", 1)[1].split("/", 1)[0]
    assert location == f"/sessies/{code}/presenteren/"  # nothing after the path: no secret, no query
    cookie = SimpleCookie(response.headers["set-cookie"])[FACILITATOR_COOKIE]
    assert cookie["httponly"] and cookie["samesite"].lower() == "strict"
    assert cookie["path"] == f"/sessies/{code}/"  # sent to this session's facilitator paths only
    assert len(cookie.value) >= 22 and cookie.value not in location


def test_the_secret_is_in_no_page_and_no_link(live_client: TestClient) -> None:
    deck = start(live_client)
    assert answer(live_client, deck.code, halte="orde", score="3") == 303
    pages = [deck_path(deck), deck_path(deck, "orde"), f"/s/{deck.code}", f"/s/{deck.code}/uitslag", "/present/"]
    for path in pages:
        page = live_client.get(path)
        assert page.status_code == 200, path
        assert deck.secret not in page.text, path
        addresses = [tag.get(name, "") for name in ("href", "src", "action") for tag in soup(page).select(f"[{name}]")]
        assert addresses and not [a for a in addresses if "sleutel" in a.lower() or "secret" in a.lower()], path
    offer = live_client.post(f"/sessies/{deck.code}/overdracht", follow_redirects=False)
    assert offer.status_code == 200 and deck.secret not in offer.text


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_reading_a_slide_never_moves_the_room(live_client: TestClient, method: str) -> None:
    deck = start(live_client)
    for slug in ("orde", "leiderschap", ""):
        response = live_client.request(method, deck_path(deck, slug))
        assert response.status_code == 200
        assert room_of(live_client, deck.code) is None  # still the start screen: only a POST moves it
    assert move(live_client, deck, "orde").status_code == 200
    live_client.request(method, deck_path(deck, "leiderschap"))
    assert room_of(live_client, deck.code) == "orde"


def test_without_javascript_the_deck_moves_the_room_by_its_form(live_client: TestClient) -> None:
    deck = start(live_client)
    page = soup(live_client.get(deck_path(deck, "leiderschap")))
    assert " ".join(page.select_one(".js-live-room").text.split()) == "Op de telefoons: het startscherm"
    form = page.select_one("form.js-live-move")
    assert form["method"] == "post" and form.button.text == "Toon deze halte aan de zaal"
    fields = {field["name"]: field["value"] for field in form.select("input")}
    assert fields == {"halte": "leiderschap"}
    target = "/sessies/" + deck.code + "/" + form["action"].rsplit("/", 1)[-1]
    moved = live_client.post(target, data=fields, follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == deck_path(deck, "leiderschap")
    assert room_of(live_client, deck.code) == "leiderschap"
    page = soup(live_client.get(deck_path(deck, "leiderschap")))
    assert " ".join(page.select_one(".js-live-room").text.split()) == "Op de telefoons: Halte 3: Leiderschap"


def test_the_facilitator_stream_is_on_a_facilitator_path_and_needs_the_cookie(live_client: TestClient) -> None:
    deck = start(live_client)
    stranger = TestClient(live_client.app)
    assert stranger.get(f"/sessies/{deck.code}/events").status_code == 403
    stranger.cookies.set(FACILITATOR_COOKIE, deck.secret, path="/s/")  # the cookie where attendees' paths are
    assert stranger.get(f"/sessies/{deck.code}/events").status_code == 403


def test_the_attendee_count_and_a_nearly_full_session_are_shown_to_the_facilitator(
    session_settings: Settings,
) -> None:
    with TestClient(create_app(replace(session_settings, attendees_per_session=10))) as client:
        deck = start(client)
        for n in range(9):
            with TestClient(client.app) as phone:
                join(phone, deck.code)
                assert answer(phone, deck.code, halte="orde", score=str(1 + n % 5)) == 303
        page = soup(client.get(deck_path(deck, "orde")))
        attendees = page.select_one(".js-live-attendees")
        assert attendees["role"] == "status"
        assert attendees.select_one(".js-live-attendees-count").text == "9 deelnemers"
        assert attendees.select_one(".js-live-attendees-warning").text == (
            "De sessie is bijna vol: nog 1 plaatsen (grens 10)."
        )
        event = live_of(client).tally_event(live_of(client).store().find(deck.code).id, "orde")
        assert event["deelnemers"]["tekst"] == "9 deelnemers" and "bijna vol" in event["deelnemers"]["waarschuwing"]


def test_a_second_device_takes_over_once_with_a_one_time_token(live_client: TestClient) -> None:
    deck = start(live_client)
    start_screen = soup(live_client.get(deck_path(deck)))
    assert not start_screen.select(".slide--start a[href*='overnemen'], .slide--start .live-takeover__code")
    offer = soup(live_client.post(f"/sessies/{deck.code}/overdracht"))
    link = offer.select_one(".live-takeover__link a")["href"]
    path, token = link.split("#", 1)
    assert path.endswith(f"/sessies/{deck.code}/overnemen/") and len(token) == codes.TAKEOVER_LENGTH
    typed = offer.select_one(".live-takeover__code").text.strip()
    assert codes.normalise_takeover_token(typed) == token  # the same token, grouped to type it
    qr = offer.select_one("figure.live-takeover__qr")
    assert qr.select_one("img")["src"].startswith("data:image/svg+xml;base64,")
    # The code and its QR show the token once each, as written out above; the figure adds no copy of it.
    assert qr.select_one("img")["alt"] == "QR-code met de overnamelink" and qr.select_one("figcaption") is None
    assert offer.get_text().count(token) == 1 and offer.get_text().count(typed) == 1

    tablet = TestClient(live_client.app)
    assert tablet.get(deck_path(deck)).status_code == 403
    form = soup(tablet.get(f"/sessies/{deck.code}/overnemen/")).select_one("form")
    assert form["method"] == "post" and form.select_one("input")["name"] == "overnamecode"
    taken = tablet.post(f"/sessies/{deck.code}/overnemen/", data={"overnamecode": typed}, follow_redirects=False)
    assert taken.status_code == 303 and taken.headers["location"] == deck_path(deck)
    assert tablet.get(deck_path(deck)).status_code == 200
    assert move(tablet, deck, "orde").status_code == 200
    assert live_client.get(deck_path(deck)).status_code == 200  # the first device goes on too

    thief = TestClient(live_client.app)
    again = thief.post(f"/sessies/{deck.code}/overnemen/", data={"overnamecode": token}, follow_redirects=False)
    assert again.status_code == 403 and "al gebruikt" in soup(again).select_one(".error-page p").text
    assert FACILITATOR_COOKIE not in again.headers.get("set-cookie", "")
    assert thief.get(deck_path(deck)).status_code == 403


def test_a_takeover_token_expires(live_client: TestClient) -> None:
    deck = start(live_client)
    live = live_of(live_client)
    offer = soup(live_client.post(f"/sessies/{deck.code}/overdracht"))
    token = offer.select_one(".live-takeover__link a")["href"].split("#", 1)[1]
    keys = live.store().keys
    keys.clock = lambda: datetime.now(UTC) + timedelta(minutes=11)
    try:
        late = TestClient(live_client.app).post(f"/sessies/{deck.code}/overnemen/", data={"overnamecode": token})
    finally:
        keys.clock = lambda: datetime.now(UTC)
    assert late.status_code == 403


def test_no_secret_in_the_access_log_of_metro_serve(tmp_path: Path) -> None:
    """`metro serve` logs every request: the log must hold neither the secret nor the takeover token."""
    port = free_port()
    env = {**os.environ, "ZEVENSTOPS_CONTENT_DIR": str(VALID), "ZEVENSTOPS_DATA_DIR": str(tmp_path / "data")}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "metro serve did not start"
            time.sleep(0.1)  # polling a starting server: there is nothing to wait on
        with httpx.Client(base_url=base) as facilitator:
            deck = start(facilitator)
            for slug in ("", "ambitie", "orde", "leiderschap"):
                assert facilitator.get(deck_path(deck, slug)).status_code == 200
                assert move(facilitator, deck, slug or None).status_code == 200
            with facilitator_events(base, deck, facilitator) as stream:
                assert stream.status == 200 and stream.next("telling")["halte"] == "leiderschap"
            offer = facilitator.post(f"/sessies/{deck.code}/overdracht").text
            token = offer.split("overnemen/#", 1)[1].split('"', 1)[0]
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
    logged = (tmp_path / "serve.log").read_text()
    assert "path=/sessies/…/presenteren/orde" in logged  # the log does record the requests, codes masked
    assert deck.secret not in logged and token not in logged and "sleutel" not in logged
    assert deck.code not in logged


def test_after_offering_a_takeover_the_way_back_is_the_slide_the_room_sees(live_client: TestClient) -> None:
    """Back on the start screen, the next slide change would move the room from where it was to stop 1."""
    deck = start(live_client)
    assert move(live_client, deck, "leiderschap").status_code == 200
    offer_path = f"/sessies/{deck.code}/overdracht"
    offer = soup(live_client.post(offer_path))
    back = offer.find("a", string="Terug naar de presentatie")
    assert urljoin(offer_path, back["href"]) == deck_path(deck, "leiderschap")


def test_every_page_of_a_session_is_never_cached_and_the_facilitators_never_leave_in_a_referer(
    live_client: TestClient,
) -> None:
    deck = start(live_client, gemeenten="Aa\nBb")
    code = deck.code
    private = [
        live_client.get(deck_path(deck)),
        live_client.get(f"/sessies/{code}/antwoorden/"),
        live_client.get(f"/sessies/{code}/traject/"),
        live_client.post(f"/sessies/{code}/overdracht"),
        live_client.get(f"/sessies/{code}/overnemen/"),
    ]
    public = [live_client.get(f"/s/{code}"), live_client.get(f"/s/{code}/verschillen")]
    for response in [*private, *public]:
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store", response.url
    assert [r.headers.get("referrer-policy") for r in private] == ["no-referrer"] * len(private)
    default = "strict-origin-when-cross-origin"  # the site's own, for every other page
    assert [r.headers["referrer-policy"] for r in public] == [default] * len(public)
