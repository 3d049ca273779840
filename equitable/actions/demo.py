"""Demo content: seed 000's Race Equality Action Plan (Annex B) and the race review register
(Annex A), transcribed in `data/*.yaml`, with invented statuses, updates and survey values, the
25/35/45/50% target on the leadership tiers, and a small People directorate plan so that the
directorate champion has a plan of their own to keep up to date.

`equitable demo` calls `load_demo(organisation, ...)` after the workforce app has loaded its
snapshots, so the computed measures take their values from those snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from equitable.actions import demo_data, services
from equitable.actions.models import (
    Action,
    ActionPlan,
    Measure,
    MeasureValue,
    ProgressUpdate,
    Target,
    TargetPoint,
)
from equitable.actions.spreadsheet import ActionRow, PlanWorkbook
from equitable.core.models import Organisation

DEMO_SLUG = "demo-borough"
PEOPLE_PLAN = "People directorate race equality plan"
PEOPLE_ACTIONS = [
    # (ref, action, owner, due, status, update)
    (
        "PPL-1",
        "Advertise every People directorate vacancy at grade MG1 and above through at least one "
        "community and one professional network for Black, Asian and Multi-ethnic staff",
        "People directorate management team",
        date(2025, 6, 30),
        "on track",
        "Adverts now go to the London Black Social Workers network and the Xcite programme.",
    ),
    (
        "PPL-2",
        "Offer every Black, Asian and Multi-ethnic practitioner at G9-G11 a career conversation "
        "with a service manager outside their line",
        "Heads of Service, People",
        date(2025, 3, 31),
        "at risk",
        "41 of 68 conversations held; social care teams short of managers this winter.",
    ),
    (
        "PPL-3",
        "Check every People directorate restructure with an Equality Impact Assessment before "
        "consultation",
        "People directorate business partner",
        date(2024, 12, 31),
        "off track",
        "Early help restructure went to consultation before its assessment was signed off.",
    ),
]


def load_demo(
    organisation: Organisation,
    *,
    employees: int = 2000,
    progress: Callable[[str], None] = lambda text: None,
) -> None:
    """Called by `equitable demo` for each demo council; only Demo Borough carries the plan."""
    if organisation.slug != DEMO_SLUG:
        return
    load_demo_actions(organisation)
    progress(f"{organisation.name}: action plan, register and targets")


def load_demo_actions(organisation: Organisation) -> None:
    """Load the transcribed plan and register once (an organisation with plans is left alone)."""
    if ActionPlan.objects.filter(organisation=organisation).exists():
        return
    with transaction.atomic():
        services.apply_workbook(organisation, demo_data.demo_workbook())
        _apply_extras(organisation)
        _people_plan(organisation)
    services.refresh_computed_values(organisation)


def _apply_extras(organisation: Organisation) -> None:
    extras = demo_data.plan_extras()
    actions = {a.ref: a for a in services.actions_of(organisation)}
    for ref, completed in extras.completed.items():
        Action.objects.filter(pk=actions[ref].pk).update(completed_on=completed)
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=actions[ref], on=u.on, note=u.note, link=u.link)
        for ref, updates in extras.updates.items()
        for u in updates
    )
    measures = {
        m.ref: m for m in Measure.objects.filter(objective__theme__plan__organisation=organisation)
    }
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measures[ref], on=on, value=value, origin=MeasureValue.Origin.MANUAL)
        for ref, values in extras.measure_values.items()
        for on, value in values
    )
    for ref, (points, tolerance) in extras.targets.items():
        measure = measures[ref]
        target = Target.objects.create(
            measure=measure,
            name=f"Target: {measure.name[:150]}",
            tolerance=tolerance if tolerance is not None else 5.0,
        )
        TargetPoint.objects.bulk_create(
            TargetPoint(target=target, on=p.on, value=p.value) for p in points
        )


def _people_plan(organisation: Organisation) -> None:
    directorate = organisation.directorates.filter(name="People").first()
    if directorate is None:
        return
    book = PlanWorkbook(
        actions=[
            ActionRow(
                plan=PEOPLE_PLAN,
                directorate=directorate.name,
                theme="Recruitment and retention",
                objective=(
                    "Each Directorate to increase in the number of Black, Asian and Multi-ethnic "
                    "staff within their services areas to adequately represent the community "
                    "that we serve."
                ),
                ref=ref,
                action=text,
                owner=owner,
                strategic_lead="Corporate Director, People",
                operational_lead="People directorate EDI champion",
                start=date(2024, 4, 1),
                due=due,
                status=status,
            )
            for ref, text, owner, due, status, _ in PEOPLE_ACTIONS
        ]
    )
    services.apply_workbook(organisation, book)
    actions = {a.ref: a for a in services.actions_of(organisation).filter(ref__startswith="PPL-")}
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=actions[ref], on=date(2025, 2, 20), note=note)
        for ref, _, _, _, _, note in PEOPLE_ACTIONS
    )
