"""Figures of a service's users or complaints by protected characteristic, against residents.

Input: the counts frame of `records` (`service, quarter, characteristic, value, count`) and the
resident population (`population`: `characteristic, value, count, percent`). Output tables:

* `profile_<characteristic>` (one per characteristic the extract holds), per service and known
  value (ethnicity: the five ONS groups and "Black, Asian and Multi-ethnic"):

      count          records of the service with the value (all quarters)
      known          records of the service whose value of the characteristic is known
                     (not "Prefer not to say", not "Not known")
      percent        = 100 × count / known, with its Wilson 95% interval
                       (percent_ci_low, percent_ci_high; intervals.wilson_interval)
      resident_percent  the value's share of the borough's residents who answered (Census 2021)
      difference_pp  = percent − resident_percent (percentage points; positive: the group is
                       a larger share of the service's users or complaints than of residents)

* `completeness`, per service and characteristic: `records`, `known`, `prefer_not_to_say`,
  `not_known`, and `percent_known` = 100 × known / records with its Wilson interval (the
  "data on all nine protected characteristics" seed 003 asks councils to collate);
* `quarterly`, per service and quarter of the record's date (calendar quarters, "2024-Q1";
  records without a date in "Not recorded"): `records`;
* `quarterly_ethnicity`, per service, quarter and ethnic group: `count`, `known`, `percent`
  and its interval, as in the profile.

Every table declares its layout (`LAYOUTS`), and `protected_tables` passes them all to one
`disclosure_control.protect` call, so the sums between them (values add up to the known,
quarters to the whole, groups to "Black, Asian and Multi-ethnic") are defended together.

Pure module: polars, no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from equitable.metrics import disclosure_control
from equitable.metrics.intervals import wilson_exprs
from equitable.metrics.labels import AGGREGATE_LABEL, WHITE
from equitable.metrics.layout import (
    AllBut,
    Count,
    Derived,
    Function,
    Layout,
    Restriction,
    Share,
    disability_label,
    ethnicity_atoms,
    ethnicity_label,
    fixed,
    key,
    of,
    open_value,
    sex_label,
)
from equitable.metrics.lifecycle.comparisons import _recompute_rate
from equitable.metrics.schema import NOT_KNOWN, PREFER_NOT_TO_SAY, UNDISCLOSED
from equitable.metrics.service_users.records import (
    CHARACTERISTICS,
    COUNTS_SCHEMA,
    NOT_RECORDED,
    VALUES,
    sort_counts,
)

MINORITY_GROUPS = ("Asian", "Black", "Mixed", "Other")
_FIXED = {"ethnicity": "ethnicity", "sex": "sex", "disability": "disability"}


def attribute(characteristic: str) -> str:
    """The disclosure-control attribute of a characteristic: the workforce's own for the
    three whose universe is fixed, a service attribute for the rest (their values are not the
    workforce's disclosure statuses)."""
    return _FIXED.get(characteristic, f"service_{characteristic}")


def value_restriction(characteristic: str) -> Any:
    """Vocabulary of a profile row's `value`: the people with that value."""
    if characteristic == "ethnicity":
        return ethnicity_label
    if characteristic == "sex":
        return sex_label
    if characteristic == "disability":
        return disability_label
    name = attribute(characteristic)
    return lambda label: {name: frozenset({str(label)})}


def known_restriction(characteristic: str) -> Restriction:
    """The people whose value of the characteristic is known."""
    if characteristic == "ethnicity":
        return {"ethnicity": ethnicity_atoms("Known")}
    name = attribute(characteristic)
    if characteristic in ("sex", "disability"):
        return {name: frozenset(v for v in VALUES[characteristic] if v not in UNDISCLOSED)}
    return {name: AllBut(UNDISCLOSED)}


def _status(characteristic: Any, status: str) -> Restriction:
    c = str(characteristic)
    if status == "Known":
        return known_restriction(c)
    return {attribute(c): frozenset({status})}


def _status_of(status: str) -> Callable[[Any], Restriction]:
    return lambda characteristic: _status(characteristic, status)


SERVICE = key("service", open_value("service"))
QUARTER = key("quarter", open_value("quarter"))
_STATUS = {
    "known": "Known",
    "prefer_not_to_say": PREFER_NOT_TO_SAY,
    "not_known": NOT_KNOWN,
}


def _rate_columns(count: str, pool: str, share: str) -> tuple[Any, ...]:
    return (
        Share(share, count, pool),
        Function(f"{share}_ci_low", (share,), _recompute_rate(count, pool, 0)),
        Function(f"{share}_ci_high", (share,), _recompute_rate(count, pool, 1)),
    )


def profile_layout(characteristic: str, *, quarterly: bool = False) -> Layout:
    where = (SERVICE, QUARTER) if quarterly else (SERVICE,)
    keys = ("service", "quarter", "value") if quarterly else ("service", "value")
    return Layout(
        keys=keys,
        columns=(
            Count("count", of(*where, key("value", value_restriction(characteristic)))),
            Count("known", of(*where, fixed(known_restriction(characteristic)))),
            *_rate_columns("count", "known", "percent"),
            *(
                ()
                if quarterly
                else (Derived("difference_pp", "percent", "difference", "resident_percent"),)
            ),
        ),
        public=() if quarterly else ("resident_percent",),
    )


COMPLETENESS_LAYOUT = Layout(
    keys=("service", "characteristic"),
    columns=(
        Count("records", of(SERVICE)),
        *(
            Count(column, of(SERVICE, key("characteristic", _status_of(status))))
            for column, status in _STATUS.items()
        ),
        *_rate_columns("known", "records", "percent_known"),
    ),
)
QUARTERLY_LAYOUT = Layout(
    keys=("service", "quarter"), columns=(Count("records", of(SERVICE, QUARTER)),)
)
LAYOUTS: dict[str, Layout] = {
    **{f"profile_{c}": profile_layout(c) for c in CHARACTERISTICS},
    "completeness": COMPLETENESS_LAYOUT,
    "quarterly": QUARTERLY_LAYOUT,
    "quarterly_ethnicity": profile_layout("ethnicity", quarterly=True),
}

PROFILE_SCHEMA: dict[str, pl.DataType] = {
    "service": pl.String(),
    "value": pl.String(),
    "count": pl.Int64(),
    "known": pl.Int64(),
    "percent": pl.Float64(),
    "percent_ci_low": pl.Float64(),
    "percent_ci_high": pl.Float64(),
    "resident_percent": pl.Float64(),
    "difference_pp": pl.Float64(),
}


# --- computation ------------------------------------------------------------------------------


def _with_rate(frame: pl.DataFrame, count: str, pool: str, share: str) -> pl.DataFrame:
    low, high = wilson_exprs(pl.col(count), pl.col(pool))
    return frame.with_columns(
        pl.when(pl.col(pool) > 0).then(100 * pl.col(count) / pl.col(pool)).alias(share),
        (100 * low).alias(f"{share}_ci_low"),
        (100 * high).alias(f"{share}_ci_high"),
    )


def _grid(counts: pl.DataFrame, characteristic: str, by: list[str]) -> pl.DataFrame:
    """Every known value for every service (and quarter), zeros included: a value nobody had
    is a figure too, and the values must add up to the known."""
    mine = counts.filter(pl.col("characteristic") == characteristic)
    if characteristic == "ethnicity":
        minority = mine.filter(pl.col("value").is_in(MINORITY_GROUPS)).with_columns(
            pl.lit(AGGREGATE_LABEL).alias("value")
        )
        mine = pl.concat([mine, minority])
    totals = mine.group_by(*by, "value").agg(pl.col("count").sum())
    known_values = [v for v in VALUES[characteristic] if v not in UNDISCLOSED]
    if characteristic == "ethnicity":
        known_values.append(AGGREGATE_LABEL)
    frames = counts.filter(pl.col("characteristic") == characteristic).select(by).unique()
    grid = frames.join(pl.DataFrame({"value": known_values}), how="cross")
    known = (
        mine.filter(~pl.col("value").is_in([*UNDISCLOSED, AGGREGATE_LABEL]))
        .group_by(by)
        .agg(pl.col("count").sum().alias("known"))
    )
    order = {v: i for i, v in enumerate(known_values)}
    return (
        grid.join(totals, on=[*by, "value"], how="left")
        .join(known, on=by, how="left")
        .with_columns(
            pl.col("count").fill_null(0).cast(pl.Int64),
            pl.col("known").fill_null(0).cast(pl.Int64),
            pl.col("value").replace_strict(order, return_dtype=pl.Int32).alias("__o"),
        )
        .sort(*by, "__o")
        .drop("__o")
    )


def resident_percents(population: pl.DataFrame | None, characteristic: str) -> dict[str, float]:
    """Value → resident percent (with "Black, Asian and Multi-ethnic" as the four groups' sum)."""
    if population is None or population.is_empty():
        return {}
    rows = population.filter(pl.col("characteristic") == characteristic)
    found = {v: float(p) for v, p in rows.select("value", "percent").iter_rows() if p is not None}
    if characteristic == "ethnicity" and found:
        found[AGGREGATE_LABEL] = sum(found.get(g, 0.0) for g in MINORITY_GROUPS)
        found.setdefault(WHITE, 0.0)
    return found


def profile(
    counts: pl.DataFrame, characteristic: str, population: pl.DataFrame | None = None
) -> pl.DataFrame:
    """`profile_<characteristic>`: see the module docstring."""
    frame = _grid(counts, characteristic, ["service"])
    frame = _with_rate(frame, "count", "known", "percent")
    residents = resident_percents(population, characteristic)
    values = list(residents)
    frame = frame.with_columns(
        pl.col("value")
        .replace_strict(
            values, [residents[v] for v in values], default=None, return_dtype=pl.Float64
        )
        .alias("resident_percent")
        if values
        else pl.lit(None, dtype=pl.Float64).alias("resident_percent")
    ).with_columns((pl.col("percent") - pl.col("resident_percent")).alias("difference_pp"))
    return frame.select(list(PROFILE_SCHEMA)).cast(PROFILE_SCHEMA)  # type: ignore[arg-type]


def completeness(counts: pl.DataFrame) -> pl.DataFrame:
    """`completeness`: see the module docstring."""
    per = counts.group_by("service", "characteristic").agg(
        pl.col("count").sum().alias("records"),
        pl.col("count").filter(~pl.col("value").is_in(UNDISCLOSED)).sum().alias("known"),
        pl.col("count")
        .filter(pl.col("value") == PREFER_NOT_TO_SAY)
        .sum()
        .alias("prefer_not_to_say"),
        pl.col("count").filter(pl.col("value") == NOT_KNOWN).sum().alias("not_known"),
    )
    order = {c: i for i, c in enumerate(CHARACTERISTICS)}
    per = (
        per.with_columns(
            pl.col("records", "known", "prefer_not_to_say", "not_known").cast(pl.Int64),
            pl.col("characteristic").replace_strict(order, return_dtype=pl.Int32).alias("__o"),
        )
        .sort("service", "__o")
        .drop("__o")
    )
    return _with_rate(per, "known", "records", "percent_known")


def quarterly(counts: pl.DataFrame) -> pl.DataFrame:
    """`quarterly`: records per service and quarter (any one characteristic counts every
    record once, so the first the extract holds is used)."""
    if counts.is_empty():
        return pl.DataFrame(
            schema={"service": pl.String, "quarter": pl.String, "records": pl.Int64}
        )
    first = next(c for c in CHARACTERISTICS if c in set(counts["characteristic"].to_list()))
    return (
        counts.filter(pl.col("characteristic") == first)
        .group_by("service", "quarter")
        .agg(pl.col("count").sum().cast(pl.Int64).alias("records"))
        .with_columns((pl.col("quarter") == NOT_RECORDED).alias("__q"))
        .sort("service", "__q", "quarter")
        .drop("__q")
    )


def quarterly_ethnicity(counts: pl.DataFrame) -> pl.DataFrame:
    frame = _grid(counts, "ethnicity", ["service", "quarter"])
    frame = (
        frame.with_columns((pl.col("quarter") == NOT_RECORDED).alias("__q"))
        .sort("service", "__q", "quarter", maintain_order=True)
        .drop("__q")
    )
    return _with_rate(frame, "count", "known", "percent")


def service_tables(
    counts: pl.DataFrame, population: pl.DataFrame | None = None
) -> dict[str, pl.DataFrame]:
    """Every table of the module docstring, exact (for people with access to personal
    records); only the characteristics the counts hold get a profile."""
    counts = sort_counts(counts.select(list(COUNTS_SCHEMA)))
    held = [c for c in CHARACTERISTICS if c in set(counts["characteristic"].to_list())]
    tables = {f"profile_{c}": profile(counts, c, population) for c in held}
    tables["completeness"] = completeness(counts)
    tables["quarterly"] = quarterly(counts)
    if "ethnicity" in held:
        tables["quarterly_ethnicity"] = quarterly_ethnicity(counts)
    return tables


def protected_tables(
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = disclosure_control.DEFAULT_THRESHOLD,
    round_to: int | None = None,
) -> dict[str, pl.DataFrame]:
    """The tables as anyone without access to personal records may see them: one `protect`
    call over all of them with the declared LAYOUTS."""
    return disclosure_control.protect(
        dict(tables), layouts=LAYOUTS, threshold=threshold, round_to=round_to
    )


__all__ = [
    "LAYOUTS",
    "completeness",
    "profile",
    "protected_tables",
    "quarterly",
    "quarterly_ethnicity",
    "service_tables",
]
