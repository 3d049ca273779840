"""Quality measures of an EqIA register (seed 003's "Quality Assurance of EqIAs"; the CELC
Standard's 1.2 and 4.2 ask for evidence that equality analysis shapes decisions).

Input: one row per assessment, columns

    decision_date      Date  the date the decision is (or was) taken; null when not set
    screened_on        Date  the date the screening was completed; null when not screened
    signed_off_on      Date  the date of sign-off; null when not signed off
    characteristics    Int   characteristics the assessment answers at its latest stage
    with_evidence      Int   of which have their evidence recorded

and the date `on` the measures are taken. Three measures, each a share with its Wilson 95 %
interval (`equitable.metrics.intervals.wilson_interval`):

* screened before the decision = #(screened_on ≤ decision_date) / #(decision_date ≤ on):
  of the decisions already taken, how many were screened in time;
* evidence for every characteristic = #(characteristics > 0 and with_evidence =
  characteristics) / #(screened_on not null): of the assessments screened, how many give
  evidence for each characteristic;
* signed off on time = #(signed_off_on ≤ decision_date) / #(decision_date ≤ on).

percent = 100 × numerator / denominator; ci_low / ci_high = 100 × the Wilson interval; all
three null when the denominator is 0. Counts of assessments, not of people: nothing here needs
disclosure control. Pure module (polars, no Django).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.metrics.intervals import wilson_interval

INPUT_SCHEMA = {
    "decision_date": pl.Date(),
    "screened_on": pl.Date(),
    "signed_off_on": pl.Date(),
    "characteristics": pl.Int64(),
    "with_evidence": pl.Int64(),
}
OUTPUT_SCHEMA = {
    "measure": pl.String(),
    "label": pl.String(),
    "numerator": pl.Int64(),
    "denominator": pl.Int64(),
    "percent": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
}
LABELS = {
    "screened_before_decision": "Screened before the decision",
    "evidence_for_every_characteristic": "Evidence for every characteristic",
    "signed_off_on_time": "Signed off by the decision date",
}


def _row(measure: str, numerator: int, denominator: int) -> dict:
    interval = wilson_interval(numerator, denominator)
    return {
        "measure": measure,
        "label": LABELS[measure],
        "numerator": numerator,
        "denominator": denominator,
        "percent": 100 * numerator / denominator if denominator else None,
        "ci_low": 100 * interval[0] if interval else None,
        "ci_high": 100 * interval[1] if interval else None,
    }


def quality_measures(register: pl.DataFrame, on: date) -> pl.DataFrame:
    """The three measures over the register (columns as in the module docstring)."""
    missing = [c for c in INPUT_SCHEMA if c not in register.columns]
    if missing:
        raise ValueError(f"The register lacks the column(s) {', '.join(missing)}")
    frame = register.select(pl.col(c).cast(t) for c, t in INPUT_SCHEMA.items())
    decided = frame.filter(pl.col("decision_date") <= on)
    screened_in_time = decided.filter(pl.col("screened_on") <= pl.col("decision_date")).height
    signed_in_time = decided.filter(pl.col("signed_off_on") <= pl.col("decision_date")).height
    screened = frame.filter(pl.col("screened_on").is_not_null())
    complete = screened.filter(
        (pl.col("characteristics") > 0) & (pl.col("with_evidence") == pl.col("characteristics"))
    ).height
    rows = [
        _row("screened_before_decision", screened_in_time, decided.height),
        _row("evidence_for_every_characteristic", complete, screened.height),
        _row("signed_off_on_time", signed_in_time, decided.height),
    ]
    return pl.DataFrame(rows, schema=OUTPUT_SCHEMA)
