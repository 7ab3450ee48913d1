"""Start, watch and always stop the processes of a benchmark run."""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import time
from contextlib import AbstractContextManager, suppress
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, every thread included, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, *, timeout: float = 90, window: float = 0.5, busy: float = 0.05) -> float:
    """Wait until a process uses less than `busy` of a CPU over `window` seconds; return the seconds waited.

    A server answers before its background work (brotli) is done; measuring it meanwhile would
    measure that work too.
    """
    started = time.monotonic()
    before = cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = cpu_seconds(pid)
        if now - before < busy * window:
            break
        before = now
    return time.monotonic() - started


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc/PID/status (VmRSS, KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


class Processes(AbstractContextManager):
    """Every process of a run; `__exit__` stops them all (their own process groups only)."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.running: list[tuple[str, subprocess.Popen]] = []
        self.commands: list[tuple[str, str]] = []  # (what, command line) for the report

    def start(
        self, name: str, argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, record: bool = True
    ) -> subprocess.Popen:
        """Start `argv` logging to `name`.log; `record` lists its command line in the report."""
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 — closed with the process
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its children too
        )
        log.close()
        self.running.append((name, proc))
        if record:
            self.commands.append((name, shlex.join(argv)))
        return proc

    def log(self, name: str) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_ready(self, name: str, proc: subprocess.Popen, url: str, timeout: float = 30) -> None:
        """Poll `url` until it answers 200; fail early if the process died."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log(name)[-2000:]}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name} did not answer {url} within {timeout:.0f} s:\n{self.log(name)[-2000:]}")

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.running = [(n, p) for n, p in self.running if p is not proc]

    def __exit__(self, *exc: object) -> None:
        for _, proc in reversed(self.running):
            self.stop(proc)


def run(
    argv: list[str], *, timeout: float, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run a command to completion, bounded in time; on time-out its whole process group is killed."""
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=10)
        raise RuntimeError(
            f"{shlex.join(argv)} took longer than {timeout:.0f} s\n{out[-2000:]}\n{err[-2000:]}"
        ) from None
    finally:
        if proc.poll() is None:
            proc.kill()
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)
