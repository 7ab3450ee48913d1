"""The PostgreSQL set-up in docs/deploy.md works as written: its SQL, its pg_hba line, its URL, then `metro`."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.config import ROOT
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.recipes import guide_env, start_guide
from tests.pgserver import Server, require_postgresql, throwaway_server
from tests.sessions.helpers import start

DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
SECTION = DOC.split("### PostgreSQL inrichten", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
BLOCKS = re.findall(r"```sh\n(.*?)```", SECTION, re.S)


def documented_sql() -> tuple[str, str]:
    """The psql command line as documented (without sudo) and the SQL it is given."""
    command, sql = re.search(r"^sudo -u postgres (psql[^\n]*) <<'SQL'\n(.*?)^SQL$", BLOCKS[0], re.S | re.M).groups()
    return command, sql


def documented_line(file: str) -> str:
    """The setting the section puts in `file` (postgresql.conf or pg_hba.conf)."""
    lines = BLOCKS[1].splitlines()
    start_at = next(i for i, line in enumerate(lines) if line.startswith("#") and line.split(":")[0].endswith(file))
    return next(line for line in lines[start_at + 1 :] if line and not line.startswith("#"))


def documented_url() -> str:
    return re.search(r"^ZEVENSTOPS_DATABASE_URL=(\S+)$", BLOCKS[2], re.M).group(1)


def test_the_section_is_what_the_test_runs() -> None:
    command, sql = documented_sql()
    assert "ON_ERROR_STOP=1" in command  # a failing statement stops psql with a non-zero exit
    assert [line.split()[:2] for line in sql.splitlines()] == [["CREATE", "ROLE"], ["CREATE", "DATABASE"]]
    assert documented_line("pg_hba.conf").split()[-1] == "scram-sha-256"
    assert documented_line("postgresql.conf").startswith("listen_addresses = ")


def test_the_role_database_and_url_agree() -> None:
    _, sql = documented_sql()
    role, password = re.search(r"CREATE ROLE (\w+) LOGIN PASSWORD '([^']+)';", sql).groups()
    database, owner = re.search(r"CREATE DATABASE (\w+) OWNER (\w+);", sql).groups()
    kind, hba_database, hba_user, address, method = documented_line("pg_hba.conf").split()
    url = make_url(documented_url())
    assert (url.drivername, url.username, url.password, url.database) == ("postgresql", role, password, database)
    assert owner == role == hba_user and hba_database == database and kind == "host"
    assert method == "scram-sha-256" and address.endswith("/32")  # one guide server, by password
    listened = documented_line("postgresql.conf").split("=", 1)[1].strip().strip("'").split(",")
    assert url.host in listened  # the guide connects to an address PostgreSQL listens on


def _set_up(server: Server) -> None:
    """Do what the section says on the throwaway server: the SQL, then its pg_hba line and listen_addresses."""
    command, sql = documented_sql()
    server.psql(*command.split()[1:], stdin=sql)
    hba_line = re.sub(r"\s\d+\.\d+\.\d+\.\d+/32\s", " 127.0.0.1/32 ", f" {documented_line('pg_hba.conf')} ")
    # Only the documented line lets the guide in: the superuser keeps trust for the test's own checks.
    (server.datadir / "pg_hba.conf").write_text(
        f"local all postgres trust\nhost all postgres 127.0.0.1/32 trust\n{hba_line.strip()}\n"
    )
    with (server.datadir / "postgresql.conf").open("a") as conf:
        conf.write(f"\n{documented_line('postgresql.conf')}\n")
    server.psql("-c", "SELECT pg_reload_conf()")


@pytest.fixture
def server() -> Iterator[Server]:
    """A server of this test's own: the set-up changes its pg_hba.conf."""
    require_postgresql()
    with throwaway_server() as fresh:
        yield fresh


def test_the_documented_set_up_gives_the_guide_its_database(server: Server, tmp_path: Path) -> None:
    _set_up(server)
    hba_errors = server.psql("-tA", "-c", "SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL")
    assert hba_errors.strip() == ""
    listen = server.psql("-tA", "-c", "SELECT setting FROM pg_file_settings WHERE name = 'listen_addresses'")
    assert listen.strip().splitlines()[-1] == "localhost,10.0.0.5"  # read as written (applied after a restart)

    url = make_url(documented_url()).set(host="127.0.0.1", port=server.port)
    wrong = url.set(password="niet-het-wachtwoord").render_as_string(hide_password=False)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=30).close()

    port = free_port()
    env = guide_env(VALID, tmp_path / "data", ZEVENSTOPS_DATABASE_URL=url.render_as_string(hide_password=False))
    with Processes(tmp_path) as procs:
        start_guide(procs, "serve", [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env, port)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as facilitator:
            deck = start(facilitator)
            # The documented role may LISTEN too (the worker hears other workers' changes at once);
            # the listening connection is made beside the start, so wait for it.
            deadline = time.monotonic() + 30
            while (database := facilitator.get("/healthz").json()["database"]).get("notify", {}).get(
                "status"
            ) != "ok" and time.monotonic() < deadline:
                time.sleep(0.1)
    assert database == {"status": "ok", "kind": "postgresql", "notify": {"status": "ok", "meldingen": 0}}
    owned = server.psql(
        "-tA", "-c", "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'", database="zevenstops"
    )
    assert owned.split() and set(owned.split()) == {"zevenstops"}
    codes = server.psql("-tA", "-c", "SELECT count(*) FROM sessions", database="zevenstops")
    assert codes.strip() == "1", deck.code
