"""The limiter counts per address within one minute and forgets everything after it."""

import pytest

from equitable.incidents.ratelimit import SlidingWindowLimiter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_limit_per_address_per_window():
    clock = Clock()
    limiter = SlidingWindowLimiter(3, 60, clock)
    assert [limiter.allow("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("10.0.0.2")  # another address has its own allowance
    clock.now += 30
    assert not limiter.allow("10.0.0.1")
    clock.now += 30.1
    assert limiter.allow("10.0.0.1")


def test_nothing_is_kept_beyond_the_window_and_no_address_is_held():
    clock = Clock()
    limiter = SlidingWindowLimiter(5, 60, clock)
    for address in ("192.0.2.7", "192.0.2.8"):
        limiter.allow(address)
    assert limiter.tracked() == 2
    assert "192.0.2.7" not in repr(limiter.__dict__)
    clock.now += 61
    assert limiter.tracked() == 0
    assert limiter._by_key == {}


def test_limit_must_be_positive():
    with pytest.raises(ValueError):
        SlidingWindowLimiter(0)
