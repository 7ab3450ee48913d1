"""The application: the build served from memory, and FastAPI routes for what is dynamic.

FastAPI keeps the JSON API and its docs, oEmbed, QR codes for the request's address, PDFs, the
health check and the Dutch error answers. Pages and assets never reach it (app/http.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from app import metrics, sessions
from app.api import make_router
from app.apidocs import install_docs
from app.build import Site, build_site
from app.config import Settings, request_base_url
from app.content import ContentError
from app.errors import document_error_shape, install_error_answers
from app.health import HealthCheck
from app.health import version as health_version
from app.http import PageServer, Served, compress_in_background
from app.logs import access_line, started
from app.observed import Observed
from app.pdf import PdfBusy, PdfPrinter, PdfService, PdfUnavailable
from app.preview import BrokenPreview
from app.qr import qr_svg
from app.ranges import body_response
from app.urls import BOOKLET_PATH, PAPER_SCAN_PATH, station_path, worksheet_path
from app.watch import Reloader

log = logging.getLogger("zevenstops")


def create_app(settings: Settings | None = None, *, watch: bool = False) -> ASGIApp:
    """The whole application. Raises ContentError if the content does not validate (without `watch`).

    With `watch` (`metro serve --reload`), edits to content, templates and static files are
    rebuilt and the open pages reload themselves; an edit that breaks the content is shown in
    the page and the last good guide stays online. Content broken from the start is shown the
    same way, as a page of problems at every address, until an edit fixes it (app/preview.py).
    """
    settings = settings or Settings.from_env()
    if watch:
        try:
            return _create_app(settings, watch=True)
        except ContentError as err:  # the editor's preview shows the problems until they are fixed
            log.error("De inhoud heeft fouten; de gids toont ze tot ze hersteld zijn:\n%s", err)
            return BrokenPreview(settings, err, lambda: _create_app(settings, watch=True))
    return _create_app(settings, watch=False)


def _create_app(settings: Settings, *, watch: bool) -> ASGIApp:
    """The build served from memory (PageServer) in front of FastAPI's routes, observed.

    Between them StreamDoor takes the event streams' GET past FastAPI (app/sessions/streams.py).
    """
    reloader = Reloader(settings)  # rebuilds on save (watch) or on SIGHUP (production)
    printer = PdfPrinter()
    pdfs = PdfService(printer)

    def serve(site: Site) -> Served:
        inject = reloader.serving(site.version) if watch else b""
        served = Served(site, " ".join(settings.frame_ancestors), inject=inject)
        compress_in_background(served.resources.values(), quality=5 if watch else 11)
        return served

    def site() -> Site:
        return server.served.site  # read per request: a rebuild swaps it

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(reloader.run(server, serve)) if watch else None
        undo_hangup = reloader.on_hangup(server, serve)
        stop_metrics = start_metrics(settings, api) if settings.metrics_address else None
        started(settings, site(), settings.engine_url)
        yield
        if stop_metrics:
            stop_metrics()
        undo_hangup()
        if task:
            task.cancel()
        await printer.close()

    api = FastAPI(
        title="Zeven stops",
        description="De inhoud van de metrokaart-gids *Samenwerking tussen gemeenten — zeven stops naar "
        "draagvlak en vertrouwen*, voor wie de haltes in een eigen intranet wil tonen.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        # Starlette would redirect /api/stops/ to an absolute URL built from the Host header;
        # the error answers (below) redirect relatively instead.
        redirect_slashes=False,
    )
    api.state.pdfs = pdfs  # how many prints were made: for the benchmark and monitoring
    base_url = _base_url(settings)

    api.include_router(make_router(site, base_url))
    install_docs(api, site)
    if watch:
        api.include_router(reloader.router())
    from app.sessions.live import Live  # the session layer is imported when an app is made, not with this module
    from app.sessions.streams import StreamDoor

    guide = lambda: site().guide  # noqa: E731
    fetch = lambda path, base: site().fetch(path, base)  # noqa: E731
    sessions.install(api, Live(settings, guide, _renderer(site), base_url, fetch, pdfs))
    health = HealthCheck(
        site=site,
        content_problems=lambda: reloader.problems,
        pdfs=pdfs,
        live=lambda: getattr(api.state, "live_sessions", None),
    )
    api.include_router(_health_router(health))
    api.include_router(_qr_router(site, base_url))
    api.include_router(_pdf_router(site, pdfs, base_url))
    install_error_answers(api, site)
    document_error_shape(api)

    server = PageServer(StreamDoor(api), serve(build_site(settings)))
    observers = [access_line(settings.log_addresses)] + ([metrics.count_request] if settings.metrics_address else [])
    return Observed(server, observers)


def _base_url(settings: Settings) -> Callable[[Request], str]:
    """The public address: configured, or else the one the request came in on (checked)."""

    def base_url(request: Request) -> str:
        if settings.base_url:
            return settings.base_url
        found = request_base_url(str(request.base_url))
        if found is None:
            raise StarletteHTTPException(400, "Ongeldige Host-header: dit adres kan de gids niet gebruiken.")
        return found

    return base_url


def _renderer(site: Callable[[], Site]) -> Callable[..., str]:
    """Render a page per request (live sessions) with the build's templates and globals."""

    def render(template: str, page_path: str = "", *, adapt: Any = None, **context: Any) -> str:
        renderer = site().renderer
        urls = renderer.base_urls.at(page_path)
        return renderer.render(template, adapt(urls) if adapt else urls, page_path, **context)

    return render


def _health_router(health: HealthCheck) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/healthz")
    async def healthz() -> JSONResponse:
        """For a load balancer: 200 while this instance serves the guide (degraded parts named), 503 without its database."""
        status, body = await health.report()
        headers = {"cache-control": "no-store"}
        if status == 503:  # a load balancer takes this instance out until its database answers again
            headers["retry-after"] = "30"
        return JSONResponse(body, status_code=status, headers=headers)

    return router


def _qr_router(site: Callable[[], Site], base_url: Callable[[Request], str]) -> APIRouter:
    """QR codes for the request's address: the guide and each stop."""
    router = APIRouter(include_in_schema=False)

    @router.get("/qr/{name}.svg")
    async def qr(name: str, request: Request) -> Response:
        """QR code to the guide (`gids`) or a stop, for the address this request came in on."""
        target = site().qr_target(name, base_url(request))
        if target is None:
            raise StarletteHTTPException(404)
        return Response(qr_svg(target), media_type="image/svg+xml", headers={"cache-control": "no-cache"})

    return router


def _pdf_router(site: Callable[[], Site], pdfs: PdfService, base_url: Callable[[Request], str]) -> APIRouter:
    """The PDFs Chromium prints from the build: a stop, the booklet, a worksheet, the paper scan."""
    router = APIRouter(include_in_schema=False)

    @router.get("/stops/{slug}.pdf")
    async def station_pdf(slug: str, request: Request) -> Response:
        """A stop's handout as PDF/UA, printed by Chromium from `/stops/{slug}/`."""
        return await stop_pdf(slug, station_path, "halte", request)

    @router.get("/guide.pdf")
    async def guide_pdf(request: Request) -> Response:
        """The booklet as PDF/UA, printed from `/print/`."""
        return await pdf_response(BOOKLET_PATH, "zeven-stops.pdf", request)

    @router.get("/stops/{slug}/werkblad.pdf")
    async def worksheet_pdf(slug: str, request: Request) -> Response:
        """A stop's worksheet as PDF/UA, printed from `/stops/{slug}/werkblad/`."""
        return await stop_pdf(slug, worksheet_path, "werkblad", request)

    @router.get("/scan/papier.pdf")
    async def paper_scan_pdf(request: Request) -> Response:
        """The scan on paper as PDF/UA, printed from `/scan/papier/`."""
        return await pdf_response(PAPER_SCAN_PATH, "samenwerkingsscan-op-papier.pdf", request)

    async def stop_pdf(slug: str, page: Callable[[str], str], name: str, request: Request) -> Response:
        """The PDF of one stop's `page` (its handout, its werkblad), saved as "<name>-<number>-<slug>.pdf"."""
        station = site().guide.station(slug)
        if station is None:
            raise StarletteHTTPException(404)
        return await pdf_response(page(slug), f"{name}-{station.number}-{slug}.pdf", request)

    async def pdf_response(page_path: str, filename: str, request: Request) -> Response:
        built = site()
        root = request.scope.get("root_path", "").rstrip("/") + "/"
        try:
            body = await pdfs.get(built, page_path, base_url(request))
        except PdfUnavailable as err:
            log.warning("PDF not available: %s", err)
            page = built.renderer.pdf_unavailable(root)
            return HTMLResponse(page, status_code=503, headers={"retry-after": "3600", "cache-control": "no-store"})
        except PdfBusy as err:
            log.warning("PDF refused, printer busy: %s", err)
            page = built.renderer.pdf_unavailable(root, busy=True)
            return HTMLResponse(page, status_code=503, headers={"retry-after": "10", "cache-control": "no-store"})
        headers = {"content-disposition": f'inline; filename="{filename}"', "cache-control": "no-cache"}
        return body_response(request, body, "application/pdf", headers)

    return router


def start_metrics(settings: Settings, api: FastAPI) -> Callable[[], None]:
    """The Prometheus listener of this process (app/metrics.py); returns how to stop it."""

    def count_sessions() -> int | None:
        store = api.state.live_sessions.existing_store()
        return store.count() if store is not None else 0

    return metrics.start_listener(settings.metrics_address, health_version(), count_sessions)
