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
import statistics
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.build import build_site
from app.config import Settings
from app.http import Served
from app.urls import EMBED_PATH, station_path
from bench import budget as budget_mod
from bench import build_time, edit, facts, lighthouse, pdf_bench, pdf_storm, report, startup, throughput
from bench import sessions as sessions_bench
from bench.load import load_test
from bench.procs import Processes, wait_idle
from bench.servers import ROOT, start_nginx, start_uvicorn
from bench.servers import export_site as export_for_nginx
from bench.wrk import WrkResult, run_wrk

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


def say(text: str) -> None:
    print(text, flush=True)


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
    args.out.write_text(sessions_bench.keep(previous, report.markdown(results, quick=args.quick)))
    say(f"\nWrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 1 if results.errors else 0


def run_all(
    args: argparse.Namespace, plan: Plan, results: Results, procs: Processes, tmp: Path, content_dir: Path
) -> None:
    settings = replace(Settings.from_env(), content_dir=content_dir, base_url="")
    site = build_site(settings)
    slugs = [s.slug for s in site.guide.stations]
    sections = results.sections

    def begin(section: str, title: str) -> None:
        results.load_averages.append((section, facts.loadavg()))
        say(f"\n{title} (load average {facts.loadavg()})")

    def fresh(name: str, record: bool = True) -> Any:
        return start_uvicorn(procs, name, "app.main:app", content_dir, plan.server_cpus, record=record)

    if "build" in sections:
        begin("build", f"Build time: {plan.build_runs} build(s) now and at {args.before_commit}, each after a first")
        results.build = build_time.measure(plan.build_runs, content_dir, tmp, args.before_commit)
        procs.commands += build_time.commands(plan.build_runs, content_dir, tmp, args.before_commit)
        say(build_time.table(results.build))

    if "start" in sections:
        begin("start", f"Cold start to the first 200, {plan.cold_runs} run(s) of each command")
        results.starts = startup.measure(procs, content_dir, plan.cold_runs)
        results.start_phases = startup.phases(content_dir, plan.cold_runs)
        say(startup.table(results.starts, results.start_phases))

    if "edit" in sections:
        begin("edit", f"Edit-to-served under metro serve --reload, {plan.edits} edits")
        results.edits = edit.measure(procs, content_dir, tmp, plan.edits)
        say(edit.table(results.edits))

    if "storm" in sections:
        begin("storm", f"PDF storm: {plan.storm_concurrency} concurrent cold {pdf_storm.PATH} against one")
        results.storm = pdf_storm.measure(procs, fresh, concurrency=plan.storm_concurrency, rounds=plan.storm_rounds)
        say(pdf_storm.table(results.storm))

    if "throughput" in sections:
        begin("throughput", "Exporting the site and starting nginx, the guide and the bare ASGI app")
        measure_throughput(plan, results, procs, tmp, content_dir, site)

    if "pdf" in sections:
        begin("pdf", "PDFs: a fresh server prints all eight, then answers each again from memory")
        printer = fresh("app-pdf")
        wait_idle(printer.pid)
        results.pdfs = pdf_bench.measure(printer.url, site.guide, repeats=5 if args.quick else 20)
        say(pdf_bench.table(results.pdfs))
        procs.stop(printer.proc)

    if not {"load", "budget", "lighthouse"} & set(sections):
        return
    app = fresh("app-load")
    wait_idle(app.pid)
    if "load" in sections:
        begin(
            "load",
            f"Load: {plan.load_connections} connections for {plan.load_seconds} s over / and {len(slugs)} station pages, fresh server",
        )
        paths = ["/", *("/" + station_path(slug) for slug in slugs)]
        results.load = load_test(
            app,
            paths,
            threads=plan.threads,
            connections=plan.load_connections,
            seconds=plan.load_seconds,
            warmup=plan.load_warmup,
            cpus=plan.wrk_cpus,
        )
        say(report.load_summary(results))

    if "budget" in sections:
        begin("budget", "Page budget in Chromium (fresh context, cache disabled)")
        results.budgets = budget_mod.measure([app.url + "/", app.url + "/" + station_path(slugs[0])])
        for b in results.budgets:
            say(
                f"  {b.url.removeprefix(app.url)}: {b.requests} requests, {b.transferred / 1024:.1f} KiB transferred, "
                f"{len(b.other_origins())} to other origins, {len(b.failures())} failed"
            )

    if "lighthouse" in sections:
        begin("lighthouse", "Lighthouse (default mobile)")
        paths = args.lighthouse_paths or ["/", "/" + station_path(slugs[0]), "/" + EMBED_PATH]
        results.lighthouse_version, results.lighthouse = lighthouse.audit_paths(
            procs, app.url, paths, tmp, plan.lighthouse_runs, say
        )


def measure_throughput(plan: Plan, results: Results, procs: Processes, tmp: Path, content_dir: Path, site: Any) -> None:
    """Fairness checks, then wrk against the guide, the bare app and nginx, interleaved."""
    ancestors = " ".join(Settings.from_env().frame_ancestors)
    page = Served(site, ancestors).resources["/"]
    export_for_nginx(procs, tmp / "site", content_dir)
    skip = {b"content-type", b"etag", b"vary", b"content-length"}
    nginx_headers = [(k.decode(), v.decode()) for k, v in page.headers if k not in skip]
    servers = {
        "app": start_uvicorn(procs, "app", "app.main:app", content_dir, plan.server_cpus),
        "bare": start_uvicorn(procs, "bare", "bench.bare_app:app", content_dir, plan.server_cpus),
        "nginx": start_nginx(procs, tmp / "site", tmp / "nginx", nginx_headers, plan.server_cpus),
    }
    for server in servers.values():
        wait_idle(server.pid)  # the guide compresses with brotli in the background after it starts
    results.same_response = throughput.compare_responses(servers)
    results.overhead = throughput.asgi_overhead(content_dir)
    say(
        "Per-request time inside the ASGI app (no network): "
        + ", ".join(f"{k} {v:.2f} µs" for k, v in results.overhead.items())
    )
    results.cache = throughput.check_cache(servers["app"].url, site)
    results.compression = throughput.compression(site, ancestors)
    say(f"Throughput: wrk -t{plan.threads} -c{plan.connections} -d{plan.seconds}s, {plan.rounds} round(s), interleaved")
    names = list(servers)
    wrk = dict(threads=plan.threads, connections=plan.connections, cpus=plan.wrk_cpus)
    for name in names:
        run_wrk(servers[name].url + "/", seconds=plan.warmup, **wrk)  # type: ignore[arg-type]
    results.rounds = {name: [] for name in names}
    for round_no in range(plan.rounds):
        order = names[round_no % len(names) :] + names[: round_no % len(names)]  # rotate who goes first
        for name in order:
            result = run_wrk(servers[name].url + "/", seconds=plan.seconds, **wrk)  # type: ignore[arg-type]
            results.rounds[name].append(result)
            say(
                f"  round {round_no + 1} {name:5} {result.rps:10.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
                f"p99 {result.p99_ms:6.2f} ms  errors {result.errors}  non-2xx {result.non_2xx_3xx}"
            )
    say(report.throughput_table(results))
    for server in servers.values():
        procs.stop(server.proc)


if __name__ == "__main__":
    sys.exit(main())
