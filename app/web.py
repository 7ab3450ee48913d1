"""The web app: a thin ASGI layer serves pre-rendered bytes from memory; FastAPI does the rest.

Requests for pages and static files never reach the router: they are a dictionary lookup
(measured: close to a bare ASGI app, where FastAPI's routing reaches about a third). FastAPI
keeps what is dynamic: the JSON API and its docs, oEmbed, QR codes, PDFs, the health check
and the Dutch 404 page.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import brotli
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import sessions
from app.api import make_router
from app.config import Settings
from app.content import ContentError, Guide, load_guide
from app.pages import JS_BOOTSTRAP_HASH, Renderer, load_assets
from app.pdf import Fetched, PdfPrinter, PdfUnavailable
from app.qr import qr_svg

log = logging.getLogger("zevenstops")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = tuple[tuple[bytes, bytes], ...]

HTML = "text/html; charset=utf-8"
PAGE_CACHE = "no-cache"  # always revalidate: the ETag makes that a cheap 304
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")


def security_headers(frame_ancestors: str = "'self'", script_hash: str = JS_BOOTSTRAP_HASH) -> Headers:
    """Headers every response carries. Only the embed may be framed by other origins."""
    csp = (
        "default-src 'self'; "
        f"script-src 'self' '{script_hash}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    # X-Frame-Options cannot name other origins: it says SAMEORIGIN exactly when the CSP does,
    # and is left out where the CSP lets other origins frame the page.
    if frame_ancestors == "'self'":
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    elif frame_ancestors == "'none'":
        headers.append((b"x-frame-options", b"DENY"))
    return tuple(headers)


def embed_frame_ancestors(settings: Settings) -> str:
    return " ".join(settings.frame_ancestors)


@dataclass(frozen=True)
class Resource:
    """A response prepared once: body, its compressed forms, and the headers they share.

    Brotli is kept where it is smaller than gzip (about 13 % on the map page); browsers ask for
    it over HTTPS only, so plain-HTTP clients get gzip.
    """

    body: bytes
    gzipped: bytes | None
    etag: bytes
    headers: Headers
    status: int = 200
    brotli: bytes | None = None

    @classmethod
    def make(
        cls, body: bytes, media_type: str, cache: str, status: int = 200, security: Headers | None = None
    ) -> Resource:
        etag = b'"' + hashlib.sha256(body).hexdigest()[:20].encode() + b'"'
        gzipped = compressed = None
        if media_type.startswith(COMPRESSIBLE) and len(body) > 512:
            gzipped = gzip.compress(body, compresslevel=9, mtime=0)
            compressed = brotli.compress(body, quality=11)
            if len(compressed) >= len(gzipped):
                compressed = None
        headers = (
            (b"content-type", media_type.encode()),
            (b"cache-control", cache.encode()),
            (b"etag", etag),
            (b"vary", b"Accept-Encoding"),
            *(security if security is not None else security_headers()),
        )
        return cls(body, gzipped, etag, headers, status, compressed)


METHOD_NOT_ALLOWED = Resource(
    b"Methode niet toegestaan: deze gids kan alleen gelezen worden (GET, HEAD).\n",
    None,
    b'"405"',
    (
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"allow", b"GET, HEAD"),
        (b"cache-control", b"no-store"),
        *security_headers(),
    ),
    status=405,
)


@dataclass(frozen=True)
class Site:
    """Everything the server answers from memory, built from one loaded guide."""

    guide: Guide
    resources: dict[str, Resource]  # by path, or path?query for the embed opened on a stop
    not_found: Resource
    pdf_unavailable: bytes  # the 503 page: what to install to get PDFs
    build: str  # changes when any served byte does (content, templates or assets)
    renderer: Renderer | None = None  # for pages rendered per request (live sessions)

    def fetch(self, path: str, base_url: str) -> Fetched | None:
        """A path as Chromium asks for it when printing: pages, assets and QR codes."""
        if path.startswith("/qr/") and path.endswith(".svg"):
            target = self.qr_target(path[4:-4], base_url)
            return Fetched(200, "image/svg+xml", qr_svg(target)) if target else None
        resource = self.resources.get(path)
        if resource is None:
            return None
        content_type = dict(resource.headers)[b"content-type"].decode()
        return Fetched(resource.status, content_type, resource.body)

    def qr_target(self, name: str, base_url: str) -> str | None:
        """The address a QR code leads to: the guide itself ("gids") or one stop."""
        if name == "gids":
            return base_url
        return f"{base_url}stops/{name}" if self.guide.station(name) else None


def build_site(settings: Settings, *, qr: bool = True) -> Site:
    """Load, validate and render the guide; raises ContentError when the content is bad.

    `qr=False` leaves QR codes out of the pages, for output whose public address is unknown.
    """
    guide = load_guide(settings.content_dir)
    assets = load_assets(settings)
    renderer = Renderer(guide, settings, assets, qr=qr)
    embed_security = security_headers(embed_frame_ancestors(settings))
    resources: dict[str, Resource] = {}
    for page in renderer.pages():
        security = embed_security if page.path.startswith("/embed") else None
        resources[page.path] = Resource.make(page.body, HTML, PAGE_CACHE, security=security)
    for asset in assets.values():
        resources[f"/static/{asset.hashed}"] = Resource.make(asset.body, asset.media_type, IMMUTABLE)
        resources[f"/static/{asset.name}"] = Resource.make(asset.body, asset.media_type, PAGE_CACHE)
    favicon = assets["favicon.svg"]
    resources["/favicon.ico"] = Resource.make(favicon.body, favicon.media_type, PAGE_CACHE)
    not_found = Resource.make(renderer.not_found().encode(), HTML, "no-store", status=404)
    unavailable = renderer.render("pdf_unavailable.html", renderer.base_urls.at(0)).encode()
    build = hashlib.sha256(b"".join(r.etag for r in resources.values())).hexdigest()[:12]
    return Site(guide, resources, not_found, unavailable, build, renderer)


class PageServer:
    """Pure ASGI: answer GET/HEAD for known paths from memory, pass the rest to `app`."""

    def __init__(self, app: ASGIApp, site: Site):
        self.app = app
        self.site = site
        self.security = security_headers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        resources = self.site.resources
        if scope["method"] not in ("GET", "HEAD") and scope["path"] in resources:
            # Pages and assets are only read; other methods go to FastAPI (live sessions take POST).
            await self.respond(scope, send, METHOD_NOT_ALLOWED)
            return
        resource = resources.get(scope["path"])
        if resource is not None:
            query = scope.get("query_string", b"")
            if query:
                resource = resources.get(f"{scope['path']}?{query.decode('latin-1')}", resource)
            await self.respond(scope, send, resource)
            return

        async def send_secured(message: Message) -> None:
            # What FastAPI answers carries the same security headers as the pages.
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in self.security if h[0] not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_secured)

    @staticmethod
    async def respond(scope: Scope, send: Send, resource: Resource) -> None:
        if_none_match = accept_encoding = b""
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                if_none_match = value
            elif name == b"accept-encoding":
                accept_encoding = value
        headers = list(resource.headers)
        if if_none_match and resource.etag in if_none_match.replace(b"W/", b"").split(b", "):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body = resource.body
        if resource.gzipped is not None and accept_encoding:
            accepted = _encodings(accept_encoding)
            if resource.brotli is not None and b"br" in accepted:
                body = resource.brotli
                headers.append((b"content-encoding", b"br"))
            elif b"gzip" in accepted:
                body = resource.gzipped
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": resource.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def _encodings(accept_encoding: bytes) -> set[bytes]:
    """The codings a client accepts: `gzip, br;q=1.0, deflate;q=0` -> {gzip, br}."""
    accepted = set()
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        if params.replace(b" ", b"") not in (b"q=0", b"q=0.0", b"q=0.00", b"q=0.000"):
            accepted.add(coding.strip())
    return accepted


def create_app(settings: Settings | None = None, *, watch: bool = False) -> ASGIApp:
    """The whole application. Raises ContentError if the content does not validate.

    With `watch`, content, template and static edits are picked up while running; an edit
    that breaks the content is logged and the last good guide stays online.
    """
    settings = settings or Settings.from_env()
    site = build_site(settings)
    printer = PdfPrinter()
    pdfs: dict[tuple[str, str, str], bytes] = {}  # (site build, path, base URL) -> PDF

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        task = asyncio.create_task(_watch(settings, server)) if watch else None
        yield
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
    )

    def base_url(request: Request) -> str:
        """The public address: configured, or else the one this request came in on."""
        url = settings.base_url or str(request.base_url)
        return url if url.endswith("/") else url + "/"

    api.include_router(make_router(lambda: server.site.guide, base_url))
    _offline_docs(api)

    @api.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        guide = server.site.guide
        return JSONResponse({"status": "ok", "stations": len(guide.stations), "content_version": guide.version})

    @api.get("/present", include_in_schema=False)
    async def present() -> RedirectResponse:
        return RedirectResponse("present/", status_code=308)

    @api.get("/qr/{name}.svg", include_in_schema=False)
    async def qr(name: str, request: Request) -> Response:
        target = server.site.qr_target(name, base_url(request))
        if target is None:
            raise StarletteHTTPException(404)
        return Response(qr_svg(target), media_type="image/svg+xml", headers={"cache-control": "no-cache"})

    @api.get("/stops/{slug}.pdf", include_in_schema=False)
    async def station_pdf(slug: str, request: Request) -> Response:
        station = server.site.guide.station(slug)
        if station is None:
            raise StarletteHTTPException(404)
        return await pdf_response(f"/stops/{slug}", f"halte-{station.number}-{slug}.pdf", request)

    @api.get("/guide.pdf", include_in_schema=False)
    async def guide_pdf(request: Request) -> Response:
        return await pdf_response("/print", "zeven-stops.pdf", request)

    async def pdf_response(path: str, filename: str, request: Request) -> Response:
        site, base = server.site, base_url(request)
        key = (site.build, path, base)
        body = pdfs.get(key)
        if body is None:
            try:
                body = await printer.print_pdf(path, lambda p: site.fetch(p, base))
            except PdfUnavailable as err:
                log.warning("PDF not available: %s", err)
                return HTMLResponse(site.pdf_unavailable, status_code=503, headers={"retry-after": "3600"})
            if len(pdfs) > 64:  # content changed many times while running: start afresh
                pdfs.clear()
            pdfs[key] = body
        headers = {"content-disposition": f'inline; filename="{filename}"', "cache-control": "no-cache"}
        return Response(body, media_type="application/pdf", headers=headers)

    def render(template: str, page_path: str = "", *, adapt: Any = None, **context: Any) -> str:
        renderer = server.site.renderer
        assert renderer is not None
        urls = renderer.base_urls.at(page_path.count("/"))
        return renderer.render(template, adapt(urls) if adapt else urls, page_path, **context)

    sessions.install(
        api,
        settings=settings,
        get_guide=lambda: server.site.guide,
        render=render,
        base_url=base_url,
        fetch=lambda path, base: server.site.fetch(path, base),
        printer=printer,
    )

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.method not in ("GET", "HEAD") and exc.status_code in (404, 405):
            # No route takes this method here: the same plain Dutch 405 as the pages give.
            given = {k.lower(): v for k, v in (exc.headers or {}).items()} if exc.status_code == 405 else {}
            allowed = [m.strip() for m in given.get("allow", "GET").split(",")]
            allowed += ["HEAD"] if "GET" in allowed and "HEAD" not in allowed else []
            allow = ", ".join(allowed)
            body = f"Methode niet toegestaan: hier kan alleen {allow}.\n"
            headers = {"allow": allow, "cache-control": "no-store"}
            return Response(body, 405, headers=headers, media_type="text/plain; charset=utf-8")
        if exc.status_code == 404:
            if request.url.path.startswith("/api/"):
                return JSONResponse({"detail": "Niet gevonden"}, status_code=404)
            page = server.site.not_found
            return HTMLResponse(page.body, status_code=404, headers={"cache-control": "no-store"})
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    server = PageServer(api, site)
    return server


def _offline_docs(api: FastAPI) -> None:
    """OpenAPI docs at /docs with Swagger UI served from this origin (fastapi-offline's copy).

    Swagger UI starts with one inline script; the CSP allows exactly that script by its hash.
    """
    from fastapi_offline.core import _STATIC_PATH

    api.mount("/docs-static", StaticFiles(directory=_STATIC_PATH), name="docs-static")

    @api.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json",
            title="Zeven stops — API",
            swagger_js_url=f"{root}/docs-static/swagger-ui-bundle.js",
            swagger_css_url=f"{root}/docs-static/swagger-ui.css",
            swagger_favicon_url=f"{root}/favicon.ico",
        )
        body = page.body
        scripts = re.findall(rb"<script>(.*?)</script>", body, re.S)
        digest = base64.b64encode(hashlib.sha256(scripts[-1] if scripts else b"").digest()).decode()
        csp = dict(security_headers(script_hash=f"sha256-{digest}"))[b"content-security-policy"]
        # Swagger UI sets inline styles on its widgets.
        csp = csp.replace(b"style-src 'self'", b"style-src 'self' 'unsafe-inline'")
        return HTMLResponse(body, headers={"content-security-policy": csp.decode()})


async def _watch(settings: Settings, server: PageServer) -> None:
    """Rebuild the site when its files change; keep the last good one when a change is bad."""
    from watchfiles import awatch

    paths = [settings.content_dir, settings.templates_dir, settings.static_dir]
    async for _changes in awatch(*paths):
        try:
            server.site = await asyncio.to_thread(build_site, settings)
        except ContentError as err:
            log.error("Content has problems; still serving the last good version:\n%s", err)
        except Exception:  # a template error must not take the running guide down
            log.exception("Could not rebuild; still serving the last good version")
        else:
            log.info("Reloaded content (version %s)", server.site.guide.version)
