"""A council's mentoring schemes as counts for the Standard's 2c.1 ("inclusive mentoring and
reverse mentoring programmes ... with a matching scheme"), protected for every reader.

Two tables, one `protect` call: `mentoring_people` (people taking part now, by kind of scheme
and role) and `mentoring_pairs` (pairs by kind of scheme and status). Only counts: no name, no
characteristic, nothing from the sealed personal store. Pure library: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from equitable.metrics.disclosure_control import protect
from equitable.metrics.layout import Count, Layout, key, of, open_value

KINDS = ("mentoring", "reverse")
ROLES = ("mentee", "mentor")
STATUSES = ("proposed", "confirmed", "ended")
_KIND = key("kind", open_value("mentoring scheme kind"))
LAYOUTS = {
    "mentoring_people": Layout(
        keys=("kind", "role"),
        columns=(Count("count", of(_KIND, key("role", open_value("mentoring role")))),),
    ),
    "mentoring_pairs": Layout(
        keys=("kind", "status"),
        columns=(Count("count", of(_KIND, key("status", open_value("mentoring pair")))),),
    ),
}


def evidence_tables(
    people: Mapping[tuple[str, str], int], pairs: Mapping[tuple[str, str], int]
) -> dict[str, pl.DataFrame]:
    """Every (kind, role) and (kind, status) for the kinds the council runs, zeros included."""
    kinds = sorted({k for k, _ in people} | {k for k, _ in pairs}, key=KINDS.index)
    return {
        "mentoring_people": pl.DataFrame(
            [
                {"kind": k, "role": r, "count": int(people.get((k, r), 0))}
                for k in kinds
                for r in ROLES
            ],
            schema={"kind": pl.String, "role": pl.String, "count": pl.Int64},
        ),
        "mentoring_pairs": pl.DataFrame(
            [
                {"kind": k, "status": s, "count": int(pairs.get((k, s), 0))}
                for k in kinds
                for s in STATUSES
            ],
            schema={"kind": pl.String, "status": pl.String, "count": pl.Int64},
        ),
    }


def protected_evidence(
    tables: Mapping[str, pl.DataFrame], *, threshold: int, round_to: int | None
) -> dict[str, pl.DataFrame]:
    return protect(dict(tables), threshold=threshold, round_to=round_to, layouts=LAYOUTS)
