"""How `metro serve` runs uvicorn: bounded request heads, a head timeout, a connection limit.

uvicorn reads a request head of any size for as long as the client takes. Here, on both of
uvicorn's HTTP implementations (httptools where installed, h11 everywhere, e.g. Windows):
- the head (request line and headers) may be 64 KiB, as in common proxies; more gets `431`;
- its request line (the URL) may be 8 KiB; more gets `414`;
- it must arrive within HEAD_TIMEOUT seconds of the connection's first byte (or of the
  connection itself); a client that trickles it in gets `408` and is disconnected;
- its body must arrive within BODY_TIMEOUT seconds of the head; a trickled body gets `408` too;
- at most `max_connections` connections and requests at once (uvicorn's limit_concurrency):
  beyond it new requests get `503`, so slow clients cannot use up the file descriptors. Event
  streams have a smaller share of their own (app/sessions/streams.py), so pages, `/healthz` and
  answers are still served beside a full share; the limit is raised to fit that share plus
  room for the rest where the open-file limit allows.
uvloop is used where installed, asyncio's own loop elsewhere.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.http import MAX_URL_BYTES  # the request line; a longer one gets 414

MAX_HEAD_BYTES = 64 * 1024
HEAD_TIMEOUT = 20.0
BODY_TIMEOUT = 20.0  # a form is a few hundred bytes: the whole body arrives within this of the head
MAX_CONNECTIONS = 900  # below the common limit of 1,024 open files, with room for the rest
OTHER_CONNECTIONS = 500  # beside the event streams: pages, answers, /healthz
SPARE_FILES = 100  # open files kept for the database, templates, logs


def _refusal(status: bytes, text: str) -> bytes:
    body = text.encode()
    return (
        b"HTTP/1.1 " + status + b"\r\n"
        b"content-type: text/plain; charset=utf-8\r\n"
        b"x-content-type-options: nosniff\r\n"
        b"content-security-policy: default-src 'none'; frame-ancestors 'none'\r\n"
        b"referrer-policy: strict-origin-when-cross-origin\r\n"
        b"connection: close\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )


TOO_LARGE = _refusal(b"431 Request Header Fields Too Large", "Verzoek geweigerd: de headers zijn te groot.\n")
TOO_SLOW = _refusal(b"408 Request Timeout", "Verzoek geweigerd: de headers kwamen te langzaam binnen.\n")
BODY_TOO_SLOW = _refusal(
    b"408 Request Timeout", "Verzoek geweigerd: de inhoud van het verzoek kwam te langzaam binnen.\n"
)
URI_TOO_LONG = _refusal(b"414 URI Too Long", "Verzoek geweigerd: het adres is te lang.\n")
BAD_REQUEST = _refusal(b"400 Bad Request", "Verzoek geweigerd: dit is geen geldig HTTP-verzoek.\n")


class BoundedHead:
    """Mixin for a uvicorn HTTP protocol: bound the request head in size and in time."""

    transport: asyncio.Transport
    cycle: Any
    head_timeout: float | None = None  # None: HEAD_TIMEOUT, BODY_TIMEOUT (read when used)
    body_timeout: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._reading_head = True
        self._tail = b""
        self._line_bytes: int | None = None  # length of the request line, once it is complete
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = asyncio.get_running_loop().call_later(self.head_timeout or HEAD_TIMEOUT, self._too_slow)

    def _disarm(self) -> None:
        for timer in (self._head_timer, self._body_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = None

    def _body_too_slow(self) -> None:
        """Refuse when the body of the request is still coming in and nothing has been answered yet."""
        self._body_timer = None
        cycle = getattr(self, "cycle", None)
        if cycle is not None and cycle.more_body and not cycle.response_started and not cycle.response_complete:
            self._refuse(BODY_TOO_SLOW)

    def _refuse(self, answer: bytes) -> None:
        self._disarm()
        if not self.transport.is_closing():
            self.transport.write(answer)
            self.transport.close()

    def _too_slow(self) -> None:
        self._head_timer = None
        if self._reading_head:
            self._refuse(TOO_SLOW)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._arm()
            before = self._head_bytes
            self._head_bytes += len(data)
            seen = self._tail + data
            end = seen.find(b"\r\n\r\n")
            if self._line_bytes is None:
                line_end = seen.find(b"\r\n")
                self._line_bytes = None if line_end < 0 else before - len(self._tail) + line_end
                if (self._line_bytes or self._head_bytes) > MAX_URL_BYTES:
                    self._refuse(URI_TOO_LONG)
                    return
            head = self._head_bytes if end < 0 else before - len(self._tail) + end + 4
            if head > MAX_HEAD_BYTES:
                self._refuse(TOO_LARGE)
                return
            if end >= 0:
                self._reading_head = False
                self._disarm()
                self._body_timer = asyncio.get_running_loop().call_later(
                    self.body_timeout or BODY_TIMEOUT, self._body_too_slow
                )
            self._tail = data[-3:]
        super().data_received(data)  # type: ignore[misc]

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._disarm()
        # The next request on this connection.
        self._reading_head, self._head_bytes, self._tail, self._line_bytes = True, 0, b"", None

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a malformed request, in Dutch and with the security headers."""
        self._refuse(BAD_REQUEST)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class BoundedH11Protocol(BoundedHead, H11Protocol):
    """h11 (pure Python, on every platform) with the bounds."""


def http_protocol() -> type:
    """httptools with the bounds where installed (fast), else h11 with the bounds."""
    if importlib.util.find_spec("httptools") is None:
        return BoundedH11Protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    return type("BoundedHttpToolsProtocol", (BoundedHead, HttpToolsProtocol), {})


def raise_file_limit() -> int:
    """Raise the soft limit on open files to the hard limit (as servers commonly do); return it."""
    try:
        import resource  # not on Windows, where there is no such limit to raise
    except ImportError:
        return 0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        wanted = 65536 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass
    return soft


def connection_limit(max_streams: int, files: int) -> int:
    """Connections at once: the stream share plus room for the rest, within the open-file limit."""
    wanted = max(MAX_CONNECTIONS, max_streams + OTHER_CONNECTIONS)
    return min(wanted, files - SPARE_FILES) if files > 0 else wanted


def run(
    app: Any, *, host: str, port: int, root_path: str = "", max_connections: int | None = None, max_streams: int = 0
) -> None:
    """Serve `app` with uvicorn and the bounds above."""
    files = raise_file_limit()
    if max_connections is None:
        max_connections = connection_limit(max_streams, files)
    if max_streams and max_streams > max_connections - OTHER_CONNECTIONS // 5:
        logging.getLogger("zevenstops").warning(
            "Open-file limit %s leaves %s connections: below the stream share %s plus room for pages",
            files,
            max_connections,
            max_streams,
        )
    uvicorn.run(
        app,
        host=host,
        port=port,
        root_path=root_path,
        log_level="info",
        log_config=None,  # app/logs.py configured the log: one line per request, no client addresses
        access_log=False,
        server_header=False,
        loop="auto",
        http=http_protocol(),
        limit_concurrency=max_connections,
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=MAX_HEAD_BYTES,
    )
