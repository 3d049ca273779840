import pytest
from tests.browser.conftest import axe_violations
from tests.browser.test_accessibility import pages_to_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incident_pages(live_server, page, users, org, sign_in):
    from equitable.incidents import services
    from tests.incidents.helpers import paper_report
    paper_report(org)
    failures, checked = [], []
    current = "anonymous"
    for name, path, persona in pages_to_check(org):
        if not name.startswith(("report:", "incidents:")):
            continue
        wanted = persona or "anonymous"
        if wanted != current:
            page.context.clear_cookies()
            if persona:
                sign_in(page, persona)
            current = wanted
        try:
            response = page.goto(live_server.url + path)
        except Exception as e:
            checked.append((name, str(e)[:80]))
            continue
        if response is None or response.status != 200:
            checked.append((name, response and response.status))
            continue
        checked.append(name)
        v = axe_violations(page)
        if v:
            failures.append((name, v))
    print(checked, [p for p in pages_to_check(org)])
    assert failures == [], failures
