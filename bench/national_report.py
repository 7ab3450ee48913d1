"""The national benchmark's plan (its numbers), what one set-up measured against its targets, and its report.

The report is the benchmark's section of docs/performance.md; bench/national_load.py runs the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bench.report_sections import LEFT, NATIONAL, RIGHT, Figures, ms, percentile, spread, table_section

START, END = NATIONAL
SESSIONS, PER_SESSION = 50, 100  # the default run: 50 sessions × 100 attendees
STAGES = (0.0, 0.25, 0.5, 1.0)  # shares of the attendees connected when the statements are counted
STOPS = ("gemeenschappelijke-ambitie", "orde-in-proces-en-structuur", "leiderschap", "boven-en-onderstroom")
MOVE_SPREAD = 2.0  # seconds over which the sessions' facilitators move (rooms are not in step)
WINDOW = 6.0  # seconds per statement count
MOVE_DEADLINE = 15.0  # seconds an attendee waits for a move before it counts as an error
JOINING = 100  # joins and answers in flight at once (a room's worth of phones, many rooms)
LIMITS = {  # every client comes from 127.0.0.1: the per-address and per-worker limits are raised
    "ZEVENSTOPS_MAX_STREAMS": "20000",
    "ZEVENSTOPS_STREAMS_PER_ADDRESS": "20000",
    "ZEVENSTOPS_ATTENDEES_PER_ADDRESS": "100000",
    "ZEVENSTOPS_ATTENDEES_PER_SESSION": "1000",
    "ZEVENSTOPS_ANSWERS_PER_MINUTE": "1000",
    "ZEVENSTOPS_SESSIONS_PER_HOUR": "1000",
}


@dataclass
class Setup(Figures):
    name: str
    app: str  # uvicorn's app
    workers: int
    database: str  # "PostgreSQL", "SQLite" or "" (the bare broadcaster)
    attendees: int = 0
    connected: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # every attendee, the three moves
    quiet: list[float] = field(default_factory=list)  # the two moves with no answers in flight
    answers_sent: int = 0
    answers_counted: int = 0
    answer_seconds: float = 0.0
    rss_idle_kib: int = 0
    rss_connected_kib: int = 0
    statements: list[tuple[int, float]] = field(default_factory=list)  # (attendees connected, statements/s)
    skipped: str = ""

    @property
    def flat(self) -> bool:
        """Whether the statements per second with a quarter, half and all attendees connected stay within 25 %.

        Compared from the first stage with attendees: before it each session is watched only on
        the worker that holds its facilitator's stream, after it on both (per worker, not per attendee).
        """
        if len(self.statements) < 2:
            return False
        base = max(self.statements[1][1], 1.0)
        return all(abs(rate - base) <= 0.25 * base for _, rate in self.statements[1:])

    def checks(self) -> dict[str, bool]:
        return {
            "0 errors": not self.errors,
            "every answer counted": self.answers_counted == self.answers_sent == self.attendees,
            "p95 ≤ 1 s": self.percentile(95) <= 1.0,
            "≤ 50 KiB per attendee": 0 < self.per_attendee_kib <= 50,
            **({"statements/s flat": self.flat} if self.database else {}),
        }


# -- the report ---------------------------------------------------------------------------------


def section(
    setups: list[Setup],
    started: str,
    took: float,
    load_average: str,
    open_files: int,
    sessions: int = SESSIONS,
    per_session: int = PER_SESSION,
) -> str:
    """The section of docs/performance.md for a run of `sessions` × `per_session` attendees."""
    paragraphs = [
        f"Written by `python -m bench.national` ({started}, took {took:.1f} min; load average at start "
        f"{load_average}, on a machine shared with other work). Everything on 127.0.0.1: the load generator "
        f"(one Python process, raw asyncio streams and hand-written HTTP/1.1; open files raised to {open_files}) "
        "runs on the same 2 CPUs as the server, so the times include its own scheduling.",
        f"Each set-up: a fresh uvicorn; {sessions} sessions, each with its facilitator's stream; "
        f"{sessions * per_session:,} attendees join in stages (none, a quarter, half, all) each with its own "
        f"cookie and Server-Sent Events stream. At each stage every facilitator moves once (the {sessions} moves "
        f"spread over {MOVE_SPREAD:.0f} s) and the database statements per second over {WINDOW:.0f} s are read "
        "from the guide's own counter (`zevenstops_database_statements_total`: every SQL statement its "
        "engines send, summed over the workers; it includes the moves themselves and, on SQLite, the 0.3 s "
        "polls, on PostgreSQL the 5 s safety polls). With everyone connected the facilitators move three "
        "times; on the first move every attendee answers once (at most "
        f"{JOINING} answers in flight). The latency is from a facilitator's POST to each of that session's "
        "attendees' events, over those three moves (the first of them with the answers coming in; "
        "the next column: the other two alone). Workers share only the database: on PostgreSQL a change "
        "reaches the other worker by LISTEN/NOTIFY (one listening connection per worker), on SQLite by "
        "polling every 0.3 s; either way one read per session per worker serves all its streams. "
        "All clients come from 127.0.0.1, so the limits per address and per worker were raised for the run: "
        + ", ".join(f"`{k}={v}`" for k, v in LIMITS.items())
        + ".",
    ]
    targets = (
        "Targets: 0 errors, every answer counted, the move reaches the 95th-percentile attendee within 1 s, "
        "at most 50 KiB of resident memory per connected attendee ((connected − idle) / attendees, summed over "
        "uvicorn's processes), and database statements per second that do not grow with the attendees "
        "(within 25 % from a quarter to all of them; with none connected each session is watched only on the worker "
        "that holds its facilitator's stream, so that figure is lower on 2 workers). The bare broadcaster is the ceiling: what uvicorn, "
        "sse-starlette and this load generator manage on this machine with no database at all."
    )
    return table_section(
        NATIONAL, "A national service: 50 sessions × 100 attendees", paragraphs, COLUMNS, setups, _row, targets
    )


COLUMNS = (
    ("set-up", LEFT),
    ("attendees connected", RIGHT),
    ("errors", RIGHT),
    ("answers counted / sent", LEFT),
    ("all answered after", RIGHT),
    ("move → attendee p50 / p95 / max", LEFT),
    ("p95 of the moves without answers in flight", RIGHT),
    ("RSS idle → connected", LEFT),
    ("per attendee", RIGHT),
    ("statements/s at 0 / ¼ / ½ / all attendees", LEFT),
    ("met", LEFT),
)


def _row(s: Setup) -> str:
    """One set-up's row of the table."""
    rates = " / ".join(f"{rate:.0f}" for _, rate in s.statements) if s.database else "— (no database)"
    verdict = "; ".join(f"{name}: {'met' if ok else '**not met**'}" for name, ok in s.checks().items())
    return (
        f"| {s.name} | {s.connected:,} / {s.attendees:,} | {len(s.errors)} | "
        f"{s.answers_counted:,} / {s.answers_sent:,} | {s.answer_seconds:.1f} s | "
        f"{spread(s.latencies)} | {ms(percentile(s.quiet, 95))} | {s.memory_cells()} | {rates} | {verdict} |"
    )
