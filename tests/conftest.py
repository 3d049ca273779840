"""The fixed cast of test users (as healthchecks does): one of each role in "our" council,
the same roles in another council, and the London-wide coordinator.

`client_as("edi_officer")` gives a signed-in Django test client; `client_as("other:edi_officer")`
one for the other council.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from equitable.core.models import Directorate, Organisation, User
from equitable.core.roles import Role
from tests.browser_support import browser  # noqa: F401  (the one Chromium of the run)

# Property tests explore the same examples on every run, so CI cannot fail by chance; run with
# HYPOTHESIS_PROFILE=explore to search afresh.
hypothesis_settings.register_profile("equitable", derandomize=True, deadline=None, database=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "equitable"))

ORG_ROLES = [r.value for r in Role if r != Role.COORDINATOR]


def make_organisation(slug: str, name: str) -> Organisation:
    organisation = Organisation.objects.create(slug=slug, name=name)
    for directorate in ("People", "Place", "Resources"):
        Directorate.objects.create(organisation=organisation, name=directorate)
    return organisation


def make_user(username: str, role: str, organisation: Organisation | None) -> User:
    user = User.objects.create_user(
        username=username, password="a-long-test-password", role=role, organisation=organisation
    )
    if role == Role.CHAMPION and organisation is not None:
        user.directorates.set(organisation.directorates.filter(name="People"))
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Sign-in throttling counts failures in the cache (core/auth.py): a test's wrong passwords
    must not slow down the next test's sign-ins."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def org(db) -> Organisation:
    return make_organisation("our-borough", "Our Borough")


@pytest.fixture
def other_org(db) -> Organisation:
    return make_organisation("other-borough", "Other Borough")


@pytest.fixture
def users(org, other_org) -> dict[str, User]:
    cast = {role: make_user(role, role, org) for role in ORG_ROLES}
    cast.update(
        {f"other:{role}": make_user(f"other-{role}", role, other_org) for role in ORG_ROLES}
    )
    cast["coordinator"] = make_user("coordinator", Role.COORDINATOR, None)
    return cast


@pytest.fixture
def client_as(users):
    from django.test import Client

    def signed_in(persona: str) -> Client:
        client = Client()
        client.force_login(users[persona])
        return client

    return signed_in
