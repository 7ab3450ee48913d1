"""Routes, status codes and the structure of the pages, on the small fixture guide."""

from __future__ import annotations

import gzip
import re
from dataclasses import replace

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.config import Settings
from app.web import create_app
from tests.conftest import VALID, soup

STATIONS = [
    {
        "href": "#ambitie",
        "label": "1 Ambitie — Gemeenschappelijke ambitie, halte 1 van 3",
        "number": "1",
        "text": "Ambitie",
    },
    {
        "href": "#orde",
        "label": "2 Orde in proces en structuur, halte 2 van 3",
        "number": "2",
        "text": "Orde in proces en structuur",
    },
    {"href": "#leiderschap", "label": "3 Leiderschap, halte 3 van 3", "number": "3", "text": "Leiderschap"},
]


def map_links(page, orientation: str) -> list[dict[str, str]]:
    svg = page.select_one(f"svg.metro-map__svg--{orientation}")
    return [
        {
            "href": a["href"],
            "label": a["aria-label"],
            "number": a.select_one(".metro-map__number").get_text(),
            "text": " ".join(a.select_one(".metro-map__label").stripped_strings),
        }
        for a in svg.select("a.metro-map__station")
    ]


def test_map_page_has_the_line_in_both_layouts(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = soup(response)
    assert map_links(page, "horizontal") == STATIONS
    assert map_links(page, "vertical") == STATIONS
    for orientation in ("horizontal", "vertical"):
        svg = page.select_one(f"svg.metro-map__svg--{orientation}")
        terminals = [(a["href"], a.get_text(strip=True), a["aria-label"]) for a in svg.select("a.metro-map__terminal")]
        assert terminals == [
            ("#vertrek", "Samenwerking", "Beginstation: Samenwerking"),
            ("#bestemming", "Draagvlak", "Eindstation: Draagvlak"),
        ]


def test_every_station_link_has_its_content_on_the_map_page(client: TestClient) -> None:
    """Without JavaScript a station link jumps to its section: every target must exist."""
    page = soup(client.get("/"))
    for link in page.select("a.metro-map__station, a.metro-map__terminal"):
        target = page.select_one(link["href"])
        assert target is not None, link["href"]
    panel = page.select_one("section#orde")
    assert panel.select_one("h2").get_text() == "Orde in proces en structuur"
    assert "Halte 2 van 3" in panel.select_one(".station__eyebrow").get_text()
    assert panel.select_one(".station__statement strong").get_text() == "Stelling 2"
    assert [h.get_text() for h in panel.select("h3")] == [
        "Toelichting",
        "Citaten",
        "Praktijkvoorbeelden",
        "Gespreksvragen",
        "Bronnen",
    ]
    assert [h.get_text() for h in panel.select("h4")] == ["Voorbeeld A van halte 2", "Voorbeeld B van halte 2"]
    nav = [(a["href"], " ".join(a.stripped_strings)) for a in panel.select(".station__nav a")]
    assert nav == [
        ("#ambitie", "← Vorige halte: 1. Gemeenschappelijke ambitie"),
        ("#leiderschap", "Volgende halte: 3. Leiderschap →"),
        ("stops/orde/#afdrukken", "Afdrukken : halte 2 als hand-out"),
        ("#kaart", "Sluiten en terug naar de kaart"),
    ]


def test_quotes_and_cases_have_semantic_markup(client: TestClient) -> None:
    panel = soup(client.get("/")).select_one("section#ambitie")
    quotes = [
        (f.select_one("blockquote").get_text(strip=True), f.select_one("figcaption").get_text(" ", strip=True))
        for f in panel.select("figure.quote")
    ]
    assert quotes == [
        ("\u201cEerste citaat van halte 1.\u201d", "— Testbron, p. 1"),
        ("\u201cTweede citaat van halte 1.\u201d", "— wethouder , Testbron, hoofdstuk 1"),
        ("\u201cDerde citaat van halte 1.\u201d", "— gemeentesecretaris , Testbron, p. 2"),
    ]
    case = panel.select_one("article.case")
    assert case.select_one(".case__where").get_text(" ", strip=True) == "Waar: Gemeente Testdorp"
    assert case.select_one(".case__lesson").get_text(" ", strip=True) == "Les: Les A van halte 1."
    assert case.select_one(".case__body").get_text(strip=True) == "Wat er gebeurde in voorbeeld A."


def test_internal_links_point_to_the_station(client: TestClient) -> None:
    home = soup(client.get("/"))
    assert home.select_one("section#ambitie .station__section a")["href"] == "#leiderschap"
    page = soup(client.get("/stops/ambitie/"))
    assert page.select_one(".station__section a")["href"] == "../../stops/leiderschap/"


def test_station_page_marks_you_are_here(client: TestClient) -> None:
    response = client.get("/stops/orde/")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1").get_text() == "Orde in proces en structuur"
    assert page.title.get_text() == "Halte 2: Orde in proces en structuur — Testgids"
    for svg in page.select("svg.metro-map__svg"):
        current = svg.select('a[aria-current="page"]')
        assert [a["aria-label"] for a in current] == ["2 Orde in proces en structuur, halte 2 van 3"]
        assert "metro-map__station--current" in current[0]["class"]
        assert current[0].select_one(".metro-map__here") is None  # beside the link: not part of its name
        here = current[0].find_next_sibling()
        assert here is not None and here.get_text() == "u bent hier" and "metro-map__here" in here["class"]
    assert [svg["class"][1] for svg in page.select("svg.metro-map__svg")] == [
        "metro-map__svg--horizontal",
        "metro-map__svg--strip",
    ]
    links = [a["href"] for a in page.select("svg.metro-map__svg--horizontal a.metro-map__station")]
    assert links == ["../../stops/ambitie/", "../../stops/orde/", "../../stops/leiderschap/"]
    assert [a["href"] for a in page.select(".station__nav a")] == [
        "../../stops/ambitie/",
        "../../stops/leiderschap/",
        "../../",
    ]


def test_every_page_references_existing_assets(client: TestClient) -> None:
    for path in ("/", "/stops/orde/"):
        page = soup(client.get(path))
        refs = [
            tag.get("href") or tag.get("src") for tag in page.select("link[href]:not([rel=alternate]), script[src]")
        ]
        assert len(refs) == 3
        for ref in refs:
            url = "/" + ref.removeprefix("../../")
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_unknown_paths_get_a_dutch_404_page(client: TestClient) -> None:
    for path in ("/bestaat-niet", "/stops/onbekend", "/stops/orde/extra", "/static/../app/web.py", "/static/nope.css"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        page = soup(response)
        assert page.html["lang"] == "nl"
        assert page.select_one("h1").get_text() == "Deze pagina bestaat niet"
        assert [a["href"] for a in page.select(".error-page a")] == [
            "/",
            "/stops/ambitie/",
            "/stops/orde/",
            "/stops/leiderschap/",
        ]


def test_health_and_favicon(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["content"]["stations"] == 3 and len(health["content"]["version"]) == 12
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 200 and favicon.headers["content-type"].startswith("image/svg+xml")


def test_security_headers_on_pages_and_errors(client: TestClient) -> None:
    for path in ("/", "/stops/orde/", "/nope", "/healthz"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "frame-ancestors 'self'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert headers["x-frame-options"] == "SAMEORIGIN"


def test_etag_gives_304_and_gzip_is_served(client: TestClient) -> None:
    first = client.get("/", headers={"accept-encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["vary"] == "Accept-Encoding"
    raw = client.get("/", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers
    assert len(gzip.compress(raw.content)) < len(raw.content) / 3
    again = client.get("/", headers={"accept-encoding": "gzip", "if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""


def test_brotli_where_asked_for_and_smaller(client: TestClient) -> None:
    import brotli

    raw = client.get("/", headers={"accept-encoding": "identity"}).content
    br = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert br.headers["content-encoding"] == "br"
    # httpx decodes br when the brotli package is there; compare the decoded page either way
    assert br.content == raw or brotli.decompress(br.content) == raw
    refused = client.get("/", headers={"accept-encoding": "gzip, br;q=0"})
    assert refused.headers["content-encoding"] == "gzip"
    assert client.get("/", headers={"accept-encoding": "deflate"}).headers.get("content-encoding") is None


def test_presentation_pages(client: TestClient) -> None:
    redirect = client.get("/present", follow_redirects=False)
    assert redirect.status_code == 308 and redirect.headers["location"] == "present/"
    start = soup(client.get("/present/"))
    slides = start.select("section.js-slide")
    assert [s.get("data-href") for s in slides] == [
        "../present/",
        "../present/ambitie/",
        "../present/ambitie/#vragen",  # each stop's second view: its discussion questions
        "../present/orde/",
        "../present/orde/#vragen",
        "../present/leiderschap/",
        "../present/leiderschap/#vragen",
    ]
    assert [s.has_attr("hidden") for s in slides] == [False, True, True, True, True, True, True]
    assert start.select_one("img.slide__qr")["src"] == "../qr/gids.svg"
    stop = soup(client.get("/present/orde/"))
    # Without JavaScript a stop's page shows its statement and, under it, its questions.
    assert [s.has_attr("hidden") for s in stop.select("section.js-slide")] == [
        True,
        True,
        True,
        False,
        False,
        True,
        True,
    ]
    current = stop.select("a[aria-current]")
    assert [a["href"] for a in current] == ["../../present/orde/"]  # the line links to slides
    controls = [(a["href"], a.get_text(strip=True)) for a in stop.select(".deck__controls a")]
    assert controls == [
        ("../../present/ambitie/", "← Vorige"),
        ("../../present/leiderschap/", "Volgende →"),
        ("../../#orde", "Stoppen"),
    ]
    last = soup(client.get("/present/leiderschap/"))
    assert [(a["href"], a.get_text(strip=True)) for a in last.select(".js-deck-next")] == [("../../", "Naar de kaart")]


def test_qr_codes_lead_to_the_guide(client: TestClient) -> None:
    response = client.get("/qr/orde.svg")
    assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
    svg = BeautifulSoup(response.text, "html.parser")
    assert svg.select_one("title").get_text() == "QR-code: testserver/stops/orde"
    assert client.get("/qr/gids.svg").status_code == 200
    assert client.get("/qr/onbekend.svg").status_code == 404


def test_qr_code_is_decodable_by_segno_round_trip() -> None:
    """The QR path is segno's own output: the same URL gives the same modules."""
    import segno

    from app.qr import qr_svg

    url = "https://gids.gemeente.nl/stops/orde"
    expected = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, dark="#000")
    path = re.search(r'd="([^"]+)"', expected).group(1)
    assert path in qr_svg(url).decode()


def test_booklet_has_every_station_and_the_colophon(client: TestClient) -> None:
    page = soup(client.get("/print/"))
    assert page.select_one("h1").get_text(" ", strip=True) == "Testgids Drie stops voor de tests"
    stations = page.select("article.booklet__station")
    assert [a.select_one("h2.station__title").get_text() for a in stations] == [
        "Gemeenschappelijke ambitie",
        "Orde in proces en structuur",
        "Leiderschap",
    ]
    for article, slug in zip(stations, ["ambitie", "orde", "leiderschap"]):
        assert article.select_one("img.station__qr")["src"] == f"../qr/{slug}.svg"
        assert [a["aria-label"] for a in article.select("a[aria-current]")] != []
    assert page.select_one(".booklet__about h2#colofon-titel") is not None


def test_station_page_offers_print_and_pdf(client: TestClient) -> None:
    page = soup(client.get("/stops/orde/"))
    assert page.select_one("img.station__qr")["src"] == "../../qr/orde.svg"
    actions = [a["href"] for a in page.select(".handout__actions a")]
    assert actions == ["../../stops/orde.pdf", "../../stops/orde/werkblad/", "../../print/"]
    assert page.select_one(".handout__source").get_text(strip=True).endswith("p. 10.")


def test_pdf_without_chromium_is_a_clear_503(client: TestClient, monkeypatch) -> None:
    monkeypatch.setenv("ZEVENSTOPS_CHROMIUM", "/nonexistent/chromium")
    response = client.get("/stops/onbekend.pdf")
    assert response.status_code == 404
    response = client.get("/stops/orde.pdf")
    assert response.status_code == 503
    page = soup(response)
    assert page.select_one("h1").get_text() == "De pdf kan nu niet gemaakt worden"
    assert "apt-get install chromium" in page.get_text()


def test_no_in_page_link_points_nowhere(client: TestClient) -> None:
    for path in ("/", "/embed/", "/stops/orde/", "/print/", "/present/", "/present/orde/", "/docs"):
        page = soup(client.get(path))
        ids = {tag["id"] for tag in page.select("[id]")}
        dangling = [a["href"] for a in page.select('a[href^="#"]') if a["href"][1:] not in ids]
        assert dangling == [], path


def test_the_accessibility_statement_is_linked_from_every_page(client: TestClient) -> None:
    for path, link in (
        ("/", "toegankelijkheid/"),
        ("/stops/orde/", "../../toegankelijkheid/"),
        ("/embed/", "../toegankelijkheid/"),
        ("/print/", "../toegankelijkheid/"),
        ("/docs", "toegankelijkheid/"),
    ):
        hrefs = [
            a["href"]
            for a in soup(client.get(path)).select("a")
            if a.get_text(strip=True).startswith("Toegankelijkheid")
        ]
        assert hrefs == [link], path
    page = soup(client.get("/toegankelijkheid/"))
    assert page.select_one("h1").get_text() == "Toegankelijkheidsverklaring"
    assert [h.get_text() for h in page.select(".statement__section h2")][:2] == [
        "Waar gaat deze verklaring over",
        "Standaard",
    ]
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in page.select(".statement__facts dt")}
    assert list(facts) == [
        "Organisatie",
        "Status",
        "Getest door de makers",
        "Eigen controle door de organisatie",
        "Opgesteld op",
    ]
    assert facts["Status"].get_text(strip=True).endswith("aan WCAG 2.2 niveau AA")
    # No organisation set: the page asks for it, for the reader and for the administrator.
    assert "statement__missing" in facts["Organisatie"]["class"]
    assert "ZEVENSTOPS_ORGANISATION" in facts["Organisatie"].get_text()
    assert facts["Opgesteld op"].select_one("time")["datetime"] == "2999-01-01"
    assert [a["href"] for a in page.select(".statement__contact a")] == ["mailto:toegankelijkheid@testdorp.nl"]


def test_the_statement_names_the_publishing_organisation_when_it_is_set() -> None:
    settings = replace(Settings(), content_dir=VALID, organisation="Gemeente Testdorp")
    with TestClient(create_app(settings)) as client:
        page = soup(client.get("/toegankelijkheid/"))
    organisation = page.select_one(".statement__facts dd")
    assert organisation.get_text(strip=True) == "Gemeente Testdorp"
    # Only the organisation's own check is still asked for: the fixture statement has none.
    missing = page.select(".statement__facts .statement__missing")
    assert [dd.find_previous_sibling("dt").get_text() for dd in missing] == ["Eigen controle door de organisatie"]


def test_the_statement_asks_for_a_contact_or_shows_the_configured_one(content_copy) -> None:
    statement = content_copy / "toegankelijkheid.md"
    statement.write_text(re.sub(r"^contact:.*\n", "", statement.read_text(), flags=re.MULTILINE))
    with TestClient(create_app(replace(Settings(), content_dir=content_copy))) as client:
        page = soup(client.get("/toegankelijkheid/"))
        # Without a contact the page says so, for the reader and for the administrator.
        assert "ZEVENSTOPS_CONTACT" in page.select_one(".statement__contact .statement__missing").get_text()
    settings = replace(Settings(), content_dir=content_copy, contact="toegankelijkheid@gemeente.nl")
    with TestClient(create_app(settings)) as client:
        page = soup(client.get("/toegankelijkheid/"))
        assert [a["href"] for a in page.select(".statement__contact a")] == ["mailto:toegankelijkheid@gemeente.nl"]
        assert page.select(".statement__contact .statement__missing") == []


def test_the_embed_is_compact_and_its_summary_comes_from_the_content(client: TestClient) -> None:
    from app.content import load_guide
    from app.markdown import ContentHtml

    page = soup(client.get("/embed/"))
    station = load_guide(VALID).stations[1]
    panel = page.select_one(f"section#{station.slug}")
    # The statement and the Toelichting's first paragraph, nothing more of the stop's text.
    headings = [h.get_text(" ", strip=True) for h in panel.select("h2, h3, h4")]
    assert headings == [station.title]
    first = station.explanation.strip().split("\n\n")[0]
    expected = BeautifulSoup(ContentHtml().block(first, level=3), "html.parser").get_text(" ", strip=True)
    assert panel.select_one(".station__summary").get_text(" ", strip=True) == expected
    onward = [(a.get_text(" ", strip=True), a["href"], a.get("target")) for a in panel.select(".embed__onward a")]
    assert [(text.split(":")[0].strip(), href, target) for text, href, target in onward] == [
        ("Lees verder in de gids", f"../stops/{station.slug}/", "_blank"),
        ("Hand-out afdrukken", f"../stops/{station.slug}/#afdrukken", "_blank"),
        (f"Pdf van halte {station.number} (opent in een nieuw venster)", f"../stops/{station.slug}.pdf", "_blank"),
    ]
    # The terminals' texts are on the map page, which may not be framed: it opens apart.
    terminals = {(a["href"], a.get("target")) for a in page.select("a.metro-map__terminal")}
    assert terminals == {("../#vertrek", "_blank"), ("../#bestemming", "_blank")}


def test_the_insluiten_snippet_is_centred_in_its_column(client: TestClient) -> None:
    snippet = soup(client.get("/")).select_one("#embed-snippet").get_text()
    frame = BeautifulSoup(snippet, "html.parser").select_one("iframe")
    style = dict(part.split(":", 1) for part in frame["style"].split(";") if part)
    assert (style["display"], style["margin"], style["max-width"]) == ("block", "0 auto", "800px")


def test_the_start_slide_says_how_many_stops_the_line_has(client: TestClient) -> None:
    """The lead named no number: `total` was set outside the start slide's block, which cannot see it."""
    lead = soup(client.get("/present/")).select_one(".slide--start .slide__lead").get_text()
    assert lead.startswith("3 haltes van samenwerking naar draagvlak."), lead


def test_each_pdf_route_prints_its_page_under_its_file_name(monkeypatch) -> None:
    from app import pdf

    printed: list[str] = []

    async def fake_print(self, base_url: str, page_path: str, fetch) -> bytes:
        printed.append(page_path)
        return b"%PDF-1.7 " + page_path.encode()

    monkeypatch.setattr(pdf.PdfPrinter, "print_pdf", fake_print)
    client = TestClient(create_app(replace(Settings(), content_dir=VALID, base_url="https://gids.example/")))
    names = {}
    for path in ("/stops/orde.pdf", "/stops/orde/werkblad.pdf", "/guide.pdf", "/scan/papier.pdf"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "application/pdf", path
        names[path] = response.headers["content-disposition"]
    assert names == {
        "/stops/orde.pdf": 'inline; filename="halte-2-orde.pdf"',
        "/stops/orde/werkblad.pdf": 'inline; filename="werkblad-2-orde.pdf"',
        "/guide.pdf": 'inline; filename="zeven-stops.pdf"',
        "/scan/papier.pdf": 'inline; filename="samenwerkingsscan-op-papier.pdf"',
    }
    assert printed == ["stops/orde/", "stops/orde/werkblad/", "print/", "scan/papier/"]
    for unknown in ("/stops/onbekend.pdf", "/stops/onbekend/werkblad.pdf"):
        assert client.get(unknown).status_code == 404, unknown
