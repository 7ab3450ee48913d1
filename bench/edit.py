"""Edit-to-served latency: save a stop file under `metro serve --reload`, wait for the new page.

The server runs on a copy of the content. Each edit changes the stop's title with one write
of the file (as an editor's save), and the station page is polled until it carries the new
title: the time from the write to that answer is what an editor waits. Between edits the
server is left to settle (the background compression of the previous build), as between two
saves by hand.
"""

from __future__ import annotations

import re
import secrets
import shutil
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.procs import Processes, cpu_seconds, free_port, wait_idle
from bench.servers import ROOT, VENV_BIN, server_env

TARGET_S = 1.0
POLL_S = 0.02
TITLE = re.compile(r'^title: *"?([^"\n]*)"?$', re.MULTILINE)
REBUILT = re.compile(r"Rebuilt in ([\d.]+) s")


@dataclass
class EditLatency:
    slug: str
    poll_s: float = POLL_S
    latencies: list[float] = field(default_factory=list)  # write → first answer with the new title
    rebuilds: list[float] = field(default_factory=list)  # the server's own "Rebuilt in" figures
    cpu: list[float] = field(default_factory=list)  # CPU seconds the server used from the write to the answer
    command: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def max(self) -> float:
        return max(self.latencies)


def measure(procs: Processes, content_dir: Path, tmp: Path, edits: int = 5) -> EditLatency:
    """Start `metro serve --reload` on a copy of `content_dir`; time `edits` title changes of the first stop."""
    copy = tmp / "content-edit"
    shutil.copytree(content_dir, copy)
    stop_file = sorted(copy.glob("0[1-9]-*.md"))[0]
    slug = stop_file.stem.split("-", 1)[1]
    port = free_port()
    argv = [str(VENV_BIN / "metro"), "serve", "--content", str(copy), "--port", str(port), "--reload"]
    proc = procs.start("metro-reload", argv, cwd=ROOT, env=server_env(copy))
    url = f"http://127.0.0.1:{port}"
    page = f"{url}/stops/{slug}/"
    result = EditLatency(slug, command=" ".join(argv))
    try:
        procs.wait_ready("metro-reload", proc, url + "/")
        wait_idle(proc.pid)
        original = stop_file.read_text("utf-8")
        title = TITLE.search(original)
        if title is None:
            raise RuntimeError(f"no title line in {stop_file.name}")
        with httpx.Client(timeout=10) as client:
            for _ in range(edits):
                new_title = f"{title.group(1)} proef {secrets.token_hex(3)}"
                text = original[: title.start(1)] + new_title + original[title.end(1) :]
                seen = len(REBUILT.findall(procs.log("metro-reload")))
                cpu = cpu_seconds(proc.pid)
                started = time.perf_counter()
                stop_file.write_text(text, "utf-8")
                result.latencies.append(_wait_for(client, page, new_title, started))
                result.cpu.append(cpu_seconds(proc.pid) - cpu)
                result.rebuilds.append(_rebuilt(procs, seen))
                wait_idle(proc.pid)
    finally:
        procs.stop(proc)
    return result


def _wait_for(client: httpx.Client, page: str, text: str, started: float, timeout: float = 30) -> float:
    """Poll `page` until its body contains `text`; the seconds since `started`."""
    while (elapsed := time.perf_counter() - started) < timeout:
        response = client.get(page)
        if response.status_code == 200 and text in response.text:
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise RuntimeError(f"{page} did not show the edit within {elapsed:.0f} s")


def _rebuilt(procs: Processes, seen: int, timeout: float = 10) -> float:
    """The server's "Rebuilt in" figure for the rebuild after the `seen` earlier ones."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = REBUILT.findall(procs.log("metro-reload"))
        if len(found) > seen:
            return float(found[-1])
        time.sleep(0.05)
    return float("nan")


def table(e: EditLatency) -> str:
    ok = e.max <= TARGET_S
    rows = [
        "| edit | write → new title served | server's rebuild (its log) | server CPU meanwhile |",
        "|---:|---:|---:|---:|",
        *(
            f"| {i + 1} | {lat:.3f} s | {reb:.3f} s | {cpu:.3f} s |"
            for i, (lat, reb, cpu) in enumerate(zip(e.latencies, e.rebuilds, e.cpu))
        ),
        f"| **median** | **{e.median:.3f} s** | {statistics.median(e.rebuilds):.3f} s | {statistics.median(e.cpu):.3f} s |",
        f"| **max** | **{e.max:.3f} s** | {max(e.rebuilds):.3f} s | {max(e.cpu):.3f} s |",
    ]
    return "\n".join(
        [
            *rows,
            "",
            f"Target ≤ {TARGET_S:.0f} s: median {'met' if e.median <= TARGET_S else '**not met**'}, "
            f"every edit {'met' if ok else '**not met**'}.",
        ]
    )
