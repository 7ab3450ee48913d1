"""The JSON API and oEmbed: for intranet developers who render the content their own way.

Models are typed (pydantic), so /docs documents them and clients can validate against them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.build import Site
from app.content import Guide, Station
from app.pages import stop_resolver
from app.urls import BOOKLET_PATH, EMBED_PATH, SLIDES_PATH, STATIONS_PATH, absolute

EMBED_HEIGHT = 640  # a sensible first height; the embed then reports its real height
EMBED_WIDTH = 800  # wider than any intranet column: the iframe takes the column's width up to this
# The content changes only with a new build: a client or proxy may keep an answer five minutes.
API_CACHE = "max-age=300"
ERROR_CACHE = "no-store"


def _cacheable(response: Response) -> None:
    response.headers["cache-control"] = API_CACHE


class Quote(BaseModel):
    html: str = Field(description="Het citaat, letterlijk, als HTML (met aanhalingstekens)")
    who: str | None = Field(None, description="De rol van de spreker, waar de bron die noemt, als HTML (inline)")
    source: str = Field(description="Document en pagina of hoofdstuk, als HTML (inline)")


class Example(BaseModel):
    title: str = Field(description="Titel, als HTML (inline)")
    where: str = Field(description="Regio of gemeenten, als HTML (inline)")
    html: str = Field(description="Wat er gebeurde, als HTML")
    lesson: str = Field(description="De les, als HTML (inline)")
    source: str = Field(description="De bron, als HTML (inline)")


class StationUrls(BaseModel):
    page: str = Field(description="De eigen pagina van de halte (de hand-out om af te drukken)")
    embed: str = Field(description="De insluitbare weergave, geopend op deze halte")
    pdf: str


class StopSummary(BaseModel):
    number: int
    slug: str
    title: str
    label: str = Field(description="De korte naam op de kaart")
    url: str = Field(description="Deze halte in de API")


class Stop(BaseModel):
    number: int
    slug: str
    title: str
    label: str
    statement_html: str = Field(description="De uitspraak van de halte zoals op de oorspronkelijke kaart, als HTML")
    explanation_html: str
    quotes: list[Quote]
    examples: list[Example]
    questions: list[str] = Field(description="Vragen en stellingen voor het gesprek, als HTML")
    sources: list[str] = Field(description="Bronvermeldingen, als HTML")
    pages: str = Field(description="Pagina's in de VNG-publicatie")
    urls: StationUrls


class StopList(BaseModel):
    title: str
    subtitle: str
    stops: list[StopSummary]


class OEmbed(BaseModel):
    """Een oEmbed 1.0-antwoord van het type rich (https://oembed.com)."""

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


def make_router(get_site: Callable[[], Site], base_url: Callable[[Request], str]) -> APIRouter:
    """Routes for /api/stops and /oembed, reading the build that is served now.

    Content fields are rendered by the build's own renderer (app/markdown.py ContentHtml), so
    the API carries the same HTML as the pages; links are full addresses under `base_url`.
    """
    router = APIRouter(dependencies=[Depends(_cacheable)])
    no_store = {"cache-control": ERROR_CACHE}
    rendered: OrderedDict[tuple[str, str, str], Stop] = OrderedDict()  # (build, slug, base URL) -> Stop

    def cached_stop(site: Site, station: Station, base: str) -> Stop:
        """One stop as the API shows it, rendered once per build and address (a bounded few)."""
        key = (site.version, station.slug, base)
        if key not in rendered:
            rendered[key] = stop_model(site, station, base)
            while len(rendered) > 64:
                rendered.popitem(last=False)
        return rendered[key]

    def stop_model(site: Site, station: Station, base: str) -> Stop:
        urls = absolute(base)
        resolve = stop_resolver(site.guide, urls)

        def html(text: str) -> str:
            return site.html.block(text, resolve)

        def inline(text: str) -> str:
            return site.html.inline(text, resolve)

        return Stop(
            number=station.number,
            slug=station.slug,
            title=station.title,
            label=station.label,
            statement_html=html(station.statement),
            explanation_html=html(station.explanation),
            quotes=[
                Quote(html=body, who=inline(q.who) if q.who else None, source=inline(q.source))
                for q, body in zip(station.quotes, site.html.quotes(station.quotes_md, resolve), strict=True)
            ],
            examples=[
                Example(
                    title=inline(e.title),
                    where=inline(e.where),
                    html=html(e.text),
                    lesson=inline(e.lesson),
                    source=inline(e.source),
                )
                for e in station.examples
            ],
            questions=[inline(q) for q in station.questions],
            sources=[inline(s) for s in station.sources],
            pages=station.pages,
            urls=StationUrls(
                page=urls.station(station.slug), embed=urls.embed(station.slug), pdf=urls.pdf(station.slug)
            ),
        )

    @router.get("/api/stops", response_model=StopList, tags=["haltes"], summary="Alle haltes op de lijn")
    async def list_stops(request: Request) -> StopList:
        guide, base = get_site().guide, base_url(request)
        return StopList(
            title=guide.site.title,
            subtitle=guide.site.subtitle,
            stops=[
                StopSummary(
                    number=s.number,
                    slug=s.slug,
                    title=s.title,
                    label=s.label,
                    url=absolute(base).to(f"api/stops/{s.slug}"),
                )
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
        site = get_site()
        station = site.guide.station(slug)
        if station is None:
            return JSONResponse({"detail": f"Onbekende halte: {slug!r}"}, status_code=404, headers=no_store)
        return cached_stop(site, station, base_url(request))

    @router.get(
        "/oembed",
        response_model=OEmbed,
        responses={404: {"model": ApiError}, 501: {"model": ApiError}},
        tags=["insluiten"],
        summary="oEmbed voor de kaart of een halte",
    )
    async def oembed(
        request: Request,
        url: str = Query(description="Adres van de kaartpagina of van een haltepagina"),
        maxwidth: int | None = Query(None, ge=1),
        maxheight: int | None = Query(None, ge=1),
        format: str = Query("json"),
    ) -> OEmbed | JSONResponse:
        if format != "json":
            return JSONResponse({"detail": "Alleen format=json wordt ondersteund."}, status_code=501, headers=no_store)
        guide, base = get_site().guide, base_url(request)
        station = _page_station(guide, url, base)
        if station is False:
            return JSONResponse({"detail": f"Geen pagina van deze gids: {url!r}"}, status_code=404, headers=no_store)
        src = absolute(base).embed(station.slug if station else None)
        title = f"{guide.site.title}: " + (
            f"halte {station.number}, {station.title}" if station else guide.site.subtitle
        )
        width = min(maxwidth or EMBED_WIDTH, EMBED_WIDTH)
        height = min(maxheight or EMBED_HEIGHT, EMBED_HEIGHT)
        html = embed_html(src, title, width, height)
        return OEmbed(
            title=title, provider_name=guide.site.title, provider_url=base, html=html, width=width, height=height
        )

    return router


# The "Insluiten" snippet's height listener (templates/index.html shows the same lines, a test
# holds them equal): the embed posts its height, the host page's iframe takes it.
HEIGHT_LISTENER = """<script>
window.addEventListener("message", function (event) {
  var data = event.data;
  if (!data || data.type !== "zevenstops:height") return;
  document.querySelectorAll("iframe[data-zevenstops]").forEach(function (frame) {
    if (frame.contentWindow === event.source) frame.style.height = data.height + "px";
  });
});
</script>"""


def embed_html(src: str, title: str, width: int, height: int) -> str:
    """The iframe a host pastes: the column's width up to `width`, centred, `height` tall, and the listener.

    A registered provider's HTML goes into the page as it is (WordPress trusts it), so the
    listener makes the frame grow with the guide, as the snippet does. A host that strips script
    (a discovered embed, Drupal's own frame) keeps the iframe: the embed then scrolls inside
    this height (docs/deploy.md).
    """
    style = f"display:block;width:100%;max-width:{width}px;height:{height}px;margin:0 auto;border:0"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}" '
        f'style="{style}" loading="lazy" data-zevenstops></iframe>\n{HEIGHT_LISTENER}'
    )


def _page_station(guide: Guide, url: str, base: str) -> Station | Literal[False] | None:
    """Which page `url` is: None for the map page, a station, or False if it is none of ours."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        if not url.startswith(base):
            return False
        path = url[len(base) :]
    else:
        path = parts.path.lstrip("/")
    path = urlsplit(path).path.strip("/").removesuffix("index.html").removesuffix(".html").strip("/")
    if path in ("", "index", *(page.strip("/") for page in (EMBED_PATH, SLIDES_PATH, BOOKLET_PATH))):
        return None
    for prefix in (STATIONS_PATH, SLIDES_PATH):
        if path.startswith(prefix):
            return guide.station(path.removeprefix(prefix)) or False
    return False
