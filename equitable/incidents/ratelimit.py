"""Rate limiting that keeps no record of anyone beyond a one-minute window.

Why: guessing receipts and flooding the form must be throttled, but an anonymous channel cannot
keep a list of who came. The limiter holds, in memory only, one timestamp per recent request,
keyed by a keyed hash (BLAKE2b with a random per-process salt) of the client address, never the
address itself; everything older than the window is dropped on every call, and the salt is
replaced whenever the store is empty. Nothing is logged or written to disk. A restart forgets all.

The address is the one waitress resolved (`REMOTE_ADDR`): behind the TLS reverse proxy, the
client's own, taken from the trusted proxy's X-Forwarded-For only (equitable/core/server.py),
so each reporter has a bucket of their own and nobody can pick another's by naming it.

Pure module: no Django.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """At most `limit` calls per key in any `window` seconds."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._by_key: dict[bytes, deque[float]] = {}
        self._arrivals: deque[tuple[float, bytes]] = deque()  # oldest first, across all keys
        self._salt = secrets.token_bytes(16)

    def _key(self, address: str) -> bytes:
        return hashlib.blake2b(address.encode(), key=self._salt, digest_size=16).digest()

    def _prune(self, now: float) -> None:
        cutoff = now - self.window
        while self._arrivals and self._arrivals[0][0] <= cutoff:
            _, key = self._arrivals.popleft()
            times = self._by_key[key]
            times.popleft()
            if not times:
                del self._by_key[key]
        if not self._arrivals:
            self._salt = secrets.token_bytes(16)

    def allow(self, address: str) -> bool:
        """Count this call and say whether it is within the limit (refused calls not counted)."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            key = self._key(address or "unknown")
            times = self._by_key.setdefault(key, deque())
            if len(times) >= self.limit:
                return False
            times.append(now)
            self._arrivals.append((now, key))
            return True

    def tracked(self) -> int:
        """How many entries are held (for tests: nothing survives the window)."""
        with self._lock:
            self._prune(self._clock())
            return len(self._arrivals)

    def reset(self, limit: int | None = None) -> None:
        with self._lock:
            self._by_key.clear()
            self._arrivals.clear()
            if limit is not None:
                self.limit = limit
