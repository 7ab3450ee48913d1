"""The load test: many connections round-robin over every page, with the server's memory sampled."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from bench.procs import rss_kib
from bench.servers import Server
from bench.wrk import LOAD_SCRIPT, run_wrk

RSS_GROWTH_LIMIT = 0.10


def load_test(
    app: Server, paths: list[str], *, threads: int, connections: int, seconds: int, warmup: int, cpus: str | None
) -> dict[str, Any]:
    """wrk at `connections` for `seconds` after a warm-up, sampling the server's RSS every second."""
    idle = rss_kib(app.pid)
    common: dict[str, Any] = dict(
        threads=threads, connections=connections, script=LOAD_SCRIPT, script_args=tuple(paths), cpus=cpus
    )
    warm_run = run_wrk(app.url + "/", seconds=warmup, **common)
    warm = rss_kib(app.pid)
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            try:
                samples.append(rss_kib(app.pid))
            except (OSError, RuntimeError):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = run_wrk(app.url + "/", seconds=seconds, **common)
    finally:
        stop.set()
        sampler.join(timeout=5)
    time.sleep(1)
    after = rss_kib(app.pid)
    alive = httpx.get(app.url + "/healthz", timeout=10).status_code == 200
    growth = (after - warm) / warm
    return {
        "paths": paths,
        "warmup": warm_run,
        "result": result,
        "rss_idle_kib": idle,
        "rss_warm_kib": warm,
        "rss_after_kib": after,
        "rss_peak_kib": max(samples or [after]),
        "growth_from_warm": growth,
        "growth_from_idle": (after - idle) / idle,
        "alive_after": alive,
        "met": result.errors == 0
        and result.non_2xx_3xx == 0
        and result.non_200 == 0
        and growth < RSS_GROWTH_LIMIT
        and alive,
    }
