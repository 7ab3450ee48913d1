"""The session routes with a TestClient, on SQLite and PostgreSQL: the flow and every bad-input rule."""

from __future__ import annotations

from dataclasses import replace
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.qr import qr_svg
from app.sessions import codes
from app.web import create_app
from tests.conftest import soup
from tests.sessions.conftest import start_session
from tests.sessions.helpers import FACILITATOR_COOKIE, answer, deck_path, delete, join, live_of, move, start, tally
from tests.test_security import assert_security_headers

JSON = {"accept": "application/json"}


def test_starting_gives_the_facilitator_a_secret_address_with_the_join_code(live_client: TestClient) -> None:
    started = start_session(live_client)
    assert codes.CODE_RE.match(started.code) and len(started.secret) >= 22
    page = live_client.get(started.deck)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"  # the secret never leaves in a Referer
    html = soup(page)
    start = html.select_one(".slide--start")
    assert start.select_one(".live-join__code strong").text == codes.display(started.code)
    assert start.select_one(".live-join__address").text == f"testserver/s/{started.code}"
    join_qr = start.select_one("figure.qr--slide img.live-join__qr")
    assert join_qr["src"] == f"../../../s/{started.code}/qr.svg"
    assert join_qr["alt"] == f"QR-code om mee te doen: testserver/s/{started.code}"
    assert start.select_one("figure.qr--slide figcaption") is None  # the address stands above in large type
    qr = live_client.get(f"/s/{started.code}/qr.svg")
    assert qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.content == qr_svg(f"http://testserver/s/{started.code}")
    # Every slide of the deck stays in the session; the cookie, not the address, says who presents.
    slides = [s["data-href"] for s in html.select(".js-slide")]
    assert slides[0] == f"../../../sessies/{started.code}/presenteren/"
    assert slides[1] == f"../../../sessies/{started.code}/presenteren/ambitie"
    live = html.select_one('[data-module="live-facilitator"]')
    assert live["data-move"] == f"../../../sessies/{started.code}/halte"
    assert live["data-events"] == f"../../../sessies/{started.code}/events"
    assert started.secret not in page.text


def test_the_join_address_comes_from_the_configured_base_url(session_settings: Settings) -> None:
    settings = replace(session_settings, base_url="https://gids.gemeente.nl/zevenstops/")
    # Behind the public https address the facilitator's cookie is Secure: the browser sends it over https only.
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        started = start_session(client)
        assert "secure" in client.post("/sessies", follow_redirects=False).headers["set-cookie"].lower()
        html = soup(client.get(started.deck))
        assert html.select_one(".live-join__address").text == f"gids.gemeente.nl/zevenstops/s/{started.code}"
        qr = client.get(f"/s/{started.code}/qr.svg").content
        assert qr == qr_svg(f"https://gids.gemeente.nl/zevenstops/s/{started.code}")


def test_the_presentation_offers_to_start_a_session(live_client: TestClient) -> None:
    form = soup(live_client.get("/present/")).select_one("form.live-start")
    assert form["method"] == "post" and form["action"] == "../sessies"
    assert form.select_one("button").text == "Live sessie starten"


def test_the_room_moves_and_attendees_see_that_stop(live_client: TestClient) -> None:
    started = start_session(live_client)
    page = soup(live_client.get(f"/s/{started.code}"))
    shown = [s["data-slug"] for s in page.select(".js-live-stop") if not s.has_attr("hidden")]
    assert shown == [""]  # the start screen: wait for the first stop
    assert move(live_client, started, "orde").status_code == 200
    page = soup(live_client.get(f"/s/{started.code}"))
    shown = [s["data-slug"] for s in page.select(".js-live-stop") if not s.has_attr("hidden")]
    assert shown == ["orde"]
    assert page.select_one('a.js-station[aria-current="step"]')["data-slug"] == "orde"  # where the room is
    form = page.select_one("#halte-orde form")
    assert form["method"] == "post" and form["action"] == f"../s/{started.code}/antwoord"
    assert [i["value"] for i in form.select('input[name="score"]')] == ["1", "2", "3", "4", "5"]
    labels = [" ".join(label.text.split()) for label in form.select("fieldset")[0].select("label")]
    assert labels == ["1 Zwak", "2 Matig", "3 Redelijk", "4 Goed", "5 Sterk"]
    # "orde" has open questions only: shown for the conversation, with nothing to score.
    assert form.select('input[name^="stelling-"]') == []
    assert [li.text for li in page.select("#halte-orde .live-stop__open li")] == [
        "Vraag een van halte 2?",
        "Vraag twee van halte 2?",
        "Vraag drie van halte 2?",
    ]
    # "ambitie" has two statements (agreement, and "weet niet") and one open question.
    ambitie = page.select_one("#halte-ambitie form")
    assert sorted({i["name"] for i in ambitie.select('input[name^="stelling-"]')}) == ["stelling-1", "stelling-2"]
    agreement = [" ".join(label.text.split()) for label in ambitie.select("fieldset")[1].select("label")]
    assert agreement == ["1 Helemaal oneens", "2 Oneens", "3 Neutraal", "4 Eens", "5 Helemaal eens", "Weet niet"]
    assert [i["value"] for i in ambitie.select('input[name="stelling-1"]')] == ["1", "2", "3", "4", "5", "0"]
    assert [li.text for li in page.select("#halte-ambitie .live-stop__open li")] == ["Vraag drie van halte 1?"]
    assert page.select_one('a[href="../privacy"]').text.startswith("Privacy")
    assert page.select_one(".js-live-refresh a")["href"] == f"../s/{started.code}"  # works without JavaScript


def test_the_facilitator_moves_by_post(live_client: TestClient) -> None:
    started = start_session(live_client)
    moved = move(live_client, started, "leiderschap")
    assert moved.status_code == 200 and moved.json() == {"halte": "leiderschap"}
    assert live_of(live_client).store().find(started.code).stop == "leiderschap"
    back = move(live_client, started, None, json=False)
    assert back.status_code == 303 and back.headers["location"] == f"/sessies/{started.code}/presenteren/"
    assert live_of(live_client).store().find(started.code).stop is None


def test_an_answer_is_stored_once_per_attendee_and_stop(live_client: TestClient) -> None:
    started = start_session(live_client)
    opened = live_client.get(f"/s/{started.code}")  # the token comes with the page
    cookie = SimpleCookie(opened.headers["set-cookie"])["zevenstops_deelnemer"]
    assert cookie["httponly"] and cookie["samesite"].lower() == "lax" and cookie["path"] == f"/s/{started.code}"
    assert not cookie["secure"]  # plain http here; see the https test
    response = live_client.post(
        f"/s/{started.code}/antwoord", data={"halte": "ambitie", "score": "2"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == f"/s/{started.code}#halte-ambitie"
    assert "set-cookie" not in response.headers
    assert "set-cookie" not in live_client.get(f"/s/{started.code}").headers  # the token is kept
    again = live_client.post(
        f"/s/{started.code}/antwoord", data={"halte": "ambitie", "score": "5", "stelling-2": "1"}, headers=JSON
    )
    assert again.status_code == 200
    assert again.json() == {"halte": "ambitie", "opgeslagen": {"score": 5, "stelling-2": 1}}
    assert "set-cookie" not in again.headers  # the same attendee
    assert tally(live_client, started.code) == {("ambitie", 0): {5: 1}, ("ambitie", 2): {1: 1}}
    page = soup(live_client.get(f"/s/{started.code}"))
    assert page.select_one("#score-ambitie-5").has_attr("checked")
    assert page.select_one("#stelling-ambitie-2-1").has_attr("checked")


def test_the_cookie_is_secure_when_the_guide_is_served_over_https(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, base_url="https://gids.gemeente.nl/"))) as client:
        started = start_session(client)
        response = client.get(f"/s/{started.code}")
        assert SimpleCookie(response.headers["set-cookie"])["zevenstops_deelnemer"]["secure"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"halte": "ambitie", "score": "0"}, "Een score is een heel getal van 1 tot en met 5."),
        ({"halte": "ambitie", "score": "6"}, "Een score is een heel getal van 1 tot en met 5."),
        ({"halte": "ambitie", "score": "vier"}, "Een score is een heel getal van 1 tot en met 5."),
        ({"halte": "ambitie", "score": "4.0"}, "Een score is een heel getal van 1 tot en met 5."),
        ({"halte": "ambitie", "score": ""}, "Een score is een heel getal van 1 tot en met 5."),
        (
            {"halte": "ambitie", "score": "4", "stelling-1": "9"},
            "Bij een stelling kiest u 1 (helemaal oneens) tot en met 5 (helemaal eens), of “weet niet”.",
        ),
        (
            {"halte": "ambitie", "score": "4", "stelling-2": "weet niet"},
            "Bij een stelling kiest u 1 (helemaal oneens) tot en met 5 (helemaal eens), of “weet niet”.",
        ),
        (
            {"halte": "ambitie", "score": "4", "stelling-3": "2"},
            "Gespreksvraag 3 van halte 1 is een open vraag voor het gesprek: die krijgt geen score.",
        ),
        ({"halte": "ambitie", "stelling-4": "3"}, "Halte 1 heeft geen gespreksvraag 4."),
        ({"halte": "ambitie"}, "Kies een score van 1 (zwak) tot en met 5 (sterk)."),
        ({"halte": "bestaat-niet", "score": "3"}, "Deze halte bestaat niet in de gids. Kies een halte op de kaart."),
        ({"score": "3"}, "Deze halte bestaat niet in de gids. Kies een halte op de kaart."),
    ],
)
def test_bad_answers_get_a_dutch_422_and_nothing_is_stored(
    live_client: TestClient, fields: dict[str, str], message: str
) -> None:
    started = start_session(live_client)
    join(live_client, started.code)
    as_json = live_client.post(f"/s/{started.code}/antwoord", data=fields, headers=JSON)
    assert as_json.status_code == 422 and as_json.json() == {"detail": message}
    as_page = live_client.post(f"/s/{started.code}/antwoord", data=fields)
    assert as_page.status_code == 422 and soup(as_page).select_one(".error-page p").text == message
    assert tally(live_client, started.code) == {}
    assert live_of(live_client).store().find(started.code).attendees == 0


def test_a_form_that_is_not_a_small_urlencoded_form_is_refused(live_client: TestClient) -> None:
    started = start_session(live_client)
    join(live_client, started.code)
    url = f"/s/{started.code}/antwoord"
    big = live_client.post(
        url,
        content=b"halte=ambitie&score=3&x=" + b"a" * 20_000,
        headers={**JSON, "content-type": "application/x-www-form-urlencoded"},
    )
    assert big.status_code == 413 and big.json() == {"detail": "Het formulier is te groot."}
    as_json = live_client.post(url, json={"halte": "ambitie", "score": 3}, headers=JSON)
    assert as_json.status_code == 400
    twice = live_client.post(
        url,
        content=b"halte=ambitie&score=3&score=1",
        headers={**JSON, "content-type": "application/x-www-form-urlencoded"},
    )
    assert twice.status_code == 400
    assert tally(live_client, started.code) == {}


@pytest.mark.parametrize(
    "path", ["/s/{code}", "/s/{code}/uitslag", "/s/{code}/uitslag.csv", "/s/{code}/events", "/s/{code}/qr.svg"]
)
def test_an_unknown_code_gets_a_dutch_404(live_client: TestClient, path: str) -> None:
    url = path.format(code="k7qm4xpa")
    page = live_client.get(url)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert soup(page).h1.text == "Deze sessie bestaat niet (meer)"
    assert soup(page).html["lang"] == "nl"
    as_json = live_client.get(url, headers=JSON)
    assert as_json.status_code == 404 and as_json.json()["detail"].startswith("Er is geen live sessie met deze code")


def test_session_addresses_differing_by_a_final_slash_lead_to_the_route(live_client: TestClient) -> None:
    """The one trailing-slash redirect (app/http.py): relative, the query kept, security headers on."""
    started = start_session(live_client)
    deck = live_client.get(f"/sessies/{started.code}/presenteren?van=mail", follow_redirects=False)
    assert (deck.status_code, deck.headers["location"]) == (308, "presenteren/?van=mail")
    assert_security_headers(deck)
    assert live_client.get(f"/sessies/{started.code}/presenteren").status_code == 200  # followed: the deck
    result = live_client.get(f"/s/{started.code}/uitslag/", follow_redirects=False)
    assert (result.status_code, result.headers["location"]) == (308, "../uitslag")
    assert live_client.get("/scan", follow_redirects=False).headers["location"] == "scan/"  # a page of the build


def test_a_code_as_people_type_it_leads_to_the_session(live_client: TestClient) -> None:
    started = start_session(live_client)
    typed = codes.display(started.code).replace(" ", "-")
    response = live_client.get(f"/s/{typed}", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == f"/s/{started.code}"
    joined = live_client.get("/s/", params={"code": codes.display(started.code)}, follow_redirects=False)
    assert joined.status_code == 303 and joined.headers["location"] == f"/s/{started.code}"
    wrong = live_client.get("/s/", params={"code": "abc"})
    assert wrong.status_code == 422 and soup(wrong).select_one("#code")["aria-invalid"] == "true"
    assert answer(live_client, "K7QM4XPA", halte="ambitie", score="3") == 404


@pytest.mark.parametrize(("path", "root"), [("/s", ""), ("/s/", "../"), ("/s/k7qm4xpa", "../"), ("/privacy", "")])
def test_links_and_assets_resolve_from_every_session_page(live_client: TestClient, path: str, root: str) -> None:
    """Relative links start from the page's own folder: `/s/` is one deeper than `/s`."""
    page = live_client.get(path)
    stylesheets = [link["href"] for link in soup(page).select('link[rel="stylesheet"]')]
    assert stylesheets and all(href.startswith(f"{root}static/") for href in stylesheets)
    base = path.rsplit("/", 1)[0] + "/"
    for href in stylesheets:
        assert live_client.get(base + href).status_code == 200, href


@pytest.mark.parametrize("cookie", ["", "fout", "{other}", "{mine}"])
def test_the_deck_and_its_controls_need_the_facilitator_cookie(live_client: TestClient, cookie: str) -> None:
    started = start_session(live_client)
    other = start_session(live_client)
    stranger = TestClient(live_client.app)  # another browser: none of the facilitator's cookies
    if cookie:
        value = cookie.format(other=other.secret, mine="A" * 22)  # a cookie of another session, or a made-up one
        stranger.cookies.set(FACILITATOR_COOKIE, value, path=f"/sessies/{started.code}/")
    deck = stranger.get(deck_path(started))
    assert deck.status_code == 403 and soup(deck).h1.text == "Geen toegang"
    for action in ("halte", "verwijderen", "overdracht"):
        response = stranger.post(f"/sessies/{started.code}/{action}", data={"halte": "orde"}, headers=JSON)
        assert response.status_code == 403 and "gespreksleider" in response.json()["detail"]
    assert stranger.get(f"/sessies/{started.code}/events").status_code == 403
    session = live_of(live_client).store().find(started.code)
    assert session is not None and session.stop is None


def test_the_facilitator_cannot_move_to_an_unknown_stop(live_client: TestClient) -> None:
    started = start_session(live_client)
    response = move(live_client, started, "nergens")
    assert response.status_code == 422 and response.json() == {"detail": "Deze gids heeft geen halte 'nergens'."}
    assert live_client.get(deck_path(started, "nergens")).status_code == 404


def test_deleting_removes_the_session_at_once(live_client: TestClient) -> None:
    started = start_session(live_client)
    assert answer(live_client, started.code, halte="ambitie", score="4") == 303
    deleted = delete(live_client, started)
    assert deleted.status_code == 200 and soup(deleted).h1.text == f"Sessie {codes.display(started.code)} is verwijderd"
    assert live_client.get(f"/s/{started.code}").status_code == 404
    assert live_client.get(f"/s/{started.code}/uitslag").status_code == 404
    assert live_of(live_client).store().find(started.code) is None


def test_sessions_per_hour_per_address_are_limited(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, sessions_per_hour=2))) as client:
        start_session(client)
        start_session(client)
        refused = client.post("/sessies", follow_redirects=False)
        assert (
            refused.status_code == 429 and 1700 <= int(refused.headers["retry-after"]) <= 1800
        )  # one more each 30 min
        assert soup(refused).select_one(".error-page p").text == (
            "Vanaf dit netwerk zijn kort na elkaar veel sessies gestart. "
            "Probeer het over 30 minuten opnieuw, of ga verder met een sessie die al loopt."
        )


def test_answers_per_minute_are_limited(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, answers_per_minute=3))) as client:
        started = start_session(client)
        for score in "123":
            assert answer(client, started.code, halte="ambitie", score=score) == 303
        refused = client.post(f"/s/{started.code}/antwoord", data={"halte": "ambitie", "score": "5"}, headers=JSON)
        assert refused.status_code == 429 and 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["detail"].startswith("U heeft veel antwoorden kort na elkaar gestuurd.")
        assert tally(client, started.code) == {("ambitie", 0): {3: 1}}


def test_attendees_per_session_are_limited(session_settings: Settings) -> None:
    with TestClient(create_app(replace(session_settings, attendees_per_session=2))) as client:
        started = start_session(client)
        for _ in range(2):
            client.cookies.clear()
            assert answer(client, started.code, halte="ambitie", score="4") == 303
        client.cookies.clear()
        join(client, started.code)
        refused = client.post(f"/s/{started.code}/antwoord", data={"halte": "ambitie", "score": "1"}, headers=JSON)
        assert refused.status_code == 429 and refused.headers["retry-after"]
        assert refused.json()["detail"].startswith("Deze sessie is vol: er doen al 2 deelnemers mee.")
        assert tally(client, started.code) == {("ambitie", 0): {4: 2}}


def test_other_methods_get_a_dutch_405_naming_what_is_allowed(live_client: TestClient) -> None:
    for method, path, allowed in [
        ("POST", "/", {"GET", "HEAD"}),
        ("POST", "/present/", {"GET", "HEAD"}),
        ("PUT", "/sessies", {"POST"}),
        ("DELETE", "/s/k7qm4xpa", {"GET", "HEAD"}),
        ("POST", "/s/k7qm4xpa/uitslag", {"GET", "HEAD"}),
    ]:
        response = live_client.request(method, path)
        assert response.status_code == 405, (method, path)
        assert {m.strip() for m in response.headers["allow"].split(",")} == allowed, (method, path)
        assert "Methode niet toegestaan" in response.text, (method, path)


def test_the_privacy_page_says_what_is_kept_for_how_long_and_asks_for_what_is_not_set(
    session_settings: Settings,
) -> None:
    with TestClient(create_app(replace(session_settings, session_days=14))) as client:
        page = soup(client.get("/privacy"))
    assert page.h1.text == "Privacy bij live sessies"
    assert [h2.text for h2 in page.select(".privacy h2")] == [
        "Wie is verantwoordelijk",
        "Wat een live sessie bewaart",
        "Wat het logboek van de server bijhoudt",
        "Waarom: de grondslag",
        "Hoe lang, en wissen",
        "Uw rechten",
        "Waar",
    ]
    assert "14 dagen na de start automatisch gewist" in page.select_one(".privacy__retention").text
    # Without ZEVENSTOPS_ORGANISATION, _CONTACT and _LOG_DAYS the page asks for each, visibly.
    asked = [p.code.text for p in page.select(".privacy__missing")]
    assert asked == ["ZEVENSTOPS_ORGANISATION", "ZEVENSTOPS_CONTACT", "ZEVENSTOPS_LOG_DAYS"]
    assert page.select_one(".privacy__controller") is None
    text = " ".join(page.text.split())
    assert "artikel 6, lid 1, onder e, AVG" in text and "Autoriteit Persoonsgegevens" in text
    assert "Pseudoniem, niet anoniem." in text and "Geen IP-adressen" not in text


def test_the_privacy_page_names_the_organisation_and_what_the_log_holds(session_settings: Settings) -> None:
    settings = replace(
        session_settings, organisation="Gemeente Voorbeeld", contact="https://voorbeeld.nl/privacy", log_days=30
    )
    with TestClient(create_app(replace(settings, log_addresses="truncated"))) as client:
        page = soup(client.get("/privacy"))
    assert page.select(".privacy__missing") == []
    assert page.select_one(".privacy__controller strong").text == "Gemeente Voorbeeld"
    assert page.select_one(".privacy__contact a")["href"] == "https://voorbeeld.nl/privacy"
    assert page.select_one("[data-log-fields]")["data-log-fields"].split()[-1] == "client"
    assert "de eerste drie getallen van een IPv4-adres" in page.select_one(".privacy__log").text


def test_the_deck_calls_the_answers_pseudonymous_not_anonymous(session_settings: Settings) -> None:
    with TestClient(create_app(session_settings)) as client:
        deck = soup(client.get(start(client).deck))
    note = deck.select_one(".live-join__note").text
    assert "pseudoniem" in note and "anoniem" not in note.replace("pseudoniem", "")


def test_every_session_response_carries_the_security_headers(live_client: TestClient) -> None:
    started = start_session(live_client)
    code = started.code
    answer(live_client, code, halte="ambitie", score="3")
    responses = [
        live_client.post("/sessies", follow_redirects=False),
        live_client.get(f"/s/{code}"),
        live_client.get("/s/"),
        live_client.get(f"/s/{code}/uitslag"),
        live_client.get(f"/s/{code}/uitslag.csv"),
        live_client.get(f"/s/{code}/qr.svg"),
        live_client.get("/privacy"),
        live_client.get("/s/k7qm4xpa"),
        live_client.get("/s/k7qm4xpa", headers=JSON),
        live_client.post(f"/s/{code}/antwoord", data={"halte": "ambitie", "score": "9"}),
        live_client.post(f"/sessies/{code}/halte", data={"sleutel": "fout"}, headers=JSON),
        live_client.put("/sessies"),
    ]
    for response in responses:
        assert_security_headers(response)
    # The deck carries them too, with a stricter referrer policy: nothing of the session leaves in a Referer.
    deck = live_client.get(started.deck)
    csp = deck.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "connect-src 'self'" in csp
    assert deck.headers["x-content-type-options"] == "nosniff" and deck.headers["referrer-policy"] == "no-referrer"
