"""Session tests run on SQLite always and on PostgreSQL: the one ZEVENSTOPS_TEST_DATABASE_URL names, else a
throwaway one started from the installed server programs (skipped, with the reason, where there are none)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app.config import Settings, database_url
from app.web import create_app
from tests.conftest import VALID
from tests.sessions.helpers import Deck, start

PG_VARIABLE = "ZEVENSTOPS_TEST_DATABASE_URL"


def postgres_url(request: pytest.FixtureRequest) -> str:
    """The test PostgreSQL: the configured one, or this run's throwaway server."""
    url = os.environ.get(PG_VARIABLE, "").strip()
    if not url:
        url = request.getfixturevalue("postgres_server").url
    return database_url(url, Path("."))


@contextmanager
def _schema(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database URL whose connections work in a schema of their own, dropped afterwards."""
    url = postgres_url(request)
    schema = f"test_{secrets.token_hex(6)}"
    admin = create_engine(url)
    with admin.begin() as db:
        db.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as db:
            db.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def postgres_schema(request: pytest.FixtureRequest) -> Iterator[str]:
    with _schema(request) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database of one test: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'sessies.db'}"
    return request.getfixturevalue("postgres_schema")


@pytest.fixture
def session_settings(db_url: str, tmp_path: Path) -> Settings:
    return replace(Settings(), content_dir=VALID, data_dir=tmp_path / "data", database_url=db_url)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings on one database per test module: tests start sessions of their own in it.

    The limits per address (sessions started, wrong codes) are lifted here; their own tests set them.
    """
    data_dir = tmp_path_factory.mktemp("data")
    with ExitStack() as stack:
        url = (
            f"sqlite:///{data_dir / 'sessies.db'}"
            if request.param == "sqlite"
            else stack.enter_context(_schema(request))
        )
        yield replace(
            Settings(),
            content_dir=VALID,
            data_dir=data_dir,
            database_url=url,
            sessions_per_hour=10_000,
            code_misses_per_minute=10_000,
        )


@pytest.fixture(scope="module")
def live_client(module_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(module_settings)) as client:
        yield client


# The tests' one way to start a session (tests/sessions/helpers.py), by its older names.
Started = Deck
start_session = start
