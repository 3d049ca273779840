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


def _axe_heading_order(page) -> list:
    """axe-core's heading-order rule (a best-practice rule, so not in the WCAG tag run)."""
    from tests.browser.conftest import AXE

    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'rule', values: ['heading-order']}})"
    )
    return [v["id"] for v in result["violations"]]


def test_copied_forward_category_pages_fit_375_and_keep_headings_in_order(
    live_server, page, users, org, sign_in, tmp_path
):
    from equitable.standard import services
    from equitable.standard.models import Response

    previous = services.start_assessment(org, "2024 to 2025")
    Response.objects.create(
        assessment=previous, criterion_id="1.1", level="established", evidence_notes="Minutes"
    )
    Response.objects.create(
        assessment=previous, criterion_id="2a.1", level="developing", evidence_notes="Audit"
    )
    sign_in(page, "edi_officer")
    page.goto(f"{live_server.url}/standard/")
    page.fill("input[name=period]", "2025 to 2026")
    page.get_by_label("Copy answers and evidence from 2024 to 2025").check()
    page.get_by_role("button", name="Start assessment").click()
    assert "still need review" in page.locator("#for-review").inner_text()
    summary = page.url
    failures = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in (
            ("summary", ""),
            ("category-1", "category/1/"),
            ("category-2", "category/2/"),
        ):
            page.goto(summary + path)
            page.screenshot(path=str(tmp_path / f"standard-{name}-{width}.png"), full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                failures.append(f"{name} at {width} px: the page is {scroll_width} px wide")
            found = axe_violations(page) + _axe_heading_order(page)
            if found:
                failures.append(f"{name} at {width} px: axe {found}")
    page.goto(summary + "category/1/")
    assert page.locator("text=For review").count() == 1
    page.get_by_label("I have reviewed 1.1").check()
    page.get_by_role("button", name="Save", exact=True).click()
    assert page.locator("text=For review").count() == 0
    print(f"Standard screenshots in {tmp_path}")
    assert not failures, "\n".join(failures)
