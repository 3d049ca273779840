"""Every URL, as every role and as an anonymous visitor, answers as its declared roles say.

- anonymous on a protected page: redirected to sign in;
- a role listed in the view's `allowed_roles`: the page (or 405 for POST-only views);
- any other role: 403;
- a user of another council, with a role that would be allowed, given this council's object
  IDs: 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import ORG_ROLES
from tests.matrix_support import all_routes, collect_samples

PERSONAS = [*ORG_ROLES, "coordinator"]


@pytest.fixture
def matrix(users, org):
    samples, not_scoped, skip = collect_samples(org)
    return samples, not_scoped, skip


def _url(route, samples):
    return reverse(route.name, kwargs=samples.get(route.name) or None)


def test_every_view_declares_its_roles():
    undeclared = [r.pattern for r in all_routes() if not hasattr(r.callback, "allowed_roles")]
    assert undeclared == [], f"views without role_required/public_view: {undeclared}"


def test_every_url_with_parameters_has_samples(matrix):
    samples, _, skip = matrix
    missing = [
        r.name
        for r in all_routes()
        if r.has_params and r.name not in samples and r.name not in skip
    ]
    assert missing == [], f"add these URL names to a tests/<app>/matrix.py: {missing}"


def test_anonymous_visitors_are_sent_to_sign_in(client, matrix):
    samples, _, skip = matrix
    for route in all_routes():
        if route.name in skip or route.callback.allowed_roles == "public":
            continue
        response = client.get(_url(route, samples))
        assert response.status_code == 302, route.name
        assert response["Location"].startswith(reverse("core:sign-in")), route.name


def test_public_pages_are_open(client, matrix):
    samples, _, skip = matrix
    for route in all_routes():
        if route.name in skip or route.callback.allowed_roles != "public":
            continue
        response = client.get(_url(route, samples))
        assert response.status_code in {200, 302, 405}, (route.name, response.status_code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_gets_exactly_its_pages(persona, client_as, matrix):
    samples, _, skip = matrix
    client = client_as(persona)
    role = "coordinator" if persona == "coordinator" else persona
    failures = []
    for route in all_routes():
        allowed = route.callback.allowed_roles
        if route.name in skip or allowed == "public":
            continue
        status = client.get(_url(route, samples)).status_code
        if role in allowed and status not in {200, 302, 405}:
            failures.append((route.name, "expected access", status))
        if role not in allowed and status != 403:
            failures.append((route.name, "expected 403", status))
    assert failures == []


@pytest.mark.parametrize("persona", ORG_ROLES)
def test_another_council_cannot_reach_our_objects(persona, client_as, matrix):
    samples, not_scoped, skip = matrix
    intruder = client_as(f"other:{persona}")
    failures = []
    for route in all_routes():
        allowed = route.callback.allowed_roles
        if (
            not route.has_params
            or route.name in skip
            or route.name in not_scoped
            or allowed == "public"
            or persona not in allowed
        ):
            continue
        url = _url(route, samples)
        status = intruder.get(url).status_code
        if status == 405:
            status = intruder.post(url).status_code
        if status != 404:
            failures.append((route.name, status))
    assert failures == [], "another council's user reached our objects"
