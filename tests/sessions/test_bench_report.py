"""The live-session figures live in their own section of docs/performance.md, which `make bench` keeps."""

from __future__ import annotations

from pathlib import Path

from bench.sessions import END, START, keep, write_section


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
