"""The report's sections measured in Chromium: the page budget and Lighthouse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.budget import MAX_BYTES, MAX_REQUESTS
from bench.lighthouse import CATEGORIES, TARGETS
from bench.report_serving import yes

if TYPE_CHECKING:
    from bench.results import Results


def budget_section(r: Results) -> list[str]:
    out = [
        "## Page budget",
        "",
        "Chromium (Playwright, Debian's chromium) loads each page in a fresh context with the cache disabled; every "
        "network request is counted through the DevTools protocol, bytes are `Network.loadingFinished.encodedDataLength` "
        f"(compressed body plus response headers, as on the wire). Budget: ≤ {MAX_REQUESTS} requests, ≤ {MAX_BYTES:,} "
        "bytes, zero requests to other origins.",
        "",
    ]
    if not r.budgets:
        return [*out, "Not run.", ""]
    for b in r.budgets:
        out += [
            f"**{b.url}**: {b.requests} requests, {b.transferred:,} bytes ({b.transferred / 1024:.1f} KiB), "
            f"{len(b.other_origins())} to other origins, {len(b.failures())} failed — within budget: {yes(b.met)}",
            "",
            "| request | status | encoding | bytes |",
            "|---|---:|---|---:|",
        ]
        out += [f"| {f.url} | {f.status or f.failed} | {f.encoding or '—'} | {f.encoded_bytes:,} |" for f in b.fetches]
        out.append("")
    return out


def lighthouse_section(r: Results) -> list[str]:
    out = ["## Lighthouse", ""]
    if not r.lighthouse:
        return [*out, "Not run.", ""]
    runs = max((len(rep.performance_runs) for rep in r.lighthouse), default=1)
    out += [
        f"Lighthouse {r.lighthouse_version} (npm, in `bench/.node/`), default mobile settings (emulated Moto G Power, "
        "simulated slow 4G and 4× CPU slowdown), Debian's Chromium headless. Targets: performance ≥ 98, the others 100. "
        + (
            f"Each page is audited {runs} times; the table shows the run with the median performance score."
            if runs > 1
            else ""
        ),
        "",
        "| page | " + " | ".join(CATEGORIES) + " | FCP | LCP | TBT | CLS | met |",
        "|---|" + "---:|" * len(CATEGORIES) + "---:|---:|---:|---:|---|",
    ]
    for rep in r.lighthouse:
        if rep.skipped:
            out.append(f"| {rep.url} | skipped: {rep.skipped} |" + " |" * (len(CATEGORIES) + 4) + " — |")
            continue
        m = rep.metrics
        out.append(
            f"| {rep.url} | "
            + " | ".join(str(rep.scores.get(c, "?")) for c in CATEGORIES)
            + f" | {m.get('first-contentful-paint', '')} | {m.get('largest-contentful-paint', '')} "
            f"| {m.get('total-blocking-time', '')} | {m.get('cumulative-layout-shift', '')} | {yes(rep.met)} |"
        )
    per_run = [(rep.url, rep.performance_runs) for rep in r.lighthouse if len(rep.performance_runs) > 1]
    if per_run:
        out += [
            "",
            "Performance score of every run: "
            + "; ".join(f"{u.split('/', 3)[3] or '/'}: {', '.join(map(str, s))}" for u, s in per_run)
            + ".",
        ]
    missed = [
        (rep.url, c, a)
        for rep in r.lighthouse
        for c, a in rep.missed.items()
        if a and rep.scores.get(c, 0) < TARGETS[c]
    ]
    if missed:
        out += ["", "Audits below full score where a target is missed:", ""]
        out += [f"- {url} — {c}: {', '.join(a)}" for url, c, a in missed]
    out.append("")
    return out
