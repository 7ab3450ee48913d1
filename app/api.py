"""The JSON API and oEmbed: for intranet developers who render the content their own way.

Models are typed (pydantic), so /docs documents them and clients can validate against them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app import markdown
from app.content import Guide, Station

EMBED_HEIGHT = 640  # a sensible first height; the embed then reports its real height


class Quote(BaseModel):
    html: str = Field(description="The quote, verbatim, as HTML (without quotation marks)")
    who: str | None = Field(None, description="The speaker's role, where the source gives it")
    source: str = Field(description="Document and page or chapter")


class Example(BaseModel):
    title: str
    where: str = Field(description="Region or municipalities")
    html: str = Field(description="What happened, as HTML")
    lesson: str
    source: str


class StationUrls(BaseModel):
    page: str = Field(description="The station's own page (the printable handout)")
    embed: str = Field(description="The embeddable view opened on this station")
    pdf: str


class StopSummary(BaseModel):
    number: int
    slug: str
    title: str
    label: str = Field(description="The short name on the map")
    url: str = Field(description="This stop in the API")


class Stop(BaseModel):
    number: int
    slug: str
    title: str
    label: str
    statement_html: str = Field(description="The stop's statement as on the original map")
    explanation_html: str
    quotes: list[Quote]
    examples: list[Example]
    questions: list[str] = Field(description="Questions and statements for discussion, as HTML")
    sources: list[str] = Field(description="References, as HTML")
    pages: str = Field(description="Pages in the VNG publication")
    urls: StationUrls


class StopList(BaseModel):
    title: str
    subtitle: str
    stops: list[StopSummary]


class OEmbed(BaseModel):
    """An oEmbed 1.0 response of type rich (https://oembed.com)."""

    type: Literal["rich"] = "rich"
    version: Literal["1.0"] = "1.0"
    title: str
    provider_name: str
    provider_url: str
    html: str
    width: int
    height: int
    cache_age: int = 86400


class ApiError(BaseModel):
    detail: str


def make_router(get_guide: Callable[[], Guide], base_url: Callable[[Request], str]) -> APIRouter:
    """Routes for /api/stops and /oembed, reading the guide that is loaded now."""
    router = APIRouter()
    md = markdown.make_markdown()

    rendered: dict[tuple[str, str, str], Stop] = {}  # (content version, slug, base URL) -> Stop

    def cached_stop(guide: Guide, station: Station, base: str) -> Stop:
        """One stop as the API shows it, rendered once per content version and address."""
        key = (guide.version, station.slug, base)
        if key not in rendered:
            if len(rendered) > 256:  # many versions or addresses over time: start afresh
                rendered.clear()
            rendered[key] = stop_model(guide, station, base)
        return rendered[key]

    def stop_model(guide: Guide, station: Station, base: str) -> Stop:
        def html(text: str) -> str:
            return markdown.render(md, text, lambda stem: _stem_url(guide, stem, base))

        def inline(text: str) -> str:
            return markdown.render_inline(md, text, lambda stem: _stem_url(guide, stem, base))

        return Stop(
            number=station.number,
            slug=station.slug,
            title=station.title,
            label=station.label,
            statement_html=html(station.statement),
            explanation_html=html(station.explanation),
            quotes=[Quote(html=html(q.text), who=q.who or None, source=inline(q.source)) for q in station.quotes],
            examples=[
                Example(title=e.title, where=e.where, html=html(e.text), lesson=e.lesson, source=e.source)
                for e in station.examples
            ],
            questions=[inline(q) for q in station.questions],
            sources=[inline(s) for s in station.sources],
            pages=station.pages,
            urls=StationUrls(
                page=f"{base}stops/{station.slug}",
                embed=f"{base}embed?stop={station.slug}",
                pdf=f"{base}stops/{station.slug}.pdf",
            ),
        )

    @router.get("/api/stops", response_model=StopList, tags=["haltes"], summary="Alle haltes op de lijn")
    async def list_stops(request: Request) -> StopList:
        guide, base = get_guide(), base_url(request)
        return StopList(
            title=guide.site.title,
            subtitle=guide.site.subtitle,
            stops=[
                StopSummary(number=s.number, slug=s.slug, title=s.title, label=s.label, url=f"{base}api/stops/{s.slug}")
                for s in guide.stations
            ],
        )

    @router.get(
        "/api/stops/{slug}",
        response_model=Stop,
        responses={404: {"model": ApiError, "description": "Onbekende halte"}},
        tags=["haltes"],
        summary="Eén halte met toelichting, citaten en praktijkvoorbeelden",
    )
    async def get_stop(slug: str, request: Request) -> Stop | JSONResponse:
        guide = get_guide()
        station = guide.station(slug)
        if station is None:
            return JSONResponse({"detail": f"Onbekende halte: {slug!r}"}, status_code=404)
        return cached_stop(guide, station, base_url(request))

    @router.get(
        "/oembed",
        response_model=OEmbed,
        responses={404: {"model": ApiError}, 501: {"model": ApiError}},
        tags=["insluiten"],
        summary="oEmbed voor de kaart of een halte",
    )
    async def oembed(
        request: Request,
        url: str = Query(description="Address of the map page or of a station page"),
        maxwidth: int | None = Query(None, ge=1),
        maxheight: int | None = Query(None, ge=1),
        format: str = Query("json"),
    ) -> OEmbed | JSONResponse:
        if format != "json":
            return JSONResponse({"detail": "Alleen format=json wordt ondersteund."}, status_code=501)
        guide, base = get_guide(), base_url(request)
        station = _page_station(guide, url, base)
        if station is False:
            return JSONResponse({"detail": f"Geen pagina van deze gids: {url!r}"}, status_code=404)
        src = f"{base}embed" + (f"?stop={station.slug}" if station else "")
        title = f"{guide.site.title}: " + (
            f"halte {station.number}, {station.title}" if station else guide.site.subtitle
        )
        width = min(maxwidth or 800, 800)
        height = min(maxheight or EMBED_HEIGHT, EMBED_HEIGHT)
        html = (
            f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}" '
            'style="width:100%;max-width:100%;border:0" loading="lazy" data-zevenstops></iframe>'
        )
        return OEmbed(
            title=title, provider_name=guide.site.title, provider_url=base, html=html, width=width, height=height
        )

    return router


def _stem_url(guide: Guide, stem: str, base: str) -> str | None:
    station = next((s for s in guide.stations if s.stem == stem), None)
    return f"{base}stops/{station.slug}" if station else None


def _page_station(guide: Guide, url: str, base: str) -> Station | Literal[False] | None:
    """Which page `url` is: None for the map page, a station, or False if it is none of ours."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if not url.startswith(base):
            return False
        path = url[len(base) :]
    else:
        path = parts.path.lstrip("/")
    path = urlsplit(path).path.strip("/").removesuffix(".html")
    if path in ("", "index", "embed", "present", "print"):
        return None
    for prefix in ("stops/", "present/"):
        if path.startswith(prefix):
            return guide.station(path.removeprefix(prefix)) or False
    return False
