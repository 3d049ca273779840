"""The dashboard's figures: title, what each one shows, and how its chart is drawn.

Pure data and small functions over polars frames (no Django), so pages, downloads and tests read
the same catalogue. The tables themselves come from `equitable.metrics.figures.compute_all`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from equitable.core.charts import FALLBACK, RESIDENTS_LABEL, STAFF_LABEL
from equitable.core.numbers import round_half_up
from equitable.metrics.labels import AGGREGATE_LABEL

# The legend title of a chart of staff beside residents ("Share among: Staff of known
# ethnicity, Residents (Census 2021)").
COMPARED_TITLE = "Share among"
# A trend chart draws at most this many lines (as many as the colours that stay apart); more
# (19 grades, the detailed categories) and the table alone is shown.
MAX_LINES = len(FALLBACK)

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


def _gap(name: str, column: str, label: str) -> Figure:
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
        "representation_in_leadership_tiers",
        "Ethnicity across the leadership tiers together",
        "Representation",
        "Everyone in any leadership tier as one group (the action plan's target for the "
        "leadership tiers): head count and share of each ethnic group.",
        x="ethnic_group",
        y="percent",
    ),
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
    _gap("pay_gap_ethnicity", "ethnic_group", "Ethnicity"),
    _gap("pay_gap_sex", "sex", "Sex"),
    _gap("pay_gap_disability", "disability", "Disability"),
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

# --- Words and numbers as people read them ----------------------------------------------------
# Each column's heading and kind. The kind says how a value is shown on the page (`figure` filter
# in equitable/jinja2env.py), how it is rounded in a download (as on the page) and its number
# format in Excel. Columns the tables may add later fall back to a readable form of their key.

COUNT, PERCENT, POINTS, RATIO, MONEY, TEXT, NUMBER, DATE = (
    "count",
    "percent",
    "points",
    "ratio",
    "money",
    "text",
    "number",
    "date",
)
PLACES = {COUNT: 0, PERCENT: 1, POINTS: 1, RATIO: 2, MONEY: 2, NUMBER: 1}
FILE_UNITS = {PERCENT: "%", MONEY: "£"}
XLSX_FORMATS = {
    COUNT: "#,##0",
    PERCENT: "0.0",
    POINTS: "0.0",
    RATIO: "0.00",
    MONEY: '"£"#,##0.00',
    NUMBER: "0.0",
}
WITHHELD = "[c]"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT


COLUMNS: dict[str, Column] = {
    "snapshot_date": Column("Snapshot", DATE),
    "grouping": Column("Comparison"),
    "comparison": Column("Comparison"),
    "characteristic": Column("Characteristic"),
    "directorate": Column("Directorate"),
    "pay_band": Column("Pay band"),
    "grade": Column("Grade"),
    "leadership_tier": Column("Leadership tier"),
    "quartile": Column("Pay quarter"),
    "ethnic_group": Column("Ethnic group"),
    "ethnicity": Column("Ethnicity"),
    "sex": Column("Sex"),
    "disability": Column("Disability"),
    "reference_group": Column("Compared with"),
    "count": Column("People", COUNT),
    "total": Column("Total", COUNT),
    "known": Column("Known", COUNT),
    "prefer_not_to_say": Column("Prefer not to say", COUNT),
    "not_known": Column("Not known", COUNT),
    "reference_count": Column("People compared with", COUNT),
    "bonus_count": Column("Paid a bonus", COUNT),
    "reference_bonus_count": Column("Paid a bonus, compared with", COUNT),
    "percent": Column("Share of all", PERCENT),
    "percent_of_known": Column("Share of those known", PERCENT),
    "population_percent": Column("Resident population", PERCENT),
    "percent_known": Column("Share known", PERCENT),
    "gap_pp": Column("Gap with residents (percentage points)", POINTS),
    "representation_ratio": Column("Representation ratio", RATIO),
    "mean_hourly_pay": Column("Mean hourly pay", MONEY),
    "reference_mean_hourly_pay": Column("Mean hourly pay, compared with", MONEY),
    "median_hourly_pay": Column("Median hourly pay", MONEY),
    "reference_median_hourly_pay": Column("Median hourly pay, compared with", MONEY),
    "mean_gap_percent": Column("Mean gap", PERCENT),
    "median_gap_percent": Column("Median gap", PERCENT),
    "mean_bonus": Column("Mean bonus", MONEY),
    "reference_mean_bonus": Column("Mean bonus, compared with", MONEY),
    "median_bonus": Column("Median bonus", MONEY),
    "reference_median_bonus": Column("Median bonus, compared with", MONEY),
    "mean_bonus_gap_percent": Column("Mean bonus gap", PERCENT),
    "median_bonus_gap_percent": Column("Median bonus gap", PERCENT),
    "percent_receiving_bonus": Column("Receiving a bonus", PERCENT),
    "reference_percent_receiving_bonus": Column("Receiving a bonus, compared with", PERCENT),
    "warning": Column("Caution"),
    "message": Column("Note"),
    "table": Column("Table"),
    "kind": Column("Kind"),
}
HIDDEN_COLUMNS = {"suppressed"}

# Codes the figures use in their rows, in the words of the page (docs/metrics.md explains each).
CHARACTERISTIC_LABELS = {
    "ethnicity": "Ethnicity",
    "sex": "Sex",
    "disability": "Disability",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
}
VALUE_LABELS: dict[str, dict[str, str]] = {
    "grouping": {
        "wres": "White compared with everyone else (WRES)",
        "ons": "White British compared with each minority group (ONS)",
    },
    "comparison": {
        "within_sex": "Compared with White people of the same sex",
        "vs_white_men": "Compared with White men",
    },
    "characteristic": CHARACTERISTIC_LABELS,
    "kind": {"info": "Information", "warning": "Caution"},
}


def humanise(key: str) -> str:
    """A key as words: `sexual_orientation` → "Sexual orientation"."""
    return key.replace("_", " ").strip().capitalize()


def column_label(name: str) -> str:
    column = COLUMNS.get(name)
    return column.label if column else humanise(name)


def column_kind(name: str, frame: pl.DataFrame | None = None) -> str:
    """The column's kind; an unlisted numeric column is a count (integers) or a number."""
    if name in COLUMNS:
        return COLUMNS[name].kind
    if frame is not None and name in frame.columns:
        dtype = frame.schema[name]
        if dtype.is_integer():
            return COUNT
        if dtype.is_numeric():
            return NUMBER
    return TEXT


def file_header(name: str, frame: pl.DataFrame | None = None) -> str:
    """The heading in a download, with the unit the page shows beside each value."""
    unit = FILE_UNITS.get(column_kind(name, frame))
    label = column_label(name)
    return f"{label} ({unit})" if unit else label


def value_label(column: str, value):
    """A code in a row in the page's words (figure names become their titles)."""
    if not isinstance(value, str):
        return value
    if column == "table" and value in BY_NAME:
        return BY_NAME[value].title
    return VALUE_LABELS.get(column, {}).get(value, value)


def display_rows(rows: list[dict]) -> list[dict]:
    """Rows with every code in words, for the page's table and chart."""
    return [{key: value_label(key, value) for key, value in row.items()} for row in rows]


def table_columns(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    """(key, label, kind) for the data table beside a chart: every column but the flags."""
    return [
        (name, column_label(name), column_kind(name, frame))
        for name in frame.columns
        if name not in HIDDEN_COLUMNS
    ]


def rounded(kind: str, value):
    """A value rounded as the page shows it (counts whole, percentages to one place…)."""
    if value is None or kind not in PLACES or isinstance(value, bool):
        return value
    if isinstance(value, float) and value != value:  # NaN: shown as no value
        return None
    places = PLACES[kind]
    return int(round_half_up(value, 0)) if places == 0 else round_half_up(float(value), places)


def download_table(frame: pl.DataFrame) -> tuple[list[str], list[list], list[str | None]]:
    """(headers, rows, Excel number formats) of a figure's table as the page shows it: readable
    headings with units, codes in words, numbers rounded as on the page, withheld values as
    [c] (the page's mark), and no internal flag columns."""
    columns = [name for name in frame.columns if name not in HIDDEN_COLUMNS]
    kinds = [column_kind(name, frame) for name in columns]
    rows = []
    for row in frame.iter_rows(named=True):
        withheld = bool(row.get("suppressed"))
        cells = []
        for name, kind in zip(columns, kinds, strict=True):
            value = row[name]
            if value is None and withheld and kind != TEXT:
                cells.append(WITHHELD)
            else:
                cells.append(rounded(kind, value_label(name, value)))
        rows.append(cells)
    headers = [file_header(name, frame) for name in columns]
    return headers, rows, [XLSX_FORMATS.get(kind) for kind in kinds]


def chart_rows(figure: Figure, frame: pl.DataFrame) -> list[dict]:
    """The rows the chart draws: withheld values stay null (drawn as nothing)."""
    return chart_spec(figure, frame)["rows"]


def chart_spec(figure: Figure, frame: pl.DataFrame) -> dict:
    """Rows and encoding of a figure's chart (`rows`, `x`, `y`, `colour`, `colour_title`).

    Where the table has the resident population, the chart sets the workforce share of known
    ethnicity beside the population share (the comparison the action plan makes), for the rows
    that have both; without a population it draws the workforce shares alone. A colour that
    would have one value only (pay gaps of women compared with men) is left out: a legend of
    one entry says nothing.
    """
    colour_title = column_label(figure.colour) if figure.colour else None
    if figure.x not in frame.columns or figure.y not in frame.columns:
        return {
            "rows": [],
            "x": figure.x,
            "y": figure.y,
            "colour": figure.colour,
            "colour_title": colour_title,
        }
    rows = frame
    for column, excluded in figure.chart_excludes.items():
        if column in rows.columns:
            rows = rows.filter(~pl.col(column).is_in(list(excluded)))
    if (
        figure.colour is None
        and "population_percent" in rows.columns
        and "percent_of_known" in rows.columns
        and rows["population_percent"].is_not_null().any()
    ):
        rows = rows.filter(
            pl.col("population_percent").is_not_null() & pl.col("percent_of_known").is_not_null()
        )
        melted = []
        for row in rows.iter_rows(named=True):
            melted.append(
                {figure.x: row[figure.x], "compared": STAFF_LABEL, "value": row["percent_of_known"]}
            )
            melted.append(
                {
                    figure.x: row[figure.x],
                    "compared": RESIDENTS_LABEL,
                    "value": row["population_percent"],
                }
            )
        return {
            "rows": melted,
            "x": figure.x,
            "y": "value",
            "colour": "compared",
            "colour_title": COMPARED_TITLE,
        }
    colour = figure.colour if figure.colour in rows.columns else None
    # Withheld values are not drawn (a bar with no value has nothing to label for screen
    # readers); the table beside the chart shows them as [c].
    rows = rows.filter(pl.col(figure.y).is_not_null())
    if colour is not None and rows[colour].n_unique() <= 1 and not figure.stacked:
        colour = None
    wanted = [c for c in (figure.x, figure.y, colour) if c]
    return {
        "rows": rows.select(wanted).to_dicts(),
        "x": figure.x,
        "y": figure.y,
        "colour": colour,
        "colour_title": colour_title if colour else None,
    }


def trend_spec(figure: Figure, table: pl.DataFrame) -> dict | None:
    """One line per group across snapshots: (rows, series, y) or None when no line chart fits.

    Two-way tables are cut to one line per group: the "Black, Asian and Multi-ethnic" share in
    each directorate (pay band…), the upper pay quarter, the WRES grouping of the pay gaps, the
    ethnicity disclosure rate in each directorate. More than `MAX_LINES` lines (19 grades, the
    detailed categories) cannot be told apart: no chart, the table alone (`too_many_lines`).
    """
    spec = _trend_lines(figure, table)
    if spec is None or len({row[spec["series"]] for row in spec["rows"]}) > MAX_LINES:
        return None
    return spec


def too_many_lines(figure: Figure, table: pl.DataFrame) -> bool:
    """Whether the trend has no chart only because it would have more than `MAX_LINES` lines."""
    spec = _trend_lines(figure, table)
    return spec is not None and len({row[spec["series"]] for row in spec["rows"]}) > MAX_LINES


def _trend_lines(figure: Figure, table: pl.DataFrame) -> dict | None:
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
