"""Demo content: a year of synthetic keyed-in reports, so the inbox and trends have something
to show. Paper reports (no receipt, so no slow hashing); the text is plainly synthetic.

Most reports older than a week have been acknowledged and many older ones closed, at weeks
drawn so that the response times show some quarters on target and some not; the support
services signposted to reporters use reserved example addresses and Ofcom's numbers for drama
(020 7946 0xxx, 0808 157 0xxx), except Protect, the whistleblowing charity, whose public site
is real."""

from __future__ import annotations

import random
from datetime import timedelta

from equitable.incidents import services
from equitable.incidents.dates import week_of
from equitable.incidents.models import (
    Characteristic,
    IncidentSettings,
    IncidentType,
    Outcome,
    Report,
    Source,
    Status,
    SupportContact,
)

_WEIGHTS = {
    IncidentType.MICROAGGRESSION: 6,
    IncidentType.RACISM: 5,
    IncidentType.BULLYING: 5,
    IncidentType.HARASSMENT: 3,
    IncidentType.DISCRIMINATION: 2,
    IncidentType.VICTIMISATION: 1,
    IncidentType.OTHER: 1,
}


def load_demo(organisation, *, employees: int = 2000, progress=lambda _text: None) -> None:
    if Report.objects.filter(organisation=organisation).exists():
        return
    rng = random.Random(f"incidents-{organisation.slug}")
    directorates = list(organisation.directorates.all())
    today = services.today()
    types = list(_WEIGHTS)
    for number in range(max(20, employees // 25)):
        incident_type = rng.choices(types, weights=[_WEIGHTS[t] for t in types])[0]
        characteristics = (
            [Characteristic.RACE]
            if incident_type in {IncidentType.RACISM, IncidentType.MICROAGGRESSION}
            else rng.sample([c.value for c in Characteristic], k=rng.randint(0, 2))
        )
        services.submit_report(
            organisation,
            services.NewReport(
                incident_type=incident_type,
                characteristics=list(characteristics),
                directorate=rng.choice(directorates + [None]) if directorates else None,
                happened_month=None,
                what_happened=f"Synthetic demo report {number + 1}: no real events.",
                reported_elsewhere="prefer_not",
                desired_outcome="",
            ),
            source=Source.PAPER,
            received=today - timedelta(days=rng.randint(0, 364)),
        )
    _respond(organisation, rng, today)
    _support(organisation)
    progress("incidents: demo reports keyed in")


def _respond(organisation, rng: random.Random, today) -> None:
    """Acknowledge and close the demo reports at plausible weeks (never after this week)."""
    this_week = week_of(today)
    outcomes = [o for o in Outcome.values if o]
    for report in Report.objects.filter(organisation=organisation).order_by("pk"):
        received = report.submitted_week
        if received >= this_week - timedelta(days=7) and rng.random() < 0.7:
            continue  # recent: still waiting
        if rng.random() < 0.04:
            continue  # overlooked: waiting past its target
        responded = min(this_week, received + timedelta(weeks=rng.choice([0, 0, 1, 1, 1, 2, 3])))
        fields = {"first_response_week": responded, "status": Status.ACKNOWLEDGED}
        if (this_week - received).days > 30 and rng.random() < 0.8:
            closed = min(this_week, responded + timedelta(weeks=rng.randint(2, 13)))
            fields.update(status=Status.CLOSED, closed_at=closed, outcome=rng.choice(outcomes))
        elif rng.random() < 0.5:
            fields["status"] = Status.UNDER_REVIEW
        Report.objects.filter(pk=report.pk).update(**fields)


def _support(organisation) -> None:
    IncidentSettings.objects.get_or_create(organisation=organisation)
    site = f"https://{organisation.slug}.example"
    contacts = [
        (
            SupportContact.Kind.EAP,
            "Employee Assistance Programme",
            "Free, confidential counselling and advice for staff, 24 hours a day, every day",
            "0808 157 0192",
            f"{site}/staff/employee-assistance",
        ),
        (
            SupportContact.Kind.UNION,
            f"UNISON {organisation.name} branch",
            "Advice and representation for members; you can join at any time",
            "020 7946 0417",
            f"{site}/staff/trade-unions",
        ),
        (
            SupportContact.Kind.UNION,
            "GMB and Unite workplace representatives",
            "Ask for your representative through the branch office",
            "020 7946 0638",
            "",
        ),
        (
            SupportContact.Kind.SPEAK_UP,
            "Freedom to Speak Up Guardian",
            "An independent guardian you can raise concerns with, in confidence",
            "020 7946 0255",
            f"{site}/staff/speak-up",
        ),
        (
            SupportContact.Kind.WHISTLEBLOWING,
            "Protect, the whistleblowing charity",
            "Free, confidential advice on raising a concern about wrongdoing at work",
            "",
            "https://protect-advice.org.uk",
        ),
    ]
    for position, (kind, name, description, phone, url) in enumerate(contacts):
        SupportContact.objects.get_or_create(
            organisation=organisation,
            name=name,
            defaults=dict(
                kind=kind, description=description, phone=phone, url=url, position=position
            ),
        )
