"""Action plans and measures as JSON, scoped to the caller's organisation like the pages.

GET /api/actions/plans       every plan with its counts of actions (done, overdue, at risk)
GET /api/actions/measures    every measure with its latest value, trajectory value and RAG
"""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from equitable.actions import services
from equitable.core import roles as R
from equitable.core.api_access import api_organisation

router = Router(tags=["actions"])


class PlanOut(Schema):
    id: int
    title: str
    directorate: str | None
    actions: int
    done: int
    overdue: int
    at_risk: int


class MeasureOut(Schema):
    id: int
    ref: str
    plan: str
    name: str
    unit: str
    direction: str
    kind: str
    computed_key: str
    latest_date: date | None
    latest_value: float | None
    trajectory_value: float | None
    rag: str | None


def _organisation(request):
    return api_organisation(request, R.DASHBOARD_ROLES)


@router.get("/plans", response=list[PlanOut])
def plans(request):
    """Your organisation's plans: the corporate plan first, then directorate plans."""
    organisation = _organisation(request)
    on = services.today()
    return [
        {
            "id": plan.pk,
            "title": plan.title,
            "directorate": plan.directorate.name if plan.directorate else None,
            **services.plan_counts(plan, on),
        }
        for plan in organisation.action_plans.select_related("directorate")
    ]


@router.get("/measures", response=list[MeasureOut])
def measures(request):
    """Every measure with its latest value and its status against the target's trajectory."""
    organisation = _organisation(request)
    published = not request.auth.has_personal_access
    rows = []
    for measure in services.measures_of(organisation):
        status = services.measure_status(measure, published=published)
        rows.append(
            {
                "id": measure.pk,
                "ref": measure.ref,
                "plan": measure.plan.title,
                "name": measure.name,
                "unit": measure.unit,
                "direction": measure.direction,
                "kind": measure.kind,
                "computed_key": measure.computed_key,
                "latest_date": status.latest.on if status.latest else None,
                "latest_value": status.latest_value,
                "trajectory_value": status.expected,
                "rag": status.rag.value if status.rag else None,
            }
        )
    return rows
