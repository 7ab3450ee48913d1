"""Small steps the session tests repeat."""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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


ATTENDEE_COOKIE = "zevenstops_deelnemer"


def has_token(client: Any, code: str) -> bool:
    """Whether `client` holds an attendee's token for session `code` (the cookie of its pages)."""
    return any(c.name == ATTENDEE_COOKIE and c.path.endswith(f"/s/{code}") for c in client.cookies.jar)


def answer(client: TestClient, code: str, **fields: str) -> int:
    """Post an answer as a person on the session's page would (opening it first); return the status."""
    if not has_token(client, code):
        join(client, code)
    return client.post(f"/s/{code}/antwoord", data=fields, follow_redirects=False).status_code


class EventReader:
    """Read a Server-Sent Events stream in a thread; `next` waits for the next event of a kind."""

    def __init__(self, url: str, cookies: Any = None):
        self.url = url
        self.cookies = cookies
        self.events: queue.Queue[tuple[str, dict]] = queue.Queue()
        self.headers: httpx.Headers | None = None
        self.status = 0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._response: httpx.Response | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventReader:
        self._thread.start()
        if not self._ready.wait(60):
            raise AssertionError(f"no answer from {self.url}")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._response is not None:
            with contextlib.suppress(Exception):  # ends the read the thread is waiting in
                self._response.close()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        # No read timeout: a timeout would end `iter_lines` (a generator that raised is done), and
        # with it the stream, after the first quiet second. The stream stays open until __exit__.
        with (
            httpx.Client(timeout=httpx.Timeout(5, read=None), cookies=self.cookies) as client,
            client.stream("GET", self.url) as response,
        ):
            self._response = response
            self.status, self.headers = response.status_code, response.headers
            self._ready.set()
            kind, data = "message", ""
            lines = response.iter_lines()
            while not self._stop.is_set():
                try:
                    line = next(lines)
                except (StopIteration, httpx.HTTPError, httpx.StreamError, OSError, RuntimeError):
                    return
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:"):
                    data = line[5:].strip()
                elif not line and data:
                    self.events.put((kind, json.loads(data)))
                    kind, data = "message", ""

    def next(self, kind: str, timeout: float = 60) -> dict:
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


# -- acting as the facilitator and as an attendee ---------------------------------------------------
# Every test that starts, moves, deletes or follows a session goes through these, so that how the
# facilitator proves who they are (a cookie scoped to the session's facilitator paths) lives in one
# place. `client` is an httpx.Client or a TestClient: both keep cookies, so one client is one person.

JSON_ACCEPT = {"accept": "application/json"}
FACILITATOR_COOKIE = "zevenstops_gespreksleider"


@dataclass(frozen=True)
class Deck:
    """A started session as its facilitator holds it."""

    code: str
    secret: str  # the value of the facilitator's cookie (for tests that look for it where it must not be)
    location: str  # where starting redirected to (the deck's start screen)

    @property
    def deck(self) -> str:
        return self.location


def start(client: Any, **form: str) -> Deck:
    """Press "Live sessie starten" (with the start form's `form` fields); return the session as the facilitator has it."""
    response = client.post("/sessies", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    code = urlsplit(location).path.split("/sessies/", 1)[1].split("/", 1)[0]
    secret = next(cookie.value for cookie in client.cookies.jar if cookie.name == FACILITATOR_COOKIE)
    return Deck(code, secret, location)


def deck_path(deck: Deck, slug: str = "") -> str:
    """The facilitator's slide from the root (what the facilitator's browser opens)."""
    return f"/sessies/{deck.code}/presenteren/{slug}"


def move(client: Any, deck: Deck, slug: str | None, *, json: bool = True) -> Any:
    """Show `slug` (None: the start screen) to the room, as the deck does on a slide change."""
    headers = JSON_ACCEPT if json else {}
    return client.post(
        f"/sessies/{deck.code}/halte", data={"halte": slug or ""}, headers=headers, follow_redirects=False
    )


def delete(client: Any, deck: Deck) -> Any:
    """Delete the session now, as "Sessie verwijderen" does."""
    return client.post(f"/sessies/{deck.code}/verwijderen", follow_redirects=False)


def facilitator_events(base_url: str, deck: Deck, client: Any = None) -> EventReader:
    """The facilitator's event stream (stop and live tally) on the server at `base_url`.

    The stream authenticates by the facilitator's cookie: `client` is the facilitator's (its
    cookies go along), or, without one, the cookie is made from `deck`.
    """
    cookies = {FACILITATOR_COOKIE: deck.secret} if client is None else client.cookies
    return EventReader(f"{base_url}/sessies/{deck.code}/events", cookies=cookies)


def attendee_events(base_url: str, code: str, client: Any = None) -> EventReader:
    """An attendee's event stream (where the room is) on the server at `base_url`."""
    return EventReader(f"{base_url}/s/{code}/events", cookies=client.cookies if client is not None else None)


def join(client: Any, code: str) -> Any:
    """Open the attendee's page, as scanning the QR code does; return the response."""
    return client.get(f"/s/{code}")
