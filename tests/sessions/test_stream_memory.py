"""What one open event stream keeps in memory, beside the bare broadcaster of bench/bare_sse.py.

5,000 attendees hold 5,000 streams for a whole meeting; bench/national.py measures the
resident memory per attendee (target: 50 KiB, the bare broadcaster needs 45). Here Python's own
allocation count (tracemalloc, the same on every machine) pins down what the guide adds per
stream on top of uvicorn, sse-starlette and asyncio: FastAPI's dependency handling of a route
kept about 3 KiB alive per stream, the session object and a closure another 0.5, and FastAPI's
middleware and router 5 more (StreamDoor in app/sessions/streams.py now takes streams past them).
"""

from __future__ import annotations

import asyncio
import gc
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.config import Settings
from app.web import create_app
from bench import bare_sse
from tests.conftest import VALID
from tests.test_hardening import run

ASGI = Callable[
    [dict[str, Any], Callable[[], Awaitable[dict[str, Any]]], Callable[[dict[str, Any]], Awaitable[None]]],
    Awaitable[None],
]
STREAMS = 300
ALLOWED = 3 * 1024  # bytes per stream more than the bare broadcaster (it was 9.5 KiB, then 6.6)


async def _started(app: ASGI) -> asyncio.Task[None]:
    """Run the app's lifespan until its startup is done; the task keeps it running."""
    messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await messages.put({"type": "lifespan.startup"})
    up = asyncio.Event()

    async def send(message: dict[str, Any]) -> None:
        assert "failed" not in message["type"], message
        up.set()

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, messages.get, send))
    await asyncio.wait_for(up.wait(), 30)
    return task


async def _request(
    app: ASGI, method: str, path: str, headers: list[tuple[bytes, bytes]]
) -> tuple[list[dict[str, Any]], asyncio.Task[None]]:
    """Send a request; return once the first body arrived (a stream stays open in its task)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    body_came = asyncio.Event()
    asked = False

    async def receive() -> dict[str, Any]:
        nonlocal asked
        if not asked:
            asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body":
            body_came.set()

    task = asyncio.create_task(app(scope, receive, send))
    await asyncio.wait_for(body_came.wait(), 30)
    return sent, task


async def _bytes_per_stream(app: ASGI) -> float:
    lifespan = await _started(app)
    form = [(b"origin", b"http://127.0.0.1:8000"), (b"content-type", b"application/x-www-form-urlencoded")]
    sent, _ = await _request(app, "POST", "/sessies", form)
    location = dict(sent[0]["headers"])[b"location"].decode()
    code = location.split("/sessies/", 1)[1].split("/", 1)[0]
    streams = []

    async def open_streams(n: int) -> None:
        for _ in range(n):
            sent, task = await _request(app, "GET", f"/s/{code}/events", [])
            assert sent[0]["status"] == 200 and not task.done(), sent
            streams.append(task)

    await open_streams(30)  # caches and pools filled
    await asyncio.sleep(0.2)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        await open_streams(STREAMS)
        await asyncio.sleep(0.2)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert not any(task.done() for task in streams)
    for task in [*streams, lifespan]:
        task.cancel()
    await asyncio.gather(*streams, lifespan, return_exceptions=True)
    return sum(stat.size_diff for stat in after.compare_to(before, "filename")) / STREAMS


def test_an_open_attendee_stream_costs_little_more_than_the_bare_broadcasters(tmp_path: Path) -> None:
    settings = replace(Settings(), content_dir=VALID, data_dir=tmp_path, max_streams=10_000, streams_per_address=10_000)
    guide = run(_bytes_per_stream(create_app(settings)))
    bare = run(_bytes_per_stream(bare_sse.app))
    assert guide - bare <= ALLOWED, f"{guide / 1024:.1f} KiB per stream, the bare broadcaster {bare / 1024:.1f} KiB"
