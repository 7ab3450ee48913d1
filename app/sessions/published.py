"""What a session publishes: the result (page, CSV, PDF), the QR code to join, and the privacy page."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.build import Entry
from app.pdf import PdfBusy, PdfUnavailable
from app.qr import qr_svg
from app.sessions import codes, results
from app.sessions.conversation import comparisons
from app.sessions.groups import Comparison
from app.sessions.live import Live
from app.sessions.routing import find_session, problem
from app.sessions.store import Session
from app.sessions.traject import Change, Traject
from app.sessions.urls import join_address
from app.sessions.written import WrittenAnswer
from app.urls import attendee_path

log = logging.getLogger("zevenstops.sessions")


def _dutch_time() -> tzinfo:
    """The meetings' clock (a session at 00:30 there is of that day); UTC where no time zone data is installed."""
    try:
        return ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        return UTC


DUTCH_TIME = _dutch_time()


@dataclass(frozen=True)
class Outcome:
    result: results.Result
    approved: dict[str, list[WrittenAnswer]]  # per stop, as the projector showed them
    comparisons: list[Comparison]
    change: tuple[Traject, Mapping[tuple[str, str, str], Change]] | None  # since the previous measurement
    held: date  # the day the session was started, in the Netherlands: the report's date


def add_routes(router: APIRouter, live: Live) -> None:
    async def result_of(code: str, request: Request) -> Outcome:
        session = await find_session(live, code, request)
        return await outcome_of(session)

    async def outcome_of(session: Session) -> Outcome:
        """Everything a result shows: the scores, the approved written answers, the groups compared."""
        tally = await live.call(live.store().tally, session.id)
        return Outcome(
            results.build(live.get_guide(), tally),
            await live.call(live.written().approved, session.id),
            await comparisons(live, session),
            await live.call(live.trajects().change, session.id, live.settings.min_group),
            session.created_at.astimezone(DUTCH_TIME).date(),
        )

    def result_page(code: str, outcome: Outcome) -> str:
        return live.page(
            "sessions/result.html",
            attendee_path(code, "uitslag"),
            code=code,
            result=outcome.result,
            approved=outcome.approved,
            comparisons=outcome.comparisons,
            change=outcome.change,
            held=outcome.held,
            display_code=codes.display(code),
        )

    @router.get("/s/{code}/uitslag", include_in_schema=False)
    async def result(code: str, request: Request) -> Response:
        """The result for everyone with the code: scores per stop, approved answers, differences, changes."""
        found = await result_of(code, request)
        return HTMLResponse(result_page(code, found), headers={"cache-control": "no-store"})

    @router.get("/s/{code}/uitslag.csv", include_in_schema=False)
    async def result_csv(code: str, request: Request) -> Response:
        """The same result as CSV, for a spreadsheet."""
        found = await result_of(code, request)
        headers = {
            "content-disposition": f'attachment; filename="samenwerkingsscan-{code}.csv"',
            "cache-control": "no-store",
        }
        body = results.to_csv(found.result, found.approved, found.comparisons)
        return Response(body, media_type="text/csv; charset=utf-8", headers=headers)

    @router.get("/s/{code}/uitslag.pdf", include_in_schema=False)
    async def result_pdf(code: str, request: Request) -> Response:
        """The result page printed by Chromium, through the guide's PDF service.

        One print per state of the answers (the session's revision), shared by everyone who asks
        meanwhile; it waits in the same bounded queue as the guide's PDFs.
        """
        session = await find_session(live, code, request)
        guide = live.get_guide()
        base = live.base_url(request)
        page_path = attendee_path(code, "uitslag")

        async def print_it() -> bytes:
            html = result_page(code, await outcome_of(session)).encode()

            def fetch(path: str) -> Entry | None:
                if path == "/" + page_path:
                    return Entry("text/html; charset=utf-8", html)
                return live.fetch(path, base) if live.fetch else None

            return await live.pdfs.printer.print_pdf(base, page_path, fetch)

        key = (guide.version, "session-result", code, str(session.revision), base)
        try:
            body = await live.pdfs.shared(key, print_it)
        except PdfUnavailable as err:
            log.warning("PDF not available: %s", err)
            return problem(
                live,
                request,
                503,
                "De pdf kan nu niet gemaakt worden: op de server ontbreekt Chromium. "
                "Druk de uitslag af vanuit de browser (Ctrl+P) en kies 'Opslaan als pdf'.",
                retry_after=3600,
            )
        except PdfBusy as err:
            log.warning("Result PDF refused, printer busy: %s", err)
            return problem(
                live,
                request,
                503,
                "Er worden nu veel pdf's tegelijk gemaakt. Probeer het over tien seconden opnieuw.",
                retry_after=10,
            )
        headers = {
            "content-disposition": f'inline; filename="samenwerkingsscan-{code}.pdf"',
            "cache-control": "no-store",
        }
        return Response(body, media_type="application/pdf", headers=headers)

    @router.get("/s/{code}/qr.svg", include_in_schema=False)
    async def join_qr(code: str, request: Request) -> Response:
        """The QR code attendees scan: the configured public address, else the one this request came in on."""
        await find_session(live, code, request)  # a 404 for a session that is not there
        svg = qr_svg(join_address(live.base_url(request), code))
        return Response(svg, media_type="image/svg+xml", headers={"cache-control": "no-store"})

    @router.get("/privacy", include_in_schema=False)
    async def privacy(request: Request) -> Response:
        """What a live session keeps, for how long, and who can see it."""
        body = live.page("privacy.html", "privacy")
        return HTMLResponse(body, headers={"cache-control": "no-cache"})
