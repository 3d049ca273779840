"""Hand-built workforce frames in the shape of the ingestion contract.

Every contract column is present; the ones a test does not give are all-null, as ingestion leaves
the columns a source file lacked. `ethnic_group` and `white_british` are derived from `ethnicity`
as ingestion derives them, unless the test gives them.
"""

from __future__ import annotations

import polars as pl

from equitable.metrics.labels import ETHNICITY_TO_GROUP, UNKNOWN_GROUP

WHITE_BRITISH_NAME = "English, Welsh, Scottish, Northern Irish or British"

CONTRACT: dict[str, pl.DataType] = {
    "employee_key": pl.String(),
    "ethnicity": pl.String(),
    "ethnic_group": pl.String(),
    "white_british": pl.Boolean(),
    "sex": pl.String(),
    "disability": pl.String(),
    "sexual_orientation": pl.String(),
    "religion": pl.String(),
    "pay_band": pl.String(),
    "grade": pl.String(),
    "directorate": pl.String(),
    "division": pl.String(),
    "leadership_tier": pl.String(),
    "contract_type": pl.String(),
    "fte": pl.Float64(),
    "weekly_hours": pl.Float64(),
    "hourly_pay": pl.Float64(),
    "annual_salary": pl.Float64(),
    "bonus_pay": pl.Float64(),
    "age": pl.Int32(),
    "start_date": pl.Date(),
}

# One representative detailed name per short group, for tests that think in groups.
NAME_OF_GROUP = {
    "Asian": "Indian",
    "Black": "African",
    "Mixed": "White and Asian",
    "White": "Irish",
    "White British": WHITE_BRITISH_NAME,
    "Other": "Arab",
    "Unknown": "Prefer not to say",
}


def workforce(**columns: list) -> pl.DataFrame:
    """A contract frame from column lists (all the same length)."""
    lengths = {len(values) for values in columns.values()}
    assert len(lengths) <= 1, f"columns of different lengths: {lengths}"
    n = lengths.pop() if lengths else 0
    if "ethnicity" in columns:
        ethnicity = columns["ethnicity"]
        groups = [ETHNICITY_TO_GROUP.get(e, UNKNOWN_GROUP) for e in ethnicity]
        columns.setdefault("ethnic_group", groups)
        columns.setdefault(
            "white_british",
            [
                None if g == UNKNOWN_GROUP else e == WHITE_BRITISH_NAME
                for e, g in zip(ethnicity, groups, strict=True)
            ],
        )
    columns.setdefault("employee_key", [f"k{i}" for i in range(n)])
    data = {name: columns.get(name, [None] * n) for name in CONTRACT}
    return pl.DataFrame(data, schema=CONTRACT)


def by_group(groups: list[str], **columns: list) -> pl.DataFrame:
    """A frame from short group names ("Asian", "White British", "Unknown"...)."""
    return workforce(ethnicity=[NAME_OF_GROUP[g] for g in groups], **columns)


def present(frame: pl.DataFrame) -> set[str]:
    """The columns a test gave values for (what ingestion would report as present)."""
    return {name for name in frame.columns if frame[name].null_count() < frame.height}
