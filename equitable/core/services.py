"""Domain operations of the core app, shared by views, the CLI and the demo loader."""

from __future__ import annotations

from collections.abc import Iterable

from equitable.core import audit
from equitable.core.models import AuditEvent, Directorate, Organisation, User
from equitable.core.roles import Role
from equitable.core.signals import figures_changed

# Settings that change what disclosure control lets through.
PROTECTION_SETTINGS = ("suppression_threshold", "round_counts_to_5")


def create_user(
    *,
    organisation: Organisation | None,
    username: str,
    role: str,
    password: str,
    email: str = "",
    directorates: Iterable[Directorate] = (),
) -> User:
    user = User(username=username, email=email, role=role, organisation=organisation)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if directorates:
        user.directorates.set(directorates)
    return user


def save_organisation_settings(form, user: User) -> Organisation:
    """Save the settings form (audited); a new threshold or rounding changes every protected
    figure, so the apps that keep figures are told."""
    organisation = form.save()
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "organisation",
        organisation.pk,
        "settings: " + ", ".join(form.changed_data),
    )
    if set(form.changed_data) & set(PROTECTION_SETTINGS):
        figures_changed.send(sender=Organisation, organisation=organisation)
    return organisation


HOME_SECTIONS = [
    # (title, description, url name, roles)
    (
        "Workforce evidence",
        "Representation, disclosure and pay gaps from your HR extracts.",
        "workforce:index",
        {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Import a workforce extract",
        "Load a dated HR snapshot (CSV or Excel).",
        "workforce:import",
        {Role.EDI_OFFICER, Role.HR_ANALYST},
    ),
    (
        "Action plan",
        "Objectives, actions, measures and targets, and the review recommendations.",
        "actions:index",
        {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Staff surveys",
        "Race, pulse and annual staff survey results by ethnic group, and the change since "
        "the last survey.",
        "surveys:index",
        {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Equality Impact Assessments",
        "The register of restructures, policies and service changes assessed, with evidence "
        "from the workforce data, sign-off and review dates.",
        "eqia:index",
        {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Service users and complaints",
        "Who uses each service and who complains, by protected characteristic, against the "
        "borough's residents.",
        "service_users:index",
        {Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Development programmes",
        "Who takes part in mentoring, sponsorship and talent programmes against who could "
        "have, and who was promoted afterwards.",
        "programmes:index",
        {Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER},
    ),
    (
        "Tackling Racial Inequality Standard",
        "Self-assessment against the CELC Standard.",
        "standard:index",
        {
            Role.ORG_ADMIN,
            Role.EDI_OFFICER,
            Role.HR_ANALYST,
            Role.CHAMPION,
            Role.BOARD_MEMBER,
            Role.COORDINATOR,
        },
    ),
    (
        "Incident reports",
        "Anonymous Dignity at Work reports: cases and trends.",
        "incidents:index",
        {Role.EDI_OFFICER, Role.BOARD_MEMBER},
    ),
    (
        "Administration",
        "Organisation settings, users and the audit log.",
        "core:admin-home",
        {Role.ORG_ADMIN},
    ),
    ("API tokens", "Personal tokens for the JSON API.", "core:api-tokens", set(Role)),
]


def home_sections(user: User) -> list[dict]:
    """The home page's cards for this role. Every URL name exists: a wrong one is an error, never
    a card that quietly disappears."""
    from django.urls import reverse

    return [
        {"title": title, "description": description, "href": reverse(url_name)}
        for title, description, url_name, roles in HOME_SECTIONS
        if user.role in roles
    ]
