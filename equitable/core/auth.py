"""Sign-in throttling that slows password guessing without letting anyone lock a person out.

Why not a lockout: five wrong passwords used to lock an account for 15 minutes, whoever typed
them, so anyone who knew a username (`board.member`) could keep its owner out for as long as
they liked. Guessing is slowed instead, in three ways, none of which a stranger can turn
against the account's owner (after OWASP's "device cookie" scheme):

1. **This account from this client.** A client is a device that signed in to the account
   before (it holds a signed device cookie naming the account) or else the client address.
   After `EQUITABLE_SIGN_IN_FREE_FAILURES` (3) wrong passwords, each further attempt must wait
   1, 2, 4, 8 … seconds (doubling, at most `MAX_CLIENT_DELAY`, 15 minutes) after the last
   failure. Only that client waits.
2. **Any account from this address.** At most `EQUITABLE_SIGN_IN_ADDRESS_FAILURES` (50) wrong
   passwords an hour from one address across all accounts (password spraying), then attempts
   from it are refused until the hour has passed. A device that signed in to the account
   before is not affected.
3. **This account from anywhere new.** After `ACCOUNT_FREE_FAILURES` (10) wrong passwords from
   clients that have never signed in to the account, such clients together get at most one
   attempt every 1, 2, 3, 4, then 5 seconds (never more than `MAX_ACCOUNT_DELAY`). The owner's
   own device is exempt, so a stranger's guesses never stop the owner signing in from a device
   they used before, and cost anyone else a few seconds at most.

An attempt that must wait checks no password (so waiting cannot be skipped by guessing right)
and says how many seconds are left; it is audited like a failure. A successful sign-in clears
rule 1 for that client and sets the device cookie.

The counters live in Django's cache (per process by default; set `CACHES` to Redis or Memcached
to share them between processes). Their keys are keyed hashes (HMAC-SHA256 with the secret key)
of the username, the address and the device, never the values themselves, and they expire an
hour after the last failure. The device cookie holds a random device id and keyed hashes of up
to five usernames that signed in from it, signed (Django signing), HTTP-only, for 180 days.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

WINDOW_SECONDS = 3600
MAX_CLIENT_DELAY = 15 * 60
ACCOUNT_FREE_FAILURES = 10
MAX_ACCOUNT_DELAY = 5
DEVICE_COOKIE = "equitable_device"
DEVICE_COOKIE_DAYS = 180
DEVICE_ACCOUNTS = 5
_DEVICE_SALT = "equitable.core.auth.device"


def now() -> float:
    """The clock (tests move it)."""
    return time.time()


def _hash(kind: str, value: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _account(username: str) -> str:
    return _hash("account", username.strip().casefold())


# ---------------------------------------------------------------------------------------------
# Counters in the cache: failures since the window started, and the time of the last one.


def _failures(key: str) -> tuple[int, float]:
    """(failures, time of the last one); forgotten an hour after the last one."""
    entry = cache.get(f"equitable:sign-in:{key}")
    if not entry or now() - entry["last"] >= WINDOW_SECONDS:
        return 0, 0.0
    return entry["n"], entry["last"]


def _count_failure(key: str) -> None:
    count, _last = _failures(key)
    cache.set(f"equitable:sign-in:{key}", {"n": count + 1, "last": now()}, timeout=WINDOW_SECONDS)


def _forget(key: str) -> None:
    cache.delete(f"equitable:sign-in:{key}")


# ---------------------------------------------------------------------------------------------
# The device cookie


@dataclass(frozen=True)
class Client:
    """Who is attempting: the device id (if it holds a valid device cookie), the accounts
    that signed in from it, and the client address (hashed)."""

    device: str
    device_accounts: tuple[str, ...]
    address: str

    def knows(self, username: str) -> bool:
        return bool(self.device) and _account(username) in self.device_accounts

    def key_for(self, username: str) -> str:
        """Rule 1's key: the device for an account it signed in to, else the address."""
        if self.knows(username):
            return f"device:{_account(username)}:{self.device}"
        return f"address:{_account(username)}:{self.address}"


def client_of(request) -> Client:
    address = _hash("address", request.META.get("REMOTE_ADDR", ""))
    try:
        cookie = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt=_DEVICE_SALT,
            max_age=DEVICE_COOKIE_DAYS * 86400,
        )
    except signing.BadSignature:
        return Client("", (), address)
    if not isinstance(cookie, dict) or not isinstance(cookie.get("d"), str):
        return Client("", (), address)
    accounts = tuple(a for a in cookie.get("a", []) if isinstance(a, str))[:DEVICE_ACCOUNTS]
    return Client(cookie["d"], accounts, address)


def remember_device(response, client: Client, username: str) -> None:
    """Set the device cookie after a successful sign-in (this account first)."""
    device = client.device or secrets.token_hex(16)
    accounts = [_account(username)] + [a for a in client.device_accounts if a != _account(username)]
    value = signing.dumps({"d": device, "a": accounts[:DEVICE_ACCOUNTS]}, salt=_DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


# ---------------------------------------------------------------------------------------------
# The rules


def _wait_after(last: float, delay: float) -> int:
    return max(0, math.ceil(last + delay - now()))


def wait_seconds(client: Client, username: str) -> int:
    """Seconds before this client may try this username again; 0 means now."""
    free = settings.EQUITABLE_SIGN_IN_FREE_FAILURES
    count, last = _failures(client.key_for(username))
    waits = [0]
    if count >= free:
        waits.append(_wait_after(last, min(2 ** (count - free), MAX_CLIENT_DELAY)))
    if not client.knows(username):
        address_count, address_last = _failures(f"address:{client.address}")
        if address_count >= settings.EQUITABLE_SIGN_IN_ADDRESS_FAILURES:
            waits.append(_wait_after(address_last, WINDOW_SECONDS))
        account_count, account_last = _failures(f"account:{_account(username)}")
        if account_count >= ACCOUNT_FREE_FAILURES:
            delay = min(account_count - ACCOUNT_FREE_FAILURES + 1, MAX_ACCOUNT_DELAY)
            waits.append(_wait_after(account_last, delay))
    return max(waits)


def note_failure(client: Client, username: str) -> None:
    _count_failure(client.key_for(username))
    if not client.knows(username):
        _count_failure(f"address:{client.address}")
        _count_failure(f"account:{_account(username)}")


def note_success(client: Client, username: str) -> None:
    _forget(client.key_for(username))
    _forget(f"address:{_account(username)}:{client.address}")
