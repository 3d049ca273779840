"""Single sign-on in Chromium: the button on Equitable's sign-in page, the provider's own
pages (the loopback oidc-provider), and back to Equitable's home page signed in."""

import pytest

from tests.browser.conftest import axe_violations
from tests.sso.conftest import provider  # noqa: F401 - the loopback identity provider

pytestmark = pytest.mark.browser


def _sign_in_at_the_provider(page, subject: str) -> None:
    page.fill("input[name=login]", subject)
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if "/interaction/" in page.url:  # the provider's consent page
        page.click("button[type=submit]")
        page.wait_for_load_state()


def test_a_council_account_signs_in_through_the_identity_provider(
    page,
    live_server,
    provider,  # noqa: F811
):
    page.goto(f"{live_server.url}/sign-in/")
    page.click("text=Sign in with your council account")
    page.wait_for_load_state()
    assert page.url.startswith(provider.issuer)
    _sign_in_at_the_provider(page, "subject-officer")
    assert page.url == f"{live_server.url}/home/"
    assert page.locator("text=Sign out").count() >= 1


def test_someone_unknown_comes_back_to_a_sentence_not_an_error(
    page,
    live_server,
    provider,  # noqa: F811
):
    page.goto(f"{live_server.url}/sign-in/sso/")
    _sign_in_at_the_provider(page, "subject-stranger")
    assert page.url.startswith(f"{live_server.url}/sign-in/sso/callback/")
    assert (
        page.locator(".govuk-error-summary").inner_text().startswith("You could not be signed in")
    )
    assert axe_violations(page) == []
