"""The survey figures beside 2c.5 and 4.2 in Chromium: the page fits 375 px (the tables scroll
in their own box), axe-core passes, and each page is saved as a screenshot at both widths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import axe_violations, page, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_survey_figures_fit_375_and_pass_axe(
    live_server,
    page,  # noqa: F811
    users,
    surveyed,
    sign_in,  # noqa: F811
    tmp_path,
):
    from equitable.standard import services

    assessment = services.start_assessment(surveyed, "2022 to 2023")
    folder = Path(os.environ.get("EQUITABLE_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, "edi_officer")
    failures = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        for category, criterion in (("2", "2c.5"), ("4", "4.2")):
            page.goto(
                f"{live_server.url}/standard/assessments/{assessment.pk}/category/{category}/"
            )
            figures = page.locator(f'[id="survey-figures-{criterion}"]')
            assert figures.count() == 1
            section = page.locator(f'section[aria-labelledby="heading-{criterion}"]')
            section.scroll_into_view_if_needed()
            section.screenshot(path=str(folder / f"survey-{criterion}-{width}.png"))
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                failures.append(f"{criterion} at {width} px: the page is {scroll_width} px wide")
            found = axe_violations(page)
            if found:
                failures.append(f"{criterion} at {width} px: axe {found}")
    print(f"survey evidence screenshots in {folder}")
    assert not failures, "\n".join(failures)
