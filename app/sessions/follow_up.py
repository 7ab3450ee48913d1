"""The facilitator's traject page: the key for a repeat measurement, kept off the projector."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.sessions import traject
from app.sessions.facilitator import facilitator_form, facilitator_page, facilitator_session
from app.sessions.live import Live
from app.sessions.routing import redirect
from app.urls import facilitator_path

UNKNOWN = (
    "Deze trajectsleutel kennen we niet. Controleer de sleutel op de trajectpagina van de eerdere sessie; "
    "een traject dat lang niet gebruikt is, is gewist."
)


def add_routes(router: APIRouter, live: Live) -> None:
    @router.get("/sessies/{code}/traject/", include_in_schema=False)
    async def page(code: str, request: Request) -> Response:
        """The traject of this session: its key (only here), which measurement this is, and how to go on."""
        session = await facilitator_session(live, code, request)
        found = await live.call(live.trajects().of, session.id)
        return facilitator_page(
            live,
            code,
            "sessions/traject.html",
            "traject/",
            traject=found,
            key=traject.display_key(found.key) if found else "",
            traject_days=live.settings.traject_days,
        )

    @router.post("/sessies/{code}/traject", include_in_schema=False)
    async def begin(code: str, request: Request) -> Response:
        """Make this session the first measurement of a traject (or keep the traject it has)."""
        _, session = await facilitator_form(live, code, request)
        await live.call(live.trajects().begin, session.id)
        return redirect(request, facilitator_path(code, "traject/"))
