"""The routes that bring the onderstroom onto the table: written answers, their moderation, and the groups.

Attendees write (POST /s/<code>/schrijven) and say their partner and role once (POST
/s/<code>/groep); the facilitator approves, hides, merges and heads the written answers on
/sessies/<code>/antwoorden/ (not projected: the deck shows approved answers only) and chooses the
prompt per stop. /s/<code>/verschillen shows where the groups differ, for the projector. Every
form works without JavaScript: a post answers with a redirect back to the page.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app import metrics
from app.sessions import groups, results, written
from app.sessions.attendee import posted_stop, posted_token, seated
from app.sessions.facilitator import facilitator_form, facilitator_page, facilitator_session
from app.sessions.live import Live
from app.sessions.routing import find_session, from_root, posted_form, problem, redirect, session_page, wants_json
from app.sessions.store import Session
from app.urls import attendee_path, deck_path, facilitator_path


def add_routes(router: APIRouter, live: Live) -> None:
    @router.post("/s/{code}/schrijven", include_in_schema=False)
    async def write(code: str, request: Request) -> Response:
        """Keep a written answer to the stop's prompt (`halte`, `tekst`); nobody sees it before the facilitator."""
        form, session = await posted_form(live, code, request)
        station = posted_stop(live, request, form)
        text = written.clean(form.get("tekst", ""))
        if isinstance(text, tuple):
            return problem(live, request, 422, text[0])
        token = posted_token(live, request, session)
        await seated(live, request, session, live.written().write, session, token, station.slug, text)
        live.broker.poke(session.id)
        metrics.ANSWERS.inc()
        if wants_json(request):
            mine = await live.call(live.written().written_by, session, token)
            count = mine.get(station.slug, 0)
            return JSONResponse(
                {"halte": station.slug, "geschreven": count, "hooguit": live.settings.written_per_stop},
                headers={"cache-control": "no-store"},
            )
        return redirect(request, f"{attendee_path(code)}#schrijven-{station.slug}")

    @router.post("/s/{code}/groep", include_in_schema=False)
    async def choose_group(code: str, request: Request) -> Response:
        """The attendee's partner (`gemeente`) and role (`rol`), once; "" is "zeg ik liever niet"."""
        form, session = await posted_form(live, code, request)
        partner, role = form.get("gemeente", ""), form.get("rol", "")
        if (partner and partner not in session.partners) or (role and role not in session.roles):
            return problem(live, request, 422, "Kies een gemeente en een rol uit de lijst, of “zeg ik liever niet”.")
        token = posted_token(live, request, session)
        first = await seated(live, request, session, live.membership().choose, session, token, partner, role)
        if not first:
            return problem(live, request, 409, "U heeft uw gemeente en rol in deze sessie al gekozen; dat blijft zo.")
        return redirect(request, attendee_path(code))

    @router.get("/s/{code}/verschillen", include_in_schema=False)
    async def differences(code: str, request: Request) -> Response:
        """Where the partners and roles differ, the largest difference first: for the projector."""
        session = await find_session(live, code, request)
        return session_page(
            live,
            "sessions/differences.html",
            attendee_path(code, "verschillen"),
            code,
            comparisons=await comparisons(live, session),
            min_group=live.settings.min_group,
        )

    @router.get("/sessies/{code}/antwoorden/", include_in_schema=False)
    async def moderation(code: str, request: Request) -> Response:
        """The facilitator's written answers: waiting ones first, per stop; nothing here is projected."""
        session = await facilitator_session(live, code, request)
        answers = await live.call(live.written().all_of, session.id)
        chosen = await live.call(live.written().prompts, session.id)
        return facilitator_page(
            live,
            code,
            "sessions/moderation.html",
            "antwoorden/",
            answers=answers,
            prompts=chosen,
            prompt_of=written.prompt_of,
            open_questions=written.open_questions,
            deck=from_root(request, deck_path(code)),
        )

    @router.post("/sessies/{code}/antwoorden/{answer_id}", include_in_schema=False)
    async def moderate(code: str, answer_id: int, request: Request) -> Response:
        """Approve, hide, merge, split or head one written answer (`actie`, `waarde`)."""
        form, session = await facilitator_form(live, code, request)
        refused = await live.call(
            live.written().moderate, session.id, answer_id, form.get("actie", ""), form.get("waarde", "")
        )
        if refused:
            return problem(live, request, 422, refused)
        live.broker.poke(session.id)
        if wants_json(request):
            return JSONResponse(
                {"antwoord": answer_id, "actie": form.get("actie")}, headers={"cache-control": "no-store"}
            )
        return redirect(request, facilitator_path(code, f"antwoorden/#antwoord-{answer_id}"))

    @router.post("/sessies/{code}/vraag", include_in_schema=False)
    async def choose_prompt(code: str, request: Request) -> Response:
        """The question attendees write to at a stop (`halte`; `vraag` 0 for the default, n an open question)."""
        form, session = await facilitator_form(live, code, request)
        station = live.get_guide().station(form.get("halte", ""))
        raw = form.get("vraag", "0")
        numbers = {n for n, _ in written.open_questions(station)} if station else set()
        if station is None or not raw.isdigit() or (int(raw) and int(raw) not in numbers):
            return problem(live, request, 422, "Kies de standaardvraag of een open gespreksvraag van deze halte.")
        await live.call(live.written().set_prompt, session.id, station.slug, int(raw))
        live.broker.poke(session.id)
        return redirect(request, facilitator_path(code, f"antwoorden/#vraag-{station.slug}"))


async def comparisons(live: Live, session: Session) -> list[groups.Comparison]:
    """The comparison per dimension the session asked for (partners, roles), small groups hidden."""
    found = []
    result = results.build(live.get_guide(), await live.call(live.store().tally, session.id))
    for dimension, names in (("partner", session.partners), ("role", session.roles)):
        if names:
            tally = await live.call(live.membership().tally, session.id, dimension)
            found.append(groups.compare(result, dimension, names, tally, live.settings.min_group))
    return found
