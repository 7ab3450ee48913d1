"""Every URL of the guide is built here, relative to the page being rendered.

Relative links make one set of pages work at the server's root, under any sub-path behind a
proxy, and as a static export opened from disk (where links need an explicit `.html`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import quote

# Where a station on the map leads: its panel on the map page, its own page, or its slide.
Target = Literal["panel", "page", "slide"]


@dataclass(frozen=True)
class Urls:
    root: str = ""  # from the current page to the site root: "", "../" or "/"
    suffix: str = ""  # ".html" in the static export, where no server maps paths to files
    target: Target = "page"
    assets: Mapping[str, str] = field(default_factory=dict)  # "app.css" -> "app.1a2b3c4d.css"
    base_url: str = ""  # the public address when configured: then absolute URLs can be given

    def at(self, depth: int, target: Target = "page") -> Urls:
        """The same URLs as seen from a page `depth` folders below the root."""
        root = self.root if self.root == "/" else "../" * depth
        return replace(self, root=root, target=target)

    def home(self) -> str:
        if self.suffix:
            return f"{self.root}index.html"
        return self.root or "./"

    def station(self, slug: str) -> str:
        """The station's own page (the printable handout)."""
        return f"{self.root}stops/{slug}{self.suffix}"

    def station_link(self, slug: str) -> str:
        """Where a station on the map leads, on the page being rendered."""
        if self.target == "panel":
            return f"#{slug}"
        if self.target == "slide":
            return self.slide(slug)
        return self.station(slug)

    def map_section(self, fragment: str) -> str:
        """A section of the map page, such as the terminals' texts."""
        return f"#{fragment}" if self.target == "panel" else f"{self.home()}#{fragment}"

    def slide(self, slug: str | None = None) -> str:
        """Presentation mode: the start screen, or one stop's slide."""
        if slug is None:
            return f"{self.root}present/" + ("index.html" if self.suffix else "")
        return f"{self.root}present/{slug}{self.suffix}"

    def booklet(self) -> str:
        """The whole guide as one printable booklet."""
        return f"{self.root}print{self.suffix}"

    def qr(self, slug: str | None = None) -> str:
        """The QR code (SVG) that leads to the guide, or to one stop."""
        return f"{self.root}qr/{slug or 'gids'}.svg"

    def pdf(self, slug: str | None = None) -> str:
        return f"{self.root}stops/{slug}.pdf" if slug else f"{self.root}guide.pdf"

    def embed(self, slug: str | None = None) -> str:
        """The embeddable view for an intranet iframe, optionally opened on one stop."""
        page = "embed" + (".html" if self.suffix else "")
        return f"{self.root}{page}" + (f"?stop={slug}" if slug else "")

    def live_session(self) -> str:
        """Where "Live sessie starten" posts; empty in the static export, which has no server."""
        return "" if self.suffix else f"{self.root}sessies"

    def live_join(self) -> str:
        """Where attendees type a session's code."""
        return f"{self.root}s/"

    def privacy(self) -> str:
        """What a live session keeps, and for how long (served by the server only)."""
        return f"{self.root}privacy"

    def scan(self) -> str:
        """The Samenwerkingsscan on one device, kept in that browser only (works from the export)."""
        return f"{self.root}scan/" + ("index.html" if self.suffix else "")

    def paper_scan(self) -> str:
        """The Samenwerkingsscan on one A4 sheet, to fill in with a pen."""
        return f"{self.root}scan/papier{self.suffix}"

    def worksheet(self, slug: str) -> str:
        """A stop's one-page werkblad: statement, discussion questions with room to write, QR code."""
        return f"{self.root}stops/{slug}/werkblad{self.suffix}"

    def absolute(self, path: str) -> str:
        """`path` (from the site root) as a full address, if the public address is known."""
        return f"{self.base_url}{path}" if self.base_url else ""

    def oembed(self, page_path: str) -> str:
        """oEmbed discovery: the endpoint that describes the page at `page_path` (from the root).

        Empty in the static export, which has no server to answer it.
        """
        if self.suffix:
            return ""
        if self.base_url:
            target = quote(self.base_url + page_path, safe="")
            return f"{self.base_url}oembed?url={target}&format=json"
        return f"{self.root}oembed?url={quote('/' + page_path, safe='')}&format=json"

    def static(self, name: str) -> str:
        return f"{self.root}static/{self.assets.get(name, name)}"
