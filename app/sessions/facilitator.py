"""The facilitator's routes: start a session, present it (moving the room), delete it.

The facilitator is whoever has the secret in the deck's address (a capability); only its
hash is stored, and it is compared in constant time.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.sessions import codes, results
from app.sessions.http import BadForm, forbidden, not_found, page_path, problem, read_form, wants_json
from app.sessions.live import Live
from app.sessions.store import Session
from app.sessions.urls import deck_path, join_address


def add_routes(router: APIRouter, live: Live) -> None:
    @router.post("/sessies", include_in_schema=False)
    async def start(request: Request) -> Response:
        wait = live.starts.take(request.client.host if request.client else "")
        if wait is not None:
            minutes = max(1, round(wait / 60))
            return problem(
                live,
                request,
                429,
                f"Vanaf dit adres zijn het afgelopen uur al {live.settings.sessions_per_hour} sessies gestart. "
                f"Probeer het over {minutes} {'minuut' if minutes == 1 else 'minuten'} opnieuw.",
                retry_after=wait,
            )
        session, secret = await live.call(lambda: live.store().create())
        return RedirectResponse(_deck(request, session.code, None, secret), status_code=303)

    @router.get("/sessies/{code}/presenteren", include_in_schema=False)
    async def deck_without_slash(code: str, request: Request) -> Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(_root(request) + "/" + deck_path(code) + query, status_code=308)

    @router.get("/sessies/{code}/presenteren/", include_in_schema=False)
    @router.get("/sessies/{code}/presenteren/{slug}", include_in_schema=False)
    async def deck(code: str, request: Request, slug: str = "", sleutel: str = "") -> Response:
        """The facilitator's presentation; opening a slide shows that stop to the room."""
        session = await find_session(live, code)
        if session is None:
            return not_found(live, request)
        if not await live.call(live.store().authorised, code, sleutel):
            return forbidden(live, request)
        guide = live.get_guide()
        active = guide.station(slug) if slug else None
        if slug and active is None:
            return not_found(live, request)
        await live.call(live.store().move, session.id, slug or None)
        live.broker.poke(session.id)
        result = results.build(guide, await live.call(live.store().tally, session.id))
        join = join_address(live.base_url(request), session.code)
        body = live.page(
            "sessions/present.html",
            deck_path(code, slug),
            code=code,
            secret=sleutel,
            active=active,
            result=result,
            join=join,
            join_text=join.split("://", 1)[-1],
            display_code=codes.display(code),
        )
        return HTMLResponse(body, headers={"cache-control": "no-store", "referrer-policy": "no-referrer"})

    @router.post("/sessies/{code}/halte", include_in_schema=False)
    async def move(code: str, request: Request) -> Response:
        """Show another stop to the room (the deck's script posts here on every slide change)."""
        posted = await posted_form(live, code, request, secret=True)
        if isinstance(posted, Response):
            return posted
        form, session = posted
        slug = form.get("halte", "")
        if slug and live.get_guide().station(slug) is None:
            return problem(live, request, 422, f"Deze gids heeft geen halte {slug!r}.")
        await live.call(live.store().move, session.id, slug or None)
        live.broker.poke(session.id)
        if wants_json(request):
            return JSONResponse({"halte": slug or None}, headers={"cache-control": "no-store"})
        return RedirectResponse(_deck(request, code, slug or None, form["sleutel"]), status_code=303)

    @router.post("/sessies/{code}/verwijderen", include_in_schema=False)
    async def delete(code: str, request: Request) -> Response:
        """Delete the session and every answer in it, now."""
        posted = await posted_form(live, code, request, secret=True)
        if isinstance(posted, Response):
            return posted
        _, session = posted
        await live.call(live.store().delete, session.id)
        live.broker.poke(session.id)
        if wants_json(request):
            return JSONResponse({"verwijderd": True}, headers={"cache-control": "no-store"})
        body = live.page("sessions/deleted.html", page_path(request), display_code=codes.display(code))
        return HTMLResponse(body, headers={"cache-control": "no-store"})


async def find_session(live: Live, code: str) -> Session | None:
    if codes.normalise_code(code) != code:
        return None
    return await live.call(lambda: live.store().find(code))


async def posted_form(
    live: Live, code: str, request: Request, *, secret: bool
) -> tuple[dict[str, str], Session] | Response:
    """The form posted to a session and the session itself, or the answer that refuses them.

    With `secret`, the form must carry the facilitator's secret (`sleutel`).
    """
    try:
        form = await read_form(request)
    except BadForm as err:
        return problem(live, request, err.status, err.message)
    session = await find_session(live, code)
    if session is None:
        return not_found(live, request)
    if secret and not await live.call(live.store().authorised, code, form.get("sleutel", "")):
        return forbidden(live, request)
    return form, session


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", ""))


def _deck(request: Request, code: str, slug: str | None, secret: str) -> str:
    """The deck's address from this server's root: a laptop at the meeting need not be the public address."""
    return f"{_root(request)}/{deck_path(code, slug)}?sleutel={quote(secret, safe='')}"
