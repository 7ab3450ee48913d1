"""One benchmark run: `python -m bench [--quick]`; results printed and written to docs/performance.md.

1. Throughput: the guide (`app.main:app`), a bare ASGI app returning the same bytes and
   headers (`bench/bare_app.py`), both under uvicorn (uvloop, httptools, one worker), and
   nginx (one worker) serving the static export; wrk against each, interleaved, several
   rounds, medians.
2. Page budget of `/` and a station page in Chromium: requests, bytes on the wire, origins.
3. Load: 128 connections round-robin over `/` and every station page on a fresh server:
   socket errors, statuses other than 200, resident memory growth.
4. Lighthouse (default mobile) on `/`, a station page and `/embed` (skipped while it 404s).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from app.config import Settings
from app.content import load_guide
from app.web import build_site
from bench import budget as budget_mod
from bench import facts, lighthouse, pdf_bench, report
from bench import sessions as sessions_bench
from bench.procs import Processes, rss_kib
from bench.servers import ROOT, Server, export_site, start_nginx, start_uvicorn
from bench.wrk import LOAD_SCRIPT, WrkResult, run_wrk

THROUGHPUT_TARGET = 0.8
RSS_GROWTH_LIMIT = 0.10
LIGHTHOUSE_PATHS = ("/", "/stops/{first}", "/embed")


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
    server_cpus: str | None = None  # taskset list for the servers, e.g. "0"
    wrk_cpus: str | None = None


@dataclass
class Results:
    started: dt.datetime
    plan: Plan
    machine: dict[str, str] = field(default_factory=dict)
    commands: list[tuple[str, str]] = field(default_factory=list)
    same_response: dict[str, object] = field(default_factory=dict)
    cache: list[tuple[str, str, str]] = field(default_factory=list)  # (check, observed, ok)
    compression: list[tuple[str, int, int, int | None]] = field(default_factory=list)  # (what, raw, gzip, brotli)
    rounds: dict[str, list[WrkResult]] = field(default_factory=dict)
    overhead: dict[str, float] = field(default_factory=dict)  # µs per request inside the ASGI callable
    budgets: list[budget_mod.Budget] = field(default_factory=list)
    load: dict[str, object] = field(default_factory=dict)
    lighthouse_version: str = ""
    lighthouse: list[lighthouse.Report] = field(default_factory=list)
    pdfs: list[pdf_bench.PdfTiming] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    finished: dt.datetime | None = None

    def median(self, name: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.rounds[name])

    def ratio(self, a: str, b: str) -> float:
        return self.median(a, "rps") / self.median(b, "rps")

    def round_ratios(self, a: str, b: str) -> list[float]:
        return [x.rps / y.rps for x, y in zip(self.rounds[a], self.rounds[b])]


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="short durations, for a smoke run (numbers are not meaningful)"
    )
    parser.add_argument("--rounds", type=int, help="throughput rounds (default 3)")
    parser.add_argument("--seconds", type=int, help="seconds per throughput run (default 10)")
    parser.add_argument("--load-seconds", type=int, help="seconds of the load test (default 60)")
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="skip the load test")
    parser.add_argument("--skip-pdf", action="store_true", help="skip the PDF timings")
    parser.add_argument(
        "--lighthouse-path", action="append", dest="lighthouse_paths", help="path to audit (repeatable)"
    )
    parser.add_argument("--server-cpus", help="pin the servers to these CPUs (taskset list; default 0 on 2+ CPUs)")
    parser.add_argument("--wrk-cpus", help="pin wrk to these CPUs (taskset list; default 1 on 2+ CPUs)")
    parser.add_argument("--no-pin", action="store_true", help="let the scheduler place servers and wrk")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "docs" / "performance.md", help="the Markdown report (overwritten)"
    )
    args = parser.parse_args(argv)

    plan = Plan()
    if args.quick:
        plan = replace(plan, rounds=1, seconds=2, warmup=1, load_seconds=5, load_warmup=1, lighthouse_runs=1)
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
    results = Results(started=dt.datetime.now().astimezone(), plan=plan)
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
    guide = load_guide(content_dir)
    slugs = [s.slug for s in guide.stations]
    site = build_site(replace(Settings.from_env(), content_dir=content_dir))
    page = site.resources["/"]

    # -- servers ---------------------------------------------------------------------------------
    say("Exporting the site and starting nginx, the guide and the bare ASGI app…")
    export_site(procs, tmp / "site", content_dir)
    skip = {b"content-type", b"etag", b"vary", b"content-length"}
    nginx_headers = [(k.decode(), v.decode()) for k, v in page.headers if k not in skip]
    servers = {
        "app": start_uvicorn(procs, "app", "app.main:app", content_dir, plan.server_cpus),
        "bare": start_uvicorn(procs, "bare", "bench.bare_app:app", content_dir, plan.server_cpus),
        "nginx": start_nginx(procs, tmp / "site", tmp / "nginx", nginx_headers, plan.server_cpus),
    }
    compare_responses(results, servers)
    results.overhead = asgi_overhead(content_dir)
    say(
        "Per-request time inside the ASGI app (no network): "
        + ", ".join(f"{k} {v:.2f} µs" for k, v in results.overhead.items())
    )
    check_cache(results, servers["app"].url, site)
    results.compression = compression(site, tmp)

    # -- throughput ------------------------------------------------------------------------------
    say(
        f"\nThroughput: wrk -t{plan.threads} -c{plan.connections} -d{plan.seconds}s, {plan.rounds} round(s), interleaved"
    )
    names = list(servers)
    for name in names:
        run_wrk(
            servers[name].url + "/",
            threads=plan.threads,
            connections=plan.connections,
            seconds=plan.warmup,
            cpus=plan.wrk_cpus,
        )
    results.rounds = {name: [] for name in names}
    for round_no in range(plan.rounds):
        order = names[round_no % len(names) :] + names[: round_no % len(names)]  # rotate who goes first
        for name in order:
            result = run_wrk(
                servers[name].url + "/",
                threads=plan.threads,
                connections=plan.connections,
                seconds=plan.seconds,
                cpus=plan.wrk_cpus,
            )
            results.rounds[name].append(result)
            say(
                f"  round {round_no + 1} {name:5} {result.rps:10.0f} req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  errors {result.errors}  non-2xx {result.non_2xx_3xx}"
            )
    say(report.throughput_table(results))
    for server in servers.values():
        procs.stop(server.proc)

    # -- PDFs ------------------------------------------------------------------------------------
    if args.skip_pdf:
        say("\nPDFs skipped (--skip-pdf).")
    else:
        say("\nPDFs: a fresh server prints all eight, then answers each again from memory")
        printer = start_uvicorn(procs, "app-pdf", "app.main:app", content_dir, plan.server_cpus)
        results.pdfs = pdf_bench.measure(printer.url, guide, repeats=5 if args.quick else 20)
        say(pdf_bench.table(results.pdfs))
        procs.stop(printer.proc)

    # -- load ------------------------------------------------------------------------------------
    app = start_uvicorn(procs, "app-load", "app.main:app", content_dir, plan.server_cpus)
    if args.skip_load:
        say("\nLoad test skipped (--skip-load).")
    else:
        say(
            f"\nLoad: {plan.load_connections} connections for {plan.load_seconds} s over / and {len(slugs)} station pages, fresh server"
        )
        results.load = load_test(app, plan, ["/", *(f"/stops/{slug}" for slug in slugs)])
        say(report.load_summary(results))

    # -- page budget -----------------------------------------------------------------------------
    say("\nPage budget in Chromium (fresh context, cache disabled):")
    results.budgets = budget_mod.measure([app.url + "/", app.url + f"/stops/{slugs[0]}"])
    for b in results.budgets:
        say(
            f"  {b.url.removeprefix(app.url)}: {b.requests} requests, {b.transferred / 1024:.1f} KiB transferred, "
            f"{len(b.other_origins())} to other origins, {len(b.failures())} failed"
        )

    # -- Lighthouse ------------------------------------------------------------------------------
    if args.skip_lighthouse:
        say("\nLighthouse skipped (--skip-lighthouse).")
        return
    say("\nLighthouse (default mobile):")
    results.lighthouse_version = lighthouse.ensure_installed()
    paths = args.lighthouse_paths or [p.format(first=slugs[0]) for p in LIGHTHOUSE_PATHS]
    for path in paths:
        url = app.url + path
        status = httpx.get(url, timeout=10).status_code
        if status != 200:
            results.lighthouse.append(lighthouse.Report(url, skipped=f"{path} answers {status}"))
            say(f"  {path}: skipped, it answers {status}")
            continue
        out_dir = tmp / f"lighthouse-{len(results.lighthouse)}"
        out_dir.mkdir()
        procs.commands.append(
            (
                "lighthouse",
                f"CHROME_PATH={budget_mod.CHROMIUM} " + shlex.join(lighthouse.command(url, Path("report.json"))),
            )
        )
        rep = lighthouse.audit_median(url, out_dir, plan.lighthouse_runs)
        results.lighthouse.append(rep)
        say(
            f"  {path}: "
            + ", ".join(f"{k} {v}" for k, v in rep.scores.items())
            + (
                f" (performance per run: {', '.join(map(str, rep.performance_runs))})"
                if len(rep.performance_runs) > 1
                else ""
            )
        )


def raw_get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """GET without decoding the body, so compressed bytes can be compared as sent."""
    with httpx.Client(timeout=10) as client, client.stream("GET", url, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def compare_responses(results: Results, servers: dict[str, Server]) -> None:
    """Fairness: the guide and the bare app must send the same bytes and headers for `/`."""
    gzip = {"accept-encoding": "gzip"}
    seen = {name: raw_get(s.url + "/", gzip) for name, s in servers.items()}
    ignore = {"date"}
    app_status, app_headers, app_body = seen["app"]
    bare_status, bare_headers, bare_body = seen["bare"]
    same_headers = {k: v for k, v in app_headers.items() if k not in ignore} == {
        k: v for k, v in bare_headers.items() if k not in ignore
    }
    results.same_response = {
        "identical body app/bare": "yes" if app_body == bare_body else "**no**",
        "identical headers app/bare (except date)": "yes" if same_headers else "**no**",
        "body bytes (gzip) app / bare / nginx": " / ".join(str(len(seen[n][2])) for n in ("app", "bare", "nginx")),
        "content-encoding app / bare / nginx": " / ".join(
            seen[n][1].get("content-encoding", "none") for n in ("app", "bare", "nginx")
        ),
        "header bytes app / bare / nginx": " / ".join(
            str(sum(len(k) + len(v) + 4 for k, v in seen[n][1].items())) for n in ("app", "bare", "nginx")
        ),
    }
    if not (app_status == bare_status == 200 and app_body == bare_body and same_headers):
        raise RuntimeError(f"the guide and the bare app do not answer alike: {results.same_response}")


def asgi_overhead(content_dir: Path, calls: int = 20_000, repeats: int = 5) -> dict[str, float]:
    """Microseconds per request spent inside each ASGI callable, called directly (best of `repeats`).

    No sockets and no uvicorn: this isolates what the guide's layer adds over the bare app.
    """
    os.environ["ZEVENSTOPS_CONTENT_DIR"] = str(content_dir)
    from app.web import create_app
    from bench import bare_app

    apps = {"app": create_app(replace(Settings.from_env(), content_dir=content_dir)), "bare": bare_app.app}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept-encoding", b"gzip")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        return None

    async def measure(app) -> float:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(calls):
                await app(dict(scope), receive, send)
            best = min(best, (time.perf_counter() - start) / calls * 1e6)
        return best

    return {name: asyncio.run(measure(app)) for name, app in apps.items()}


def check_cache(results: Results, base: str, site) -> None:
    """The response cache as a client sees it: ETag and 304, Cache-Control, gzip."""
    checks = []
    page = httpx.get(base + "/", headers={"accept-encoding": "gzip"}, timeout=10)
    etag = page.headers.get("etag", "")
    checks.append(
        ("`/` Cache-Control", page.headers.get("cache-control", ""), page.headers.get("cache-control") == "no-cache")
    )
    checks.append(("`/` strong ETag", etag, etag.startswith('"')))
    again = httpx.get(base + "/", headers={"if-none-match": etag}, timeout=10)
    checks.append(
        (
            "`/` with If-None-Match",
            f"{again.status_code}, {len(again.content)} body bytes",
            again.status_code == 304 and not again.content,
        )
    )
    checks.append(
        (
            "`/` Content-Encoding",
            page.headers.get("content-encoding", "none"),
            page.headers.get("content-encoding") == "gzip",
        )
    )
    hashed = next(p for p in site.resources if p.startswith("/static/") and p.count(".") >= 2)
    asset = httpx.get(base + hashed, timeout=10)
    immutable = "public, max-age=31536000, immutable"
    checks.append(
        (
            f"`{hashed}` Cache-Control",
            asset.headers.get("cache-control", ""),
            asset.headers.get("cache-control") == immutable,
        )
    )
    results.cache = [(what, seen, "yes" if ok else "**no**") for what, seen, ok in checks]


def compression(site, tmp: Path) -> list[tuple[str, int, int, int | None]]:
    """Raw, gzip (as served) and brotli (quality 11, via Node's zlib) sizes: does brotli pay?"""
    import json
    import shutil

    from bench.procs import run

    picks = ["/", *sorted(p for p in site.resources if p.startswith("/static/") and p.count(".") >= 2)]
    rows = []
    files = {}
    for path in picks:
        resource = site.resources[path]
        name = tmp / f"body-{len(files)}"
        name.write_bytes(resource.body)
        files[path] = name
    brotli: dict[str, int] = {}
    node = shutil.which("node")
    if node:
        script = (
            "const z=require('zlib'),fs=require('fs');const out={};"
            "for(const [k,f] of Object.entries(JSON.parse(process.argv[1])))"
            "out[k]=z.brotliCompressSync(fs.readFileSync(f),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length;"
            "console.log(JSON.stringify(out))"
        )
        done = run([node, "-e", script, json.dumps({k: str(v) for k, v in files.items()})], timeout=60)
        if done.returncode == 0:
            brotli = json.loads(done.stdout)
    for path in picks:
        resource = site.resources[path]
        gz = len(resource.gzipped) if resource.gzipped is not None else len(resource.body)
        rows.append((path, len(resource.body), gz, brotli.get(path)))
    return rows


def load_test(app: Server, plan: Plan, paths: list[str]) -> dict[str, object]:
    """wrk at `load_connections` for `load_seconds`, sampling the server's RSS every second."""
    idle = rss_kib(app.pid)
    warm_run = run_wrk(
        app.url + "/",
        threads=plan.threads,
        connections=plan.load_connections,
        seconds=plan.load_warmup,
        script=LOAD_SCRIPT,
        script_args=tuple(paths),
        cpus=plan.wrk_cpus,
    )
    warm = rss_kib(app.pid)
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            try:
                samples.append(rss_kib(app.pid))
            except (OSError, RuntimeError):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = run_wrk(
            app.url + "/",
            threads=plan.threads,
            connections=plan.load_connections,
            seconds=plan.load_seconds,
            script=LOAD_SCRIPT,
            script_args=tuple(paths),
            cpus=plan.wrk_cpus,
        )
    finally:
        stop.set()
        sampler.join(timeout=5)
    time.sleep(1)
    after = rss_kib(app.pid)
    alive = httpx.get(app.url + "/healthz", timeout=10).status_code == 200
    growth = (after - warm) / warm
    return {
        "paths": paths,
        "warmup": warm_run,
        "result": result,
        "rss_idle_kib": idle,
        "rss_warm_kib": warm,
        "rss_after_kib": after,
        "rss_peak_kib": max(samples or [after]),
        "growth_from_warm": growth,
        "growth_from_idle": (after - idle) / idle,
        "alive_after": alive,
        "met": result.errors == 0
        and result.non_2xx_3xx == 0
        and result.non_200 == 0
        and growth < RSS_GROWTH_LIMIT
        and alive,
    }


if __name__ == "__main__":
    sys.exit(main())
