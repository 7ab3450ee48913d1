"""Run wrk and read its report."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import run

HERE = Path(__file__).resolve().parent
LOAD_SCRIPT = HERE / "load.lua"

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_SIZE = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


@dataclass
class WrkResult:
    command: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    seconds: float
    bytes_read: float
    socket_errors: dict[str, int] = field(default_factory=dict)
    non_2xx_3xx: int = 0
    non_200: int | None = None  # counted by load.lua, when it is used
    output: str = ""

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values())

    @property
    def bytes_per_response(self) -> float:
        return self.bytes_read / self.requests if self.requests else 0.0


def wrk_binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise RuntimeError("wrk not found: apt-get install wrk")
    return path


def run_wrk(
    url: str,
    *,
    threads: int,
    connections: int,
    seconds: int,
    headers: tuple[str, ...] = ("Accept-Encoding: gzip",),
    script: Path | None = None,
    script_args: tuple[str, ...] = (),
    cpus: str | None = None,
) -> WrkResult:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("benchmarks only send traffic to 127.0.0.1")
    argv = [wrk_binary(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        argv += ["-H", header]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    if cpus is not None:
        argv = ["taskset", "-c", cpus, *argv]
    done = run(argv, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    result = parse(done.stdout)
    result.command = shlex.join(argv)
    return result


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(output: str) -> WrkResult:
    def find(pattern: str) -> re.Match:
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{output}")
        return match

    total = find(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m), ([\d.]+)(B|KB|MB|GB) read")
    errors = {}
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors = dict(zip(("connect", "read", "write", "timeout"), map(int, socket.groups())))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    non_200 = re.search(r"^NON200 (\d+)$", output, re.MULTILINE)
    return WrkResult(
        command="",
        rps=float(find(r"^Requests/sec:\s+([\d.]+)").group(1)),
        p50_ms=_ms(find(r"^\s+50%\s+(\S+)").group(1)),
        p99_ms=_ms(find(r"^\s+99%\s+(\S+)").group(1)),
        requests=int(total.group(1)),
        seconds=_ms(total.group(2) + total.group(3)) / 1000,
        bytes_read=float(total.group(4)) * _SIZE[total.group(5)],
        socket_errors=errors,
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        non_200=int(non_200.group(1)) if non_200 else None,
        output=output,
    )
