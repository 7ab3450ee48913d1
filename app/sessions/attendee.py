"""The attendees' routes: join, follow the facilitator (a page and its event stream), answer."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app import metrics
from app.content import Station
from app.scan.scale import kind_of, scale_of
from app.sessions import codes, written
from app.sessions.facilitator import event_stream
from app.sessions.live import Live
from app.sessions.routing import (
    Refused,
    attendee_token,
    client_address,
    find_session,
    page_path,
    posted_form,
    problem,
    redirect,
    session_page,
    set_attendee_cookie,
    stream_route,
    wants_json,
)
from app.sessions.store import LimitReached, Session
from app.urls import attendee_path

T = TypeVar("T")

SCORE_RE = re.compile(r"^[0-5]$")  # 0: "weet niet", where the item's scale has it
STATEMENT_RE = re.compile(r"^stelling-([0-9]{1,2})$")
NO_TOKEN = (
    "Open eerst de pagina van de sessie (scan de QR-code of typ de code), dan kunt u antwoorden. "
    "Staan cookies uit in uw browser, zet ze dan aan voor deze site."
)


def add_routes(router: APIRouter, live: Live) -> None:
    @router.get("/s", include_in_schema=False)
    @router.get("/s/", include_in_schema=False)
    async def join(request: Request, code: str = "") -> Response:
        """Type the code from the screen; a valid one leads to the session."""
        typed = codes.normalise_code(code) if code else None
        if typed:
            return redirect(request, attendee_path(typed))
        message = "Deze code klopt niet: een code heeft acht tekens, zoals op het scherm." if code else ""
        body = live.page("sessions/join.html", page_path(request), typed=code, message=message)
        return HTMLResponse(body, status_code=422 if code else 200, headers={"cache-control": "no-store"})

    @router.get("/s/{code}", include_in_schema=False)
    async def attendee(code: str, request: Request) -> Response:
        """The attendee's page: the stop the facilitator shows, and the 1–5 question."""
        typed = codes.normalise_code(code)
        if typed and typed != code:
            return redirect(request, attendee_path(typed), 308)
        session = await find_session(live, code, request)
        # The attendee's token is given here, with the page (no script needed); an answer
        # without one is refused, so nobody takes seats without opening the page.
        token = attendee_token(request, session)
        mine = await live.call(live.store().answers_of, session, token) if token else {}
        wrote = await live.call(live.written().written_by, session, token) if token else {}
        chosen = await live.call(live.membership().chosen, session, token) if token else None
        response = session_page(
            live,
            "sessions/attendee.html",
            attendee_path(code),
            code,
            session=session,
            active=live.get_guide().station(session.stop) if session.stop else None,
            mine=mine,
            statement_stops={stop for stop, item in mine if item},
            written_by=wrote,
            chosen=chosen,
            prompts=await live.call(live.written().prompts, session.id),
            prompt_of=written.prompt_of,
            per_stop=live.settings.written_per_stop,
            max_length=written.MAX_LENGTH,
        )
        if token is None:
            set_attendee_cookie(live, request, response, code, codes.attendee_token(session.token_key))
        return response

    @router.post("/s/{code}/antwoord", include_in_schema=False)
    async def answer(code: str, request: Request) -> Response:
        """Store a score for a stop (`halte`, `score` 1–5, optionally `stelling-N` 1–5); changing it replaces it."""
        form, session = await posted_form(live, code, request)
        station = posted_stop(live, request, form)
        scores = _scores(form, station)
        if isinstance(scores, str):
            return problem(live, request, 422, scores)
        token = posted_token(live, request, session)
        await seated(live, request, session, live.store().answer, session, token, station.slug, scores)
        live.broker.poke(session.id)
        metrics.ANSWERS.inc(len(scores))
        response: Response
        if wants_json(request):
            saved = {("score" if item == 0 else f"stelling-{item}"): score for item, score in scores.items()}
            response = JSONResponse({"halte": station.slug, "opgeslagen": saved}, headers={"cache-control": "no-store"})
        else:
            response = redirect(request, f"{attendee_path(code)}#halte-{station.slug}")
        return response

    @stream_route(router, "/s/{code}/events")
    async def events(code: str, request: Request) -> Response:
        """Server-Sent Events for attendees: `halte` when the room moves, `einde` when the session ends."""
        session = await find_session(live, code, request)
        return event_stream(live, session, request, facilitator=False)


def _scores(form: dict[str, str], station: Station) -> dict[int, int] | str:
    """The scores in a form, item -> value (0 is the stop itself), or a Dutch message saying what is wrong.

    Each item is checked against its own scale (app/scan/scale.py): an open question takes no score.
    """
    scores: dict[int, int] = {}
    for name, value in form.items():
        statement = STATEMENT_RE.match(name)
        if name == "score":
            item = 0
        elif statement:
            item = int(statement.group(1))
            if not 1 <= item <= len(station.questions):
                return f"Halte {station.number} heeft geen gespreksvraag {item}."
        else:
            continue  # halte, and anything a form may add that is not a score
        scale = scale_of(kind_of(item, station.questions[item - 1] if item else ""))
        if scale is None:
            return f"Gespreksvraag {item} van halte {station.number} is een open vraag voor het gesprek: die krijgt geen score."
        if not SCORE_RE.match(value.strip()) or not scale.allows(int(value)):
            if scale.dont_know:
                return f"Bij een stelling kiest u 1 ({scale.words[0].lower()}) tot en met 5 ({scale.words[4].lower()}), of “{scale.dont_know.lower()}”."
            return "Een score is een heel getal van 1 tot en met 5."
        scores[item] = int(value)
    if not scores:
        return "Kies een score van 1 (zwak) tot en met 5 (sterk)."
    return scores


def posted_stop(live: Live, request: Request, form: dict[str, str]) -> Station:
    """The stop an attendee's form names (`halte`); else Refused with 422."""
    station = live.get_guide().station(form.get("halte", ""))
    if station is None:
        raise Refused(problem(live, request, 422, "Deze halte bestaat niet in de gids. Kies een halte op de kaart."))
    return station


def posted_token(live: Live, request: Request, session: Session) -> str:
    """The attendee's token, given with the session's page; else Refused with 403 (cookies off, page not opened)."""
    token = attendee_token(request, session)
    if token is None:
        raise Refused(problem(live, request, 403, NO_TOKEN))
    return token


async def seated(live: Live, request: Request, session: Session, keep: Callable[..., T], *args: Any) -> T:
    """`keep(*args, take_seat)` in the store, the attendee taking a seat if new; at a limit Refused with 429.

    In the crowd's own threads (app/sessions/live.py): a room answering at once does not keep
    the facilitator's move waiting.
    """
    seat = functools.partial(live.seats.take, session.id, client_address(request))
    try:
        return await live.call(keep, *args, seat, crowd=True)
    except LimitReached as limit:
        message = limit_message(live, limit)
        raise Refused(problem(live, request, 429, message, retry_after=limit.retry_after or 3600)) from limit


def limit_message(live: Live, limit: LimitReached) -> str:
    """What an attendee is told at a limit: of seats, of answers in a while, of written answers."""
    if limit.kind == "written":
        return (
            f"U heeft bij deze halte al {live.settings.written_per_stop} antwoorden geschreven; meer kan niet. "
            "Zeg het anders hardop in het gesprek."
        )
    if limit.kind == "written_session":
        return "Deze sessie heeft het grootste aantal geschreven antwoorden bereikt; schrijven kan niet meer."
    if limit.kind == "address":
        return (
            f"Vanaf dit netwerk doen al {live.settings.attendees_per_address} deelnemers mee aan deze sessie; "
            "meer kan niet. Vraag de gespreksleider of de zaal een ander netwerk kan gebruiken."
        )
    if limit.kind == "attendees":
        return (
            f"Deze sessie is vol: er doen al {live.settings.attendees_per_session} deelnemers mee. "
            "Kijk mee op het scherm van de gespreksleider."
        )
    return f"U heeft veel antwoorden kort na elkaar gestuurd. Probeer het over {limit.retry_after} seconden opnieuw."
