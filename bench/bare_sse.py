"""A bare Starlette Server-Sent Events broadcaster: the ceiling for the guide's live sessions.

The same routes the load generator uses on the guide (join with a cookie, the attendees' and
the facilitator's streams, move, answer), with sse-starlette as the guide uses it, but no
database, no templates, no checks: a move goes from the POST straight into every stream's
queue in memory. One process only (its state is in memory).

    uvicorn bench.bare_sse:app --no-access-log
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route


class Room:
    def __init__(self) -> None:
        self.stop: str | None = None
        self.version = 0
        self.answers = 0
        self.queues: set[asyncio.Queue[dict[str, Any]]] = set()


ROOMS: dict[str, Room] = {}


async def create(_: Request) -> Response:
    code = secrets.token_hex(4).upper()
    ROOMS[code] = Room()
    response = RedirectResponse(f"/sessies/{code}/presenteren/", status_code=303)
    response.set_cookie("zevenstops_gespreksleider", secrets.token_urlsafe(16))
    return response


async def join(request: Request) -> Response:
    if request.path_params["code"] not in ROOMS:
        return PlainTextResponse("onbekend", status_code=404)
    response = PlainTextResponse("welkom")
    response.set_cookie("zevenstops_deelnemer", secrets.token_urlsafe(16))
    return response


async def events(request: Request) -> Response:
    room = ROOMS.get(request.path_params["code"])
    if room is None:
        return PlainTextResponse("onbekend", status_code=404)

    async def stream() -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=8)
        room.queues.add(queue)
        try:
            yield {"event": "halte", "data": json.dumps({"halte": room.stop, "versie": room.version})}
            while True:
                yield await queue.get()
        finally:
            room.queues.discard(queue)

    return EventSourceResponse(stream())


async def move(request: Request) -> Response:
    room = ROOMS[request.path_params["code"]]
    room.stop = parse_qs((await request.body()).decode()).get("halte", [""])[0]
    room.version += 1
    event = {"event": "halte", "data": json.dumps({"halte": room.stop, "versie": room.version})}
    for queue in list(room.queues):
        if queue.full():
            queue.get_nowait()
        queue.put_nowait(event)
    return JSONResponse({"halte": room.stop})


async def answer(request: Request) -> Response:
    await request.body()
    ROOMS[request.path_params["code"]].answers += 1
    return JSONResponse({"ok": True})


async def counted(request: Request) -> Response:
    return JSONResponse({"antwoorden": ROOMS[request.path_params["code"]].answers})


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/sessies", create, methods=["POST"]),
        Route("/sessies/{code}/halte", move, methods=["POST"]),
        Route("/sessies/{code}/events", events),
        Route("/s/{code}", join),
        Route("/s/{code}/events", events),
        Route("/s/{code}/antwoord", answer, methods=["POST"]),
        Route("/s/{code}/telling", counted),
    ]
)
