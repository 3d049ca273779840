"""The dashboard's figures: title, what each one shows, and how its chart is drawn.

Pure data and small functions over polars frames (no Django), so pages, downloads and tests read
the same catalogue. The tables themselves come from `equitable.metrics.figures.compute_all`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from equitable.metrics.labels import AGGREGATE_LABEL

SECTIONS = ("Disclosure", "Representation", "Top 5% of earners", "Pay gaps", "Pay quartiles")


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    section: str
    summary: str
    x: str
    y: str
    colour: str | None = None
    stacked: bool = False
    # Rows left out of the chart (never out of the table), e.g. the aggregate in a stacked bar.
    chart_excludes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    y_title: str = "Per cent"


def _representation(name: str, dimension: str, label: str) -> Figure:
    return Figure(
        name,
        f"Ethnicity by {label}",
        "Representation",
        f"Head count and share of each ethnic group in each {label}. Shares are of all staff "
        "including unknown; the share of known is also given.",
        x=dimension,
        y="percent",
        colour="ethnic_group",
        stacked=True,
        chart_excludes={"ethnic_group": (AGGREGATE_LABEL,)},
    )


def _gap(name: str, subject: str, column: str, label: str) -> Figure:
    return Figure(
        name,
        f"{label} pay gap",
        "Pay gaps",
        f"Mean and median hourly pay gap as a percentage of the reference group's pay ({label.lower()}). "
        "A positive gap means the group is paid less than the reference group.",
        x=column,
        y="median_gap_percent",
        colour="reference_group",
        y_title="Median hourly pay gap (%)",
    )


def _bonus(name: str, column: str, label: str) -> Figure:
    return Figure(
        name,
        f"{label} bonus gap",
        "Pay gaps",
        "Mean and median bonus gaps over those paid a bonus in the 12 months to the snapshot "
        "date, and the share of each group receiving a bonus.",
        x=column,
        y="median_bonus_gap_percent",
        colour="reference_group",
        y_title="Median bonus gap (%)",
    )


def _quartiles(name: str, column: str, label: str) -> Figure:
    return Figure(
        name,
        f"Pay quartiles by {label}",
        "Pay quartiles",
        "Everyone with an hourly rate ranked and split into four equal quarters (regulation 13 "
        "of the Gender Pay Gap regulations); the share of each group in each quarter. People "
        "who did not disclose keep their own row.",
        x="quartile",
        y="percent",
        colour=column,
        stacked=True,
        chart_excludes={column: (AGGREGATE_LABEL,)},
    )


FIGURES: tuple[Figure, ...] = (
    Figure(
        "disclosure",
        "Disclosure rates",
        "Disclosure",
        "Share of staff with a known value for each characteristic.",
        x="characteristic",
        y="percent_known",
        y_title="Known (%)",
    ),
    Figure(
        "disclosure_by_directorate",
        "Disclosure rates by directorate",
        "Disclosure",
        "Share of staff with a known value, per characteristic, in each directorate.",
        x="directorate",
        y="percent_known",
        colour="characteristic",
        y_title="Known (%)",
    ),
    Figure(
        "representation_overall",
        "Ethnicity of the workforce",
        "Representation",
        "Head count and share of each ethnic group, beside the resident population, with the gap "
        "in percentage points and the representation ratio.",
        x="ethnic_group",
        y="percent",
    ),
    Figure(
        "representation_detailed_overall",
        "Ethnicity in the 19 ONS categories",
        "Representation",
        "The ONS 2021 Census detailed ethnic groups, where numbers allow.",
        x="ethnicity",
        y="percent",
    ),
    _representation("representation_by_directorate", "directorate", "directorate"),
    _representation("representation_by_pay_band", "pay_band", "pay band"),
    _representation("representation_by_grade", "grade", "grade"),
    _representation("representation_by_leadership_tier", "leadership_tier", "leadership tier"),
    Figure(
        "top_5_percent_earners",
        "Ethnicity of the top 5% of earners",
        "Top 5% of earners",
        "The highest paid 5% by hourly pay; everyone paid the boundary rate is included.",
        x="ethnic_group",
        y="percent",
    ),
    Figure(
        "top_5_percent_earners_by_sex",
        "Sex of the top 5% of earners",
        "Top 5% of earners",
        "The highest paid 5% by hourly pay, by sex.",
        x="sex",
        y="percent",
    ),
    Figure(
        "top_5_percent_earners_by_disability",
        "Disability among the top 5% of earners",
        "Top 5% of earners",
        "The highest paid 5% by hourly pay, by disability.",
        x="disability",
        y="percent",
    ),
    _gap("pay_gap_ethnicity", "ethnicity", "ethnic_group", "Ethnicity"),
    _gap("pay_gap_sex", "sex", "sex", "Sex"),
    _gap("pay_gap_disability", "disability", "disability", "Disability"),
    Figure(
        "pay_gap_ethnicity_by_sex",
        "Ethnicity pay gap by sex",
        "Pay gaps",
        "Intersectional: each ethnic group of each sex against the reference group.",
        x="ethnic_group",
        y="median_gap_percent",
        colour="sex",
        y_title="Median hourly pay gap (%)",
    ),
    _bonus("bonus_gap_ethnicity", "ethnic_group", "Ethnicity"),
    _bonus("bonus_gap_sex", "sex", "Sex"),
    _bonus("bonus_gap_disability", "disability", "Disability"),
    _quartiles("pay_quartiles_ethnicity", "ethnic_group", "ethnicity"),
    _quartiles("pay_quartiles_sex", "sex", "sex"),
    _quartiles("pay_quartiles_disability", "disability", "disability"),
)
BY_NAME = {figure.name: figure for figure in FIGURES}

COLUMN_LABELS = {
    "snapshot_date": "Snapshot",
    "ethnic_group": "Ethnic group",
    "ethnicity": "Ethnicity",
    "count": "Count",
    "total": "Total",
    "percent": "% of all",
    "percent_of_known": "% of known",
    "population_percent": "Resident population %",
    "gap_pp": "Gap (percentage points)",
    "representation_ratio": "Representation ratio",
    "characteristic": "Characteristic",
    "known": "Known",
    "prefer_not_to_say": "Prefer not to say",
    "not_known": "Not known",
    "percent_known": "% known",
    "pay_band": "Pay band",
    "leadership_tier": "Leadership tier",
    "reference_group": "Compared with",
    "reference_count": "Count (compared with)",
    "mean_hourly_pay": "Mean hourly pay (£)",
    "reference_mean_hourly_pay": "Mean hourly pay, compared with (£)",
    "median_hourly_pay": "Median hourly pay (£)",
    "reference_median_hourly_pay": "Median hourly pay, compared with (£)",
    "mean_gap_percent": "Mean gap %",
    "median_gap_percent": "Median gap %",
    "mean_bonus_gap_percent": "Mean bonus gap %",
    "median_bonus_gap_percent": "Median bonus gap %",
    "percent_receiving_bonus": "% receiving a bonus",
    "reference_percent_receiving_bonus": "% receiving a bonus (compared with)",
    "warning": "Caution",
}
HIDDEN_COLUMNS = {"suppressed"}


def column_label(name: str) -> str:
    return COLUMN_LABELS.get(name, name.replace("_", " ").capitalize())


def table_columns(frame: pl.DataFrame) -> list[tuple[str, str]]:
    """(key, label) for the data table beside a chart: every column but the flags."""
    return [(name, column_label(name)) for name in frame.columns if name not in HIDDEN_COLUMNS]


def chart_rows(figure: Figure, frame: pl.DataFrame) -> list[dict]:
    """The rows the chart draws: withheld values stay null (drawn as nothing)."""
    return chart_spec(figure, frame)["rows"]


def chart_spec(figure: Figure, frame: pl.DataFrame) -> dict:
    """Rows and encoding of a figure's chart.

    Where the table has the resident population, the chart sets the workforce share of known
    ethnicity beside the population share (the comparison the action plan makes).
    """
    if figure.x not in frame.columns or figure.y not in frame.columns:
        return {"rows": [], "x": figure.x, "y": figure.y, "colour": figure.colour}
    rows = frame
    for column, excluded in figure.chart_excludes.items():
        if column in rows.columns:
            rows = rows.filter(~pl.col(column).is_in(list(excluded)))
    if (
        figure.colour is None
        and "population_percent" in rows.columns
        and "percent_of_known" in rows.columns
    ):
        rows = rows.filter(
            pl.col("population_percent").is_not_null() & pl.col("percent_of_known").is_not_null()
        )
        melted = []
        for row in rows.iter_rows(named=True):
            melted.append(
                {
                    figure.x: row[figure.x],
                    "compared": "Staff (% of known)",
                    "value": row["percent_of_known"],
                }
            )
            melted.append(
                {
                    figure.x: row[figure.x],
                    "compared": "Resident population",
                    "value": row["population_percent"],
                }
            )
        return {"rows": melted, "x": figure.x, "y": "value", "colour": "compared"}
    wanted = [c for c in (figure.x, figure.y, figure.colour) if c and c in rows.columns]
    # Withheld values are not drawn (a bar with no value has nothing to label for screen
    # readers); the table beside the chart shows them as [c].
    rows = rows.filter(pl.col(figure.y).is_not_null())
    return {
        "rows": rows.select(wanted).to_dicts(),
        "x": figure.x,
        "y": figure.y,
        "colour": figure.colour if figure.colour in rows.columns else None,
    }


def trend_spec(figure: Figure, table: pl.DataFrame) -> dict | None:
    """One line per group across snapshots: (rows, series, y) or None when no line chart fits.

    Two-way tables are cut to one line per group: the "Black, Asian and Multi-ethnic" share in
    each directorate (pay band…), the upper pay quarter, the WRES grouping of the pay gaps, the
    ethnicity disclosure rate in each directorate.
    """
    filters: dict[str, str] = {}
    series, y = figure.x, figure.y
    if figure.colour == "ethnic_group" and figure.x != "quartile":
        filters["ethnic_group"] = AGGREGATE_LABEL
    elif figure.x == "quartile":
        filters["quartile"] = "Upper"
        series = figure.colour or figure.x
    elif figure.colour == "characteristic":
        filters["characteristic"] = "ethnicity"
    elif figure.colour == "reference_group":
        if "grouping" in table.columns:
            filters["grouping"] = "wres"
    elif figure.colour is not None:
        return None
    rows = table
    for column, value in filters.items():
        if column in rows.columns:
            rows = rows.filter(pl.col(column) == value)
    needed = ["snapshot_date", series, y]
    if any(column not in rows.columns for column in needed):
        return None
    rows = rows.filter(pl.col(y).is_not_null())
    if rows.is_empty():
        return None
    if rows.select(needed[:2]).is_duplicated().any():
        return None
    return {"rows": rows.select(needed).to_dicts(), "series": series, "y": y}
