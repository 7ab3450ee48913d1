"""The Samenwerkingsscan without a server: the scan on one device, the paper scan, a werkblad per stop."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.config import Settings
from app.content import load_guide
from app.export import export_site
from app.web import create_app
from tests.conftest import VALID, soup

GUIDE = load_guide(VALID)
WORDS = ["Zwak", "Matig", "Redelijk", "Goed", "Sterk"]


def test_the_scan_on_one_device(client: TestClient) -> None:
    page = soup(client.get("/scan/"))
    scan = page.select_one('[data-module="scan"]')
    assert scan["data-words"] == "|".join(WORDS) and scan["data-key"] == "zevenstops-scan"
    sections = [s["id"] for s in page.select(".scan-stop")]
    assert sections == [f"scan-{s.slug}" for s in GUIDE.stations]
    for station in GUIDE.stations:
        items = page.select(f'.js-scan-item[data-slug="{station.slug}"]')
        statements = [n for n, q in enumerate(station.questions, 1) if q.startswith("Stelling:")]
        assert [i["data-item"] for i in items] == [str(n) for n in [0, *statements]]
        assert [i["value"] for i in items[0].select("input")] == ["1", "2", "3", "4", "5"]
        for item in items[1:]:  # a statement: agreement, and "weet niet" (0)
            assert [i["value"] for i in item.select("input")] == ["1", "2", "3", "4", "5", "0"]
            assert item.select_one("label").get_text(" ", strip=True) == "1 Helemaal oneens"
        shown = [li.get_text(strip=True) for li in page.select(f"#scan-{station.slug} .live-stop__open li")]
        assert len(shown) == len(station.questions) - len(statements)
    stations = page.select("svg.metro-map__svg--horizontal a.js-scan-station")
    assert [s["aria-label"].split(" — ")[-1] for s in stations] == ["nog geen score"] * len(GUIDE.stations)
    assert page.select_one(".scan__nojs a")["href"] == "../scan/papier/"  # without JavaScript: on paper
    scripts = [s["src"].split("/")[-1].split(".")[0] for s in page.select("script[src]")]
    assert scripts == ["scan", "app"]  # the scan's own script, not the live session's
    assert page.select_one('script[src*="scan."]')["src"].startswith("../static/scan.")


def test_the_scan_saves_to_a_file_and_compares_with_one(client: TestClient) -> None:
    page = soup(client.get("/scan/"))
    saving = page.select_one(".js-scan-file")
    assert saving["data-format"] == "zevenstops-samenwerkingsscan" and saving["data-version"] == "1"
    assert int(saving["data-max-bytes"]) == 100 * 1024
    field = saving.select_one("input[type=file]")
    assert page.select_one(f'label[for="{field["id"]}"]').text == "Eerdere scan openen om te vergelijken"
    hint = page.select_one(f"#{field['aria-describedby']}").text
    assert "blijft bij u" in hint and "niets naar een server" in hint
    assert saving.select_one('[role="alert"]') is not None
    assert [b.text for b in page.select(".page-actions button")][:2] == [
        "Scores bewaren als bestand",
        "Alle scores wissen",
    ]
    table = page.select_one(".js-scan-compare table")
    assert table.caption is not None
    assert [th.text for th in table.select("thead th")] == ["Halte", "Vorige keer", "Nu", "Verschil"]
    rows = [(r["data-slug"], r.th.text) for r in table.select("tbody tr")]
    assert rows == [(s.slug, f"{s.number}. {s.title}") for s in GUIDE.stations]


def test_the_scan_address_without_a_slash_leads_to_it(client: TestClient) -> None:
    response = client.get("/scan", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "scan/"


def test_the_paper_scan_has_the_statements_and_five_boxes_each(client: TestClient) -> None:
    page = soup(client.get("/scan/papier/"))
    header = [" ".join(th.stripped_strings) for th in page.select(".paper__table thead th")]
    assert header == ["Halte en uitspraak", *(f"{n} {word}" for n, word in enumerate(WORDS, start=1))]
    rows = page.select(".paper__table tbody tr")
    assert [r.select_one(".paper__stop").text for r in rows] == [f"{s.number}. {s.title}" for s in GUIDE.stations]
    assert [len(r.select(".paper__square")) for r in rows] == [5] * len(GUIDE.stations)
    assert rows[0].select_one(".paper__statement p").text.startswith("Stelling 1")


@pytest.mark.parametrize("station", GUIDE.stations, ids=[s.slug for s in GUIDE.stations])
def test_a_werkblad_per_stop(client: TestClient, station) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/stops/{station.slug}/werkblad/")
    page = soup(response)
    assert page.h1.text == station.title
    assert (
        page.select_one(".station__eyebrow").text.strip() == f"{station.number} Werkblad · halte {station.number} van 3"
    )
    assert len(page.select(".worksheet__question")) == len(station.questions)
    statements = [q for q in station.questions if q.startswith("Stelling:")]
    # An open question gets room to write; a statement gets boxes from helemaal oneens to weet niet.
    assert len(page.select(".worksheet__question .worksheet__lines")) == len(station.questions) - len(statements)
    assert len(page.select(".worksheet__question .worksheet__agree")) == len(statements)
    assert len(page.select(".worksheet__scale .paper__square")) == 5
    qr = page.select_one("img.worksheet__qr")["src"]
    assert qr == f"../../../qr/{station.slug}.svg" and client.get(f"/qr/{station.slug}.svg").status_code == 200
    # No public address configured: the qr-address module types where the code leads (app.js).
    figure = page.select_one("figure.qr--worksheet")
    assert figure["data-module"] == "qr-address" and figure["data-path"] == f"../../../stops/{station.slug}/"
    assert figure.select_one("figcaption.qr__address").has_attr("hidden")
    assert page.select_one('a.js-station[aria-current="page"]')["data-slug"] == station.slug


def test_a_werkblad_types_the_address_of_its_qr_code_for_whoever_cannot_scan() -> None:
    settings = replace(Settings(), content_dir=VALID, base_url="https://gids.example.nl/zevenstops/")
    with TestClient(create_app(settings)) as client:
        page = soup(client.get("/stops/orde/werkblad/"))
    figure = page.select_one("figure.qr--worksheet")
    assert not figure.has_attr("data-module")
    assert (
        figure.select_one("img.worksheet__qr")["alt"]
        == "QR-code naar deze halte online: gids.example.nl/zevenstops/stops/orde"
    )
    caption = figure.select_one("figcaption.qr__address")
    assert not caption.has_attr("hidden") and caption.get_text() == "gids.example.nl/zevenstops/stops/orde"


def test_the_station_page_and_the_map_link_to_them(client: TestClient) -> None:
    station = soup(client.get("/stops/orde/"))
    assert (
        station.select_one('.handout__actions a[href="../../stops/orde/werkblad/"]').text == "Werkblad voor het gesprek"
    )
    home = soup(client.get("/"))
    assert home.select_one('.page-actions a[href="scan/"]').text == "Samenwerkingsscan"


def test_the_export_holds_them_without_a_server(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(replace(Settings(), content_dir=VALID), out, pdf=False)
    scan = soup_file(out / "scan" / "index.html")
    assert scan.select_one(".scan__nojs a")["href"] == "../scan/papier/index.html"
    assert (out / "scan" / "papier" / "index.html").is_file()
    werkblad = soup_file(out / "stops" / "orde" / "werkblad" / "index.html")
    assert werkblad.select_one("img.worksheet__qr") is None  # no public address: no QR code
    present = soup_file(out / "present" / "index.html")
    assert present.select_one("form.live-start") is None  # no server to start a live session on


def soup_file(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")
