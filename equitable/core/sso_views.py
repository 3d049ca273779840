"""Single sign-on pages: off to the council's identity provider, and back.

Views stay thin: the protocol is Authlib's (core/sso.py builds the client), the decision who
this is in Equitable is `sso.user_from_claims`. Every way a sign-in can fail (the provider says
no, the state or nonce does not match, the ID token's signature, issuer, audience or expiry is
wrong, the provider cannot be reached, nobody here has that identity) ends on the sign-in page
with a sentence, status 403, and an audit entry naming the reason's kind: never a 500.
"""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from joserfc.errors import JoseError

from equitable.core import audit, sso
from equitable.core.access import public_view
from equitable.core.forms import SignInForm
from equitable.core.models import AuditEvent

logger = logging.getLogger(__name__)
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _configured_or_404() -> None:
    if not sso.is_configured():
        raise Http404("Single sign-on is not set up")


@public_view
def sso_start(request):
    """Send the browser to the identity provider (state, nonce and PKCE verifier in the
    session, so only this browser can finish the sign-in)."""
    _configured_or_404()
    callback = request.build_absolute_uri(reverse("core:sso-callback"))
    try:
        return sso.client().authorize_redirect(request, callback)
    except requests.RequestException as error:
        return _refused(request, "the identity provider could not be reached", error)


@public_view
def sso_callback(request):
    _configured_or_404()
    try:
        token = sso.client().authorize_access_token(request)
        user = sso.user_from_claims(sso.verified_claims(token))
    except sso.SignOnRefused as refusal:
        return _refused(request, str(refusal), refusal)
    except (AuthlibBaseError, JoseError) as error:
        return _refused(request, "the identity provider's answer could not be trusted", error)
    except requests.RequestException as error:
        return _refused(request, "the identity provider could not be reached", error)
    login(request, user, backend=BACKEND)
    audit.record(user, AuditEvent.Action.SIGN_IN, "user", user.pk, detail="single sign-on")
    return redirect("core:home")


def _refused(request, reason: str, error: Exception):
    """The sign-in page with the reason; the error's type goes to the log and the audit trail
    (never the token or the claims)."""
    logger.warning("single sign-on refused: %s (%s)", reason, type(error).__name__)
    audit.record(
        None,
        AuditEvent.Action.SIGN_IN_FAILED,
        "user",
        detail=f"single sign-on: {type(error).__name__}"[:500],
    )
    message = reason[0].upper() + reason[1:]
    if not message.endswith("."):
        message += "."
    form = SignInForm()
    return render(
        request,
        "core/sign_in.html",
        {"form": form, "error_form": form, **sso.sign_in_context(), "sso_error": message},
        status=403,
    )
