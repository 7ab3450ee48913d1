"""The log formats (app/logs.py): key=value text and JSON lines that parse, and what they leave out."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest

from app.config import Settings, SettingsError
from app.logs import access_line, client_address, configure, safe_path
from app.observed import Observed
from tests.sessions.test_privacy_claims import parse_text

LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "alembic", "sqlalchemy", "watchfiles")


@pytest.fixture
def logged() -> Iterator[Any]:
    """`configure` into a buffer; every logger it touches is put back afterwards."""
    saved = {
        name: (logging.getLogger(name), list(logging.getLogger(name).handlers), logging.getLogger(name).level)
        for name in LOGGERS
    }
    flags = {name: (logging.getLogger(name).propagate, logging.getLogger(name).disabled) for name in LOGGERS}
    buffer = io.StringIO()
    for name in LOGGERS[1:]:  # as in a fresh process: earlier tests may have configured uvicorn's loggers
        logger = logging.getLogger(name)
        logger.setLevel(logging.NOTSET)
        logger.disabled = False

    def setup(**settings: Any) -> io.StringIO:
        configure(replace(Settings(), **settings), stream=buffer)
        return buffer

    yield setup
    for name, (logger, handlers, level) in saved.items():
        logger.handlers, logger.level = handlers, level
        logger.propagate, logger.disabled = flags[name]


async def _answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 303, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def request(app: Observed, path: str, client: str = "198.51.100.23", root: str = "") -> None:
    scope = {"type": "http", "method": "POST", "path": root + path, "root_path": root, "client": (client, 50000)}
    scope["query_string"] = b"code=k7qm4xpa"

    async def send(_: Any) -> None:
        return None

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    with ThreadPoolExecutor(1) as thread:  # its own loop: a browser test's loop may be running in this one
        thread.submit(asyncio.run, app(scope, receive, send)).result()


def test_a_request_is_one_key_value_line_without_address_code_or_query(logged: Any) -> None:
    out = logged()
    request(Observed(_answer, [access_line()]), "/sessies/k7qm4xpa/halte", root="/zevenstops")
    (line,) = out.getvalue().splitlines()
    record = parse_text(line)
    assert {k: record[k] for k in ("level", "logger", "msg", "method", "path", "status", "kind")} == {
        "level": "info",
        "logger": "zevenstops.access",
        "msg": "request",
        "method": "POST",
        "path": "/zevenstops/sessies/…/halte",
        "status": "303",
        "kind": "facilitator",
    }
    assert set(record) == {"time", "level", "logger", "msg", "method", "path", "status", "duration_ms", "kind"}
    assert "198.51.100" not in line and "k7qm4xpa" not in line


def test_json_lines_parse_and_carry_the_same_fields(logged: Any) -> None:
    out = logged(log_format="json")
    request(Observed(_answer, [access_line()]), "/s/k7qm4xpa/antwoord")
    try:
        raise ValueError("broken\nover two lines")
    except ValueError:
        logging.getLogger("zevenstops").exception("Could not rebuild")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # the traceback stays inside its line
    access, error = (json.loads(line) for line in lines)
    assert access["path"] == "/s/…/antwoord" and access["status"] == 303 and access["kind"] == "attendee"
    assert isinstance(access["duration_ms"], float) and access["time"].endswith("Z")
    assert error["level"] == "error" and "ValueError: broken" in error["exc"]


@pytest.mark.parametrize(
    ("mode", "client", "shown"),
    [
        ("truncated", "198.51.100.23", "198.51.100.0/24"),
        ("truncated", "2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("full", "198.51.100.23", "198.51.100.23"),
    ],
)
def test_addresses_only_by_a_setting_and_truncated_to_the_network(
    logged: Any, mode: str, client: str, shown: str
) -> None:
    out = logged(log_addresses=mode)
    request(Observed(_answer, [access_line(mode)]), "/stops/ambitie/", client=client)
    assert parse_text(out.getvalue().strip())["client"] == shown


def test_uvicorns_own_lines_name_neither_the_client_nor_the_code(logged: Any) -> None:
    out = logged()
    error = logging.getLogger("uvicorn.error")
    error.info('%s - "WebSocket %s" 403', "198.51.100.23:50000", "/s/k7qm4xpa?token=geheim")
    error.warning("Invalid HTTP request received.")
    logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "198.51.100.23:1", "GET", "/s/x", "1.1", 200)
    first, second = (parse_text(line) for line in out.getvalue().splitlines())
    assert first["msg"] == '… - "WebSocket /s/…" 403' and first["logger"] == "uvicorn.error"
    assert second["msg"] == "Invalid HTTP request received." and second["level"] == "warning"


def test_library_chatter_stays_below_the_default_level_and_dutch_follows_on_its_own_lines(logged: Any) -> None:
    out = logged()
    logging.getLogger("alembic.runtime.migration").info("Running upgrade  -> v0001, Live sessions")
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT 1")
    logging.getLogger("watchfiles.main").info("3 changes detected")
    logging.getLogger("zevenstops").error("Content has errors; still serving the last good version:\n01.md:3: fout")
    first, *rest = out.getvalue().splitlines()
    assert parse_text(first)["msg"] == "Content has errors; still serving the last good version:"
    assert rest == ["01.md:3: fout"]


def test_a_line_cannot_be_forged_by_a_path(logged: Any) -> None:
    out = logged()
    forged = '/stops/x" level=error\ntime=2026 msg="forged'
    request(Observed(_answer, [access_line()]), forged)
    (line,) = out.getvalue().splitlines()
    assert parse_text(line)["path"] == forged and parse_text(line)["level"] == "info"


def test_session_codes_and_queries_masked() -> None:
    assert safe_path("/zevenstops/s/k7qm4xpa/uitslag.csv?x=1") == "/zevenstops/s/…/uitslag.csv"
    assert safe_path("/stops/ambitie/") == "/stops/ambitie/" and safe_path("/docs/s/") == "/docs/s/"
    assert client_address("198.51.100.23", "none") is None and client_address("testclient", "truncated") == "…"


@pytest.mark.parametrize(
    ("name", "value"),
    [("ZEVENSTOPS_LOG_FORMAT", "xml"), ("ZEVENSTOPS_LOG_ADDRESSES", "some"), ("ZEVENSTOPS_LOG_DAYS", "0")],
)
def test_a_wrong_log_setting_stops_the_start_with_its_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_log_settings_are_read() -> None:
    settings = Settings.from_env(
        {"ZEVENSTOPS_LOG_FORMAT": "JSON", "ZEVENSTOPS_LOG_ADDRESSES": "truncated", "ZEVENSTOPS_LOG_DAYS": "14"}
    )
    assert (settings.log_format, settings.log_addresses, settings.log_days) == ("json", "truncated", 14)
    assert (
        Settings.from_env({"ZEVENSTOPS_ORGANISATION": "  Gemeente   Voorbeeld "}).organisation == "Gemeente Voorbeeld"
    )
