"""Delete sessions older than ZEVENSTOPS_SESSION_DAYS, at start and every hour, by the server itself."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from app.sessions import traject
from app.sessions.db import writing
from app.sessions.health import DB_ERRORS
from app.sessions.store import Store

log = logging.getLogger("zevenstops.sessions")
INTERVAL = 3600.0


def clean(store: Store, days: int, traject_days: int = 1095) -> int:
    """Delete sessions older than `days` (their trajects keep counts) and trajects unused for `traject_days`."""
    removed = store.delete_older_than(days)
    if removed:
        log.info("Deleted %d session(s) older than %d days", removed, days)
    with writing(store.engine) as db:
        trajects = traject.delete_unused(db, store.clock() - timedelta(days=traject_days))
    if trajects:
        log.info("Deleted %d traject(s) unused for %d days", trajects, traject_days)
    return removed


async def run(
    open_store: Callable[[], Store | None],
    days: int,
    interval: float = INTERVAL,
    swept: Callable[[], None] = lambda: None,
    traject_days: int = 1095,
) -> None:
    """Clean now and then every `interval` seconds; a database that is not there yet is skipped.

    `swept()` is called after each round, failed or not (the first one tells that the start's clean-up is over).
    """
    while True:
        try:
            store = await asyncio.to_thread(open_store)
            if store is not None:
                await asyncio.to_thread(clean, store, days, traject_days)
        except DB_ERRORS as err:  # the database may be briefly unreachable; the next round tries again
            log.warning("Cleaning up old sessions failed: %s", type(err).__name__)
        except Exception:
            log.exception("Cleaning up old sessions failed")
        swept()
        await asyncio.sleep(interval)
