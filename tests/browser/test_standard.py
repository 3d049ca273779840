"""The Standard's pages in Chromium: the worked example entered through the form, and axe-core
on every Standard page with content in it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations
from tests.standard.helpers import WORKED_EXAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worked_example_entered_in_the_browser_scores_15_established(
    live_server, page, users, sign_in
):
    sign_in(page, "edi_officer")
    page.goto(f"{live_server.url}/standard/")
    page.fill("input[name=period]", "2024 to 2025")
    page.get_by_role("button", name="Start assessment").click()
    page.get_by_role("link", name="1. Strategic Leadership and Management").click()
    for criterion_id, level in WORKED_EXAMPLE.items():
        page.check(f'input[name="level-{criterion_id}"][value="{level}"]')
    page.fill('textarea[name="notes-1.1"]', "Cabinet Member for Equalities appointed as champion")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "15 of 22 points: Established." in page.locator("#category-score").inner_text()
    assert page.locator('input[name="level-1.6"][value="leading"]').is_checked()
    failures = {"category": axe_violations(page)}
    page.get_by_role("link", name="Back to the summary of 2024 to 2025").click()
    assert "15" in page.locator("#summary").inner_text()
    failures["summary"] = axe_violations(page)
    page.get_by_role("button", name="Submit assessment").click()
    for path in (
        "over-time/",
        "the-standard/",
        "benchmarking/",
        "pairing/",
        "anti-racist-statement/",
    ):
        page.goto(f"{live_server.url}/standard/{path}")
        failures[path] = axe_violations(page)
    assert {name: found for name, found in failures.items() if found} == {}
