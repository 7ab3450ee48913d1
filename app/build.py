"""Render path 1, the build: load the guide once, render it once, into `path → Entry`.

Every page that is the same for every visitor comes from here (the MkDocs model): the map, the
stops, the presentation, the booklet, the scan and werkbladen, the statement, every asset and QR
code, and the 404 page under each root. The server wraps the entries in responses, the static
export writes them as files, the PDF printer lets Chromium read them; none of them renders a
template of its own, so what they show cannot drift apart.

Render path 2, at request time, is for what depends on the request or the database: the pages
of a live session (`Live.page` in app/sessions/live.py), `/docs` (app/apidocs.py, once per
build) and the 503 page of the PDF service (app/web.py). They use the same `Renderer` the build
made (`Site.renderer`), so their layout, filters and URLs are the build's.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from app.assets import load_assets
from app.config import Settings
from app.content import Guide, load_guide
from app.markdown import ContentHtml
from app.pages import Renderer
from app.qr import qr_svg
from app.urls import EMBED_PATH, LIVE_JOIN_PATH, ROBOTS_PATH, SESSIONS_PATH, SITEMAP_PATH, qr_path, station_path

HTML = "text/html; charset=utf-8"
SVG = "image/svg+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
XML = "application/xml; charset=utf-8"

NOT_FOUND_KEPT = 8  # 404 pages kept, one per root path (see Site.not_found)


@dataclass(frozen=True)
class Entry:
    media_type: str
    body: bytes
    immutable: bool = False  # named by its content hash: cacheable for a year


@dataclass(frozen=True)
class Site:
    """The built guide: every entry by its path from the root ("/", "/stops/x/", "/static/…")."""

    guide: Guide
    entries: Mapping[str, Entry]
    renderer: Renderer
    html: ContentHtml  # the content renderer, shared with the API
    base_url: str  # the public address the build knew ("" when requests must tell it)
    version: str  # changes when any byte of any entry does
    _not_found: OrderedDict[str, Entry] = field(default_factory=OrderedDict, compare=False, repr=False)

    def not_found(self, root: str) -> Entry:
        """The 404 page with links from `root` (the path the guide is served under, e.g. "/zevenstops/").

        The one cache of 404 pages: root paths come from configuration, so a handful at most
        are in use; the least recently used beyond NOT_FOUND_KEPT is dropped.
        """
        entry = self._not_found.get(root)
        if entry is None:
            entry = self._not_found[root] = Entry(HTML, self.renderer.not_found(root).encode())
            while len(self._not_found) > NOT_FOUND_KEPT:
                self._not_found.popitem(last=False)
        else:
            self._not_found.move_to_end(root)
        return entry

    def qr_target(self, name: str, base_url: str) -> str | None:
        """The address a QR code leads to: the guide itself ("gids") or one stop."""
        if name == "gids":
            return base_url
        return base_url + station_path(name) if self.guide.station(name) else None

    def fetch(self, path: str, base_url: str) -> Entry | None:
        """What a path answers when Chromium prints: entries, and QR codes for `base_url`."""
        entry = self.entries.get(path)
        if entry is None and path.endswith("/index.html"):
            entry = self.entries.get(path.removesuffix("index.html"))
        if entry is None and path.startswith("/qr/") and path.endswith(".svg"):
            target = self.qr_target(path[4:-4], base_url)
            entry = Entry(SVG, qr_svg(target)) if target else None
        return entry


def build_site(settings: Settings, *, export: bool = False, base_url: str | None = None, pdf: bool = True) -> Site:
    """Load, validate and render the guide; raises ContentError when the content is bad.

    `export` gives links that work as plain files (from disk too). `base_url` is the public
    address (default: the configured one); without it the export leaves QR codes out, while
    the server makes them per request.
    """
    base = settings.base_url if base_url is None else base_url
    guide = load_guide(settings.content_dir)
    assets = load_assets(settings)
    html = ContentHtml()
    renderer = Renderer(
        guide, settings, assets, html=html, base_url=base, export=export, qr=bool(base) or not export, pdf=pdf
    )
    entries: dict[str, Entry] = {}
    for page in renderer.pages():
        entries["/" + page.path] = Entry(HTML, page.body)
    for asset in assets.values():
        entries[f"/static/{asset.hashed}"] = Entry(asset.media_type, asset.body, immutable=True)
        entries[f"/static/{asset.name}"] = Entry(asset.media_type, asset.body)
    for image in guide.images:  # checked by load_guide: a known format, inside afbeeldingen/, not too large
        entries["/" + image.name] = Entry(image.media_type, image.path.read_bytes())
    favicon = assets["favicon.svg"]
    entries["/favicon.ico"] = Entry(favicon.media_type, favicon.body)
    if base:
        entries["/" + qr_path("gids")] = Entry(SVG, qr_svg(base))
        for station in guide.stations:
            entries["/" + qr_path(station.slug)] = Entry(SVG, qr_svg(base + station_path(station.slug)))
    root_path = urlsplit(base).path or "/" if base else "/"
    pages = sorted(path for path, entry in entries.items() if entry.media_type == HTML)
    entries["/" + ROBOTS_PATH] = Entry(TEXT, robots_txt(root_path, base))
    if base:
        entries["/" + SITEMAP_PATH] = Entry(XML, sitemap_xml(base, pages))
    # A static server shows 404.html for any path, so its links start at the site's own path.
    root = (urlsplit(base).path or "/") if export and base else "/"
    entries["/404.html"] = Entry(HTML, renderer.not_found(root).encode())
    digest = hashlib.sha256()
    for path in sorted(entries):
        digest.update(path.encode() + b"\0" + entries[path].body)
    return Site(guide, entries, renderer, html, base, digest.hexdigest()[:12])


def robots_txt(root: str, base: str) -> bytes:
    """Crawlers may read the guide, not the live sessions (codes, answers) or their facilitators."""
    lines = ["User-agent: *", f"Disallow: {root}{LIVE_JOIN_PATH}", f"Disallow: {root}{SESSIONS_PATH}"]
    if base:
        lines.append(f"Sitemap: {base}{SITEMAP_PATH}")
    return ("\n".join(lines) + "\n").encode()


def sitemap_xml(base: str, pages: list[str]) -> bytes:
    """Every page at its public address, except the embed (made for another site's frame)."""
    urls = "".join(f"<url><loc>{escape(base + path[1:])}</loc></url>\n" for path in pages if path != "/" + EMBED_PATH)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    ).encode()
