"""The profile chart: each value's share of the service's records of known value beside its
share of residents (Census 2021), as static SVG (`core.charts.bar_chart`)."""

from __future__ import annotations

from markupsafe import Markup

from equitable.core import charts
from equitable.service_users.models import Service


def profile_chart(rows: list[dict], label: str, service: Service) -> Markup | None:
    series = f"{service.records_word.capitalize()} of known {label.lower()}"
    data = []
    for row in rows:
        if row["percent"] is not None:
            data.append(
                {"value": row["value"], "percent": round(row["percent"], 1), "series": series}
            )
        if row["resident_percent"] is not None:
            data.append(
                {
                    "value": row["value"],
                    "percent": round(row["resident_percent"], 1),
                    "series": charts.RESIDENTS_LABEL,
                }
            )
    if not data:
        return None
    return charts.bar_chart(
        data,
        x="value",
        y="percent",
        colour="series",
        title=f"{service.name}: {label.lower()} against residents",
        x_title=label,
        y_title="Percent",
        colour_title="Who",
        description=f"Share of {service.records_word} of known {label.lower()} beside the "
        "share of residents; the table beside it gives the numbers.",
    )
