"""A fresh uvicorn for one set-up of a live-session benchmark: its database, its process, its load.

Shared by `python -m bench.sessions` and `python -m bench.national`: each names its app, workers,
settings and load; this starts the server on a free port, runs the load against it within a
time limit, notes what went wrong instead of raising, and leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from bench.procs import Processes, free_port, rss_kib
from bench.servers import ROOT, VENV_BIN

Load = Callable[[str, Callable[[], int]], Awaitable[None]]  # (base URL, the server's RSS in KiB) -> measured


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (uvicorn's workers)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += rss_kib(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def postgres_schema(url: str) -> tuple[str, Callable[[], None]]:
    """A fresh schema for one run, and a function that drops it."""
    from sqlalchemy import create_engine, text

    from app.config import database_url

    admin = create_engine(database_url(url, Path(".")))
    schema = f"bench_{secrets.token_hex(4)}"
    with admin.begin() as db:
        db.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as db:
            db.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options={quote(f'-csearch_path={schema}')}", drop


def measure(
    procs: Processes,
    label: str,
    app: str,
    *,
    workers: int,
    env: dict[str, str],
    database: str,
    postgres: str,
    load: Load,
    ready_timeout: float,
    load_timeout: float,
    errors: list[str],
    options: tuple[str, ...] = (),
) -> str:
    """Serve `app` on `database` ("PostgreSQL": a fresh schema in `postgres`; else the data folder's
    SQLite) and run `load` against it; an error goes into `errors`. Returns why it was skipped, or ""."""
    drop = None
    if database == "PostgreSQL":
        if not postgres:
            return "no PostgreSQL: set ZEVENSTOPS_TEST_DATABASE_URL or --postgres"
        env["ZEVENSTOPS_DATABASE_URL"], drop = postgres_schema(postgres)
    else:
        env.pop("ZEVENSTOPS_DATABASE_URL", None)
    port = free_port()
    argv = [str(VENV_BIN / "uvicorn"), app, "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", str(workers), "--no-access-log", "--log-level", "warning", *options]
    argv += ["--timeout-graceful-shutdown", "3"]
    proc = procs.start(label, argv, cwd=ROOT, env=env)
    try:
        procs.wait_ready(label, proc, f"http://127.0.0.1:{port}/healthz", timeout=ready_timeout)
        rss = lambda: tree_rss_kib(proc.pid)  # noqa: E731
        asyncio.run(asyncio.wait_for(load(f"http://127.0.0.1:{port}", rss), load_timeout))
    except Exception as err:  # report what was measured
        errors.append(f"{type(err).__name__}: {err}")
    finally:
        procs.stop(proc)
        if drop:
            drop()
    return ""
