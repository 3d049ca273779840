"""A member of staff reports an incident in real Chromium with JavaScript switched off, keeps the
receipt, comes back with it (typed with spaces and hyphens) and reads the EDI team's reply."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_report_receipt_and_follow_up_without_javascript(live_server, no_js_page, users, org):
    page = no_js_page
    page.goto(f"{live_server.url}/report-an-incident/{org.slug}/")
    page.locator("input[name=incident_type]").first.check()
    page.fill("textarea[name=what_happened]", "A remark about my accent in a team meeting.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()

    receipt = page.locator("#receipt-code").inner_text()
    digits = re.sub(r"\D", "", receipt)
    assert len(digits) >= 24
    assert page.context.cookies() == []  # the channel sets no cookie at all

    from equitable.incidents.models import Report

    assert Report.objects.filter(organisation=org).count() == 1

    typed = "-".join(digits[i : i + 4] for i in range(0, len(digits), 4)).replace("-", " - ", 2)
    page.goto(f"{live_server.url}/report-an-incident/follow-up/")
    page.fill("input[name=receipt]", typed)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your report"
    assert "A remark about my accent" in page.content()


def test_wrong_receipt_is_refused_with_a_message(live_server, no_js_page, users, org):
    page = no_js_page
    page.goto(f"{live_server.url}/report-an-incident/follow-up/")
    page.fill("input[name=receipt]", "1234 5678 9012 3456 7890 1234 5678")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Follow up your report"
    assert page.locator(".govuk-error-summary").count() == 1
