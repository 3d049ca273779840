"""The loopback identity provider, and Equitable pointed at it."""

import pytest

from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, running_provider

# Keyed by subject, which is also what the test types as the login on the provider's page.
ACCOUNTS = {
    "subject-officer": {"email": "officer@our-borough.gov.uk"},
    "subject-elsewhere": {"email": "someone@other-borough.gov.uk"},
    "subject-stranger": {"email": "stranger@our-borough.gov.uk"},
}


@pytest.fixture
def provider(live_server, settings, tmp_path, users):
    users["edi_officer"].email = ACCOUNTS["subject-officer"]["email"]
    users["edi_officer"].save()
    users["other:edi_officer"].email = ACCOUNTS["subject-elsewhere"]["email"]
    users["other:edi_officer"].save()
    callback = f"{live_server.url}/sign-in/sso/callback/"
    with running_provider(tmp_path, callback, ACCOUNTS) as running:
        settings.EQUITABLE_OIDC_ISSUER = running.issuer
        settings.EQUITABLE_OIDC_CLIENT_ID = CLIENT_ID
        settings.EQUITABLE_OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.EQUITABLE_OIDC_ORGANISATION = users["edi_officer"].organisation.slug
        yield running
