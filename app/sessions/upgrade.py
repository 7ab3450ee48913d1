"""Bring the session schema up to date under a lock, and refuse a schema newer than this code."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_KEY = 7_020_519  # pg_advisory_xact_lock key: one upgrade at a time per PostgreSQL database


class SchemaTooNew(Exception):
    """The database was upgraded by a newer version of the guide; this one must not touch it."""


class SchemaBehind(Exception):
    """ZEVENSTOPS_AUTO_UPGRADE=nee and the schema is older than this code: `metro db upgrade` first."""


def config() -> Config:
    """Alembic's configuration for the guide's migrations."""
    result = Config()
    result.set_main_option("script_location", str(MIGRATIONS))
    return result


def known_revisions() -> list[str]:
    """Every revision this code knows, oldest first."""
    return [script.revision for script in reversed(list(ScriptDirectory.from_config(config()).walk_revisions()))]


def current(connection: Connection) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    return MigrationContext.configure(connection).get_current_revision()


def refuse_unknown(revision: str | None) -> None:
    """Raise SchemaTooNew when `revision` is not one this code knows."""
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNew(
            f"De database van de live sessies heeft schemaversie {revision}, die deze versie van de gids niet "
            f"kent (nieuwste bekende: {known_revisions()[-1]}). Ze is gemaakt door een nieuwere versie; de gids "
            "gaat niet terug naar een oudere versie (geen downgrade). Start de nieuwere versie, of zet een "
            "reservekopie terug die bij deze versie hoort."
        )


@contextlib.contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file: hold an exclusive lock on a file next to it, so workers upgrade one by one."""
    database = make_url(str(engine.url)).database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # Windows: one process serves there, nothing to race with
        yield
        return
    lock = Path(database).with_name(Path(database).name + ".upgrade-lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _without_foreign_keys(connection: Connection) -> Iterator[None]:
    """On SQLite, foreign keys off while migrating, checked after.

    Alembic's batch mode copies a SQLite table, drops the old one and renames the copy: with
    foreign keys on, dropping `sessions` would cascade and delete every answer. The pragma only
    takes effect outside a transaction, so it is set before the upgrade's transaction begins.
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


def upgrade(engine: Engine, apply: bool = True) -> tuple[str | None, str]:
    """Upgrade to the newest revision (apply=False: SchemaBehind instead); returns (before, after).

    Several workers may start at once: SQLite waits on a file lock, PostgreSQL on an advisory
    lock held for the upgrade's transaction. Raises SchemaTooNew for an unknown revision.
    """
    head = known_revisions()[-1]
    with _file_lock(engine), engine.connect() as connection, _without_foreign_keys(connection), connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        before = current(connection)
        refuse_unknown(before)
        if before == head:
            return before, head
        if not apply:
            raise SchemaBehind(
                f"De database van de live sessies heeft schemaversie {before or 'leeg'}, deze versie van de gids "
                f"verwacht {head}. ZEVENSTOPS_AUTO_UPGRADE=nee, dus de gids werkt het schema niet zelf bij: voer "
                "eerst `metro db upgrade` uit (na een reservekopie, zie docs/deploy.md)."
            )
        settings = config()
        settings.attributes["connection"] = connection
        command.upgrade(settings, "head")
    return before, head


def at_start(url: str, apply: bool) -> None:
    """Before serving: upgrade (or check) an existing database; a fresh SQLite file waits for first use.

    A database that cannot be reached now is left to /healthz; only a schema this code cannot
    serve (SchemaTooNew, SchemaBehind) stops the start.
    """
    from sqlalchemy.exc import DBAPIError

    from app.sessions import db

    if not db.exists(url):
        return
    engine = db.make_engine(url)
    try:
        upgrade(engine, apply)
    except DBAPIError:
        return
    finally:
        engine.dispose()
