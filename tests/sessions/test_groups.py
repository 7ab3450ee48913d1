"""Partners and roles: chosen once, compared per stop, and a group below the minimum size shows nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web import create_app
from tests.conftest import soup
from tests.sessions.helpers import answer, join, start

JSON = {"accept": "application/json"}
PARTNERS = "Alphen aan den Rijn\nKaag en Braassem\nNieuwkoop"


@pytest.fixture
def app(session_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(session_settings)) as facilitator:
        yield facilitator


def phone_of(app: TestClient, code: str, partner: str = "", role: str = "") -> TestClient:
    phone = TestClient(app.app)
    join(phone, code)
    chosen = phone.post(f"/s/{code}/groep", data={"gemeente": partner, "rol": role}, follow_redirects=False)
    assert chosen.status_code == 303, chosen.text
    return phone


def test_the_facilitator_lists_partners_and_roles_and_attendees_choose_once(app: TestClient) -> None:
    deck = start(app, gemeenten=PARTNERS, rollen="ja")
    phone = TestClient(app.app)
    page = soup(join(phone, deck.code))
    form = page.select_one("form.live-group")
    options = [i["value"] for i in form.select('input[name="gemeente"]')]
    assert options == ["Alphen aan den Rijn", "Kaag en Braassem", "Nieuwkoop", ""]  # "" is "zeg ik liever niet"
    assert [i["value"] for i in form.select('input[name="rol"]')] == [
        "bestuurder",
        "raadslid",
        "ambtenaar",
        "anders",
        "",
    ]
    assert form.select_one('input[value=""]').has_attr("checked")  # saying nothing is the default
    assert phone.post(f"/s/{deck.code}/groep", data={"gemeente": "Nieuwkoop", "rol": "raadslid"}).status_code == 200
    again = phone.post(f"/s/{deck.code}/groep", data={"gemeente": "Kaag en Braassem", "rol": ""}, headers=JSON)
    assert again.status_code == 409 and "al gekozen" in again.json()["detail"]
    chosen = soup(phone.get(f"/s/{deck.code}"))
    assert chosen.select_one("form.live-group") is None
    assert chosen.select_one(".live-group__chosen").text == "U doet mee als Nieuwkoop, raadslid."


def test_a_group_not_on_the_list_and_a_list_of_one_are_refused(app: TestClient) -> None:
    deck = start(app, gemeenten=PARTNERS)
    phone = TestClient(app.app)
    join(phone, deck.code)
    refused = phone.post(f"/s/{deck.code}/groep", data={"gemeente": "Leiden", "rol": ""}, headers=JSON)
    assert refused.status_code == 422 and "uit de lijst" in refused.json()["detail"]
    assert (
        phone.post(f"/s/{deck.code}/groep", data={"gemeente": "", "rol": "raadslid"}, headers=JSON).status_code == 422
    )
    one = app.post("/sessies", data={"gemeenten": "Alleen ik"}, headers=JSON)
    assert one.status_code == 422 and "minstens twee" in one.json()["detail"]
    many = app.post("/sessies", data={"gemeenten": "\n".join(f"Gemeente {n}" for n in range(13))}, headers=JSON)
    assert many.status_code == 422 and "hooguit 12" in many.json()["detail"]


def test_where_we_differ_shows_large_enough_groups_largest_difference_first(app: TestClient) -> None:
    deck = start(app, gemeenten=PARTNERS)
    for score in ("2", "2", "1", "2", "3"):  # Alphen: 2,0 on ambitie
        answer(phone_of(app, deck.code, "Alphen aan den Rijn"), deck.code, halte="ambitie", score=score)
    for score in ("4", "4", "5", "4", "3"):  # Kaag en Braassem: 4,0
        answer(phone_of(app, deck.code, "Kaag en Braassem"), deck.code, halte="ambitie", score=score)
    for score in ("5", "5", "5", "5"):  # Nieuwkoop: four answers, below the minimum of five
        answer(phone_of(app, deck.code, "Nieuwkoop"), deck.code, halte="ambitie", score=score)
    for score in ("3", "3", "3", "3", "3"):
        answer(phone_of(app, deck.code, "Alphen aan den Rijn"), deck.code, halte="orde", score=score)
        answer(phone_of(app, deck.code, "Kaag en Braassem"), deck.code, halte="orde", score=score)
    page = soup(app.get(f"/s/{deck.code}/verschillen"))
    rows = page.select(".differences__table tbody tr")
    assert [r.th.text for r in rows] == ["1 Gemeenschappelijke ambitie", "2 Orde in proces en structuur"]
    first = [td.text for td in rows[0].select("td")]
    assert first == ["2,0", "2,0 (5)", "4,0 (5)", "te weinig antwoorden"]
    assert "(4)" not in page.text  # not even how many a small group answered
    result = soup(app.get(f"/s/{deck.code}/uitslag"))
    assert result.select_one(".differences__table tbody tr").th.text == "1 Gemeenschappelijke ambitie"
    # The CSV follows the same rule: the small group's row has no figures.
    rows_csv = list(csv.reader(io.StringIO(app.get(f"/s/{deck.code}/uitslag.csv").content.decode("utf-8-sig"))))
    small = [r for r in rows_csv if r[10] == "gemeente" and r[12].startswith("Nieuwkoop")]
    assert small == [
        [
            "1",
            "Gemeenschappelijke ambitie",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "0",
            "gemeente",
            "",
            "Nieuwkoop (te weinig antwoorden)",
        ],
        *small[1:],
    ]
    assert all(r[2] == "" and r[3] == "" for r in small)
    alphen = next(r for r in rows_csv if r[10] == "gemeente" and r[12] == "Alphen aan den Rijn")
    assert alphen[2:9] == ["5", "2.00", "1", "3", "1", "0", "0"]


def test_one_large_group_beside_a_small_one_shows_its_figures_after_the_real_differences(app: TestClient) -> None:
    """Before, a stop needed two large groups to be listed: a large and a small partner showed nothing."""
    deck = start(app, gemeenten=PARTNERS)
    for score in ("2", "2", "2", "2", "2", "3"):
        answer(phone_of(app, deck.code, "Alphen aan den Rijn"), deck.code, halte="ambitie", score=score)
    for score in ("5", "5", "5"):
        answer(phone_of(app, deck.code, "Kaag en Braassem"), deck.code, halte="ambitie", score=score)
    for partner, score in (("Alphen aan den Rijn", "3"), ("Nieuwkoop", "4")):
        for _ in range(5):
            answer(phone_of(app, deck.code, partner), deck.code, halte="orde", score=score)
    page = soup(app.get(f"/s/{deck.code}/verschillen"))
    rows = [[r.th.text, *(td.text for td in r.select("td"))] for r in page.select(".differences__table tbody tr")]
    assert rows == [
        ["2 Orde in proces en structuur", "1,0", "3,0 (5)", "te weinig antwoorden", "4,0 (5)"],
        ["1 Gemeenschappelijke ambitie", "–", "2,2 (6)", "te weinig antwoorden", "te weinig antwoorden"],
    ]
    assert "(3)" not in page.text


def test_the_minimum_group_size_is_the_servers_and_cannot_be_set_below_three() -> None:
    from app.config import SettingsError

    assert Settings.from_env({"ZEVENSTOPS_MIN_GROUP": "8"}).min_group == 8
    with pytest.raises(SettingsError, match="ZEVENSTOPS_MIN_GROUP moet een heel getal van 3"):
        Settings.from_env({"ZEVENSTOPS_MIN_GROUP": "1"})


def test_the_privacy_page_states_the_minimum_group_size(app: TestClient) -> None:
    text = soup(app.get("/privacy")).select_one("[data-columns~='attendees.partner']").text
    assert "vanaf 5 antwoorden" in text and "te weinig antwoorden" in text
