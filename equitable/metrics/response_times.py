"""Response times of the Dignity at Work channel, by quarter of receipt, against targets.

Pure module (polars, no Django): a frame of reports in, a frame of quarters out.

Input, one row per report (`REPORT_SCHEMA`):
* `received`: the Monday of the week the report was received;
* `first_response`: the Monday of the week of the team's first reply to the reporter, or null;
* `closed`: the Monday of the week the case was closed, or null.

The channel keeps only weeks, never days (docs/incidents.md: a date finer than the week would
help identify a reporter), so every time here is a whole number of weeks, given in days
(0, 7, 14 …). A reply in the week of receipt takes 0 days. Times are therefore exact to the
week, and each can be up to 6 days longer or shorter than the real one.

Targets. The first-response target is in working days (`first_response_working_days`, n), the
closing target in calendar days (`close_days`). A working-day target counted from the Monday
of receipt ends on day

    target_days = 7 × (n // 5) + (n mod 5)

(5 working days: the next Monday, day 7; 10: day 14; 3: the Wednesday, day 3). This is the
same date as the report's first-response due date in the app (`dates.add_working_days` from
the Monday). A response is **within target** when its time in days is at most the target:

    within = elapsed ≤ target_days

so with 5 working days a reply in the week of receipt or the week after is within target.

Reports still waiting. A report with no reply yet is **late** once even a reply this week
(the week of `on`) would miss the target: `(week_of(on) − received) > target_days`. Reports
still waiting and not yet late are left out of the share (nobody knows yet whether they will
be on time). So for each measure (first response, close), per quarter of receipt:

    decided   = answered + late and still waiting
    within    = answered within target
    share     = 100 × within / decided                     (null when decided = 0)
    low, high = Wilson score interval, 95 % (z = 1.959964), in percent
    median    = median of elapsed days over the answered reports (null when none)

Wilson (1927): for x within of n decided, p = x/n,
    centre = (p + z²/2n) / (1 + z²/n),  half = z √(p(1−p)/n + z²/4n²) / (1 + z²/n).
It is used rather than p ± z√(p(1−p)/n) because the counts are small (a council receives tens
of reports a quarter) and shares near 0 % or 100 % are common: the simple interval then has no
width or leaves 0–100 %.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from equitable.metrics import intervals
from equitable.metrics.quarters import dashed_expr

Z_95 = intervals.Z_95

REPORT_SCHEMA = {"received": pl.Date, "first_response": pl.Date, "closed": pl.Date}

OUTPUT_SCHEMA = {
    "quarter": pl.String,
    "received": pl.Int64,
    "first_response_answered": pl.Int64,
    "first_response_waiting": pl.Int64,
    "first_response_late_waiting": pl.Int64,
    "first_response_decided": pl.Int64,
    "first_response_within": pl.Int64,
    "first_response_share": pl.Float64,
    "first_response_low": pl.Float64,
    "first_response_high": pl.Float64,
    "first_response_median_days": pl.Float64,
    "close_answered": pl.Int64,
    "close_waiting": pl.Int64,
    "close_late_waiting": pl.Int64,
    "close_decided": pl.Int64,
    "close_within": pl.Int64,
    "close_share": pl.Float64,
    "close_low": pl.Float64,
    "close_high": pl.Float64,
    "close_median_days": pl.Float64,
}


def working_days_target(working_days: int) -> int:
    """Calendar days from a Monday to the end of `working_days` working days after it."""
    if working_days < 0:
        raise ValueError("A target cannot be negative")
    return 7 * (working_days // 5) + working_days % 5


def wilson_interval(within: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for within/total, in percent; None when total is 0 (the formula
    lives in `equitable.metrics.intervals`)."""
    interval = intervals.wilson_interval(within, total, z)
    if interval is None:
        return None
    return (100 * interval[0], 100 * interval[1])


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _measure(reports: pl.DataFrame, column: str, target_days: int, this_week: date) -> pl.DataFrame:
    elapsed = (pl.col(column) - pl.col("received")).dt.total_days()
    waiting = pl.col(column).is_null()
    late_waiting = waiting & (
        (pl.lit(this_week) - pl.col("received")).dt.total_days() > target_days
    )
    prefix = "first_response" if column == "first_response" else "close"
    return reports.group_by("quarter").agg(
        (~waiting).sum().cast(pl.Int64).alias(f"{prefix}_answered"),
        waiting.sum().cast(pl.Int64).alias(f"{prefix}_waiting"),
        late_waiting.sum().cast(pl.Int64).alias(f"{prefix}_late_waiting"),
        (elapsed <= target_days).fill_null(False).sum().cast(pl.Int64).alias(f"{prefix}_within"),
        elapsed.median().cast(pl.Float64).alias(f"{prefix}_median_days"),
    )


def response_times(
    reports: pl.DataFrame,
    *,
    on: date,
    first_response_working_days: int,
    close_days: int,
) -> pl.DataFrame:
    """Per quarter of receipt (oldest first): counts, share within target with its Wilson
    interval, and median days, for the first response and for closing (see the module)."""
    if close_days < 0:
        raise ValueError("A target cannot be negative")
    missing = set(REPORT_SCHEMA) - set(reports.columns)
    if missing:
        raise ValueError(f"Missing columns: {', '.join(sorted(missing))}")
    frame = reports.select(
        [pl.col(name).cast(dtype) for name, dtype in REPORT_SCHEMA.items()]
    ).with_columns(dashed_expr(pl.col("received")).alias("quarter"))
    if frame.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    this_week = _week_of(on)
    counts = frame.group_by("quarter").agg(pl.len().cast(pl.Int64).alias("received"))
    first = _measure(
        frame, "first_response", working_days_target(first_response_working_days), this_week
    )
    close = _measure(frame, "closed", close_days, this_week)
    table = (
        counts.join(first, on="quarter", how="left")
        .join(close, on="quarter", how="left")
        .with_columns(
            (pl.col("first_response_answered") + pl.col("first_response_late_waiting")).alias(
                "first_response_decided"
            ),
            (pl.col("close_answered") + pl.col("close_late_waiting")).alias("close_decided"),
        )
        .sort("quarter")
    )
    rows = []
    for row in table.iter_rows(named=True):
        for prefix in ("first_response", "close"):
            decided, within = row[f"{prefix}_decided"], row[f"{prefix}_within"]
            interval = wilson_interval(within, decided)
            row[f"{prefix}_share"] = 100 * within / decided if decided else None
            row[f"{prefix}_low"], row[f"{prefix}_high"] = interval or (None, None)
        rows.append(row)
    return pl.DataFrame(rows, schema=OUTPUT_SCHEMA).select(list(OUTPUT_SCHEMA))
