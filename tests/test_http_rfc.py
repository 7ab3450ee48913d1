"""HTTP as the RFCs say: validators per representation, fixed bodies with a length, PDFs with
ranges, a caching policy on every JSON answer, robots.txt and sitemap.xml; httplint over each
kind of response, on the real server (uvicorn), failing on any message of its highest severity.
"""

from __future__ import annotations

import http.client
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient
from httplint import HttpRequestLinter, HttpResponseLinter
from httplint.note import levels

from app.build import build_site
from app.config import Settings
from app.export import export_files
from app.pdf import PdfService
from app.web import create_app
from tests.conftest import VALID, LiveServer

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # stands in for a printed handout


@pytest.fixture(autouse=True)
def printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDFs without Chromium: every print gives the same bytes."""

    async def get(self: PdfService, site: object, page_path: str, base_url: str) -> bytes:
        return PDF

    monkeypatch.setattr(PdfService, "get", get)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with LiveServer(replace(Settings(), content_dir=VALID, base_url="http://gids.example/")) as live:
        yield live


@dataclass
class Raw:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes  # as sent (compressed if so encoded)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)


def fetch(server: LiveServer, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> Raw:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Raw(response.status, response.reason, response.getheaders(), response.read())
    finally:
        connection.close()


def lint(server: LiveServer, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> list[str]:
    """httplint's messages of its two highest severities (BAD, WARN) for this exchange."""
    answer = fetch(server, path, headers, method)
    request = HttpRequestLinter()
    request.process_request_topline(method.encode(), f"{server.url}{path}".encode(), b"1.1")
    request.process_headers([(k.encode(), v.encode()) for k, v in (headers or {}).items()])
    request.finish_content(True)
    response = HttpResponseLinter()
    response.request = request
    response.process_response_topline(b"1.1", str(answer.status).encode(), answer.reason.encode())
    response.process_headers([(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers])
    response.feed_content(answer.body)
    response.finish_content(True)
    notes = []
    for note in response.notes:
        notes += [f"{note.level.name}: {note.summary}"]
        notes += [f"  {sub.level.name}: {sub.summary}" for sub in note.subnotes]
    return [n for n in notes if n.strip().startswith((levels.BAD.name, levels.WARN.name))]


GZ = {"accept-encoding": "gzip"}
BR = {"accept-encoding": "br"}

EXCHANGES = [
    ("page", "/", GZ),
    ("page, brotli", "/stops/orde/", BR),
    ("page, plain", "/stops/orde/", {}),
    ("css", "/static/app.css", GZ),
    ("js", "/static/app.js", GZ),
    ("svg", "/favicon.ico", {}),
    ("qr", "/qr/orde.svg", {}),
    ("pdf", "/stops/orde.pdf", {}),
    ("pdf 206", "/stops/orde.pdf", {"range": "bytes=0-99"}),
    ("pdf 416", "/stops/orde.pdf", {"range": "bytes=999999-"}),
    ("redirect", "/embed", {}),
    ("404", "/bestaat-niet", {}),
    ("json api", "/api/stops", GZ),
    ("json stop", "/api/stops/orde", GZ),
    ("openapi", "/openapi.json", GZ),
    ("oembed", "/oembed?url=http%3A%2F%2Fgids.example%2Fstops%2Forde%2F", {}),
    ("healthz", "/healthz", {}),
    ("robots", "/robots.txt", {}),
    ("sitemap", "/sitemap.xml", {}),
]


@pytest.mark.parametrize(("kind", "path", "headers"), EXCHANGES, ids=[e[0] for e in EXCHANGES])
def test_httplint_finds_nothing_bad(server: LiveServer, kind: str, path: str, headers: dict[str, str]) -> None:
    assert lint(server, path, headers) == []


@pytest.mark.parametrize("path", ["/", "/static/app.css", "/stops/orde.pdf"])
def test_httplint_finds_nothing_bad_in_a_304(server: LiveServer, path: str) -> None:
    etag = fetch(server, path, GZ).header("etag")
    assert etag is not None
    not_modified = fetch(server, path, {**GZ, "if-none-match": etag})
    assert not_modified.status == 304 and not_modified.header("etag") == etag
    assert not_modified.header("content-type") is None  # only what updates the stored response
    assert lint(server, path, {**GZ, "if-none-match": etag}) == []


def brotli_of(server: LiveServer, path: str) -> Raw:
    """The brotli body of `path`, once the server's background compression has made it (gzip until then)."""
    deadline = time.monotonic() + 60
    while (answer := fetch(server, path, BR)).header("content-encoding") != "br" and time.monotonic() < deadline:
        time.sleep(0.1)  # the brotli thread has no event to wait on from here
    return answer


def test_each_encoding_has_its_own_etag_and_if_none_match_compares_it(server: LiveServer) -> None:
    for path in ("/", "/static/app.css", "/static/app.js"):
        brotli = brotli_of(server, path)
        plain, gzipped = (fetch(server, path, h) for h in ({}, GZ))
        assert (gzipped.header("content-encoding"), brotli.header("content-encoding")) == ("gzip", "br"), path
        tags = [plain.header("etag"), gzipped.header("etag"), brotli.header("etag")]
        assert len(set(tags)) == 3, tags
        assert all(tag and tag.startswith('"') for tag in tags)  # strong: the bytes differ, so do the tags
        # The plain body's tag does not validate the gzip body, and the other way round.
        assert fetch(server, path, {**GZ, "if-none-match": tags[0]}).status == 200
        assert fetch(server, path, {"if-none-match": tags[1]}).status == 200
        assert fetch(server, path, {**GZ, "if-none-match": f'"x", W/{tags[1]}'}).status == 304


def http10(server: LiveServer, path: str) -> bytes:
    """The raw answer to an HTTP/1.0 request, as an old proxy or a health checker sends it."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/embed", "/api/stops/", "/", "/stops/orde.pdf", "/api/stops", "/bestaat-niet"])
def test_no_chunked_encoding_to_an_http10_client(server: LiveServer, path: str) -> None:
    head, _, body = http10(server, path).partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    fields = dict(line.split(b": ", 1) for line in lines[1:])
    assert b"transfer-encoding" not in fields, lines[0]
    assert int(fields[b"content-length"]) == len(body), lines[0]


def test_pdf_validators_ranges_and_304(server: LiveServer) -> None:
    whole = fetch(server, "/stops/orde.pdf")
    assert whole.status == 200 and whole.body == PDF
    assert whole.header("accept-ranges") == "bytes"
    etag = whole.header("etag")
    assert etag and etag.startswith('"')
    assert fetch(server, "/stops/orde.pdf", {"if-none-match": etag}).status == 304
    part = fetch(server, "/stops/orde.pdf", {"range": "bytes=10-19"})
    assert (part.status, part.body, part.header("content-range")) == (206, PDF[10:20], f"bytes 10-19/{len(PDF)}")
    tail = fetch(server, "/stops/orde.pdf", {"range": "bytes=-7"})
    assert (tail.status, tail.body) == (206, PDF[-7:])
    beyond = fetch(server, "/stops/orde.pdf", {"range": f"bytes={len(PDF)}-"})
    assert (beyond.status, beyond.header("content-range")) == (416, f"bytes */{len(PDF)}")
    # A range of a PDF that changed meanwhile (If-Range no longer matches) is the whole new PDF.
    stale = fetch(server, "/stops/orde.pdf", {"range": "bytes=0-9", "if-range": '"ouder"'})
    assert (stale.status, stale.body) == (200, PDF)
    matching = fetch(server, "/stops/orde.pdf", {"range": "bytes=0-9", "if-range": etag})
    assert (matching.status, matching.body) == (206, PDF[:10])
    several = fetch(server, "/stops/orde.pdf", {"range": "bytes=0-9,20-29"})
    assert (several.status, several.body) == (200, PDF)


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/api/stops", "max-age=300"),
        ("/api/stops/orde", "max-age=300"),
        ("/api/stops/onbekend", "no-store"),
        ("/oembed?url=http%3A%2F%2Fgids.example%2F", "max-age=300"),
        ("/oembed?url=http%3A%2F%2Felders.example%2F", "no-store"),
        ("/openapi.json", "no-store"),
        ("/healthz", "no-store"),
    ],
)
def test_every_json_answer_says_how_it_may_be_cached(server: LiveServer, path: str, policy: str) -> None:
    answer = fetch(server, path)
    assert answer.header("content-type") == "application/json"
    assert answer.header("cache-control") == policy


def test_robots_and_sitemap_at_the_public_address(server: LiveServer) -> None:
    robots = fetch(server, "/robots.txt")
    assert robots.header("content-type") == "text/plain; charset=utf-8"
    assert robots.body.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /s/",
        "Disallow: /sessies/",
        "Sitemap: http://gids.example/sitemap.xml",
    ]
    sitemap = fetch(server, "/sitemap.xml")
    assert sitemap.header("content-type") == "application/xml; charset=utf-8"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in ET.fromstring(sitemap.body).findall("s:url/s:loc", ns)]
    assert "http://gids.example/" in locations and "http://gids.example/stops/orde/" in locations
    assert "http://gids.example/embed/" not in locations  # made for another site's frame
    assert all(fetch(server, loc.removeprefix("http://gids.example")).status == 200 for loc in locations if loc)


def test_robots_under_a_sub_path_and_without_a_base_url() -> None:
    settings = replace(Settings(), content_dir=VALID, base_url="https://intranet.example/zevenstops/")
    files = export_files(build_site(settings, export=True))
    assert files["robots.txt"].decode().splitlines()[1:3] == [
        "Disallow: /zevenstops/s/",
        "Disallow: /zevenstops/sessies/",
    ]
    assert b"<loc>https://intranet.example/zevenstops/stops/orde/</loc>" in files["sitemap.xml"]
    bare = export_files(build_site(replace(settings, base_url=""), export=True))
    assert "robots.txt" in bare and "sitemap.xml" not in bare  # a sitemap needs full addresses
    with TestClient(create_app(replace(settings, base_url=""))) as client:
        assert client.get("/sitemap.xml").status_code == 404
        assert client.get("/robots.txt").text.splitlines()[:3] == [
            "User-agent: *",
            "Disallow: /s/",
            "Disallow: /sessies/",
        ]
