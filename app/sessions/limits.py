"""How many sessions one address may start per hour: counted in this process's memory only.

Addresses are never written anywhere. With several workers each counts on its own, so the
effective limit is at most the setting times the number of workers.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

HOUR = 3600.0


class PerAddress:
    """A sliding one-hour window of events per address."""

    def __init__(self, limit: int, window: float = HOUR, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def take(self, address: str) -> int | None:
        """Count one event for `address`; None if allowed, else the seconds until one is."""
        now = self.clock()
        with self._lock:
            if len(self._seen) > 10_000:
                self._forget(now)
            times = self._seen.setdefault(address, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.limit:
                return max(1, int(times[0] + self.window - now + 0.999))
            times.append(now)
            return None

    def _forget(self, now: float) -> None:
        """Drop addresses with nothing in the window, so memory stays bounded."""
        for address in [a for a, t in self._seen.items() if not t or t[-1] <= now - self.window]:
            del self._seen[address]
