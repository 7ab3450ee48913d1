"""The sections of one `python -m bench` run, measured in turn on fresh servers (see bench/__main__.py)."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.build import build_site
from app.config import Settings
from app.http import Served
from app.urls import EMBED_PATH, station_path
from bench import budget as budget_mod
from bench import build_time, edit, facts, lighthouse, pdf_bench, pdf_storm, report, startup, throughput
from bench.load import load_test
from bench.procs import Processes, wait_idle
from bench.results import Plan, Results
from bench.servers import export_site as export_for_nginx
from bench.servers import start_nginx, start_uvicorn
from bench.wrk import run_wrk


def say(text: str) -> None:
    print(text, flush=True)


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
