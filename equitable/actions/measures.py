"""Computed measures: one number per workforce snapshot, taken from the figure tables.

Pure (no Django): the inputs are the tables `equitable.metrics.figures.compute_all` produces,
as rows (`workforce.services.figures_for` gives them per snapshot), so tests can hand-build
them. Each measure names the table it reads and says why it is the right one.

Disclosure control: a measure is one share over a whole population (never a count, never a
cell per tier), and is withheld (None) when that population has fewer people than the
organisation's suppression threshold. Read from the protected tables (`figures_for(...,
published=True)`), a measure is withheld whenever a figure it rests on is, so what people
without personal-data access see is computed only from what they may see.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from equitable.actions.trajectory import Member
from equitable.metrics.labels import AGGREGATE_LABEL, NOT_RECORDED, UNKNOWN_GROUP, WHITE

Tables = Mapping[str, list[dict]]


@dataclass(frozen=True)
class ComputedMeasure:
    key: str
    name: str
    unit: str
    direction: str
    table: str
    compute: Callable[[Tables, int], float | None]


def _rows(tables: Tables, name: str) -> list[dict]:
    return list(tables.get(name) or [])


def leadership_share(tables: Tables, threshold: int = 0) -> float | None:
    """% of everyone with a leadership tier (all tiers together: the seed's Corporate Strategic
    Board, Corporate Leadership Group and Leadership Forum) whose ethnic group is Black, Asian or
    Multi-ethnic (every known group but White). Unknown ethnicity stays in the denominator: the
    target reads "% of staff at …", not "% of those who told us".
    Table: representation_in_leadership_tiers (everyone in a tier as one group), so that
    disclosure control protects this very figure, not only the tiers one by one."""
    for row in _rows(tables, "representation_in_leadership_tiers"):
        if row.get("ethnic_group") == AGGREGATE_LABEL:
            count, total = row.get("count"), row.get("total")
            if count is None or not total or total < threshold:
                return None
            return 100 * count / total
    return None


def top5_disabled_share(tables: Tables, threshold: int = 0) -> float | None:
    """% of the top 5% of earners (by hourly pay) who are disabled; seed 003's KPI.
    Table: top_5_percent_earners_by_disability."""
    for row in _rows(tables, "top_5_percent_earners_by_disability"):
        if row.get("disability") == "Disabled":
            total = row.get("total")
            if total is None or total == 0 or total < threshold or row.get("count") is None:
                return None
            return 100 * row["count"] / total
    return None


def unknown_ethnicity_rate(tables: Tables, threshold: int = 0) -> float | None:
    """% of staff whose ethnicity is not known or who preferred not to say.
    Table: disclosure (row `ethnicity`)."""
    for row in _rows(tables, "disclosure"):
        if row.get("characteristic") == "ethnicity":
            total = row.get("total")
            prefer_not_to_say, not_known = row.get("prefer_not_to_say"), row.get("not_known")
            if not total or total < threshold or prefer_not_to_say is None or not_known is None:
                return None  # withheld by disclosure control, or no staff
            return 100 * (prefer_not_to_say + not_known) / total
    return None


def ethnicity_median_pay_gap(tables: Tables, threshold: int = 0) -> float | None:
    """Median hourly pay gap of Black, Asian and Multi-ethnic staff against White staff, as a %
    of White staff's median (positive: White staff are paid more). Table: pay_gap_ethnicity,
    row grouping "wres", ethnic group "Black, Asian and Multi-ethnic"."""
    for row in _rows(tables, "pay_gap_ethnicity"):
        if row.get("grouping", "wres") == "wres" and row.get("ethnic_group") == AGGREGATE_LABEL:
            if min(row.get("count") or 0, row.get("reference_count") or 0) < max(threshold, 1):
                return None
            return row.get("median_gap_percent")
    return None


COMPUTED_MEASURES: dict[str, ComputedMeasure] = {
    m.key: m
    for m in (
        ComputedMeasure(
            "leadership_black_asian_multi_ethnic_share",
            "% of the leadership tiers from a Black, Asian and Multi-ethnic background",
            "%",
            "higher",
            "representation_in_leadership_tiers",
            leadership_share,
        ),
        ComputedMeasure(
            "top5_disabled_share",
            "% of the top 5% of earners who are disabled",
            "%",
            "higher",
            "top_5_percent_earners_by_disability",
            top5_disabled_share,
        ),
        ComputedMeasure(
            "unknown_ethnicity_rate",
            "% of staff whose ethnicity is unknown",
            "%",
            "lower",
            "disclosure",
            unknown_ethnicity_rate,
        ),
        ComputedMeasure(
            "ethnicity_median_pay_gap",
            "Median ethnicity pay gap (Black, Asian and Multi-ethnic compared with White)",
            "%",
            "lower",
            "pay_gap_ethnicity",
            ethnicity_median_pay_gap,
        ),
    )
}
# Measures whose population can be followed person by person for the stock-flow projection.
PROJECTABLE = {"leadership_black_asian_multi_ethnic_share"}


def overall_share(tables: Tables, _threshold: int = 0) -> float | None:
    """% of all staff (unknown ethnicity included in the denominator) whose ethnic group is
    Black, Asian or Multi-ethnic: the aggregate row of representation_overall (a headline of
    the import preview, not a measure a plan tracks)."""
    for row in _rows(tables, "representation_overall"):
        if row.get("ethnic_group") == AGGREGATE_LABEL:
            return None if row.get("percent") is None else round(float(row["percent"]), 2)
    return None


def top_5_percent_share(tables: Tables, threshold: int = 0) -> float | None:
    """% of the top 5% of earners (by hourly pay) whose ethnic group is Black, Asian or
    Multi-ethnic, read as `leadership_share` reads the leadership tiers: the aggregate row of
    top_5_percent_earners, unknown ethnicity in the denominator, withheld (None) when
    disclosure control withheld its count or total, or the total is under the threshold (a
    headline of the home page, not a measure a plan tracks)."""
    for row in _rows(tables, "top_5_percent_earners"):
        if row.get("ethnic_group") == AGGREGATE_LABEL:
            count, total = row.get("count"), row.get("total")
            if count is None or not total or total < threshold:
                return None
            return round(100 * count / total, 2)
    return None


def reader(key: str) -> Callable[[Tables, int], float | None]:
    """The computed measure `key` as a reader of tables (the home page's and the import
    preview's headline figures use the measures' own definitions)."""
    return lambda tables, threshold: compute(key, tables, threshold)


def compute(key: str, tables: Tables, threshold: int = 0) -> float | None:
    if key not in COMPUTED_MEASURES:
        raise KeyError(f"no computed measure {key!r}; known: {', '.join(COMPUTED_MEASURES)}")
    value = COMPUTED_MEASURES[key].compute(tables, threshold)
    return None if value is None else round(float(value), 2)


def leadership_members(frame: pl.DataFrame) -> dict[str, Member]:
    """Each employee (by hashed key) as in or out of the leadership tiers and in or out of the
    Black, Asian and Multi-ethnic group, for `trajectory.flows_between`."""
    tier = pl.col("leadership_tier")
    group = pl.col("ethnic_group")
    rows = frame.select(
        pl.col("employee_key"),
        (tier.is_not_null() & (tier.str.strip_chars() != "") & (tier != NOT_RECORDED)).alias(
            "in_population"
        ),
        (group.is_not_null() & ~group.is_in([WHITE, UNKNOWN_GROUP])).alias("in_group"),
    ).rows()
    return {key: Member(bool(in_pop), bool(in_group)) for key, in_pop, in_group in rows if key}
