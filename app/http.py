"""The HTTP layer: the build's entries as responses, served from memory by a thin ASGI app.

Requests for pages and static files never reach FastAPI's router: they are a dictionary lookup
(measured: close to a bare ASGI app, where FastAPI's routing reaches about a third). Everything
else goes on to FastAPI, and comes back with the same security headers.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections.abc import Iterable

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.build import HTML, Entry, Site
from app.pages import JS_BOOTSTRAP_HASH

Headers = tuple[tuple[bytes, bytes], ...]

PAGE_CACHE = "no-cache"  # always revalidate: the ETag makes that a cheap 304
IMMUTABLE = "public, max-age=31536000, immutable"
MAX_URL_BYTES = 8 * 1024  # the request line; longer gets 414 (here for any ASGI server, in app/server.py before)
# The 405 answers: a page or unknown address asked to change, and a route asked with another method.
READ_ONLY = "Methode niet toegestaan: dit adres kan alleen gelezen worden (GET, HEAD)."
WRONG_METHOD = "Methode niet toegestaan op dit adres."
# A HEAD that goes on to FastAPI as GET says so in the scope: a route whose GET never ends (an
# event stream) then answers with its headers alone rather than run without anyone to send to.
HEAD_ASKED = "zevenstops.head"
# What a 304 leaves out: it describes no body (RFC 9110 §15.4.5); validators, caching and
# the security headers stay.
BODY_HEADERS = (b"content-type", b"content-length", b"content-encoding")
CODING_SUFFIX = {b"gzip": b"-gz", b"br": b"-br"}
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


SECURITY = security_headers()


class Resource:
    """A response prepared once: body, its compressed forms, and the headers they share.

    gzip is made at once (fast); brotli, about 13 % smaller on the map page but slow at its
    best level, is added later by `compress_in_background`, so a rebuild is served at once.
    Browsers ask for brotli over HTTPS only, so plain-HTTP clients get gzip.

    Each encoding is its own representation with its own strong ETag (RFC 9110 §8.8.3): the
    plain body's hash, with `-gz` or `-br` added for the compressed ones.
    """

    __slots__ = ("body", "brotli", "etag", "gzipped", "headers", "status")

    def __init__(self, body: bytes, media_type: str, cache: str, status: int = 200, security: Headers = SECURITY):
        self.body = body
        self.status = status
        self.etag = b'"' + hashlib.sha256(body).hexdigest()[:20].encode() + b'"'
        self.gzipped = None
        if media_type.startswith(COMPRESSIBLE) and len(body) > 512:
            self.gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        self.brotli: bytes | None = None
        self.headers: Headers = (
            (b"content-type", media_type.encode()),
            (b"cache-control", cache.encode()),
            (b"vary", b"Accept-Encoding"),
            *security,
        )

    @classmethod
    def of(cls, entry: Entry, security: Headers = SECURITY, status: int = 200) -> Resource:
        cache = IMMUTABLE if entry.immutable else PAGE_CACHE if status == 200 else "no-store"
        return cls(entry.body, entry.media_type, cache, status, security)

    def add_brotli(self, quality: int) -> None:
        if self.gzipped is not None and self.brotli is None:
            compressed = brotli.compress(self.body, quality=quality)
            if len(compressed) < len(self.gzipped):
                self.brotli = compressed


def compress_in_background(resources: Iterable[Resource], quality: int = 11) -> threading.Thread:
    """Add brotli to `resources` in a thread; until it is there, gzip is served."""
    pending = list(resources)

    def run() -> None:
        for resource in pending:
            resource.add_brotli(quality)

    thread = threading.Thread(target=run, name="brotli", daemon=True)
    thread.start()
    return thread


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """RFC 9110 If-None-Match: `*`, or a comma-separated list of (weak) entity tags."""
    if if_none_match.strip() == b"*":
        return True
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate.startswith(b"W/"):
            candidate = candidate[2:]
        if candidate == etag:
            return True
    return False


def accepted_encodings(accept_encoding: bytes) -> set[bytes]:
    """The codings a client accepts: `gzip, br;q=1.0, deflate;q=0` -> {gzip, br}."""
    accepted = set()
    for item in accept_encoding.lower().split(b","):
        coding, _, params = item.partition(b";")
        quality = params.replace(b" ", b"").removeprefix(b"q=")
        try:
            if params and float(quality) == 0:
                continue
        except ValueError:
            continue
        accepted.add(coding.strip())
    return accepted


async def respond(scope: Scope, send: Send, resource: Resource, extra: Headers = ()) -> None:
    """Send `resource`: 304 when the client has it, else its best encoding (none for HEAD)."""
    if_none_match = accept_encoding = b""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            if_none_match = value
        elif name == b"accept-encoding":
            accept_encoding = value
    headers = [*resource.headers, *extra]
    body, coding = resource.body, b""
    if resource.gzipped is not None and accept_encoding:
        accepted = accepted_encodings(accept_encoding)
        if resource.brotli is not None and b"br" in accepted:
            body, coding = resource.brotli, b"br"
        elif b"gzip" in accepted:
            body, coding = resource.gzipped, b"gzip"
    # The validator of the representation chosen, and If-None-Match compared with it.
    etag = resource.etag[:-1] + CODING_SUFFIX[coding] + b'"' if coding else resource.etag
    headers.append((b"etag", etag))
    if if_none_match and resource.status == 200 and etag_matches(if_none_match, etag):
        kept = [(name, value) for name, value in headers if name not in BODY_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})
        return
    if coding:
        headers.append((b"content-encoding", coding))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": resource.status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


class Served:
    """One build as the server answers it: a Resource per entry path."""

    def __init__(self, site: Site, embed_frame_ancestors: str, *, inject: bytes = b""):
        self.site = site
        self.resources: dict[str, Resource] = {}
        embed_security = security_headers(embed_frame_ancestors)
        for path, entry in site.entries.items():
            if path == "/404.html":
                continue
            security = embed_security if path.startswith("/embed/") else SECURITY
            if inject and entry.media_type == HTML:
                # Only under `metro serve --reload`: the live-reload script (app/watch.py).
                root = "../" * (path.count("/") - 1)
                script = b'<script defer src="' + root.encode() + inject + b'"></script>\n</head>'
                entry = Entry(entry.media_type, entry.body.replace(b"</head>", script, 1))
            self.resources[path] = Resource.of(entry, security)


def redirect(location: str) -> tuple[int, Headers]:
    """A permanent redirect to `location` (relative: it stays under any proxy's sub-path)."""
    headers = ((b"location", location.encode("latin-1")), (b"cache-control", b"no-cache"), (b"content-length", b"0"))
    return 308, (*headers, *SECURITY)


def slash_redirect(scope: Scope, *, slash: bool) -> tuple[int, Headers]:
    """The one trailing-slash redirect: to this path with (`slash`) or without its final slash.

    The location is relative to the address asked for (`stops/x/`, `../stops`), so it holds under
    any root path, and the query goes along: old links and bookmarks keep working as written.
    """
    name = scope["path"].rstrip("/").rsplit("/", 1)[-1]
    query = scope.get("query_string", b"").decode("latin-1")
    return redirect((f"{name}/" if slash else f"../{name}") + (f"?{query}" if query else ""))


async def send_redirect(send: Send, status: int, headers: Headers) -> None:
    await send({"type": "http.response.start", "status": status, "headers": list(headers)})
    await send({"type": "http.response.body", "body": b""})


class PageServer:
    """Pure ASGI: answer GET/HEAD for the build's paths from memory, pass the rest to `app`.

    Under a sub-path (`--root-path /zevenstops`) uvicorn puts the prefix in front of the path;
    it is taken off here, so the same entries answer at any depth. HEAD goes on to `app` as
    GET with the body dropped, so every route answers HEAD. `served` can be swapped at any
    moment (a rebuild): each request reads it once.
    """

    def __init__(self, app: ASGIApp, served: Served):
        self.app = app
        self.served = served

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("raw_path") or b"") + len(scope.get("query_string", b"")) > MAX_URL_BYTES:
            await _plain(send, 414, "Verzoek geweigerd: het adres is te lang.\n")
            return
        root = scope.get("root_path", "").rstrip("/")
        path = scope["path"]
        if root and (path == root or path.startswith(root + "/")):
            path = path[len(root) :] or "/"
        served = self.served
        if scope["method"] in ("GET", "HEAD"):
            resource = served.resources.get(path)
            if resource is None and path.endswith("/index.html"):
                resource = served.resources.get(path.removesuffix("index.html"))
            if resource is not None:
                await respond(scope, send, resource)
                return
            if not path.endswith("/") and path + "/" in served.resources:
                # The old addresses without a slash (stops/x, print, present, embed) still work.
                await send_redirect(send, *slash_redirect(scope, slash=True))
                return
        elif path in served.resources:
            # The guide's pages and files are only read.
            await _plain(send, 405, READ_ONLY + "\n", ((b"allow", b"GET, HEAD"),))
            return
        await self.app(_as_get(scope), receive, _secured(send, scope["method"] == "HEAD"))


async def _plain(send: Send, status: int, text: str, extra: Headers = ()) -> None:
    body = text.encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *extra,
        *SECURITY,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _as_get(scope: Scope) -> Scope:
    return {**scope, "method": "GET", HEAD_ASKED: True} if scope["method"] == "HEAD" else scope


def _secured(send: Send, head: bool) -> Send:
    """What FastAPI answers carries the security headers of the pages (and no body for HEAD).

    An answer whose route says nothing about caching (FastAPI's /openapi.json) is not stored:
    every response says how it may be cached.
    """

    async def send_secured(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [h for h in (*SECURITY, (b"cache-control", b"no-store")) if h[0] not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        elif head and message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_secured
