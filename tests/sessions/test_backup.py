"""`metro sessies backup/restore` and `metro db upgrade` on the SQLite file in the data folder."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from app.cli import main
from app.sessions.db import make_engine, migrate
from app.sessions.store import Store
from app.sessions.upgrade import known_revisions


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZEVENSTOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ZEVENSTOPS_DATABASE_URL", raising=False)
    return tmp_path / "data"


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _database(data: Path) -> Path:
    from app.config import Settings

    return Path(Settings.from_env().engine_url.removeprefix("sqlite:///"))


def test_backup_while_answers_are_written_is_consistent(data: Path, tmp_path: Path) -> None:
    """A writer keeps answering during the backup: the copy passes the integrity check and holds the sessions."""
    db = _database(data)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    store = Store(engine, answers_per_minute=10**9, attendees_per_session=10**9)
    session, _ = store.create()
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set():
            store.answer(session, f"{n:043d}", "ambitie", {0: 1 + n % 5})
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        for number in range(3):
            copy = tmp_path / f"kopie-{number}.db"
            assert main(["sessies", "backup", str(copy)]) == 0
            with sqlite3.connect(copy) as connection:
                assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert _count(copy, "sessions") == 1
    finally:
        stop.set()
        writer.join(timeout=60)
        engine.dispose()
    assert _count(copy, "answers") >= 1


def test_backup_never_overwrites_a_file(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _database(data)
    migrate(make_engine(f"sqlite:///{db}"))
    mine = tmp_path / "mijn-bestand.txt"
    mine.write_text("van mij")
    assert main(["sessies", "backup", str(mine)]) == 1
    assert "bestaat al" in capsys.readouterr().err
    assert mine.read_text() == "van mij"


def test_restore_keeps_the_current_database_aside_and_brings_the_copy_back(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _database(data)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    store = Store(engine)
    store.create()
    copy = tmp_path / "kopie.db"
    assert main(["sessies", "backup", str(copy)]) == 0
    store.create()
    engine.dispose()
    assert main(["sessies", "restore", str(copy)]) == 0
    assert _count(db, "sessions") == 1
    aside = [p for p in db.parent.iterdir() if ".voor-herstel-" in p.name]
    assert len(aside) == 1 and _count(aside[0], "sessions") == 2
    assert "De vorige database staat in" in capsys.readouterr().out


@pytest.mark.parametrize("where", ["kopie", "huidige"])
def test_restore_refuses_an_unknown_revision_and_touches_nothing(
    where: str, data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = _database(data)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    Store(engine).create()
    engine.dispose()
    copy = tmp_path / "kopie.db"
    assert main(["sessies", "backup", str(copy)]) == 0
    with sqlite3.connect(copy if where == "kopie" else db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    files = sorted(p.name for p in db.parent.iterdir())
    assert main(["sessies", "restore", str(copy)]) == 1
    assert "schemaversie 9999" in capsys.readouterr().err
    assert sorted(p.name for p in db.parent.iterdir()) == files
    assert _count(db, "sessions") == 1


def test_restore_refuses_what_is_no_backup(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notities.txt"
    other.write_text("geen database")
    assert main(["sessies", "restore", str(other)]) == 1
    assert "geen SQLite-database van de gids" in capsys.readouterr().err
    assert not _database(data).exists()


def test_db_upgrade_brings_the_previous_revision_up(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from alembic import command

    from app.sessions.upgrade import config

    db = _database(data)
    engine = make_engine(f"sqlite:///{db}")
    settings = config()
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, known_revisions()[-2])
    engine.dispose()
    assert main(["db", "upgrade"]) == 0
    assert f"naar {known_revisions()[-1]}" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "al bij de nieuwste versie" in capsys.readouterr().out


def test_postgresql_backups_point_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ZEVENSTOPS_DATABASE_URL", "postgresql://gids:geheim@127.0.0.1/gids")
    assert main(["sessies", "backup", "kopie.db"]) == 1
    assert "pg_dump" in capsys.readouterr().err
