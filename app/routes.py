"""Every path the guide answers, in one table: `metro routes` prints it, docs/routes.md keeps it.

A request meets two kinds of answer, in this order (app/web.py composes them):

1. **the build** (app/build.py): PageServer (app/http.py) answers GET and HEAD for the built paths
   from memory. The patterns below describe them; a test checks that every built path matches one
   and that every pattern is built, so a new page cannot go unlisted.
2. **the routes of FastAPI**, request by request: the API and its docs, the PDFs, QR codes, health
   and the live sessions. Their rows are read from the application itself, with the first line of
   each endpoint's summary or docstring. (The event streams' GET reaches the same routes past
   FastAPI's middleware: StreamDoor in app/sessions/streams.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

BUILT: tuple[tuple[str, str], ...] = (
    ("/", "The metro map: the seven stops on one line, each a link to its page"),
    ("/stops/{slug}/", "A stop: statement, explanation, quotes and practice; prints as its handout"),
    ("/stops/{slug}/werkblad/", "A stop's worksheet for the meeting (printed as `/stops/{slug}/werkblad.pdf`)"),
    ("/present/", "Presentation mode: the title slide"),
    ("/present/{slug}/", "Presentation mode: a stop as a slide for the projector"),
    ("/print/", "The booklet: every stop one after the other (printed as `/guide.pdf`)"),
    ("/embed/", "The map for an intranet page, in an iframe (oEmbed: `/oembed`)"),
    ("/toegankelijkheid/", "The accessibility statement"),
    ("/scan/", "The Samenwerkingsscan in the browser, without a database"),
    ("/scan/papier/", "The scan on paper (printed as `/scan/papier.pdf`)"),
    ("/404.html", "The page for a path the guide does not know (also for static servers)"),
    ("/favicon.ico", "The icon, for browsers that ask for it by its old name"),
    ("/robots.txt", "Crawlers may read the guide, not the live sessions"),
    ("/sitemap.xml", "Every page, for search engines (only with a configured public address)"),
    ("/qr/gids.svg", "QR code to the guide (built with a configured public address; else per request)"),
    ("/qr/{slug}.svg", "QR code to a stop (built with a configured public address; else per request)"),
    ("/static/{name}.{hash}.{ext}", "A stylesheet, script or icon named by its content: cached for a year"),
    ("/static/{name}.{ext}", "The same file by its plain name, revalidated on every use"),
    ("/afbeeldingen/{file}", "An image from the content (only when the texts use one)"),
)

_PARTS = {"slug": "[a-z0-9-]+", "hash": "[0-9a-f]{10}", "name": "[a-z0-9-]+", "ext": "[a-z]+", "file": "[^/]+"}


@dataclass(frozen=True)
class Row:
    methods: str  # "GET" (which answers HEAD too) or "POST"
    path: str  # from the guide's root: under `--root-path /zevenstops` every path starts with it
    answered_by: str  # the module that answers
    what: str


def _pattern(path: str) -> re.Pattern[str]:
    pieces = re.split(r"\{(\w+)\}", path)
    return re.compile("".join(_PARTS[piece] if i % 2 else re.escape(piece) for i, piece in enumerate(pieces)))


_PATTERNS = tuple((_pattern(path), path) for path, _ in BUILT)


def built_pattern(path: str) -> str | None:
    """The pattern in BUILT that `path` falls under (the first that matches), or None."""
    return next((pattern for regex, pattern in _PATTERNS if regex.fullmatch(path)), None)


def unlisted(paths: Iterable[str]) -> list[str]:
    """The built paths no pattern in BUILT describes."""
    return sorted(path for path in paths if built_pattern(path) is None)


def endpoints(routes: Sequence[Any]) -> Iterator[Any]:
    """The routes with an endpoint, in the order they are tried; included routers are opened.

    FastAPI keeps an included router as one entry holding the original (`original_router`); the
    guide includes its routers without a prefix, so their paths are the paths served.
    """
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from endpoints(inner.routes)
        elif getattr(route, "endpoint", None) is not None:
            yield route


def _what(route: Any) -> str:
    if route.endpoint.__module__.startswith("fastapi."):
        return "FastAPI's own: the OpenAPI schema of the API (read by `/docs`)"
    text = getattr(route, "summary", None) or (route.endpoint.__doc__ or "")
    return text.strip().splitlines()[0].rstrip(".") if text.strip() else ""


def _module(route: Any) -> str:
    module: str = route.endpoint.__module__
    return module.replace(".", "/") + ".py" if module.startswith("app") else module


def route_rows(routes: Sequence[Any]) -> list[Row]:
    """One row per path and method set of the routes (in the order FastAPI tries them)."""
    rows = []
    for route in endpoints(routes):
        methods = ", ".join(sorted(set(route.methods or ()) - {"HEAD"}))  # every GET answers HEAD
        rows.append(Row(methods, route.path, _module(route), _what(route)))
    return rows


def table(routes: Sequence[Any], reload_routes: Sequence[Any] = ()) -> list[Row]:
    """The build's patterns, then the application's routes, then those `--reload` adds."""
    rows = [Row("GET", path, "app/build.py (from memory, app/http.py)", what) for path, what in BUILT]
    rows += route_rows(routes)
    rows += [
        Row(r.methods, r.path, r.answered_by, f"Only with `--reload`: {r.what}") for r in route_rows(reload_routes)
    ]
    return rows


def markdown(rows: Sequence[Row]) -> str:
    """docs/routes.md: the table, with how to read it."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Every path the guide answers",
        "",
        "Written by `metro routes` (`make routes`) from `app/routes.py` and the application's own",
        "routes; `tests/test_route_table.py` fails when this file is not current. Paths are from the guide's root:",
        "under a sub-path (`--root-path /zevenstops`) each starts with it. Every GET also answers HEAD.",
        "",
        "A request is answered by the first of these that knows its path:",
        "",
        "1. **the build**, from memory (`app/http.py`, PageServer): the rows answered by `app/build.py`. "
        "A built page asked for without its final slash gets 308 to the address with it; another method "
        "than GET or HEAD gets 405; a request line over 8 KiB gets 414.",
        "2. **FastAPI**, per request: the other rows. POST forms of the live sessions answer 303 to the page "
        "to show next (`app/sessions/routing.py`, `redirect`); a form from another site gets 403. The GET of "
        "an event stream (`…/events`) goes to its route past FastAPI's middleware (`app/sessions/streams.py`, "
        "StreamDoor), with the same error answers; its HEAD gets the headers alone.",
        "3. **the error answers** (`app/errors.py`): a route's path with or without its final slash gets 308 "
        "to the route; any other path gets the guide's 404 page in Dutch (JSON `detail` for `/api/` and "
        "`/oembed`), or 405 for a method other than GET or HEAD. A route's own refusals (404, 409, 422, 429, "
        "503) are Dutch pages or JSON `detail` too.",
        "",
        "| method | path | answered by | what |",
        "|---|---|---|---|",
    ]
    lines += [f"| {row.methods} | `{cell(row.path)}` | `{row.answered_by}` | {cell(row.what)} |" for row in rows]
    return "\n".join(lines) + "\n"


def of_application(settings: Any) -> list[Row]:
    """The table for the application `metro serve` runs with `settings` (`--reload` routes marked)."""
    from app.watch import Reloader
    from app.web import create_app

    served: Any = create_app(settings)  # Observed(PageServer(FastAPI)): `.app` reads through to the FastAPI app
    return table(served.app.routes, Reloader(settings).router().routes)
