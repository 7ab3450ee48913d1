"""`/healthz` tells the truth part by part: content, database, PDF printer, event streams.

The status code is the load balancer's: 200 while the instance serves (degraded parts named
in `reasons`), 503 only when it should be taken out. The database check gives up after a short
timeout, and nothing secret is in the answer.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import health
from app.config import Settings
from app.web import create_app
from tests.conftest import VALID


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url="")


def test_every_part_is_reported(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200 and body["status"] == "ok" and body["reasons"] == []
    assert body["content"]["stations"] == 3 and body["content"]["problems"] == 0
    assert body["database"] == {"status": "ok", "kind": "sqlite"}
    assert body["pdf"]["status"] == "ok" and body["pdf"]["printing"] == 0
    assert body["streams"] == {"open": 0, "limit": settings.max_streams}
    assert body["version"] and body["version"] != "onbekend"
    assert response.headers["cache-control"] == "no-store"


def test_no_chromium_is_degraded_but_still_serving(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "chromium_path", lambda: None)
    with TestClient(create_app(settings)) as client:
        response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200  # the guide is served: no reason to take the instance out
    assert body["status"] == "degraded" and body["pdf"]["status"] == "niet beschikbaar"
    assert any("PDF" in reason and "Chromium" in reason for reason in body["reasons"]), body["reasons"]


def test_event_streams_nearly_used_up_are_named(settings: Settings) -> None:
    small = replace(settings, max_streams=10, streams_per_address=10)
    with TestClient(create_app(small)) as client:
        slots = client.app.app.state.live_sessions.streams  # type: ignore[attr-defined]
        for _ in range(9):
            assert slots.take("192.0.2.1") == ""
        body = client.get("/healthz").json()
    assert body["streams"] == {"open": 9, "limit": 10}
    assert body["status"] == "degraded" and any("9 van de 10" in reason for reason in body["reasons"])


def test_a_hanging_database_is_reported_after_a_short_timeout(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "DATABASE_TIMEOUT", 0.5)
    released = threading.Event()
    with TestClient(create_app(settings)) as client:
        live = client.app.app.state.live_sessions  # type: ignore[attr-defined]
        live.store()  # the SQLite file exists, so the check runs
        monkeypatch.setattr(live, "_check", lambda: released.wait(60) and "")
        try:
            response = client.get("/healthz")
        finally:
            released.set()
    assert response.status_code == 503 and response.headers["retry-after"] == "30"
    body = response.json()
    assert body["status"] == "degraded" and body["database"]["status"] == "onbereikbaar"
    assert any("database" in reason for reason in body["reasons"])


def test_no_secret_of_the_database_url_is_shown(settings: Settings) -> None:
    url = "postgresql+psycopg://zevenstops:geheim-wachtwoord@127.0.0.1:9/zevenstops"  # nothing listens on 9
    with TestClient(create_app(replace(settings, database_url=url))) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["kind"] == "postgresql"
    assert "geheim" not in response.text and "127.0.0.1" not in response.text
