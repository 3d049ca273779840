"""The single sign-on seam: verified claims become an existing Equitable user, or are refused."""

import pytest

from equitable.core.sso import SignOnRefused, user_from_claims

ISSUER = "https://login.example/tenant/v2.0"


@pytest.fixture(autouse=True)
def issuer(settings):
    settings.EQUITABLE_OIDC_ISSUER = ISSUER


def test_first_sign_in_links_by_email_then_by_subject(users):
    officer = users["edi_officer"]
    officer.email = "officer@our.gov.uk"
    officer.save()
    linked = user_from_claims({"iss": ISSUER, "sub": "abc", "email": "Officer@our.gov.uk"})
    assert linked == officer
    assert user_from_claims({"iss": ISSUER, "sub": "abc"}) == officer


def test_unknown_people_and_other_issuers_are_refused(users):
    with pytest.raises(SignOnRefused, match="create your Equitable account"):
        user_from_claims({"iss": ISSUER, "sub": "zzz", "email": "stranger@x.org"})
    with pytest.raises(SignOnRefused, match="identity provider"):
        user_from_claims({"iss": "https://evil.example", "sub": "abc"})
