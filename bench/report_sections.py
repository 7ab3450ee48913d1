"""The sections of docs/performance.md that programs of their own write, and that `make bench` keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

LIVE_SESSIONS = ("<!-- live-sessions:start -->", "<!-- live-sessions:end -->")  # python -m bench.sessions
NATIONAL = ("<!-- national:start -->", "<!-- national:end -->")  # python -m bench.national
KEPT = (LIVE_SESSIONS, NATIONAL)
M = TypeVar("M", bound="Measured")


def write_section(path: Path, text: str, markers: tuple[str, str] = LIVE_SESSIONS) -> None:
    """Put the section between `markers` into the report, replacing an earlier one."""
    start, end = markers
    old = path.read_text() if path.exists() else ""
    if start in old and end in old:
        before, rest = old.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        new = before + text + after
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def keep(old: str, new: str) -> str:
    """`new` (a fresh `make bench` report) with the sections of `python -m bench.sessions` and
    `python -m bench.national` in `old` carried over."""
    for start, end in KEPT:
        if start in old and end in old:
            kept = start + old.split(start, 1)[1].split(end, 1)[0] + end + "\n"
            new = new.rstrip("\n") + "\n\n" + kept
    return new


# -- what both live-session tables show -----------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """The `p`th percentile of `values` (nearest rank), NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def spread(latencies: list[float]) -> str:
    """p50 / p95 / max of the move → attendee latencies, as a table cell."""
    worst = max(latencies, default=float("nan"))
    return f"{ms(percentile(latencies, 50))} / {ms(percentile(latencies, 95))} / {ms(worst)}"


def error_notes(named: Iterable[tuple[str, list[str]]]) -> list[str]:
    """A paragraph with the first five errors of each set-up that had any."""
    notes = []
    for name, errors in named:
        if errors:
            notes += ["", f"Errors in {name} ({len(errors)}, first 5): " + "; ".join(errors[:5])]
    return notes


LEFT, RIGHT = "---", "---:"  # a column's alignment in a Markdown table


class Measured(Protocol):
    """A set-up of a live-session benchmark, as its section's table needs it."""

    name: str
    skipped: str  # why it did not run, or ""
    errors: list[str]


def table_section(
    markers: tuple[str, str],
    title: str,
    paragraphs: Sequence[str],
    columns: Sequence[tuple[str, str]],
    measured: Sequence[M],
    row: Callable[[M], str],
    targets: str,
) -> str:
    """A live-session benchmark's section of docs/performance.md: its title and paragraphs, a table
    of `columns` ((heading, LEFT or RIGHT)) with a `row` for each set-up (a skipped one says why, in
    as many cells), the targets, and the first errors of each set-up that had any."""
    start, end = markers
    lines = [start, f"## {title}", ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    lines += ["| " + " | ".join(heading for heading, _ in columns) + " |", "|" + "|".join(a for _, a in columns) + "|"]
    skipped = " |" * (len(columns) - 3) + " — |"  # the name, the reason, the empty cells and "met"
    lines += [f"| {m.name} | skipped: {m.skipped} |{skipped}" if m.skipped else row(m) for m in measured]
    lines += ["", targets, *error_notes((m.name, m.errors) for m in measured), end, ""]
    return "\n".join(lines)


class Figures:
    """What both live-session benchmarks derive from a set-up's figures (mixed into their dataclasses)."""

    latencies: list[float]
    connected: int
    rss_idle_kib: int
    rss_connected_kib: int

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)

    @property
    def per_attendee_kib(self) -> float:
        return (self.rss_connected_kib - self.rss_idle_kib) / max(1, self.connected)

    def memory_cells(self) -> str:
        """RSS idle → connected, and per attendee: two cells of a table."""
        idle, connected = self.rss_idle_kib / 1024, self.rss_connected_kib / 1024
        return f"{idle:.0f} → {connected:.0f} MiB | {self.per_attendee_kib:.0f} KiB"
