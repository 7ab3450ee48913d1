"""The page budget: what Chromium fetches to show a page, counted through the DevTools protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from app.browser import CHROMIUM_ARGS, chromium_path

CHROMIUM = chromium_path() or "/usr/bin/chromium"

MAX_REQUESTS = 6
MAX_BYTES = 60_000  # "60 KB", read strictly


@dataclass
class Fetch:
    url: str
    status: int | None = None
    encoded_bytes: int = 0  # bytes on the wire: compressed body plus response headers
    encoding: str = ""
    failed: str = ""


@dataclass
class Budget:
    url: str
    fetches: list[Fetch] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.fetches)

    @property
    def transferred(self) -> int:
        return sum(f.encoded_bytes for f in self.fetches)

    def other_origins(self) -> list[str]:
        origin = _origin(self.url)
        return [f.url for f in self.fetches if _origin(f.url) != origin]

    def failures(self) -> list[str]:
        return [f"{f.url}: {f.failed or f.status}" for f in self.fetches if f.failed or (f.status or 0) >= 400]

    @property
    def met(self) -> bool:
        return (
            self.requests <= MAX_REQUESTS
            and self.transferred <= MAX_BYTES
            and not self.other_origins()
            and not self.failures()
        )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def measure(urls: list[str], timeout_ms: int = 30_000) -> list[Budget]:
    """Load each URL in a fresh browser context (empty cache) and record every network request."""
    from playwright.sync_api import sync_playwright

    budgets = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for url in urls:
                context = browser.new_context()
                try:
                    page = context.new_page()
                    budgets.append(measure_page(page, url, timeout_ms))
                finally:
                    context.close()
        finally:
            browser.close()
    return budgets


def measure_page(page, url: str, timeout_ms: int = 30_000) -> Budget:
    """Record the requests `page` makes to load `url` (data: URLs are not network requests)."""
    cdp = page.context.new_cdp_session(page)
    fetches: dict[str, Fetch] = {}

    def sent(event: dict) -> None:
        if not event["request"]["url"].startswith(("data:", "blob:")):
            fetches.setdefault(event["requestId"], Fetch(event["request"]["url"]))

    def received(event: dict) -> None:
        if fetch := fetches.get(event["requestId"]):
            fetch.status = event["response"]["status"]
            headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
            fetch.encoding = headers.get("content-encoding", "")

    def finished(event: dict) -> None:
        if fetch := fetches.get(event["requestId"]):
            fetch.encoded_bytes = int(event["encodedDataLength"])

    def failed(event: dict) -> None:
        if fetch := fetches.get(event["requestId"]):
            fetch.failed = event.get("errorText") or "failed"

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.goto(url, wait_until="networkidle", timeout=timeout_ms)
    cdp.detach()
    return Budget(url, list(fetches.values()))
