"""Concurrent PDFs (issue 11): a storm of cold requests for `/guide.pdf` against one cold request.

Each measurement gets a freshly started server whose background compression has finished:
on one, a single cold `/guide.pdf` (it starts Chromium and prints); on another, 12 requests
for it at once. With one print per PDF at a time (single flight) the storm takes about
as long as the single request, and every answer is the same PDF.

How many prints the server made is not visible from outside (the print counter lives inside
`create_app`, with no route or `app.state` showing it), so it is inferred twice over:
- from the bytes: two prints of the same page do not come out byte-identical (checked in every
  run by printing `/print/` twice in-process), so the number of distinct bodies is the number of
  prints the clients received;
- from the time: n prints one after another would take about n times as long as one.
"""

from __future__ import annotations

import asyncio
import hashlib
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

import httpx

from bench.procs import Processes, wait_idle
from bench.servers import Server

PATH = "/guide.pdf"
ABOUT_AS_LONG = 1.5  # "about as long as one": the storm may take at most this many times the single request


@dataclass
class StormRound:
    single_s: float
    storm_s: float  # from sending all requests to the last answer
    latencies: list[float]
    statuses: list[int]
    distinct: int  # different bodies among the storm's 200 answers
    size: int
    pages: int

    @property
    def ratio(self) -> float:
        return self.storm_s / self.single_s


@dataclass
class Storm:
    concurrency: int
    rounds: list[StormRound] = field(default_factory=list)
    prints_differ: bool | None = None  # two prints of one page differ byte for byte
    warm_print_s: float = 0.0  # one print of the booklet with Chromium already running

    @property
    def ratio(self) -> float:
        return statistics.median(r.ratio for r in self.rounds)

    @property
    def all_ok(self) -> bool:
        return all(set(r.statuses) == {200} and r.distinct == 1 for r in self.rounds)

    @property
    def met(self) -> bool:
        return self.all_ok and self.ratio <= ABOUT_AS_LONG


def _pages(body: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(body)).pages)


def _single(server: Server) -> tuple[float, bytes]:
    with httpx.Client(timeout=180) as client:
        started = time.perf_counter()
        response = client.get(server.url + PATH)
        elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed, response.content


async def _storm(server: Server, concurrency: int) -> tuple[float, list[float], list[int], list[bytes]]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=180, limits=limits) as client:
        started = time.perf_counter()

        async def one() -> tuple[float, int, bytes]:
            response = await client.get(server.url + PATH)
            return time.perf_counter() - started, response.status_code, response.content

        answers = await asyncio.gather(*(one() for _ in range(concurrency)))
        total = time.perf_counter() - started
    return total, [a[0] for a in answers], [a[1] for a in answers], [a[2] for a in answers]


def print_twice() -> tuple[bool, float]:
    """Print the booklet twice in-process: whether the two differ, and how long the second (warm) took."""
    import threading

    from app.build import build_site
    from app.config import Settings
    from app.pdf import PdfPrinter

    site = build_site(Settings.from_env(), base_url="http://127.0.0.1:9/")
    bodies: list[bytes] = []
    seconds: list[float] = []

    async def twice() -> None:
        printer = PdfPrinter()
        try:
            for _ in range(2):
                await asyncio.sleep(1.1)  # a new second for the time stamp too
                started = time.perf_counter()
                bodies.append(await printer.print_pdf(site.base_url, "print/", lambda p: site.fetch(p, site.base_url)))
                seconds.append(time.perf_counter() - started)
        finally:
            await printer.close()

    thread = threading.Thread(target=lambda: asyncio.run(twice()))
    thread.start()
    thread.join(timeout=180)
    if len(bodies) != 2:
        raise RuntimeError("printing the booklet in-process failed")
    return bodies[0] != bodies[1], seconds[1]


def measure(procs: Processes, fresh: Callable[[str, bool], Server], *, concurrency: int = 12, rounds: int = 3) -> Storm:
    """`rounds` pairs of fresh servers: one cold request on the first, `concurrency` on the second."""
    result = Storm(concurrency)
    for round_no in range(rounds):
        server = fresh("app-pdf-single", round_no == 0)
        try:
            wait_idle(server.pid)
            single_s, body = _single(server)
        finally:
            procs.stop(server.proc)
        server = fresh("app-pdf-storm", round_no == 0)
        try:
            wait_idle(server.pid)
            storm_s, latencies, statuses, bodies = asyncio.run(_storm(server, concurrency))
        finally:
            procs.stop(server.proc)
        ok = [b for b, status in zip(bodies, statuses) if status == 200]
        distinct = len({hashlib.sha256(b).digest() for b in ok})
        result.rounds.append(
            StormRound(single_s, storm_s, latencies, statuses, distinct, len(body), _pages(ok[0]) if ok else 0)
        )
    result.prints_differ, result.warm_print_s = print_twice()
    return result


def table(s: Storm) -> str:
    rows = [
        f"| round | one cold request | {s.concurrency} at once: last answer | ratio | statuses | distinct PDFs |",
        "|---:|---:|---:|---:|---|---:|",
    ]
    for i, r in enumerate(s.rounds):
        counts = ", ".join(f"{n}× {code}" for code, n in sorted({c: r.statuses.count(c) for c in r.statuses}.items()))
        rows.append(
            f"| {i + 1} | {r.single_s:.2f} s | {r.storm_s:.2f} s (first {min(r.latencies):.2f} s) | {r.ratio:.2f}× "
            f"| {counts} | {r.distinct} |"
        )
    first = s.rounds[0]
    excess = max(0.0, statistics.median(r.storm_s - r.single_s for r in s.rounds))
    room = int(excess // s.warm_print_s) if s.warm_print_s else 0
    if s.prints_differ:
        by_bytes = "so each storm was answered from **one print**"
    else:
        by_bytes = "(two prints of one page came out identical on this machine, so the bytes prove nothing here)"
    return "\n".join(
        [
            *rows,
            "",
            f"Median ratio storm / single: **{s.ratio:.2f}×** (target: about as long as one, ≤ {ABOUT_AS_LONG}×): "
            f"{'met' if s.met else '**not met**'}. The PDF: {first.pages} pages, {first.size / 1024:.0f} KiB.",
            "",
            f"Prints, inferred: every storm's {s.concurrency} answers were "
            f"{'identical' if all(r.distinct == 1 for r in s.rounds) else '**not identical**'}, and two prints of "
            f"the same page {'differ' if s.prints_differ else 'did **not** differ'} byte for byte (checked in-process), "
            f"{by_bytes}. By time: the storm took {excess:.2f} s longer than the single request (median of the rounds; "
            "0 when shorter), and one more "
            f"print of the booklet takes {s.warm_print_s:.2f} s with Chromium running (measured in-process), so at most "
            f"{1 + room} print(s) fit in a storm.",
        ]
    )
