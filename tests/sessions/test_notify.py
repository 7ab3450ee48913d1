"""PostgreSQL's notifications: a change committed by one worker reaches every other worker's streams at once.

Two Broker + Listener pairs on one database stand in for two worker processes. Their safety
poll is set to a minute, so anything that arrives within a second came by notification.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, text

from app.config import Settings
from app.sessions.db import make_engine, migrate
from app.sessions.events import Broker, Event
from app.sessions.notify import Listener, conninfo
from app.sessions.store import Store
from app.web import create_app
from tests.conftest import VALID
from tests.sessions.helpers import live_of
from tests.test_hardening import run

SAFETY = 60.0  # seconds: no poll during a test, only notifications
PROMPT = 1.0  # seconds: what "at once" means here


@dataclass
class Worker:
    store: Store
    broker: Broker
    listener: Listener
    queries: list[str] = field(default_factory=list)


@asynccontextmanager
async def worker(url: str) -> AsyncIterator[Worker]:
    """One worker process's broker and listener, counting the statements its engine sends."""
    engine = make_engine(url)
    store = Store(engine)

    def tally(session_id: int, _stop: str | None) -> dict[str, Any]:
        return {"antwoorden": sum(sum(scores.values()) for scores in store.tally(session_id).values())}

    broker = Broker(store.state, tally, interval=SAFETY)
    listener = Listener(url, broker, safety_interval=SAFETY)
    this = Worker(store, broker, listener)
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, statement, *_: this.queries.append(statement))
    listener.start()
    try:
        await until(lambda: listener.connected)
        yield this
    finally:
        await listener.close()
        await broker.close()
        engine.dispose()


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> float:
    """Wait until `condition()` holds; how long that took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)
    return time.monotonic() - started


class Follower:
    """One stream of a session, collecting its events."""

    def __init__(self, broker: Broker, session_id: int, facilitator: bool = False):
        self.events: list[Event] = []
        self.task = asyncio.create_task(self._read(broker, session_id, facilitator))

    async def _read(self, broker: Broker, session_id: int, facilitator: bool) -> None:
        async for item in broker.stream(session_id, facilitator=facilitator):
            self.events.append(item)

    def got(self, kind: str, key: str, value: Any) -> bool:
        return any(e.kind == kind and e.data.get(key) == value for e in self.events)


@pytest.fixture
def pg_url(postgres_schema: str) -> str:
    """A fresh schema whose session ids start far from other tests' (notifications are per database)."""
    engine = make_engine(postgres_schema)
    migrate(engine)
    with engine.begin() as db:
        db.execute(text("SELECT setval(pg_get_serial_sequence('sessions', 'id'), :n)"), {"n": random.randrange(10**9)})
    engine.dispose()
    return postgres_schema


def test_a_move_and_an_answer_on_one_worker_reach_the_other_by_notification(pg_url: str) -> None:
    async def scenario() -> tuple[float, float]:
        async with worker(pg_url) as first, worker(pg_url) as second:
            session, _ = first.store.create()
            attendee = Follower(second.broker, session.id)
            facilitator = Follower(second.broker, session.id, facilitator=True)
            await until(lambda: attendee.got("halte", "halte", None) and facilitator.got("telling", "antwoorden", 0))
            started = time.monotonic()
            await asyncio.to_thread(first.store.move, session.id, "leiderschap")
            moved = await until(lambda: attendee.got("halte", "halte", "leiderschap"))
            started = time.monotonic()
            await asyncio.to_thread(first.store.answer, session, "telefoon-1", "leiderschap", {1: 4})
            await until(lambda: facilitator.got("telling", "antwoorden", 1))
            return moved, time.monotonic() - started

    moved, counted = run(scenario())
    assert moved < PROMPT
    assert counted < PROMPT


def test_answers_commit_without_notify_and_a_burst_is_announced_a_few_times_and_last(pg_url: str) -> None:
    """NOTIFY serialises the commits that carry it: 5,000 answers took 94 s in the benchmark.

    Answers commit without it; the other worker hears of a burst a few times, and of its last answer.
    """

    async def scenario() -> tuple[list[str], int, Follower, int]:
        async with worker(pg_url) as first, worker(pg_url) as second:
            session, _ = first.store.create()
            facilitator = Follower(second.broker, session.id, facilitator=True)
            await until(lambda: facilitator.got("telling", "antwoorden", 0))
            first.queries.clear()
            before = second.listener.notifications

            def burst() -> None:
                for n in range(40):
                    first.store.answer(session, f"telefoon-{n}", "leiderschap", {1: 4})
                    time.sleep(0.02)  # answers arriving over about a second, as from a room

            await asyncio.to_thread(burst)
            await until(lambda: facilitator.got("telling", "antwoorden", 40), timeout=PROMPT + first.store.answered.gap)
            await asyncio.sleep(first.store.answered.gap * 2)  # nothing more is on its way
            statements = list(first.queries)
            return statements, second.listener.notifications - before, facilitator, first.store.answered.sent

    statements, heard, facilitator, sent = run(scenario())
    in_answers = [s for s in statements if "pg_notify" in s]
    assert len(in_answers) == sent  # only the batched notices, none inside the 40 answer transactions
    assert 2 <= heard <= 5, heard  # about one per 0.5 s over the burst, not 40
    assert facilitator.got("telling", "antwoorden", 40)  # the last answer reached the other worker


def test_the_listener_reconnects_after_its_connection_is_killed(pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> float:
        async with worker(pg_url) as first, worker(pg_url) as second:
            session, _ = first.store.create()
            attendee = Follower(second.broker, session.id)
            await until(lambda: attendee.got("halte", "halte", None))
            killed = second.listener.backend_pid
            with caplog.at_level(logging.WARNING, logger="zevenstops.sessions"):
                await asyncio.to_thread(terminate, pg_url, killed)
                await until(lambda: second.listener.backend_pid not in (None, killed))
            await asyncio.sleep(0.5)  # any poll woken by the reconnection is over: what follows is a notification
            assert second.broker.interval == SAFETY
            started = time.monotonic()
            await asyncio.to_thread(first.store.move, session.id, "vertrouwen")
            await until(lambda: attendee.got("halte", "halte", "vertrouwen"))
            return time.monotonic() - started

    assert run(scenario()) < PROMPT
    messages = [r.getMessage() for r in caplog.records if r.name == "zevenstops.sessions"]
    assert sum("Not listening for session changes" in m for m in messages) == 1
    assert sum("Listening for session changes again" in m for m in messages) == 1


def terminate(url: str, backend_pid: int | None) -> None:
    engine = make_engine(url)
    with engine.begin() as db:
        assert db.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend_pid}).scalar()
    engine.dispose()


def test_the_queries_per_move_do_not_grow_with_the_streams(pg_url: str) -> None:
    """One read of the state and one count for the facilitator per move per worker, for 1 attendee as for 50."""

    async def per_move(attendees: int) -> list[str]:
        async with worker(pg_url) as first, worker(pg_url) as second:
            session, _ = first.store.create()
            followers = [Follower(second.broker, session.id) for _ in range(attendees)]
            facilitator = Follower(second.broker, session.id, facilitator=True)
            await until(lambda: all(f.got("halte", "halte", None) for f in followers))
            await until(lambda: facilitator.got("telling", "antwoorden", 0))
            await asyncio.sleep(0.3)  # the streams' first reads are over
            second.queries.clear()
            await asyncio.to_thread(first.store.move, session.id, "leiderschap")
            await until(lambda: all(f.got("halte", "halte", "leiderschap") for f in followers))
            await until(lambda: sum(e.kind == "telling" for e in facilitator.events) == 2)
            await asyncio.sleep(0.3)  # anything that would still follow
            return list(second.queries)

    one, fifty = run(per_move(1)), run(per_move(50))
    assert len(one) == len(fifty) == 2, (one, fifty)


def test_the_listener_speaks_libpq_and_keeps_the_schema_option() -> None:
    url = "postgresql+psycopg://u:p@db:5433/gids?options=-csearch_path%3Dtest_1"
    assert conninfo(url) == "postgresql://u:p@db:5433/gids?options=-csearch_path%3Dtest_1"


def test_healthz_says_whether_the_worker_listens(pg_url: str, tmp_path: Path) -> None:
    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url=pg_url)
    with TestClient(create_app(settings)) as client:
        listener = live_of(client).listener
        deadline = time.monotonic() + 10
        while not listener.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        health = client.get("/healthz").json()
    assert health["database"]["notify"] == {"status": "ok", "meldingen": 0}
    assert health["status"] == "ok"
