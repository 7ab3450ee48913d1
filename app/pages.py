"""Render the guide's pages once into bytes; routes, static export and PDF all use these.

Jinja is configured here and only here: loader, autoescape, the Markdown filters.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, replace

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from app import markdown, metro
from app.config import Settings, contrast_ratio, darker, text_on
from app.content import Guide, Station
from app.sessions.results import WORDS
from app.urls import Urls

# Runs before first paint, so the CSS can hide what JavaScript will show as panels without
# the page jumping. It is the only inline script; the CSP allows it by its hash.
JS_BOOTSTRAP = "document.documentElement.classList.add('js')"
JS_BOOTSTRAP_HASH = "sha256-" + base64.b64encode(hashlib.sha256(JS_BOOTSTRAP.encode()).digest()).decode()


@dataclass(frozen=True)
class Asset:
    name: str  # as referenced: "app.css"
    hashed: str  # as served: "app.1a2b3c4d.css"
    body: bytes
    media_type: str


@dataclass(frozen=True)
class Page:
    """One rendered page: where the server serves it, where the export writes it."""

    path: str  # "/", "/stops/leiderschap"
    file: str  # "index.html", "stops/leiderschap.html"
    body: bytes
    status: int = 200


def load_assets(settings: Settings) -> dict[str, Asset]:
    """Read static/ into memory with content-hashed names (cacheable for a year).

    The house style travels inside app.css (no extra request); the logo becomes `logo.<ext>`.
    """
    files = {
        p.relative_to(settings.static_dir).as_posix(): p.read_bytes()
        for p in sorted(settings.static_dir.rglob("*"))
        if p.is_file()
    }
    files["app.css"] = files.get("app.css", b"") + theme_css(settings.brand_colour)
    if settings.logo is not None:
        files["logo" + settings.logo.suffix.lower()] = settings.logo.read_bytes()
    assets = {}
    for name, body in files.items():
        digest = hashlib.sha256(body).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        hashed = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
            media_type += "; charset=utf-8"
        assets[name] = Asset(name, hashed, body, media_type)
    return assets


def theme_css(brand: str) -> bytes:
    """Custom properties for the municipality's colour, with readable text and links on it."""
    link = brand
    while contrast_ratio(link, "#ffffff") < 4.5:  # links and coloured text need 4.5:1 on white
        link = darker(link, 0.9)
    return (
        f"\n/* House style (ZEVENSTOPS_BRAND_COLOUR) */\n:root {{ --line: {brand}; --line-dark: {darker(brand)}; "
        f"--on-line: {text_on(brand)}; --link: {link}; }}\n"
    ).encode()


class Renderer:
    """Turns the guide into HTML with the project's templates."""

    def __init__(
        self, guide: Guide, settings: Settings, assets: dict[str, Asset], *, qr: bool = True, pdf: bool = True
    ):
        self.guide = guide
        self.settings = settings
        self.md = markdown.make_markdown()
        self.env = Environment(
            loader=FileSystemLoader(settings.templates_dir),
            autoescape=select_autoescape(["html", "svg"]),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["md"] = self._md_filter
        self.env.filters["md_inline"] = self._md_inline_filter
        stations = [(s.number, s.slug, s.label) for s in guide.stations]
        site = replace(guide.site, title=settings.site_title) if settings.site_title else guide.site
        logo = next((name for name in assets if name.startswith("logo.")), None)
        self.env.globals.update(
            guide=guide,
            site=site,
            logo=logo,
            maps=metro.layouts(stations),
            js_bootstrap=Markup(f"<script>{JS_BOOTSTRAP}</script>"),
            show_qr=qr,  # QR codes need the guide's public address; an export may not know it
            show_pdf=pdf,  # an export without Chromium has no PDFs to link to
        )
        self.base_urls = Urls(assets={a.name: a.hashed for a in assets.values()}, base_url=settings.base_url)
        self._by_stem = {s.stem: s for s in guide.stations}

    # -- Markdown in templates ------------------------------------------------------------------

    def _resolver(self, urls: Urls):
        def resolve(stem: str) -> str | None:
            station = self._by_stem.get(stem)
            return urls.station_link(station.slug) if station else None

        return resolve

    @pass_context
    def _md_filter(self, context: Context, text: str, level: int = 2) -> Markup:
        resolve = self._resolver(context["urls"])
        return Markup(markdown.render(self.md, text, resolve, level=level))

    @pass_context
    def _md_inline_filter(self, context: Context, text: str) -> Markup:
        return Markup(markdown.render_inline(self.md, text, self._resolver(context["urls"])))

    # -- pages ----------------------------------------------------------------------------------

    def render(self, template: str, urls: Urls, page_path: str = "", **context: object) -> str:
        """Render a template; `page_path` is the page's path from the root, for absolute links."""
        return self.env.get_template(template).render(urls=urls, page_path=page_path, **context)

    def index(self, urls: Urls) -> str:
        return self.render("index.html", urls.at(0, target="panel"))

    def embed(self, urls: Urls, open_stop: Station | None = None) -> str:
        """The map and panels without the site's frame, for an iframe on an intranet page."""
        path = "embed" + (f"?stop={open_stop.slug}" if open_stop else "")
        slug = open_stop.slug if open_stop else None
        return self.render("embed.html", urls.at(0, target="panel"), path, embed=True, open_stop=slug)

    def station(self, station: Station, urls: Urls) -> str:
        before, after = self.guide.neighbours(station)
        path = f"stops/{station.slug}"
        return self.render("station.html", urls.at(1), path, station=station, before=before, after=after)

    def presentation(self, active: Station | None, urls: Urls) -> str:
        """The slide deck, showing the start screen or `active`; every slide has its own URL."""
        path = f"present/{active.slug}" if active else "present/"
        return self.render("present.html", urls.at(1, target="slide"), path, active=active)

    def booklet(self, urls: Urls) -> str:
        """All stations as one printable booklet: cover, a page per station, then sources."""
        return self.render("print.html", urls.at(0), "print")

    # -- the Samenwerkingsscan without a server (app/sessions has the live one) ------------------

    def scan(self, urls: Urls) -> str:
        """The scan on one device, kept in that browser only: works from the export too."""
        return self.render("sessions/scan.html", urls.at(1), "scan/", words=WORDS)

    def paper_scan(self, urls: Urls) -> str:
        """The scan on one A4 sheet: the seven statements with 1–5 boxes."""
        return self.render("sessions/scan_paper.html", urls.at(1), "scan/papier", words=WORDS)

    def worksheet(self, station: Station, urls: Urls) -> str:
        """A stop's one-page werkblad: statement, discussion questions with room to write, QR code."""
        path = f"stops/{station.slug}/werkblad"
        return self.render("sessions/worksheet.html", urls.at(2), path, station=station, words=WORDS)

    def not_found(self) -> str:
        # Served at any depth, so its links start at the site root.
        return self.render("404.html", replace(self.base_urls, root="/"))

    def pages(self, *, export: bool = False) -> Iterator[Page]:
        """Every page of the guide; `export` gives links that work from disk."""
        urls = self.base_urls
        if export:
            urls = replace(urls, suffix=".html")
        yield Page("/", "index.html", self.index(urls).encode())
        for station in self.guide.stations:
            yield Page(f"/stops/{station.slug}", f"stops/{station.slug}.html", self.station(station, urls).encode())
        yield Page("/present/", "present/index.html", self.presentation(None, urls).encode())
        for station in self.guide.stations:
            body = self.presentation(station, urls).encode()
            yield Page(f"/present/{station.slug}", f"present/{station.slug}.html", body)
        yield Page("/print", "print.html", self.booklet(urls).encode())
        yield Page("/scan/", "scan/index.html", self.scan(urls).encode())
        yield Page("/scan/papier", "scan/papier.html", self.paper_scan(urls).encode())
        for station in self.guide.stations:
            body = self.worksheet(station, urls).encode()
            yield Page(f"/stops/{station.slug}/werkblad", f"stops/{station.slug}/werkblad.html", body)
        yield Page("/embed", "embed.html", self.embed(urls).encode())
        if not export:  # a file on disk has no query string; the export's embed opens by #slug
            for station in self.guide.stations:
                yield Page(f"/embed?stop={station.slug}", "", self.embed(urls, station).encode())
