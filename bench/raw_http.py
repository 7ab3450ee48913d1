"""Minimal HTTP/1.1 on raw asyncio streams: what one load generator needs to hold thousands of streams.

Not an HTTP client: just enough (a request's bytes, a head, a chunked body) for the national
benchmark's phones, each of which would otherwise need a client object of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator


async def read_head(reader: asyncio.StreamReader) -> tuple[int, list[tuple[str, str]]]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed before the answer")
    status = int(status_line.split()[1])
    headers = []
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    return status, headers


def request_bytes(host: str, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", *(f"{k}: {v}" for k, v in headers.items())]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def http(
    address: tuple[str, int], method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> tuple[int, list[tuple[str, str]]]:
    """One request on a connection of its own (closed after): the status and headers; the body is drained."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(
            request_bytes(f"{address[0]}:{address[1]}", method, path, {**headers, "Connection": "close"}, body)
        )
        status, answer_headers = await read_head(reader)
        while await reader.read(65536):
            pass
        return status, answer_headers
    finally:
        writer.close()


async def chunks(reader: asyncio.StreamReader, chunked: bool) -> AsyncIterator[bytes]:
    """The body of a streamed answer, chunk by chunk."""
    while True:
        if not chunked:
            data = await reader.read(65536)
            if not data:
                return
            yield data
            continue
        size_line = await reader.readline()
        if not size_line:
            return
        size = int(size_line.split(b";")[0].strip() or b"0", 16)
        if size == 0:
            return
        yield (await reader.readexactly(size + 2))[:-2]


def cookie_of(headers: list[tuple[str, str]]) -> str:
    return "; ".join(value.split(";", 1)[0] for name, value in headers if name == "set-cookie")
