"""The session store on SQLite and PostgreSQL: schema, answers, limits, clean-up."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect

from app import config
from app.config import Settings, SettingsError
from app.sessions import codes
from app.sessions.db import make_engine, migrate
from app.sessions.store import LimitReached, Store
from app.web import create_app
from tests.conftest import VALID
from tests.sessions.helpers import start


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def engine(db_url: str) -> Engine:
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Clock) -> Store:
    return Store(engine, answers_per_minute=3, attendees_per_session=2, clock=clock)


def test_migrations_create_the_tables_and_run_twice(engine: Engine) -> None:
    migrate(engine)  # a second worker starting: nothing to do, no error
    assert {"sessions", "attendees", "answers", "alembic_version"} <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("answers")}
    assert columns == {"attendee_id", "stop", "item", "session_id", "score"}  # no names, no addresses


def test_sqlite_file_and_folder_are_created_on_first_use_in_wal_mode(tmp_path: Path) -> None:
    target = tmp_path / "nieuw" / "sessies.db"
    engine = make_engine(f"sqlite:///{target}")
    assert not target.exists()
    migrate(engine)
    with engine.connect() as db:
        assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert target.is_file()


def test_a_session_has_an_unguessable_code_and_only_the_secrets_hash(store: Store, engine: Engine) -> None:
    session, secret = store.create()
    assert codes.CODE_RE.match(session.code)
    assert len(secret) >= 22  # 128 bits, url-safe base64
    with engine.connect() as db:
        stored = db.exec_driver_sql("SELECT secret_hash FROM sessions").scalar()
    assert stored == codes.digest(secret) and secret not in stored
    assert store.authorised(session.code, secret)
    assert not store.authorised(session.code, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    assert not store.authorised("onbekend", secret)


def test_moving_bumps_the_version_only_when_the_stop_changes(store: Store) -> None:
    session, _ = store.create()
    assert store.state(session.id) == (None, 0, 0)
    store.move(session.id, "ambitie")
    store.move(session.id, "ambitie")
    assert store.state(session.id) == ("ambitie", 1, 0)
    store.move(session.id, None)
    assert store.state(session.id) == (None, 2, 0)


def test_one_answer_per_attendee_per_stop_and_item(store: Store, clock: Clock) -> None:
    session, _ = store.create()
    store.answer(session, "telefoon-a", "ambitie", {0: 2, 1: 4})
    clock.now += timedelta(minutes=2)
    store.answer(session, "telefoon-a", "ambitie", {0: 5})  # changed her mind: replaces, does not add
    store.answer(session, "telefoon-b", "ambitie", {0: 5})
    store.answer(session, "telefoon-b", "orde", {0: 1})
    assert store.tally(session.id) == {
        ("ambitie", 0): Counter({5: 2}),
        ("ambitie", 1): Counter({4: 1}),
        ("orde", 0): Counter({1: 1}),
    }
    assert store.answers_of(session, "telefoon-a") == {("ambitie", 0): 5, ("ambitie", 1): 4}
    assert store.state(session.id).revision == 4


def test_the_same_cookie_is_a_different_attendee_in_another_session(store: Store) -> None:
    first, _ = store.create()
    second, _ = store.create()
    store.answer(first, "telefoon", "ambitie", {0: 3})
    assert store.answers_of(second, "telefoon") == {}


def test_answers_per_minute_are_limited_and_the_limit_says_when_to_retry(store: Store, clock: Clock) -> None:
    session, _ = store.create()
    for score in (1, 2, 3):
        store.answer(session, "telefoon", "ambitie", {0: score})
    clock.now += timedelta(seconds=20)
    with pytest.raises(LimitReached) as limit:
        store.answer(session, "telefoon", "ambitie", {0: 5})
    assert limit.value.kind == "answers" and limit.value.retry_after == 40
    assert store.answers_of(session, "telefoon") == {("ambitie", 0): 3}  # nothing stored
    clock.now += timedelta(seconds=41)
    store.answer(session, "telefoon", "ambitie", {0: 5})
    assert store.answers_of(session, "telefoon") == {("ambitie", 0): 5}


def test_attendees_per_session_are_limited(store: Store) -> None:
    session, _ = store.create()
    store.answer(session, "a", "ambitie", {0: 3})
    store.answer(session, "b", "ambitie", {0: 3})
    with pytest.raises(LimitReached) as limit:
        store.answer(session, "c", "ambitie", {0: 3})
    assert limit.value.kind == "attendees"
    store.answer(session, "a", "orde", {0: 4})  # those already in keep answering
    assert store.find(session.code).attendees == 2
    assert sum(sum(c.values()) for c in store.tally(session.id).values()) == 3


def test_sessions_older_than_the_set_days_are_deleted_with_their_answers(store: Store, clock: Clock) -> None:
    old, _ = store.create()
    store.answer(old, "a", "ambitie", {0: 3})
    clock.now += timedelta(days=29)
    recent, _ = store.create()
    store.answer(recent, "a", "ambitie", {0: 4})
    clock.now += timedelta(days=1, seconds=1)
    assert store.delete_older_than(30) == 1
    assert store.find(old.code) is None and store.tally(old.id) == {}
    assert store.find(recent.code) is not None and store.tally(recent.id) == {("ambitie", 0): Counter({4: 1})}


def test_the_facilitator_deletes_at_once(store: Store) -> None:
    session, _ = store.create()
    store.answer(session, "a", "ambitie", {0: 3})
    store.delete(session.id)
    assert store.find(session.code) is None and store.state(session.id) is None and store.tally(session.id) == {}


@pytest.mark.parametrize(
    ("typed", "code"),
    [("K7QM-4XPA", "k7qm4xpa"), (" k7qm 4xpa ", "k7qm4xpa"), ("k7qm4xp", None), ("k7qm4xp0", None), ("../etc", None)],
)
def test_codes_are_typed_forgivingly(typed: str, code: str | None) -> None:
    assert codes.normalise_code(typed) == code


def test_database_settings() -> None:
    settings = Settings.from_env({"ZEVENSTOPS_DATA_DIR": "/srv/gids"})
    assert settings.engine_url == "sqlite:////srv/gids/sessies.db"
    pg = Settings.from_env({"ZEVENSTOPS_DATABASE_URL": "postgresql://u:p@db/gids"})
    assert pg.engine_url == "postgresql+psycopg://u:p@db/gids"
    # The settings keep what was configured, so the SQLite file follows a changed data folder.
    assert replace(settings, data_dir=Path("/elders")).engine_url == "sqlite:////elders/sessies.db"
    assert Settings.from_env({"ZEVENSTOPS_SESSION_DAYS": "7"}).session_days == 7


def test_the_database_url_is_normalised_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start, the session layer and a started session all use the one URL the settings derived."""
    calls: list[str] = []
    normalise = config.database_url

    def counted(url: str, data_dir: Path) -> str:
        calls.append(url)
        return normalise(url, data_dir)

    monkeypatch.setattr(config, "database_url", counted)
    settings = Settings.from_env(
        {"ZEVENSTOPS_CONTENT_DIR": str(VALID), "ZEVENSTOPS_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"}
    )
    with TestClient(create_app(settings)) as client:
        start(client)
    assert calls == [f"sqlite:///{tmp_path / 's.db'}"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SESSION_DAYS", "0"),
        ("SESSION_DAYS", "366"),
        ("SESSION_DAYS", "7.5"),
        ("SESSION_DAYS", "-1"),
        ("SESSIONS_PER_HOUR", "veel"),
        ("ANSWERS_PER_MINUTE", "0"),
        ("ATTENDEES_PER_SESSION", "1e3"),
        ("DATABASE_URL", "mysql://u:p@db/gids"),
        ("DATABASE_URL", "gids.db"),
    ],
)
def test_bad_session_settings_stop_the_start_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"ZEVENSTOPS_{name}"):
        Settings.from_env({f"ZEVENSTOPS_{name}": value})


def test_migrations_keep_the_answers_of_a_0001_database_and_add_what_came_later(db_url: str) -> None:
    """A database made by 0001 with a session and answers in it: after every migration they are all there.

    0003 lets "weet niet" (0) in; 0004 adds groups (an old session asks for none) and written answers.
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import insert, select, text
    from sqlalchemy.exc import IntegrityError

    from app.sessions.db import MIGRATIONS
    from app.sessions.schema import answers
    from app.sessions.written import Written

    engine = make_engine(db_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    # Rows as the code of revision 0001 wrote them: only the columns that existed then.
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO sessions (code, secret_hash, created_at, stop, version, revision, attendees) "
                "VALUES ('ABCD2345', :hash, :at, 'ambitie', 3, 2, 1)"
            ),
            {"hash": "0" * 64, "at": Clock()()},
        )
        session_id = connection.execute(text("SELECT id FROM sessions")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO attendees (session_id, token_hash, window_start, window_answers) VALUES (:s, :t, :at, 1)"
            ),
            {"s": session_id, "t": codes.digest("ABCD2345", "a" * 43), "at": Clock()()},
        )
        attendee = connection.execute(text("SELECT id FROM attendees")).scalar_one()
        for item, score in ((0, 4), (1, 2)):
            connection.execute(
                text(
                    "INSERT INTO answers (attendee_id, stop, item, session_id, score) VALUES (:a, 'ambitie', :i, :s, :v)"
                ),
                {"a": attendee, "i": item, "s": session_id, "v": score},
            )
    row = {"attendee_id": attendee, "stop": "orde", "item": 1, "session_id": session_id, "score": 0}
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(answers).values(**row))
    migrate(engine)
    store = Store(engine, clock=Clock())
    session = store.find("ABCD2345")
    assert session is not None and (session.stop, session.version, session.attendees) == ("ambitie", 3, 1)
    assert session.partners == () and session.roles == ()
    assert store.tally(session.id) == {("ambitie", 0): Counter({4: 1}), ("ambitie", 1): Counter({2: 1})}
    store.answer(session, "a" * 43, "ambitie", {1: 0})
    with engine.connect() as connection:
        assert connection.execute(select(answers.c.score).where(answers.c.item == 1)).scalar_one() == 0
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(answers).values(**{**row, "score": 6}))
    written = Written(store)
    written.write(session, "a" * 43, "ambitie", "Na de upgrade", lambda: True)
    assert [a.text for a in written.all_of(session.id)] == ["Na de upgrade"]
