"""A share of the connections for event streams, and a cap per address within it.

Every attendee's phone and every facilitator holds one event stream open for the whole
session. Without a share of their own, streams from one client (or two full sessions) would
take every connection uvicorn allows, and pages, `/healthz` and answers would get 503.
Counted per process, across every stream route (attendees' and facilitators').
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from app import metrics

if TYPE_CHECKING:
    from fastapi import FastAPI


class StreamSlots:
    def __init__(self, total: int, per_address: int):
        self.total = total
        self.per_address = per_address
        self._open: Counter[str] = Counter()
        self._count = 0
        self._lock = threading.Lock()

    @property
    def open(self) -> int:
        return self._count

    def take(self, address: str) -> str:
        """Take a slot for `address`; "" when taken, else why not ("vol" or "adres")."""
        with self._lock:
            if self._count >= self.total:
                return "vol"
            if self._open[address] >= self.per_address:
                return "adres"
            self._open[address] += 1
            self._count += 1
        metrics.STREAMS.inc()
        return ""

    def give_back(self, address: str) -> None:
        with self._lock:
            self._open[address] -= 1
            self._count -= 1
            if self._open[address] <= 0:
                del self._open[address]
        metrics.STREAMS.dec()


RETRY_AFTER = 30  # seconds; the attendee's script waits about this long before it tries again


def refusal_message(why: str) -> str:
    if why == "adres":
        return (
            "Er volgen al te veel apparaten vanaf dit netwerkadres deze sessie. "
            "Kijk mee op het scherm van de gespreksleider, of probeer het over een halve minuut opnieuw."
        )
    return (
        "De gids is op dit moment te druk om u live te laten meekijken. "
        "Kijk mee op het scherm van de gespreksleider, of probeer het over een halve minuut opnieuw."
    )


def counted(slots: StreamSlots, address: str, make: Callable[[], Response]) -> Response:
    """The stream from `make` within the share, or a Dutch 503 with Retry-After when it is used up."""
    why = slots.take(address)
    if why:
        return JSONResponse(
            {"detail": refusal_message(why)},
            status_code=503,
            headers={"retry-after": str(RETRY_AFTER), "cache-control": "no-store"},
        )
    try:
        response = make()
    except BaseException:
        slots.give_back(address)
        raise
    return _Counted(response, slots, address)


class _Counted(Response):
    """A response that gives its slot back when it ends, however it ends."""

    def __init__(self, response: Response, slots: StreamSlots, address: str):  # it wraps one: no super().__init__
        self.response = response
        self.slots, self.address = slots, address  # no closure: one stays alive per open stream
        self.status_code = response.status_code
        self.raw_headers = response.raw_headers
        self.background = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await self.response(scope, receive, send)
        finally:
            self.slots.give_back(self.address)


class StreamDoor:
    """Pure ASGI: an event stream's GET goes straight to its route; everything else on to `api`.

    FastAPI's middleware and router each keep a frame alive for as long as a response runs: for
    an endless stream 5 KiB of every attendee's memory (tracemalloc, tests/sessions/test_stream_memory.py),
    a tenth of the 50 KiB bench/national.py allows. A stream needs none of it: its route
    (app/sessions/routing.py `stream_route`) is a plain Starlette route that takes only the session's
    code, and here it meets the app's exception handlers as it would inside (a Dutch 404, 503).
    Other methods go on to FastAPI, which answers them 405. The app's attributes read through.
    """

    def __init__(self, api: FastAPI):
        from app.routes import endpoints
        from app.sessions.routing import STREAM  # that module imports the session layer

        self.api = api
        self.streams = [r for r in endpoints(api.routes) if isinstance(r, Route) and r.name.startswith(STREAM)]
        handlers = dict(api.exception_handlers)
        by_class = {key: handler for key, handler in handlers.items() if not isinstance(key, int)}
        self.handlers = (by_class, {key: handler for key, handler in handlers.items() if isinstance(key, int)})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["api"], name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            for route in self.streams:
                match, child = route.matches(scope)
                if match is Match.FULL:
                    scope.update(child)  # the path's parameters, as Starlette's router does
                    scope["starlette.exception_handlers"] = self.handlers
                    await route.handle(scope, receive, send)
                    return
        await self.api(scope, receive, send)
