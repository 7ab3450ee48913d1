"""The event stream on real servers: attendees follow the facilitator across workers that share only the database."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.sessions.db import make_engine, migrate
from app.sessions.store import Store
from app.web import create_app
from tests.conftest import LiveServer
from tests.sessions.helpers import FACILITATOR_COOKIE, Deck, EventReader, answer, delete, facilitator_events, move
from tests.sessions.helpers import start as start_session
from tests.test_http_rfc import lint
from tests.test_security import assert_security_headers


class Worker(LiveServer):
    """One server process's worth of the app; streams still open are cut after 2 s at shutdown."""

    def __init__(self, settings: Settings):
        super().__init__(settings)
        self.server.config.timeout_graceful_shutdown = 2

    @property
    def live(self):  # type: ignore[no-untyped-def]
        return self.server.config.app.app.state.live_sessions


@pytest.fixture(scope="module")
def two_workers(module_settings: Settings) -> Iterator[tuple[Worker, Worker]]:
    with Worker(module_settings) as first, Worker(module_settings) as second:
        yield first, second


def start(worker: Worker) -> tuple[str, Deck]:
    """Start a session on `worker`; its facilitator's cookie is in the returned Deck."""
    with httpx.Client(base_url=worker.url) as facilitator:
        deck = start_session(facilitator)
    return deck.code, deck


def as_facilitator(worker: Worker, deck: Deck) -> httpx.Client:
    """A client on `worker` holding the facilitator's cookie (workers share the database, not memory)."""
    return httpx.Client(base_url=worker.url, cookies={FACILITATOR_COOKIE: deck.secret})


def test_a_move_on_one_worker_reaches_a_stream_on_another(two_workers: tuple[Worker, Worker]) -> None:
    first, second = two_workers
    code, deck = start(first)
    with EventReader(f"{second.url}/s/{code}/events") as attendee:
        assert attendee.status == 200
        assert attendee.next("halte") == {"halte": None, "versie": 0}  # where the room is now
        with as_facilitator(first, deck) as facilitator:
            assert move(facilitator, deck, "orde").status_code == 200
        assert attendee.next("halte") == {"halte": "orde", "versie": 1}


def test_the_facilitator_stream_counts_answers_sent_to_another_worker(two_workers: tuple[Worker, Worker]) -> None:
    first, second = two_workers
    code, deck = start(first)
    with as_facilitator(first, deck) as client:
        move(client, deck, "ambitie")
    with facilitator_events(first.url, deck) as facilitator:
        assert facilitator.next("telling")["aantal"] == 0
        for score in ("4", "2"):
            with httpx.Client(base_url=second.url) as phone:  # each its own cookie: two attendees
                assert answer(phone, code, halte="ambitie", score=score) == 303
        counted = facilitator.next("telling")
        while counted["aantal"] < 2:
            counted = facilitator.next("telling")
        assert counted["halte"] == "ambitie"
        assert counted["kaart"]["ambitie"] == {
            "band": 3,
            "tekst": "3,0",
            "uitleg": "gemiddeld 3,0 (redelijk), 2 antwoorden",
        }
        assert counted["kaart"]["orde"] == {"band": 0, "tekst": "–", "uitleg": "nog geen score"}
        assert 'aria-labelledby="grafiek-ambitie"' in counted["grafiek"]


def test_attendee_streams_get_no_counts_and_end_when_the_session_is_deleted(two_workers: tuple[Worker, Worker]) -> None:
    first, second = two_workers
    code, deck = start(first)
    with EventReader(f"{second.url}/s/{code}/events") as attendee:
        attendee.next("halte")
        with httpx.Client(base_url=first.url) as phone:
            assert answer(phone, code, halte="ambitie", score="3") == 303
        with as_facilitator(first, deck) as client:
            delete(client, deck)
        assert attendee.next("einde") == {}
        seen = []
        while not attendee.events.empty():
            seen.append(attendee.events.get()[0])
        assert "telling" not in seen


def test_the_stream_carries_the_security_headers(two_workers: tuple[Worker, Worker]) -> None:
    first, _ = two_workers
    code, _ = start(first)
    with EventReader(f"{first.url}/s/{code}/events") as attendee:
        assert attendee.headers is not None
        assert attendee.headers["content-type"].startswith("text/event-stream")
        assert attendee.headers["cache-control"] == "no-store"
        request = httpx.Request("GET", f"{first.url}/s/{code}/events")
        assert_security_headers(httpx.Response(200, headers=attendee.headers, request=request))


def test_one_poller_per_session_per_process_however_many_streams(two_workers: tuple[Worker, Worker]) -> None:
    first, _ = two_workers
    code, _ = start(first)
    other, _ = start(first)
    ids = [first.live.store().find(c).id for c in (code, other)]
    readers = [EventReader(f"{first.url}/s/{c}/events") for c in (code, code, code, code, other)]
    for reader in readers:
        reader.__enter__()
        reader.next("halte")
    try:
        broker = first.live.broker

        async def task_names() -> list[str]:
            return [task.get_name() for task in asyncio.all_tasks()]

        names = asyncio.run_coroutine_threadsafe(task_names(), broker._loop).result(5)
        assert [names.count(f"session-poller-{i}") for i in ids] == [1, 1]
        assert [broker.streams(i) for i in ids] == [4, 1]
    finally:
        for reader in readers:
            reader.__exit__()


def test_the_server_deletes_sessions_older_than_the_set_days_at_start(session_settings: Settings) -> None:
    settings = replace(session_settings, session_days=7)
    engine = make_engine(settings.database_url)
    migrate(engine)
    past = Store(engine, clock=lambda: datetime.now(UTC) - timedelta(days=7, minutes=1))
    old, _ = past.create()
    past.answer(old, "telefoon", "ambitie", {0: 2})
    recent, _ = Store(engine, clock=lambda: datetime.now(UTC) - timedelta(days=6)).create()
    engine.dispose()
    with TestClient(create_app(settings)) as client:
        assert client.get(f"/s/{recent.code}").status_code == 200
        deadline = datetime.now(UTC) + timedelta(seconds=10)
        while client.get(f"/s/{old.code}").status_code != 404 and datetime.now(UTC) < deadline:
            pass
        assert client.get(f"/s/{old.code}").status_code == 404


def test_an_http10_client_gets_a_fixed_length_505_instead_of_a_chunked_stream(
    two_workers: tuple[Worker, Worker],
) -> None:
    """An endless stream could only go chunked, which HTTP/1.0 does not know (RFC 9112 §6.1)."""
    first, _ = two_workers
    code, _ = start(first)
    status, fields, body = raw_exchange(
        first.port, f"GET /s/{code}/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    assert status == 505
    assert b"transfer-encoding" not in fields and int(fields[b"content-length"]) == len(body)
    assert "HTTP/1.1" in body.decode()


def test_a_head_on_the_stream_gets_its_headers_and_the_connection_stays_usable(
    two_workers: tuple[Worker, Worker],
) -> None:
    """A HEAD (a proxy's or a monitor's check) must not start an endless stream nobody reads."""
    first, _ = two_workers
    code, _ = start(first)
    head = f"HEAD /s/{code}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    then = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    status, fields, rest = raw_exchange(first.port, head + then)  # a stream still running would time out
    assert status == 200
    assert fields[b"content-type"].startswith(b"text/event-stream") and b"content-length" not in fields
    assert rest.startswith(b"HTTP/1.1 200"), rest[:200]  # the next answer came: nothing of a stream before it
    assert first.live.streams.open == 0


def raw_exchange(port: int, requests: str) -> tuple[int, dict[bytes, bytes], bytes]:
    """Send `requests` on one connection, read until the server closes it: the first answer's
    status and (lower-case) fields, and all that follows its head."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(requests.encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.lower().split(b"\r\n")
    return int(lines[0].split(b" ")[1]), dict(line.split(b": ", 1) for line in lines[1:]), rest


def test_httplint_finds_nothing_bad_in_a_head_on_the_stream(two_workers: tuple[Worker, Worker]) -> None:
    first, _ = two_workers
    code, _ = start(first)
    assert lint(first, f"/s/{code}/events", method="HEAD") == []
