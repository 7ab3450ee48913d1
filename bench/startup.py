"""Cold start: from spawning a new server process to its first `200` for `/`.

Both ways of running the guide are measured, alternately: `metro serve` (uvicorn through
app/server.py) and `uvicorn app.main:app`, neither pinned to a CPU. The clock starts just before
the process is spawned, so it includes starting Python, importing, loading and rendering the
guide and binding the port; `/` is polled every 10 ms. The CPU time the server process has
used by then (all its threads, from /proc) is noted too: unlike the wall time it hardly depends
on what else the machine is doing. After the first 200 the server goes on compressing with
brotli in the background: the time until its CPU falls idle (checked every 0.25 s) is noted as
well. Where the time goes is measured apart, in a fresh process: importing the modules
`metro serve` needs, then `create_app` (loading, building and wrapping the guide).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.procs import Processes, cpu_seconds, free_port, run, wait_idle
from bench.servers import ROOT, VENV_BIN, server_env

TARGET_S = 2.0
POLL_S = 0.01

# Runs in a fresh process: the imports of `metro serve`, then create_app, each as (wall, CPU).
PHASES = r"""
import json, time
wall, cpu = time.perf_counter(), time.process_time()
import app.server, app.web, uvicorn
from app.config import Settings
imported = (time.perf_counter() - wall, time.process_time() - cpu)
wall, cpu = time.perf_counter(), time.process_time()
app.web.create_app(Settings.from_env())
created = (time.perf_counter() - wall, time.process_time() - cpu)
print(json.dumps({"imports": imported, "create_app": created}))
"""


@dataclass
class ColdStart:
    label: str
    command: str = ""
    first_200: list[float] = field(default_factory=list)  # seconds from spawn
    cpu: list[float] = field(default_factory=list)  # CPU seconds the server used by its first 200
    settled: list[float] = field(default_factory=list)  # seconds from spawn until the CPU is idle

    @property
    def median(self) -> float:
        return statistics.median(self.first_200)


def commands(port: int) -> dict[str, list[str]]:
    return {
        "metro serve": [str(VENV_BIN / "metro"), "serve", "--port", str(port)],
        "uvicorn app.main:app": [str(VENV_BIN / "uvicorn"), "app.main:app", "--port", str(port)],
    }


def phases(content_dir: Path, runs: int = 3) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of the imports and of `create_app`, each run in a fresh process."""
    seen: dict[str, list[tuple[float, float]]] = {"imports": [], "create_app": []}
    for _ in range(runs):
        done = run([sys.executable, "-c", PHASES], cwd=ROOT, env=server_env(content_dir), timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"timing the start's phases failed:\n{done.stderr[-2000:]}")
        for phase, (wall, cpu) in json.loads(done.stdout.strip().splitlines()[-1]).items():
            seen[phase].append((wall, cpu))
    return {
        phase: (statistics.median(w for w, _ in times), statistics.median(c for _, c in times))
        for phase, times in seen.items()
    }


def measure(procs: Processes, content_dir: Path, runs: int = 3) -> list[ColdStart]:
    results = {label: ColdStart(label) for label in commands(0)}
    for run_no in range(runs):
        for label in commands(0):
            port = free_port()
            argv = commands(port)[label]
            name = "cold-" + label.split()[0]
            started = time.perf_counter()
            proc = procs.start(name, argv, cwd=ROOT, env=server_env(content_dir), record=run_no == 0)
            try:
                results[label].first_200.append(_first_200(procs, name, proc, f"http://127.0.0.1:{port}/", started))
                results[label].cpu.append(cpu_seconds(proc.pid))
                wait_idle(proc.pid, window=0.25)
                results[label].settled.append(time.perf_counter() - started)
            finally:
                procs.stop(proc)
            results[label].command = " ".join(argv)
    return list(results.values())


def _first_200(
    procs: Processes, name: str, proc: subprocess.Popen, url: str, started: float, timeout: float = 60
) -> float:
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited before answering:\n{procs.log(name)[-2000:]}")
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(POLL_S)
    raise RuntimeError(f"{name} did not answer {url} within {timeout:.0f} s")


def table(starts: list[ColdStart], phase_times: dict[str, tuple[float, float]] | None = None) -> str:
    rows = [
        "| command | first `200` (median) | every run | server CPU by then (median) | CPU idle again (median) "
        "| target ≤ 2 s |",
        "|---|---:|---|---:|---:|---|",
    ]
    for s in starts:
        rows.append(
            f"| `{s.label}` | **{s.median:.2f} s** | {', '.join(f'{x:.2f}' for x in s.first_200)} s "
            f"| {statistics.median(s.cpu):.2f} s | {statistics.median(s.settled):.2f} s "
            f"| {'yes' if s.median <= TARGET_S else '**no**'} |"
        )
    if phase_times:
        rows += [
            "",
            "Where it goes (median, wall / CPU): "
            + "; ".join(f"{phase} {wall:.2f} s / {cpu:.2f} s" for phase, (wall, cpu) in phase_times.items())
            + "; the rest is starting Python, uvicorn's start and binding the port.",
        ]
    return "\n".join(rows)
