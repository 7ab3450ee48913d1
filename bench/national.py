"""A national service: `python -m bench.national`; 50 sessions × 100 attendees, figures into docs/performance.md.

Three set-ups on 127.0.0.1, each a fresh uvicorn: the guide with 2 workers on PostgreSQL, the
guide with 1 worker on SQLite, and a bare Starlette SSE broadcaster (bench/bare_sse.py: no
database, a move goes straight from memory into the streams) as the ceiling. One load
generator holds all 5,000 attendees' streams plus a facilitator's stream per session: raw
asyncio streams with minimal hand-written HTTP/1.1 (join with its cookie, the SSE GET, the
answer POST), not one HTTP client object each, so one process on these 2 CPUs keeps up.

Per set-up: 50 sessions are started and their facilitators' streams opened; attendees join in
stages (0, 1,250, 2,500, 5,000 connected); at each stage every facilitator moves once, spread
over a few seconds, and the database statements per second over that window are read from the
guide's own counter (`zevenstops_database_statements_total`, every SQL statement its engines
send, summed over the workers by the metrics listener). With everyone connected the
facilitators move three times; on the first move every attendee answers once. Measured:
errors, answers counted (the result CSV of each session) against sent, move → attendee latency,
resident memory per connected attendee.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench import facts
from bench.live_server import measure
from bench.national_load import load
from bench.national_report import END, LIMITS, PER_SESSION, SESSIONS, START, Setup, section
from bench.procs import Processes, free_port
from bench.report_sections import write_section
from bench.servers import ROOT

__all__ = ["END", "START", "Setup", "main", "section"]  # what the tests and docs name here

SETUP_TIMEOUT = {"PostgreSQL": 285.0, "SQLite": 285.0, "": 75.0}  # seconds per set-up: about 11 min in all


def one_setup(procs: Processes, setup: Setup, tmp: Path, postgres: str, sessions: int, per_session: int) -> None:
    env = {**os.environ, **LIMITS}
    env.pop("ZEVENSTOPS_BASE_URL", None)
    env["ZEVENSTOPS_DATA_DIR"] = str(tmp / setup.name.replace(" ", "-").replace(",", ""))
    metrics_port = None
    if setup.database:
        metrics_port = free_port()
        env["ZEVENSTOPS_METRICS_ADDRESS"] = f"127.0.0.1:{metrics_port}"
        multiproc = tmp / f"metrics-{metrics_port}"
        multiproc.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(multiproc)
    setup.skipped = measure(
        procs,
        f"national-{setup.name}",
        setup.app,
        workers=setup.workers,
        env=env,
        database=setup.database,
        postgres=postgres,
        load=lambda base, rss: load(setup, base, metrics_port, rss, sessions, per_session),
        ready_timeout=90,
        load_timeout=SETUP_TIMEOUT[setup.database],
        errors=setup.errors,
        options=("--backlog", "4096"),
    )


def raise_open_files() -> int:
    """Let this process (and the servers it starts, which inherit it) hold every socket: the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


SETUPS = (
    Setup("guide, 2 workers, PostgreSQL", "app.main:app", 2, "PostgreSQL"),
    Setup("guide, 1 worker, SQLite", "app.main:app", 1, "SQLite"),
    Setup("bare Starlette SSE, 1 worker", "bench.bare_sse:app", 1, ""),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("ZEVENSTOPS_TEST_DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="fewer for a trial run")
    parser.add_argument("--per-session", type=int, default=PER_SESSION, help="attendees per session")
    args = parser.parse_args(argv)
    random.seed(13)
    open_files = raise_open_files()
    started, t0, load_average = time.strftime("%Y-%m-%d %H:%M %Z"), time.monotonic(), facts.loadavg()
    setups = [Setup(s.name, s.app, s.workers, s.database) for s in SETUPS]
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp, Processes(Path(tmp)) as procs:
        for setup in setups:
            print(f"{setup.name} (load average {facts.loadavg()}) …", flush=True)
            one_setup(procs, setup, Path(tmp), args.postgres, args.sessions, args.per_session)
            print(
                f"  errors {len(setup.errors)}, p95 {setup.percentile(95) * 1000:.0f} ms, "
                f"counted {setup.answers_counted}/{setup.answers_sent}, {setup.per_attendee_kib:.0f} KiB/attendee",
                flush=True,
            )
            for error in setup.errors[:5]:
                print(f"  {error}", flush=True)
    took = (time.monotonic() - t0) / 60
    write_section(
        args.out,
        section(setups, started, took, load_average, open_files, args.sessions, args.per_session),
        (START, END),
    )
    print(f"Wrote {args.out}")
    return 0 if all(all(s.checks().values()) or s.skipped for s in setups) else 1


if __name__ == "__main__":
    sys.exit(main())
