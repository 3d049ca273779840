"""An intruder who reads only the published survey tables of one question, combining every
filter a user can reach: overall, by ethnic group, by sex, by directorate, by pay band, and
the cross-tabs directorate x ethnic group, directorate x sex, pay band x ethnic group, pay band
x sex and ethnic group x sex.

It never looks at the project's layouts: it knows what the rows mean (a group is the sum of
its detailed categories, "Black, Asian and Multi-ethnic" of the four groups other than White,
every breakdown adds up to the whole, each cross-tab's rows and columns add up to its margins,
a category a table leaves out is 0) and writes down those sums over the respondents, then
solves linear programmes with `equitable.metrics.attack` for every withheld count.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import polars as pl

from equitable.metrics import attack
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    SEX_VALUES,
    UNDISCLOSED,
    UNKNOWN_GROUP,
)

MINORITIES = tuple(g for g in ETHNIC_GROUPS if g != "White")
TABLE_DIMS = {
    "results_overall": (),
    "results_by_ethnic_group": ("eth",),
    "results_by_sex": ("sex",),
    "results_by_directorate": ("dir",),
    "results_by_pay_band": ("band",),
    "results_by_ethnicity_and_sex": ("eth", "sex"),
    "results_by_directorate_and_ethnic_group": ("dir", "eth"),
    "results_by_directorate_and_sex": ("dir", "sex"),
    "results_by_pay_band_and_ethnic_group": ("band", "eth"),
    "results_by_pay_band_and_sex": ("band", "sex"),
}
COLUMN = {"eth": "ethnic_group", "sex": "sex", "dir": "directorate", "band": "pay_band"}
DETAILED = tuple(v for v in ETHNICITY_VALUES if v not in UNDISCLOSED)
Cell = tuple  # sorted ((dimension, label), ...)


def cell(**labels: str) -> Cell:
    return tuple(sorted(labels.items()))


@dataclass
class View:
    """What the published tables of one question say."""

    values: dict[Hashable, float | None] = field(default_factory=dict)
    sums: list[tuple[Hashable, Sequence[Hashable]]] = field(default_factory=list)
    withheld: set[Hashable] = field(default_factory=set)
    # Withheld rows whose why_withheld says "fewer than N respondents" and nothing else.
    said_small: set[Hashable] = field(default_factory=set)

    def known(self, c: Cell, value: float | None) -> None:
        if value is None:
            self.values.setdefault(c, None)
        else:
            self.values[c] = float(value)

    def add(self, total: Cell, parts: list[Cell]) -> None:
        for c in (total, *parts):
            self.values.setdefault(c, None)
        self.sums.append((total, parts))


def read(published: Mapping[str, pl.DataFrame], question: str) -> View:
    view = View()
    directorates: set[str] = set()
    bands: set[str] = set()
    rows: dict[str, list[dict]] = {}
    for name, dims in TABLE_DIMS.items():
        frame = published.get(name)
        if frame is None:
            continue
        rows[name] = frame.filter(pl.col("question") == question).to_dicts()
        for row in rows[name]:
            if "dir" in dims:
                directorates.add(row["directorate"])
            if "band" in dims:
                bands.add(row["pay_band"])
    eth_labels = {
        "results_by_ethnic_group": (*ETHNIC_GROUPS, AGGREGATE_LABEL, *ETHNICITY_VALUES),
    }
    cross = (*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP)
    universe = {"sex": SEX_VALUES, "dir": tuple(sorted(directorates)), "band": tuple(sorted(bands))}
    for name, dims in TABLE_DIMS.items():
        if name not in rows:
            continue
        # Every label the reader knows the table could hold: one left out is 0.
        combos: list[dict[str, str]] = [{}]
        for d in dims:
            labels = eth_labels.get(name, cross) if d == "eth" else universe[d]
            combos = [{**c, d: label} for c in combos for label in labels]
        for combo in combos:
            view.values.setdefault(cell(**combo), 0.0)
        for row in rows[name]:
            c = cell(**{d: row[COLUMN[d]] for d in dims})
            view.values[c] = None if row["respondents"] is None else float(row["respondents"])
            if row["respondents"] is None:
                view.withheld.add(c)
                reason = row.get("why_withheld") or ""
                if reason.startswith("fewer than") and " or " not in reason:
                    view.said_small.add(c)
    # The sums.
    view.add(cell(), [cell(eth=g) for g in (*ETHNIC_GROUPS, UNKNOWN_GROUP)])
    view.add(cell(eth=AGGREGATE_LABEL), [cell(eth=g) for g in MINORITIES])
    for g in ETHNIC_GROUPS:
        view.add(cell(eth=g), [cell(eth=v) for v in DETAILED if ETHNICITY_TO_GROUP[v] == g])
    view.add(cell(eth=UNKNOWN_GROUP), [cell(eth=v) for v in UNDISCLOSED])
    contexts: list[dict[str, str]] = [{}]
    contexts += [{"sex": s} for s in SEX_VALUES]
    contexts += [{"dir": d} for d in universe["dir"]]
    contexts += [{"band": b} for b in universe["band"]]
    for ctx in contexts:
        if ctx:
            # groups to the context's total, minorities to the aggregate
            view.add(cell(**ctx), [cell(**ctx, eth=g) for g in (*ETHNIC_GROUPS, UNKNOWN_GROUP)])
            view.add(cell(**ctx, eth=AGGREGATE_LABEL), [cell(**ctx, eth=g) for g in MINORITIES])
        if "sex" not in ctx:
            extras: list[dict[str, str]] = [{}]
            if not ctx:
                extras += [{"eth": g} for g in cross]
            for extra in extras:
                base = {**ctx, **extra}
                view.add(cell(**base), [cell(**base, sex=s) for s in SEX_VALUES])
    for dim in ("dir", "band"):
        if not universe[dim]:
            continue
        others: list[dict[str, str]] = [{}, *({"eth": g} for g in cross)]
        for extra in [*others, *({"sex": s} for s in SEX_VALUES)]:
            view.add(cell(**extra), [cell(**extra, **{dim: v}) for v in universe[dim]])
    # Only sums whose cells some table prints (or knows to be 0) are known to hold; every
    # name used is in `values` (unknown ones as None).
    return view


def ranges(view: View, *, use_reasons: bool = False, threshold: int = 10) -> dict:
    """(low, high) of every withheld count given everything published (with `use_reasons`,
    also that a row said "fewer than N" holds at most N - 1)."""
    programme = attack.Programme(view.values, view.sums)
    if use_reasons:
        for c in view.said_small:
            programme.bounds[programme.column[c]] = (0.0, float(threshold - 1))
    return {c: programme.range(c) for c in view.withheld}


def remainders(view: View) -> list[tuple[tuple, float]]:
    """Each sum with every number but withheld ones printed: the aggregate of its withheld
    parts (or total) that subtraction isolates, and its value."""
    found: list[tuple[tuple, float]] = []
    for total, parts in view.sums:
        unknown = [c for c in (total, *parts) if view.values[c] is None]
        if not unknown or any(c not in view.withheld for c in unknown):
            continue
        if total in unknown:
            continue  # the total withheld and parts known would pin it: checked by ranges
        value = view.values[total] - sum(view.values[p] or 0.0 for p in parts)  # type: ignore[operator]
        found.append((tuple(unknown), value))
    return found
