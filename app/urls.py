"""Every URL of the guide is built here.

One link style everywhere: a page is a folder with an `index.html` (`stops/leiderschap/`), so
the same addresses work on this server, on any plain static server without rewrites, and in QR
codes. Links on a page are relative to it, so the pages work at the root, under any sub-path
behind a proxy, and from disk; the static export spells out `index.html`, because a browser
opening files from disk shows a folder listing instead of its index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import quote

# Where a station on the map leads: its panel on the map page (or in the embed, which has no
# terminal texts of its own), its own page, its slide, or its chapter in the printed booklet.
Target = Literal["panel", "embed", "page", "slide", "booklet"]


# -- paths from the site root: the build's keys, the export's folders, QR and API targets -----


STATIONS_PATH = "stops/"  # a station's page is stops/<slug>/
SLIDES_PATH = "present/"  # presentation mode; a station's slide is present/<slug>/


def station_path(slug: str) -> str:
    return f"{STATIONS_PATH}{slug}/"


def slide_path(slug: str | None = None) -> str:
    return f"{SLIDES_PATH}{slug}/" if slug else SLIDES_PATH


BOOKLET_PATH = "print/"
EMBED_PATH = "embed/"
ACCESSIBILITY_PATH = "toegankelijkheid/"
SCAN_PATH = "scan/"
PAPER_SCAN_PATH = "scan/papier/"
ROBOTS_PATH = "robots.txt"
SITEMAP_PATH = "sitemap.xml"
LIVE_JOIN_PATH = "s/"  # attendees' session pages: not for crawlers
SESSIONS_PATH = "sessies/"  # facilitators' pages


def attendee_path(code: str, rest: str = "") -> str:
    """A live session's attendee page (`rest` ""), or what hangs under it ("antwoord", "uitslag.pdf")."""
    return f"{LIVE_JOIN_PATH}{code}/{rest}" if rest else f"{LIVE_JOIN_PATH}{code}"


def facilitator_path(code: str, rest: str) -> str:
    """A page or form of a live session's facilitator ("halte", "presenteren/", "antwoorden/")."""
    return f"{SESSIONS_PATH}{code}/{rest}"


def deck_path(code: str, slug: str | None = None) -> str:
    """The facilitator's slide, from the site root (the facilitator's cookie says who may open it)."""
    return facilitator_path(code, f"presenteren/{slug or ''}")


def worksheet_path(slug: str) -> str:
    return f"{STATIONS_PATH}{slug}/werkblad/"


def station_pdf_path(slug: str) -> str:
    return f"{STATIONS_PATH}{slug}.pdf"


GUIDE_PDF_PATH = "guide.pdf"
PAPER_SCAN_PDF_PATH = "scan/papier.pdf"


def worksheet_pdf_path(slug: str) -> str:
    return f"{STATIONS_PATH}{slug}/werkblad.pdf"


def qr_path(name: str) -> str:
    """The QR code that leads to the guide ("gids") or to one stop (its slug)."""
    return f"qr/{name}.svg"


def depth(path: str) -> int:
    """How many folders below the root a page at `path` ("stops/x/") sits."""
    return path.count("/")


@dataclass(frozen=True)
class Urls:
    root: str = ""  # from the current page to the site root: "", "../", or an absolute address
    index_file: bool = False  # the static export: folder links end in "index.html"
    target: Target = "page"
    assets: Mapping[str, str] = field(default_factory=dict)  # "app.css" -> "app.1a2b3c4d.css"
    base_url: str = ""  # the public address when known ("https://host/zevenstops/"): absolute URLs
    deck: str = ""  # a live session's code in its facilitator's deck: every slide is a slide of it

    def at(self, path: str, target: Target = "page") -> Urls:
        """The same URLs as seen from the page at `path` (from the root, e.g. "stops/x/")."""
        if "://" in self.root or self.root.startswith("/"):
            return replace(self, target=target)
        return replace(self, root="../" * depth(path), target=target)

    def to(self, path: str) -> str:
        """A link to `path` (from the root) on the page being rendered."""
        if self.index_file and (path == "" or path.endswith("/")):
            path += "index.html"
        return f"{self.root}{path}" or "./"

    def home(self) -> str:
        return self.to("")

    def station(self, slug: str) -> str:
        """The station's own page (the printable handout)."""
        return self.to(station_path(slug))

    def station_link(self, slug: str) -> str:
        """Where a station on the map leads, on the page being rendered."""
        if self.target in ("panel", "embed", "booklet"):
            return f"#{slug}"
        if self.target == "slide":
            return self.slide(slug)
        return self.station(slug)

    def map_section(self, fragment: str) -> str:
        """A section of the map page, such as the terminals' texts."""
        return f"#{fragment}" if self.target == "panel" else f"{self.home()}#{fragment}"

    def slide(self, slug: str | None = None) -> str:
        """Presentation mode: the start screen, or one stop's slide (of the session, in its deck)."""
        return self.to(deck_path(self.deck, slug) if self.deck else slide_path(slug))

    def in_deck(self, code: str) -> Urls:
        """The same URLs in the facilitator's deck of session `code`."""
        return replace(self, deck=code)

    def booklet(self) -> str:
        return self.to(BOOKLET_PATH)

    def accessibility(self) -> str:
        return self.to(ACCESSIBILITY_PATH)

    def embed(self, slug: str | None = None) -> str:
        """The embeddable view for an intranet iframe, optionally opened on one stop."""
        return self.to(EMBED_PATH) + (f"?stop={quote(slug)}" if slug else "")

    def qr(self, name: str | None = None) -> str:
        return self.to(qr_path(name or "gids"))

    def pdf(self, slug: str | None = None) -> str:
        return self.to(station_pdf_path(slug) if slug else GUIDE_PDF_PATH)

    def static(self, name: str) -> str:
        return self.to(f"static/{self.assets.get(name, name)}")

    def qr_target(self, slug: str | None = None) -> str:
        """Where the QR code for the guide or a stop leads, if the public address is known."""
        return self.absolute(station_path(slug) if slug else "")

    def live_session(self) -> str:
        """Where "Live sessie starten" posts; empty in the static export, which has no server."""
        return "" if self.index_file else self.to("sessies")

    def live_join(self) -> str:
        """Where attendees type a session's code."""
        return self.to(LIVE_JOIN_PATH)

    def privacy(self) -> str:
        """What a live session keeps, and for how long (served by the server only)."""
        return self.to("privacy")

    def scan(self) -> str:
        """The Samenwerkingsscan on one device, kept in that browser only (works from the export)."""
        return self.to(SCAN_PATH)

    def paper_scan(self) -> str:
        """The Samenwerkingsscan on one A4 sheet, to fill in with a pen."""
        return self.to(PAPER_SCAN_PATH)

    def worksheet(self, slug: str) -> str:
        """A stop's one-page werkblad: statement, discussion questions with room to write, QR code."""
        return self.to(worksheet_path(slug))

    def worksheet_pdf(self, slug: str) -> str:
        return self.to(worksheet_pdf_path(slug))

    def paper_scan_pdf(self) -> str:
        return self.to(PAPER_SCAN_PDF_PATH)

    def absolute(self, path: str) -> str:
        """`path` (from the root) as a full address, if the public address is known."""
        return f"{self.base_url}{path}" if self.base_url else ""

    def oembed(self, page_path: str) -> str:
        """oEmbed discovery: the endpoint that describes the page at `page_path` (from the root).

        Empty in the static export, which has no server to answer it.
        """
        if self.index_file:
            return ""
        if self.base_url:  # discovery (WordPress, Drupal) wants a full address
            return f"{self.base_url}oembed?url={quote(self.base_url + page_path, safe='')}&format=json"
        return self.to("oembed") + f"?url={quote('/' + page_path, safe='')}&format=json"


def absolute(base_url: str) -> Urls:
    """URLs as full addresses under `base_url`: for the API, oEmbed and QR targets."""
    return Urls(root=base_url, base_url=base_url)
