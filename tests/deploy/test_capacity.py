"""`metro serve`'s bounds under a real uvicorn: event streams have a share, bodies a deadline.

One client holding many event streams must not take the connections that pages, `/healthz`
and answers need; a request body trickled in byte by byte is refused with 408.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from app.content import load_guide
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.recipes import guide_env, start_guide
from tests.sessions.helpers import start

CONNECTIONS = 60  # uvicorn's limit in this test: well above the stream share, as in production
SHARE, PER_ADDRESS = 20, 10
BODY_TIMEOUT = 1.0
SLUG = load_guide(VALID).stations[0].slug

SERVE = f"""
from app.config import Settings
from app.server import BoundedHead, run
from app.web import create_app
BoundedHead.body_timeout = {BODY_TIMEOUT}
run(create_app(Settings.from_env()), host="127.0.0.1", port=int(__import__("sys").argv[1]),
    max_connections={CONNECTIONS})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    run = tmp_path_factory.mktemp("capacity")
    port = free_port()
    env = guide_env(
        VALID,
        run / "data",
        ZEVENSTOPS_MAX_STREAMS=str(SHARE),
        ZEVENSTOPS_STREAMS_PER_ADDRESS=str(PER_ADDRESS),
    )
    with Processes(run) as procs:
        start_guide(procs, "guide", [sys.executable, "-c", SERVE, str(port)], env, port)
        yield f"http://127.0.0.1:{port}"


def open_stream(port: int, code: str, source: str) -> tuple[socket.socket, int, bytes]:
    """An event stream held open from `source` (any 127.x address is this machine); its status."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    sock.sendall(f"GET /s/{code}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/1.1 ") else 0
    return sock, status, head


def test_one_client_cannot_take_the_pages_answers_and_healthz(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with httpx.Client(base_url=server, timeout=10) as facilitator:
        deck = start(facilitator)
    held: list[socket.socket] = []
    try:
        # One address opens streams until it is refused: it gets its cap, not the server.
        refused = None
        for _ in range(CONNECTIONS + 5):
            sock, status, head = open_stream(port, deck.code, "127.0.0.1")
            held.append(sock)
            if status != 200:
                refused = (status, head)
                break
        assert refused is not None, f"{len(held)} streams from one address and none refused"
        assert len(held) - 1 == PER_ADDRESS
        status, head = refused
        assert status == 503
        assert b"retry-after: 30" in head.lower()
        # A second address fills the share; a third is refused because the share is used up.
        for _ in range(SHARE - PER_ADDRESS):
            sock, status, _ = open_stream(port, deck.code, "127.0.0.2")
            held.append(sock)
            assert status == 200
        sock, status, head = open_stream(port, deck.code, "127.0.0.3")
        held.append(sock)
        assert status == 503, head
        # Beside a full share, everyone else is served.
        with httpx.Client(base_url=server, timeout=10) as attendee:
            assert attendee.get("/").status_code == 200
            assert attendee.get("/healthz").status_code == 200
            assert attendee.get(f"/s/{deck.code}").status_code == 200
            answered = attendee.post(
                f"/s/{deck.code}/antwoord", data={"halte": SLUG, "score": "4"}, follow_redirects=False
            )
            assert answered.status_code == 303, answered.text
    finally:
        for sock in held:
            sock.close()
    # The slots come back when the streams end.
    deadline = time.monotonic() + 60
    while True:
        sock, status, _ = open_stream(port, deck.code, "127.0.0.1")
        sock.close()
        if status == 200 or time.monotonic() > deadline:
            break
    assert status == 200


def test_a_trickled_body_is_refused(server: str) -> None:
    port = int(server.rsplit(":", 1)[1])
    with httpx.Client(base_url=server, timeout=10) as facilitator:
        deck = start(facilitator)
    body = b"halte=x&score=4" + b"&x=" + b"y" * 100
    with socket.create_connection(("127.0.0.1", port), timeout=BODY_TIMEOUT + 5) as sock:
        sock.sendall(
            f"POST /s/{deck.code}/antwoord HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        )
        began = time.monotonic()
        answer = b""
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            sock.settimeout(0.3)
            with contextlib.suppress(TimeoutError):
                answer += sock.recv(4096)
            if answer or time.monotonic() - began > BODY_TIMEOUT + 5:
                break
        sock.settimeout(2)
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    took = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert "te langzaam" in answer.decode("utf-8", "replace")
    assert BODY_TIMEOUT - 0.2 <= took <= BODY_TIMEOUT + 3


def test_a_quick_body_is_answered(server: str) -> None:
    """The body deadline does not touch a form that arrives at once, nor a slow answer to it."""
    with httpx.Client(base_url=server, timeout=10) as client:
        deck = start(client)
        assert client.get(f"/s/{deck.code}").status_code == 200
