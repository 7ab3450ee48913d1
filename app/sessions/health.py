"""Whether the sessions' database answers: one log line per change, a Dutch 503 while it does not.

PostgreSQL stopped, a full disk or a folder that cannot be written make every session route
fail at once; visitors get a Dutch page (or JSON `detail`) with Retry-After, `/healthz` says
`degraded` with 503 so a load balancer can take the instance out, and the log says once that
the database went away and once that it came back, not once per request or poll.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.exc import DBAPIError

from app.logs import fields

log = logging.getLogger("zevenstops.sessions")

DB_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, OSError)  # OSError: SQLite's file or folder
RETRY_AFTER = 30
MESSAGE = (
    "De live sessies zijn even niet bereikbaar: de gids kan de database niet bereiken. "
    "Probeer het over een halve minuut opnieuw; de rest van de gids werkt gewoon."
)


class DatabaseDown(Exception):
    """A session route could not reach the database (the cause is chained)."""


class Health:
    def __init__(self) -> None:
        self.down_since: float | None = None
        self._lock = threading.Lock()

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def failed(self, err: BaseException) -> None:
        with self._lock:
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        log.error(
            "Session database unreachable: %s: %s",
            type(err).__name__,
            first[:300],
            extra=fields(dependency="database", state="down"),
        )

    def ok(self) -> None:
        with self._lock:
            since, self.down_since = self.down_since, None
        if since is not None:
            seconds = time.monotonic() - since
            log.warning(
                "Session database reachable again after %.0f s",
                seconds,
                extra=fields(dependency="database", state="up", down_seconds=round(seconds)),
            )
