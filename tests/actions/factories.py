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


def target_post(rows, tolerance="5", baseline=("", ""), extra=0) -> dict[str, str]:
    """The POST of the target form: rows of (date, value) text, the tolerance, a baseline."""
    rows = [*rows, *([("", "")] * extra)]
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "40",
        "tolerance": tolerance,
        "baseline_on": baseline[0],
        "baseline_value": baseline[1],
    }
    for i, (on, value) in enumerate(rows):
        data[f"rows-{i}-on"] = on
        data[f"rows-{i}-value"] = value
    return data
