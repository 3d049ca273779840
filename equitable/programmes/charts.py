"""The cohort page's charts (static SVG through `core.charts.bar_chart`): the share of each
ethnic group's eligible staff who took part, and each group's promotion rate beside that of
similar staff who did not take part. Withheld figures are left out of the chart; the table
beside it marks them."""

from __future__ import annotations

from markupsafe import Markup

from equitable.core import charts
from equitable.metrics.labels import AGGREGATE_LABEL, ETHNIC_GROUPS, WHITE

CHART_GROUPS = (*(g for g in ETHNIC_GROUPS if g != WHITE), AGGREGATE_LABEL)
TOOK_PART = "Took part"
COMPARISON = "Similar staff who did not take part"


def participation_rows(rows: list[dict]) -> list[dict]:
    """The high-level groups' rates, White's from the reference side of any row."""
    chosen = [
        {"group": r["ethnic_group"], "rate": r["group_rate"]}
        for r in rows
        if r["ethnic_group"] in CHART_GROUPS and r.get("reference_group") == WHITE
    ]
    white = next((r["reference_rate"] for r in rows if r.get("reference_group") == WHITE), None)
    chosen.append({"group": WHITE, "rate": white})
    return [r for r in chosen if r["rate"] is not None]


def participation_chart(rows: list[dict], cohort_label: str) -> Markup | None:
    data = [{**r, "rate": round(r["rate"], 1)} for r in participation_rows(rows)]
    if not data:
        return None
    return charts.bar_chart(
        data,
        x="group",
        y="rate",
        title=f"{cohort_label}: share of eligible staff who took part",
        x_title="Ethnic group",
        y_title="Percent of eligible staff",
        description="Share of each ethnic group's eligible staff who took part; the table "
        "beside it gives the numbers, intervals and relative likelihoods.",
    )


def outcome_chart(rows: list[dict], months: int, cohort_label: str) -> Markup | None:
    data = []
    for row in rows:
        for series, column in ((TOOK_PART, "participants"), (COMPARISON, "comparison")):
            rate = row[f"{column}_promoted_rate"]
            if rate is not None:
                data.append(
                    {"group": row["ethnic_group"], "rate": round(rate, 1), "series": series}
                )
    if not data:
        return None
    return charts.bar_chart(
        data,
        x="group",
        y="rate",
        colour="series",
        title=f"{cohort_label}: promoted within {months} months",
        x_title="Ethnic group at the start",
        y_title="Percent promoted",
        colour_title="Who",
        description=f"Share promoted (pay band up, or into a leadership tier) by the snapshot "
        f"read for {months} months, of those who took part and of similar staff who did not; "
        "the table beside it gives the numbers.",
    )
