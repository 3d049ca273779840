"""Lists of employee ids uploaded for an EqIA (the people in scope, the people affected), read
and hashed so they link to a stored snapshot.

A list is one column of the council's own employee ids, as in its HR extract; an optional
first-row header (`employee_id` or one of its aliases, "Employee number") is skipped. Ids are
stripped, as the extract's are, and hashed with the organisation's id key
(`extract._keyed_hashes`, HMAC-SHA256 truncated to 128 bits), so a list matches the snapshot's
`employee_key` and no id is kept. Pure module: no Django.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from equitable.metrics.extract import _keyed_hashes
from equitable.metrics.reading import header_key
from equitable.metrics.schema import CANONICAL_COLUMNS

_ID_HEADERS = frozenset(
    header_key(name)
    for name in ("employee_id", "employee_key", *CANONICAL_COLUMNS["employee_id"].aliases)
)


@dataclass
class IdList:
    """The ids read, and every problem with its row (nothing is usable unless there are none)."""

    ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_id_list(data: bytes, name: str = "the list") -> IdList:
    """The ids of a one-column CSV (UTF-8 with or without a byte order mark, else
    Windows-1252). Blank rows are skipped; a row with more than one value, or with its value
    outside the first column, is a problem naming its row; a list with no ids is one too."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    found = IdList()
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        found.problems.append(f"{name}: not a CSV file ({error})")
        return found
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        if len(filled) > 1 or not cells[0]:
            found.problems.append(
                f"{name}: row {number}: {len(filled)} values in columns "
                f"{', '.join(str(i + 1) for i, c in enumerate(cells) if c)}; the list must be "
                "one column of employee ids"
            )
            continue
        if number == 1 and header_key(filled[0]) in _ID_HEADERS:
            continue
        found.ids.append(filled[0])
    if not found.ids and not found.problems:
        found.problems.append(f"{name}: holds no employee ids")
    return found


def hash_ids(ids: Sequence[str], id_key: bytes) -> list[str]:
    """The keyed hashes of `ids`, as a snapshot stores its `employee_key`."""
    hashes = _keyed_hashes(pl.Series("employee_id", list(ids), dtype=pl.String), id_key)
    assert hashes is not None  # only a stop event makes it None
    return [h for h in hashes.to_list() if h is not None]
