"""The national benchmark's load: rooms of phones on raw streams, the facilitators' moves, what one set-up measured.

Used by `python -m bench.national` (see its docstring for the plan). One process holds every
attendee's stream (bench/raw_http.py); the facilitators use httpx.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import time
from collections.abc import Callable

import httpx

from bench.national_report import JOINING, MOVE_DEADLINE, MOVE_SPREAD, STAGES, STOPS, WINDOW, Setup
from bench.raw_http import chunks, cookie_of, http, read_head, request_bytes

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


# -- one set-up's load --------------------------------------------------------------------------


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


async def load(
    setup: Setup, base: str, metrics_port: int | None, rss: Callable[[], int], sessions: int, per_session: int
) -> None:
    """Start `sessions` rooms, bring `per_session` phones into each in STAGES, move and answer; into `setup`."""
    address = ("127.0.0.1", int(base.rsplit(":", 1)[1]))
    joining = asyncio.Semaphore(JOINING)
    Phone.answering = asyncio.Semaphore(JOINING)
    rooms: list[Room] = []
    began = time.perf_counter()
    for _ in range(sessions):
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
    setup.attendees = sessions * per_session
    stop_iter = iter(STOPS * 4)  # one after the other: no move repeats the stop before it
    for share in STAGES:
        target = round(share * per_session)
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
