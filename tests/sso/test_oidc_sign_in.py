"""Single sign-on against a real OpenID Connect provider on loopback (oidc-provider, from npm):
the code flow with PKCE end to end, and every way it must refuse."""

import base64
import json

import requests

from equitable.core import sso
from equitable.core.models import AuditEvent, User
from tests.sso.provider import sign_in_through


def _start(live_server) -> str:
    return f"{live_server.url}/sign-in/sso/"


def test_a_known_person_is_signed_in_and_linked_by_subject(provider, live_server, users):
    session = requests.Session()
    landed = sign_in_through(session, _start(live_server), "subject-officer")
    assert landed.status_code == 200 and landed.url == f"{live_server.url}/home/"
    officer = User.objects.get(pk=users["edi_officer"].pk)
    assert officer.external_subject == "subject-officer"
    assert AuditEvent.objects.filter(user=officer, action="sign_in", detail="single sign-on")
    # Signed in: a page that needs the EDI officer's role opens.
    assert session.get(f"{live_server.url}/workforce/", timeout=30).status_code == 200


def test_someone_with_no_account_here_is_refused(provider, live_server):
    landed = sign_in_through(requests.Session(), _start(live_server), "subject-stranger")
    assert landed.status_code == 403
    assert "create your Equitable account" in landed.text
    assert AuditEvent.objects.filter(action="sign_in_failed", detail__contains="SignOnRefused")


def test_an_account_of_another_organisation_is_refused(provider, live_server, users):
    landed = sign_in_through(requests.Session(), _start(live_server), "subject-elsewhere")
    assert landed.status_code == 403
    assert "belongs to another organisation" in landed.text
    assert User.objects.get(pk=users["other:edi_officer"].pk).external_subject == ""


def test_an_altered_id_token_is_refused(provider, live_server, monkeypatch, users):
    """The provider's real token, with its claims changed after signing (another subject):
    the signature no longer matches the provider's published key."""
    original = sso.client().fetch_access_token

    def tampered(**params):
        token = original(**params)
        header, payload, signature = token["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "subject-officer-forged"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return {**token, "id_token": f"{header}.{forged}.{signature}"}

    monkeypatch.setattr(sso.client(), "fetch_access_token", tampered)
    landed = sign_in_through(requests.Session(), _start(live_server), "subject-officer")
    assert landed.status_code == 403
    assert "could not be trusted" in landed.text
    assert User.objects.get(pk=users["edi_officer"].pk).external_subject == ""


def test_a_callback_without_the_sign_in_it_answers_is_refused(provider, live_server):
    """A code and state this browser did not ask for (a forged or replayed callback)."""
    landed = requests.get(
        f"{live_server.url}/sign-in/sso/callback/?code=abc&state=not-ours", timeout=30
    )
    assert landed.status_code == 403
    assert "could not be signed in" in landed.text


def test_the_provider_saying_no_is_a_refusal_not_an_error(provider, live_server):
    landed = requests.get(
        f"{live_server.url}/sign-in/sso/callback/?error=access_denied&state=x", timeout=30
    )
    assert landed.status_code == 403


def test_the_sign_in_page_offers_the_council_sign_in_only_when_set_up(client, settings):
    settings.EQUITABLE_OIDC_ISSUER = ""
    assert "council account" not in client.get("/sign-in/").content.decode()
    assert client.get("/sign-in/sso/").status_code == 404
    settings.EQUITABLE_OIDC_ISSUER = "http://127.0.0.1:9/"
    settings.EQUITABLE_OIDC_CLIENT_ID = "x"
    assert "Sign in with your council account" in client.get("/sign-in/").content.decode()
