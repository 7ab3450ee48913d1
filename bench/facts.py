"""Facts about the machine and the software a run measured, for the report."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cmd(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "?"


def _memory() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def _os() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> dict[str, str]:
    commit = _cmd(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    # The report of an earlier run is not a change to what is measured.
    dirty = _cmd(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs/performance.md"]
    )
    return {
        "CPU": f"{_cpu_model()}, {os.cpu_count()} logical CPUs (nproc {_cmd(['nproc'])})",
        "memory": _memory(),
        "OS": f"{_os()}, kernel {platform.release()}",
        "Python": platform.python_version(),
        "uvicorn / uvloop / httptools": f"{_version('uvicorn')} / {_version('uvloop')} / {_version('httptools')}",
        "FastAPI / Starlette": f"{_version('fastapi')} / {_version('starlette')}",
        "wrk": _cmd(["wrk", "-v"]).split(" Copyright")[0],
        "nginx": _cmd(["nginx", "-v"]).replace("nginx version: ", ""),
        "Chromium": _cmd(["chromium", "--version"]),
        "Node.js": _cmd(["node", "--version"]),
        "Playwright": _version("playwright"),
        "git": commit + (" (with uncommitted changes)" if dirty not in ("", "?") else ""),
        "load average at start": loadavg(),
    }
