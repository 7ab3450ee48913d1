"""JSON API and oEmbed: validated against the app's own OpenAPI schema."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
import schemathesis
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from app.config import Settings
from app.web import create_app
from tests.conftest import REAL_CONTENT, VALID, soup


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict:
    return client.get("/openapi.json").json()


def validate(openapi: dict, name: str, instance: object) -> None:
    """Validate against a component schema, resolving $refs within the document."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": openapi["components"]}
    jsonschema.validate(instance, schema)


def test_list_of_stops(client: TestClient, openapi: dict) -> None:
    body = client.get("/api/stops").json()
    validate(openapi, "StopList", body)
    assert [(s["number"], s["slug"], s["label"]) for s in body["stops"]] == [
        (1, "ambitie", "Ambitie"),
        (2, "orde", "Orde in proces en structuur"),
        (3, "leiderschap", "Leiderschap"),
    ]
    assert body["stops"][1]["url"] == "http://testserver/api/stops/orde"


def test_one_stop(client: TestClient, openapi: dict) -> None:
    body = client.get("/api/stops/ambitie").json()
    validate(openapi, "Stop", body)
    assert body["title"] == "Gemeenschappelijke ambitie"
    assert body["statement_html"] == "<p><strong>Stelling 1</strong>: de uitspraak van halte 1 zoals op de kaart.</p>\n"
    assert [(q["who"], q["source"]) for q in body["quotes"]] == [
        (None, "Testbron, p. 1"),
        ("wethouder", "Testbron, hoofdstuk 1"),
        ("gemeentesecretaris", "Testbron, p. 2"),
    ]
    assert body["quotes"][0]["html"] == "<p>\u201cEerste citaat van halte 1.\u201d</p>\n"  # as the schema says
    assert body["examples"][0] == {
        "title": "Voorbeeld A van halte 1",
        "where": "Gemeente Testdorp",
        "html": "<p>Wat er gebeurde in voorbeeld A.</p>\n",
        "lesson": "Les A van halte 1.",
        "source": "Testbron, p. 1",
    }
    assert body["questions"] == [
        "Stelling: Vraag een van halte 1.",
        "Stelling: Vraag twee van halte 1.",
        "Vraag drie van halte 1?",
    ]
    assert '<a href="http://testserver/stops/leiderschap/">halte 3</a>' in body["explanation_html"]
    assert body["urls"] == {
        "page": "http://testserver/stops/ambitie/",
        "embed": "http://testserver/embed/?stop=ambitie",
        "pdf": "http://testserver/stops/ambitie.pdf",
    }


def test_unknown_stop_is_a_json_404(client: TestClient, openapi: dict) -> None:
    response = client.get("/api/stops/onbekend")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    validate(openapi, "ApiError", response.json())
    assert client.get("/api/nergens").json() == {"detail": "Niet gevonden."}


def test_oembed_for_the_map_and_a_stop(client: TestClient, openapi: dict) -> None:
    body = client.get("/oembed", params={"url": "http://testserver/stops/orde", "maxwidth": 400}).json()
    validate(openapi, "OEmbed", body)
    assert (body["type"], body["version"], body["width"], body["height"]) == ("rich", "1.0", 400, 640)
    frame = soup_fragment(body["html"]).select_one("iframe")
    assert frame["src"] == "http://testserver/embed/?stop=orde"
    assert frame["title"] == "Testgids: halte 2, Orde in proces en structuur"
    home = client.get("/oembed", params={"url": "http://testserver/", "format": "json", "maxheight": 300}).json()
    assert soup_fragment(home["html"]).select_one("iframe")["src"] == "http://testserver/embed/"
    assert home["height"] == 300


def test_oembed_errors(client: TestClient) -> None:
    assert client.get("/oembed", params={"url": "https://elders.example/stops/orde"}).status_code == 404
    assert client.get("/oembed", params={"url": "http://testserver/stops/onbekend"}).status_code == 404
    assert client.get("/oembed", params={"url": "http://testserver/", "format": "xml"}).status_code == 501
    assert client.get("/oembed").status_code == 422


def test_every_page_has_working_oembed_discovery(client: TestClient) -> None:
    for path in ("/", "/stops/orde/", "/embed/", "/present/", "/print/"):
        link = soup(client.get(path)).select_one('link[rel="alternate"][type="application/json+oembed"]')
        target = urlsplit(link["href"])
        endpoint = "/" + target.path.lstrip("./").lstrip("/")
        response = client.get(endpoint, params=parse_qs(target.query))
        assert response.status_code == 200, path
        assert response.json()["type"] == "rich"


def test_only_embeddable_pages_offer_oembed(tmp_path) -> None:
    """Opt-in: the pages an intranet embeds; not the statement, privacy, docs, scan, sessions or a 404."""
    from dataclasses import replace

    from app.config import Settings
    from app.web import create_app
    from tests.conftest import VALID
    from tests.sessions.helpers import deck_path, start

    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 's.db'}")
    with TestClient(create_app(settings)) as client:
        deck = start(client)
        pages = {
            path: soup(client.get(path))
            for path in (
                "/toegankelijkheid/",
                "/privacy",
                "/docs",
                "/scan/",
                "/scan/papier/",
                "/stops/orde/werkblad/",
                "/s/",
                f"/s/{deck.code}",
                deck_path(deck),
                "/bestaat-niet/",
            )
        }
    for path, page in pages.items():
        assert page.select('link[type="application/json+oembed"]') == [], path


def test_docs_are_served_from_this_origin(client: TestClient) -> None:
    page = soup(client.get("/docs"))
    sources = [tag.get("src") or tag.get("href") for tag in page.select("script[src], link[href]")]
    assert sources and not [s for s in sources if "//" in s], sources  # nothing from elsewhere
    for source in sources:
        assert client.get("/" + source).status_code == 200
    csp = client.get("/docs").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def soup_fragment(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(replace(Settings(), content_dir=VALID)))


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case) -> None:
    """schemathesis: responses match the documented schemas; no 5xx but oEmbed's own 501."""
    response = case.call_and_validate(excluded_checks=[schemathesis.checks.not_a_server_error])
    unsupported_format = case.path == "/oembed" and (case.query or {}).get("format", "json") != "json"
    assert response.status_code < 500 or (response.status_code == 501 and unsupported_format)


def test_docs_page_is_rendered_from_the_schema(client: TestClient, openapi: dict) -> None:
    page = soup(client.get("/docs"))
    assert page.html["lang"] == "nl"
    headings = [h.get_text(" ", strip=True) for h in page.select(".docs__operation h2")]
    expected = [f"{method.upper()} {path}" for path, item in openapi["paths"].items() for method in item]
    assert headings == expected
    assert page.select("script:not([src])") == [page.select_one("script:not([src])")]  # only the bootstrap
    models = [h.get_text() for h in page.select("#modellen ~ h3, section h3")]
    assert "Stop" in models and "OEmbed" in models
    stop_fields = [r.select_one("th").get_text() for r in page.select("#model-Stop + div table tbody tr")]
    assert stop_fields[:3] == ["number", "slug", "title"]
    csp = client.get("/docs").headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp


@pytest.mark.parametrize("content", ["fixture", "real"])
def test_quotes_are_the_ones_the_page_shows(content: str, client: TestClient) -> None:
    """The API's quotes come from the same rendering as the station page: same text, same marks."""
    with (
        TestClient(create_app(replace(Settings(), content_dir=REAL_CONTENT)))
        if content == "real"
        else nullcontext(client) as used
    ):
        for summary in used.get("/api/stops").json()["stops"]:
            api = used.get(f"/api/stops/{summary['slug']}").json()["quotes"]
            page = soup(used.get(f"/stops/{summary['slug']}/")).select("main blockquote.quote__text")
            assert len(api) == len(page) > 0
            for given, shown in zip(api, page, strict=True):
                assert BeautifulSoup(given["html"], "html.parser").get_text().strip() == shown.get_text().strip()
                assert shown.get_text().strip().startswith("\u201c")


def style_of(tag) -> dict[str, str]:
    return dict(part.split(":", 1) for part in tag["style"].split(";") if part)


def test_oembed_html_sizes_itself_within_maxwidth_and_maxheight(client: TestClient) -> None:
    """Pasted verbatim into a host's column: centred, no wider than maxwidth, maxheight tall, growing itself."""
    body = client.get("/oembed", params={"url": "http://testserver/stops/orde", "maxwidth": 500, "maxheight": 700})
    fragment = soup_fragment(body.json()["html"])
    # The same height listener as the "Insluiten" snippet on the map page, so the frame grows.
    snippet = soup(client.get("/")).select_one("textarea.js-embed-snippet").get_text()
    listener = [s.get_text().strip() for s in fragment.select("script")]
    assert listener == [soup_fragment(snippet).select_one("script").get_text().strip()]
    frame = fragment.select_one("iframe")
    style = style_of(frame)
    assert (frame["width"], frame["height"]) == ("500", "640")  # at most the embed's first height
    assert (style["display"], style["width"], style["max-width"], style["margin"]) == (
        "block",
        "100%",
        "500px",
        "0 auto",
    )
    assert style["height"] == "640px"
    small = soup_fragment(client.get("/oembed", params={"url": "http://testserver/", "maxheight": 300}).json()["html"])
    assert style_of(small.select_one("iframe"))["height"] == "300px"
    wide = soup_fragment(client.get("/oembed", params={"url": "http://testserver/"}).json()["html"])
    assert style_of(wide.select_one("iframe"))["max-width"] == "800px"
