"""Demo content: a year of synthetic keyed-in reports, so the inbox and trends have something
to show. Paper reports (no receipt, so no slow hashing); the text is plainly synthetic."""

from __future__ import annotations

import random
from datetime import timedelta

from equitable.incidents import services
from equitable.incidents.models import Characteristic, IncidentType, Report, Source

_WEIGHTS = {
    IncidentType.MICROAGGRESSION: 6,
    IncidentType.RACISM: 5,
    IncidentType.BULLYING: 5,
    IncidentType.HARASSMENT: 3,
    IncidentType.DISCRIMINATION: 2,
    IncidentType.VICTIMISATION: 1,
    IncidentType.OTHER: 1,
}


def load_demo(organisation, *, employees: int = 2000, progress=lambda text: None) -> None:
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
    progress("incidents: demo reports keyed in")
