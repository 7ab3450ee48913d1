"""A national service: `python -m bench.national`; 50 sessions × 100 attendees, figures into docs/performance.md.

Three set-ups on 127.0.0.1, each a fresh uvicorn: the guide with 2 workers on PostgreSQL, the
guide with 1 worker on SQLite, and a bare Starlette SSE broadcaster (bench/bare_sse.py: no
database, a move goes straight from memory into the streams) as the ceiling. One load
generator holds all 5,000 attendees' streams plus a facilitator's stream per session: raw
asyncio streams with minimal hand-written HTTP/1.1 (join with its cookie, the SSE GET, the
answer POST), not one HTTP client object each, so one process on these 2 CPUs keeps up.

Per set-up: 50 sessions are started and their facilitators' streams opened; attendees join in
stages (0, 1,250, 2,500, 5,000 connected); at each stage every facilitator moves once, spread
over a few seconds, and the database statements per second over that window are read from the
guide's own counter (`zevenstops_database_statements_total`, every SQL statement its engines
send, summed over the workers by the metrics listener). With everyone connected the
facilitators move three times; on the first move every attendee answers once. Measured:
errors, answers counted (the result CSV of each session) against sent, move → attendee latency,
resident memory per connected attendee.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import facts
from bench.procs import Processes, free_port
from bench.servers import ROOT, VENV_BIN
from bench.sessions import postgres_schema, tree_rss_kib, write_section

START, END = "<!-- national:start -->", "<!-- national:end -->"
SESSIONS, PER_SESSION = 50, 100
STAGES = (0.0, 0.25, 0.5, 1.0)  # shares of the attendees connected when the statements are counted
STOPS = ("gemeenschappelijke-ambitie", "orde-in-proces-en-structuur", "leiderschap", "boven-en-onderstroom")
MOVE_SPREAD = 2.0  # seconds over which the sessions' facilitators move (rooms are not in step)
WINDOW = 6.0  # seconds per statement count
MOVE_DEADLINE = 15.0  # seconds an attendee waits for a move before it counts as an error
JOINING = 100  # joins and answers in flight at once (a room's worth of phones, many rooms)
SETUP_TIMEOUT = {"PostgreSQL": 285.0, "SQLite": 285.0, "": 75.0}  # seconds per set-up: about 11 min in all
LIMITS = {  # every client comes from 127.0.0.1: the per-address and per-worker limits are raised
    "ZEVENSTOPS_MAX_STREAMS": "20000",
    "ZEVENSTOPS_STREAMS_PER_ADDRESS": "20000",
    "ZEVENSTOPS_ATTENDEES_PER_ADDRESS": "100000",
    "ZEVENSTOPS_ATTENDEES_PER_SESSION": "1000",
    "ZEVENSTOPS_ANSWERS_PER_MINUTE": "1000",
    "ZEVENSTOPS_SESSIONS_PER_HOUR": "1000",
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class Setup:
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

    def percentile(self, p: float) -> float:
        return percentile(self.latencies, p)

    @property
    def per_attendee_kib(self) -> float:
        return (self.rss_connected_kib - self.rss_idle_kib) / max(1, self.connected)

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


# -- minimal HTTP/1.1 on raw asyncio streams ---------------------------------------------------


async def read_head(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before the answer")
    status = int(status_line.split()[1])
    headers = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    return status, headers


def request_bytes(host: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def http(
    address: tuple[str, int], method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, list[tuple[str, str]]]:
    """One request on a connection of its own (closed after): the status and headers; the body is drained."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(
            request_bytes(f"{address[0]}:{address[1]}", method, path, {**headers, "Connection": "close"}, body)
        )
        status, answer_headers = await read_head(reader)
        while await reader.read(65536):
            pass
        return status, answer_headers
    finally:
        writer.close()


async def chunks(reader: asyncio.StreamReader, chunked: bool) -> AsyncIterator[bytes]:
    """The body of a streamed answer, chunk by chunk."""
    while True:
        if not chunked:
            data = await reader.read(65536)
            if not data:
                return
            yield data
            continue
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        yield (await reader.readexactly(size + 2))[:-2]


def cookie_of(headers: list[tuple[str, str]]) -> str:
    return "; ".join(value.split(";", 1)[0] for name, value in headers if name == "set-cookie")


# -- the room -----------------------------------------------------------------------------------


class Room:
    """One session: its facilitator (httpx), its phones' arrivals per move."""

    def __init__(self, code: str, facilitator: httpx.AsyncClient):
        self.code, self.facilitator = code, facilitator
        self.phones: list[Phone] = []
        self.moved_at: dict[str, float] = {}


class Phone:
    """One attendee's phone: joins (cookie), holds the event stream, answers once on the first move."""

    def __init__(self, room: Room, address: tuple[str, int], path: str, cookie: str = ""):
        self.room, self.address, self.path, self.cookie = room, address, path, cookie
        self.arrivals: dict[str, float] = {}
        self.error = ""
        self.ready = asyncio.Event()
        self.answer_on: str | None = None  # the stop to answer when it arrives
        self.answered: asyncio.Task[str] | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def run(self, joining: asyncio.Semaphore) -> None:
        try:
            async with joining:
                if not self.cookie:
                    status, headers = await http(self.address, "GET", f"/s/{self.room.code}", {})
                    if status != 200:
                        raise ConnectionError(f"join status {status}")
                    self.cookie = cookie_of(headers)
                reader, self.writer = await asyncio.open_connection(*self.address)
                host = f"{self.address[0]}:{self.address[1]}"
                headers = {"Accept": "text/event-stream", "Cookie": self.cookie}
                self.writer.write(request_bytes(host, "GET", self.path, headers))
                status, answer_headers = await read_head(reader)
                if status != 200:
                    raise ConnectionError(f"stream status {status}")
            chunked = ("transfer-encoding", "chunked") in answer_headers
            pending = b""
            async for data in chunks(reader, chunked):
                pending += data.replace(b"\r\n", b"\n")
                *events, pending = pending.split(b"\n\n")
                for block in events:
                    self.take(block)
            raise ConnectionError("the stream ended")
        except asyncio.CancelledError:
            pass
        except Exception as err:
            self.error = f"{type(err).__name__}: {err}"
        finally:
            self.ready.set()
            if self.writer is not None:
                self.writer.close()

    def take(self, block: bytes) -> None:
        kind, data = "", ""
        for line in block.decode("utf-8").split("\n"):
            if line.startswith("event:"):
                kind = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
        if kind != "halte":
            return
        stop = json.loads(data).get("halte")
        self.ready.set()  # the first event: the stream is up
        if stop is None or stop in self.arrivals:
            return
        self.arrivals[stop] = time.perf_counter()
        if stop == self.answer_on and self.answered is None:
            self.answered = asyncio.create_task(self.answer(stop))

    answering: asyncio.Semaphore | None = None

    async def answer(self, stop: str) -> str:
        body = f"halte={stop}&score={random.randint(1, 5)}".encode()
        headers = {
            "Cookie": self.cookie,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        assert Phone.answering is not None
        try:
            async with Phone.answering:
                status, _ = await http(self.address, "POST", f"/s/{self.room.code}/antwoord", headers, body)
        except OSError as err:
            return f"answer: {type(err).__name__}: {err}"
        return "" if status == 200 else f"answer status {status}"


# -- one set-up ---------------------------------------------------------------------------------


async def scrape_statements(metrics_port: int) -> float:
    async with httpx.AsyncClient(timeout=10) as client:
        text = (await client.get(f"http://127.0.0.1:{metrics_port}/metrics")).text
    return sum(
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("zevenstops_database_statements_total")
    )


async def move_all(rooms: list[Room], stop: str, setup: Setup) -> None:
    """Every facilitator moves to `stop`, spread over MOVE_SPREAD seconds; arrivals count from now."""
    for room in rooms:
        for phone in room.phones:
            phone.arrivals.pop(stop, None)

    async def one(room: Room, delay: float) -> None:
        await asyncio.sleep(delay)
        room.moved_at[stop] = time.perf_counter()
        response = await room.facilitator.post(
            f"/sessies/{room.code}/halte", data={"halte": stop}, headers={"accept": "application/json"}
        )
        if response.status_code != 200:
            setup.errors.append(f"move status {response.status_code}")

    await asyncio.gather(*(one(room, MOVE_SPREAD * i / len(rooms)) for i, room in enumerate(rooms)))


async def arrivals(rooms: list[Room], stop: str, setup: Setup, record: bool, quiet: bool = False) -> None:
    """Wait until every connected phone saw `stop`; note latencies and who missed it."""
    phones = [p for room in rooms for p in room.phones if not p.error]
    deadline = time.monotonic() + MOVE_DEADLINE
    while time.monotonic() < deadline and not all(stop in p.arrivals or p.error for p in phones):
        await asyncio.sleep(0.05)
    missing = sum(1 for p in phones if stop not in p.arrivals)
    if missing:
        setup.errors.append(f"{missing} attendee(s) did not see the move to {stop} within {MOVE_DEADLINE:.0f} s")
    if record:
        taken = [p.arrivals[stop] - p.room.moved_at[stop] for p in phones if stop in p.arrivals]
        setup.latencies += taken
        if quiet:
            setup.quiet += taken


async def load(setup: Setup, base: str, metrics_port: int | None, rss: Callable[[], int]) -> None:
    address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))
    joining = asyncio.Semaphore(JOINING)
    Phone.answering = asyncio.Semaphore(JOINING)
    rooms: list[Room] = []
    began = time.perf_counter()
    for _ in range(SESSIONS):
        facilitator = httpx.AsyncClient(base_url=base, timeout=30)
        start = await facilitator.post("/sessies", follow_redirects=False)
        code = start.headers["location"].split("/sessies/", 1)[1].split("/", 1)[0]
        rooms.append(Room(code, facilitator))
    tasks: list[asyncio.Task[None]] = []
    for room in rooms:  # the facilitator's own stream: on the guide, it gets the live tally
        cookie = "; ".join(f"{k}={v}" for k, v in room.facilitator.cookies.items())
        screen = Phone(room, address, f"/sessies/{room.code}/events", cookie)
        tasks.append(asyncio.create_task(screen.run(joining)))
    await asyncio.sleep(2.0)
    setup.rss_idle_kib = rss()
    setup.attendees = SESSIONS * PER_SESSION
    stop_iter = iter(STOPS * 4)  # one after the other: no move repeats the stop before it
    for share in STAGES:
        target = round(share * PER_SESSION)
        joining_now = []
        for room in rooms:
            for _ in range(target - len(room.phones)):
                phone = Phone(room, address, f"/s/{room.code}/events")
                room.phones.append(phone)
                joining_now.append(phone)
                tasks.append(asyncio.create_task(phone.run(joining)))
        await asyncio.wait_for(asyncio.gather(*(p.ready.wait() for p in joining_now)), 120)
        connected = sum(1 for room in rooms for p in room.phones if not p.error)
        await asyncio.sleep(1.0)
        if metrics_port is not None:
            before, t0 = await scrape_statements(metrics_port), time.perf_counter()
        stop = next(stop_iter)
        await move_all(rooms, stop, setup)
        await arrivals(rooms, stop, setup, record=False)
        await asyncio.sleep(max(0.0, WINDOW - (time.perf_counter() - t0)) if metrics_port is not None else 0.5)
        if metrics_port is not None:
            rate = (await scrape_statements(metrics_port) - before) / (time.perf_counter() - t0)
            setup.statements.append((connected, rate))
        print(
            f"  {connected} attendees connected ({time.perf_counter() - began:.0f} s)"
            + (f", {rate:.0f} statements/s" if metrics_port else ""),
            flush=True,
        )
    phones = [p for room in rooms for p in room.phones]
    setup.errors += [p.error for p in phones if p.error]
    setup.connected = sum(1 for p in phones if not p.error)
    await asyncio.sleep(1.0)
    setup.rss_connected_kib = rss()
    first = next(stop_iter)
    for phone in phones:
        phone.answer_on = first
    answers_started = time.perf_counter()
    for n, stop in enumerate((first, next(stop_iter), next(stop_iter))):
        await move_all(rooms, stop, setup)
        await arrivals(rooms, stop, setup, record=True, quiet=n > 0)
        if n == 0:
            answered = [p.answered for p in phones if p.answered is not None]
            results = await asyncio.gather(*answered)
            setup.answer_seconds = time.perf_counter() - answers_started
            setup.answers_sent = sum(1 for r in results if not r)
            setup.errors += [r for r in results if r]
            await asyncio.sleep(1.0)
    setup.answers_counted = sum([await counted(room, first, setup) for room in rooms])
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await asyncio.gather(*(room.facilitator.aclose() for room in rooms))


async def counted(room: Room, stop: str, setup: Setup) -> int:
    """How many answers the session stored for `stop`: the guide's result CSV, or the bare app's count."""
    if not setup.database:
        return int((await room.facilitator.get(f"/s/{room.code}/telling")).json()["antwoorden"])
    result = await room.facilitator.get(f"/s/{room.code}/uitslag.csv")
    rows = list(csv.reader(io.StringIO(result.content.decode("utf-8-sig"))))
    return int(next(r for r in rows[1:] if r[0] == "1")[2])


def one_setup(procs: Processes, setup: Setup, tmp: Path, postgres: str) -> None:
    env = {**os.environ, **LIMITS}
    env.pop("ZEVENSTOPS_BASE_URL", None)
    env["ZEVENSTOPS_DATA_DIR"] = str(tmp / setup.name.replace(" ", "-").replace(",", ""))
    drop = None
    metrics_port = None
    if setup.database:
        metrics_port = free_port()
        env["ZEVENSTOPS_METRICS_ADDRESS"] = f"127.0.0.1:{metrics_port}"
        multiproc = tmp / f"metrics-{metrics_port}"
        multiproc.mkdir()
        env["PROMETHEUS_MULTIPROC_DIR"] = str(multiproc)
    if setup.database == "PostgreSQL":
        if not postgres:
            setup.skipped = "no PostgreSQL: set ZEVENSTOPS_TEST_DATABASE_URL or --postgres"
            return
        env["ZEVENSTOPS_DATABASE_URL"], drop = postgres_schema(postgres)
    else:
        env.pop("ZEVENSTOPS_DATABASE_URL", None)
    port = free_port()
    argv = [str(VENV_BIN / "uvicorn"), setup.app, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(setup.workers), "--no-access-log", "--log-level", "warning", "--backlog", "4096"]
    argv += ["--timeout-graceful-shutdown", "3"]
    proc = procs.start(f"national-{setup.name}", argv, cwd=ROOT, env=env)
    try:
        procs.wait_ready(setup.name, proc, f"http://127.0.0.1:{port}/healthz", timeout=90)
        base = f"http://127.0.0.1:{port}"
        asyncio.run(
            asyncio.wait_for(
                load(setup, base, metrics_port, lambda: tree_rss_kib(proc.pid)), SETUP_TIMEOUT[setup.database]
            )
        )
    except Exception as err:  # report what was measured
        setup.errors.append(f"{type(err).__name__}: {err}")
    finally:
        procs.stop(proc)
        if drop:
            drop()


def raise_open_files() -> int:
    """Let this process (and the servers it starts, which inherit it) hold every socket: the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# -- the report ---------------------------------------------------------------------------------


def section(setups: list[Setup], started: str, took: float, load_average: str, open_files: int) -> str:
    ms = lambda s: f"{s * 1000:,.0f} ms"  # noqa: E731
    lines = [
        START,
        "## A national service: 50 sessions × 100 attendees",
        "",
        f"Written by `python -m bench.national` ({started}, took {took:.1f} min; load average at start "
        f"{load_average}, on a machine shared with other work). Everything on 127.0.0.1: the load generator "
        f"(one Python process, raw asyncio streams and hand-written HTTP/1.1; open files raised to {open_files}) "
        "runs on the same 2 CPUs as the server, so the times include its own scheduling.",
        "",
        f"Each set-up: a fresh uvicorn; {SESSIONS} sessions, each with its facilitator's stream; "
        f"{SESSIONS * PER_SESSION:,} attendees join in stages (none, a quarter, half, all) each with its own "
        f"cookie and Server-Sent Events stream. At each stage every facilitator moves once (the {SESSIONS} moves "
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
        "",
        "| set-up | attendees connected | errors | answers counted / sent | all answered after | "
        "move → attendee p50 / p95 / max | p95 of the moves without answers in flight | RSS idle → connected | per attendee | "
        "statements/s at 0 / ¼ / ½ / all attendees | met |",
        "|---|---:|---:|---|---:|---|---:|---|---:|---|---|",
    ]
    for s in setups:
        if s.skipped:
            lines.append(f"| {s.name} | skipped: {s.skipped} |" + " |" * 8 + " — |")
            continue
        rates = " / ".join(f"{rate:.0f}" for _, rate in s.statements) if s.database else "— (no database)"
        checks = s.checks()
        verdict = "; ".join(f"{name}: {'met' if ok else '**not met**'}" for name, ok in checks.items())
        lines.append(
            f"| {s.name} | {s.connected:,} / {s.attendees:,} | {len(s.errors)} | "
            f"{s.answers_counted:,} / {s.answers_sent:,} | {s.answer_seconds:.1f} s | "
            f"{ms(s.percentile(50))} / {ms(s.percentile(95))} / {ms(max(s.latencies, default=float('nan')))} | "
            f"{ms(percentile(s.quiet, 95))} | "
            f"{s.rss_idle_kib / 1024:.0f} → {s.rss_connected_kib / 1024:.0f} MiB | {s.per_attendee_kib:.0f} KiB | "
            f"{rates} | {verdict} |"
        )
    lines += [
        "",
        "Targets: 0 errors, every answer counted, the move reaches the 95th-percentile attendee within 1 s, "
        "at most 50 KiB of resident memory per connected attendee ((connected − idle) / attendees, summed over "
        "uvicorn's processes), and database statements per second that do not grow with the attendees "
        "(within 25 % from a quarter to all of them; with none connected each session is watched only on the worker "
        "that holds its facilitator's stream, so that figure is lower on 2 workers). The bare broadcaster is the ceiling: what uvicorn, "
        "sse-starlette and this load generator manage on this machine with no database at all.",
    ]
    for s in setups:
        if s.errors:
            lines += ["", f"Errors in {s.name} ({len(s.errors)}, first 5): " + "; ".join(s.errors[:5])]
    return "\n".join([*lines, END, ""])


SETUPS = (
    Setup("guide, 2 workers, PostgreSQL", "app.main:app", 2, "PostgreSQL"),
    Setup("guide, 1 worker, SQLite", "app.main:app", 1, "SQLite"),
    Setup("bare Starlette SSE, 1 worker", "bench.bare_sse:app", 1, ""),
)


def main(argv: list[str] | None = None) -> int:
    global SESSIONS, PER_SESSION  # one run per process
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__)
    parser.add_argument("--postgres", default=os.environ.get("ZEVENSTOPS_TEST_DATABASE_URL", ""))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--sessions", type=int, default=SESSIONS, help="fewer for a trial run")
    parser.add_argument("--per-session", type=int, default=PER_SESSION, help="attendees per session")
    args = parser.parse_args(argv)
    SESSIONS, PER_SESSION = args.sessions, args.per_session
    random.seed(13)
    open_files = raise_open_files()
    started, t0, load_average = time.strftime("%Y-%m-%d %H:%M %Z"), time.monotonic(), facts.loadavg()
    setups = [Setup(s.name, s.app, s.workers, s.database) for s in SETUPS]
    with tempfile.TemporaryDirectory(prefix="bench-national-") as tmp, Processes(Path(tmp)) as procs:
        for setup in setups:
            print(f"{setup.name} (load average {facts.loadavg()}) …", flush=True)
            one_setup(procs, setup, Path(tmp), args.postgres)
            print(
                f"  errors {len(setup.errors)}, p95 {setup.percentile(95) * 1000:.0f} ms, "
                f"counted {setup.answers_counted}/{setup.answers_sent}, {setup.per_attendee_kib:.0f} KiB/attendee",
                flush=True,
            )
            for error in setup.errors[:5]:
                print(f"  {error}", flush=True)
    took = (time.monotonic() - t0) / 60
    write_section(args.out, section(setups, started, took, load_average, open_files), (START, END))
    print(f"Wrote {args.out}")
    return 0 if all(all(s.checks().values()) or s.skipped for s in setups) else 1


if __name__ == "__main__":
    sys.exit(main())
