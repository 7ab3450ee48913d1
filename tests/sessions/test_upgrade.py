"""Schema upgrades: from the previous revision with data, under a lock, never to an unknown revision."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, select, text

from app.sessions.db import make_engine, migrate
from app.sessions.store import Store
from app.sessions.upgrade import SchemaTooNew, config, current, known_revisions


def _at(engine: Engine, revision: str) -> None:
    settings = config()
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, revision)


def _rows(engine: Engine) -> dict[str, set[tuple[Any, ...]]]:
    """Every row of every table but alembic_version, as sets of (column, value) pairs."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: {tuple(sorted(row._mapping.items())) for row in connection.execute(select(table))}
            for name, table in metadata.tables.items()
            if name != "alembic_version"
        }


def test_upgrade_from_the_previous_revision_keeps_every_row(db_url: str) -> None:
    """A database at the revision before the newest, with sessions, attendees and answers: all kept."""
    previous = known_revisions()[-2]
    engine = make_engine(db_url)
    _at(engine, previous)
    store = Store(engine)  # the data the previous release wrote (its tables are the same as far as it goes)
    for _ in range(3):
        session, _secret = store.create()
        store.move(session.id, "ambitie")
        store.answer(session, "a" * 43, "ambitie", {0: 4, 1: 2})
        store.answer(session, "b" * 43, "ambitie", {0: 1})
    before = _rows(engine)
    assert sum(len(rows) for rows in before.values()) >= 12
    migrate(engine)
    after = _rows(engine)
    with engine.connect() as connection:
        assert current(connection) == known_revisions()[-1]
    for name, rows in before.items():
        upgraded = [set(row) for row in after[name]]  # a new column may be added; no old value may change
        lost = [row for row in rows if not any(set(row) <= new for new in upgraded)]
        assert lost == [], f"rows of {name} lost or changed by the upgrade"
    engine.dispose()


def test_a_database_newer_than_the_code_is_refused_untouched(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sessies.db'}")
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = _rows(engine)
    with pytest.raises(SchemaTooNew, match=r"schemaversie 9999.*geen downgrade"):
        migrate(engine)
    assert _rows(engine) == before
    with engine.connect() as connection:
        assert current(connection) == "9999"


def test_workers_starting_at_once_upgrade_one_by_one(tmp_path: Path) -> None:
    """Six workers on a fresh SQLite file at the same moment: each one succeeds, the schema is made once."""
    url = f"sqlite:///{tmp_path / 'sessies.db'}"
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def worker() -> None:
        engine = make_engine(url)
        start.wait()
        try:
            migrate(engine)
        except BaseException as err:  # collected for the assertion below
            errors.append(err)
        engine.dispose()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    engine = make_engine(url)
    with engine.connect() as connection:
        assert current(connection) == known_revisions()[-1]
    engine.dispose()
