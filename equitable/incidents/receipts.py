"""Receipt codes: the reporter's only way back to their report.

Why this shape:
* **Entropy.** A code is 28 random decimal digits shown in seven groups of four
  (`1234 5678 ...`). 28 x log2(10) = 93.0 bits, above the 80 bits the issue asks for (24 digits
  would give only 79.7 bits; GlobaLeaks' 16 give 53). Digits are easy to read out, to type on a
  phone keypad and to hide among other numbers.
* **Storage.** The first 8 digits are a *lookup part*, stored in clear and indexed, so finding a
  report is one indexed query. The other 20 digits (66.4 bits) are the *secret part*, stored only
  as an Argon2id hash, so checking a code costs one deliberately slow hash. Someone holding a copy
  of the database must still guess 2^66 Argon2id hashes per report; someone guessing over the web
  must hit a lookup part (10^8) and its secret (10^20) and is rate-limited besides.
* **Typing back.** Spaces and hyphens (of any kind) are ignored.

Pure module: no Django.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import Type

DIGITS = 28
LOOKUP_DIGITS = 8
SECRET_DIGITS = DIGITS - LOOKUP_DIGITS
GROUP = 4
ENTROPY_BITS = DIGITS * math.log2(10)
SECRET_ENTROPY_BITS = SECRET_DIGITS * math.log2(10)

# RFC 9106 "second recommended option" (argon2-cffi's RFC_9106_LOW_MEMORY): 64 MiB, 3 passes.
PRODUCTION_COST = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}

_IGNORED = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_DIGITS_ONLY = re.compile(r"[0-9]+")


class ReceiptFormatError(ValueError):
    """What was typed cannot be a receipt code (the message says why, in plain words)."""


@dataclass(frozen=True)
class Receipt:
    code: str  # 28 digits, no separators

    @property
    def lookup(self) -> str:
        return self.code[:LOOKUP_DIGITS]

    @property
    def secret(self) -> str:
        return self.code[LOOKUP_DIGITS:]

    @property
    def display(self) -> str:
        return format_code(self.code)


def generate() -> Receipt:
    """A new code from the operating system's cryptographic random source."""
    return Receipt("".join(secrets.choice("0123456789") for _ in range(DIGITS)))


def format_code(code: str) -> str:
    return " ".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> Receipt:
    """Ignore spaces and hyphens; anything else must be exactly 28 digits 0-9."""
    compact = _IGNORED.sub("", typed or "")
    if not compact:
        raise ReceiptFormatError("Enter your receipt code")
    if not _DIGITS_ONLY.fullmatch(compact):
        raise ReceiptFormatError("A receipt code has only the digits 0 to 9")
    if len(compact) != DIGITS:
        raise ReceiptFormatError(f"A receipt code has {DIGITS} digits; you entered {len(compact)}")
    return Receipt(compact)


@lru_cache(maxsize=8)
def hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def hash_secret(receipt: Receipt, cost: dict | None = None) -> str:
    """Argon2id hash (with its own random salt and parameters) of the secret part."""
    return hasher(**(cost or PRODUCTION_COST)).hash(receipt.secret)


def verify_secret(receipt: Receipt, stored_hash: str, cost: dict | None = None) -> bool:
    try:
        return hasher(**(cost or PRODUCTION_COST)).verify(stored_hash, receipt.secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return hasher(time_cost, memory_cost, parallelism).hash("0" * SECRET_DIGITS)


def burn_equal_time(receipt: Receipt, cost: dict | None = None) -> bool:
    """Verify against a throw-away hash when no report has this lookup part, so that a wrong
    lookup part takes as long as a wrong secret and timing reveals nothing. Always False."""
    cost = cost or PRODUCTION_COST
    verify_secret(receipt, _dummy_hash(**cost), cost)
    return False
