"""What one `python -m bench` run is asked to do (Plan) and what it found (Results), read by the report."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from bench import budget as budget_mod
from bench import build_time, edit, lighthouse, pdf_bench, pdf_storm, startup
from bench.wrk import WrkResult

SECTIONS = ("build", "start", "edit", "storm", "throughput", "pdf", "load", "budget", "lighthouse")


@dataclass
class Plan:
    rounds: int = 5
    seconds: int = 10
    warmup: int = 3
    threads: int = 2
    connections: int = 50
    load_seconds: int = 60
    load_warmup: int = 5
    load_connections: int = 128
    lighthouse_runs: int = 3
    build_runs: int = 5
    cold_runs: int = 3
    edits: int = 5
    storm_rounds: int = 3
    storm_concurrency: int = 12
    server_cpus: str | None = None  # taskset list for the servers, e.g. "0"
    wrk_cpus: str | None = None


@dataclass
class Results:
    started: dt.datetime
    plan: Plan
    sections: tuple[str, ...] = SECTIONS
    machine: dict[str, str] = field(default_factory=dict)
    commands: list[tuple[str, str]] = field(default_factory=list)
    build: build_time.BuildTimes | None = None
    starts: list[startup.ColdStart] = field(default_factory=list)
    start_phases: dict[str, tuple[float, float]] = field(default_factory=dict)  # (wall, CPU) of imports, create_app
    edits: edit.EditLatency | None = None
    storm: pdf_storm.Storm | None = None
    same_response: dict[str, str] = field(default_factory=dict)
    cache: list[tuple[str, str, str]] = field(default_factory=list)  # (check, observed, ok)
    compression: list[tuple[str, int, int, int | None]] = field(default_factory=list)  # (what, raw, gzip, brotli)
    rounds: dict[str, list[WrkResult]] = field(default_factory=dict)
    overhead: dict[str, float] = field(default_factory=dict)  # µs per request inside the ASGI callable
    budgets: list[budget_mod.Budget] = field(default_factory=list)
    load: dict[str, Any] = field(default_factory=dict)
    lighthouse_version: str = ""
    lighthouse: list[lighthouse.Report] = field(default_factory=list)
    pdfs: list[pdf_bench.PdfTiming] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    load_averages: list[tuple[str, str]] = field(default_factory=list)  # (section, load average before it)
    finished: dt.datetime | None = None

    def median(self, name: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.rounds[name])

    def ratio(self, a: str, b: str) -> float:
        return self.median(a, "rps") / self.median(b, "rps")

    def round_ratios(self, a: str, b: str) -> list[float]:
        return [x.rps / y.rps for x, y in zip(self.rounds[a], self.rounds[b])]
