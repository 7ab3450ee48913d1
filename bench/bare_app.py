"""A bare ASGI app that answers every request with the guide's `/`: the same bytes, the same headers.

It is the yardstick for the guide's own server: no routing, no header inspection, nothing
but two `send` calls. The response comes from the guide's own build and HTTP layer
(`app.build.build_site`, `app.http.Served`), so it is byte for byte what the guide sends for
`/` to a client that accepts gzip; the benchmark always sends `Accept-Encoding: gzip` and
checks that both answers are identical before measuring.

    uvicorn bench.bare_app:app --loop uvloop --http httptools --no-access-log
"""

from __future__ import annotations

from typing import Any

from app.build import build_site
from app.config import Settings
from app.http import Served

_settings = Settings.from_env()
_page = Served(build_site(_settings), " ".join(_settings.frame_ancestors)).resources["/"]
_body = _page.gzipped if _page.gzipped is not None else _page.body
HEADERS = [
    *_page.headers,
    *([(b"content-encoding", b"gzip")] if _page.gzipped is not None else []),
    (b"content-length", str(len(_body)).encode()),
]
BODY = _body


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
