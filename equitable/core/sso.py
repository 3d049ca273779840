"""The seam for single sign-on with OpenID Connect (e.g. Microsoft Entra ID).

Councils sign staff in with their identity provider. The protocol part (redirects, token
exchange, signature checks) belongs to a maintained OIDC client such as mozilla-django-oidc or
Authlib; what is ours is the decision *who is this person in Equitable*, made here from the
verified ID-token claims, so the rest of the application never changes. See docs/sso.md.

Rules: a person is matched by the `sub` claim of the configured issuer (kept on the user as
`external_subject`); first sign-in may link an existing account by e-mail; the role never comes
from the identity provider unless the council maps its groups to roles explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from equitable.core.models import User


class SignOnRefused(Exception):
    """The identity provider vouched for someone who has no Equitable account."""


def user_from_claims(claims: Mapping[str, object]) -> User:
    issuer = str(claims.get("iss", ""))
    subject = str(claims.get("sub", ""))
    if not subject or issuer != settings.EQUITABLE_OIDC_ISSUER:
        raise SignOnRefused("The sign-in did not come from this council's identity provider")
    user = User.objects.filter(external_subject=subject, is_active=True).first()
    if user is not None:
        return user
    email = str(claims.get("email") or claims.get("preferred_username") or "")
    candidate = User.objects.filter(
        email__iexact=email, is_active=True, external_subject=""
    ).first()
    if not email or candidate is None:
        raise SignOnRefused("Ask your organisation admin to create your Equitable account first")
    candidate.external_subject = subject
    candidate.save(update_fields=["external_subject"])
    return candidate
