"""What earlier publications of the same snapshot withheld, as populations for
`release_tables(withhold=...)`.

Why: a correction (or the open-data release after the report) is a second publication of
nearly the same people. If it showed a count the first withheld, the first's withholding
would have been for nothing. So every count withheld in a published table is read back as
its population (the layout's `Count` population of that row) and withheld again, and protected
as small counts are, in whatever is published next for that snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import polars as pl

from equitable.metrics.disclosure_control import layouts_for
from equitable.metrics.layout import Layout, Restriction


def withheld_populations(
    published: Iterable[Mapping[str, pl.DataFrame]],
    layouts: Mapping[str, Layout] | None = None,
) -> list[Restriction]:
    """The population of every count withheld (null) in any of the published table sets,
    each once. A table without a layout is refused (LayoutError), as `protect` refuses it."""
    found: list[Restriction] = []
    seen: set[tuple] = set()
    for tables in published:
        declared = layouts_for(tables, layouts)
        for name, frame in tables.items():
            layout = declared[name]
            if layout.mentions:
                continue  # the notes table prints its counts through sentences, never alone
            counts = [c for c in layout.counts if c.column in frame.columns]
            for row in frame.iter_rows(named=True):
                for count in counts:
                    if row[count.column] is not None:
                        continue
                    restriction = count.population.of_row(row)
                    signature = _signature(restriction)
                    if signature not in seen:
                        seen.add(signature)
                        found.append(restriction)
    return found


def _signature(restriction: Restriction) -> tuple:
    return tuple(
        sorted((k, tuple(sorted(map(str, v))), type(v).__name__) for k, v in restriction.items())
    )


def all_withheld(known: Iterable[Restriction], withheld: Iterable[Restriction]) -> bool:
    """Whether every population in `known` is among `withheld` (a release that withholds
    everything an earlier one withheld needs nothing forced)."""
    have = {_signature(r) for r in withheld}
    return all(_signature(r) in have for r in known)
