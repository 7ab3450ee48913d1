"""Prometheus metrics on an address of their own (`ZEVENSTOPS_METRICS_ADDRESS`), off by default.

Never on the guide's public address: the listener is a separate port, meant for 127.0.0.1 or
the platform's internal network. What it counts:

    zevenstops_requests_total{kind,status}        requests by route kind and status code
    zevenstops_request_duration_seconds{kind}     time to the last byte (event streams left out)
    zevenstops_event_streams_open                 attendees' and facilitators' open streams
    zevenstops_sessions_active                    live sessions in the database (read at scrape)
    zevenstops_answers_total                      scores given
    zevenstops_database_statements_total          SQL statements sent to the sessions' database
    zevenstops_pdf_prints_total / _pdf_printing   PDFs printed / being printed now
    zevenstops_pdf_refused_total{reason}          "busy" or "unavailable"
    zevenstops_content_rebuilds_total{result}     "ok" or "failed"
    zevenstops_info{version}                      always 1

Several workers (`uvicorn --workers`, gunicorn): give them one empty folder in
`PROMETHEUS_MULTIPROC_DIR` (the prometheus-client convention) and every worker binds the same
metrics port (SO_REUSEPORT); whichever answers a scrape reports the sum over all of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import Scope

log = logging.getLogger("zevenstops")

REQUESTS = Counter("zevenstops_requests", "Requests answered, by route kind and status code", ["kind", "status"])
DURATION = Histogram(
    "zevenstops_request_duration_seconds",
    "Time from the request to the last byte of the answer, by route kind (event streams left out)",
    ["kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
STREAMS = Gauge("zevenstops_event_streams_open", "Open event streams", multiprocess_mode="livesum")
ANSWERS = Counter("zevenstops_answers", "Scores given by attendees")
STATEMENTS = Counter("zevenstops_database_statements", "SQL statements sent to the sessions' database")
PRINTS = Counter("zevenstops_pdf_prints", "PDFs printed")
PRINTING = Gauge("zevenstops_pdf_printing", "PDFs being printed now", multiprocess_mode="livesum")
REFUSED = Counter("zevenstops_pdf_refused", "PDF requests refused", ["reason"])
REBUILDS = Counter("zevenstops_content_rebuilds", "Content rebuilds while serving", ["result"])
INFO = Gauge("zevenstops_info", "The running version", ["version"], multiprocess_mode="liveall")


def count_request(scope: Scope, kind: str, status: int, seconds: float) -> None:
    """The request metrics' observer for `Observed` (app/observed.py)."""
    REQUESTS.labels(kind, str(status)).inc()
    if kind != "stream":
        DURATION.labels(kind).observe(seconds)


class ActiveSessions(Collector):
    """The number of live sessions, read from the database at each scrape (shared by every worker)."""

    def __init__(self, count: Callable[[], int | None]):
        self.count = count

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            value = self.count()
        except Exception:  # the database is down: /healthz says so; the scrape still answers
            value = None
        if value is not None:
            yield GaugeMetricFamily("zevenstops_sessions_active", "Live sessions in the database", value=value)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    allow_reuse_port = True  # every worker binds the same port; any of them answers for all


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # scrapes are not worth a log line
        pass


def parse_address(value: str) -> tuple[str, int]:
    """`host:port` (IPv6 as `[::1]:9464`); a ValueError says what is wrong."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536 or not host:
        raise ValueError(f"{value!r} is geen adres zoals 127.0.0.1:9464")
    return host.strip("[]"), int(port)


_SESSIONS = ActiveSessions(lambda: None)  # registered once per process; each listener sets its count


def start_listener(address: str, version: str, count_sessions: Callable[[], int | None]) -> Callable[[], None]:
    """Serve the metrics at `address` in a thread of this process; returns how to stop it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_SESSIONS)
    else:
        registry = REGISTRY
        with contextlib.suppress(ValueError):  # registered by an earlier listener of this process
            registry.register(_SESSIONS)
    INFO.labels(version).set(1)
    _SESSIONS.count = count_sessions
    host, port = parse_address(address)
    server = make_server(host, port, make_wsgi_app(registry), _Server, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name="metrics", daemon=True)
    thread.start()
    log.info("Metrics at http://%s:%s/metrics", host, port)

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop
