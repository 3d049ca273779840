"""The workforce figure and trends pages in Chromium at 1280 and 375 px: no horizontal page
scroll (wide tables scroll in their own box), the chart fits its column and has its table,
full group names in the chart, and axe-core passes. Each page is saved as a screenshot under
the test's temporary directory (the path is printed) to look at."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.metrics.population import demo_population_detailed
from equitable.workforce import services
from tests.browser.conftest import axe_violations
from tests.workforce.conftest import extract_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGES = {
    "figure": "/workforce/figures/representation_overall/",
    "figure-detailed": "/workforce/figures/representation_detailed_overall/",
    "figure-directorate": "/workforce/figures/representation_by_directorate/",
    "trends": "/workforce/trends/",
    "trends-directorate": "/workforce/trends/?figure=representation_by_directorate",
    "index": "/workforce/",
    "population": "/workforce/population/",
}


def chart_texts(page) -> list[str]:
    return page.eval_on_selector_all(".eq-chart svg text", "els => els.map(e => e.textContent)")


def test_figure_and_trends_pages_fit_1280_and_375_and_pass_axe(
    live_server, page, users, org, sign_in, tmp_path
):
    for year in (2024, 2025):
        path = write_csv(tmp_path / f"extract-{year}.csv", extract_rows())
        outcome = services.import_file(org, path, snapshot_date=date(year, 3, 31))
        assert outcome.ok, outcome.problems
    services.save_population(org, demo_population_detailed(), source="demo", user=None)
    for username in ("edi_officer", "board_member"):
        sign_in(page, username)
        for name, path in PAGES.items():
            if name == "population" and username == "board_member":
                continue  # not their page (403)
            for width in (1280, 375):
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(f"{live_server.url}{path}")
                assert response.status == 200, (username, path)
                page.screenshot(
                    path=str(tmp_path / f"workforce-{name}-{username}-{width}.png"),
                    full_page=True,
                )
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, f"{path} as {username} at {width}px: page {scroll}px wide"
                for chart in page.locator(".eq-chart svg").all():
                    box = chart.bounding_box()
                    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
                if width == 1280:
                    assert axe_violations(page) == [], (username, path)
            if name.startswith("figure") or name.startswith("trends"):
                # Every chart has its table; full names, never cut.
                assert page.locator(".eq-chart svg[role=img]").count() == 1, path
                assert page.locator(".eq-table-scroll table").count() >= 1, path
                text = " ".join(chart_texts(page))
                assert "…" not in text, path
        page.context.clear_cookies()  # sign the next persona in afresh
    sign_in(page, "edi_officer")
    page.goto(f"{live_server.url}{PAGES['figure']}")
    labels = " ".join(chart_texts(page))
    assert "Black, Asian and" in labels and "Multi-ethnic" in labels
    page.goto(f"{live_server.url}{PAGES['trends']}")
    ticks = chart_texts(page)
    assert "2024" in ticks and "2025" in ticks
    print(f"workforce page screenshots in {tmp_path}")
