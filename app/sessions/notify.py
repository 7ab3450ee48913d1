"""PostgreSQL's LISTEN/NOTIFY: a change committed on one worker wakes that session's watch on every worker.

Whoever changes a session calls `changed(db, ids, kind)` inside its transaction; PostgreSQL
hands the notification to every listener when the transaction commits, and never for one
that rolls back. Each worker process holds ONE connection that LISTENs on `CHANNEL` and
pokes the Broker (app/sessions/events.py), which then reads the session once for all of
its streams in the process. While that connection is up the Broker's own poll is only a
slow safety net; when it drops the listener logs once, switches the Broker back to the fast
poll, retries with backoff and, once back, wakes every watch (a notification may have been
missed in between). SQLite has no notifications: there the Broker simply polls often.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.engine import make_url

from app.logs import fields
from app.sessions.db import writing

if TYPE_CHECKING:
    from app.sessions.events import Broker

log = logging.getLogger("zevenstops.sessions")
CHANNEL = "zevenstops_sessions"
SAFETY_INTERVAL = 5.0  # seconds between the Broker's polls while notifications arrive
BACKOFF = (0.5, 30.0)  # first and longest wait before connecting again
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}


def changed(db: Connection, session_ids: Iterable[int], kind: str) -> None:
    """Tell every worker, when `db`'s transaction commits, that these sessions changed (PostgreSQL only).

    `kind` says what changed ("halte", "antwoord", "geschreven", "einde"), for the log and for readers.
    """
    if db.dialect.name != "postgresql":
        return
    for session_id in session_ids:
        db.execute(select(func.pg_notify(CHANNEL, f"{session_id} {kind}")))


ANSWER_GAP = 0.5  # seconds: at most one notification of new answers per session per worker


class AnswersNotice:
    """Tell the other workers of new answers at most once per `gap` seconds per session.

    PostgreSQL commits the transactions that NOTIFY one after another (they share one lock on
    the notification queue), so a NOTIFY inside every answer made a burst of 5,000 answers wait
    for each other's commits: 94 s to store them, and the facilitators' moves waited behind. An
    answer only changes the facilitator's count, which the Broker refreshes at most every 0.5 s
    anyway. So an answer commits without NOTIFY, and this sends one short notification per
    session afterwards: at once for the first answer, then once more `gap` seconds after the last
    one sent, for whatever came in meanwhile. Every answer is followed by a notification within
    `gap`. If it fails (the database went away) the Broker's safety poll still finds the answer.
    """

    def __init__(self, engine: Engine, gap: float = ANSWER_GAP):
        self.engine = engine
        self.gap = gap
        self.sent = 0  # notifications sent, for tests
        self._lock = threading.Lock()
        self._last: dict[int, float] = {}
        self._due: set[int] = set()

    def __call__(self, session_id: int) -> None:
        """Called after an answer of `session_id` committed."""
        if self.engine.dialect.name != "postgresql":
            return
        with self._lock:
            if session_id in self._due:
                return  # a notification is on its way and will cover this answer
            self._due.add(session_id)
            wait = self._last.get(session_id, -self.gap) + self.gap - time.monotonic()
            if len(self._last) > 10_000:  # sessions come and go: forget the quiet ones
                self._last = {sid: t for sid, t in self._last.items() if time.monotonic() - t < self.gap}
        if wait <= 0:
            self._send(session_id)
        else:
            timer = threading.Timer(wait, self._send, (session_id,))
            timer.daemon = True
            timer.start()

    def _send(self, session_id: int) -> None:
        with self._lock:
            self._due.discard(session_id)  # answers from here on schedule the next notification
            self._last[session_id] = time.monotonic()
        try:
            with writing(self.engine) as db:
                changed(db, [session_id], "antwoord")
            self.sent += 1
        except Exception as err:  # the safety poll finds the answers; say why once per failure
            log.warning("Could not announce new answers: %s", type(err).__name__, extra=fields(dependency="notify"))


def conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy URL (`postgresql+psycopg://…` → `postgresql://…`), options kept."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """One LISTEN connection per worker process, poking `broker` for each notification."""

    def __init__(self, url: str, broker: Broker, *, safety_interval: float = SAFETY_INTERVAL):
        self.conninfo = conninfo(url)
        self.broker = broker
        self.safety_interval = safety_interval
        self.fast_interval = broker.interval
        self.connected = False
        self.backend_pid: int | None = None  # of the listening connection, for tests and operators
        self.problem = ""  # why it is not listening (English, from the driver), or ""
        self.notifications = 0
        self._tasks: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}  # one per event loop that started it

    def start(self) -> None:
        """Listen from the running event loop (a server runs one; tests may start an app in two)."""
        loop = asyncio.get_running_loop()
        if loop not in self._tasks:
            self._tasks[loop] = loop.create_task(self.run(), name="session-listener")

    async def close(self) -> None:
        task = self._tasks.pop(asyncio.get_running_loop(), None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def run(self) -> None:
        import psycopg  # PostgreSQL's driver: only needed where PostgreSQL is used
        from psycopg.conninfo import make_conninfo

        target = make_conninfo(self.conninfo, connect_timeout=5, **KEEPALIVE)  # a dead peer is noticed within a minute
        delay = BACKOFF[0]
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(target, autocommit=True)
                async with connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self._up(connection.info.backend_pid)
                    delay = BACKOFF[0]
                    async for notification in connection.notifies():
                        self._handle(notification.payload)
                raise ConnectionError("the listening connection ended")
            except asyncio.CancelledError:
                raise
            except Exception as err:
                self._down(err)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF[1])

    def _handle(self, payload: str) -> None:
        self.notifications += 1
        session_id, _, _kind = payload.partition(" ")
        if session_id.isdigit():
            self.broker.poke(int(session_id))

    def _up(self, backend_pid: int) -> None:
        if self.problem:
            log.warning("Listening for session changes again", extra=fields(dependency="notify", state="up"))
        self.connected, self.backend_pid, self.problem = True, backend_pid, ""
        self.broker.interval = self.safety_interval
        self.broker.poke_all()  # a change may have been committed before LISTEN took effect

    def _down(self, err: BaseException) -> None:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        if not self.problem:  # once per outage, not once per attempt
            log.error(
                "Not listening for session changes (polling every %.1f s meanwhile): %s: %s",
                self.fast_interval,
                type(err).__name__,
                first[:300],
                extra=fields(dependency="notify", state="down"),
            )
        self.connected, self.backend_pid, self.problem = False, None, first[:300] or type(err).__name__
        self.broker.interval = self.fast_interval
        self.broker.poke_all()  # back to the fast poll at once, and catch what may have been missed

    def status(self) -> dict[str, Any]:
        """For /healthz."""
        return {"status": "ok" if self.connected else "verbroken", "meldingen": self.notifications}
