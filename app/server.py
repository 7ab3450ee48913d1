"""How `metro serve` runs uvicorn: httptools and uvloop, with a bound on the request head.

uvicorn's httptools protocol reads request headers of any size; a client sending a megabyte
of them would be answered like any other. Here the head (request line and headers) may take
64 KiB, as in common proxies; more gets `431 Request Header Fields Too Large` and the
connection is closed. Behind a reverse proxy, its own limits apply as well.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 64 * 1024
_REFUSAL = b"Verzoek geweigerd: de headers zijn te groot.\n"


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that refuses request heads over MAX_HEAD_BYTES."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._reading_head = True

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self.transport.write(
                    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                    b"content-type: text/plain; charset=utf-8\r\n"
                    b"connection: close\r\n"
                    b"content-length: " + str(len(_REFUSAL)).encode() + b"\r\n\r\n" + _REFUSAL
                )
                self.transport.close()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head, self._head_bytes = True, 0  # the next request on this connection
