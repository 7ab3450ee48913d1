"""The sessions' database goes away and comes back: Dutch 503s, an honest /healthz, one log line per change.

"Down" is PostgreSQL behind a small TCP relay that the test closes and opens again on the
same port (the real cluster keeps running for everyone else), or a port where nothing listens.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.config import Settings
from app.web import create_app
from tests.conftest import VALID, soup
from tests.sessions.helpers import JSON_ACCEPT, answer, join, live_of, start

SESSION_LOG = "zevenstops.sessions"


class Relay:
    """Forwards a local port to PostgreSQL while up; down closes the port and every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            for sock in self._open:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.fixture
def relay(postgres_schema: str) -> Iterator[tuple[Relay, str]]:
    url = make_url(postgres_schema)
    relay = Relay((url.host or "127.0.0.1", url.port or 5432))
    relay.up()
    try:
        yield relay, url.set(port=relay.port).render_as_string(hide_password=False)
    finally:
        relay.down()


def unavailable(response, *, page: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 503, response.text[:300]
    assert response.headers["retry-after"] == "30"
    if page:
        html = soup(response)
        assert html.html is not None and html.html.get("lang") == "nl"
        assert "database" in html.get_text(" ") and "opnieuw" in html.get_text(" ")
    else:
        detail = response.json()["detail"]
        assert "niet bereikbaar" in detail and "Internal" not in detail


def test_postgresql_down_and_back(relay: tuple[Relay, str], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    proxy, url = relay
    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url=url)
    with TestClient(create_app(settings)) as facilitator, TestClient(facilitator.app) as attendee:
        deck = start(facilitator)
        assert join(attendee, deck.code).status_code == 200
        healthy = attendee.get("/healthz")
        assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
        # The start's clean-up is over: an outage in its middle would log that it failed, rightly.
        assert live_of(facilitator).swept.wait(60)

        caplog.set_level(logging.INFO, logger=SESSION_LOG)
        proxy.down()
        for _ in range(20):  # a room that keeps trying
            unavailable(join(attendee, deck.code), page=True)
        response = attendee.post(f"/s/{deck.code}/antwoord", data={"halte": "x", "score": "3"}, headers=JSON_ACCEPT)
        unavailable(response, page=False)
        health = attendee.get("/healthz")
        assert health.status_code == 503
        assert health.json()["status"] == "degraded" and health.json()["database"]["status"] == "onbereikbaar"
        assert attendee.get("/").status_code == 200  # the guide itself is served throughout

        proxy.up()
        back = attendee.get("/healthz")
        assert back.status_code == 200 and back.json()["status"] == "ok", back.text
        assert join(attendee, deck.code).status_code == 200
        assert answer(attendee, deck.code, halte=settings_slug(), score="3") == 303
    lines = [r for r in caplog.records if r.name == SESSION_LOG and r.levelno >= logging.WARNING]
    # The listener for PostgreSQL's notifications (app/sessions/notify.py) says once that it lost its connection.
    deaf = [r for r in lines if getattr(r, "fields", {}).get("dependency") == "notify"]
    assert [r.getMessage().split(" (")[0] for r in deaf][:1] == ["Not listening for session changes"]
    assert sum(r.levelno == logging.ERROR for r in deaf) == 1
    lines = [r for r in lines if r not in deaf]
    assert [r.getMessage().split(":")[0].split(" after")[0] for r in lines] == [
        "Session database unreachable",
        "Session database reachable again",
    ], [r.getMessage() for r in lines]


def settings_slug() -> str:
    from app.content import load_guide

    return load_guide(VALID).stations[0].slug


def test_healthz_does_not_make_a_sqlite_file(tmp_path: Path) -> None:
    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url="")
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert not (tmp_path / "data").exists()


def test_a_closed_port_is_a_dutch_503(tmp_path: Path) -> None:
    url = "postgresql+psycopg://zevenstops:zevenstops@127.0.0.1:1/zevenstops"
    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url=url)
    with TestClient(create_app(settings)) as client:
        unavailable(client.get("/s/ABCD2345"), page=True)
        unavailable(client.get("/s/abcd2345/events"), page=True)  # past FastAPI (StreamDoor), same answer
        unavailable(client.get("/s/abcd2345/events", headers=JSON_ACCEPT), page=False)
        unavailable(client.post("/sessies", headers=JSON_ACCEPT), page=False)
        assert client.get("/healthz").status_code == 503
