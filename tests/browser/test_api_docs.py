"""/api/docs renders its operations under the production Content Security Policy.

Swagger UI comes from Django Ninja's own static files (settings.INSTALLED_APPS has "ninja"),
not a CDN the CSP would block; the page is opened without bypassing the CSP, and any CSP
violation or request to another host fails the test.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_renders_operations_with_the_strict_csp(browser, live_server):
    context = browser.new_context()  # the CSP applies
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    own_host = urlparse(live_server.url).netloc
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            foreign.append(r.url)
            if urlparse(r.url).netloc not in {own_host, ""} and not r.url.startswith("data:")
            else None
        ),
    )
    response = page.goto(f"{live_server.url}/api/docs")
    assert response is not None and response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/me" in text for text in summaries), summaries
    assert page.locator(".opblock-tag").count() >= 4  # account, workforce, standard, actions …
    assert foreign == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()
