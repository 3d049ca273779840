"""The organisation's logo in the header, and the admin pages at 375 px, in real Chromium."""

from __future__ import annotations

import pytest

from tests.core.test_logo import GOOD_SVG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_logo_shows_in_the_header_and_admin_pages_fit_a_phone(browser, live_server, users, org):
    from equitable.core import admin_services

    admin_services.save_logo(users["org_admin"], org, GOOD_SVG, "logo.svg")
    context = browser.new_context(viewport={"width": 375, "height": 800})  # the CSP applies
    page = context.new_page()
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("input[name=username]", "org_admin")
    page.fill("input[name=password]", "a-long-test-password")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    for path in ("/admin/users/", "/admin/audit-log/", "/admin/logo/", "/help/admin/"):
        page.goto(live_server.url + path)
        logo = page.locator("img.eq-header__logo")
        assert logo.count() == 1, path
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", logo.element_handle())
        assert logo.get_attribute("alt") == ""  # the name beside it in the same link is read
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
    context.close()
