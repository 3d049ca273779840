"""A member of staff reports an incident in real Chromium with JavaScript switched off, keeps the
receipt, comes back with it (typed with spaces and hyphens) and reads the EDI team's reply."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations

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


# --- Layout, accessibility and keeping the receipt (issue 13) ------------------------------

WIDTHS = (1280, 375)
SCREENSHOTS = os.environ.get("EQUITABLE_SCREENSHOTS")  # a folder to keep them in, if set


def _support(org):
    from equitable.incidents.models import SupportContact

    SupportContact.objects.create(
        organisation=org,
        kind="eap",
        name="Employee Assistance Programme",
        description="Free, confidential counselling, 24 hours a day",
        phone="0808 157 0192",
        url="https://our-borough.example/staff/employee-assistance",
    )
    SupportContact.objects.create(
        organisation=org,
        kind="speak_up",
        name="Freedom to Speak Up Guardian",
        phone="020 7946 0255",
    )


def _check_page(page, name: str, width: int, folder: Path, failures: list[str]) -> None:
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        failures.append(f"{name} at {width} px: the page is {scroll_width} px wide")
    violations = axe_violations(page)
    if violations:
        failures.append(f"{name} at {width} px: axe {violations}")


def test_report_form_and_confirmation_fit_1280_and_375_and_pass_axe(
    live_server, page, users, org, tmp_path
):
    _support(org)
    folder = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/report-an-incident/{org.slug}/")
        assert page.locator("#support-heading").inner_text() == "Support you can get now"
        _check_page(page, "report-form", width, folder, failures)
        page.locator("input[name=incident_type]").first.check()
        page.fill("textarea[name=what_happened]", "Comments about my hair in the office.")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_load_state()
        assert page.locator("#shown-once").is_visible()
        assert page.locator("#support-heading").count() == 1
        _check_page(page, "report-confirmation", width, folder, failures)
    print(f"incident report screenshots in {folder}")
    assert not failures, "\n".join(failures)


def test_the_receipt_is_copied_with_one_click_under_the_strict_csp(browser, live_server, org):
    # A context that keeps the Content Security Policy: the copy script must work under it.
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(f"{live_server.url}/report-an-incident/{org.slug}/")
        page.locator("input[name=incident_type]").first.check()
        page.fill("textarea[name=what_happened]", "Left out of meetings.")
        page.get_by_role("button", name="Send report").click()
        page.wait_for_load_state()
        receipt = page.locator("#receipt-code").inner_text().strip()
        button = page.get_by_role("button", name="Copy the receipt code")
        button.wait_for(state="visible")
        button.click()
        page.locator("#copy-status").filter(has_text="Receipt code copied").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == receipt
        assert context.cookies() == []
        assert not problems, problems  # no CSP refusal, no script error
    finally:
        context.close()


def test_without_javascript_the_copy_button_stays_hidden_and_the_file_can_be_saved(
    live_server, no_js_page, org
):
    page = no_js_page
    page.goto(f"{live_server.url}/report-an-incident/{org.slug}/")
    page.locator("input[name=incident_type]").first.check()
    page.fill("textarea[name=what_happened]", "A comment at the team away day.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert not page.get_by_role("button", name="Copy the receipt code").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Save the receipt code as a text file").click()
    download = download_info.value
    assert download.suggested_filename == "receipt-code.txt"
    assert receipt in Path(download.path()).read_text(encoding="utf-8")
    assert page.context.cookies() == []
