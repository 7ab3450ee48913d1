"""Security: headers on every response, GET/HEAD only, no way out of static/, clean answers to
oversized requests, and content that is trusted less than code (Markdown is made safe)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app import build
from app.build import build_site
from app.config import Settings
from app.content import ContentError, load_guide
from app.markdown import ContentHtml
from tests.conftest import VALID, free_port

METRO = Path(sys.executable).parent / "metro"

# -- headers on every response ------------------------------------------------------------------


def csp_directives(value: str) -> dict[str, list[str]]:
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response: httpx.Response) -> None:
    headers = response.headers
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    assert "content-security-policy" in headers, where
    csp = csp_directives(headers["content-security-policy"])
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, f"{where}: no script-src nor default-src"
    for directive in ("script-src", "script-src-elem", "script-src-attr", "default-src"):
        sources = csp.get(directive, [])
        assert "'unsafe-inline'" not in sources, f"{where}: {directive} allows inline scripts"
        assert "'unsafe-eval'" not in sources, f"{where}: {directive} allows eval"
        assert not {"*", "data:", "http:", "https:"} & set(sources), f"{where}: {directive} is too wide: {sources}"
    assert csp.get("default-src") == ["'self'"], where
    assert csp.get("object-src") == ["'none'"], where
    assert "frame-ancestors" in csp, f"{where}: CSP without frame-ancestors"
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where
    policy = {
        feature.strip(): allow.strip()
        for feature, _, allow in (item.partition("=") for item in headers.get("permissions-policy", "").split(","))
    }
    for feature in ("camera", "microphone", "geolocation"):
        assert policy.get(feature) == "()", f"{where}: Permissions-Policy does not deny {feature}: {policy}"


@pytest.fixture(scope="module")
def hashed_asset(fixture_settings: Settings) -> str:
    site = build_site(fixture_settings)
    return next(p for p in site.entries if p.startswith("/static/app.") and p.endswith(".css") and p.count(".") == 2)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("HEAD", "/", 200),
        ("GET", "/stops/orde", 200),
        ("GET", "/static/app.css", 200),
        ("GET", "{asset}", 200),
        ("GET", "/favicon.ico", 200),
        ("GET", "/healthz", 200),
        ("GET", "/bestaat-niet", 404),
        ("GET", "/static/bestaat-niet.css", 404),
        ("POST", "/", 405),
        ("DELETE", "{asset}", 405),
    ],
)
def test_every_kind_of_response_carries_the_security_headers(
    client: TestClient, hashed_asset: str, method: str, path: str, status: int
) -> None:
    response = client.request(method, path.format(asset=hashed_asset), headers={"accept-encoding": "gzip"})
    assert response.status_code == status
    assert_security_headers(response)


def test_a_304_carries_the_security_headers_too(client: TestClient, hashed_asset: str) -> None:
    for path in ("/", hashed_asset):
        etag = client.get(path).headers["etag"]
        response = client.get(path, headers={"if-none-match": etag})
        assert response.status_code == 304 and response.content == b""
        assert_security_headers(response)


def test_only_the_map_may_be_framed_by_this_origin(client: TestClient) -> None:
    """Pages may be framed by the guide itself at most (only /embed may allow other origins)."""
    for path in ("/", "/stops/ambitie", "/bestaat-niet"):
        csp = csp_directives(client.get(path).headers["content-security-policy"])
        assert csp["frame-ancestors"] in (["'self'"], ["'none'"]), (path, csp["frame-ancestors"])


# -- only GET and HEAD --------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/stops/ambitie", "{asset}", "/healthz", "/bestaat-niet"])
def test_methods_other_than_get_and_head_get_405_with_allow(
    client: TestClient, hashed_asset: str, method: str, path: str
) -> None:
    response = client.request(method, path.format(asset=hashed_asset), content=b"x=1")
    assert response.status_code == 405, (method, path)
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert allowed == {"GET", "HEAD"}
    assert "Traceback" not in response.text


def test_head_answers_like_get_without_a_body(client: TestClient, hashed_asset: str) -> None:
    for path in ("/", hashed_asset):
        get = client.get(path, headers={"accept-encoding": "gzip"})
        head = client.head(path, headers={"accept-encoding": "gzip"})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert head.headers["etag"] == get.headers["etag"]


# -- the real server (`metro serve`) with requests TestClient cannot send -------------------------


class Served:
    log_path: Path

    def __init__(self, proc: subprocess.Popen, port: int):
        self.proc = proc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def raw(self, request: bytes, timeout: float = 10) -> bytes:
        """Send bytes as they are (no URL normalisation); return everything until the server closes."""
        received = b""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            try:
                sock.sendall(request)
            except OSError as err:  # the server may answer and close before reading it all
                received += f"<send: {err}>".encode()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    chunk = sock.recv(65536)
                except (ConnectionResetError, TimeoutError):
                    break
                if not chunk:
                    break
                received += chunk
        return received

    def alive(self) -> bool:
        return self.proc.poll() is None and httpx.get(self.url + "/healthz", timeout=5).status_code == 200


def status_of(answer: bytes) -> int:
    match = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    assert match, f"not an HTTP answer: {answer[:200]!r}"
    return int(match.group(1))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`metro serve` as an operator runs it, on the fixture content and a free port."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("served") / "server.log"
    log = open(log_path, "wb")  # noqa: SIM115 — closed below
    proc = subprocess.Popen(
        [str(METRO), "--content", str(VALID), "serve", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Served(proc, port)
    server.log_path = log_path
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, f"metro serve exited: {log_path.read_text(errors='replace')}"
            try:
                if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "metro serve did not answer within 30 s"
            time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


TRAVERSALS = [
    "/static/../app/web.py",
    "/static/../../etc/passwd",
    "/static/%2e%2e/app/web.py",
    "/static/%2E%2E/%2E%2E/etc/passwd",
    "/static/..%2fapp%2fweb.py",
    "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/%252e%252e/app/web.py",
    "/static/..%5capp%5cweb.py",
    "/static/app.css/../../pyproject.toml",
    "/static//etc/passwd",
    "/static/%00../app/web.py",
    "/../pyproject.toml",
    "/stops/../../app/web.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files_cannot_escape_static(served: Served, path: str) -> None:
    answer = served.raw(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status_of(answer) in (400, 404), answer[:300]
    for secret in (b"def create_app", b"root:x:0:0", b"[project]", b"import "):
        assert secret not in answer


def test_an_oversized_url_is_answered_cleanly(served: Served) -> None:
    answer = served.raw(b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert 400 <= status_of(answer) < 500
    assert b"Traceback" not in answer
    assert served.alive()


HUGE_HEADERS = {
    "one 1 MB header": b"X-Huge: " + b"a" * 1_000_000 + b"\r\n",
    "20,000 small headers": b"".join(b"X-H%d: v\r\n" % i for i in range(20_000)),
}


@pytest.mark.parametrize("name", HUGE_HEADERS)
def test_huge_headers_do_not_take_the_server_down(served: Served, name: str) -> None:
    answer = served.raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + HUGE_HEADERS[name] + b"Connection: close\r\n\r\n")
    assert b"Traceback" not in answer
    assert served.alive()


@pytest.mark.parametrize("name", HUGE_HEADERS)
def test_huge_headers_are_refused_with_a_4xx(served: Served, name: str) -> None:
    answer = served.raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + HUGE_HEADERS[name] + b"Connection: close\r\n\r\n")
    assert 400 <= status_of(answer) < 500, answer[:200]


def test_garbage_is_answered_400_and_the_server_stays_up(served: Served) -> None:
    for request in (
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
        b"GET / HTTP/9.9\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
    ):
        answer = served.raw(request)
        assert answer == b"" or 400 <= status_of(answer) < 500
    assert served.alive()
    assert "Traceback" not in served.log_path.read_text(errors="replace")


# -- Markdown: content is trusted less than code -------------------------------------------------


# What a browser does with an href (WHATWG URL): drop tabs and newlines, trim C0 controls and
# spaces, then read the scheme. Percent-encoded characters are not decoded.
def href_scheme(href: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", href).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "
    )
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else None


def urls_in(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [
        tag[attr]
        for tag in page.find_all(True)
        for attr in ("href", "src", "action", "formaction", "srcset")
        if tag.has_attr(attr)
    ]


def render(text: str) -> str:
    return ContentHtml().block(text)


RAW_HTML = [
    "<script>alert(1)</script>",
    "Tekst <script>alert(1)</script> tekst",
    "<img src=x onerror=alert(1)>",
    'Een <a href="javascript:alert(1)">link</a>.',
    '<iframe src="https://example.org"></iframe>',
    "<style>body{display:none}</style>",
    "<!-- commentaar --><svg onload=alert(1)>",
    "<div>\n\n*blok*\n\n</div>",
]


@pytest.mark.parametrize("text", RAW_HTML)
def test_raw_html_in_markdown_is_escaped(text: str) -> None:
    html = render(text)
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "img", "iframe", "style", "svg", "div"]), html
    assert not [tag for tag in page.find_all(True) if any(a.startswith("on") for a in tag.attrs)], html
    assert "&lt;" in html


@pytest.mark.parametrize("text", RAW_HTML)
def test_raw_html_in_typed_block_fields_is_escaped(text: str) -> None:
    one_line = text.replace("\n", " ")
    html = render(f"::: citaat\nwie: {one_line}\nbron: {one_line}\n\nHet citaat.\n:::\n")
    page = BeautifulSoup(html, "html.parser")
    assert not page.find_all(["script", "img", "iframe", "style", "svg", "div"]), html


UNSAFE_LINKS = [
    "[klik](javascript:alert(1))",
    "[klik](JavaScript:alert(1))",
    "[klik]( javascript:alert(1))",
    "[klik](java&#x09;script:alert(1))",
    "[klik](&#x6a;avascript:alert(1))",
    "[klik](javascript&#58;alert(1))",
    "[klik](<javascript:alert(1)>)",
    "<javascript:alert(1)>",
    "[klik][ref]\n\n[ref]: javascript:alert(1)",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](DATA:text/html,<script>alert(1)</script>)",
    "![beeld](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![beeld](javascript:alert(1))",
    "[klik](vbscript:msgbox(1))",
    "[klik](file:///etc/passwd)",
]


@pytest.mark.parametrize("text", UNSAFE_LINKS)
def test_javascript_and_data_links_are_dropped(text: str) -> None:
    html = render(text)
    schemes = {href_scheme(url) for url in urls_in(html)}
    assert schemes <= {None, "http", "https", "mailto", "tel"}, html


@pytest.mark.parametrize("text", UNSAFE_LINKS)
def test_unsafe_links_in_typed_block_fields_are_dropped(text: str) -> None:
    one_line = text.split("\n")[0]
    html = render(
        f"::: praktijk\ntitel: {one_line}\nwaar: {one_line}\nles: {one_line}\nbron: {one_line}\n\nWat er gebeurde.\n:::\n"
    )
    schemes = {href_scheme(url) for url in urls_in(html)}
    assert schemes <= {None, "http", "https", "mailto", "tel"}, html


EXTERNAL = [
    pytest.param("[VNG](https://vng.nl/)", id="https"),
    pytest.param("[VNG](http://vng.nl/)", id="http"),
    pytest.param("<https://vng.nl/>", id="autolink"),
    pytest.param("[VNG][v]\n\n[v]: https://vng.nl/", id="reference"),
    pytest.param("::: citaat\nbron: [VNG](https://vng.nl/)\n\nCitaat.\n:::", id="in-a-field"),
    pytest.param(
        "[VNG](HTTPS://vng.nl/)",
        id="uppercase-scheme",
    ),
    pytest.param(
        "[VNG](//vng.nl/)",
        id="protocol-relative",
    ),
]


@pytest.mark.parametrize("text", EXTERNAL)
def test_external_links_get_noopener_noreferrer(text: str) -> None:
    page = BeautifulSoup(render(text), "html.parser")
    links = page.find_all("a")
    assert links, text
    for link in links:
        assert set(link.get("rel", [])) >= {"noopener", "noreferrer"}, link


def test_internal_and_mail_links_are_kept_as_they_are() -> None:
    page = BeautifulSoup(render("[halte](#leiderschap) en [mail](mailto:info@vng.nl)"), "html.parser")
    assert [a["href"] for a in page.find_all("a")] == ["#leiderschap", "mailto:info@vng.nl"]
    assert not any(a.get("rel") for a in page.find_all("a"))


def test_the_checker_reports_what_the_renderer_would_escape_or_drop(content_copy: Path) -> None:
    """Belt and braces: `metro check` refuses raw HTML and unsafe links, naming file and line."""
    path = content_copy / "02-orde.md"
    lines = path.read_text().split("\n")
    at = lines.index("## Toelichting") + 1
    lines[at:at] = ["", "<script>alert(1)</script>", "", "[klik](javascript:alert(1)) en [data](data:text/html,x)", ""]
    path.write_text("\n".join(lines))
    with pytest.raises(ContentError) as caught:
        load_guide(content_copy)
    found = {(Path(p.path).name, p.line, p.message.split(":")[0]) for p in caught.value.problems}
    assert ("02-orde.md", at + 2, "HTML is niet toegestaan, schrijf Markdown") in found
    assert ("02-orde.md", at + 4, "dit soort link is niet toegestaan") in found


def test_a_rendered_page_escapes_hostile_content(fixture_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even if hostile text got past the checker, the pages escape it (Markdown and plain fields).

    The loader refuses such content, so the guide is loaded first and made hostile afterwards;
    `build_site` then renders every page from it with the real templates.
    """
    guide = load_guide(VALID)
    hostile = replace(
        guide.stations[0],
        title="Ambitie <script>alert('titel')</script>",
        label="Ambitie <b>vet</b>",
        statement="Stelling <img src=x onerror=alert(1)>",
        explanation=guide.stations[0].explanation
        + "\n<script>alert('toelichting')</script>\n\n[klik](javascript:alert(1)) [data](data:text/html,x) [VNG](https://vng.nl/)\n",
        questions=("Vraag <iframe src=//evil.example></iframe>?", *guide.stations[0].questions[1:]),
    )
    guide = replace(guide, stations=(hostile, *guide.stations[1:]))
    monkeypatch.setattr(build, "load_guide", lambda *args, **kwargs: guide)
    pages = {
        path: entry.body.decode()
        for path, entry in build.build_site(fixture_settings).entries.items()
        if entry.media_type.startswith("text/html")
    }
    assert f"/stops/{hostile.slug}/" in pages
    for path, html in pages.items():
        soup = BeautifulSoup(html, "html.parser")
        scripts = [s for s in soup.find_all("script") if "alert" in (s.string or "")]
        assert not scripts, path
        assert not soup.find_all(["iframe"]), path
        assert not [t for t in soup.find_all(True) if any(a.lower().startswith("on") for a in t.attrs)], path
        assert {href_scheme(u) for u in urls_in(html)} <= {None, "http", "https", "mailto", "tel"}, path
        for link in soup.find_all("a", href=re.compile(r"^https?://vng\.nl")):
            assert set(link.get("rel", [])) >= {"noopener", "noreferrer"}
    station_page = pages[f"/stops/{hostile.slug}/"]
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;" in station_page
    assert (
        "&lt;script&gt;alert(&#39;toelichting&#39;)&lt;/script&gt;" in station_page
        or "&lt;script&gt;alert('toelichting')&lt;/script&gt;" in station_page
    )
