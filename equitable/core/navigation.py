"""The service navigation: which sections a signed-in person sees, by role.

Each capability adds its section here (label, URL name, roles). Every URL name must exist: a
wrong one is an error on every page, never a link that quietly disappears.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from equitable.core import roles as R


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    prefix: str


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "core:home", R.ALL_ROLES, "/home"),
    NavItem("Workforce", "workforce:index", R.DASHBOARD_ROLES, "/workforce/"),
    NavItem("Action plan", "actions:index", R.DASHBOARD_ROLES, "/actions/"),
    NavItem(
        "Lifecycle",
        "lifecycle:index",
        frozenset({R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}),
        "/lifecycle/",
    ),
    NavItem(
        "Training",
        "training:index",
        frozenset({R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}),
        "/training/",
    ),
    NavItem("Surveys", "surveys:index", R.DASHBOARD_ROLES, "/surveys/"),
    NavItem(
        "Impact assessments",
        "eqia:index",
        R.PROGRAMME_ROLES | {R.Role.CHAMPION, R.Role.BOARD_MEMBER, R.Role.HR_ANALYST},
        "/eqia/",
    ),
    NavItem(
        "Service users",
        "service_users:index",
        R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION},
        "/service-users/",
    ),
    NavItem("Mentoring", "mentoring:index", R.ALL_ORG_ROLES, "/mentoring/"),
    NavItem(
        "Programmes",
        "programmes:index",
        R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION},
        "/programmes/",
    ),
    NavItem("Publications", "publications:index", R.PROGRAMME_ROLES, "/publications/"),
    NavItem(
        "Published figures",
        "publications:compare",
        frozenset({R.Role.COORDINATOR}),
        "/publications/compare/",
    ),
    NavItem("Standard", "standard:index", R.ALL_ROLES, "/standard/"),
    NavItem(
        "Incidents", "incidents:index", R.CASE_HANDLER_ROLES | {R.Role.BOARD_MEMBER}, "/incidents/"
    ),
    NavItem("Administration", "core:admin-home", R.ADMIN_ROLES, "/admin/"),
]


def nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if user.role not in item.roles:
            continue
        items.append(
            {
                "href": reverse(item.url_name),
                "text": item.label,
                "active": request.path.startswith(item.prefix),
            }
        )
    return items


def help_url(request) -> str:
    """The help page of the section this page belongs to, else the help index."""
    from equitable.core.help import section_for_path

    section = section_for_path(getattr(request, "path", ""))
    if section is None:
        return reverse("core:help")
    return reverse("core:help-section", args=[section.slug])
