"""Building blocks for the action-plan tests (used by conftest.py and matrix.py)."""

from __future__ import annotations

from datetime import date

from equitable.actions.models import (
    Action,
    ActionPlan,
    Measure,
    MeasureValue,
    Objective,
    Target,
    TargetPoint,
    Theme,
)


def make_plan(organisation, title, directorate=None, ref_prefix="C"):
    plan = ActionPlan.objects.create(
        organisation=organisation, title=title, directorate=directorate
    )
    theme = Theme.objects.create(plan=plan, title="Recruitment and retention")
    objective = Objective.objects.create(theme=theme, text="A representative senior team")
    action = Action.objects.create(
        objective=objective,
        ref=f"{ref_prefix}-1",
        text="Diverse interview panels for senior posts",
        owner="Resources Team",
        start=date(2024, 4, 1),
        due=date(2025, 2, 28),
        status=Action.Status.ON_TRACK,
    )
    measure = Measure.objects.create(
        objective=objective,
        ref=f"{ref_prefix}-M1",
        name="% of staff aware of the Dignity at Work policy",
        unit="%",
        kind=Measure.Kind.MANUAL,
        source="Staff survey",
    )
    MeasureValue.objects.create(measure=measure, on=date(2024, 12, 31), value=42)
    target = Target.objects.create(measure=measure, tolerance=5)
    TargetPoint.objects.create(target=target, on=date(2023, 12, 31), value=30)
    TargetPoint.objects.create(target=target, on=date(2024, 12, 31), value=50)
    return plan, action, measure
