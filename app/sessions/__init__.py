"""Live sessions: the room follows the facilitator and scores each stop ("Samenwerkingsscan").

`install` adds the routes and their start/stop hook to the FastAPI app. Everything a session
keeps is in one database (SQLite in the data folder, or PostgreSQL) that all workers share.
The package imports its web parts only when installed, so the static pages can use its
pure modules (`results`, `chart`) without FastAPI.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI, Request, Response

    from app.config import Settings
    from app.content import Guide
    from app.pdf import PdfPrinter
    from app.sessions.live import Fetch, Live, Render


def install(
    api: FastAPI,
    *,
    settings: Settings,
    get_guide: Callable[[], Guide],
    render: Render,
    base_url: Callable[[Request], str],
    fetch: Fetch | None = None,
    printer: PdfPrinter | None = None,
) -> None:
    """Add the session routes to `api`; their lifespan cleans old sessions and ends streams at shutdown.

    `fetch(path, base_url)` serves assets to the PDF printer; `printer` is shared with the guide's PDFs.
    """
    from fastapi import APIRouter

    from app.sessions import attendee, facilitator, published, takeover
    from app.sessions.live import Live

    live = Live(settings, get_guide, render, base_url, fetch, printer)
    router = APIRouter(lifespan=live.lifespan)
    facilitator.add_routes(router, live)
    attendee.add_routes(router, live)
    published.add_routes(router, live)
    takeover.add_routes(router, live)
    api.include_router(router)
    _answer_database_errors(api, live)
    api.state.live_sessions = live  # for tests and benchmarks that look inside


def _answer_database_errors(api: FastAPI, live: Live) -> None:
    """A database that cannot be reached: a Dutch 503 with Retry-After on every session route, in one place."""
    from sqlalchemy.exc import DBAPIError

    from app.sessions.health import MESSAGE, RETRY_AFTER, DatabaseDown
    from app.sessions.http import problem

    async def unavailable(request: Request, exc: Exception) -> Response:
        live.health.failed(exc.__cause__ or exc)
        return problem(live, request, 503, MESSAGE, retry_after=RETRY_AFTER)

    api.add_exception_handler(DatabaseDown, unavailable)
    api.add_exception_handler(DBAPIError, unavailable)
