import pytest
from playwright.sync_api import Error as PlaywrightError
from tests.browser.conftest import axe_violations
from equitable.workforce.demo import load_demo
from equitable.workforce import catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wf(live_server, page, users, org, sign_in):
    load_demo(org, employees=400)
    failures = []
    checked = []
    paths = [f"/workforce/figures/{f.name}/" for f in catalogue.FIGURES] + [
        "/workforce/",
        "/workforce/trends/?figure=pay_quartiles_ethnicity",
        "/workforce/trends/?figure=representation_by_pay_band",
        "/workforce/population/",
        "/workforce/import/",
    ]
    for persona in ("board_member", "hr_analyst"):
        page.context.clear_cookies()
        sign_in(page, persona)
        for path in paths:
            try:
                r = page.goto(live_server.url + path)
            except PlaywrightError:
                continue
            if r is None or r.status != 200:
                continue
            v = axe_violations(page)
            checked.append(path)
            if v:
                failures.append((persona, path, v))
    print(len(checked))
    assert failures == []
