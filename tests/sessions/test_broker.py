"""The Broker on its own: one count for the facilitator per burst of answers, not one per answer."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from app.sessions.events import Broker, Event
from app.sessions.store import State
from tests.test_hardening import run


def test_a_burst_of_answers_is_counted_once_per_gap_and_a_move_at_once() -> None:
    state = {"stop": "a", "revision": 0, "version": 1}
    counts: list[int] = []

    def poll(_: int) -> State:
        return State(state["stop"], state["version"], state["revision"])  # type: ignore[arg-type]

    def tally(_: int, stop: str | None) -> dict[str, Any]:
        counts.append(int(state["revision"]))
        return {"halte": stop, "aantal": state["revision"]}

    async def scenario() -> tuple[list[Event], float]:
        broker = Broker(poll, tally, interval=60, tally_gap=1.0)
        seen: list[Event] = []

        async def facilitator() -> None:
            async for event in broker.stream(1, facilitator=True):
                seen.append(event)

        reader = asyncio.create_task(facilitator())
        while len(seen) < 2:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)
        for _ in range(100):  # a room answering at once, each answer poking the watch
            state["revision"] += 1
            broker.poke(1)
            await asyncio.sleep(0.005)
        await asyncio.sleep(1.5)  # the gap is over: the last answers are counted too
        state["stop"], state["version"] = "b", 2
        moved = time.monotonic()
        broker.poke(1)
        while not any(e.kind == "telling" and e.data["halte"] == "b" for e in seen):
            await asyncio.sleep(0.01)
        took = time.monotonic() - moved
        reader.cancel()
        await broker.close()
        return seen, took

    seen, took = run(scenario())
    tellings = [e.data["aantal"] for e in seen if e.kind == "telling"]
    assert tellings[-2] == 100  # every answer counted in the end
    assert len(counts) <= 6, counts  # the stream's first count, the watch's, then about one per gap: not 100
    assert took < 0.5  # a move is counted at once, even right after a count
