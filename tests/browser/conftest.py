"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Never downloads a browser. Where /usr/bin/chromium is missing the tests are skipped with a
loud message (scripts/test.sh installs it with apt where it can).
"""

from __future__ import annotations

import pytest

from tests.browser_support import AXE, CHROMIUM, LAUNCH_ARGS  # noqa: F401


@pytest.fixture
def page(browser):
    context = browser.new_context(bypass_csp=True)  # only so axe-core can be injected
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server):
    def do_sign_in(page, username: str, password: str = "a-long-test-password") -> None:
        page.goto(f"{live_server.url}/sign-in/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return do_sign_in


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.x A and AA rules, 2.2 included) on the current page."""
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run scripts/build-assets.sh")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]
