"""Server-Sent Events: every attendee follows the facilitator, whichever worker they are connected to.

Workers share nothing but the database. Each process runs ONE watch per session, shared by
all of that session's streams in the process: it reads the session's row (stop, version,
revision) when poked — this process changed it, or on PostgreSQL another worker did and its
notification arrived (app/sessions/notify.py) — and otherwise every `interval` seconds, and
hands new states to the streams. The facilitator's streams also get the live tally, counted
once per change for all of them. So the database work per change is one read per session
per worker, however many attendees follow it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from app.sessions.health import DB_ERRORS, Health
from app.sessions.store import State

log = logging.getLogger("zevenstops.sessions")
INTERVAL = 0.3  # seconds between polls without notifications (SQLite): a move reaches every attendee within a second
TALLY_GAP = 0.5  # seconds between two counts for the facilitator while answers pour in (a move counts at once)


@dataclass(frozen=True)
class Event:
    kind: str  # "halte" (the room moved), "telling" (answers, facilitator only), "einde" (session deleted)
    data: dict[str, Any]
    id: str = ""


@dataclass
class _Watch:
    """The poller of one session in this process and the queues of its streams."""

    subscribers: dict[asyncio.Queue[Event | None], bool] = field(default_factory=dict)  # queue -> facilitator
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


def stop_event(state: State) -> Event:
    return Event("halte", {"halte": state.stop, "versie": state.version}, f"{state.version}.{state.revision}")


class Broker:
    """Hands each session's changes to its streams in this process."""

    def __init__(
        self,
        poll: Callable[[int], State | None],
        tally: Callable[[int, str | None], dict[str, Any]],
        interval: float = INTERVAL,
        health: Health | None = None,
        tally_gap: float = TALLY_GAP,
    ):
        self.poll = poll  # blocking: run in a thread
        self.tally = tally  # blocking: run in a thread
        self.interval = interval
        self.tally_gap = tally_gap
        self.health = health or Health()
        self._watches: dict[int, _Watch] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False

    def streams(self, session_id: int) -> int:
        """How many streams of `session_id` this process serves."""
        watch = self._watches.get(session_id)
        return len(watch.subscribers) if watch else 0

    async def stream(self, session_id: int, *, facilitator: bool = False) -> AsyncIterator[Event]:
        """The events of one session for one client: the current state first, then every change."""
        self._loop = asyncio.get_running_loop()
        watch = self._watches.get(session_id)
        if watch is None:
            watch = self._watches[session_id] = _Watch()
            watch.task = asyncio.create_task(self._run(session_id, watch), name=f"session-poller-{session_id}")
        queue: asyncio.Queue[Event | None] = asyncio.Queue(maxsize=8)
        watch.subscribers[queue] = facilitator  # first listen, then read: no change falls in between
        try:
            state = await asyncio.to_thread(self.poll, session_id)
            if state is None:
                yield Event("einde", {})
                return
            yield stop_event(state)
            if facilitator:
                yield Event("telling", await asyncio.to_thread(self.tally, session_id, state.stop))
            while not self._closing:
                event = await queue.get()
                if event is None:
                    return
                yield event
                if event.kind == "einde":
                    return
        finally:
            watch.subscribers.pop(queue, None)
            if not watch.subscribers and self._watches.get(session_id) is watch:
                del self._watches[session_id]
                if watch.task is not None:
                    watch.task.cancel()

    def poke(self, session_id: int) -> None:
        """Poll `session_id` now rather than at the next tick (thread-safe: routes call it from threads)."""
        watch, loop = self._watches.get(session_id), self._loop
        if watch is not None and loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(watch.wake.set)

    def poke_all(self) -> None:
        """Poll every session this process follows now (thread-safe)."""
        for session_id in list(self._watches):
            self.poke(session_id)

    async def close(self) -> None:
        """End every stream, so a server can stop."""
        self._closing = True
        for watch in list(self._watches.values()):
            for queue in list(watch.subscribers):
                _offer(queue, None)
            if watch.task is not None:
                watch.task.cancel()
        self._watches.clear()

    async def _run(self, session_id: int, watch: _Watch) -> None:
        last: State | None = None
        with contextlib.suppress(Exception):  # the loop below retries and logs
            last = await asyncio.to_thread(self.poll, session_id)
        counted_at = -self.tally_gap  # when the facilitator's count was last made
        uncounted = False  # answers came in since: count them when the gap is over
        while True:
            wait = self.interval
            if uncounted:
                wait = min(wait, max(0.0, counted_at + self.tally_gap - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.wake.wait(), wait)
            watch.wake.clear()
            try:
                state = await asyncio.to_thread(self.poll, session_id)
            except DB_ERRORS as err:  # the database is briefly away: keep the streams, try again
                self.health.failed(err)  # logged once per outage, not per poll
                await asyncio.sleep(1)
                continue
            except Exception:
                log.exception("Polling session %s failed", session_id)
                await asyncio.sleep(1)
                continue
            self.health.ok()
            if state is None:
                self._send(watch, Event("einde", {}), facilitators_only=False)
                return
            if last is None or state.version != last.version:
                self._send(watch, stop_event(state), facilitators_only=False)
            moved = last is None or state.stop != last.stop
            uncounted = uncounted or last is None or moved or state.revision != last.revision
            # One count per change for all facilitators' streams; a burst of answers is counted at
            # most once per gap, a move at once (the new stop's chart).
            due = moved or time.monotonic() - counted_at >= self.tally_gap
            if uncounted and due and any(watch.subscribers.values()):
                counted_at, uncounted = time.monotonic(), False
                try:
                    data = await asyncio.to_thread(self.tally, session_id, state.stop)
                except Exception:
                    log.exception("Counting the answers of session %s failed", session_id)
                else:
                    self._send(
                        watch, Event("telling", data, f"{state.version}.{state.revision}"), facilitators_only=True
                    )
            elif not any(watch.subscribers.values()):
                uncounted = False
            last = state

    @staticmethod
    def _send(watch: _Watch, event: Event, *, facilitators_only: bool) -> None:
        for queue, facilitator in list(watch.subscribers.items()):
            if facilitator or not facilitators_only:
                _offer(queue, event)


def _offer(queue: asyncio.Queue[Event | None], event: Event | None) -> None:
    """Queue without waiting; a client that lags loses its oldest event (each event carries the whole state)."""
    if queue.full():
        with contextlib.suppress(asyncio.QueueEmpty):
            queue.get_nowait()
    queue.put_nowait(event)
