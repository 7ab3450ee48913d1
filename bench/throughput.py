"""What the throughput comparison checks around wrk: same answers, the guide's own cost, caching, compression."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx

from app.build import Site
from app.config import Settings
from app.http import IMMUTABLE, Served, compress_in_background
from bench.servers import Server


def raw_get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """GET without decoding the body, so compressed bytes can be compared as sent."""
    with httpx.Client(timeout=10) as client, client.stream("GET", url, headers=headers) as response:
        return response.status_code, dict(response.headers), b"".join(response.iter_raw())


def compare_responses(servers: dict[str, Server]) -> dict[str, str]:
    """Fairness: the guide and the bare app must send the same bytes and headers for `/`."""
    gzip = {"accept-encoding": "gzip"}
    seen = {name: raw_get(s.url + "/", gzip) for name, s in servers.items()}
    ignore = {"date"}
    app_status, app_headers, app_body = seen["app"]
    bare_status, bare_headers, bare_body = seen["bare"]
    same_headers = {k: v for k, v in app_headers.items() if k not in ignore} == {
        k: v for k, v in bare_headers.items() if k not in ignore
    }
    same = {
        "identical body app/bare": "yes" if app_body == bare_body else "**no**",
        "identical headers app/bare (except date)": "yes" if same_headers else "**no**",
        "body bytes (gzip) app / bare / nginx": " / ".join(str(len(seen[n][2])) for n in ("app", "bare", "nginx")),
        "content-encoding app / bare / nginx": " / ".join(
            seen[n][1].get("content-encoding", "none") for n in ("app", "bare", "nginx")
        ),
        "header bytes app / bare / nginx": " / ".join(
            str(sum(len(k) + len(v) + 4 for k, v in seen[n][1].items())) for n in ("app", "bare", "nginx")
        ),
    }
    if not (app_status == bare_status == 200 and app_body == bare_body and same_headers):
        raise RuntimeError(f"the guide and the bare app do not answer alike: {same}")
    return same


def asgi_overhead(content_dir: Path, calls: int = 20_000, repeats: int = 5) -> dict[str, float]:
    """Microseconds per request spent inside each ASGI callable, called directly (best of `repeats`).

    No sockets and no uvicorn: this isolates what the guide's layer adds over the bare app.
    """
    from app.web import create_app
    from bench import bare_app

    guide = create_app(replace(Settings.from_env(), content_dir=content_dir))
    # create_app compresses with brotli in a background thread; let it finish first, or it
    # would be measured too.
    for thread in threading.enumerate():
        if thread.name == "brotli":
            thread.join()
    apps: dict[str, Any] = {"app": guide, "bare": bare_app.app}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept-encoding", b"gzip")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    async def measure(app: Any) -> float:
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(calls):
                await app(dict(scope), receive, send)
            best = min(best, (time.perf_counter() - start) / calls * 1e6)
        return best

    return {name: asyncio.run(measure(app)) for name, app in apps.items()}


def hashed_assets(site: Site) -> list[str]:
    """The content-hashed static files (cached for a year), by path."""
    return sorted(path for path, entry in site.entries.items() if entry.immutable)


def check_cache(base: str, site: Site) -> list[tuple[str, str, str]]:
    """The response cache as a client sees it: ETag and 304, Cache-Control, gzip and brotli."""
    checks = []
    page = httpx.get(base + "/", headers={"accept-encoding": "gzip"}, timeout=10)
    etag = page.headers.get("etag", "")
    checks.append(
        ("`/` Cache-Control", page.headers.get("cache-control", ""), page.headers.get("cache-control") == "no-cache")
    )
    checks.append(("`/` strong ETag", etag, etag.startswith('"')))
    again = httpx.get(base + "/", headers={"if-none-match": etag}, timeout=10)
    checks.append(
        (
            "`/` with If-None-Match",
            f"{again.status_code}, {len(again.content)} body bytes",
            again.status_code == 304 and not again.content,
        )
    )
    checks.append(
        (
            "`/` Content-Encoding (`Accept-Encoding: gzip`)",
            page.headers.get("content-encoding", "none"),
            page.headers.get("content-encoding") == "gzip",
        )
    )
    brotli = httpx.get(base + "/", headers={"accept-encoding": "gzip, br"}, timeout=10)
    checks.append(
        (
            "`/` Content-Encoding (`Accept-Encoding: gzip, br`, background compression done)",
            brotli.headers.get("content-encoding", "none"),
            brotli.headers.get("content-encoding") == "br",
        )
    )
    hashed = hashed_assets(site)[0]
    asset = httpx.get(base + hashed, timeout=10)
    checks.append(
        (
            f"`{hashed}` Cache-Control",
            asset.headers.get("cache-control", ""),
            asset.headers.get("cache-control") == IMMUTABLE,
        )
    )
    return [(what, seen, "yes" if ok else "**no**") for what, seen, ok in checks]


def compression(site: Site, frame_ancestors: str) -> list[tuple[str, int, int, int | None]]:
    """(path, raw, gzip, brotli) sizes of `/` and the hashed assets, as the guide serves them.

    gzip is what every client gets at once; brotli (quality 11) is what the server adds in the
    background and sends to browsers that offer `br` (over HTTPS). None: brotli was not smaller.
    """
    served = Served(site, frame_ancestors)
    picks = ["/", *hashed_assets(site)]
    compress_in_background([served.resources[p] for p in picks], quality=11).join()
    rows = []
    for path in picks:
        resource = served.resources[path]
        gz = len(resource.gzipped) if resource.gzipped is not None else len(resource.body)
        br = len(resource.brotli) if resource.brotli is not None else None
        rows.append((path, len(resource.body), gz, br))
    return rows
