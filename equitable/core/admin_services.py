"""What an organisation admin does to the people of their organisation, and to its logo.

Why a service of its own: each change is audited here, once, whoever calls it (the pages
today, the command line tomorrow), and the rules that keep an organisation manageable are
checked in one place: an admin cannot deactivate themselves or change their own role, and the
last active admin cannot be deactivated or given another role (nobody could then add users or
read the audit log).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from equitable.core import audit, logos
from equitable.core.models import AuditEvent, Directorate, Organisation, OrganisationLogo, User
from equitable.core.roles import Role


class AdminRuleBroken(ValueError):
    """A change that would leave the organisation without a way to manage itself."""


def _other_active_admins(user: User) -> int:
    return (
        User.objects.filter(organisation=user.organisation, role=Role.ORG_ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .count()
    )


def _check_admin_kept(actor: User, user: User, *, removing: str) -> None:
    if user.pk == actor.pk:
        raise AdminRuleBroken(f"You cannot {removing} yourself: ask another admin")
    if user.role == Role.ORG_ADMIN and user.is_active and _other_active_admins(user) == 0:
        raise AdminRuleBroken(
            f"{user.username} is the only active admin: make someone else an admin first"
        )


@transaction.atomic
def update_user(
    actor: User, user: User, *, email: str, role: str, directorates: Iterable[Directorate]
) -> list[str]:
    """Change a user's e-mail, role and (for champions) directorates; returns what changed."""
    changed = []
    if role != user.role:
        if user.role == Role.ORG_ADMIN:
            _check_admin_kept(actor, user, removing="change the role of")
        changed.append(f"role {user.role} → {role}")
    if email != user.email:
        changed.append("e-mail")
    wanted = set(directorates) if role == Role.CHAMPION else set()
    if wanted != set(user.directorates.all()):
        changed.append("directorates: " + (", ".join(sorted(d.name for d in wanted)) or "none"))
    if not changed:
        return []
    user.email = email
    user.role = role
    user.save(update_fields=["email", "role"])
    user.directorates.set(wanted)
    audit.record(actor, AuditEvent.Action.CHANGE, "user", user.pk, "; ".join(changed))
    return changed


@transaction.atomic
def set_active(actor: User, user: User, active: bool) -> None:
    """Deactivate (cannot sign in, API tokens stop working, sessions end) or reactivate."""
    if user.is_active == active:
        return
    if not active:
        _check_admin_kept(actor, user, removing="deactivate")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor,
        AuditEvent.Action.CHANGE,
        "user",
        user.pk,
        "reactivated" if active else "deactivated",
    )


def password_reset_link(user: User) -> str:
    """An absolute link that sets a new password once, until PASSWORD_RESET_TIMEOUT passes.

    Django's token is a hash over the user's password hash and last sign-in: setting the
    password (or signing in) makes it invalid, so a link works once; it carries its time, so it
    expires.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("core:password-reset", args=[uid, token])
    return settings.EQUITABLE_SITE_URL.rstrip("/") + path


def send_password_reset(actor: User, user: User) -> None:
    """E-mail the user a link to set a new password (audited). Needs an e-mail address."""
    if not user.email:
        raise AdminRuleBroken(f"{user.username} has no e-mail address: add one first")
    if not user.is_active:
        raise AdminRuleBroken(f"{user.username} is deactivated: reactivate them first")
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    organisation = user.organisation.name if user.organisation else "Equitable"
    message = (
        f"Hello {user.username},\n\n"
        f"An admin of {organisation} asked Equitable to let you set a new password.\n\n"
        f"Open this link to choose one:\n{password_reset_link(user)}\n\n"
        f"The link works once, for the next {hours} hours. If you did not expect this message, "
        "you can ignore it: your password stays as it is.\n"
    )
    send_mail(
        subject="Set your Equitable password",
        message=message,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )
    audit.record(actor, AuditEvent.Action.CHANGE, "user", user.pk, "password reset link sent")


def reset_password(user: User, form) -> None:
    """Save the new password from the reset page; the link stops working (audited)."""
    form.save()
    audit.record(
        None,
        AuditEvent.Action.CHANGE,
        "user",
        user.pk,
        "password set from a reset link",
        organisation=user.organisation,
    )


@transaction.atomic
def save_logo(actor: User, organisation: Organisation, data: bytes, filename: str) -> None:
    """Clean (core/logos.py) and store the logo; raises files.limits.UnsafeFile when refused."""
    content, content_type = logos.clean_logo(data, filename)
    logo, _ = OrganisationLogo.objects.update_or_create(
        organisation=organisation, defaults={"content": content, "content_type": content_type}
    )
    organisation.logo_content_type = content_type
    organisation.logo_updated_at = logo.updated_at
    organisation.save(update_fields=["logo_content_type", "logo_updated_at"])
    audit.record(
        actor,
        AuditEvent.Action.CHANGE,
        "organisation",
        organisation.pk,
        f"logo uploaded ({content_type.split('/')[1].split('+')[0].upper()}, "
        f"{max(1, round(len(content) / 1024)):,} KB)",
    )


@transaction.atomic
def remove_logo(actor: User, organisation: Organisation) -> None:
    OrganisationLogo.objects.filter(organisation=organisation).delete()
    organisation.logo_content_type = ""
    organisation.logo_updated_at = None
    organisation.save(update_fields=["logo_content_type", "logo_updated_at"])
    audit.record(actor, AuditEvent.Action.CHANGE, "organisation", organisation.pk, "logo removed")
