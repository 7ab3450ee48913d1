"""Open the session database (SQLite in the data folder, or PostgreSQL) and bring its schema up to date."""

from __future__ import annotations

import logging
import os
import shutil
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from app import metrics
from app.sessions.upgrade import MIGRATIONS, SchemaTooNew, upgrade

log = logging.getLogger("zevenstops.sessions")
__all__ = ["MIGRATIONS", "SchemaTooNew", "make_engine", "migrate", "writing"]
_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file gets its folder on first use and write-ahead logging.

    WAL lets attendees' streams read while an answer is written; the busy timeout makes
    writers from several workers wait their turn instead of failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            connect_args={"connect_timeout": 5},
            hide_parameters=True,  # an error in the log must not show a session's code or hashes
        )
        event.listen(engine, "before_cursor_execute", _count)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)
    event.listen(engine, "before_cursor_execute", _count)
    _WRITERS[engine] = threading.Lock()

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction (`engine.begin()`); on SQLite one thread of this process at a time.

    SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps
    longer the longer they wait (1, 2, 5 … 100 ms). Under a burst of answers a facilitator's move
    lost that race again and again: a second and more in bench/national.py. Queued on a lock
    here, each writer goes the moment the one before commits. Other worker processes still
    wait in the busy handler; PostgreSQL has row locks and needs none of this.
    """
    with _WRITERS.get(engine) or nullcontext(), engine.begin() as db:  # only SQLite engines have a lock
        yield db


def _count(*_: Any) -> None:
    """Count each statement, for the metrics (what the database is asked, per second, as rooms fill)."""
    metrics.STATEMENTS.inc()


def writable_problem(url: str) -> str:
    """For SQLite: why its folder cannot take writes (Dutch, for /healthz), or ""."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return ""
    folder = Path(str(parsed.database)).parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return "map niet beschrijfbaar"
    if shutil.disk_usage(folder).free < 1024 * 1024:
        return "schijf vol"
    return ""


def exists(url: str) -> bool:
    """Whether there may be sessions to clean up: a SQLite file that is there, or any server."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return bool(parsed.database) and Path(str(parsed.database)).is_file()


def migrate(engine: Engine, apply: bool = True) -> None:
    """Run Alembic's migrations up to the newest, one worker at a time; refuse a newer schema."""
    upgrade(engine, apply)
