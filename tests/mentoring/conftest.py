"""Mentoring tests start with fresh limits on the open sign-up link (the limiters are shared
with the incident form's, and other tests' posts would count against this test's)."""

import pytest

from equitable.incidents.anonymity import LIMITERS


@pytest.fixture(autouse=True)
def _fresh_limits():
    for limiter in LIMITERS.values():
        limiter.reset()
    yield
    for limiter in LIMITERS.values():
        limiter.reset()
