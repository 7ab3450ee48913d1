"""Open the session database (SQLite in the data folder, or PostgreSQL) and bring its schema up to date."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.config import Settings, database_url

log = logging.getLogger("zevenstops.sessions")
MIGRATIONS = Path(__file__).parent / "migrations"


def url_of(settings: Settings) -> str:
    return database_url(settings.database_url, settings.data_dir)


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file gets its folder on first use and write-ahead logging.

    WAL lets attendees' streams read while an answer is written; the busy timeout makes
    writers from several workers wait their turn instead of failing.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=10,
            max_overflow=20,
            connect_args={"connect_timeout": 5},
            hide_parameters=True,  # an error in the log must not show a session's code or hashes
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


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


@contextlib.contextmanager
def without_foreign_keys(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrating, checked after.

    Alembic's batch mode copies a SQLite table, drops the old one and renames the copy: with
    foreign keys on, dropping `sessions` would cascade and delete every answer. The pragma only
    takes effect outside a transaction, so it is set before Alembic's transaction begins.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()  # SQLAlchemy began a transaction for the pragma; pysqlite sent no BEGIN
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"Migration left rows without their parent: {broken[:5]}")
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def migrate(engine: Engine, attempts: int = 5) -> None:
    """Run Alembic's migrations up to the newest (several workers may start at once)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    for attempt in range(1, attempts + 1):
        try:
            with engine.connect() as connection, without_foreign_keys(connection), connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
            return
        except (OperationalError, ProgrammingError) as err:
            # Another worker created the same tables at the same moment: the next try sees them.
            if attempt == attempts:
                raise
            log.info("Migration clashed with another worker (%s); trying again", err.__class__.__name__)
            time.sleep(0.2 * attempt)
