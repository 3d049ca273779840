"""Incident tests use a cheap Argon2 cost (production cost is tested in test_receipts.py) and a
fresh rate limiter for each test."""

import pytest

from equitable.incidents.anonymity import LIMITERS

FAST_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


@pytest.fixture(autouse=True)
def _fast_receipts_and_fresh_limits(settings):
    settings.EQUITABLE_RECEIPT_ARGON2 = FAST_ARGON2
    for limiter in LIMITERS.values():
        limiter.reset()
    yield
    for limiter in LIMITERS.values():
        limiter.reset()
