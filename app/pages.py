"""Render the guide's pages from the Jinja templates: templates → HTML, nothing else.

Jinja is configured here and only here: loader, autoescape, the Markdown filters, globals.
The build (app/build.py) decides which pages exist and what becomes of them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from app import metro, tested
from app.assets import Asset
from app.config import Settings
from app.content import Guide, Station
from app.markdown import ContentHtml, LinkResolver
from app.scan import saved, scale
from app.scan.scale import WORDS
from app.urls import (
    ACCESSIBILITY_PATH,
    BOOKLET_PATH,
    EMBED_PATH,
    PAPER_SCAN_PATH,
    SCAN_PATH,
    Urls,
    slide_path,
    station_path,
    worksheet_path,
)

MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def dutch_date(day: date) -> str:
    """23 november 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# Runs before first paint, so the CSS can hide what JavaScript will show as panels without
# the page jumping. It is the only inline script; the CSP allows it by its hash.
JS_BOOTSTRAP = "document.documentElement.classList.add('js')"
JS_BOOTSTRAP_HASH = "sha256-" + base64.b64encode(hashlib.sha256(JS_BOOTSTRAP.encode()).digest()).decode()


@dataclass(frozen=True)
class Page:
    """One rendered page, by its path from the site root ("", "stops/leiderschap/")."""

    path: str
    body: bytes


def stop_resolver(guide: Guide, urls: Urls) -> LinkResolver:
    """Resolve a link to a stop file ("03-leiderschap") to that stop's URL on a page.

    An image ("afbeeldingen/foto.jpg", from the content folder) resolves to its URL too.
    """
    by_stem = {s.stem: s for s in guide.stations}
    images = {image.name for image in guide.images}

    def resolve(stem: str) -> str | None:
        if stem in images:
            return urls.to(stem)
        station = by_stem.get(stem)
        return urls.station_link(station.slug) if station else None

    return resolve


class Renderer:
    """Turns the guide into HTML with the project's templates."""

    def __init__(
        self,
        guide: Guide,
        settings: Settings,
        assets: dict[str, Asset],
        *,
        html: ContentHtml | None = None,
        base_url: str = "",
        export: bool = False,
        qr: bool = True,
        pdf: bool = True,
    ):
        self.guide = guide
        self.settings = settings
        self.html = html or ContentHtml()
        self.env = Environment(
            loader=FileSystemLoader(settings.templates_dir),
            autoescape=select_autoescape(["html", "svg"]),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["md"] = self._md_filter
        self.env.filters["md_inline"] = self._md_inline_filter
        # A text's first paragraph (its Markdown up to the first blank line): the embed's summary.
        self.env.filters["first_block"] = lambda text: text.strip().split("\n\n", 1)[0]
        stations = [(s.number, s.slug, s.label) for s in guide.stations]
        logo = next((name for name in assets if name.startswith("logo.")), None)
        self.env.globals.update(
            guide=guide,
            site=guide.site,
            # The municipality's own title goes in the header; the source's title stays in the
            # attribution line of the footer.
            site_title=settings.site_title or guide.site.title,
            logo=logo,
            maps=metro.layouts(stations),
            item_scale=scale.item_scale,  # which scale a question is answered on, if any
            split_questions=scale.split_questions,
            js_bootstrap=Markup(f"<script>{JS_BOOTSTRAP}</script>"),
            show_qr=qr,  # QR codes need the guide's public address; an export may not know it
            show_pdf=pdf,  # an export without Chromium has no PDFs to link to
            export=export,
            contact=settings.contact,
            organisation=settings.organisation,  # the privacy page and the statement name it, or ask for it
            log_days=settings.log_days,
            log_addresses=settings.log_addresses,
            min_group=settings.min_group,  # below it a group's figures stay hidden (app/sessions/groups.py)
            traject_days=settings.traject_days,  # how long a traject's counts are kept (privacy page)
            dutch_date=dutch_date,
            tested=tested.load(),  # the makers' accessibility test record, for the statement
        )
        self.base_urls = Urls(index_file=export, assets={a.name: a.hashed for a in assets.values()}, base_url=base_url)

    # -- Markdown in templates ------------------------------------------------------------------

    @pass_context
    def _md_filter(self, context: Context, text: str, level: int = 2) -> Markup:
        return Markup(self.html.block(text, stop_resolver(self.guide, context["urls"]), level=level))

    @pass_context
    def _md_inline_filter(self, context: Context, text: str) -> Markup:
        return Markup(self.html.inline(text, stop_resolver(self.guide, context["urls"])))

    # -- pages ----------------------------------------------------------------------------------

    def render(self, template: str, urls: Urls, page_path: str = "", **context: object) -> str:
        """Render a template; `page_path` is the page's path from the root, for absolute links."""
        return self.env.get_template(template).render(urls=urls, page_path=page_path, **context)

    def index(self) -> str:
        return self.render("index.html", self.base_urls.at("", target="panel"))

    def embed(self) -> str:
        """The map and panels without the site's frame; its script opens `?stop=<slug>`."""
        urls = self.base_urls.at(EMBED_PATH, target="embed")
        return self.render("embed.html", urls, EMBED_PATH, embed=True)

    def station(self, station: Station) -> str:
        before, after = self.guide.neighbours(station)
        path = station_path(station.slug)
        return self.render("station.html", self.base_urls.at(path), path, station=station, before=before, after=after)

    def presentation(self, active: Station | None) -> str:
        """The slide deck, showing the start screen or `active`; every slide has its own URL."""
        path = slide_path(active.slug if active else None)
        return self.render("present.html", self.base_urls.at(path, target="slide"), path, active=active)

    def booklet(self) -> str:
        """All stations as one printable booklet: cover, a page per station, then sources."""
        return self.render("print.html", self.base_urls.at(BOOKLET_PATH, target="booklet"), BOOKLET_PATH)

    def accessibility(self) -> str:
        """The accessibility statement (toegankelijkheidsverklaring), from content/toegankelijkheid.md."""
        path = ACCESSIBILITY_PATH
        return self.render("toegankelijkheid.html", self.base_urls.at(path), path)

    # -- the Samenwerkingsscan without a server (app/scan; app/sessions has the live one) ---------

    def scan(self) -> str:
        """The scan on one device, kept in that browser only: works from the export too."""
        return self.render("scan/scan.html", self.base_urls.at(SCAN_PATH), SCAN_PATH, words=WORDS, saved=saved)

    def paper_scan(self) -> str:
        """The scan on one A4 sheet: the seven statements with 1–5 boxes."""
        path = PAPER_SCAN_PATH
        return self.render("scan/scan_paper.html", self.base_urls.at(path), path, words=WORDS)

    def worksheet(self, station: Station) -> str:
        """A stop's one-page werkblad: statement, discussion questions with room to write, QR code."""
        path = worksheet_path(station.slug)
        return self.render("scan/worksheet.html", self.base_urls.at(path), path, station=station, words=WORDS)

    def not_found(self, root: str) -> str:
        """The Dutch 404 page; it is served at any depth, so its links start at `root`."""
        return self.render("404.html", replace(self.base_urls, root=root))

    def pdf_unavailable(self, root: str, *, busy: bool = False) -> str:
        """The page a PDF request gets when Chromium is missing, or (`busy`) overloaded."""
        return self.render("pdf_unavailable.html", replace(self.base_urls, root=root), busy=busy)

    def pages(self) -> Iterator[Page]:
        """Every page of the guide."""
        yield Page("", self.index().encode())
        for station in self.guide.stations:
            yield Page(station_path(station.slug), self.station(station).encode())
        yield Page(slide_path(), self.presentation(None).encode())
        for station in self.guide.stations:
            yield Page(slide_path(station.slug), self.presentation(station).encode())
        yield Page(BOOKLET_PATH, self.booklet().encode())
        yield Page(EMBED_PATH, self.embed().encode())
        yield Page(ACCESSIBILITY_PATH, self.accessibility().encode())
        yield Page(SCAN_PATH, self.scan().encode())
        yield Page(PAPER_SCAN_PATH, self.paper_scan().encode())
        for station in self.guide.stations:
            yield Page(worksheet_path(station.slug), self.worksheet(station).encode())
