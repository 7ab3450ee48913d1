"""One benchmark run: `python -m bench [--quick] [--only SECTIONS]`; results printed and written to docs/performance.md.

Sections, in the order they run:
- build: `build_site` on the real content, now and before the one-build refactor (old tree from git).
- start: cold start of `metro serve` and `uvicorn app.main:app` to the first 200 for `/`.
- edit: edit-to-served latency under `metro serve --reload` on a copy of the content.
- storm: 12 concurrent cold requests for `/guide.pdf` against one, each on a fresh server.
- throughput: the guide (`app.main:app`), a bare ASGI app returning the same bytes and headers
  (`bench/bare_app.py`), both under uvicorn (uvloop, httptools, one worker), and nginx (one
  worker) serving the static export; wrk against each, interleaved, several rounds, medians.
- pdf: every PDF cold, then from the cache.
- load: 128 connections round-robin over `/` and every station page on a fresh server:
  socket errors, statuses other than 200, resident memory growth.
- budget: the page budget of `/` and a station page in Chromium: requests, bytes, origins.
- lighthouse: Lighthouse (default mobile) on `/`, a station page and `/embed/`.

Live sessions have programs of their own, each writing its own section of the same report,
which this one keeps: `python -m bench.sessions` (300 attendees in one session) and
`python -m bench.national` (50 sessions × 100 attendees, against a bare SSE broadcaster).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from app.config import Settings
from bench import build_time, facts, report
from bench.procs import Processes
from bench.report_sections import keep as keep_own_sections
from bench.results import SECTIONS, Plan, Results
from bench.runner import run_all, say
from bench.servers import ROOT


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="short durations, for a smoke run (numbers are not meaningful)"
    )
    parser.add_argument("--only", help=f"comma-separated sections to run (of: {', '.join(SECTIONS)})")
    parser.add_argument("--rounds", type=int, help="throughput rounds (default 5)")
    parser.add_argument("--seconds", type=int, help="seconds per throughput run (default 10)")
    parser.add_argument("--load-seconds", type=int, help="seconds of the load test (default 60)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="skip the load test")
    parser.add_argument("--skip-pdf", action="store_true", help="skip the PDF timings (and the PDF storm)")
    parser.add_argument(
        "--lighthouse-path", action="append", dest="lighthouse_paths", help="path to audit (repeatable)"
    )
    parser.add_argument("--server-cpus", help="pin the servers to these CPUs (taskset list; default 0 on 2+ CPUs)")
    parser.add_argument("--wrk-cpus", help="pin wrk to these CPUs (taskset list; default 1 on 2+ CPUs)")
    parser.add_argument("--no-pin", action="store_true", help="let the scheduler place servers and wrk")
    parser.add_argument(
        "--before-commit", default=build_time.BEFORE_COMMIT, help="the old code whose build time is the 'before'"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "performance.md", help="the Markdown report (overwritten)"
    )
    return parser.parse_args(argv)


def _sections(args: argparse.Namespace) -> tuple[str, ...]:
    chosen = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(unknown)} (known: {', '.join(SECTIONS)})")
    skipped = set()
    if args.skip_lighthouse:
        skipped.add("lighthouse")
    if args.skip_load:
        skipped.add("load")
    if args.skip_pdf:
        skipped.update(("pdf", "storm"))
    return tuple(s for s in SECTIONS if s in chosen and s not in skipped)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    plan = Plan()
    if args.quick:
        plan = replace(
            plan,
            rounds=1,
            seconds=2,
            warmup=1,
            load_seconds=5,
            load_warmup=1,
            lighthouse_runs=1,
            build_runs=1,
            cold_runs=1,
            edits=2,
            storm_rounds=1,
        )
    plan = replace(
        plan,
        rounds=args.rounds or plan.rounds,
        seconds=args.seconds or plan.seconds,
        load_seconds=args.load_seconds or plan.load_seconds,
        server_cpus=args.server_cpus,
        wrk_cpus=args.wrk_cpus,
    )
    if not args.no_pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        # The server under test gets one CPU to itself and wrk the other, so the two never
        # compete for the same core; this steadies the numbers on a 2-core machine.
        plan = replace(plan, server_cpus=plan.server_cpus or "0", wrk_cpus=plan.wrk_cpus or "1")
    results = Results(started=dt.datetime.now().astimezone(), plan=plan, sections=_sections(args))
    results.machine = facts.machine()
    content_dir = Settings.from_env().content_dir
    with tempfile.TemporaryDirectory(prefix="zevenstops-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx's worker (www-data) reads the export from here
        (tmp / "logs").mkdir()
        with Processes(tmp / "logs") as procs:
            try:
                run_all(args, plan, results, procs, tmp, content_dir)
            except Exception as err:  # report what was measured, then fail
                results.errors.append(f"{type(err).__name__}: {err}")
                say(f"\nERROR: {err}")
            finally:
                results.commands = procs.commands
    results.finished = dt.datetime.now().astimezone()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = args.out.read_text() if args.out.exists() else ""
    args.out.write_text(keep_own_sections(previous, report.markdown(results, quick=args.quick)))
    say(f"\nWrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
