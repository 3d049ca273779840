"""Disclosure rates: the share of staff whose value of a characteristic is known.

    percent_known = people with a recorded value (not "Prefer not to say", not "Not known" or
                    blank) / everyone × 100

The ethnicity pay reporting guidance asks employers to report the share who did not disclose
("prefer not to say" or no response) beside the gaps
(https://www.gov.uk/government/publications/ethnicity-pay-reporting-guidance-for-employers);
"Prefer not to say" and "Not known" are given separately so both can be acted on.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from equitable.metrics.labels import NOT_KNOWN, PREFER_NOT_TO_SAY
from equitable.metrics.layout import (
    Count,
    Layout,
    Part,
    Share,
    disclosure_status,
    key,
    of,
    open_value,
)
from equitable.metrics.prepared import Coded, percent

CHARACTERISTICS = ("ethnicity", "sex", "disability", "sexual_orientation", "religion")

_SCHEMA = {
    "characteristic": pl.String(),
    "known": pl.Int64(),
    "prefer_not_to_say": pl.Int64(),
    "not_known": pl.Int64(),
    "total": pl.Int64(),
    "percent_known": pl.Float64(),
}


def _row(characteristic: str, status_counts: np.ndarray) -> dict:
    known, prefer_not, not_known = (int(c) for c in status_counts[:3])
    total = known + prefer_not + not_known
    return {
        "characteristic": characteristic,
        "known": known,
        "prefer_not_to_say": prefer_not,
        "not_known": not_known,
        "total": total,
        "percent_known": percent(known, total),
    }


def _combined(status: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray]:
    """All characteristics' statuses as one base-3 code per person (one counting pass)."""
    names = [name for name in CHARACTERISTICS if name in status]
    combined = np.zeros(len(next(iter(status.values()))) if status else 0, dtype=np.int32)
    for power, name in enumerate(names):
        combined += status[name].astype(np.int32) * 3**power
    return names, combined


def _marginals(names: list[str], counts: np.ndarray) -> dict[str, np.ndarray]:
    """Counts per combined code -> (known, prefer not, not known) counts per characteristic."""
    codes = np.arange(len(counts))
    return {
        name: np.bincount((codes // 3**power) % 3, weights=counts, minlength=3).astype(np.int64)
        for power, name in enumerate(names)
    }


def overall(status: dict[str, np.ndarray]) -> pl.DataFrame:
    """One row per characteristic present, in a fixed order."""
    names, combined = _combined(status)
    counts = np.bincount(combined, minlength=3 ** len(names))
    rows = [_row(name, c) for name, c in _marginals(names, counts).items()]
    return pl.DataFrame(rows, schema=_SCHEMA) if rows else pl.DataFrame(schema=_SCHEMA)


def by_dimension(dimension: str, values: Coded, status: dict[str, np.ndarray]) -> pl.DataFrame:
    """Rows per (dimension value, characteristic), dimension in display order."""
    names, combined = _combined(status)
    width = 3 ** len(names)
    cells = values.codes.astype(np.int32, copy=False) * width + combined
    counts = np.bincount(cells, minlength=values.size * width).reshape(values.size, width)
    rows = [
        {dimension: label} | _row(name, c)
        for code, label in values.in_display_order()
        for name, c in _marginals(names, counts[code]).items()
    ]
    schema = {dimension: pl.String()} | _SCHEMA
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def disclosure_layout(dimension: str | None = None) -> Layout:
    """Per row: of everyone (within the dimension's value), how many have the characteristic
    recorded, said they prefer not to say, or are not known; `total` is everyone."""
    where: list[Part] = [key(dimension, open_value(dimension))] if dimension else []
    columns = [
        Count(column, of(*where, key("characteristic", disclosure_status(state))))
        for column, state in (
            ("known", "Known"),
            ("prefer_not_to_say", PREFER_NOT_TO_SAY),
            ("not_known", NOT_KNOWN),
        )
    ]
    return Layout(
        keys=(*(d for d in (dimension,) if d), "characteristic"),
        columns=(*columns, Count("total", of(*where)), Share("percent_known", "known", "total")),
    )
