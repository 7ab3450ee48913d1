"""Hard to break: PDF storms, slow clients, Host headers, HEAD, long URLs, one error shape."""

from __future__ import annotations

import asyncio
import gc
import socket
import threading
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from app import server as server_module
from app.build import NOT_FOUND_KEPT, build_site
from app.config import Settings, request_base_url
from app.pdf import PdfBusy, PdfService
from app.qr import qr_svg
from app.web import create_app
from tests.conftest import VALID, free_port, soup

BASE = "https://gids.gemeente.nl/zevenstops/"


def run(coroutine: Any) -> Any:
    """asyncio.run in a thread of its own: the browser tests leave an event loop in this one."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# -- PDFs: single flight, a bounded queue, a bounded cache ----------------------------------------


class SlowPrinter:
    """Stands in for Chromium: each print takes `seconds` and is counted."""

    def __init__(self, seconds: float = 0.2):
        self.seconds = seconds
        self.printed: list[tuple[str, str]] = []

    async def print_pdf(self, base_url: str, page_path: str, fetch: object) -> bytes:
        await asyncio.sleep(self.seconds)
        self.printed.append((base_url, page_path))
        return f"%PDF {base_url}{page_path}".encode()


class GatedPrinter:
    """Stands in for Chromium: each print starts (counted, announced) and waits until `release` is set."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.release = asyncio.Event()
        self.printed: list[tuple[str, str]] = []

    async def print_pdf(self, base_url: str, page_path: str, fetch: object) -> bytes:
        self.started.append(page_path)
        await self.release.wait()
        self.printed.append((base_url, page_path))
        return f"%PDF {base_url}{page_path}".encode()

    async def until_started(self, count: int) -> None:
        """Wait until `count` prints have started: a generous bound for a busy machine."""
        async with asyncio.timeout(60):
            while len(self.started) < count:
                await asyncio.sleep(0)  # yield to the tasks that start them; no fixed time


@pytest.fixture(scope="module")
def site():
    return build_site(replace(Settings(), content_dir=VALID))


def test_concurrent_requests_for_one_pdf_share_one_print(site) -> None:
    printer = SlowPrinter()
    service = PdfService(printer)  # type: ignore[arg-type]

    async def storm() -> list[bytes]:
        return await asyncio.gather(*(service.get(site, "print/", BASE) for _ in range(50)))

    bodies = run(storm())
    assert printer.printed == [(BASE, "print/")]
    assert set(bodies) == {b"%PDF " + BASE.encode() + b"print/"}


def test_a_print_finishes_for_the_next_asker_when_everyone_hangs_up(site) -> None:
    printer = GatedPrinter()
    service = PdfService(printer)  # type: ignore[arg-type]

    async def hang_up_then_ask() -> bytes:
        waiters = [asyncio.create_task(service.get(site, "print/", BASE)) for _ in range(30)]
        await printer.until_started(1)
        for waiter in waiters:
            waiter.cancel()  # like 30 clients that disconnect
        await asyncio.gather(*waiters, return_exceptions=True)
        printer.release.set()
        return await service.get(site, "print/", BASE)

    assert run(hang_up_then_ask()).startswith(b"%PDF")
    assert printer.started == ["print/"]  # the print went on: the next asker got it, not a second one


def test_more_different_pdfs_than_the_queue_holds_are_refused(site) -> None:
    printer = SlowPrinter(0.3)
    service = PdfService(printer, max_prints=2)  # type: ignore[arg-type]

    async def three_at_once() -> list[object]:
        paths = ["stops/ambitie/", "stops/orde/", "stops/leiderschap/"]
        return await asyncio.gather(*(service.get(site, p, BASE) for p in paths), return_exceptions=True)

    results = run(three_at_once())
    assert [type(r).__name__ for r in results].count("PdfBusy") == 1
    assert isinstance(results[2], PdfBusy)


def test_many_host_names_cannot_grow_the_pdf_cache(site) -> None:
    service = PdfService(SlowPrinter(0), max_cached=8)  # type: ignore[arg-type]

    async def many_hosts() -> None:
        for i in range(40):
            await service.get(site, "print/", f"http://host{i}.example/")

    run(many_hosts())
    assert len(service.cache) == 8


def test_a_busy_printer_answers_503_with_retry_after_in_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    from app import pdf

    monkeypatch.setattr(pdf.PdfPrinter, "print_pdf", SlowPrinter(0.5).print_pdf)
    app = create_app(replace(Settings(), content_dir=VALID, base_url=BASE))

    async def storm() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            paths = [f"/stops/{slug}.pdf" for slug in ("ambitie", "orde", "leiderschap")] + ["/guide.pdf"] * 3
            paths += ["/guide.pdf", "/stops/onbekend.pdf"]
            return await asyncio.gather(*(client.get(p) for p in [*paths, "/stops/ambitie.pdf"]))

    responses = run(storm())
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(200) == len(responses) - 1  # four different PDFs fit the queue
    assert statuses.count(404) == 1
    # A fifth different PDF while four are printing is refused (no base URL: the Host counts).
    gated = GatedPrinter()
    monkeypatch.setattr(pdf.PdfPrinter, "print_pdf", gated.print_pdf)
    app = create_app(replace(Settings(), content_dir=VALID))

    async def five() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            paths = [f"/stops/{slug}.pdf" for slug in ("ambitie", "orde", "leiderschap")] + ["/guide.pdf"]
            first = [asyncio.create_task(client.get(p)) for p in paths]
            await gated.until_started(4)
            extra = await client.get("http://ander.example/guide.pdf")
            gated.release.set()
            return [*(await asyncio.gather(*first)), extra]

    *printed, refused = run(five())
    assert [r.status_code for r in printed] == [200] * 4
    assert refused.status_code == 503 and refused.headers["retry-after"] == "10"
    assert "probeer het over een minuut opnieuw" in refused.text


# -- Host header -----------------------------------------------------------------------------------


def raw_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """One GET over a socket with exactly these headers (test clients rewrite Host)."""
    head = f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(head.encode("latin-1") + b"Connection: close\r\n\r\n")
        sock.settimeout(10)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    top, _, body = answer.partition(b"\r\n\r\n")
    lines = top.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:])
    if fields.get("transfer-encoding") == "chunked":
        body = httpx.Response(200, headers=fields, content=body).read()
    return int(lines[0].split()[1]), {k.lower(): v for k, v in fields.items()}, body


def test_with_a_base_url_no_answer_uses_the_request_host() -> None:
    evil = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    with BoundedServer(base_url=BASE) as served:
        for path in ("/api/stops", "/api/stops/orde", "/oembed?url=" + BASE + "stops/orde/", "/qr/orde.svg", "/"):
            status, _, body = raw_get(served.port, path, evil)
            assert status == 200, path
            assert b"evil.example" not in body, path
        assert raw_get(served.port, "/qr/orde.svg", evil)[2] == qr_svg(BASE + "stops/orde/")
        status, headers, _ = raw_get(served.port, "/api/stops/", evil)
        assert status == 308 and headers["location"] == "../stops"
        for path in ("/stops/orde", "/present", "/embed?stop=orde"):
            location = raw_get(served.port, path, evil)[1]["location"]
            assert "://" not in location and "evil" not in location, path


def test_without_a_base_url_only_a_valid_host_is_used() -> None:
    with BoundedServer() as served:
        status, _, body = raw_get(served.port, "/api/stops", {"Host": "gids.gemeente.nl"})
        assert status == 200 and b'"http://gids.gemeente.nl/api/stops/ambitie"' in body
        for host in ("evil.example'><script>", "evil.example/<x>", "x" * 300 + ".nl", "evil.example:99999"):
            for path in ("/api/stops", "/qr/gids.svg", "/oembed?url=/"):
                status, _, body = raw_get(served.port, path, {"Host": host})
                # Refused, or answered with the server's own address: never with what was sent.
                assert status in (200, 400), (host, path)
                assert b"evil" not in body and b"xxxx" not in body, (host, path)
                if status == 400:
                    assert b"Ongeldige Host-header" in body


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://gids.nl/", "http://gids.nl/"),
        ("https://GIDS.nl:8443/zevenstops", "https://gids.nl:8443/zevenstops/"),
        ("wss://gids.nl/", None),  # X-Forwarded-Proto: wss
        ("javascript://gids.nl/", None),
        ("http://gids.nl'/", None),
        ("http://[::1]:8000/", "http://[::1]:8000/"),
    ],
)
def test_request_addresses_are_checked(url: str, expected: str | None) -> None:
    assert request_base_url(url) == expected


# -- HEAD, 414, If-None-Match, queries kept, one error shape ----------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/healthz", "/api/stops", "/api/stops/orde", "/oembed?url=http://testserver/", "/qr/gids.svg", "/docs"],
)
def test_head_works_on_every_get_route(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert get.status_code == head.status_code == 200, path
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


def test_an_overlong_url_gets_414(client: TestClient) -> None:
    response = client.get("/" + "a" * 9_000)
    assert response.status_code == 414
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" in response.headers


def test_many_unknown_paths_under_many_roots_keep_404_pages_bounded(client: TestClient) -> None:
    """404 pages are kept per root path in one bounded cache: strangers' addresses cannot fill memory."""
    site = client.app.served.site  # type: ignore[attr-defined]
    app = client.app
    tracemalloc.start()
    try:
        sizes = []
        for batch in range(3):  # the first warms what any first request fills; the next two compare
            for i in range(NOT_FOUND_KEPT * 8):
                with_root = TestClient(app, root_path=f"/r{batch}-{i}")
                response = with_root.get(f"/r{batch}-{i}/nergens-{batch}-{i}")
                assert response.status_code == 404
                assert f'href="/r{batch}-{i}/"' in response.text  # the page's links start at its root
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    assert len(site._not_found) <= NOT_FOUND_KEPT
    # Another round of as many new roots adds nothing lasting (kept, the 64 pages would be some 230 kB).
    assert sizes[2] - sizes[1] < 100_000, sizes


@pytest.mark.parametrize("header", ["*", '"nope",{etag}', '"nope", W/{etag}', "{etag}"])
def test_if_none_match_follows_rfc_9110(client: TestClient, header: str) -> None:
    etag = client.get("/").headers["etag"]
    assert client.get("/", headers={"if-none-match": header.format(etag=etag)}).status_code == 304


def test_old_addresses_keep_their_query(client: TestClient) -> None:
    embed = client.get("/embed?stop=orde&y=1", follow_redirects=False)
    assert (embed.status_code, embed.headers["location"]) == (308, "embed/?stop=orde&y=1")
    present = client.get("/present?x=1", follow_redirects=False)
    assert (present.status_code, present.headers["location"]) == (308, "present/?x=1")


def test_validation_errors_are_dutch_sentences(client: TestClient) -> None:
    response = client.get("/oembed", params={"url": "http://testserver/", "maxwidth": "breed"})
    assert response.status_code == 422
    assert response.json() == {"detail": "Ongeldig verzoek: 'maxwidth' moet een heel getal zijn."}
    assert client.get("/oembed").json() == {"detail": "Ongeldig verzoek: 'url' ontbreekt."}


# -- slow clients ---------------------------------------------------------------------------------


class BoundedServer:
    """The app under uvicorn with metro serve's protocol and limits, in a thread."""

    def __init__(self, max_connections: int = 900, base_url: str = ""):
        self.port = free_port()
        config = uvicorn.Config(
            create_app(replace(Settings(), content_dir=VALID, base_url=base_url)),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            http=server_module.http_protocol(),
            limit_concurrency=max_connections,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> BoundedServer:
        self.thread.start()
        deadline = time.monotonic() + 90
        while not self.server.started:
            assert time.monotonic() < deadline, "the bounded server did not start within 90 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=5)

    def wait_for_connections(self, reached: Callable[[int], bool], what: str) -> None:
        """Wait until the server's count of open connections satisfies `reached` (a generous bound)."""
        deadline = time.monotonic() + 60
        while not reached(len(self.server.server_state.connections)):
            assert time.monotonic() < deadline, f"not within 60 s: {what}"
            time.sleep(0.01)  # polling the server's own count: the event it keeps


def test_a_trickling_request_head_is_cut_off_while_others_are_served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "HEAD_TIMEOUT", 1.0)
    with BoundedServer() as served:
        slow = []
        for _ in range(30):
            sock = socket.create_connection(("127.0.0.1", served.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and then nothing more, ever
            slow.append(sock)
        silent = socket.create_connection(("127.0.0.1", served.port))  # sends not a byte
        for _ in range(5):  # others are served while those connections hang
            assert served.get("/healthz").status_code == 200
        for sock in [*slow, silent]:  # each is answered once HEAD_TIMEOUT has passed: wait for that
            sock.settimeout(60)
            answer = sock.recv(1024)
            assert answer.startswith(b"HTTP/1.1 408"), answer[:40]
            assert sock.recv(1024) == b""  # and the connection is closed
            sock.close()
        assert served.get("/healthz").status_code == 200


def test_beyond_the_connection_limit_new_requests_get_503() -> None:
    with BoundedServer(max_connections=10) as served:
        idle = [socket.create_connection(("127.0.0.1", served.port)) for _ in range(12)]
        try:
            served.wait_for_connections(lambda open_now: open_now >= 10, "the idle connections to be accepted")
            assert served.get("/healthz").status_code == 503
        finally:
            for sock in idle:
                sock.close()
        served.wait_for_connections(lambda open_now: open_now == 0, "the idle connections to be closed")
        assert served.get("/healthz").status_code == 200


def test_garbage_and_huge_heads_get_dutch_answers_with_security_headers() -> None:
    with BoundedServer() as served:
        for request, status in (
            (b"\x16\x03\x01 nonsense\r\n\r\n", b"400"),
            (b"GET /" + b"a" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", b"414"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", b"431"),
        ):
            with socket.create_connection(("127.0.0.1", served.port)) as sock:
                sock.sendall(request)
                sock.settimeout(5)
                answer = b""
                while chunk := sock.recv(65536):
                    answer += chunk
            head = answer.split(b"\r\n\r\n")[0].lower()
            assert answer.startswith(b"HTTP/1.1 " + status), answer[:60]
            assert b"x-content-type-options: nosniff" in head and b"content-security-policy" in head
            assert b"Verzoek geweigerd" in answer


def test_pages_are_soup_safe(client: TestClient) -> None:
    """The 404 for a hostile path escapes it and links from the root."""
    page = soup(client.get("/<script>alert(1)</script>"))
    assert page.find("script", string=lambda s: s and "alert" in s) is None
