"""Live sessions: the room follows the facilitator and scores each stop ("Samenwerkingsscan").

`install(api, Live(...))` adds the routes and their start/stop hook to the FastAPI app; `Live`
(app/sessions/live.py) holds what they share. Everything a session keeps is in one database
(SQLite in the data folder, or PostgreSQL) that all workers share. The package imports its web
parts only when an app is made. What the scan without a server shares
with the sessions (the scales, a distribution, the bar chart, the map's scores) is in app/scan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI, Request, Response

    from app.sessions.live import Live


def install(api: FastAPI, live: Live) -> None:
    """Add the session routes to `api`, serving `live`; their lifespan cleans old sessions and ends streams at shutdown."""
    from fastapi import APIRouter, Depends
    from fastapi import Request as _Request

    from app.sessions import attendee, conversation, facilitator, follow_up, published, takeover
    from app.sessions.origin import CrossSite, same_origin_check
    from app.sessions.routing import Refused, problem

    # Every POST of every session route passes one cross-site check, before the route runs.
    router = APIRouter(lifespan=live.lifespan, dependencies=[Depends(same_origin_check(live.base_url))])

    async def cross_site(request: _Request, _: Exception) -> Response:
        return problem(
            live,
            request,
            403,
            "Dit verzoek kwam van een andere website en is daarom geweigerd. "
            "Gebruik de knoppen op de pagina's van de gids zelf.",
        )

    async def refused(_: _Request, exc: Exception) -> Response:
        assert isinstance(exc, Refused)
        return exc.response

    api.add_exception_handler(CrossSite, cross_site)
    api.add_exception_handler(Refused, refused)
    facilitator.add_routes(router, live)
    attendee.add_routes(router, live)
    conversation.add_routes(router, live)
    follow_up.add_routes(router, live)
    published.add_routes(router, live)
    takeover.add_routes(router, live)
    api.include_router(router)
    _answer_database_errors(api, live)
    api.state.live_sessions = live  # for tests and benchmarks that look inside


def _answer_database_errors(api: FastAPI, live: Live) -> None:
    """A database that cannot be reached: a Dutch 503 with Retry-After on every session route, in one place."""
    from sqlalchemy.exc import DBAPIError

    from app.sessions.health import MESSAGE, RETRY_AFTER, DatabaseDown
    from app.sessions.routing import problem

    async def unavailable(request: Request, exc: Exception) -> Response:
        live.health.failed(exc.__cause__ or exc)
        return problem(live, request, 503, MESSAGE, retry_after=RETRY_AFTER)

    api.add_exception_handler(DatabaseDown, unavailable)
    api.add_exception_handler(DBAPIError, unavailable)
