"""Live sessions under load: `python -m bench.sessions`; the figures go into a section of docs/performance.md.

For each set-up (1 worker on SQLite, 2 workers on SQLite, 2 workers on PostgreSQL) a fresh
`uvicorn app.main:app --workers N` on 127.0.0.1 gets a session with 300 attendees, each its own
client (its own cookie) on its own Server-Sent Events stream, plus the facilitator's stream.
The facilitator moves three times; every attendee answers on the first move at once (a burst:
harder than answers spread over 10 s). Measured: errors, whether every answer was counted (the
result's CSV against what was sent), the time from the facilitator's POST to each attendee's
event, and resident memory of the server processes per connected attendee.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import facts
from bench.live_server import measure
from bench.procs import Processes
from bench.report_sections import LEFT, LIVE_SESSIONS, RIGHT, Figures, spread, table_section, write_section
from bench.servers import ROOT

START, END = LIVE_SESSIONS
MOVE_DEADLINE = 10.0  # seconds an attendee waits for a move before it counts as an error


@dataclass
class Run(Figures):
    name: str
    workers: int
    database: str
    attendees: int = 0
    connected: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # seconds from move POST to event, every move
    answer_seconds: float = 0.0  # from the first move until every answer was stored
    answers_sent: int = 0
    answers_counted: int = 0
    distribution_matches: bool = False
    facilitator_count: int = 0  # what the facilitator's stream showed last
    rss_idle_kib: int = 0
    rss_connected_kib: int = 0
    skipped: str = ""

    @property
    def met(self) -> bool:
        return (
            not self.errors
            and self.answers_counted == self.answers_sent == self.attendees
            and self.distribution_matches
            and self.percentile(95) <= 1.0
            and self.answer_seconds <= 10.0
        )


class Attendee:
    """One phone: its own client (cookie), its own stream; records when each move arrives."""

    def __init__(self, base: str, code: str):
        self.base, self.code = base, code
        self.client = httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(30, read=None))
        self.arrivals: dict[str, float] = {}
        self.ready = asyncio.Event()
        self.moved = asyncio.Condition()
        self.error = ""

    async def listen(self) -> None:
        try:
            opened = await self.client.get(f"/s/{self.code}")  # as scanning the QR code does: the token comes with it
            if opened.status_code != 200:
                self.error = f"page status {opened.status_code}"
                self.ready.set()
                return
            async with self.client.stream("GET", f"/s/{self.code}/events") as response:
                if response.status_code != 200:
                    self.error = f"stream status {response.status_code}"
                    self.ready.set()
                    return
                kind = ""
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:") and kind == "halte":
                        now = time.perf_counter()
                        stop = line[5:].split('"halte": ')[1].split(",")[0].strip('"')
                        self.arrivals.setdefault(stop, now)
                        self.ready.set()
                        async with self.moved:
                            self.moved.notify_all()
        except (httpx.HTTPError, asyncio.CancelledError) as err:
            if not isinstance(err, asyncio.CancelledError):
                self.error = f"stream: {type(err).__name__}: {err}"
            self.ready.set()

    async def wait_for(self, stop: str) -> float | None:
        async with self.moved:
            try:
                await asyncio.wait_for(self.moved.wait_for(lambda: stop in self.arrivals), MOVE_DEADLINE)
            except TimeoutError:
                return None
        return self.arrivals[stop]

    async def answer(self, stop: str, score: int) -> str:
        try:
            response = await self.client.post(
                f"/s/{self.code}/antwoord",
                data={"halte": stop, "score": str(score)},
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as err:
            return f"answer: {type(err).__name__}: {err}"
        return "" if response.status_code == 200 else f"answer status {response.status_code}: {response.text[:80]}"


async def session_load(base: str, attendees: int, stops: list[str], run: Run, rss: Callable[[], int]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as facilitator:
        start = await facilitator.post("/sessies", follow_redirects=False)
        code = start.headers["location"].split("/sessies/", 1)[1].split("/", 1)[0]  # the cookie is in `facilitator`
        run.rss_idle_kib = rss()
        phones = [Attendee(base, code) for _ in range(attendees)]
        tasks = []
        for i, phone in enumerate(phones):
            tasks.append(asyncio.create_task(phone.listen()))
            if i % 25 == 24:
                await asyncio.sleep(0.05)  # a room's worth of phones joining, not one packet
        counted = {"n": 0}

        async def watch_facilitator() -> None:
            url = f"/sessies/{code}/events"
            async with facilitator.stream("GET", url, timeout=httpx.Timeout(30, read=None)) as response:
                async for line in response.aiter_lines():
                    if line.startswith("data:") and '"aantal": ' in line:
                        counted["n"] = int(line.split('"aantal": ')[1].split(",")[0])

        watcher = asyncio.create_task(watch_facilitator())
        await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in phones)), 60)
        run.errors += [p.error for p in phones if p.error]
        run.connected = sum(1 for p in phones if not p.error)
        await asyncio.sleep(1.0)
        run.rss_connected_kib = rss()
        sent: list[int] = []
        for n, stop in enumerate(stops):
            t0 = time.perf_counter()
            moved = await facilitator.post(
                f"/sessies/{code}/halte",
                data={"halte": stop},
                headers={"accept": "application/json"},
            )
            if moved.status_code != 200:
                run.errors.append(f"move status {moved.status_code}")
            arrivals = await asyncio.gather(*(p.wait_for(stop) for p in phones))
            missing = sum(1 for a in arrivals if a is None)
            if missing:
                run.errors.append(f"{missing} attendee(s) did not see the move to {stop} within {MOVE_DEADLINE:.0f} s")
            run.latencies += [a - t0 for a in arrivals if a is not None]
            if n == 0:  # everyone answers the first stop at once
                scores = [random.randint(1, 5) for _ in phones]
                results = await asyncio.gather(*(p.answer(stop, s) for p, s in zip(phones, scores)))
                run.answer_seconds = time.perf_counter() - t0
                run.errors += [r for r in results if r]
                sent = [s for s, r in zip(scores, results) if not r]
                run.answers_sent = len(phones)
                await asyncio.sleep(1.0)  # the facilitator's stream catches up
                run.facilitator_count = counted["n"]
        result = await facilitator.get(f"/s/{code}/uitslag.csv")
        rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
        first = next(r for r in rows[1:] if r[0] == "1")
        run.answers_counted = int(first[2])
        run.distribution_matches = [int(x) for x in first[4:9]] == [sent.count(s) for s in range(1, 6)]
        watcher.cancel()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, watcher, return_exceptions=True)
        await asyncio.gather(*(p.client.aclose() for p in phones))


def one_run(procs: Processes, run: Run, attendees: int, tmp: Path, postgres: str) -> None:
    env = dict(os.environ)
    env.pop("ZEVENSTOPS_BASE_URL", None)
    env["ZEVENSTOPS_DATA_DIR"] = str(tmp / run.name.replace(" ", "-"))
    env["ZEVENSTOPS_SESSIONS_PER_HOUR"] = "100"
    stops = ["gemeenschappelijke-ambitie", "orde-in-proces-en-structuur", "leiderschap"]
    run.attendees = attendees
    run.skipped = measure(
        procs,
        f"sessions-{run.name}",
        "app.main:app",
        workers=run.workers,
        env=env,
        database=run.database,
        postgres=postgres,
        load=lambda base, rss: session_load(base, attendees, stops, run, rss),
        ready_timeout=60,
        load_timeout=240,
        errors=run.errors,
    )


def section(runs: list[Run], attendees: int, started: str, took: float) -> str:
    paragraphs = [
        f"Written by `python -m bench.sessions` ({started}, took {took:.1f} min; load average at start "
        f"{facts.loadavg()}); `make bench` keeps this section. Everything on 127.0.0.1; the {attendees} "
        "attendees and the facilitator are one Python process (httpx, asyncio) on the same 2 CPUs as the server, "
        "so the times include the clients' own scheduling.",
        f"Each run: a fresh `uvicorn app.main:app --workers N`, one session, {attendees} attendees each with "
        "its own client (cookie) and Server-Sent Events stream, plus the facilitator's stream. The facilitator "
        "moves three times; on the first move every attendee answers at once (a burst, harder than answers "
        "spread over 10 s). Workers share only the database: a stream on one worker learns of a move made "
        "on the other by PostgreSQL's LISTEN/NOTIFY, or on SQLite by polling the session's row (every 0.3 s); "
        "either way one watch per session per worker reads the row for all its streams.",
    ]
    targets = (
        "Targets: 0 errors, every answer counted, all answers stored within 10 s, the move reaches the "
        "95th-percentile attendee within 1 s. RSS is the sum over uvicorn's processes (VmRSS); per attendee "
        "is (connected − idle) / attendees."
    )
    return table_section(LIVE_SESSIONS, "Live sessions", paragraphs, COLUMNS, runs, _row, targets)


COLUMNS = (
    ("set-up", LEFT),
    ("attendees connected", RIGHT),
    ("errors", RIGHT),
    ("answers counted / sent (distribution equal)", LEFT),
    ("all answered after", RIGHT),
    ("move → attendee p50 / p95 / max", LEFT),
    ("facilitator's live count", RIGHT),
    ("RSS idle → connected", LEFT),
    ("per attendee", RIGHT),
    ("met", LEFT),
)


def _row(r: Run) -> str:
    """One run's row of the table."""
    return (
        f"| {r.name} | {r.connected} / {r.attendees} | {len(r.errors)} | {r.answers_counted} / {r.answers_sent} "
        f"({'yes' if r.distribution_matches else '**no**'}) | {r.answer_seconds:.2f} s | "
        f"{spread(r.latencies)} | {r.facilitator_count} | {r.memory_cells()} | {'yes' if r.met else '**no**'} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sessions", description=__doc__)
    parser.add_argument("--attendees", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("ZEVENSTOPS_TEST_DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args(argv)
    random.seed(13)
    started, t0 = time.strftime("%Y-%m-%d %H:%M %Z"), time.monotonic()
    runs = [
        Run("1 worker, SQLite", 1, "SQLite"),
        Run("2 workers, SQLite", 2, "SQLite"),
        Run("2 workers, PostgreSQL", 2, "PostgreSQL"),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp, Processes(Path(tmp)) as procs:
        for run in runs:
            print(f"{run.name}: {args.attendees} attendees …", flush=True)
            one_run(procs, run, args.attendees, Path(tmp), args.postgres)
            print(
                f"  errors {len(run.errors)}, p95 {run.percentile(95) * 1000:.0f} ms, counted {run.answers_counted}",
                flush=True,
            )
            for error in run.errors[:5]:
                print(f"  {error}", flush=True)
    write_section(args.out, section(runs, args.attendees, started, (time.monotonic() - t0) / 60))
    print(f"Wrote {args.out}")
    return 0 if all(r.met or r.skipped for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
