"""The facilitator's routes: start a session, present it, move the room, follow it live, delete it.

The facilitator is whoever holds the session's secret in a cookie (HttpOnly, SameSite=Strict,
sent only to that session's facilitator paths): never in an address, so it is not projected,
kept in the history, logged or sent on in a Referer. Only hashes are stored, compared in
constant time. Reading a page (GET, HEAD) never changes the room: it moves only by POST.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sse_starlette import EventSourceResponse

from app.http import HEAD_ASKED
from app.sessions import codes, groups, results, traject, written
from app.sessions.live import Live
from app.sessions.routing import (
    BadForm,
    Refused,
    clear_facilitator_cookie,
    client_address,
    facilitator_secret,
    find_session,
    forbidden,
    not_found,
    page_path,
    posted_form,
    problem,
    read_form,
    redirect,
    session_page,
    set_facilitator_cookie,
    stream_route,
    wait_text,
    wants_json,
)
from app.sessions.store import Session
from app.sessions.streams import counted
from app.sessions.urls import join_address
from app.urls import deck_path, facilitator_path

NEARLY_FULL = 0.9  # the facilitator is told when this share of the seats is taken


def add_routes(router: APIRouter, live: Live) -> None:
    @router.post("/sessies", include_in_schema=False)
    async def start(request: Request) -> Response:
        """Start a session (a few per address per hour); the facilitator gets its cookie and the deck."""
        wait = live.starts.take(client_address(request))
        if wait is not None:
            return problem(
                live,
                request,
                429,
                "Vanaf dit netwerk zijn kort na elkaar veel sessies gestart. "
                f"Probeer het over {wait_text(wait)} opnieuw, of ga verder met een sessie die al loopt.",
                retry_after=wait,
            )
        try:
            form = await read_form(request)
        except BadForm as err:
            return problem(live, request, err.status, err.message)
        chosen = groups_of(form)
        if isinstance(chosen, str):
            return problem(live, request, 422, chosen)
        follows: tuple[int, int] | None = None
        if form.get("traject", "").strip():
            key = traject.normalise_key(form["traject"])
            follows = await live.call(live.trajects().join, key, form.get("meting") == "zelfde") if key else None
            if follows is None:  # unknown, expired or mistyped: one answer, no hint which
                from app.sessions.follow_up import UNKNOWN

                return problem(live, request, 404, UNKNOWN)
        session, secret = await live.call(live.store().create, *chosen, follows)
        response = redirect(request, deck_path(session.code))
        set_facilitator_cookie(live, request, response, session.code, secret)
        return response

    @router.get("/sessies/{code}/presenteren/", include_in_schema=False)
    @router.get("/sessies/{code}/presenteren/{slug}", include_in_schema=False)
    async def deck(code: str, request: Request, slug: str = "") -> Response:
        """The facilitator's presentation. Opening a slide shows it here only; the room moves by POST."""
        session = await facilitator_session(live, code, request)
        guide = live.get_guide()
        active = guide.station(slug) if slug else None
        if slug and active is None:
            return not_found(live, request)
        result = results.build(guide, await live.call(live.store().tally, session.id))
        join = join_address(live.base_url(request), session.code)
        return session_page(
            live,
            "sessions/present.html",
            deck_path(code, slug),
            code,
            private=True,
            facilitator=True,
            active=active,
            room=guide.station(session.stop) if session.stop else None,
            result=result,
            attendees=attendee_notice(live, session.attendees),
            join=join,
            join_text=join.split("://", 1)[-1],
            session=session,
            approved=await live.call(live.written().approved, session.id),
            prompts=await live.call(live.written().prompts, session.id),
            prompt_of=written.prompt_of,
            waiting_text=waiting_text(await live.call(live.written().waiting, session.id)),
            traject=await live.call(live.trajects().of, session.id),
        )

    @router.post("/sessies/{code}/halte", include_in_schema=False)
    async def move(code: str, request: Request) -> Response:
        """Show another stop to the room: the deck's script posts on every slide change, or its button."""
        form, session = await facilitator_form(live, code, request)
        slug = form.get("halte", "")
        if slug and live.get_guide().station(slug) is None:
            return problem(live, request, 422, f"Deze gids heeft geen halte {slug!r}.")
        await live.call(live.store().move, session.id, slug or None)
        live.broker.poke(session.id)
        if wants_json(request):
            return JSONResponse({"halte": slug or None}, headers={"cache-control": "no-store"})
        return redirect(request, deck_path(code, slug or None))

    @router.post("/sessies/{code}/verwijderen", include_in_schema=False)
    async def delete(code: str, request: Request) -> Response:
        """Delete the session and every answer in it, now."""
        _, session = await facilitator_form(live, code, request)
        await live.call(live.store().delete, session.id)
        live.broker.poke(session.id)
        response: Response
        if wants_json(request):
            response = JSONResponse({"verwijderd": True}, headers={"cache-control": "no-store"})
        else:
            body = live.page("sessions/deleted.html", page_path(request), display_code=codes.display(code))
            response = HTMLResponse(body, headers={"cache-control": "no-store"})
        clear_facilitator_cookie(request, response, code)
        return response

    @stream_route(router, "/sessies/{code}/events")
    async def events(code: str, request: Request) -> Response:
        """The facilitator's Server-Sent Events: `halte` when the room moves, `telling` with the answers."""
        session = await facilitator_session(live, code, request)
        return event_stream(live, session, request, facilitator=True)


def event_stream(live: Live, session: Session, request: Request, *, facilitator: bool) -> Response:
    """A session's events as Server-Sent Events; attendees get where the room is, the facilitator also the tally.

    Within the process's share of streams and the cap per address (app/sessions/streams.py).
    An endless stream has no length, so HTTP/1.0 could only get it chunked, which that version
    does not know (RFC 9112 §6.1; uvicorn would send it anyway): such a client gets 505.
    """
    if request.scope.get("http_version") == "1.0":
        return problem(
            live,
            request,
            505,
            "Deze pagina volgt de gespreksleider via HTTP/1.1. Uw browser of proxy gebruikt HTTP/1.0: "
            "gebruik de link Vernieuwen, of zet de proxy op HTTP/1.1 (nginx: proxy_http_version 1.1).",
        )

    headers = {"cache-control": "no-store", "x-accel-buffering": "no"}
    if request.scope.get(HEAD_ASKED):  # the headers a GET would get; no stream, no slot taken
        response = Response(media_type="text/event-stream", headers=headers)
        response.raw_headers = [h for h in response.raw_headers if h[0] != b"content-length"]  # GET has none
        return response
    session_id = session.id  # the stream holds only the id: it stays open for the whole meeting

    async def stream() -> AsyncIterator[dict[str, Any]]:
        first = True
        async for event in live.broker.stream(session_id, facilitator=facilitator):
            message: dict[str, Any] = {"event": event.kind, "data": json.dumps(event.data, ensure_ascii=False)}
            if event.id:
                message["id"] = event.id
            if first:
                message["retry"] = 2000  # reconnect quickly after a dropped connection
                first = False
            yield message

    address = request.client.host if request.client else ""
    return counted(live.streams, address, lambda: EventSourceResponse(stream(), ping=15, headers=headers))


def attendee_notice(live: Live, count: int) -> dict[str, Any]:
    """What the facilitator is told about the seats: the count, and a warning when nearly full."""
    limit = live.settings.attendees_per_session
    people = "deelnemer" if count == 1 else "deelnemers"
    warning = ""
    if count >= limit:
        warning = f"De sessie is vol: nieuwe deelnemers kunnen niet meer antwoorden (grens {limit})."
    elif count >= NEARLY_FULL * limit:
        warning = f"De sessie is bijna vol: nog {limit - count} plaatsen (grens {limit})."
    return {"aantal": count, "tekst": f"{count} {people}", "waarschuwing": warning}


async def facilitator_session(live: Live, code: str, request: Request) -> Session:
    """The session when the request carries its facilitator's cookie; else Refused."""
    session = await find_session(live, code, request)
    if not await live.call(live.store().authorised, code, facilitator_secret(request)):
        raise Refused(forbidden(live, request))
    return session


def facilitator_page(live: Live, code: str, template: str, page: str, **context: Any) -> HTMLResponse:
    """A page of the facilitator's own (at `facilitator_path(code, page)`): private, never cached."""
    return session_page(live, template, facilitator_path(code, page), code, private=True, **context)


async def facilitator_form(live: Live, code: str, request: Request) -> tuple[dict[str, str], Session]:
    """The form the facilitator posted and the session; else Refused."""
    return await posted_form(live, code, request, facilitator_session)


def groups_of(form: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]] | str:
    """The partners (`gemeenten`, one a line) and roles (`rollen` "ja" for the usual four, or `andere_rollen`) to compare."""
    partners = groups.parse_names(form.get("gemeenten", ""), "gemeenten")
    if isinstance(partners, str):
        return partners
    roles: tuple[str, ...] | str = ()
    if form.get("andere_rollen", "").strip():
        roles = groups.parse_names(form["andere_rollen"], "rollen")
    elif form.get("rollen") == "ja":
        roles = groups.DEFAULT_ROLES
    if isinstance(roles, str):
        return roles
    return partners, roles


def waiting_text(count: int) -> str:
    """How many written answers wait for the facilitator, as the deck's menu says it."""
    if not count:
        return ""
    return f"({count} {'wacht' if count == 1 else 'wachten'})"
