"""Snapshots for the EqIA evidence tests, built the way a council's extract becomes one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from equitable.metrics.extract import _keyed_hashes, validate_extract

ID_KEY = b"eqia-test-key-0123456789abcdef!!"
SNAPSHOT_DATE = date(2025, 3, 31)
COLUMNS = ("employee_id", "ethnicity", "sex", "disability", "directorate", "pay_band", "age")


def snapshot(rows: Sequence[Sequence[str]]) -> pl.DataFrame:
    """A validated snapshot of `rows` (text cells in COLUMNS order), ids hashed with ID_KEY."""
    raw = pl.DataFrame([list(r) for r in rows], schema=list(COLUMNS), orient="row")
    result = validate_extract(raw, snapshot_date=SNAPSHOT_DATE, id_key=ID_KEY)
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.frame is not None
    return result.frame


def keys(ids: Sequence[str]) -> list[str]:
    """The keyed hashes of employee ids, as the snapshot stores them."""
    hashed = _keyed_hashes(pl.Series(list(ids), dtype=pl.String), ID_KEY)
    assert hashed is not None
    return hashed.to_list()
