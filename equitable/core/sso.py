"""The seam for single sign-on with OpenID Connect (e.g. Microsoft Entra ID).

Councils sign staff in with their identity provider. The protocol part (redirects, token
exchange, signature checks) belongs to a maintained OIDC client such as mozilla-django-oidc or
Authlib; what is ours is the decision *who is this person in Equitable*, made here from the
verified ID-token claims, so the rest of the application never changes. See docs/sso.md.

Rules: a person is matched by the `sub` claim of the configured issuer (kept on the user as
`external_subject`); first sign-in may link an existing account by e-mail; only accounts of the
organisation the provider signs people into (`EQUITABLE_OIDC_ORGANISATION`) are ever matched,
so one council's directory cannot sign anyone into another council on the same installation;
roles come from the organisation admin, or, when the council maps its directory groups to
roles (`EQUITABLE_OIDC_GROUP_ROLES`), from the `groups` claim at every sign-in, so that leaving
a group in the directory takes the role away the next time.

The protocol is Authlib's (authorisation code flow with PKCE, state and nonce; the ID token's
signature checked against the provider's published keys, its issuer, audience and expiry);
the provider's endpoints come from its discovery document, read on first use.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db.models import Q

from equitable.core import audit
from equitable.core.models import AuditEvent, Directorate, Organisation, User
from equitable.core.roles import Role

# When one person's groups give several roles, the first of these wins: the directory says what
# someone may do, and the broadest grant is what the council gave them.
ROLE_PRECEDENCE = (
    Role.ORG_ADMIN,
    Role.EDI_OFFICER,
    Role.HR_ANALYST,
    Role.CHAMPION,
    Role.BOARD_MEMBER,
)


class SignOnRefused(Exception):
    """The identity provider vouched for someone who has no Equitable account."""


def is_configured() -> bool:
    return bool(settings.EQUITABLE_OIDC_ISSUER and settings.EQUITABLE_OIDC_CLIENT_ID)


def sign_in_context() -> dict[str, str]:
    """What the sign-in page needs: the button's words, when single sign-on is set up."""
    return {
        "sso_label": settings.EQUITABLE_OIDC_LABEL if is_configured() else "",
        "sso_error": "",
    }


def organisation() -> Organisation:
    """The organisation the identity provider signs people into."""
    slug = settings.EQUITABLE_OIDC_ORGANISATION
    found = Organisation.objects.filter(slug=slug).first() if slug else None
    if found is None:
        raise SignOnRefused(
            "Single sign-on is not set up for an organisation here (EQUITABLE_OIDC_ORGANISATION)"
        )
    return found


@functools.lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, client_secret: str):
    from authlib.integrations.django_client import OAuth

    return OAuth().register(
        name="council",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )


def client():
    """The OpenID Connect client for the configured provider (one per configuration)."""
    return _client(
        settings.EQUITABLE_OIDC_ISSUER,
        settings.EQUITABLE_OIDC_CLIENT_ID,
        settings.EQUITABLE_OIDC_CLIENT_SECRET,
    )


def verified_claims(token: Mapping[str, object]) -> dict[str, object]:
    """The ID token's verified claims, with the e-mail from the UserInfo endpoint when the ID
    token leaves it out (providers differ: OpenID Connect Core 5.4 lets scope claims come from
    either) and only when UserInfo speaks of the same subject (Core 5.3.2)."""
    claims = token.get("userinfo")
    if not isinstance(claims, Mapping) or not claims:
        raise SignOnRefused("The identity provider sent no ID token")
    verified = dict(claims)
    if not verified.get("email"):
        extra = client().userinfo(token=token)
        if extra.get("sub") == verified.get("sub") and extra.get("email"):
            verified["email"] = extra["email"]
    return verified


def _mapping(raw: str, name: str) -> dict[str, str]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SignOnRefused(f"{name} is not JSON: {error.msg}") from error
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SignOnRefused(f'{name} must map group ids to names, e.g. {{"<group id>": "..."}}')
    return {str(k): v for k, v in value.items()}


def group_roles() -> dict[str, str]:
    mapping = _mapping(settings.EQUITABLE_OIDC_GROUP_ROLES, "EQUITABLE_OIDC_GROUP_ROLES")
    unknown = sorted(set(mapping.values()) - set(ROLE_PRECEDENCE))
    if unknown:
        raise SignOnRefused(
            "EQUITABLE_OIDC_GROUP_ROLES names roles Equitable does not have: " + ", ".join(unknown)
        )
    return mapping


def _groups(claims: Mapping[str, object]) -> set[str]:
    value = claims.get("groups") or []
    return {str(g) for g in value} if isinstance(value, list) else set()


def role_from_groups(groups: Iterable[str]) -> str | None:
    mapping = group_roles()
    granted = {mapping[g] for g in groups if g in mapping}
    return next((role for role in ROLE_PRECEDENCE if role in granted), None)


def directorates_from_groups(home: Organisation, groups: Iterable[str]) -> list[Directorate]:
    mapping = _mapping(
        settings.EQUITABLE_OIDC_GROUP_DIRECTORATES, "EQUITABLE_OIDC_GROUP_DIRECTORATES"
    )
    names = {mapping[g] for g in groups if g in mapping}
    return list(home.directorates.filter(name__in=names))


def _from_directory(home: Organisation, user: User | None, claims: Mapping[str, object]) -> User:
    """Role and directorates from the groups claim: the account is made on first sign-in and
    brought up to date on every later one (audited when anything changes)."""
    groups = _groups(claims)
    role = role_from_groups(groups)
    if role is None:
        raise SignOnRefused(
            "Your directory groups give you no role in Equitable: ask your organisation admin"
        )
    directorates = directorates_from_groups(home, groups)
    if role == Role.CHAMPION and not directorates:
        raise SignOnRefused(
            "Your directory groups make you a directorate champion but name no directorate: "
            "ask your organisation admin"
        )
    if user is None:
        user = User(
            organisation=home,
            username=_free_username(str(claims.get("email") or claims.get("sub"))),
            email=str(claims.get("email") or ""),
            role=role,
            external_subject=str(claims["sub"]),
        )
        user.set_unusable_password()
        user.save()
        user.directorates.set(directorates if role == Role.CHAMPION else [])
        audit.record(user, AuditEvent.Action.CREATE, "user", user.pk, f"single sign-on: {role}")
        return user
    before = (user.role, {d.pk for d in user.directorates.all()})
    kept = directorates if role == Role.CHAMPION else []
    if before != (role, {d.pk for d in kept}):
        user.role = role
        user.save(update_fields=["role"])
        user.directorates.set(kept)
        audit.record(
            user, AuditEvent.Action.CHANGE, "user", user.pk, f"role from directory groups: {role}"
        )
    return user


def _free_username(wanted: str) -> str:
    base = wanted.split("@", 1)[0][:120] or "user"
    name = base
    while User.objects.filter(username=name).exists():
        name = f"{base}-{secrets.token_hex(3)}"
    return name


def user_from_claims(claims: Mapping[str, object]) -> User:
    issuer = str(claims.get("iss", ""))
    subject = str(claims.get("sub", ""))
    if not subject or issuer != settings.EQUITABLE_OIDC_ISSUER:
        raise SignOnRefused("The sign-in did not come from this council's identity provider")
    home = organisation()
    accounts = User.objects.filter(organisation=home, is_active=True)
    user = accounts.filter(external_subject=subject).first()
    directory = bool(settings.EQUITABLE_OIDC_GROUP_ROLES)
    if user is not None:
        return _from_directory(home, user, claims) if directory else user
    email = str(claims.get("email") or claims.get("preferred_username") or "")
    deactivated = User.objects.filter(organisation=home, is_active=False).filter(
        Q(external_subject=subject) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    )
    if deactivated.exists():
        raise SignOnRefused(
            "Your Equitable account has been deactivated by your organisation admin"
        )
    candidate = accounts.filter(email__iexact=email, external_subject="").first() if email else None
    elsewhere = (
        User.objects.exclude(organisation=home).filter(email__iexact=email).exists()
        if email
        else False
    )
    if candidate is None and directory and not elsewhere:
        return _from_directory(home, None, claims)
    if candidate is None:
        if elsewhere:
            raise SignOnRefused(
                f"Your Equitable account belongs to another organisation: sign in there, "
                f"not with {home.name}'s sign-in"
            )
        raise SignOnRefused("Ask your organisation admin to create your Equitable account first")
    candidate.external_subject = subject
    candidate.save(update_fields=["external_subject"])
    return _from_directory(home, candidate, claims) if directory else candidate
