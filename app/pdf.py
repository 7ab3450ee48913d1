"""PDF handouts, printed by Chromium from the build's pages (print media).

Chromium opens each page at its public address, so every link in a PDF leads to the guide
online; but it never touches the network: every request it makes is answered from the build
in memory, so a PDF looks exactly like the page and is printed offline.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from app import metrics
from app.browser import CHROMIUM_ARGS, chromium_path
from app.build import Entry, Site
from app.pdfua import PAGE_FACTS_SCRIPT, finish
from app.urls import (
    BOOKLET_PATH,
    GUIDE_PDF_PATH,
    PAPER_SCAN_PATH,
    PAPER_SCAN_PDF_PATH,
    station_path,
    station_pdf_path,
    worksheet_path,
    worksheet_pdf_path,
)

if TYPE_CHECKING:  # Playwright is imported when the first PDF is printed, not at start
    from playwright.async_api import Browser, Playwright, Route

K = TypeVar("K")  # what a caller of print_each names each print by
Fetch = Callable[[str], "Entry | None"]  # path from the root ("/stops/x/", "/static/app.css")


class PdfUnavailable(RuntimeError):
    """Chromium is not installed or does not start; the message says what to do."""


class PdfBusy(RuntimeError):
    """Too many different PDFs are being printed at once; the client should come back."""


def pdf_jobs(site: Site) -> list[tuple[str, str]]:
    """(page path, PDF path) of every PDF: one per station, the booklet, the werkbladen, the paper scan."""
    stations = site.guide.stations
    jobs = [(station_path(s.slug), station_pdf_path(s.slug)) for s in stations]
    worksheets = [(worksheet_path(s.slug), worksheet_pdf_path(s.slug)) for s in stations]
    return [*jobs, (BOOKLET_PATH, GUIDE_PDF_PATH), *worksheets, (PAPER_SCAN_PATH, PAPER_SCAN_PDF_PATH)]


def print_all(site: Site, progress: Callable[[str], None] = lambda _: None) -> dict[str, bytes]:
    """Every PDF of `site` (which must know its public address), by its path from the root.

    Raises PdfUnavailable when Chromium cannot be used.
    """
    result: dict[str, bytes] = {}

    def keep(pdf_path: str, body: bytes) -> None:
        result[pdf_path] = body
        progress(pdf_path)

    print_each(site, site.base_url, [(pdf, page) for page, pdf in pdf_jobs(site)], keep, name="pdf-printer")
    return result


def print_each(
    site: Site, base_url: str, jobs: list[tuple[K, str]], each: Callable[[K, bytes], None], *, name: str
) -> None:
    """Print each (key, page path) of `jobs` with one Chromium and hand its PDF to `each`, in order.

    Runs in a thread of its own, so it works from plain code and from inside an event loop
    (a test, a notebook) alike; an error in that thread is raised here.
    """
    error: list[BaseException] = []

    async def run() -> None:
        printer = PdfPrinter()
        try:
            for key, page_path in jobs:
                each(key, await printer.print_pdf(base_url, page_path, lambda p: site.fetch(p, base_url)))
        finally:
            await printer.close()

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as err:  # handed to the caller's thread below
            error.append(err)

    thread = threading.Thread(target=target, name=name)
    thread.start()
    thread.join()
    if error:
        raise error[0]


class PdfPrinter:
    """One Chromium, started on first use, printing one page at a time."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()
        self.problem = ""  # why the last start of Chromium failed (Dutch, for /healthz), or ""

    async def _ensure_browser(self) -> Browser:
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        path = chromium_path()
        if path is None:
            self.problem = "Chromium is niet geïnstalleerd"
            raise PdfUnavailable(
                "Chromium is niet geïnstalleerd: installeer Chromium (Debian: apt-get install chromium), "
                "voer 'playwright install chromium' uit, of zet ZEVENSTOPS_CHROMIUM op het pad ervan."
            )
        from playwright.async_api import async_playwright

        try:
            self._playwright = self._playwright or await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as err:  # Playwright raises its own error types for a failed launch
            self.problem = "Chromium start niet"
            raise PdfUnavailable(f"Chromium ({path}) start niet: {err}") from err
        self.problem = ""
        return self._browser

    async def print_pdf(self, base_url: str, page_path: str, fetch: Fetch) -> bytes:
        """Print the page at `base_url + page_path` as an A4 PDF/UA, answering from `fetch`."""
        async with self._lock:
            browser = await self._ensure_browser()
            context = await browser.new_context(java_script_enabled=False)
            try:
                page = await context.new_page()

                async def answer(route: Route) -> None:
                    url = route.request.url.split("#")[0].split("?")[0]
                    found = fetch("/" + url.removeprefix(base_url)) if url.startswith(base_url) else None
                    if found is None:
                        await route.abort()
                    else:
                        await route.fulfill(status=200, content_type=found.media_type, body=found.body)

                await page.route("**/*", answer)
                await page.emulate_media(media="print")
                await page.goto(base_url + page_path, wait_until="load")
                facts = await page.evaluate(PAGE_FACTS_SCRIPT)  # for the PDF/UA finishing (app/pdfua.py)
                body = await page.pdf(
                    format="A4", print_background=True, prefer_css_page_size=True, tagged=True, outline=True
                )
            finally:
                await context.close()
        links = [(str(target), str(name)) for target, name in facts["links"]]
        return await asyncio.to_thread(finish, body, title=facts["title"], lang=facts["lang"], links=links)

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None


class PdfService:
    """PDFs for the server: printed once, shared by everyone who asks, within bounds.

    Concurrent requests for the same PDF wait for one print (single flight), and the print
    finishes even if they hang up, so the next asker gets it from the cache. At most
    `max_prints` different PDFs are printed or waiting at once; beyond that `PdfBusy`. The
    cache holds a bounded number of PDFs, so many Host names cannot grow it.
    """

    def __init__(self, printer: PdfPrinter, *, max_prints: int = 4, max_cached: int = 48):
        self.printer = printer
        self.max_prints = max_prints
        self.max_cached = max_cached
        self.cache: OrderedDict[tuple[str, ...], bytes] = OrderedDict()
        self.inflight: dict[tuple[str, ...], asyncio.Task[bytes]] = {}
        self.prints = 0  # how many prints were started: for tests and the benchmark

    async def get(self, site: Site, page_path: str, base_url: str) -> bytes:
        """The PDF of `page_path` as printed at `base_url`. Raises PdfUnavailable, PdfBusy."""
        return await self.shared(
            (site.version, page_path, base_url),
            lambda: self.printer.print_pdf(base_url, page_path, lambda p: site.fetch(p, base_url)),
        )

    async def shared(self, key: tuple[str, ...], print_it: Callable[[], Awaitable[bytes]]) -> bytes:
        """The PDF known by `key`: cached, being printed for someone else, or printed now by `print_it`.

        `key` names everything the PDF depends on (content build, page, address; for a session's
        result also its code and the revision of its answers). Raises PdfUnavailable, PdfBusy.
        """
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache[key]
        task = self.inflight.get(key)
        if task is None:
            if len(self.inflight) >= self.max_prints:
                metrics.REFUSED.labels("busy").inc()
                raise PdfBusy(f"{len(self.inflight)} PDFs are being printed")
            self.prints += 1
            task = asyncio.create_task(self._print(key, print_it))
            self.inflight[key] = task
        return await asyncio.shield(task)

    async def _print(self, key: tuple[str, ...], print_it: Callable[[], Awaitable[bytes]]) -> bytes:
        metrics.PRINTING.inc()
        try:
            body = await print_it()
        except PdfUnavailable:
            metrics.REFUSED.labels("unavailable").inc()
            raise
        finally:
            del self.inflight[key]
            metrics.PRINTING.dec()
        metrics.PRINTS.inc()
        self.cache[key] = body
        while len(self.cache) > self.max_cached:
            self.cache.popitem(last=False)
        return body
