"""Demo services: a complaints extract (1,200 synthetic complaints over eight quarters, with
realistic gaps in recording) and adult social care users (800, synthetic), plus the demo
borough's Census 2021 tables (synthetic, consistent with its 261,300 residents). Every file
goes through the same import as an upload, so the demo holds nothing an import would refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from equitable.core.models import Organisation
from equitable.metrics.service_users import population as census
from equitable.metrics.service_users import synthetic
from equitable.service_users import services
from equitable.service_users.models import Service

DEMO_SERVICES = (
    ("Complaints", Service.Kind.COMPLAINTS, "Corporate complaints, stage 1 and 2", "complaints"),
    (
        "Adult social care",
        Service.Kind.USERS,
        "People receiving long-term support",
        "social_care_users",
    ),
)


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Once per organisation: the census tables, two services and their extracts."""
    if Service.objects.filter(organisation=organisation).exists():
        return
    for characteristic in census.DEMO_COUNTS:
        problems = services.save_census_table(
            organisation,
            characteristic,
            census.demo_census_csv(characteristic),
            f"demo-{characteristic}.csv",
            local_authority=None,
            user=None,
        )
        if problems:
            raise RuntimeError(f"demo census table {characteristic}: {problems}")
    for name, kind, description, maker in DEMO_SERVICES:
        service = services.create_service(
            organisation, name=name, kind=kind, description=description, user=None
        )
        body = getattr(synthetic, maker)()
        result = services.import_extract(service, body, f"demo-{maker}.csv", user=None)
        if not result.ok:
            raise RuntimeError(f"demo {name} failed validation: {result.problems[:3]}")
    progress("Service users and complaints loaded")
