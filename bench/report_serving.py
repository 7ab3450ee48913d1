"""The report's sections on serving: throughput, caching and compression, load (in Chromium: bench/report_browser.py)."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from bench.budget import MAX_BYTES, MAX_REQUESTS
from bench.lighthouse import CATEGORIES
from bench.load import RSS_GROWTH_LIMIT
from bench.servers import GZIP_LEVEL

if TYPE_CHECKING:
    from bench.results import Results

THROUGHPUT_TARGET = 0.8
LABELS = {
    "app": "the guide (`app.main:app`, uvicorn)",
    "bare": "bare ASGI app, same bytes (`bench/bare_app.py`, uvicorn)",
    "nginx": "nginx, static export (ceiling)",
}


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def summary_row(what: str, measured: str, met: bool | None = None) -> str:
    """A row of the summary table: what is measured against which target, the figures, and whether
    the target is met ("—" for a figure given for information)."""
    return f"| {what} | {measured} | {'—' if met is None else yes(met)} |"


def mib(kib_value: float) -> str:
    return f"{kib_value / 1024:.1f} MiB"


def measured(r: Results) -> bool:
    return bool(r.rounds) and all(r.rounds.values())


def throughput_table(r: Results) -> str:
    if not measured(r):
        return "(no throughput measured)"
    lines = [
        "| server | req/s (median) | p50 | p99 | bytes/response | socket errors | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, runs in r.rounds.items():
        lines.append(
            f"| {LABELS.get(name, name)} | {r.median(name, 'rps'):,.0f} | {r.median(name, 'p50_ms'):.2f} ms "
            f"| {r.median(name, 'p99_ms'):.2f} ms | {r.median(name, 'bytes_per_response'):,.0f} "
            f"| {sum(x.errors for x in runs)} | {sum(x.non_2xx_3xx for x in runs)} |"
        )
    app_bare = r.ratio("app", "bare")
    per_round = r.round_ratios("app", "bare")
    lines += [
        "",
        f"- app / bare: **{app_bare:.2f}×** (per round: {', '.join(f'{x:.2f}' for x in per_round)}); "
        f"target ≥ {THROUGHPUT_TARGET:.1f}×: {yes(app_bare >= THROUGHPUT_TARGET)}; "
        f"median of the per-round ratios: {statistics.median(per_round):.2f}×",
        f"- app / nginx: **{r.ratio('app', 'nginx'):.2f}×** "
        f"(per round: {', '.join(f'{x:.2f}' for x in r.round_ratios('app', 'nginx'))}); "
        f"bare / nginx: {r.ratio('bare', 'nginx'):.2f}×",
    ]
    return "\n".join(lines)


def load_summary(r: Results) -> str:
    load = r.load
    if not load:
        return "(no load test)"
    res = load["result"]
    errors = ", ".join(f"{k} {v}" for k, v in res.socket_errors.items()) or "none reported"
    return "\n".join(
        [
            "| measure | value |",
            "|---|---:|",
            f"| requests | {res.requests:,} in {res.seconds:.1f} s ({res.rps:,.0f} req/s) |",
            f"| latency p50 / p99 | {res.p50_ms:.2f} ms / {res.p99_ms:.2f} ms |",
            f"| socket errors (connect, read, write, timeout) | {res.errors} ({errors}) |",
            f"| responses other than 200 (load.lua) / wrk's non-2xx-or-3xx | {res.non_200} / {res.non_2xx_3xx} |",
            f"| RSS idle → after warm-up → after load (peak) | {mib(load['rss_idle_kib'])} → {mib(load['rss_warm_kib'])} "
            f"→ {mib(load['rss_after_kib'])} ({mib(load['rss_peak_kib'])}) |",
            f"| RSS growth during the load (from warm) | {load['growth_from_warm'] * 100:+.1f} % "
            f"(limit +{RSS_GROWTH_LIMIT * 100:.0f} %) |",
            f"| RSS growth from idle, warm-up included | {load['growth_from_idle'] * 100:+.1f} % |",
            f"| `/healthz` answers after the load | {yes(bool(load['alive_after']))} |",
            f"| target met | {yes(bool(load['met']))} |",
        ]
    )


def summary_rows(r: Results) -> list[str]:
    rows = []
    if measured(r):
        ratio = r.ratio("app", "bare")
        rows.append(
            f"| `GET /` ≥ {THROUGHPUT_TARGET}× a bare ASGI app (wrk -c{r.plan.connections}) | {ratio:.2f}× "
            f"({r.median('app', 'rps'):,.0f} vs {r.median('bare', 'rps'):,.0f} req/s) | {yes(ratio >= THROUGHPUT_TARGET)} |"
        )
        rows.append(
            f"| (info) ratio to nginx serving the export | {r.ratio('app', 'nginx'):.2f}× "
            f"({r.median('nginx', 'rps'):,.0f} req/s) | — |"
        )
    for b in r.budgets:
        path = "/" + b.url.split("/", 3)[3] if b.url.count("/") >= 3 else b.url
        rows.append(
            f"| page budget `{path}`: ≤ {MAX_REQUESTS} requests, ≤ 60 KB ({MAX_BYTES:,} B), no other origins | "
            f"{b.requests} requests, {b.transferred:,} B, {len(b.other_origins())} other-origin, "
            f"{len(b.failures())} failed | {yes(b.met)} |"
        )
    if r.load:
        res = r.load["result"]
        rows.append(
            f"| load {r.plan.load_connections} connections {r.plan.load_seconds} s: 0 socket errors, 0 non-2xx, "
            f"RSS growth < {RSS_GROWTH_LIMIT * 100:.0f} % | {res.errors} errors, {res.non_200} non-200, "
            f"RSS {r.load['growth_from_warm'] * 100:+.1f} % | {yes(bool(r.load['met']))} |"
        )
    for rep in r.lighthouse:
        path = "/" + rep.url.split("/", 3)[3]
        if rep.skipped:
            rows.append(f"| Lighthouse `{path}` | skipped: {rep.skipped} | — |")
        else:
            scores = ", ".join(f"{c} {rep.scores.get(c, '?')}" for c in CATEGORIES)
            rows.append(f"| Lighthouse `{path}`: performance ≥ 98, others 100 | {scores} | {yes(rep.met)} |")
    return rows


def throughput_section(r: Results) -> list[str]:
    p = r.plan
    out = [
        "## Throughput of `GET /`",
        "",
        f"wrk with {p.threads} threads and {p.connections} connections, `Accept-Encoding: gzip`, {p.seconds} s per run, "
        f"{p.rounds} round(s) after a {p.warmup} s warm-up of each server; in every round the three servers are measured "
        "one after the other (the first one rotates), and the table shows the medians. Measuring starts once every "
        "server's CPU is idle (the guide compresses with brotli in the background after it starts)."
        + (f" Servers pinned to CPU {p.server_cpus}." if p.server_cpus else "")
        + (f" wrk pinned to CPU {p.wrk_cpus}." if p.wrk_cpus else ""),
        "",
        "- The guide and the bare app run under identical uvicorn settings (uvloop, httptools, one worker, no access "
        "log); the bare app's answer comes from the guide's own build and HTTP layer (`app.build`, `app.http.Served`).",
        f"- nginx runs one worker and serves the `metro export` output with `gzip_static` (the same gzip level "
        f"{GZIP_LEVEL}) and the guide's security and cache headers added, so it sends the same kind of response; its "
        "page is the export's `index.html`, whose links spell out `index.html` (so they work from disk), so its size "
        "differs by a few bytes.",
        "",
    ]
    if r.same_response:
        out += [
            "Fairness check before measuring:",
            "",
            "| | |",
            "|---|---|",
            *(f"| {k} | {v} |" for k, v in r.same_response.items()),
            "",
        ]
    out += [throughput_table(r), ""]
    if r.overhead and measured(r):
        bare_us = 1e6 / r.median("bare", "rps")
        extra = r.overhead["app"] - r.overhead["bare"]
        out += [
            f"What to expect: under uvicorn one bare request costs {bare_us:.1f} µs of the server's CPU "
            f"(1 / {r.median('bare', 'rps'):,.0f} req/s); the guide's layer adds {extra:.2f} µs (below), so the guide "
            f"should reach about {bare_us / (bare_us + extra):.2f}× the bare app. A measured ratio far from that is "
            "noise from the shared machine, which the per-round ratios show.",
            "",
        ]
    if r.overhead:
        out += [
            "Time spent inside the ASGI callable per `GET /`, called directly in a loop without sockets or uvicorn "
            "(best of 5 × 20,000 calls): "
            + ", ".join(f"{k} {v:.2f} µs" for k, v in r.overhead.items())
            + ". The rest of each request's cost is uvicorn, httptools, the event loop and the kernel, which both share.",
            "",
        ]
    if measured(r):
        out += ["Every run:", "", "| round | server | req/s | p50 | p99 | requests |", "|---:|---|---:|---:|---:|---:|"]
        for i in range(len(r.rounds["app"])):
            for name, runs in r.rounds.items():
                x = runs[i]
                out.append(
                    f"| {i + 1} | {name} | {x.rps:,.0f} | {x.p50_ms:.2f} ms | {x.p99_ms:.2f} ms | {x.requests:,} |"
                )
        out.append("")
    return out


def cache_section(r: Results) -> list[str]:
    out = ["## Response cache and compression", ""]
    if r.cache:
        out += [
            "| check | observed | as required |",
            "|---|---|---|",
            *(f"| {a} | `{b}` | {c} |" for a, b, c in r.cache),
            "",
        ]
    if r.compression:
        out += [
            f"Body sizes (bytes) as the guide serves them from memory: gzip (level {GZIP_LEVEL}) at once, brotli "
            "(quality 11) once the background compression is done; n/a: brotli was not smaller, or the body too small "
            "to compress:",
            "",
            "| resource | raw | gzip (at once) | brotli 11 (afterwards) | brotli saves vs gzip |",
            "|---|---:|---:|---:|---:|",
        ]
        for path, raw, gz, br in r.compression:
            saves = f"{gz - br:,} B ({(gz - br) / gz * 100:.0f} %)" if br is not None else "n/a"
            out.append(f"| `{path}` | {raw:,} | {gz:,} | {f'{br:,}' if br is not None else 'n/a'} | {saves} |")
        path, _, gz, br = r.compression[0]
        if br is not None:
            out += [
                "",
                f"Brotli takes `{path}` from {gz:,} to {br:,} bytes ({(gz - br) / gz * 100:.0f} % less); browsers offer "
                "`br` only over HTTPS, so it pays where the guide is served over HTTPS.",
            ]
        out.append("")
    return out


def load_section(r: Results) -> list[str]:
    p = r.plan
    if not r.load:
        return ["## Load", "", "Not run.", ""]
    return [
        "## Load",
        "",
        f"A fresh server; a {p.load_warmup} s warm-up, then wrk -t{p.threads} -c{p.load_connections} -d{p.load_seconds}s "
        f"with `bench/load.lua` going round-robin over {', '.join(f'`{x}`' for x in r.load['paths'])}, counting every "
        "status other than 200. RSS is VmRSS of the uvicorn process, sampled every second.",
        "",
        load_summary(r),
        "",
    ]
