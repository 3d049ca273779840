"""The one way a lifecycle family's tables become fit for anyone without personal access.

Pages, downloads, the API and `equitable lifecycle --published` all call `protect_family`, so
they publish the same numbers. It takes the family module's `published_scope` (the rows that
are published at all: fewer stages and breakdowns than the exact tables hold, because
disclosure control's cost grows faster than the number of cells) and runs
`disclosure_control.protect` over all of them together, with the module's declared `LAYOUTS`.

A module that sets `PERIODS_INDEPENDENT` (no table sums over periods) is protected one period at
a time: no sum ties two periods, so each period's withheld cells can only be recovered from
that period's figures, and protecting them apart gives the same guarantee at a fraction of the
cost (the linear programmes shrink with the period). Pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType

import polars as pl

from equitable.metrics import disclosure_control
from equitable.metrics.layout import Restriction


def published_scope(
    module: ModuleType, tables: Mapping[str, pl.DataFrame]
) -> dict[str, pl.DataFrame]:
    scope = getattr(module, "published_scope", None)
    return dict(scope(tables) if scope is not None else tables)


def protect_family(
    module: ModuleType,
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = disclosure_control.DEFAULT_THRESHOLD,
    round_to: int | None = None,
    withhold: Iterable[Restriction] = (),
) -> dict[str, pl.DataFrame]:
    """Every published table of one family, protected together (per period where the family
    says its periods share no sums)."""
    scoped = published_scope(module, tables)
    if not scoped:
        return {}
    withheld = list(withhold)

    def protect(part: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
        return disclosure_control.protect(
            part, layouts=module.LAYOUTS, threshold=threshold, round_to=round_to, withhold=withheld
        )

    by_period = getattr(module, "PERIODS_INDEPENDENT", False) and all(
        "period" in table.columns for table in scoped.values()
    )
    if not by_period:
        return protect(scoped)
    periods = sorted({p for table in scoped.values() for p in table["period"].unique().to_list()})
    parts = [
        protect({name: table.filter(pl.col("period") == period) for name, table in scoped.items()})
        for period in periods
    ]
    return {
        name: pl.concat([part[name] for part in parts]) if parts else scoped[name]
        for name in scoped
    }
