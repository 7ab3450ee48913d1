"""Shared fixtures: settings on fixture content, a TestClient, a live server, parsed pages."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from app.config import ROOT, Settings
from app.web import create_app

if TYPE_CHECKING:
    from tests.pgserver import Server

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
REAL_CONTENT = ROOT / "content" / "nl"

# Property tests: a quick profile while developing, the thorough one in CI (CI=true) or when asked
# for by HYPOTHESIS_PROFILE=ci. The examples differ per run, so CI keeps finding new ones.
_UNHURRIED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
hypothesis_settings.register_profile("ci", max_examples=200, **_UNHURRIED)
hypothesis_settings.register_profile("dev", max_examples=25, **_UNHURRIED)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """A throwaway PostgreSQL of this test run, from the installed server programs (see tests/pgserver.py)."""
    from tests.pgserver import require_postgresql, throwaway_server

    require_postgresql()
    with throwaway_server() as server:
        yield server


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture content, for tests that break it."""
    target = tmp_path / "nl"
    shutil.copytree(VALID, target)
    return target


@pytest.fixture(scope="session")
def fixture_settings() -> Settings:
    return replace(Settings(), content_dir=VALID)


@pytest.fixture(scope="session")
def client(fixture_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(fixture_settings)) as test_client:
        yield test_client


def soup(response: httpx.Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The real app under uvicorn on a free port, in a thread, ready when /healthz answers."""

    def __init__(self, settings: Settings):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 90  # a busy machine; an idle one answers in well under a second
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("the live server did not start within 90 s")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The guide with its real content: what a person in the browser sees."""
    with LiveServer(replace(Settings(), content_dir=REAL_CONTENT)) as server:
        yield server
