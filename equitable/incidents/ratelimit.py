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


# One sliding window per hashed client in a Redis sorted set, done atomically by the server so
# that several web processes count together. KEYS[1] the bucket, KEYS[2] the salt's key; ARGV:
# now (seconds), window (seconds), limit, a unique member for this call.
_ALLOW_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2]) * 1000))
redis.call('PEXPIRE', KEYS[2], math.ceil(tonumber(ARGV[2]) * 1000))
return 1
"""


class RedisWindowLimiter:
    """The same limit as SlidingWindowLimiter, shared by every process through Redis.

    What Redis holds is what the in-memory limiter holds, for no longer: per bucket (a keyed
    hash of the address, never the address) the times of the calls in the last `window`
    seconds, each bucket expiring `window` after its last call; and the salt of that hash,
    which expires when no call has come for a whole window (when the in-memory limiter would
    have emptied and replaced it). Redis must not persist these keys to disk: run it without
    RDB/AOF for this database, or give the rate limits a Redis of their own (docs/operations.md).
    """

    def __init__(
        self,
        client,  # redis.Redis
        limit: int,
        window: float = 60.0,
        *,
        name: str = "default",
        clock: Callable[[], float] = time.time,
    ):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self._redis = client
        self._clock = clock
        self._prefix = f"equitable:ratelimit:{name}:"
        self._allow = client.register_script(_ALLOW_SCRIPT)

    def _salt(self) -> bytes:
        key = self._prefix + "salt"
        fresh = secrets.token_bytes(16)
        self._redis.set(key, fresh, nx=True, px=int(self.window * 1000))
        return self._redis.get(key) or fresh

    def _bucket(self, address: str) -> str:
        digest = hashlib.blake2b(address.encode(), key=self._salt(), digest_size=16).hexdigest()
        return self._prefix + digest

    def allow(self, address: str) -> bool:
        now = self._clock()
        member = f"{now:.6f}:{secrets.token_hex(4)}"
        keys = [self._bucket(address or "unknown"), self._prefix + "salt"]
        return bool(self._allow(keys=keys, args=[now, self.window, self.limit, member]))

    def tracked(self) -> int:
        """How many call times are held across every bucket (for tests)."""
        cutoff = self._clock() - self.window
        total = 0
        for key in self._redis.scan_iter(match=self._prefix + "*"):
            if key.endswith(b"salt"):
                continue
            total += self._redis.zcount(key, f"({cutoff}", "+inf")
        return total

    def reset(self, limit: int | None = None) -> None:
        for key in self._redis.scan_iter(match=self._prefix + "*"):
            self._redis.delete(key)
        if limit is not None:
            self.limit = limit
