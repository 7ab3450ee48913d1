"""The editor's preview when the content is broken from the start (`metro serve --reload` only).

There is no last good guide to show, so every address answers one Dutch page with the
`metro check` problems (503, nothing else is served). The folders are watched; once the content
builds, the real application takes over in the same process and the open page reloads itself.
Production (`metro serve` without --reload) never gets here: it refuses to start.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from html import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.content import ContentError
from app.watch import PREFIX, SCRIPT

log = logging.getLogger("zevenstops")

CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'"


class BrokenPreview:
    """An ASGI app that shows the problems until `build()` succeeds, then hands over to its result."""

    def __init__(self, settings: Settings, error: ContentError, build: Callable[[], ASGIApp]):
        self.settings = settings
        self.build = build
        self.problems = [str(p) for p in error.problems]
        self.attempt = 1  # the pages' version: a new failed attempt reloads them with its problems
        self.app: ASGIApp | None = None
        self.changed = asyncio.Event()
        self._lifespan: tuple[asyncio.Queue[Message], asyncio.Queue[Message]] | None = None
        self._task: asyncio.Future[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._own_lifespan(receive, send)
        elif self.app is not None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await self._answer(scope, send)

    # -- while broken ---------------------------------------------------------------------------

    async def _answer(self, scope: Scope, send: Send) -> None:
        root = scope.get("root_path", "").rstrip("/")
        path = scope["path"].removeprefix(root)
        if path == f"/{PREFIX}reload.js":
            await _send(send, 200, SCRIPT, "text/javascript; charset=utf-8")
        elif path == f"/{PREFIX}events":
            await self._events(send)
        else:
            await _send(send, 503, self.page(root).encode(), "text/html; charset=utf-8")

    def page(self, root: str) -> str:
        items = "".join(f"<li><code>{escape(p)}</code></li>\n" for p in self.problems)
        count = f"{len(self.problems)} fout" + ("" if len(self.problems) == 1 else "en")
        return (
            '<!doctype html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>De inhoud heeft {count} — Zeven stops</title>\n"
            f'<script src="{escape(root)}/{PREFIX}reload.js?v=kapot-{self.attempt}" defer></script>\n'
            "</head>\n<body>\n<main>\n"
            f"<h1>De inhoud heeft {count}</h1>\n"
            "<p>De gids kan deze teksten nog niet tonen. Herstel de fouten hieronder en sla het bestand op: "
            "deze pagina ververst zich dan vanzelf. (Dezelfde lijst geeft <code>make check</code>.)</p>\n"
            f'<ul class="problems">\n{items}</ul>\n</main>\n</body>\n</html>\n'
        )

    async def _events(self, send: Send) -> None:
        """The reload script's stream: the state now, then once more when it changes, then closed."""
        headers = [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-store")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        changed = self.changed
        for _ in range(2):
            state = {"version": f"kapot-{self.attempt}", "problems": []}  # the page lists them itself
            data = f"event: state\ndata: {json.dumps(state, ensure_ascii=False)}\n\n".encode()
            await send({"type": "http.response.body", "body": data, "more_body": True})
            await changed.wait()
            if self.app is not None:
                break  # closed: the script reconnects to the real application and reloads
        await send({"type": "http.response.body", "body": b""})

    async def watch(self) -> None:
        from watchfiles import awatch

        paths = [self.settings.content_dir, self.settings.templates_dir, self.settings.static_dir]
        async for _changes in awatch(*paths, debounce=60, step=20):
            try:
                app = await asyncio.to_thread(self.build)
            except ContentError as err:
                self.problems = [str(p) for p in err.problems]
                self.attempt += 1
                log.error("De inhoud heeft nog fouten:\n%s", err)
            else:
                await self._start(app)
                log.info("De inhoud is in orde: de gids wordt getoond")
            self.changed.set()
            self.changed = asyncio.Event()
            if self.app is not None:
                return

    # -- lifespan: our own, and the real application's once it takes over -----------------------

    async def _own_lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        task = asyncio.create_task(self.watch())
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        task.cancel()
        if self._lifespan:
            to_app, from_app = self._lifespan
            await to_app.put({"type": "lifespan.shutdown"})
            await from_app.get()
        await send({"type": "lifespan.shutdown.complete"})

    async def _start(self, app: ASGIApp) -> None:
        to_app: asyncio.Queue[Message] = asyncio.Queue()
        from_app: asyncio.Queue[Message] = asyncio.Queue()
        scope: Scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self._task = asyncio.ensure_future(app(scope, to_app.get, from_app.put))  # lives as long as the server
        await to_app.put({"type": "lifespan.startup"})
        message = await from_app.get()
        if message["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"the guide did not start: {message}")
        self._lifespan = (to_app, from_app)
        self.app = app


async def _send(send: Send, status: int, body: bytes, media_type: str) -> None:
    headers = [
        (b"content-type", media_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
