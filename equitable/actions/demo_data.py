"""The transcribed Annex A and Annex B of seed 000, read from the YAML files in `data/`.

Pure (no Django): the demo loader and the tests both start from here. `demo_workbook()` turns
the transcription into spreadsheet rows, so the demo goes through the same import as a council's
own workbook; the invented extras (progress updates, completion dates, measure values, targets)
are read with `plan_extras()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from equitable.actions.spreadsheet import (
    ActionRow,
    MeasureRow,
    PlanWorkbook,
    RecommendationRow,
)
from equitable.actions.trajectory import TargetPoint

DATA_DIR = Path(__file__).parent / "data"
CORPORATE_PLAN_TITLE = "Race Equality Action Plan"


@cache
def plan_yaml() -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / "demo_action_plan.yaml").read_text(encoding="utf-8"))


@cache
def recommendations_yaml() -> dict[str, Any]:
    return yaml.safe_load((DATA_DIR / "demo_recommendations.yaml").read_text(encoding="utf-8"))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def demo_workbook(plan_title: str = CORPORATE_PLAN_TITLE) -> PlanWorkbook:
    """Annex B (actions and measures) and Annex A (the register) as workbook rows."""
    book = PlanWorkbook()
    for theme in plan_yaml()["themes"]:
        for objective in theme["objectives"]:
            for action in objective["actions"]:
                demo = action.get("demo", {})
                book.actions.append(
                    ActionRow(
                        plan=plan_title,
                        theme=_text(theme["title"]),
                        objective=_text(objective["text"]),
                        ref=action["ref"],
                        action=_text(action["text"]),
                        owner=demo.get("owner", ""),
                        strategic_lead=demo.get("strategic_lead", ""),
                        operational_lead=demo.get("operational_lead", ""),
                        start=demo.get("start"),
                        due=demo.get("due"),
                        status=demo.get("status", "not started"),
                        dropped_reason=_text(demo.get("dropped_reason")),
                    )
                )
            for measure in objective["measures"]:
                book.measures.append(
                    _measure_row(plan_title, theme, objective, measure, measure.get("demo", {}))
                )
    themes = {theme["code"]: theme for theme in plan_yaml()["themes"]}
    for extra in plan_yaml().get("demo_extra_measures", []):
        theme = themes[extra["theme"]]
        objective = next(o for o in theme["objectives"] if o["number"] == extra["objective"])
        book.measures.append(_measure_row(plan_title, theme, objective, extra, extra))
    for theme in recommendations_yaml()["themes"]:
        for recommendation in theme["recommendations"]:
            demo = recommendation.get("demo", {})
            book.recommendations.append(
                RecommendationRow(
                    ref=recommendation["ref"],
                    theme=_text(theme["title"]),
                    recommendation=_text(recommendation["text"]),
                    response=recommendation["response"].strip(),
                    who=", ".join(recommendation["who"]),
                    when=recommendation["when"],
                    status=demo.get("status", "not started"),
                    actions=list(demo.get("actions", [])),
                )
            )
    return book


def _measure_row(plan_title, theme, objective, measure, demo) -> MeasureRow:
    return MeasureRow(
        plan=plan_title,
        theme=_text(theme["title"]),
        objective=_text(objective["text"]),
        ref=measure["ref"],
        measure=_text(measure["text"]),
        unit=demo.get("unit", ""),
        direction=demo.get("direction", "higher"),
        kind=demo.get("kind", "manual"),
        computed_key=demo.get("computed_key", ""),
        source=demo.get("source", ""),
    )


@dataclass(frozen=True)
class Update:
    on: date
    note: str
    link: str = ""


@dataclass
class PlanExtras:
    """What the spreadsheet does not carry: progress, completion, values and targets, by ref."""

    updates: dict[str, list[Update]] = field(default_factory=dict)
    completed: dict[str, date] = field(default_factory=dict)
    measure_values: dict[str, list[tuple[date, float]]] = field(default_factory=dict)
    targets: dict[str, tuple[list[TargetPoint], float | None]] = field(default_factory=dict)


def plan_extras() -> PlanExtras:
    extras = PlanExtras()
    for theme in plan_yaml()["themes"]:
        for objective in theme["objectives"]:
            for action in objective["actions"]:
                demo = action.get("demo", {})
                if demo.get("completed"):
                    extras.completed[action["ref"]] = demo["completed"]
                extras.updates[action["ref"]] = [
                    Update(u["date"], _text(u["note"]), u.get("link", ""))
                    for u in demo.get("updates", [])
                ]
            for measure in objective["measures"]:
                demo = measure.get("demo", {})
                extras.measure_values[measure["ref"]] = [
                    (v["date"], float(v["value"])) for v in demo.get("values", [])
                ]
                # The leadership target is the source's own; the others are demo values.
                target = measure.get("target") or demo.get("target")
                if target:
                    points = [TargetPoint(p["date"], float(p["value"])) for p in target["points"]]
                    tolerance = target.get("tolerance", demo.get("target_tolerance"))
                    extras.targets[measure["ref"]] = (points, tolerance)
    return extras
