"""Small steps the session tests repeat."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter

import httpx
from fastapi.testclient import TestClient

from app.sessions.live import Live


def live_of(client: TestClient) -> Live:
    """The running app's live-session state (the PageServer wraps the FastAPI app)."""
    return client.app.app.state.live_sessions  # type: ignore[attr-defined]


def tally(client: TestClient, code: str) -> dict[tuple[str, int], Counter[int]]:
    live = live_of(client)
    session = live.store().find(code)
    assert session is not None
    return live.store().tally(session.id)


def answer(client: TestClient, code: str, **fields: str) -> int:
    """Post an answer as a form would; return the status."""
    return client.post(f"/s/{code}/antwoord", data=fields, follow_redirects=False).status_code


class EventReader:
    """Read a Server-Sent Events stream in a thread; `next` waits for the next event of a kind."""

    def __init__(self, url: str):
        self.url = url
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.headers: httpx.Headers | None = None
        self.status = 0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventReader:
        self._thread.start()
        if not self._ready.wait(10):
            raise AssertionError(f"no answer from {self.url}")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        with httpx.Client(timeout=httpx.Timeout(5, read=1)) as client, client.stream("GET", self.url) as response:
            self.status, self.headers = response.status_code, response.headers
            self._ready.set()
            kind, data = "message", ""
            lines = response.iter_lines()
            while not self._stop.is_set():
                try:
                    line = next(lines)
                except httpx.ReadTimeout:
                    continue
                except (StopIteration, httpx.HTTPError):
                    return
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
                elif not line and data:
                    self.events.put((kind, json.loads(data)))
                    kind, data = "message", ""

    def next(self, kind: str, timeout: float = 10) -> dict:
        """The next event of `kind` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got, data = self.events.get(timeout=left)
            except queue.Empty:
                break
            if got == kind:
                return data
        raise AssertionError(f"no {kind!r} event from {self.url} within {timeout} s")
