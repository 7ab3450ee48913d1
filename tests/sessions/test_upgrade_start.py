"""At start: the schema is upgraded by default, checked only with ZEVENSTOPS_AUTO_UPGRADE=nee, never downgraded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from app.cli import main
from app.config import ROOT, Settings, SettingsError
from app.sessions.db import make_engine
from app.sessions.upgrade import config, current, known_revisions


def _database_at(data: Path, revision: str) -> Path:
    path = data / "sessies.db"
    engine = make_engine(f"sqlite:///{path}")
    settings = config()
    with engine.begin() as connection:
        settings.attributes["connection"] = connection
        command.upgrade(settings, revision)
    engine.dispose()
    return path


def _revision(path: Path) -> str | None:
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        found = current(connection)
    engine.dispose()
    return found


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZEVENSTOPS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZEVENSTOPS_DATABASE_URL", raising=False)
    return tmp_path


def test_auto_upgrade_takes_ja_or_nee_only() -> None:
    assert Settings.from_env({}).auto_upgrade is True
    assert Settings.from_env({"ZEVENSTOPS_AUTO_UPGRADE": "nee"}).auto_upgrade is False
    with pytest.raises(SettingsError, match="ZEVENSTOPS_AUTO_UPGRADE"):
        Settings.from_env({"ZEVENSTOPS_AUTO_UPGRADE": "misschien"})


def test_serve_with_auto_upgrade_nee_refuses_an_older_schema_and_leaves_it(
    data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _database_at(data, known_revisions()[-2])
    monkeypatch.setenv("ZEVENSTOPS_AUTO_UPGRADE", "nee")
    assert main(["serve", "--port", "1"]) == 1
    assert "metro db upgrade" in capsys.readouterr().err
    assert _revision(path) == known_revisions()[-2]


def test_serve_refuses_a_schema_newer_than_the_code(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _database_at(data, "head")
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    assert main(["serve", "--port", "1"]) == 1
    assert "geen downgrade" in capsys.readouterr().err


@pytest.mark.parametrize("revision", ["previous", "unknown"])
def test_the_asgi_app_upgrades_at_import_or_refuses_a_newer_schema(revision: str, data: Path) -> None:
    """`uvicorn app.main:app` imports app.main: an older schema is upgraded there, an unknown one stops it."""
    path = _database_at(data, known_revisions()[-2])
    if revision == "unknown":
        engine = make_engine(f"sqlite:///{path}")
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        engine.dispose()
    result = subprocess.run(
        [sys.executable, "-c", "import app.main"],
        cwd=ROOT,
        env={**os.environ, "ZEVENSTOPS_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    if revision == "previous":
        assert result.returncode == 0, result.stderr
        assert _revision(path) == known_revisions()[-1]
    else:
        assert result.returncode == 3  # app/startup.py: "failed to boot" for uvicorn and gunicorn
        assert "De gids kan niet starten" in result.stderr and "geen downgrade" in result.stderr
        assert "Traceback" not in result.stderr
