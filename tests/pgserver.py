"""A throwaway PostgreSQL for the tests, started from the installed server programs.

pytest-postgresql's executor runs `pg_ctl` (initdb, start, stop) in a temporary folder of its own.
PostgreSQL refuses to run as root, so under root (as in CI) every `pg_ctl` runs as the `postgres`
account (`runuser`), in a folder that account owns. Where no PostgreSQL is installed, `find_pg_ctl`
says why, and the tests that need one are skipped with that reason.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_postgresql.executors import PostgreSQLExecutor

from tests.conftest import free_port

DEBIAN = Path("/usr/lib/postgresql")  # Debian keeps the server programs off the PATH, per version
SUPERUSER = "postgres"


@dataclass(frozen=True)
class Server:
    """A running throwaway server: its programs and how to reach it as the superuser."""

    bindir: Path
    datadir: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    def psql(self, *args: str, stdin: str = "", database: str = "postgres") -> str:
        """Run psql as the superuser over TCP; its output, or an assertion with what it said."""
        argv = [str(self.bindir / "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER]
        done = subprocess.run(
            [*argv, "-d", database, *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, f"psql {' '.join(args)} failed ({done.returncode}):\n{done.stderr}"
        return done.stdout


def find_pg_ctl() -> tuple[Path | None, str]:
    """The newest installed pg_ctl, or None and the reason there is none to use."""
    on_path = shutil.which("pg_ctl")
    versions = sorted(
        DEBIAN.glob("*/bin/pg_ctl"), key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()]
    )
    found = Path(on_path).resolve() if on_path else (versions[-1] if versions else None)
    if found is None:
        return None, "PostgreSQL is not installed (no pg_ctl; Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return None, f"running as root, and there is no '{SUPERUSER}' account to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return None, "running as root, and there is no runuser to run PostgreSQL as another account"
    return found, ""


def require_postgresql() -> None:
    """Skip the test where PostgreSQL is not installed; in CI (which installs it) that is a failure."""
    pg_ctl, reason = find_pg_ctl()
    if pg_ctl is None:
        if os.environ.get("CI"):
            pytest.fail(f"{reason}, and CI is set (.ci/run installs PostgreSQL)")
        pytest.skip(reason)


def _as_postgres(pg_ctl: Path, folder: Path) -> Path:
    """A pg_ctl that runs as the postgres account (root may not run PostgreSQL), in `folder`."""
    account = pwd.getpwnam(SUPERUSER)
    os.chown(folder, account.pw_uid, account.pw_gid)
    wrapper = folder / "pg_ctl"
    wrapper.write_text(f'#!/bin/sh\ncd "{folder}" && exec runuser -u {SUPERUSER} -- "{pg_ctl}" "$@"\n')
    wrapper.chmod(stat.S_IRWXU)
    return wrapper


@contextmanager
def throwaway_server() -> Iterator[Server]:
    """Start a fresh PostgreSQL on a free port on 127.0.0.1 (trust for its superuser); remove it after."""
    pg_ctl, reason = find_pg_ctl()
    if pg_ctl is None:
        raise RuntimeError(reason)
    folder = Path(tempfile.mkdtemp(prefix="zevenstops-pg-"))
    folder.chmod(0o755)
    executable = _as_postgres(pg_ctl, folder) if os.geteuid() == 0 else pg_ctl
    port = free_port()
    executor = PostgreSQLExecutor(
        executable=str(executable),
        host="127.0.0.1",
        port=port,
        datadir=str(folder / "data"),
        unixsocketdir=str(folder),
        logfile=str(folder / "server.log"),
        startparams="-w -t 120",  # a busy machine: pg_ctl waits up to two minutes for the start
        dbname="postgres",
        user=SUPERUSER,
        timeout=120,
    )
    try:
        executor.start()
        yield Server(pg_ctl.parent, folder / "data", port)
    finally:
        try:
            if executor.running():
                executor.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
