"""The page budget, counted in Chromium: few requests, few bytes, nothing from other origins.

Counts and sizes, not timings: the bytes are what the DevTools protocol reports as received
(`Network.loadingFinished.encodedDataLength`: compressed body plus response headers).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from bench.budget import MAX_BYTES, MAX_REQUESTS, measure_page
from tests.conftest import LiveServer


@pytest.mark.parametrize("path", ["/", "/stops/leiderschap"])
def test_page_budget(page: Page, live_server: LiveServer, path: str) -> None:
    """The same measurement as `make bench` (bench/budget.py), held to the budget here."""
    budget = measure_page(page, live_server.url + path)
    details = "\n".join(f"  {f.status or f.failed} {f.encoded_bytes} B {f.url}" for f in budget.fetches)
    assert budget.fetches and budget.fetches[0].url == live_server.url + path
    assert budget.other_origins() == [], f"requests to other origins:\n{details}"
    assert budget.failures() == [], f"failed requests:\n{details}"
    assert all(f.status is not None for f in budget.fetches), f"unanswered requests:\n{details}"
    assert budget.requests <= MAX_REQUESTS, f"{budget.requests} requests, at most {MAX_REQUESTS}:\n{details}"
    assert budget.transferred <= MAX_BYTES, f"{budget.transferred} bytes transferred, at most {MAX_BYTES}:\n{details}"


def test_text_resources_arrive_compressed(page: Page, live_server: LiveServer) -> None:
    """HTML, CSS and JavaScript come gzip-compressed: that is what keeps the budget."""
    encodings: dict[str, str] = {}
    page.on("response", lambda r: encodings.__setitem__(r.url, r.headers.get("content-encoding", "")))
    page.goto(live_server.url + "/", wait_until="networkidle")
    texts = {u: e for u, e in encodings.items() if u.endswith((".css", ".js", "/")) and not u.startswith("data:")}
    assert texts and all(e in ("gzip", "br") for e in texts.values()), texts
