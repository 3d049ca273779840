"""Importing a good extract and a broken one through the real pages, in Chromium."""

from __future__ import annotations

import pytest

from equitable.workforce.models import Snapshot
from tests.browser.conftest import axe_violations
from tests.workforce.conftest import extract_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, live_server, path, snapshot_date="2025-03-31") -> None:
    page.goto(f"{live_server.url}/workforce/import/")
    page.set_input_files("input[name=extract]", str(path))
    page.fill("input[name=snapshot_date]", snapshot_date)
    page.click("button:has-text('Upload and continue')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Match the columns"
    assert axe_violations(page) == []
    page.click("button:has-text('Check the file')")
    page.wait_for_load_state()


def test_a_good_extract_is_imported_and_a_broken_one_is_refused(
    live_server, page, users, org, sign_in, tmp_path
):
    sign_in(page, "hr_analyst")
    broken_rows = extract_rows()
    broken_rows[3]["ethnicity"] = "Martian"
    broken_rows[8]["hourly_pay"] = "lots"
    broken = write_csv(tmp_path / "broken.csv", broken_rows)
    _upload(page, live_server, broken)
    assert page.locator("h1").inner_text() == "Problems in the extract"
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "problems in the extract" in summary
    table = page.locator("#problems").inner_text()
    assert "Martian" in table and "lots" in table
    assert axe_violations(page) == []
    assert Snapshot.objects.count() == 0

    good = write_csv(tmp_path / "good.csv", extract_rows())
    _upload(page, live_server, good)
    assert page.locator("h1").inner_text() == "The extract is ready to store"
    page.click("button:has-text('Store the snapshot')")
    page.wait_for_load_state()
    assert "Extract imported" in page.locator(".govuk-panel").inner_text()
    assert Snapshot.objects.get().row_count == 112

    page.goto(f"{live_server.url}/workforce/figures/representation_by_directorate/")
    assert page.locator("svg[role=img]").count() == 1
    assert page.locator("table.eq-data-table").count() == 1
    assert axe_violations(page) == []


def test_protected_figures_with_withheld_cells_pass_axe(
    live_server, page, users, org, sign_in, tmp_path
):
    from equitable.workforce import services
    from tests.workforce.conftest import SNAPSHOT_DATE

    services.import_file(
        org, write_csv(tmp_path / "good.csv", extract_rows()), snapshot_date=SNAPSHOT_DATE
    )
    sign_in(page, "board_member")
    for name in ("representation_by_pay_band", "representation_by_directorate"):
        page.goto(f"{live_server.url}/workforce/figures/{name}/")
        assert "[c]" in page.locator("table.eq-data-table").inner_text()
        assert axe_violations(page) == [], name


def _fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_grouped_problems_preview_and_delete_pages_pass_axe_and_fit_375(
    live_server, page, users, org, sign_in, tmp_path
):
    from equitable.workforce import services
    from tests.workforce.conftest import SNAPSHOT_DATE

    services.import_file(
        org, write_csv(tmp_path / "first.csv", extract_rows()), snapshot_date=SNAPSHOT_DATE
    )
    sign_in(page, "hr_analyst")
    rows = extract_rows()
    for row in rows:
        row["hourly_pay"] = "lots"  # 112 identical problems: one group
    _upload(page, live_server, write_csv(tmp_path / "broken.csv", rows), "2026-03-31")
    assert page.locator("#problems details").count() == 1
    assert "112 rows: rows 2–113" in page.locator("#problems summary").inner_text()
    page.click("#problems summary")
    assert axe_violations(page) == []
    _fits(page, 375)
    page.set_viewport_size({"width": 1280, "height": 900})

    renamed = [{**row, "employee_id": "X" + row["employee_id"][1:]} for row in extract_rows()]
    _upload(page, live_server, write_csv(tmp_path / "other.csv", renamed), "2026-03-31")
    assert page.locator("#preview-figures").count() == 1
    assert "looks unrelated" in page.locator("#unrelated-warning").inner_text()
    assert axe_violations(page) == []
    _fits(page, 375)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Store the snapshot')")
    page.wait_for_load_state()
    assert Snapshot.objects.count() == 1  # not without the tick
    page.check("input[name=unrelated]")
    page.click("button:has-text('Store the snapshot')")
    page.wait_for_load_state()
    assert Snapshot.objects.count() == 2

    page.goto(f"{live_server.url}/workforce/snapshots/")
    assert axe_violations(page) == []
    page.locator("#snapshots a:has-text('Delete')").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Delete the snapshot of 31 March 2026")
    assert axe_violations(page) == []
    _fits(page, 375)
    page.click("button:has-text('Delete the snapshot')")
    page.wait_for_load_state()
    assert Snapshot.objects.count() == 1
