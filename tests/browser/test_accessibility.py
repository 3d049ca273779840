"""Every page a person can open passes an axe-core accessibility check in real Chromium.

The pages are found the same way as in the permission matrix: every URL, with the sample
objects each app provides, opened as a persona allowed to see it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import axe_violations
from tests.matrix_support import all_routes, collect_samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PREFERRED_PERSONAS = [
    "edi_officer",
    "org_admin",
    "board_member",
    "hr_analyst",
    "champion",
    "coordinator",
]


def pages_to_check(org) -> list[tuple[str, str, str]]:
    samples, _, skip = collect_samples(org)
    pages = []
    for route in all_routes():
        if (
            route.name in skip
            or route.name.endswith(("-css", "healthz"))
            or route.name == "core:root"
        ):
            continue
        allowed = route.callback.allowed_roles
        persona = (
            None
            if allowed == "public"
            else next((p for p in PREFERRED_PERSONAS if p in allowed), None)
        )
        if allowed != "public" and persona is None:
            continue
        pages.append(
            (route.name, reverse(route.name, kwargs=samples.get(route.name) or None), persona)
        )
    return pages


def html_pages(org, users) -> list[tuple[str, str, str]]:
    """Only the pages that answer a GET with HTML (not POST-only URLs, redirects or files)."""
    clients: dict[str | None, Client] = {}
    pages = []
    for name, path, persona in pages_to_check(org):
        if persona not in clients:
            clients[persona] = Client()
            if persona:
                clients[persona].force_login(users[persona])
        response = clients[persona].get(path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            pages.append((name, path, persona))
    return pages


def test_every_page_passes_axe(live_server, page, users, org, sign_in):
    checked, failures = [], []
    current = "anonymous"
    for name, path, persona in html_pages(org, users):
        wanted = persona or "anonymous"
        if wanted != current:
            page.context.clear_cookies()
            if persona:
                sign_in(page, persona)
            current = wanted
        try:
            response = page.goto(live_server.url + path)
        except PlaywrightError:  # e.g. a POST-only URL answering 405 with no body
            continue
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        violations = axe_violations(page)
        checked.append(name)
        if violations:
            failures.append((name, violations))
    assert "core:home" in checked and "core:sign-in" in checked
    assert failures == [], failures


def test_sign_in_then_home_shows_the_organisation_in_the_header(live_server, page, users, sign_in):
    sign_in(page, "edi_officer")
    assert page.locator(".eq-header__organisation").inner_text() == "Our Borough"
    assert page.locator("h1").inner_text() == "Where we stand"
