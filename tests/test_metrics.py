"""Prometheus metrics: off by default, never on the guide's address, counting what an operator watches."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.config import Settings, SettingsError
from app.content import load_guide
from app.observed import route_kind
from app.web import create_app
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.recipes import VENV_BIN, guide_env, start_guide
from tests.sessions.helpers import answer, attendee_events, start

FIRST = load_guide(VALID).stations[0].slug


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample at the listener, by (name, sorted labels)."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def requests(samples: dict, kind: str, status: str = "200") -> float:
    return samples.get(("zevenstops_requests_total", (("kind", kind), ("status", status))), 0.0)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url="")


def test_off_by_default_and_never_on_the_guides_address(settings: Settings) -> None:
    assert Settings.from_env({}).metrics_address == ""
    with TestClient(create_app(settings)) as client:
        assert client.get("/metrics").status_code == 404
    port = free_port()
    with TestClient(create_app(replace(settings, metrics_address=f"127.0.0.1:{port}"))) as client:
        assert client.get("/metrics").status_code == 404  # the public app has no such route
        assert "zevenstops_requests_total" in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text


def test_requests_sessions_and_answers_are_counted(settings: Settings) -> None:
    port = free_port()
    with TestClient(create_app(replace(settings, metrics_address=f"127.0.0.1:{port}"))) as client:
        before = scrape(port)
        for _ in range(3):
            assert client.get("/").status_code == 200
        assert client.get("/bestaat-niet").status_code == 404
        assert client.get("/healthz").status_code == 200
        deck = start(client)
        with TestClient(client.app) as attendee:
            assert answer(attendee, deck.code, halte=FIRST, score="4") == 303
        after = scrape(port)
    assert requests(after, "page") - requests(before, "page") == 3
    assert requests(after, "page", "404") - requests(before, "page", "404") == 1
    assert requests(after, "health") - requests(before, "health") == 1
    assert after[("zevenstops_answers_total", ())] - before[("zevenstops_answers_total", ())] == 1
    assert after[("zevenstops_database_statements_total", ())] > before[("zevenstops_database_statements_total", ())]
    assert after[("zevenstops_sessions_active", ())] == 1
    assert after[("zevenstops_request_duration_seconds_count", (("kind", "page"),))] >= 3
    assert any(name == "zevenstops_info" and value == 1 for (name, _), value in after.items())


def test_a_wrong_address_stops_the_start_in_dutch() -> None:
    with pytest.raises(SettingsError, match=r"127\.0\.0\.1:9464"):
        Settings.from_env({"ZEVENSTOPS_METRICS_ADDRESS": "9464"})
    assert Settings.from_env({"ZEVENSTOPS_METRICS_ADDRESS": "[::1]:9464"}).metrics_address == "[::1]:9464"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "page"),
        ("/stops/ambitie/", "page"),
        ("/static/app.css", "static"),
        ("/stops/ambitie.pdf", "pdf"),
        ("/s/ABCD12/events", "stream"),
        ("/sessies/ABCD12/events", "stream"),
        ("/s/ABCD12", "attendee"),
        ("/sessies/ABCD12/presenteren/", "facilitator"),
        ("/api/stops", "api"),
        ("/oembed", "api"),
        ("/healthz", "health"),
        ("/qr/gids.svg", "qr"),
        ("/docs", "docs"),
        ("/metrics", "metrics"),
        ("/s/ABCD12/uitslag.pdf", "pdf"),
    ],
)
def test_route_kinds(path: str, kind: str) -> None:
    """One vocabulary for the log's kind= and the metrics' kind label (app/observed.py)."""
    assert route_kind(path) == kind


def test_several_workers_report_their_sum(tmp_path: Path) -> None:
    """uvicorn --workers 2 with PROMETHEUS_MULTIPROC_DIR: whichever worker answers a scrape reports all."""
    port, metrics_port = free_port(), free_port()
    (tmp_path / "prometheus").mkdir()
    env = guide_env(
        VALID,
        tmp_path / "data",
        ZEVENSTOPS_METRICS_ADDRESS=f"127.0.0.1:{metrics_port}",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "prometheus"),
    )
    cmd = [str(VENV_BIN / "uvicorn"), "app.main:app", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with Processes(tmp_path) as procs:
        start_guide(procs, "workers", cmd, env, port)
        before = requests(scrape(metrics_port), "page")  # the start-up check's requests
        for _ in range(40):  # a new connection each, so both workers take some
            assert httpx.get(base + "/", timeout=10).status_code == 200
        totals = {requests(scrape(metrics_port), "page") - before for _ in range(10)}
        with httpx.Client(base_url=base, timeout=10) as facilitator:
            deck = start(facilitator)
        with attendee_events(base, deck.code) as stream:
            stream.next("halte")
            streams = {scrape(metrics_port)[("zevenstops_event_streams_open", ())] for _ in range(10)}
    assert totals == {40.0}, totals
    assert streams == {1.0}, streams
