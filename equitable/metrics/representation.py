"""Representation: head count and share of each ethnic group, beside the resident population.

For a set of people (the whole workforce, a directorate, a pay band, the top 5% of earners):

    percent            = count / everyone in the set × 100        (unknown ethnicity included)
    percent_of_known   = count / people of known ethnicity × 100
    gap_pp             = percent_of_known − population_percent    (percentage points)
    representation_ratio = percent_of_known / population_percent  (1.00 = parity)

The resident population share comes from ONS Census 2021 table TS021
(https://www.nomisweb.co.uk/census/2021/bulk); it has no "unknown", so it is compared with the
share of known. "Black, Asian and Multi-ethnic" is every known group except White. WRES indicator 1
publishes counts for White, BME and Unknown and percentages of the whole headcount
(https://www.england.nhs.uk/publication/workforce-race-equality-standard-wres-indicators/); we
give both percentages so neither reading is lost.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUP_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    UNDISCLOSED,
    UNKNOWN_GROUP,
    WHITE,
)
from equitable.metrics.layout import (
    Count,
    Derived,
    Layout,
    Part,
    Restriction,
    Share,
    ethnicity_atoms,
    ethnicity_label,
    fixed,
    key,
    of,
    open_value,
)
from equitable.metrics.prepared import Coded, FigureInputError, percent

# Row order of every representation table: the five groups, unknown, then the aggregate.
REPRESENTATION_LABELS = (*ETHNIC_GROUP_VALUES, AGGREGATE_LABEL)
_POPULATION_VALUE_COLUMNS = ("count", "percent", "total", "percent_of_known")


class Population:
    """Resident population shares (0-100) by ethnic group and, when given, by detailed group."""

    def __init__(self, groups: dict[str, float], detailed: dict[str, float]):
        self.groups = groups
        self.detailed = detailed

    def group_percent(self, label: str) -> float | None:
        if label == AGGREGATE_LABEL:
            parts = [self.groups.get(g) for g in ETHNIC_GROUPS if g != WHITE]
            return None if any(p is None for p in parts) else float(sum(parts))  # type: ignore[arg-type]
        return self.groups.get(label)

    @classmethod
    def from_frame(cls, frame: pl.DataFrame) -> Population:
        """Read population.py's frame: `ethnic_group`, `percent`, optionally `ethnicity`.

        Rows with a detailed `ethnicity` are summed to their group unless the frame also has a
        group-level row (ethnicity blank) for that group.
        """
        problems = [
            f"population frame lacks column {c!r}"
            for c in ("ethnic_group", "percent")
            if c not in frame.columns
        ]
        if problems:
            raise FigureInputError(problems)
        has_detailed = "ethnicity" in frame.columns
        group_rows: dict[str, float] = {}
        detailed: dict[str, float] = {}
        for row in frame.iter_rows(named=True):
            group, share = row["ethnic_group"], row["percent"]
            name = row.get("ethnicity") if has_detailed else None
            if group not in ETHNIC_GROUPS:
                problems.append(
                    f"population group {group!r} is not one of {', '.join(ETHNIC_GROUPS)}"
                )
                continue
            if share is None or not math.isfinite(share) or share < 0:
                problems.append(f"population percent {share!r} for {group} is not a share")
                continue
            if name is None:
                group_rows[group] = float(share)
            elif ETHNICITY_TO_GROUP.get(name) != group:
                problems.append(f"population ethnicity {name!r} does not belong to group {group!r}")
            else:
                detailed[name] = float(share)
        if problems:
            raise FigureInputError(problems)
        groups = dict(group_rows)
        for name, share in detailed.items():
            group = ETHNICITY_TO_GROUP[name]
            if group not in group_rows:
                groups[group] = groups.get(group, 0.0) + share
        return cls(groups, detailed)


def _comparison(
    share_of_known: float | None, population_percent: float | None
) -> dict[str, float | None]:
    gap = None
    ratio = None
    if share_of_known is not None and population_percent is not None:
        gap = share_of_known - population_percent
        ratio = share_of_known / population_percent if population_percent else None
    return {"population_percent": population_percent, "gap_pp": gap, "representation_ratio": ratio}


def group_rows(
    keys: dict[str, str], group_counts: np.ndarray, population: Population | None
) -> list[dict]:
    """Seven rows (five groups, Unknown, aggregate) for one set of people.

    `group_counts` holds the head count per ethnic_group code (Asian, Black, Mixed, White, Other,
    Unknown). Zero rows are kept: a missing row would hide a zero that disclosure control must see.
    """
    counts = [int(c) for c in group_counts]
    total = sum(counts)
    known = total - counts[ETHNIC_GROUP_VALUES.index(UNKNOWN_GROUP)]
    aggregate = sum(
        counts[i] for i, g in enumerate(ETHNIC_GROUP_VALUES) if g not in (WHITE, UNKNOWN_GROUP)
    )
    rows = []
    for label, count in zip(REPRESENTATION_LABELS, [*counts, aggregate], strict=True):
        of_known = None if label == UNKNOWN_GROUP else percent(count, known)
        row = {
            **keys,
            "ethnic_group": label,
            "count": count,
            "total": total,
            "percent": percent(count, total),
            "percent_of_known": of_known,
        }
        if population is not None:
            pop = None if label == UNKNOWN_GROUP else population.group_percent(label)
            row |= _comparison(of_known, pop)
        rows.append(row)
    return rows


def representation_frame(
    key_names: list[str], rows: list[dict], population: Population | None
) -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {name: pl.String() for name in key_names}
    schema |= {
        "ethnic_group": pl.String(),
        "count": pl.Int64(),
        "total": pl.Int64(),
        "percent": pl.Float64(),
        "percent_of_known": pl.Float64(),
    }
    if population is not None:
        schema |= {
            "population_percent": pl.Float64(),
            "gap_pp": pl.Float64(),
            "representation_ratio": pl.Float64(),
        }
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def by_dimension(
    dimension: str, values: Coded, group_codes: np.ndarray, population: Population | None
) -> pl.DataFrame:
    """Representation within each value of a dimension; one count pass, rolled up to groups.

    Rows come out in the dimension's display order (natural, blanks last) then group order.
    """
    n_groups = len(ETHNIC_GROUP_VALUES)
    cells = values.codes.astype(np.int32, copy=False) * n_groups + group_codes
    counts = np.bincount(cells, minlength=values.size * n_groups).reshape(values.size, n_groups)
    rows: list[dict] = []
    for code, label in values.in_display_order():
        rows += group_rows({dimension: label}, counts[code], population)
    return representation_frame([dimension], rows, population)


def detailed_overall(ethnicity_codes: np.ndarray, population: Population | None) -> pl.DataFrame:
    """The 19 ONS detailed categories plus "Prefer not to say" and "Not known"."""
    counts = np.bincount(ethnicity_codes, minlength=len(ETHNICITY_VALUES))
    total = int(counts.sum())
    known = total - sum(int(counts[ETHNICITY_VALUES.index(v)]) for v in UNDISCLOSED)
    rows = []
    for name, count in zip(ETHNICITY_VALUES, counts.tolist(), strict=True):
        of_known = None if name in UNDISCLOSED else percent(count, known)
        row = {
            "ethnicity": name,
            "ethnic_group": ETHNICITY_TO_GROUP[name],
            "count": count,
            "total": total,
            "percent": percent(count, total),
            "percent_of_known": of_known,
        }
        if population is not None:
            pop = population.detailed.get(name) if population.detailed else None
            row |= _comparison(of_known, pop)
        rows.append(row)
    frame = representation_frame(["ethnicity"], rows, population)
    return frame.select("ethnicity", "ethnic_group", pl.exclude("ethnicity", "ethnic_group"))


def representation_layout(
    dimension: str | None = None, scope: Restriction | None = None, detailed: bool = False
) -> Layout:
    """The layout of every representation table: per row, `count` people of the row's group
    (within the dimension's value and the scope: everyone, or the top 5%), `total` everyone
    there, `percent` of the total, `percent_of_known` of those of known ethnicity; the gap and
    ratio to the census share are figures of `percent_of_known` and the public share."""
    where: list[Part] = [fixed(scope or {})]
    if dimension is not None:
        where.append(key(dimension, open_value(dimension)))
    label = "ethnicity" if detailed else "ethnic_group"
    keys = (*(d for d in (dimension,) if d), label, *(("ethnic_group",) if detailed else ()))
    known = of(*where, fixed({"ethnicity": ethnicity_atoms("Known")}))
    return Layout(
        keys=keys,
        columns=(
            Count("count", of(*where, key(label, ethnicity_label))),
            Count("total", of(*where)),
            Share("percent", "count", "total"),
            Share("percent_of_known", "count", known),
            Derived("gap_pp", "percent_of_known", "difference"),
            Derived("representation_ratio", "percent_of_known", "ratio"),
        ),
        public=("population_percent",),
    )
