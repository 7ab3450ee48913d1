"""The privacy page's claims, held against what a real server logs and stores after a live session.

`metro serve` runs as a process of its own; a facilitator and an attendee go through a whole
session (start, slides, answers, streams, results, a takeover offer), plus the requests that
make uvicorn log by itself (a malformed request, a WebSocket upgrade, a join form with the code
in its query). Then: no client address, code, secret, token or cookie value in any line; every
line in the stable format; the database's times whole minutes; and what /privacy lists as
stored is exactly the database's columns, what it lists as logged exactly a request line's fields.
"""

from __future__ import annotations

import json
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any, NamedTuple

import httpx
import pytest
from sqlalchemy import DateTime, create_engine, inspect, select

from app.content import load_guide
from app.sessions import codes
from app.sessions.schema import metadata
from bench.procs import Processes
from tests.conftest import VALID, free_port, soup
from tests.deploy.recipes import guide_env, start_guide
from tests.sessions.conftest import _schema
from tests.sessions.helpers import (
    ATTENDEE_COOKIE,
    answer,
    attendee_events,
    deck_path,
    facilitator_events,
    join,
    move,
    start,
)

CLIENT = "198.51.100.23"  # the attendees' address, as a proxy on this machine forwards it
ORGANISATION = "Gemeente Voorbeeld"
PAIR = r'[a-z_]+=(?:"(?:[^"\\]|\\.)*"|[^\s"]+)'
TEXT_LINE = re.compile(rf"^{PAIR}(?: {PAIR})*$")
PAIRS = re.compile(r'([a-z_]+)=("(?:[^"\\]|\\.)*"|[^\s"]+)')


class Served(NamedTuple):
    lines: list[str]  # what the server wrote, standard output and error
    secrets: list[str]  # what none of them may hold
    privacy: Any  # the privacy page as it was served, parsed
    db_url: str


def parse_text(line: str) -> dict[str, str]:
    """One line of ZEVENSTOPS_LOG_FORMAT=text as a dict; AssertionError if it is not one."""
    assert TEXT_LINE.match(line), f"not a key=value log line: {line!r}"
    return {key: json.loads(value) if value.startswith('"') else value for key, value in PAIRS.findall(line)}


def raw_request(port: int, data: bytes) -> bytes:
    """Send bytes that are not HTTP; return what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        return sock.recv(4096)


def run_a_session(base: str, port: int) -> dict[str, Any]:
    """A whole live session against the server at `base`; returns what must not be logged, and the page."""
    forwarded = {"x-forwarded-for": CLIENT}
    with (
        httpx.Client(base_url=base, headers=forwarded, timeout=30) as facilitator,
        httpx.Client(base_url=base, headers=forwarded, timeout=30) as phone,
    ):
        deck = start(facilitator)
        assert facilitator.get(deck.deck).status_code == 200
        assert join(phone, deck.code).status_code == 200
        for slug in ("ambitie", "orde"):
            assert facilitator.get(deck_path(deck, slug)).status_code == 200
            assert move(facilitator, deck, slug).status_code == 200
            assert answer(phone, deck.code, halte=slug, score="4") == 303
        with facilitator_events(base, deck, facilitator) as stream:
            assert stream.next("telling")["halte"] == "orde"
        with attendee_events(base, deck.code, phone) as stream:
            assert stream.next("halte")["halte"] == "orde"
        assert phone.get(f"/s/{deck.code}/uitslag").status_code == 200
        assert phone.get(f"/s/{deck.code}/uitslag.csv").status_code == 200
        assert phone.get("/s/", params={"code": deck.code}).status_code == 303  # the join form
        offer = soup(facilitator.post(f"/sessies/{deck.code}/overdracht"))
        token = offer.select_one(".live-takeover__link a")["href"].split("#", 1)[1]
        upgrade = {"connection": "Upgrade", "upgrade": "websocket", "sec-websocket-version": "13"}
        upgrade["sec-websocket-key"] = "dGhlIHNhbXBsZSBub25jZQ=="
        phone.get(f"/s/{deck.code}", params={"x": token}, headers=upgrade)
        assert raw_request(port, f"GET /s/{deck.code} HTTP/9\r\n\x00\r\n\r\n".encode()).startswith(b"HTTP/1.1 400")
        privacy = soup(phone.get("/privacy"))
        cookie = phone.cookies.get(ATTENDEE_COOKIE)
    secrets = [deck.code, codes.display(deck.code), deck.secret, token, cookie, CLIENT, CLIENT.rsplit(".", 1)[0]]
    return {"secrets": secrets, "privacy": privacy}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The lines `metro serve` wrote during a session, what the session left to check, and its database."""
    tmp_path = tmp_path_factory.mktemp("privacy")
    with ExitStack() as stack:
        db_url = f"sqlite:///{tmp_path / 'data' / 'sessies.db'}" if request.param == "sqlite" else ""
        db_url = db_url or stack.enter_context(_schema(request))
        port = free_port()
        env = guide_env(
            VALID,
            tmp_path / "data",
            ZEVENSTOPS_DATABASE_URL=db_url,
            ZEVENSTOPS_ORGANISATION=ORGANISATION,
            ZEVENSTOPS_CONTACT="privacy@voorbeeld.nl",
            ZEVENSTOPS_LOG_DAYS="14",
            PYTHONUNBUFFERED="1",
        )
        argv = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
        with Processes(tmp_path) as procs:
            proc = start_guide(procs, "serve", argv, env, port)
            found = run_a_session(f"http://127.0.0.1:{port}", port)
            procs.stop(proc)
        yield Served(procs.log("serve").splitlines(), found["secrets"], found["privacy"], db_url)


def test_the_log_of_a_session_names_no_address_no_code_and_no_secret(served: Served) -> None:
    lines = served.lines
    logged = "\n".join(lines)
    for secret in served.secrets:
        assert secret and secret not in logged, f"{secret!r} is in the log"
    assert not re.search(r"\d+\.\d+\.\d+\.\d+:\d+ - ", logged)  # uvicorn's access format: client:port - "…"
    cli_lines = [line for line in lines if line.startswith("Zeven stops: http://")]  # metro serve's own
    records = [parse_text(line) for line in lines if line not in cli_lines]
    requests = [r for r in records if r["logger"] == "zevenstops.access"]
    paths = {r["path"] for r in requests}
    assert {"/s/…", "/s/…/antwoord", "/s/…/events", "/sessies/…/events", "/sessies/…/presenteren/orde"} <= paths
    assert "/s/" in paths and not any("?" in path for path in paths)
    assert {r["kind"] for r in requests} >= {"attendee", "facilitator", "stream", "page"}
    assert all(re.fullmatch(r"[0-9]+\.[0-9]", r["duration_ms"]) and r["status"].isdigit() for r in requests)
    # The start-up lines an operator reads, in English.
    started = {r["msg"]: r for r in records if r["logger"] == "zevenstops"}
    assert started["Zeven stops starting"]["version"]
    assert started["Content built"]["stops"] == str(len(load_guide(VALID).stations))
    database = started["Session database"]
    assert database["kind"] in ("sqlite", "postgresql") and "password" not in database
    assert not any(":zevenstops@" in value for value in database.values())
    # What the privacy page says a request line holds is what it holds.
    claimed = set(served.privacy.select_one("[data-log-fields]")["data-log-fields"].split())
    assert all(set(r) == claimed for r in requests), [sorted(r) for r in requests if set(r) != claimed][:1]
    # No library chatter (Alembic ran its migrations at the first session) at the default level.
    assert not [r for r in records if r["logger"].startswith(("alembic", "sqlalchemy", "watchfiles"))]


def test_the_database_holds_exactly_what_the_privacy_page_lists(served: Served) -> None:
    listed = {column for row in served.privacy.select("[data-columns]") for column in row["data-columns"].split()}
    engine = create_engine(served.db_url)
    try:
        schema = inspect(engine)
        stored = {
            f"{table}.{column['name']}"
            for table in schema.get_table_names()
            if table != "alembic_version"
            for column in schema.get_columns(table)
        }
    finally:
        engine.dispose()
    assert listed == stored


def test_every_time_in_the_database_is_a_whole_minute(served: Served) -> None:
    """As the privacy page says: a log's timestamps cannot be matched to one attendee's answers."""
    times = []
    engine = create_engine(served.db_url)
    try:
        with engine.connect() as db:
            for table in metadata.sorted_tables:
                for column in (c for c in table.columns if isinstance(c.type, DateTime)):
                    times += [(str(column), t) for t in db.execute(select(column)).scalars() if t is not None]
    finally:
        engine.dispose()
    assert {name for name, _ in times} == {
        "sessions.created_at",
        "attendees.window_start",
        "facilitator_keys.expires_at",
    }
    assert [(name, t) for name, t in times if t.second or t.microsecond] == []
    assert "tot op de minuut" in served.privacy.select_one("[data-columns~='attendees.window_start']").text


def test_the_privacy_page_names_the_controller_the_contact_and_how_long_logs_are_kept(served: Served) -> None:
    page = served.privacy
    assert page.select(".privacy__missing") == []
    assert page.select_one(".privacy__controller strong").text == ORGANISATION
    assert page.select_one('.privacy__contact a[href="mailto:privacy@voorbeeld.nl"]')
    assert page.select_one(".privacy__log-days").text == "Het logboek wordt 14 dagen bewaard en daarna gewist."
    assert "Geen internetadres." in page.select_one(".privacy__log").text
