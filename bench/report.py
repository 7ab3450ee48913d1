"""Turn a run's results into docs/performance.md: the targets first, then every section's detail."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench import report_browser, report_editing, report_serving
from bench.report_serving import load_summary, throughput_table

if TYPE_CHECKING:
    from bench.results import Results

__all__ = ["load_summary", "markdown", "throughput_table"]


def _load_note(r: Results) -> list[str]:
    """How busy the machine was when each section started: other people's work shows in the figures."""
    if not r.load_averages:
        return []
    busiest = max(float(avg.split()[0]) for _, avg in r.load_averages)
    note = (
        "Load average (1, 5, 15 min) when each section started: "
        + "; ".join(f"{section} {avg}" for section, avg in r.load_averages)
        + "."
    )
    if busiest > 1.0:
        note += (
            f" **This was not a quiet run**: the 1-minute load average reached {busiest:.1f} on 2 CPUs, with other "
            "people's work running beside the benchmark, so wall-clock figures are slower than on an idle machine; "
            "CPU times and ratios measured side by side are the steadier figures."
        )
    return [note, ""]


def markdown(r: Results, *, quick: bool) -> str:
    out = [
        "# Performance",
        "",
        "Written by `make bench` (`.venv/bin/python -m bench`); every run overwrites this file. "
        "All traffic goes to 127.0.0.1 on the machine below.",
        "",
    ]
    if quick:
        out += ["> **Quick smoke run (`--quick`)**: durations are too short for the numbers to mean anything.", ""]
    if r.errors:
        out += ["> **The run stopped early:** " + "; ".join(r.errors), ""]
    skipped = [s for s in ("build", "start", "edit", "storm", "throughput", "pdf", "load", "budget", "lighthouse")]
    skipped = [s for s in skipped if s not in r.sections]
    out += [
        f"Run: {r.started:%Y-%m-%d %H:%M %Z}"
        + (f", took {(r.finished - r.started).total_seconds() / 60:.1f} min" if r.finished else "")
        + (f"; sections not run: {', '.join(skipped)}" if skipped else ""),
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
        *report_editing.summary_rows(r),
        *report_serving.summary_rows(r),
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in r.machine.items()),
        "",
        "The machine is shared (2 cores): wrk, the server under test and anything else running compete for the "
        "same CPUs, so absolute numbers vary between runs; the ratios, measured interleaved in one run, are what count.",
        "",
        *_load_note(r),
        *report_editing.sections(r),
    ]
    if "throughput" in r.sections:
        out += [*report_serving.throughput_section(r), *report_serving.cache_section(r)]
    out += [
        *report_browser.budget_section(r),
        *report_serving.load_section(r),
        *report_browser.lighthouse_section(r),
    ]
    out += ["## Commands", "", "```sh", *(f"# {what}\n{cmd}" for what, cmd in r.commands)]
    for name, runs in r.rounds.items():
        if runs:
            out += [f"# wrk, {name}", runs[0].command]
    if r.load:
        out += ["# wrk, load", r.load["result"].command]
    out += ["```", ""]
    return "\n".join(out)
