"""The log for operators: one line per request, start-up lines, no addresses, codes or secrets.

Every line is `time=… level=… logger=… msg="…" key=value …` (ZEVENSTOPS_LOG_FORMAT=text, the
default) or one JSON object (=json), on standard error, under `metro serve`, `uvicorn
app.main:app` and gunicorn alike: `configure` takes over uvicorn's loggers and silences the
chatter of libraries (Alembic, SQLAlchemy, watchfiles) below WARNING.

A request line names method, path, status, duration and route kind. The path has no query
string (a takeover or join form puts codes there) and its session codes are masked
(`/s/…`, `/sessies/…/presenteren/`). Client addresses are left out unless
ZEVENSTOPS_LOG_ADDRESSES says `truncated` (the /24 or /48 network) or `full`. The same masks
apply to every other line, uvicorn's own included (its WebSocket lines name the client).
Messages for developers are English; a Dutch text for editors follows on lines of its own.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.health import version

if TYPE_CHECKING:
    from starlette.types import Scope

    from app.build import Site
    from app.config import Settings
    from app.observed import Observer

log = logging.getLogger("zevenstops")
access = logging.getLogger("zevenstops.access")

QUIET = ("alembic", "sqlalchemy", "watchfiles", "httpx", "httpcore", "asyncio", "multipart", "python_multipart")
MASK = "…"
SESSION_PATH = re.compile(r"(?<![^/])(s|sessies)/[^/?#\s\"]+")  # /s/<code>…, /sessies/<code>/…
UNSAFE = re.compile(r'[\s"\\=\x00-\x1f\x7f]')


def safe_path(path: str) -> str:
    """The path as it may be logged: session codes masked, never a query string."""
    return SESSION_PATH.sub(rf"\1/{MASK}", path.split("?", 1)[0])


def client_address(host: str | None, mode: str) -> str | None:
    """The client as the log may name it: None ("none"), its /24 or /48 network, or in full."""
    if mode == "none" or not host:
        return None
    if mode == "full":
        return host
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return MASK  # not an IP address (a Unix socket, a test client): nothing to truncate
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def fields(**values: Any) -> dict[str, Any]:
    """`extra=` for a log call: key=value pairs after the message."""
    return {"fields": values}


def _text_value(value: Any) -> str:
    text = "-" if value is None else str(value)
    if text and not UNSAFE.search(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, with newlines and quotes escaped


def _stamp(record: logging.LogRecord) -> str:
    moment = datetime.fromtimestamp(record.created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class TextFormatter(logging.Formatter):
    """`time=… level=… logger=… msg="…" key=value`; a multi-line message or traceback goes on below."""

    def format(self, record: logging.LogRecord) -> str:
        first, _, rest = record.getMessage().partition("\n")
        pairs = {"time": _stamp(record), "level": record.levelname.lower(), "logger": record.name, "msg": first}
        pairs.update(getattr(record, "fields", {}))
        line = " ".join(f"{key}={_text_value(value)}" for key, value in pairs.items())
        extra = [rest] if rest else []
        if record.exc_info:
            extra.append(record.exc_text or self.formatException(record.exc_info))
        return "\n".join([line, *extra])


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, msg, the fields, and `exc` for a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": _stamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        body.update(getattr(record, "fields", {}))
        if record.exc_info:
            body["exc"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(body, ensure_ascii=False, default=str)


class Scrub(logging.Filter):
    """Mask session codes in every line, and the client in uvicorn's `'%s - "…"'` lines."""

    def __init__(self, addresses: str = "none"):
        super().__init__()
        self.addresses = addresses

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(record.msg, str) and record.msg.startswith("%s - ") and isinstance(args, tuple) and args:
            client = str(args[0]).rsplit(":", 1)[0] if args[0] else None
            rest = (safe_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg for arg in args[1:])
            record.args = (client_address(client, self.addresses) or MASK, *rest)  # paths without their query
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the message: log what there is
            message = f"{record.msg} {record.args}"
        record.msg, record.args = SESSION_PATH.sub(rf"\1/{MASK}", message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = SESSION_PATH.sub(rf"\1/{MASK}", logging.Formatter().formatException(record.exc_info))
        return True


class _Handler(logging.StreamHandler):
    """Ours, so that configuring again replaces it rather than adding a second."""


def configure(settings: Settings, stream: Any = None) -> None:
    """Send every log line through one handler in the configured format; silence library chatter."""
    handler = _Handler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    handler.addFilter(Scrub(settings.log_addresses))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi"):
        logger = logging.getLogger(name)  # uvicorn (and gunicorn's worker) gave these handlers of their own
        logger.handlers, logger.propagate = [], True
    uvicorn_access = logging.getLogger("uvicorn.access")  # replaced by access_line: it names the client
    uvicorn_access.handlers, uvicorn_access.propagate, uvicorn_access.disabled = [], False, True
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)


def access_line(addresses: str = "none") -> Observer:
    """The access log's observer for `Observed`: one line per request once it is answered."""

    def line(scope: Scope, kind: str, status: int, seconds: float) -> None:
        values: dict[str, Any] = {
            "method": scope.get("method"),
            "path": safe_path(scope.get("path", "")),
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "kind": kind,
        }
        client = client_address((scope.get("client") or (None,))[0], addresses)
        if client:
            values["client"] = client
        access.info("request", extra={"fields": values})

    return line


def database_fields(url: str) -> dict[str, Any]:
    """The session database as the log may name it: its kind and where, never a password."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    kind = parsed.get_backend_name()
    if kind == "sqlite":
        return {"kind": kind, "path": parsed.database or ":memory:"}
    return {"kind": kind, "host": parsed.host, "port": parsed.port, "name": parsed.database, "user": parsed.username}


def started(settings: Settings, site: Site, database_url: str) -> None:
    """The lines an operator reads at start: version, content build, database, public address."""
    log.info("Zeven stops starting", extra=fields(version=version(), pid=os.getpid()))
    guide = site.guide
    log.info(
        "Content built",
        extra=fields(stops=len(guide.stations), content_version=guide.version, folder=settings.content_dir),
    )
    log.info("Session database", extra=fields(**database_fields(database_url), session_days=settings.session_days))
    if settings.base_url:
        log.info("Public address", extra=fields(base_url=settings.base_url))
    else:
        log.info("Public address not set: taken from each request's Host header", extra=fields(base_url=None))
