"""The action workflow in Chromium: a champion updates status and note in one form, corrects
it, and the action page, the update form, the target rows and the register fit 375 px (their
tables scroll in their own containers) and pass axe-core."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_update_correct_and_read_the_history_at_375(live_server, page, users, org, sign_in):
    from equitable.actions.models import Recommendation
    from tests.actions.factories import make_plan

    directorate = org.directorates.get(name="People")
    _, action, measure = make_plan(org, "People plan", directorate, ref_prefix="P")
    recommendation = Recommendation.objects.create(
        organisation=org, ref="RR-2", theme="Recruitment", text="Diverse panels for MG grades"
    )
    recommendation.actions.add(action)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "champion")
    base = live_server.url
    page.goto(f"{base}/actions/actions/{action.pk}/")
    page.get_by_role("button", name="Update progress").click()
    page.check('input[name="status"][value="at risk"]')
    page.fill("input[name=on]", "2025-03-01")
    page.fill("textarea[name=note]", "Two of 86 panels short of members")
    failures = {"update form": axe_violations(page)}
    widths = {"update form": _fits(page, 375)}
    page.get_by_role("button", name="Save the update").click()
    assert "At risk" in page.locator("main").inner_text()
    page.get_by_role("link", name="Correct the update of 01 Mar 2025").click()
    page.fill("textarea[name=note]", "Two of 68 panels short of members")
    page.get_by_role("button", name="Save the correction").click()
    text = page.locator("main").inner_text()
    assert "Two of 68 panels" in text and "Corrected" in text
    assert "By champion" in text
    failures["action"] = axe_violations(page)
    widths["action"] = _fits(page, 375)
    for name, path in (
        ("target", f"/actions/measures/{measure.pk}/target/"),
        ("register", "/actions/recommendations/"),
        ("recommendation", f"/actions/recommendations/{recommendation.pk}/"),
    ):
        page.goto(base + path)
        failures[name] = axe_violations(page)
        widths[name] = _fits(page, 375)
    assert {k: v for k, v in failures.items() if v} == {}
    assert {k for k, fits in widths.items() if not fits} == set()
