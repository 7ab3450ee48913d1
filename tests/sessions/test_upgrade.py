"""Schema upgrades: from the previous revision with data, under a lock, never to an unknown revision."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, Table, select, text

from app.sessions.db import make_engine, migrate
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


def _known(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    missing = [column.name for column in table.columns if column.name not in values and not column.nullable]
    missing = [name for name in missing if table.c[name].server_default is None and not table.c[name].autoincrement]
    assert not missing, f"{table.name} needs {missing}: add them to the test's rows"
    return {name: value for name, value in values.items() if name in table.c}


def test_upgrade_from_the_previous_revision_keeps_every_row(db_url: str) -> None:
    """A database at the revision before the newest, with sessions, attendees and answers: all kept."""
    previous = known_revisions()[-2]
    engine = make_engine(db_url)
    _at(engine, previous)
    # Rows as the previous release wrote them: only the columns its schema has (today's Store
    # would write columns the previous revision does not know yet).
    old = MetaData()
    old.reflect(engine)
    sessions, attendees, answers = (old.tables[name] for name in ("sessions", "attendees", "answers"))
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with engine.begin() as connection:
        for n in range(3):
            values = {"code": f"ABCD234{n + 5}", "secret_hash": f"{n}" * 64, "created_at": now, "stop": "ambitie"}
            values |= {"version": 2, "revision": 1, "attendees": 2}
            session = connection.execute(sessions.insert().values(**_known(sessions, values))).inserted_primary_key[0]
            for token, scores in (("a", {0: 4, 1: 2}), ("b", {0: 1})):
                seat = {"session_id": session, "token_hash": token * 64, "window_start": now, "window_answers": 1}
                attendee = connection.execute(
                    attendees.insert().values(**_known(attendees, seat))
                ).inserted_primary_key[0]
                for item, score in scores.items():
                    row = {
                        "attendee_id": attendee,
                        "session_id": session,
                        "stop": "ambitie",
                        "item": item,
                        "score": score,
                    }
                    connection.execute(answers.insert().values(**_known(answers, row)))
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
