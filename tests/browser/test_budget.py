"""The page budget, counted in Chromium: few requests, few bytes, nothing from other origins.

Counts and sizes, not timings: the bytes are what the DevTools protocol reports as received
(`Network.loadingFinished.encodedDataLength`: compressed body plus response headers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from tests.conftest import LiveServer

MAX_REQUESTS = 6
MAX_BYTES = 60_000  # "60 KB", read strictly


@dataclass
class Fetch:
    url: str
    status: int | None = None
    encoded_bytes: int | None = None
    failed: str = ""


@dataclass
class Load:
    fetches: dict[str, Fetch] = field(default_factory=dict)

    def describe(self) -> str:
        return "\n".join(f"  {f.status or f.failed} {f.encoded_bytes} B {f.url}" for f in self.fetches.values())


def load_counting(page: Page, url: str) -> Load:
    """Open `url` in a page with an empty, disabled cache and record every network request."""
    record = Load()
    cdp = page.context.new_cdp_session(page)

    def sent(event: dict) -> None:
        if not event["request"]["url"].startswith(("data:", "blob:")):
            record.fetches.setdefault(event["requestId"], Fetch(event["request"]["url"]))

    def received(event: dict) -> None:
        if fetch := record.fetches.get(event["requestId"]):
            fetch.status = event["response"]["status"]

    def finished(event: dict) -> None:
        if fetch := record.fetches.get(event["requestId"]):
            fetch.encoded_bytes = int(event["encodedDataLength"])

    def failed(event: dict) -> None:
        if fetch := record.fetches.get(event["requestId"]):
            fetch.failed = event.get("errorText") or "failed"

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(url, wait_until="networkidle")
    cdp.detach()
    return record


def origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


@pytest.mark.parametrize("path", ["/", "/stops/leiderschap"])
def test_page_budget(page: Page, live_server: LiveServer, path: str) -> None:
    record = load_counting(page, live_server.url + path)
    fetches = list(record.fetches.values())
    details = record.describe()
    assert fetches, "nothing was loaded"
    assert fetches[0].url == live_server.url + path

    other = [f.url for f in fetches if origin(f.url) != origin(live_server.url)]
    assert other == [], f"requests to other origins:\n{details}"
    broken = [f for f in fetches if f.failed or f.status is None or f.status >= 400]
    assert broken == [], f"failed requests:\n{details}"
    assert len(fetches) <= MAX_REQUESTS, f"{len(fetches)} requests, at most {MAX_REQUESTS}:\n{details}"
    assert all(f.encoded_bytes is not None for f in fetches), f"unfinished requests:\n{details}"
    total = sum(f.encoded_bytes or 0 for f in fetches)
    assert total <= MAX_BYTES, f"{total} bytes transferred, at most {MAX_BYTES}:\n{details}"
    print(f"\n{path}: {len(fetches)} requests, {total} bytes transferred\n{details}")


def test_text_resources_arrive_compressed(page: Page, live_server: LiveServer) -> None:
    """HTML, CSS and JavaScript come gzip-compressed: that is what keeps the budget."""
    encodings: dict[str, str] = {}
    page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "")))
    page.goto(live_server.url + "/", wait_until="networkidle")
    texts = {u: e for u, e in encodings.items() if u.endswith((".css", ".js", "/")) and not u.startswith("data:")}
    assert texts and all(e in ("gzip", "br") for e in texts.values()), texts
