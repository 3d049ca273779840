"""The demo council: a synthetic "Demo Borough" shaped like the council in the seeds.

Each capability adds its own demo content through `equitable.<app>.demo.load_demo(organisation,
employees=…, progress=…)`, called here in order (workforce first: the others read its figures).
Loading is idempotent: an existing Demo Borough is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from equitable.actions import board_report_demo
from equitable.actions import demo as actions_demo
from equitable.core.models import Directorate, Organisation, User
from equitable.core.roles import Role
from equitable.core.services import create_user
from equitable.eqia import demo as eqia_demo
from equitable.incidents import demo as incidents_demo
from equitable.lifecycle import demo as lifecycle_demo
from equitable.mentoring import demo as mentoring_demo
from equitable.programmes import demo as programmes_demo
from equitable.publications import demo as publications_demo
from equitable.service_users import demo as service_users_demo
from equitable.standard import demo as standard_demo
from equitable.surveys import demo as surveys_demo
from equitable.training import demo as training_demo
from equitable.workforce import demo as workforce_demo

DEMO_SLUG = "demo-borough"
DEMO_PASSWORD = "equitable-demo"
DEMO_DIRECTORATES = ["Chief Executive's", "Community", "People", "Place", "Resources"]
# In this order: the standard's suggestions and the plan's measures read the workforce figures.
DEMO_APPS = [
    ("workforce", workforce_demo),
    ("lifecycle", lifecycle_demo),  # reads the workforce snapshots
    ("training", training_demo),  # reads the snapshots; the plan's measures read it
    ("surveys", surveys_demo),  # response rates read the workforce snapshots
    ("programmes", programmes_demo),  # cohorts drawn from the workforce snapshots
    ("standard", standard_demo),
    ("actions", actions_demo),
    ("incidents", incidents_demo),
    ("service users", service_users_demo),  # the resident population of the workforce demo
    # After the plans (mitigations become actions) and the services (a service change's
    # evidence is its services' users).
    ("impact assessments", eqia_demo),
    ("mentoring", mentoring_demo),
    # Last: an issued board report freezes every section, the incidents one included.
    ("board reports", board_report_demo),
    # After everything it reports on: published figures are frozen at publication.
    ("publications", publications_demo),
]

DEMO_USERS = [
    ("admin", Role.ORG_ADMIN, DEMO_SLUG),
    ("edi.officer", Role.EDI_OFFICER, DEMO_SLUG),
    ("hr.analyst", Role.HR_ANALYST, DEMO_SLUG),
    ("champion.people", Role.CHAMPION, DEMO_SLUG),
    ("board.member", Role.BOARD_MEMBER, DEMO_SLUG),
    ("coordinator", Role.COORDINATOR, None),
    ("riverside.edi", Role.EDI_OFFICER, "riverside-borough"),
]


def create_organisation(slug: str, name: str, colour: str, directorates: list[str]) -> Organisation:
    organisation = Organisation.objects.create(slug=slug, name=name, brand_colour=colour)
    Directorate.objects.bulk_create(
        [Directorate(organisation=organisation, name=name) for name in directorates]
    )
    return organisation


def load_demo(
    *, employees: int = 2000, progress: Callable[[str], None] = lambda _text: None
) -> list[tuple[str, str]]:
    users = [(username, Role(role).label) for username, role, _ in DEMO_USERS]
    if Organisation.objects.filter(slug=DEMO_SLUG).exists():
        progress("Demo Borough is already loaded")
        return users
    with transaction.atomic():
        demo = create_organisation(DEMO_SLUG, "Demo Borough", "#5b2c6f", DEMO_DIRECTORATES)
        riverside = create_organisation(
            "riverside-borough", "Riverside Borough", "#1d4f76", DEMO_DIRECTORATES
        )
        # A third borough that only shares its Standard self-assessment: benchmarking shows
        # nothing until three boroughs share (standard.services.MIN_SHARING).
        northgate = create_organisation(
            "northgate-borough", "Northgate Borough", "#2f5d3a", DEMO_DIRECTORATES
        )
        organisations = {DEMO_SLUG: demo, "riverside-borough": riverside}
        for username, role, slug in DEMO_USERS:
            user = create_user(
                organisation=organisations.get(slug) if slug else None,
                username=username,
                role=role,
                password=DEMO_PASSWORD,
                email=f"{username}@example.org",
            )
            if role == Role.CHAMPION:
                user.directorates.set(demo.directorates.filter(name="People"))
        progress("Organisations and users created")
    for app, module in DEMO_APPS:
        # Riverside has no lifecycle records: its pages show what to import first (and
        # protecting a borough's lifecycle figures takes a while at set-up); nor programmes.
        only_demo = app in ("lifecycle", "surveys", "training", "programmes")
        for organisation in (demo,) if only_demo else (demo, riverside):
            module.load_demo(organisation, employees=employees, progress=progress)
        progress(f"{app}: demo content loaded")
    standard_demo.load_demo(northgate, progress=progress, pair=False)
    return users


def demo_user(username: str) -> User:
    return User.objects.get(username=username)
