"""PDF handouts, printed by Chromium from the same pages the server serves (print media).

Chromium never touches the network: every request it makes is answered from memory by the
`fetch` function it is given, so a PDF looks exactly like the page and works offline.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, Playwright, Route, async_playwright

from app.browser import CHROMIUM_ARGS, chromium_path
from app.content import Guide

ORIGIN = "http://zevenstops.pdf"  # never resolved: requests are fulfilled from memory


class PdfUnavailable(RuntimeError):
    """Chromium is not installed or does not start; the message says what to do."""


@dataclass(frozen=True)
class Fetched:
    status: int
    content_type: str
    body: bytes


Fetch = Callable[[str], "Fetched | None"]  # path ("/stops/x", "/static/app.css") -> response


def pdf_jobs(guide: Guide) -> list[tuple[str, str]]:
    """(page path, file name) of every PDF: one per station, then the whole booklet."""
    jobs = [(f"/stops/{s.slug}", f"stops/{s.slug}.pdf") for s in guide.stations]
    return [*jobs, ("/print", "guide.pdf")]


def print_to_files(
    jobs: list[tuple[str, str]], fetch: Fetch, out_dir: Path, progress: Callable[[str], None]
) -> list[Path]:
    """Print (page path, file name) jobs into `out_dir` with a Chromium of their own.

    Runs in a thread of its own, so it works from plain code and from inside an event loop
    (a test, a notebook) alike. Raises PdfUnavailable when Chromium cannot be used.
    """
    result: list[Path] = []
    error: list[BaseException] = []

    async def run() -> None:
        printer = PdfPrinter()
        try:
            result.extend(await printer.print_all(jobs, fetch, out_dir, progress))
        finally:
            await printer.close()

    def target() -> None:
        try:
            asyncio.run(run())
        except BaseException as err:  # handed to the caller's thread below
            error.append(err)

    thread = threading.Thread(target=target, name="pdf-printer")
    thread.start()
    thread.join()
    if error:
        raise error[0]
    return result


class PdfPrinter:
    """One Chromium, started on first use, printing one page at a time."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._lock = asyncio.Lock()

    async def _ensure_browser(self) -> Browser:
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        path = chromium_path()
        if path is None:
            raise PdfUnavailable(
                "Chromium is not installed. Install Debian's 'chromium' package "
                "(apt-get install chromium) or set ZEVENSTOPS_CHROMIUM to its path."
            )
        try:
            self._playwright = self._playwright or await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as err:  # Playwright raises its own error types for a failed launch
            raise PdfUnavailable(f"Chromium at {path} did not start: {err}") from err
        return self._browser

    async def print_pdf(self, path: str, fetch: Fetch, *, title: str = "") -> bytes:
        """Print the page at `path` (served by `fetch`) as an A4 PDF."""
        async with self._lock:
            browser = await self._ensure_browser()
            context = await browser.new_context(java_script_enabled=False)
            try:
                page = await context.new_page()

                async def answer(route: Route) -> None:
                    url = route.request.url
                    found = fetch(url.removeprefix(ORIGIN).split("#")[0]) if url.startswith(ORIGIN) else None
                    if found is None:
                        await route.abort()
                    else:
                        await route.fulfill(status=found.status, content_type=found.content_type, body=found.body)

                await page.route("**/*", answer)
                await page.emulate_media(media="print")
                await page.goto(ORIGIN + path, wait_until="load")
                return await page.pdf(
                    format="A4", print_background=True, prefer_css_page_size=True, tagged=True, outline=True
                )
            finally:
                await context.close()

    async def print_all(
        self, jobs: list[tuple[str, str]], fetch: Fetch, out_dir: Path, progress: Callable[[str], None]
    ) -> list[Path]:
        """Print every (path, file name) in `jobs` into `out_dir`; return the files written."""
        written = []
        for path, name in jobs:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(await self.print_pdf(path, fetch))
            written.append(target)
            progress(name)
        return written

    async def close(self) -> None:
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None
