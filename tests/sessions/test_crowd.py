"""A full room answering at once: the facilitator's moves do not wait behind it.

bench/national.py measures the times; these tests pin down the two causes it found. Every
blocking call once shared one small thread pool, so a burst of answers queued the move behind
it; and each answer took up to nine statements, where five or three do.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app.config import Settings
from app.sessions.db import make_engine, migrate, writing
from app.sessions.live import CROWD_THREADS, Live
from app.sessions.store import LimitReached, Store
from app.web import create_app
from tests.conftest import VALID
from tests.sessions.helpers import live_of
from tests.test_hardening import run


@pytest.fixture
def live() -> Iterator[Live]:
    with TestClient(create_app(replace(Settings(), content_dir=VALID))) as client:
        yield live_of(client)


def test_a_move_is_served_while_every_crowd_thread_is_busy(live: Live) -> None:
    release = threading.Event()
    busy = threading.Semaphore(0)

    def slow_answer() -> None:  # an attendee's write that takes long (a locked database)
        busy.release()
        release.wait(10)

    def move() -> str:
        return "verplaatst"

    async def scene() -> str:
        crowd = [asyncio.ensure_future(live.call(slow_answer, crowd=True)) for _ in range(50)]
        for _ in range(CROWD_THREADS):  # every crowd thread holds an answer, 48 more wait
            await asyncio.to_thread(busy.acquire, True, 5)
        try:
            return await asyncio.wait_for(live.call(move), 5)  # in one shared pool: never
        finally:
            release.set()
            await asyncio.gather(*crowd)

    assert run(scene()) == "verplaatst"


class Statements:
    """Counts the SQL statements an engine sends for answers (the batched notifications apart)."""

    def __init__(self, engine: Engine):
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "pg_notify" not in statement:  # sent after the commit, at most once per 0.5 s (notify.AnswersNotice)
            self.count += 1


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    engine = make_engine(db_url)
    migrate(engine)
    yield Store(engine, answers_per_minute=100)
    engine.dispose()


def test_a_first_answer_takes_five_statements_and_a_later_one_three(store: Store) -> None:
    session, _ = store.create()
    sent = Statements(store.engine)
    store.answer(session, "telefoon-1", "leiderschap", {0: 4, 1: 2})  # a new attendee: seat, scores
    first = sent.count
    store.answer(session, "telefoon-1", "leiderschap", {0: 5, 1: 2})  # scores replaced
    again = sent.count - first
    store.answer(session, "telefoon-1", "ambitie", {0: 3})  # the same attendee, another stop
    other = sent.count - first - again
    assert (first, again, other) == (5, 3, 3)  # it was 9, 5 and 4: two scores made two updates or inserts
    assert store.tally(session.id) == {
        ("leiderschap", 0): {5: 1},
        ("leiderschap", 1): {2: 1},
        ("ambitie", 0): {3: 1},
    }
    found = store.find(session.code)
    assert found is not None and found.attendees == 1
    assert found.revision == 3  # every answer counts the revision once: the facilitator's chart follows


def test_a_new_minute_and_the_limit_still_count_per_attendee(store: Store) -> None:
    limited = Store(store.engine, answers_per_minute=2, clock=store.clock)
    session, _ = limited.create()
    limited.answer(session, "telefoon-1", "leiderschap", {0: 1})
    limited.answer(session, "telefoon-1", "leiderschap", {0: 2})
    with pytest.raises(LimitReached) as refused:
        limited.answer(session, "telefoon-1", "leiderschap", {0: 3})
    assert refused.value.kind == "answers" and refused.value.retry_after is not None
    later = limited.clock() + timedelta(minutes=2)
    limited.clock = lambda: later
    limited.answer(session, "telefoon-1", "leiderschap", {0: 4})  # a new minute: counted afresh
    assert limited.tally(session.id) == {("leiderschap", 0): {4: 1}}


def test_sqlite_writers_of_one_process_queue_on_a_lock_not_in_the_busy_handler(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sessies.db'}")
    migrate(engine)
    holding, trying, entered = threading.Event(), threading.Event(), threading.Event()
    release = threading.Event()

    def first() -> None:
        with writing(engine) as db:
            db.exec_driver_sql("UPDATE sessions SET version = version + 1")  # SQLite's write lock taken
            holding.set()
            release.wait(10)

    def second() -> None:
        holding.wait(10)
        trying.set()
        with writing(engine):
            entered.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert trying.wait(10)
    assert not entered.wait(0.3)  # it waits for the first writer's commit, outside SQLite
    release.set()
    assert entered.wait(10)
    for thread in threads:
        thread.join(10)
    engine.dispose()
