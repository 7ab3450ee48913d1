"""The report's sections on building and printing: build time, cold start, edit-to-served, PDFs."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from bench import build_time, edit, pdf_bench, pdf_storm, startup
from bench.report_serving import summary_row
from bench.servers import ROOT

if TYPE_CHECKING:
    from bench.results import Results


def _body(doc: str | None) -> str:
    """A module docstring without its first paragraph, as Markdown: prose lines joined, list items kept."""
    lines: list[str] = []
    for line in (doc or "").split("\n\n", 1)[-1].strip().splitlines():
        continues = line.startswith("  ") or (line and not line.startswith("- ") and lines and lines[-1])
        if continues and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


def summary_rows(r: Results) -> list[str]:
    rows = []
    b = r.build
    if b and not b.now.error:
        now = f"{b.now.median():.2f} s (+ {b.now.median('serve'):.2f} s to wrap it for HTTP)"
        if b.before.error:
            rows.append(summary_row(f"(info) `build_site`, median of {b.runs}", f"{now}; before: not measured"))
        else:
            faster = b.before.median() / (b.now.median() + b.now.median("serve"))
            rows.append(
                summary_row(
                    f"(info) `build_site` on the real content, median of {b.runs}, against {b.before_commit}",
                    f"{now} against {b.before.median():.2f} s: {faster:.1f}× faster",
                )
            )
    if r.edits and r.edits.latencies:
        e = r.edits
        rows.append(
            summary_row(
                f"edit-to-served under `metro serve --reload` ≤ {edit.TARGET_S:.0f} s ({len(e.latencies)} edits)",
                f"median {e.median:.2f} s, max {e.max:.2f} s (server CPU per edit ≤ {max(e.cpu):.2f} s)",
                e.max <= edit.TARGET_S,
            )
        )
    for start in r.starts:
        rows.append(
            summary_row(
                f"cold start to first 200, `{start.label}` ≤ {startup.TARGET_S:.0f} s (median of {len(start.first_200)})",
                f"{start.median:.2f} s (server CPU by then {statistics.median(start.cpu):.2f} s)",
                start.median <= startup.TARGET_S,
            )
        )
    if r.storm and r.storm.rounds:
        st = r.storm
        rows.append(
            summary_row(
                f"{st.concurrency} concurrent cold `{pdf_storm.PATH}` take about as long as one "
                f"(≤ {pdf_storm.ABOUT_AS_LONG}×), all 200, one PDF",
                f"{st.ratio:.2f}× (median of {len(st.rounds)}), "
                f"{'all 200 and identical' if st.all_ok else '**not all 200 or not identical**'}",
                st.met,
            )
        )
    if r.pdfs:
        cold = sum(t.cold_s for t in r.pdfs)
        cached = max(t.cached_ms for t in r.pdfs)
        pages = max(t.pages for t in r.pdfs[:-1])
        rows.append(
            summary_row(
                "PDFs: first request prints (about a second), later ones from memory; a handout ≤ 2 A4 pages",
                f"all {len(r.pdfs)} cold {cold:.1f} s; cached ≤ {cached:.1f} ms; handouts ≤ {pages} pages",
                pages <= 2,
            )
        )
    return rows


def sections(r: Results) -> list[str]:
    out: list[str] = []
    if r.build:
        content = r.build.content_dir
        shown = content.relative_to(ROOT) if content.is_relative_to(ROOT) else content
        out += [
            "## Build time",
            "",
            f"`build_site` on the real content (`{shown}`), each tree in a fresh Python process of this venv: a first "
            f"build (templates compiled, caches cold, as at start), then {r.build.runs} more (as on every rebuild). "
            f"The before figure is the code at `{r.build.before_commit}` (before the one-build refactor), unpacked with "
            "`git archive` into a temporary folder (removed afterwards) and run on the same content in the same run. "
            "Wall time is what an editor waits; CPU time (`time.process_time`) is steadier on a shared machine.",
            "",
            build_time.table(r.build),
            "",
        ]
    if r.starts:
        out += ["## Cold start", "", _body(startup.__doc__), "", startup.table(r.starts, r.start_phases), ""]
    if r.edits:
        out += [
            "## Edit to served",
            "",
            _body(edit.__doc__)
            + f" The stop: `{r.edits.slug}`; the page is polled every {r.edits.poll_s * 1000:.0f} ms. The server's own "
            "rebuild figure (from its log) is the build and its wrapping for HTTP; the rest is the file watcher's "
            "debounce, the swap and the poll.",
            "",
            f"`{r.edits.command}`",
            "",
            edit.table(r.edits),
            "",
        ]
    if r.storm:
        out += ["## Concurrent PDFs", "", _body(pdf_storm.__doc__), "", pdf_storm.table(r.storm), ""]
    if r.pdfs:
        out += [
            "## PDF handouts",
            "",
            "A freshly started guide (`uvicorn app.main:app`) is asked for every PDF in turn: the first request starts "
            "Chromium (once) and prints the page from memory; the next requests for the same PDF are answered from "
            "the in-memory cache (keyed by the content build). Times are measured by the client over HTTP on 127.0.0.1.",
            "",
            pdf_bench.table(r.pdfs),
            "",
        ]
    return out
