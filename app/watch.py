"""Rebuilding a running guide: on save for editors (`metro serve --reload`), on SIGHUP in production.

After a successful rebuild every open page reloads itself; after a broken edit it shows the
`metro check` problems over the page, and the last good guide stays online. Production pages
carry no trace of this: the script is put into the pages, and its routes exist, only there.
In production a SIGHUP (`metro reload`, systemd's `systemctl reload`) rebuilds the same way:
the new build is served only when it is good; else the problems go to the log and /healthz.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import Response
from sse_starlette.sse import EventSourceResponse

from app import metrics
from app.build import Site, build_site
from app.config import Settings
from app.content import ContentError

if TYPE_CHECKING:
    from app.http import PageServer, Served

log = logging.getLogger("zevenstops")

SCRIPT = (Path(__file__).parent / "livereload.js").read_bytes()
PREFIX = "__reload/"


class Reloader:
    """Watches the content, templates and static files; keeps the last good build serving."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.version = ""  # the build being served
        self.problems: list[str] = []  # of the last edit, if it broke the content
        self.changed = asyncio.Event()
        self.last_rebuild_seconds = 0.0

    def serving(self, version: str) -> bytes:
        """Note that build `version` is served; return its pages' script path (from the root)."""
        self.version = version
        return f"{PREFIX}reload.js?v={version}".encode()

    async def run(self, server: PageServer, serve: Callable[[Site], Served]) -> None:
        """Rebuild whenever a watched file changes; swap the build in only when it is good."""
        from watchfiles import awatch

        paths = [self.settings.content_dir, self.settings.templates_dir, self.settings.static_dir]
        async for _changes in awatch(*paths, debounce=60, step=20):
            await self.rebuild(server, serve)

    async def rebuild(self, server: PageServer, serve: Callable[[Site], Served]) -> None:
        """Build the guide again; swap it in only when it is good, else keep the last good one."""
        started = time.perf_counter()
        try:
            site = await asyncio.to_thread(build_site, self.settings)
        except ContentError as err:
            metrics.REBUILDS.labels("failed").inc()
            self.problems = [str(p) for p in err.problems]
            log.error("Content has errors; still serving the last good version:\n%s", err)
        except Exception as err:  # a template error must not take the running guide down
            metrics.REBUILDS.labels("failed").inc()
            self.problems = [f"De gids kon niet opnieuw worden opgebouwd: {err}"]
            log.exception("Could not rebuild; still serving the last good version")
        else:
            metrics.REBUILDS.labels("ok").inc()
            server.served = serve(site)
            self.problems = []
            self.last_rebuild_seconds = time.perf_counter() - started
            log.info("Rebuilt in %.2f s (content version %s)", self.last_rebuild_seconds, site.guide.version)
        self.changed.set()
        self.changed = asyncio.Event()

    def on_hangup(self, server: PageServer, serve: Callable[[Site], Served]) -> Callable[[], None]:
        """Rebuild on SIGHUP (`metro reload`, systemd's ExecReload); returns what undoes it.

        Only where the process can take signals in its event loop: not on Windows, and not
        when the app runs in a thread (the test client), where a SIGHUP stays the default.
        """
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task[None]] = set()

        def hangup() -> None:
            log.info("SIGHUP: rebuilding the guide")
            task = loop.create_task(self.rebuild(server, serve))
            pending.add(task)
            task.add_done_callback(pending.discard)

        try:
            loop.add_signal_handler(signal.SIGHUP, hangup)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            return lambda: None

        def undo() -> None:
            loop.remove_signal_handler(signal.SIGHUP)

        return undo

    def state(self) -> str:
        return json.dumps({"version": self.version, "problems": self.problems}, ensure_ascii=False)

    def router(self) -> APIRouter:
        """The script and its event stream, at `__reload/` (not in the API docs)."""
        router = APIRouter(include_in_schema=False)

        @router.get(f"/{PREFIX}reload.js")
        async def script() -> Response:
            """The script each page loads under `--reload`: it reloads the page when a rebuild is served."""
            return Response(SCRIPT, media_type="text/javascript; charset=utf-8", headers={"cache-control": "no-store"})

        @router.get(f"/{PREFIX}events")
        async def events() -> EventSourceResponse:
            """Server-Sent Events to the open pages: the version served, or the problems of the last edit."""

            async def stream() -> AsyncIterator[dict[str, str]]:
                while True:
                    yield {"event": "state", "data": self.state()}
                    await self.changed.wait()

            return EventSourceResponse(stream(), ping=15)

        return router
