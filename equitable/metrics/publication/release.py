"""The release step for published reports and open data (STUB).

The contract (docs/publishing.md): `release_tables` takes the exact tables of one snapshot and
returns what may be published, with a sentence per table on what the protection costs in
accuracy and a paragraph for the method note. The real library (perturbation drawn once per
snapshot from `key`, the across-years defence) replaces this file; until then it is
`disclosure_control.protect` with the same arguments, so every publication is at least as
protected as the pages are.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from equitable.metrics import disclosure_control
from equitable.metrics.layout import Layout, Restriction

KEY_BYTES = 32


@dataclass(frozen=True)
class Release:
    tables: dict[str, pl.DataFrame]  # what may be published: same columns as protect()'s output
    accuracy: dict[str, str]  # per table: one plain sentence on what the defence costs
    method: str  # a paragraph for the publication's notes: how figures were protected


def release_tables(
    tables: Mapping[str, pl.DataFrame],
    *,
    key: bytes,
    layouts: Mapping[str, Layout] | None = None,
    threshold: int = 10,
    round_to: int | None = None,
    withhold: Iterable[Restriction] = (),
) -> Release:
    """What of `tables` may be published (STUB: threshold and secondary suppression only)."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"the release key must be {KEY_BYTES} bytes, not {len(key)}")
    published = disclosure_control.protect(
        tables, threshold=threshold, round_to=round_to, layouts=layouts, withhold=withhold
    )
    return Release(
        tables=published,
        accuracy={name: "" for name in published},
        method=(
            f"Counts of fewer than {threshold} people are withheld, with other figures withheld "
            "where they would let a withheld count be worked out by subtraction."
        ),
    )


def new_release_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)
