"""Limits per client address, counted in this process's memory only.

Addresses are never written anywhere (not to the database, not to a log). With several workers
each counts on its own, so the effective limit is at most the setting times the number of
workers. Behind a proxy the address is the one the proxy forwards: uvicorn's
`--forwarded-allow-ips` must name the proxy, or every visitor has the proxy's address.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

MAX_KEYS = 10_000  # addresses (or address-session pairs) remembered; the oldest are forgotten


class Buckets:
    """A token bucket per key: `burst` at once, then `per_hour` an hour.

    A council hall behind one NAT can start its sessions in a burst; one client cannot start
    hundreds. The bucket refills steadily, so nobody waits an hour after one busy minute.
    """

    def __init__(self, burst: int, per_hour: float, clock: Callable[[], float] = time.monotonic):
        self.burst = max(1, burst)
        self.rate = per_hour / 3600.0  # tokens per second
        self.clock = clock
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()  # key -> (tokens, when)
        self._lock = threading.Lock()

    def _level(self, key: Hashable, now: float) -> float:
        tokens, when = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - when) * self.rate)

    def wait(self, key: Hashable) -> int | None:
        """Seconds until `key` may act again, or None when it may now (nothing is taken)."""
        with self._lock:
            level = self._level(key, self.clock())
        return None if level >= 1 else max(1, int((1 - level) / self.rate + 0.999))

    def take(self, key: Hashable) -> int | None:
        """Take one token for `key`: None if allowed, else the seconds until one is there."""
        now = self.clock()
        with self._lock:
            level = self._level(key, now)
            if level < 1:
                return max(1, int((1 - level) / self.rate + 0.999))
            self._buckets[key] = (level - 1, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > MAX_KEYS:
                self._buckets.popitem(last=False)
            return None


class Seats:
    """How many attendees one address has brought into each session: at most `limit`."""

    def __init__(self, limit: int):
        self.limit = limit
        self._taken: OrderedDict[tuple[int, str], int] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, session_id: int, address: str) -> bool:
        key = (session_id, address)
        with self._lock:
            taken = self._taken.get(key, 0)
            if taken >= self.limit:
                return False
            self._taken[key] = taken + 1
            self._taken.move_to_end(key)
            while len(self._taken) > MAX_KEYS:
                self._taken.popitem(last=False)
            return True


class CodeGuard:
    """Slows down guessing session codes: each address may miss `per_minute` codes a minute.

    A miss takes a token; with none left, the address gets 429 for codes it has not found
    before, without the database being asked (so the answer tells nothing). Codes an address
    did find keep working, so the attendees of a hall behind one NAT carry on while someone
    there guesses. See app/sessions/codes.py for what this means for guessing.
    """

    def __init__(self, per_minute: int = 30, clock: Callable[[], float] = time.monotonic):
        self.misses = Buckets(per_minute, per_minute * 60, clock)
        self._found: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def refused(self, address: str, code: str) -> int | None:
        """Seconds to wait before `address` may look up `code`, or None if it may now."""
        with self._lock:
            if (address, code) in self._found:
                return None
        return self.misses.wait(address)

    def missed(self, address: str) -> None:
        self.misses.take(address)

    def found(self, address: str, code: str) -> None:
        with self._lock:
            self._found[(address, code)] = None
            self._found.move_to_end((address, code))
            while len(self._found) > MAX_KEYS:
                self._found.popitem(last=False)
