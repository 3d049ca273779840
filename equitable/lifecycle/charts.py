"""The lifecycle charts (static SVG, like every chart: `core.charts.render_svg`).

* Relative likelihoods: one point per group with its 95% confidence interval as a whisker,
  against the parity line at 1, with the 0.80–1.25 band drawn and labelled as OUR convention
  (no anchor sets it: `metrics.intervals.CONVENTION_NOTE`). On a log scale, so that "twice as
  likely" and "half as likely" sit the same distance from parity.
* The recruitment funnel: each group's share of the people at each stage, applied to
  appointed, one line per group in its fixed colour (`core.charts.line_chart`).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
from markupsafe import Markup

from equitable.core import charts
from equitable.metrics.intervals import CONVENTION_BAND

CONVENTION_LABEL = "0.80 to 1.25: our convention"
PARITY_LABEL = "Parity (1)"


@charts.drawn_once
def relative_likelihood_chart(
    rows: Sequence[dict],
    *,
    group: str,
    title: str,
    x_title: str = "Relative likelihood (log scale), with 95% confidence interval",
    group_title: str = "Group",
    description: str = "",
) -> Markup | None:
    """Points and whiskers per `group` value; None when no row has a relative likelihood."""
    drawn = [
        {
            "group": str(row[group]),
            "relative_likelihood": row["relative_likelihood"],
            "ci_low": row.get("ci_low")
            if row.get("ci_low") is not None
            else row["relative_likelihood"],
            "ci_high": row.get("ci_high")
            if row.get("ci_high") is not None
            else row["relative_likelihood"],
        }
        for row in rows
        if row.get(group) is not None
        and isinstance(row.get("relative_likelihood"), int | float)
        and row["relative_likelihood"] > 0
    ]
    if not drawn:
        return None
    low_band, high_band = CONVENTION_BAND
    values = [v for row in drawn for v in (row["ci_low"], row["ci_high"]) if v and v > 0]
    low = min(0.5, low_band, *values) * 0.9
    high = max(2.0, high_band, *values) * 1.1
    order = list(dict.fromkeys(row["group"] for row in drawn))
    lines = max((len(charts.wrap_label(g)) for g in order), default=1)
    height = max(1, len(order)) * max(26, 15 * lines + 10)
    scale = alt.Scale(type="log", domain=[low, high], nice=False)
    y = alt.Y(
        "group:N",
        sort=order,
        title=group_title,
        axis=charts._axis(order, labelPadding=6),
    )
    band = (
        alt.Chart(alt.Data(values=[{"low": low_band, "high": high_band}]))
        .mark_rect(color="#dfe3e6", opacity=0.8)
        .encode(x=alt.X("low:Q", scale=scale), x2="high:Q")
    )
    band_label = (
        alt.Chart(alt.Data(values=[{"x": 1.0, "text": CONVENTION_LABEL}]))
        .mark_text(
            dy=-8, baseline="bottom", fontSize=charts.FONT_SIZE - 1, color=charts.TEXT_COLOUR
        )
        .encode(x=alt.X("x:Q", scale=scale), y=alt.value(0), text="text:N")
    )
    parity = (
        alt.Chart(alt.Data(values=[{"x": 1.0}]))
        .mark_rule(color=charts.TEXT_COLOUR, strokeDash=[4, 3], strokeWidth=1.5)
        .encode(x=alt.X("x:Q", scale=scale))
    )
    data = alt.Data(values=drawn)
    whiskers = (
        alt.Chart(data)
        .mark_rule(color=charts.SINGLE_COLOUR, strokeWidth=2)
        .encode(
            x=alt.X(
                "ci_low:Q",
                scale=scale,
                axis=alt.Axis(title=x_title, labelLimit=0, grid=True, values=_ticks(low, high)),
            ),
            x2="ci_high:Q",
            y=y,
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=80, opacity=1, color=charts.SINGLE_COLOUR, shape="diamond")
        .encode(x=alt.X("relative_likelihood:Q", scale=scale), y=y)
    )
    chart = alt.layer(band, parity, whiskers, points, band_label).properties(
        width=charts.BAR_WIDTH, height=height
    )
    return charts.render_svg(
        chart,
        title=title,
        description=description
        or f"{title}. Parity is 1; the shaded band, 0.80 to 1.25, is our convention, not a "
        "standard. The figures are in the table.",
    )


def _ticks(low: float, high: float) -> list[float]:
    candidates = [0.1, 0.2, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 5, 10, 20, 50]
    return [t for t in candidates if low <= t <= high]


def funnel_chart(
    rows: Sequence[dict],
    *,
    stage: str,
    share: str,
    group: str,
    title: str,
    stage_title: str,
    share_title: str,
    group_title: str,
) -> Markup | None:
    """Each group's share at each stage (rows already in stage order); None without data."""
    drawn = [row for row in rows if row.get(share) is not None and row.get(group) is not None]
    if not drawn:
        return None
    return charts.line_chart(
        drawn,
        x=stage,
        y=share,
        series=group,
        series_title=group_title,
        title=title,
        x_title=stage_title,
        y_title=share_title,
        x_type="O",
        description=f"{title}: each group's share of the people at each stage. "
        "The figures are in the table.",
    )
