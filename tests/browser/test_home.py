"""The home page of every demo sign-in, in real Chromium at 1280 px (a laptop) and 375 px (a
phone): it fits the screen (no horizontal page overflow: a wide table scrolls in its own box),
passes axe-core, and is saved as a screenshot under the test's temporary directory to look at.

The demo is loaded as `equitable demo` loads it (smaller: 400 staff), so every panel has
something in it: three snapshots, the plan, the Standard's levels, incident reports.
"""

from __future__ import annotations

import pytest

from equitable.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo
from tests.browser.conftest import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 375)
# What each demo sign-in's home must show (a panel's id), and must not.
EXPECTED = {
    "admin": ({"workforce-panel", "targets-panel", "figures-protected"}, {"incidents-panel"}),
    "edi.officer": ({"incidents-panel", "imports-panel", "figures-exact"}, set()),
    "hr.analyst": ({"imports-panel", "figures-exact"}, {"incidents-panel"}),
    "champion.people": ({"actions-panel", "figures-protected"}, {"imports-panel"}),
    "board.member": ({"figures-protected", "standard-panel"}, {"imports-panel"}),
    "coordinator": (set(), {"workforce-panel"}),
    "riverside.edi": ({"workforce-panel", "incidents-panel"}, set()),
}


def test_home_page_of_every_demo_role(live_server, page, sign_in, tmp_path):
    load_demo(employees=400)
    assert set(EXPECTED) == {username for username, _, _ in DEMO_USERS}
    failures = []
    for username in EXPECTED:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 900})
        sign_in(page, username, DEMO_PASSWORD)
        shown, hidden = EXPECTED[username]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}/home/")
            assert response is not None and response.status == 200, username
            page.screenshot(path=str(tmp_path / f"home-{username}-{width}.png"), full_page=True)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                failures.append(f"{username} at {width} px: the page is {scroll_width} px wide")
            for panel in shown:
                if not page.locator(f"#{panel}").count():
                    failures.append(f"{username}: #{panel} missing")
            for panel in hidden:
                if page.locator(f"#{panel}").count():
                    failures.append(f"{username}: #{panel} shown")
            violations = axe_violations(page)
            if violations:
                failures.append(f"{username} at {width} px: axe {violations}")
    print(f"home page screenshots in {tmp_path}")
    assert not failures, "\n".join(failures)
