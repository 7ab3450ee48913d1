"""How many A4 pages each stop's handout prints on, for `metro check`: printed, or else estimated.

The handout is one stop's page (/stops/<slug>/) printed as /stops/<slug>.pdf (app/pdf.py). Where
Chromium is available it is printed exactly as the PDFs are and its pages are counted; a page's
count is kept in a small cache file (in the user's cache folder) by the hash of everything the print
depends on, so a second `metro check` with nothing changed prints nothing. Without Chromium the count is estimated from
the text (see `estimate_pages` for the calibration).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings
from app.content import Guide, Problem, Station

if TYPE_CHECKING:  # the build and the printer are imported only when a handout is printed
    from app.build import Site

MAX_PAGES = 2  # one sheet, printed on both sides: what the editors' guide promises
PRINT_BASE = "https://hand-out.invalid/"  # never contacted: the printer answers from the build
CACHE_NAME = "hand-out-paginas.json"
MAX_CACHED = 256  # counts kept: a few versions of seven stops, a few hundred bytes each
PRINT_SALT = b"hand-out-1"  # change when the way pages are counted changes


@dataclass(frozen=True)
class Measured:
    slug: str
    pages: int
    printed: bool  # True: counted in Chromium's print; False: estimated from the text
    why: str = ""  # when estimated: why it was not printed (Dutch)


def handout_warnings(guide: Guide, settings: Settings) -> list[Problem]:
    """A Dutch warning for every stop whose handout would print on more than MAX_PAGES A4 pages."""
    by_slug = {s.slug: s for s in guide.stations}
    return [_warning(by_slug[m.slug], m) for m in measure(guide, settings) if m.pages > MAX_PAGES]


def _warning(station: Station, measured: Measured) -> Problem:
    how = (
        "gemeten in de afdruk van Chromium, zoals de pdf"
        if measured.printed
        else f"geschat uit de lengte van de tekst: {measured.why}"
    )
    return Problem(
        station.path,
        1,
        f"de hand-out van halte {station.number} '{station.title}' (/stops/{station.slug}.pdf) telt "
        f"{measured.pages} A4-pagina's; op één vel (twee kanten) passen er {MAX_PAGES} ({how}): "
        "kort de toelichting in, of laat een citaat of praktijkvoorbeeld weg",
        warning=True,
    )


def measure(guide: Guide, settings: Settings) -> list[Measured]:
    """The page count of every stop's handout: printed when Chromium is there, else estimated."""
    from app.browser import chromium_path

    if chromium_path() is None:
        return _estimated(guide, "Chromium is er niet, dus de pdf kon niet worden gemaakt")
    try:
        return _printed(settings)
    except Exception:  # Chromium does not start or fails to print (Playwright's own errors): estimate
        return _estimated(guide, "Chromium drukte de pdf niet af")


def _estimated(guide: Guide, why: str) -> list[Measured]:
    return [Measured(s.slug, estimate_pages(s), printed=False, why=why) for s in guide.stations]


def _printed(settings: Settings) -> list[Measured]:
    from app.build import build_site
    from app.urls import station_path

    base = settings.base_url or PRINT_BASE  # the public address where known: the PDFs print it
    site = build_site(replace(settings, base_url=base), base_url=base)
    # Everything a handout's print depends on besides its own page: style sheets, fonts, images.
    shared = hashlib.sha256(PRINT_SALT)
    for path in sorted(site.entries):
        if site.entries[path].media_type.split(";")[0] != "text/html":
            shared.update(path.encode() + b"\0" + site.entries[path].body)
    keys = {}
    for station in site.guide.stations:
        page = site.entries["/" + station_path(station.slug)].body
        keys[station.slug] = hashlib.sha256(shared.digest() + page).hexdigest()
    cache_file = cache_dir() / CACHE_NAME
    cache = _read_cache(cache_file)
    todo = [slug for slug, key in keys.items() if key not in cache]
    if todo:
        for slug, pages in _print_pages(site, base, [station_path(s) for s in todo], todo).items():
            cache[keys[slug]] = pages
        # This content's counts first, then the older ones (another branch, an undone edit), bounded.
        kept = {key: cache[key] for key in keys.values()} | cache
        _write_cache(cache_file, dict(list(kept.items())[:MAX_CACHED]))
    return [Measured(slug, cache[key], printed=True) for slug, key in keys.items()]


def cache_dir() -> Path:
    """Where the counts are kept: the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), never the checkout."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "zevenstops"


def _print_pages(site: Site, base: str, paths: list[str], slugs: list[str]) -> dict[str, int]:
    """Print each page with one Chromium, as app/pdf.py does, and count the pages of each PDF."""
    import pikepdf

    from app.pdf import print_each

    result: dict[str, int] = {}

    def count(slug: str, body: bytes) -> None:
        with pikepdf.open(io.BytesIO(body)) as pdf:
            result[slug] = len(pdf.pages)

    print_each(site, base, list(zip(slugs, paths)), count, name="hand-out-pages")
    return result


def _read_cache(path: Path) -> dict[str, int]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, int)}


def _write_cache(path: Path, cache: dict[str, int]) -> None:
    """Keep the counts for next time; a folder that cannot be written only costs a print then."""
    partial = path.with_name(f"{path.name}.{os.getpid()}")  # two checks at once never read half a file
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(cache, indent=0), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)


# Calibration: 56 prints by Chromium (the seven real stops as they are, and each with 1–3 quotes
# and 1–3 practice examples added, copied from the stop itself) were counted, and these weights
# separate every two-page handout from every longer one: the two-page prints scored at most
# 14,646, the three-page ones at least 14,968. A box costs the space of that many characters
# (its margins, its heading or attribution line); a list item (question, source) likewise.
QUOTE_CHARS = 150
EXAMPLE_CHARS = 450
ITEM_CHARS = 250
CHARS_PER_PAGE = 7_400  # half of the midpoint between the two: two pages hold 14,800


def estimate_pages(station: Station) -> int:
    """The handout's A4 pages estimated from the station's text (calibrated above), without printing."""
    text = [station.statement, station.explanation]
    text += [q.text + q.source + q.who for q in station.quotes]
    text += [e.title + e.where + e.lesson + e.source + e.text for e in station.examples]
    text += [*station.questions, *station.sources]
    size = sum(len(t) for t in text) + QUOTE_CHARS * len(station.quotes) + EXAMPLE_CHARS * len(station.examples)
    size += ITEM_CHARS * (len(station.questions) + len(station.sources))
    return max(1, math.ceil(size / CHARS_PER_PAGE))
