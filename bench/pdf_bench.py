"""PDF handouts: the cold generation of all eight PDFs, then the cached fetch of the same."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

from app.content import Guide
from app.urls import GUIDE_PDF_PATH, station_pdf_path


@dataclass
class PdfTiming:
    path: str
    cold_s: float  # first request: Chromium prints the page
    cached_ms: float  # median of later requests, answered from memory
    pages: int
    size: int


def pdf_paths(guide: Guide) -> list[str]:
    return ["/" + station_pdf_path(s.slug) for s in guide.stations] + ["/" + GUIDE_PDF_PATH]


def measure(base_url: str, guide: Guide, repeats: int = 20) -> list[PdfTiming]:
    """Ask a freshly started server for every PDF twice over: cold, then `repeats` times cached.

    The server must not have printed anything yet, so the first request includes starting
    Chromium (for the first PDF) and printing (for every PDF).
    """
    from io import BytesIO

    from pypdf import PdfReader

    timings = []
    with httpx.Client(base_url=base_url, timeout=120) as client:
        for path in pdf_paths(guide):
            started = time.perf_counter()
            response = client.get(path)
            cold = time.perf_counter() - started
            response.raise_for_status()
            cached = []
            for _ in range(repeats):
                started = time.perf_counter()
                again = client.get(path)
                cached.append((time.perf_counter() - started) * 1000)
                if again.content != response.content:
                    raise RuntimeError(f"{path}: the cached PDF differs from the first one")
            pages = len(PdfReader(BytesIO(response.content)).pages)
            timings.append(PdfTiming(path, cold, statistics.median(cached), pages, len(response.content)))
    return timings


def table(timings: list[PdfTiming]) -> str:
    rows = [
        "| PDF | pages | size | first request (prints) | cached (median) | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for t in timings:
        rows.append(
            f"| `{t.path}` | {t.pages} | {t.size / 1024:.0f} KiB | {t.cold_s:.2f} s | {t.cached_ms:.1f} ms "
            f"| {t.cold_s * 1000 / t.cached_ms:.0f}× |"
        )
    total = sum(t.cold_s for t in timings)
    rows.append(f"| **all {len(timings)}** | | | **{total:.1f} s** | | |")
    return "\n".join(rows)
