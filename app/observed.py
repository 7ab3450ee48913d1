"""Requests as the operator sees them: one ASGI wrapper that tells each observer what was answered.

The access log (app/logs.py) and the request metrics (app/metrics.py) both want a request's route
kind, status and time to its last byte; `Observed` measures that once and hands it to each. The
route kinds are one vocabulary for the log's `kind=` field and the metrics' `kind` label.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Observer = Callable[[Scope, str, int, float], None]  # scope, route kind, status, seconds

KINDS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(pattern))
    for kind, pattern in [
        ("static", r"^/static/"),
        ("pdf", r"\.pdf$"),
        ("health", r"^/healthz$"),
        ("metrics", r"^/metrics$"),
        ("stream", r"^/(?:s|sessies)/[^/]+/events$"),
        ("attendee", r"^/s(?:/|$)"),
        ("facilitator", r"^/sessies(?:/|$)"),
        ("api", r"^/(?:api/|openapi\.json$|oembed)"),
        ("docs", r"^/docs(?:/|$)"),
        ("qr", r"^/qr/"),
    ]
]


def route_kind(path: str) -> str:
    """The kind of route a path (without the root path) belongs to; "page" for the rest."""
    for kind, pattern in KINDS:
        if pattern.search(path):
            return kind
    return "page"


def inner_path(scope: Scope) -> str:
    """The request's path below the root path the guide is served under."""
    root = scope.get("root_path", "").rstrip("/")
    path: str = scope.get("path", "")
    return path[len(root) :] or "/" if root and path.startswith(root) else path


class Observed:
    """Pure ASGI: run the app, then tell every observer the request's kind, status and duration.

    A request that raises counts as 500 unless its answer had started. Attributes are read through
    to the wrapped app (`.app` is the FastAPI application, `.served` the build).
    """

    def __init__(self, inner: ASGIApp, observers: Sequence[Observer]):
        self.inner = inner
        self.observers = tuple(observers)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["inner"], name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.observers:
            await self.inner(scope, receive, send)
            return
        began = time.perf_counter()
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.inner(scope, receive, sending)
        except BaseException:
            status = status or 500
            raise
        finally:
            kind, seconds = route_kind(inner_path(scope)), time.perf_counter() - began
            for observer in self.observers:
                observer(scope, kind, status or 500, seconds)
