"""The live-session figures live in their own section of docs/performance.md, which `make bench` keeps."""

from __future__ import annotations

from pathlib import Path

from bench import national, sessions
from bench.report_sections import keep, write_section
from bench.sessions import END, START


def test_the_section_is_added_then_replaced_in_place(tmp_path: Path) -> None:
    report = tmp_path / "performance.md"
    report.write_text("# Performance\n\nthroughput\n")
    write_section(report, f"{START}\nfirst\n{END}\n")
    write_section(report, f"{START}\nsecond\n{END}\n")
    assert report.read_text() == f"# Performance\n\nthroughput\n\n{START}\nsecond\n{END}\n"


def test_a_new_make_bench_report_keeps_the_section() -> None:
    old = f"# Performance\n\nold figures\n\n{START}\nsessions\n{END}\n"
    assert keep(old, "# Performance\n\nnew figures\n") == f"# Performance\n\nnew figures\n\n{START}\nsessions\n{END}\n"
    assert keep("# Performance\n", "# new\n") == "# new\n"


def test_both_session_sections_survive_a_new_make_bench_report() -> None:
    old = f"# P\n\n{START}\nsessions\n{END}\n\n{national.START}\nnational\n{national.END}\n"
    new = keep(old, "# P\n\nnew\n")
    assert new == f"# P\n\nnew\n\n{START}\nsessions\n{END}\n\n{national.START}\nnational\n{national.END}\n"


def setup(**measured: object) -> national.Setup:
    """A set-up as the national benchmark leaves it; the defaults meet every target."""
    values: dict[str, object] = {
        "attendees": 5000,
        "connected": 5000,
        "answers_sent": 5000,
        "answers_counted": 5000,
        "latencies": [0.1] * 99 + [2.0],
        "quiet": [0.1] * 50,
        "rss_idle_kib": 100_000,
        "rss_connected_kib": 100_000 + 5000 * 40,
        "statements": [(0, 100.0), (1250, 104.0), (2500, 98.0), (5000, 110.0)],
    }
    values.update(measured)
    return national.Setup("guide, 2 workers, PostgreSQL", "app.main:app", 2, "PostgreSQL", **values)  # type: ignore[arg-type]


def rows(text: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines() if line.startswith("| ")]


def test_the_national_table_says_met_or_not_met_per_target() -> None:
    good, bad = (
        setup(),
        setup(
            errors=["answer status 503"],
            answers_counted=4999,
            latencies=[1.5] * 100,
            rss_connected_kib=100_000 + 5000 * 60,
            statements=[(0, 100.0), (1250, 150.0), (2500, 200.0), (5000, 400.0)],
        ),
    )
    bare = national.Setup(
        "bare Starlette SSE, 1 worker",
        "bench.bare_sse:app",
        1,
        "",
        **{
            k: v for k, v in vars(setup()).items() if k in ("attendees", "connected", "answers_sent", "answers_counted")
        },
        latencies=[0.01],
        rss_idle_kib=1,
        rss_connected_kib=1 + 5000,
    )
    text = national.section([good, bad, bare], "2026-12-04 20:00 UTC", 5.0, "1.00 1.00 1.00", 20000)
    assert text.startswith(national.START) and text.rstrip().endswith(national.END)
    header, first, second, third = rows(text)
    assert header[-1] == "met"
    assert first[-1] == (
        "0 errors: met; every answer counted: met; p95 ≤ 1 s: met; ≤ 50 KiB per attendee: met; statements/s flat: met"
    )
    assert second[-1] == (
        "0 errors: **not met**; every answer counted: **not met**; p95 ≤ 1 s: **not met**; "
        "≤ 50 KiB per attendee: **not met**; statements/s flat: **not met**"
    )
    assert first[header.index("per attendee")] == "40 KiB"
    assert first[header.index("statements/s at 0 / ¼ / ½ / all attendees")] == "100 / 104 / 98 / 110"
    assert first[header.index("p95 of the moves without answers in flight")] == "100 ms"
    assert "statements/s flat" not in third[-1] and third[-2] == "— (no database)"
    assert "ZEVENSTOPS_MAX_STREAMS=20000" in text  # the raised limits are named
    assert "Errors in guide, 2 workers, PostgreSQL (1, first 5): answer status 503" in text


def _cells(line: str) -> int:
    return line.strip().strip("|").count("|") + 1


def test_a_skipped_set_up_fills_its_row_as_wide_as_the_table() -> None:
    """Each live-session report has a table of its own width; a skipped set-up's row must match it."""
    measured = national.Setup(name="bare", app="x", workers=1, database="", latencies=[0.1], connected=1)
    skipped = national.Setup(name="guide, 2 workers, PostgreSQL", app="y", workers=2, database="PostgreSQL")
    skipped.skipped = "geen PostgreSQL"
    run = sessions.Run(name="1 worker, SQLite", workers=1, database="SQLite", latencies=[0.1], connected=1)
    not_run = sessions.Run(name="2 workers, PostgreSQL", workers=2, database="PostgreSQL", skipped="geen PostgreSQL")
    for text in (
        national.section([measured, skipped], "2026-12-07 01:00 UTC", 1.0, "0.5 0.5 0.5", 20000),
        sessions.section([run, not_run], 300, "2026-12-07 01:00 UTC", 1.0),
    ):
        table = [line for line in text.splitlines() if line.startswith("|")]
        assert len(table) == 4 and "skipped: geen PostgreSQL" in table[3], table
        assert {_cells(line) for line in table} == {_cells(table[0])}, table
