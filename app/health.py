"""`/healthz`: one answer for a load balancer and an operator.

The status code is what a load balancer acts on: 200 while this instance serves the guide
(also when a part is degraded: a broken content edit still serves the last good build, and
without Chromium only the PDFs are missing), 503 when it should be taken out (its sessions'
database does not answer). The body says why, part by part, so an operator can see what to fix:

    {"status": "ok" | "degraded", "reasons": [...], "version": "0.1.0",
     "content": {"version": ..., "stations": 7, "problems": 0},
     "database": {"status": "ok" | "onbereikbaar" | ..., "kind": "sqlite" | "postgresql"},
     "pdf": {"status": "ok" | "niet beschikbaar", "printing": 0, "prints": 3},
     "streams": {"open": 12, "limit": 1500}}

Nothing in it is secret (no addresses, codes or passwords), and it never starts Chromium or
waits longer than the database check's short timeout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

from app.browser import chromium_path

if TYPE_CHECKING:
    from app.build import Site
    from app.pdf import PdfService
    from app.sessions.live import Live

DATABASE_TIMEOUT = 2.0  # seconds; a load balancer's check usually gives up after 5
STREAMS_NEARLY_FULL = 0.9


@cache
def version() -> str:
    """The installed package's version, read once."""
    try:
        return metadata.version("zeven-stops")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "onbekend"


@dataclass
class HealthCheck:
    site: Callable[[], Site]
    content_problems: Callable[[], list[str]]
    pdfs: PdfService
    live: Callable[[], Live | None]

    async def report(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, body) of the health answer."""
        site = self.site()
        reasons: list[str] = []
        problems = self.content_problems()
        if problems:
            reasons.append(
                f"De inhoud heeft {len(problems)} probleem/problemen; de laatste goede versie wordt getoond."
            )
        body: dict[str, Any] = {
            "status": "ok",
            "reasons": reasons,
            "version": version(),
            "content": {"version": site.guide.version, "stations": len(site.guide.stations), "problems": len(problems)},
            "pdf": self._pdf(reasons),
        }
        status = 200
        live = self.live()
        if live is not None:
            database = await live.database_problem(timeout=DATABASE_TIMEOUT)
            body["database"] = {"status": database or "ok", "kind": live.url.split(":", 1)[0].split("+", 1)[0]}
            if database:
                reasons.append(f"De database van de live sessies: {database}.")
                status = 503
            if live.listener is not None:  # not a reason to degrade: without it the streams poll as on SQLite
                body["database"]["notify"] = live.listener.status()
            slots = live.streams
            body["streams"] = {"open": slots.open, "limit": slots.total}
            if slots.open >= STREAMS_NEARLY_FULL * slots.total:
                reasons.append(f"{slots.open} van de {slots.total} plaatsen voor live meekijken zijn in gebruik.")
        if reasons:
            body["status"] = "degraded"
        return status, body

    def _pdf(self, reasons: list[str]) -> dict[str, Any]:
        printer = self.pdfs.printer
        problem = "" if chromium_path() else "Chromium is niet geïnstalleerd"
        problem = problem or printer.problem
        if problem:
            reasons.append(f"PDF's kunnen niet worden gemaakt: {problem}.")
        busy = len(self.pdfs.inflight) >= self.pdfs.max_prints
        if busy:
            reasons.append("De PDF-printer is vol bezet.")
        return {
            "status": "niet beschikbaar" if problem else "bezet" if busy else "ok",
            "printing": len(self.pdfs.inflight),
            "limit": self.pdfs.max_prints,
            "prints": self.pdfs.prints,
        }
