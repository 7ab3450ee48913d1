"""What the session routes share: settings, the store (opened on first use), streams, rendering."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, Protocol

from fastapi import Request
from sqlalchemy.exc import DBAPIError

from app.build import Entry
from app.config import Settings
from app.content import Guide
from app.pdf import PdfPrinter, PdfService
from app.scan import chart
from app.scan.scale import WORDS
from app.scan.score_map import station_scores
from app.sessions import cleanup, db, groups, results
from app.sessions.events import Broker
from app.sessions.health import DB_ERRORS, DatabaseDown, Health
from app.sessions.limits import Buckets, CodeGuard, Seats
from app.sessions.membership import Membership
from app.sessions.notify import Listener
from app.sessions.store import Store
from app.sessions.streams import StreamSlots
from app.sessions.traject import Trajects
from app.sessions.urls import SessionUrls
from app.sessions.written import Written
from app.urls import Urls

log = logging.getLogger("zevenstops.sessions")
# Threads for what attendees write (answers, written answers, groups). A full room answering at
# once then waits in its own queue, and the facilitator's move, the streams' reads and every page
# keep the rest of the pool: measured in bench/national.py, a burst of 5,000 answers held moves
# back by seconds while all shared one queue.
CROWD_THREADS = 2


class Render(Protocol):
    """Render a template with the site's globals, for the page at `page_path` (from the root)."""

    def __call__(
        self, template: str, page_path: str = "", *, adapt: Callable[[Urls], Urls] | None = None, **context: Any
    ) -> str: ...


Fetch = Callable[[str, str], Entry | None]  # (path, base URL) -> a page or asset, for the PDF printer


class Live:
    def __init__(
        self,
        settings: Settings,
        get_guide: Callable[[], Guide],
        render: Render,
        base_url: Callable[[Request], str],
        fetch: Fetch | None = None,
        pdfs: PdfService | None = None,
    ):
        self.settings = settings
        self.get_guide = get_guide
        self._render = render
        self.base_url = base_url
        self.fetch = fetch
        self.pdfs = pdfs or PdfService(PdfPrinter())  # shared with the guide's PDFs: one bounded queue
        self._own_printer = pdfs is None
        self.url = settings.engine_url
        per_hour = settings.sessions_per_hour  # a burst of a third of the hour's starts, at least 20
        self.starts = Buckets(min(per_hour, max(20, per_hour // 3)), per_hour)
        self.seats = Seats(settings.attendees_per_address)
        self.guard = CodeGuard(settings.code_misses_per_minute)
        self.streams = StreamSlots(settings.max_streams, settings.streams_per_address)
        self.health = Health()
        self.broker = Broker(lambda sid: self.store().state(sid), self.tally_event, health=self.health)
        # PostgreSQL tells every worker of each change (app/sessions/notify.py); SQLite is polled.
        self.listener = Listener(self.url, self.broker) if self.url.startswith("postgresql") else None
        self._store: Store | None = None
        self._lock = threading.Lock()
        self.swept = threading.Event()  # set when a round of clean-up is over (the first: at start)
        self._crowd = ThreadPoolExecutor(CROWD_THREADS, thread_name_prefix="zevenstops-crowd")

    # -- the database ---------------------------------------------------------------------------

    def store(self) -> Store:
        """The store, opened and migrated on first use (a SQLite file appears only when needed)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    engine = db.make_engine(self.url)
                    db.migrate(engine, self.settings.auto_upgrade)
                    self._store = Store(
                        engine,
                        answers_per_minute=self.settings.answers_per_minute,
                        attendees_per_session=self.settings.attendees_per_session,
                    )
        return self._store

    def written(self) -> Written:
        """The written answers and their prompts, in the store's database."""
        return Written(self.store(), per_stop=self.settings.written_per_stop)

    def trajects(self) -> Trajects:
        """Repeat measurements: sessions linked by a traject key."""
        return Trajects(self.store())

    def membership(self) -> Membership:
        """Who says they belong to which partner and role."""
        return Membership(self.store())

    def existing_store(self) -> Store | None:
        """The store if there is a database already; for clean-up, which must not create one."""
        return self.store() if self._store is not None or db.exists(self.url) else None

    async def call(self, function: Callable[..., Any], *args: Any, crowd: bool = False) -> Any:
        """Run a blocking store call in a thread, off the event loop; DatabaseDown when it cannot reach it.

        `crowd`: an attendee's write, queued in the crowd's own threads (CROWD_THREADS).
        """
        executor = self._crowd if crowd else None  # None: the event loop's default pool
        work = functools.partial(contextvars.copy_context().run, function, *args)
        try:
            result = await asyncio.get_running_loop().run_in_executor(executor, work)
        except DB_ERRORS as err:
            self.health.failed(err)
            raise DatabaseDown(str(err)) from err
        self.health.ok()
        return result

    async def database_problem(self, timeout: float = 3.0) -> str:
        """Why the database cannot be used now (Dutch, for /healthz), or "" (also when there is none yet)."""
        if self._store is None and not db.exists(self.url):
            return ""  # no SQLite file yet: nothing to check, and the check must not make one
        try:
            problem = await asyncio.wait_for(asyncio.to_thread(self._check), timeout)
        except (DBAPIError, OSError, TimeoutError) as err:  # DB_ERRORS and the timeout
            self.health.failed(err)
            return "onbereikbaar"
        if problem:
            self.health.failed(OSError(problem))
        else:
            self.health.ok()
        return problem

    def _check(self) -> str:
        with self.store().engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return db.writable_problem(self.url)

    @asynccontextmanager
    async def lifespan(self, _: Any) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(
            cleanup.run(
                self.existing_store,
                self.settings.session_days,
                swept=self.swept.set,
                traject_days=self.settings.traject_days,
            )
        )
        if self.listener is not None:
            self.listener.start()
        try:
            yield
        finally:
            sweeper.cancel()
            if self.listener is not None:
                await self.listener.close()
            await self.broker.close()
            if self._own_printer:
                await self.pdfs.printer.close()
            if self._store is not None:
                self._store.engine.dispose()

    # -- rendering ------------------------------------------------------------------------------

    def page(self, template: str, page_path: str, *, code: str = "", facilitator: bool = False, **context: Any) -> str:
        """A session page; in the facilitator's deck every slide link stays in the session."""

        def adapt(urls: Urls) -> Urls:
            if not facilitator:
                return urls
            return urls.in_deck(code)

        return self._render(
            template,
            page_path,
            adapt=adapt,
            session_urls=SessionUrls,
            code=code,
            facilitator=facilitator,
            words=WORDS,
            chart_of=lambda d: chart.bar_chart(d.counts, WORDS),
            session_days=self.settings.session_days,
            too_few=groups.TOO_FEW,
            **context,
        )

    def tally_event(self, session_id: int, stop: str | None) -> dict[str, Any]:
        """What the facilitator's screen updates live: the current stop's chart and the map's averages."""
        from app.sessions.facilitator import attendee_notice, waiting_text  # the routes import this module

        result = results.build(self.get_guide(), self.store().tally(session_id))
        current = result.stop(stop) if stop else None
        html = self.page("sessions/_tally.html", "", stop=current) if current else ""
        shown = self.written().approved(session_id).get(stop, []) if stop else []
        return {
            "halte": stop,
            "geschreven": self.page("sessions/_written.html", "", shown=shown) if stop else "",
            "wachten": waiting_text(self.written().waiting(session_id)),
            "aantal": current.overall.total if current else 0,
            "grafiek": html,
            "deelnemers": attendee_notice(self, self.store().attendee_count(session_id)),
            "kaart": station_scores(result.by_slug()),
        }
