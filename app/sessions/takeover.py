"""Going on on another device: the facilitator asks for a one-time link, the other device uses it.

The link carries its token in the fragment (`…/overnemen/#<token>`), which browsers never send:
it reaches no server log, proxy or Referer. The page's script moves it into the form and out of
the address bar; without JavaScript the token is typed (it is shown beside the link). Using it
is a POST; the token works once, for TAKEOVER_MINUTES.
"""

from __future__ import annotations

import base64

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.qr import qr_svg
from app.sessions import codes
from app.sessions.facilitator import facilitator_form
from app.sessions.keys import TAKEOVER_MINUTES
from app.sessions.live import Live
from app.sessions.routing import (
    find_session,
    page_path,
    posted_form,
    problem,
    redirect,
    session_page,
    set_facilitator_cookie,
)
from app.sessions.urls import take_over_address
from app.urls import deck_path


def add_routes(router: APIRouter, live: Live) -> None:
    @router.post("/sessies/{code}/overdracht", include_in_schema=False)
    async def offer(code: str, request: Request) -> Response:
        """A new one-time link for another device, shown to the facilitator only."""
        _, session = await facilitator_form(live, code, request)
        token = await live.call(live.store().keys.offer_takeover, session.id)
        link = take_over_address(live.base_url(request), code, token)
        qr = "data:image/svg+xml;base64," + base64.b64encode(qr_svg(link)).decode("ascii")
        return session_page(
            live,
            "sessions/takeover_offer.html",
            page_path(request),
            code,
            private=True,
            facilitator=True,
            link=link,
            token=codes.grouped(token),
            take_over_page_text=link.split("://", 1)[-1].split("#", 1)[0],
            qr=qr,
            minutes=TAKEOVER_MINUTES,
            room=session.stop,  # back to what the room sees, or the next slide change would move it elsewhere
        )

    @router.get("/sessies/{code}/overnemen/", include_in_schema=False)
    async def take_over_page(code: str, request: Request) -> Response:
        """The page where a second device types or follows its one-time takeover link."""
        await find_session(live, code, request)  # a 404 for a session that is not there
        return session_page(live, "sessions/take_over.html", page_path(request), code, private=True)

    @router.post("/sessies/{code}/overnemen/", include_in_schema=False)
    async def take_over(code: str, request: Request) -> Response:
        """Redeem a one-time takeover code: this device becomes the facilitator, the code is spent."""
        form, session = await posted_form(live, code, request)
        token = codes.normalise_takeover_token(form.get("overnamecode", ""))
        key = await live.call(live.store().keys.take_over, session.id, token) if token else None
        if key is None:
            return problem(
                live,
                request,
                403,
                "Deze overnamecode werkt niet: hij klopt niet, is al gebruikt of is verlopen "
                f"(hij werkt {TAKEOVER_MINUTES} minuten). Vraag op het apparaat van de gespreksleider een nieuwe aan.",
            )
        response = redirect(request, deck_path(code, session.stop))
        set_facilitator_cookie(live, request, response, code, key)
        return response
