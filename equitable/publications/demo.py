"""The demo councils' publications: Demo Borough published its annual workforce equality
report and its pay gap report from the 2024 and 2025 snapshots (the 2024 ones a year ago) and
has a draft open-data release of the newest; Riverside Borough published one year (2025), so
the public index and the comparison have two councils.

Built through the services, as people would: drafted by the EDI officer, approved by the
organisation's admin (a second person), published; the rules and the audit hold for the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from equitable.core.models import Organisation, User
from equitable.core.roles import Role
from equitable.core.services import create_user
from equitable.publications import services
from equitable.publications.models import Kind, Publication
from equitable.workforce.models import Snapshot

DEMO_PASSWORD = "equitable-demo"
NARRATIVE = {
    Kind.ANNUAL_REPORT: (
        "This report sets out who works for {name} on {day}: the ethnicity of our staff beside "
        "the borough's residents, where they work and how senior their roles are, who is among "
        "the highest paid, how many of us have told the council our ethnicity and disability, "
        "and our pay gaps.\n\n"
        "Black, Asian and Multi-ethnic staff are well represented overall but not in the "
        "leadership tiers. Our action plan sets targets for senior appointments and for "
        "disclosure, and the actions below are how we will meet them."
    ),
    Kind.PAY_GAP: (
        "Our gender, ethnicity and disability pay gaps on {day}, in the shape the regulations "
        "set for gender pay gap reporting: mean and median hourly pay, bonus pay, the share "
        "receiving a bonus, and the pay quarters.\n\n"
        "Our pay gaps come mostly from who holds our senior roles, not from different pay for "
        "the same role: the actions below address progression into them."
    ),
}


def _publishers(organisation: Organisation) -> tuple[User, User]:
    """The EDI officer who drafts and the admin who approves (Riverside's admin is made here:
    approval needs a second person)."""
    author = User.objects.filter(organisation=organisation, role=Role.EDI_OFFICER).first()
    approver = User.objects.filter(organisation=organisation, role=Role.ORG_ADMIN).first()
    if approver is None:
        approver = create_user(
            organisation=organisation,
            username=f"{organisation.slug.split('-')[0]}.admin",
            role=Role.ORG_ADMIN,
            password=DEMO_PASSWORD,
            email=f"{organisation.slug.split('-')[0]}.admin@example.org",
        )
    assert author is not None
    return author, approver


def _publish(author, approver, organisation, kind, snapshot, at, actions) -> Publication:
    day = f"{snapshot.snapshot_date:%-d %B %Y}"
    publication = services.create_draft(
        author,
        organisation,
        kind,
        snapshot,
        narrative=NARRATIVE[kind].format(name=organisation.name, day=day),
    )
    publication.linked_actions.set(actions)
    services.approve(approver, publication, at=at)
    services.make_publication(publication.pk, approver.pk, at=at)
    return Publication.objects.get(pk=publication.pk)


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    if Publication.objects.filter(organisation=organisation).exists():
        return
    author, approver = _publishers(organisation)
    snapshots = {s.snapshot_date: s for s in Snapshot.objects.filter(organisation=organisation)}
    now = timezone.now()
    years = [date(2024, 3, 31), date(2025, 3, 31)]
    if organisation.slug != "demo-borough":
        years = years[-1:]
    actions = list(services.organisation_actions(organisation)[:3])
    for snapshot_date in years:
        snapshot = snapshots.get(snapshot_date)
        if snapshot is None:
            continue
        at = now - timedelta(days=365 * (years[-1].year - snapshot_date.year))
        for kind in (Kind.ANNUAL_REPORT, Kind.PAY_GAP):
            _publish(author, approver, organisation, kind, snapshot, at, actions)
        progress(f"publications: {organisation.name} {snapshot_date.year} published")
    newest = snapshots.get(years[-1])
    if organisation.slug == "demo-borough" and newest is not None:
        services.create_draft(
            author,
            organisation,
            Kind.OPEN_DATA,
            newest,
            narrative="Every table of our 2025 report and pay gap report as open data.",
        )
