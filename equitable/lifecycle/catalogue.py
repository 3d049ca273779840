"""What the lifecycle pages show: table titles, column headings and kinds, the filters, and
the choice of rows for one view.

Pure functions over the family's tables (exact or protected): a filter selects the rows and
the table variant (`_by_sex`, `_by_directorate`...) a person asked for, and never recomputes a
figure, so every view is a part of the one protected publication of its family.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from equitable.workforce import catalogue as workforce_catalogue

COUNT, PERCENT, RATIO, TEXT = "count", "percent", "ratio", "text"

CHARACTERISTICS = {
    "ethnicity": ("Ethnicity", ""),
    "ethnicity_and_sex": ("Ethnicity by sex", "_by_ethnicity_and_sex"),
    "sex": ("Sex", "_by_sex"),
    "disability": ("Disability", "_by_disability"),
}
BREAKDOWNS = {"directorate": "_by_directorate", "pay_band": "_by_pay_band"}
VARIANT_SUFFIXES = tuple(s for _, s in CHARACTERISTICS.values() if s) + tuple(BREAKDOWNS.values())
# Key columns a person may choose one value of (in this order on the page).
ROW_FILTERS = (
    "period",
    "applicant_type",
    "internal",
    "vacancy_group",
    "stage",
    "transition",
    "process",
    "case_type",
    "severity",
    "outcome",
    "reason",
    "leadership_tier",
    "measure",
)
GROUP_COLUMNS = ("ethnic_group", "sex", "disability")
_BOUNDS = ("_ci_low", "_ci_high")

COLUMNS: dict[str, tuple[str, str]] = {
    "period": ("Period", TEXT),
    "applicant_type": ("Applicants", TEXT),
    "internal": ("Applicants", TEXT),
    "vacancy_group": ("Vacancies", TEXT),
    "stage": ("Stage", TEXT),
    "transition": ("From stage to stage", TEXT),
    "process": ("Process", TEXT),
    "case_type": ("Kind of case", TEXT),
    "severity": ("Outcome severity", TEXT),
    "outcome": ("Outcome", TEXT),
    "reason": ("Reason for leaving", TEXT),
    "measure": ("Measure", TEXT),
    "reference_group": ("Compared with", TEXT),
    "group_pool": ("People in the pool", COUNT),
    "group_count": ("With the outcome", COUNT),
    "group_rate": ("Rate", PERCENT),
    "group_rate_ci": ("Rate: 95% confidence interval", TEXT),
    "rate_ci": ("Rate: 95% confidence interval", TEXT),
    "reached": ("Reached this stage", COUNT),
    "stage_pool": ("At the stage before", COUNT),
    "stage_total": ("Everyone at this stage", COUNT),
    "reference_pool": ("Compared with: in the pool", COUNT),
    "reference_count": ("Compared with: with the outcome", COUNT),
    "reference_rate": ("Compared with: rate", PERCENT),
    "reference_rate_ci": ("Compared with: 95% confidence interval", TEXT),
    "relative_likelihood": ("Relative likelihood", RATIO),
    "likelihood_ci": ("Relative likelihood: 95% confidence interval", TEXT),
    "ci_low": ("Relative likelihood: interval from", RATIO),
    "ci_high": ("Relative likelihood: interval to", RATIO),
    "reading": ("What it says", TEXT),
    "share": ("Share", PERCENT),
    "percent": ("Share", PERCENT),
    "rate": ("Rate", PERCENT),
}
# Columns of a relative-likelihood table the page shows (the download has them all).
LIKELIHOOD_SHOWN = (
    "group_count",
    "group_pool",
    "group_rate",
    "group_rate_ci",
    "reference_rate",
    "relative_likelihood",
    "likelihood_ci",
    "reading",
)
TITLES = {
    "wres_indicators": "WRES indicators",
    "social_care_wres_return": "Social Care WRES return",
    "social_care_wres_notes": "Notes on the return",
    "recruitment_stages": "Applicants at each recruitment stage",
    "recruitment_relative_likelihood": "Relative likelihood at each recruitment stage",
    "casework_relative_likelihood": "Relative likelihood of entering a formal process",
    "development_relative_likelihood": "Relative likelihood of accessing non-mandatory training",
    "leavers": "Leavers",
    "promotions": "Promotions",
}


def column_label(name: str) -> str:
    if name in COLUMNS:
        return COLUMNS[name][0]
    return workforce_catalogue.column_label(name)


def column_kind(name: str, frame: pl.DataFrame | None = None) -> str:
    if name in COLUMNS:
        return COLUMNS[name][1]
    return workforce_catalogue.column_kind(name, frame)


def table_title(name: str) -> str:
    return TITLES.get(name) or workforce_catalogue.humanise(name)


def base_tables(tables: Mapping[str, pl.DataFrame]) -> list[str]:
    """The tables a person chooses between (variants are chosen by the filters)."""
    return [
        name
        for name in tables
        if not name.endswith(VARIANT_SUFFIXES) and not is_notes(name) and tables[name].width
    ]


def is_notes(name: str) -> bool:
    return name == "notes" or name.endswith("_notes")


def notes(tables: Mapping[str, pl.DataFrame]) -> list[str]:
    """The messages of the family's notes tables (what the figures could not count, and why)."""
    return [
        str(row["message"])
        for name, table in tables.items()
        if is_notes(name) and "message" in table.columns
        for row in table.iter_rows(named=True)
        if row.get("message")
    ]


def is_funnel(frame: pl.DataFrame) -> bool:
    """A table of each group's share at each stage (drawn as a funnel, every stage at once)."""
    return not is_likelihood(frame) and "stage" in frame.columns and "share" in frame.columns


def offered_tables(tables: Mapping[str, pl.DataFrame], *, champion: bool) -> list[str]:
    """The tables a person may choose: a champion only those with a directorate breakdown."""
    names = base_tables(tables)
    if champion:
        names = [n for n in names if f"{n}_by_directorate" in tables]
    return names


def is_likelihood(frame: pl.DataFrame) -> bool:
    return "relative_likelihood" in frame.columns and "reference_group" in frame.columns


def group_column(frame: pl.DataFrame) -> str | None:
    return next((c for c in GROUP_COLUMNS if c in frame.columns), None)


@dataclass
class Filter:
    name: str
    label: str
    choices: list[str]
    chosen: str | None
    allow_all: bool = False  # "" means every value


@dataclass
class View:
    """One table as a person asked to see it: the rows, and how they were chosen."""

    family: str
    base: str  # the base table chosen
    name: str  # the table the rows come from (base or a variant)
    frame: pl.DataFrame  # the chosen rows (every column)
    filters: list[Filter] = field(default_factory=list)
    characteristic: str = "ethnicity"
    characteristics: list[tuple[str, str]] = field(default_factory=list)
    directorate: str | None = None
    directorates: list[str] = field(default_factory=list)
    pay_band: str | None = None
    pay_bands: list[str] = field(default_factory=list)
    champion: bool = False

    @property
    def caption(self) -> str:
        parts = [table_title(self.base)]
        if self.characteristic != "ethnicity":
            parts.append(f"by {CHARACTERISTICS[self.characteristic][0].lower()}")
        for chosen in self.filters:
            if chosen.chosen:
                parts.append(str(chosen.chosen))
        if self.directorate:
            parts.append(self.directorate)
        if self.pay_band:
            parts.append(f"pay band {self.pay_band}")
        return ", ".join(parts)


class NoSuchView(LookupError):
    """The table or a filter value asked for is not one of this family's."""


def _values(frame: pl.DataFrame, column: str) -> list[str]:
    return [str(v) for v in dict.fromkeys(frame[column].to_list()) if v is not None]


def choose(
    family: str,
    tables: Mapping[str, pl.DataFrame],
    query: Mapping[str, str],
    *,
    own_directorates: Iterable[str] | None = None,
) -> View | None:
    """The view `query` asks for (table, characteristic, directorate, pay band, row filters).

    `own_directorates`: a champion's directorates; they see only the `_by_directorate`
    tables, and only their own directorates' rows. None when there is nothing to show.
    Raises NoSuchView for a table or value that is not offered (a champion asking for another
    directorate included)."""
    champion = own_directorates is not None
    own = sorted(set(own_directorates or ()))
    names = offered_tables(tables, champion=champion)
    if not names:
        return None
    base = query.get("table") or _default_table(names)
    if base not in names:
        raise NoSuchView(base)
    characteristics = [
        (key, label)
        for key, (label, suffix) in CHARACTERISTICS.items()
        if not champion and (not suffix or f"{base}{suffix}" in tables)
    ]
    characteristic = query.get("characteristic") or "ethnicity"
    if champion:
        characteristic = "ethnicity"
    elif characteristic not in dict(characteristics):
        raise NoSuchView(characteristic)
    by_directorate = tables.get(f"{base}_by_directorate")
    by_pay_band = tables.get(f"{base}_by_pay_band")
    directorates = (
        _values(by_directorate, "directorate")
        if by_directorate is not None and "directorate" in by_directorate.columns
        else []
    )
    if champion:
        directorates = [d for d in directorates if d in own] or []
    pay_bands = (
        _values(by_pay_band, "pay_band")
        if not champion and by_pay_band is not None and "pay_band" in by_pay_band.columns
        else []
    )
    directorate = query.get("directorate") or None
    pay_band = query.get("pay_band") or None
    if champion and directorate is None:
        if not directorates:
            return None
        directorate = directorates[0]
    if directorate is not None and directorate not in directorates:
        raise NoSuchView(directorate)
    if pay_band is not None and pay_band not in pay_bands:
        raise NoSuchView(pay_band)
    if directorate is not None and pay_band is not None:
        pay_band = None  # one breakdown at a time: the tables hold one each
    if characteristic != "ethnicity":
        directorate = pay_band = None
    if directorate is not None:
        name = f"{base}_by_directorate"
        frame = tables[name].filter(pl.col("directorate") == directorate)
    elif pay_band is not None:
        name = f"{base}_by_pay_band"
        frame = tables[name].filter(pl.col("pay_band") == pay_band)
    else:
        name = base + CHARACTERISTICS[characteristic][1]
        frame = tables[name]
    filters = []
    funnel = is_funnel(frame)
    for column in ROW_FILTERS:
        if column not in frame.columns or (funnel and column in ("stage", "transition")):
            continue
        values = _values(frame, column)
        if not values:
            continue
        wanted = query.get(column)
        if wanted is not None and wanted != "" and wanted not in values:
            raise NoSuchView(wanted)
        chosen = wanted or (values[-1] if column == "period" else values[0])
        filters.append(Filter(column, column_label(column), values, chosen))
        frame = frame.filter(pl.col(column).cast(pl.String) == chosen)
    return View(
        family=family,
        base=base,
        name=name,
        frame=frame,
        filters=filters,
        characteristic=characteristic,
        characteristics=characteristics,
        directorate=directorate,
        directorates=directorates,
        pay_band=pay_band,
        pay_bands=pay_bands,
        champion=champion,
    )


def _default_table(names: Sequence[str]) -> str:
    return next((n for n in names if n.endswith("relative_likelihood")), names[0])


# --- rows as the page shows them --------------------------------------------------------------


def _interval(low, high, kind: str) -> str | None:
    if low is None or high is None:
        return None
    rounded_low = workforce_catalogue.rounded(kind, low)
    rounded_high = workforce_catalogue.rounded(kind, high)
    suffix = "%" if kind == PERCENT else ""
    return f"{rounded_low}{suffix} to {rounded_high}{suffix}"


def display_rows(view: View) -> list[dict]:
    """The chosen rows with the intervals as "1.2 to 2.1" (None, shown [c], when withheld)."""
    rows = []
    for row in view.frame.iter_rows(named=True):
        shown = dict(row)
        if "rate_ci_low" in row:
            shown["rate_ci"] = _interval(row["rate_ci_low"], row["rate_ci_high"], PERCENT)
        if "group_rate_ci_low" in row:
            shown["group_rate_ci"] = _interval(
                row["group_rate_ci_low"], row["group_rate_ci_high"], PERCENT
            )
        if "reference_rate_ci_low" in row:
            shown["reference_rate_ci"] = _interval(
                row["reference_rate_ci_low"], row["reference_rate_ci_high"], PERCENT
            )
        if "ci_low" in row and "ci_high" in row:
            shown["likelihood_ci"] = _interval(row["ci_low"], row["ci_high"], RATIO)
        rows.append(shown)
    return rows


def shown_columns(view: View) -> list[tuple[str, str, str]]:
    """(key, heading, kind) of the page's table: the group first, the chosen filters left
    out (they are in the caption)."""
    chosen = {f.name for f in view.filters} | {"directorate", "pay_band"}
    frame = view.frame
    if is_likelihood(frame):
        labels = [c for c in ("ethnic_group", "sex", "disability") if c in frame.columns]
        keys = [c for c in frame.columns if c in ROW_FILTERS and c not in chosen]
        names = [*labels, "reference_group", *keys, *LIKELIHOOD_SHOWN]
    else:
        names = []
        for c in frame.columns:
            if c in chosen or c in workforce_catalogue.HIDDEN_COLUMNS or c.endswith(_BOUNDS):
                continue
            names.append(c)
            if c == "rate" and "rate_ci_low" in frame.columns:
                names.append("rate_ci")
        group = group_column(frame)
        if group is not None:
            names.remove(group)
            names.insert(0, group)
    return [(name, column_label(name), column_kind(name, frame)) for name in names]


def download_table(frame: pl.DataFrame) -> tuple[list[str], list[list], list[str | None]]:
    """(headers, rows, Excel number formats): every column, rounded as on the page, withheld
    values as [c]; written inert by `files.tabular`."""
    columns = [c for c in frame.columns if c not in workforce_catalogue.HIDDEN_COLUMNS]
    kinds = [column_kind(c, frame) for c in columns]
    rows = []
    for row in frame.iter_rows(named=True):
        withheld = bool(row.get("suppressed"))
        rows.append(
            [
                workforce_catalogue.WITHHELD
                if row[c] is None and withheld and kind != TEXT
                else workforce_catalogue.rounded(kind, row[c])
                for c, kind in zip(columns, kinds, strict=True)
            ]
        )
    headers = []
    for c, kind in zip(columns, kinds, strict=True):
        unit = workforce_catalogue.FILE_UNITS.get(kind)
        headers.append(f"{column_label(c)} ({unit})" if unit else column_label(c))
    return headers, rows, [workforce_catalogue.XLSX_FORMATS.get(k) for k in kinds]


def funnel_spec(view: View) -> dict | None:
    """How to draw the recruitment funnel from a stages table: the stage, share and group
    columns; None when the table is not of that shape."""
    frame = view.frame
    group = group_column(frame)
    if group is None or not is_funnel(frame):
        return None
    return {"stage": "stage", "share": "share", "group": group}
