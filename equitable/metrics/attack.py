"""A differencing attack on published tables, to check disclosure control before publishing.

An intruder who sees a table with some cells withheld also sees its totals: row totals (or the
percentages that imply them), column totals, the grand total, the "Black, Asian and Multi-ethnic"
row and the other tables of the same output. Each is a linear equation over the cells. For every
withheld cell the attack solves two linear programmes (integrality relaxed): the smallest and the
largest value the cell can take given every published number, every equation and
non-negativity. If that interval holds a single whole number, the cell is disclosed.

This is the audit in the style of tau-ARGUS's "attacker problem" (Hundepool et al., Statistical
Disclosure Control, Wiley 2012, section 4.3). It needs scipy (HiGHS through `linprog`), imported
only when an attack runs. `protect` works the other way round (which numbers to withhold so
that such an attack fails); tests/metrics/intruder.py is an attacker written from the
published output alone.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Constraint = tuple[Hashable, Sequence[Hashable]]


@dataclass(frozen=True)
class PinnedCell:
    """A withheld cell whose value the published figures fix: `low` ≈ `high`."""

    cell: Hashable
    low: float
    high: float


class Programme:
    """The published equations as `A_eq x = b_eq` over the withheld cells."""

    def __init__(
        self,
        published: Mapping[Hashable, float | None],
        constraints: Sequence[Constraint],
        slack: float = 0.0,
    ):
        self.slack = slack
        # With rounding, a published value v only says the truth lies in [v - slack, v + slack]:
        # published cells then become variables too, bounded to that interval.
        variable = [c for c, v in published.items() if v is None or slack > 0]
        self.column = {cell: k for k, cell in enumerate(variable)}
        self.bounds: list[tuple[float, float | None]] = []
        for c in variable:
            value = published[c]
            if value is None:
                self.bounds.append((0.0, None))
            else:
                self.bounds.append((max(0.0, float(value) - slack), float(value) + slack))
        rows: list[np.ndarray] = []
        rhs: list[float] = []
        for total, parts in constraints:
            row = np.zeros(len(variable))
            constant = 0.0
            for cell, sign in ((total, -1.0), *((p, 1.0) for p in parts)):
                if cell not in published:
                    raise KeyError(f"constraint names a cell with no published entry: {cell!r}")
                if cell in self.column:
                    row[self.column[cell]] += sign
                else:
                    constant += sign * float(published[cell])  # type: ignore[arg-type]
            if row.any():
                rows.append(row)
                rhs.append(-constant)
            elif abs(constant) > 1e-9:
                raise ValueError(f"published figures break the sum for {total!r}")
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.array(rhs) if rows else None

    def range(self, cell: Hashable, lowest: bool = True) -> tuple[float, float]:
        from scipy.optimize import linprog

        objective = np.zeros(len(self.column))
        objective[self.column[cell]] = 1.0
        ends = [] if lowest else [0.0]
        for sign in (1.0, -1.0) if lowest else (-1.0,):
            result = linprog(
                sign * objective,
                A_eq=self.a_eq,
                b_eq=self.b_eq,
                bounds=self.bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded above: no published total caps the cell
                ends.append(math.inf)
                continue
            if not result.success:
                raise ValueError(f"the published figures admit no solution ({result.message})")
            ends.append(sign * result.fun)
        return ends[0], ends[1]


def feasible_range(
    published: Mapping[Hashable, float | None],
    constraints: Sequence[Constraint],
    cell: Hashable,
    *,
    slack: float = 0.0,
    lowest: bool = True,
) -> tuple[float, float]:
    """Smallest and largest value `cell` can take given everything published (with
    `lowest=False` only the largest is solved for, and 0 returned as the smallest)."""
    return Programme(published, constraints, slack).range(cell, lowest)


def is_pinned(low: float, high: float) -> bool:
    """True when the interval [low, high] holds at most one whole number."""
    if math.isinf(high):
        return False
    return math.floor(high + 1e-6) - math.ceil(low - 1e-6) < 1


def differencing_attack(
    published: Mapping[Hashable, float | None],
    constraints: Sequence[Constraint],
    *,
    targets: Iterable[Hashable] | None = None,
    slack: float = 0.0,
) -> list[PinnedCell]:
    """Every withheld cell (or each of `targets`) whose value the published figures pin down.

    `published` maps each cell to its published value, or None when withheld. `constraints` are
    the sums an intruder knows: `(total, parts)` means value[total] == sum(value[parts]), where
    any of them may be withheld. `slack` is half the rounding base when counts were rounded.
    """
    programme = Programme(published, constraints, slack)
    cells = list(targets) if targets is not None else [c for c, v in published.items() if v is None]
    pinned = []
    for cell in cells:
        low, high = programme.range(cell)
        if is_pinned(low, high):
            pinned.append(PinnedCell(cell, low, high))
    return pinned


def audit(tables, *, threshold: int = 10, layouts=None) -> list[PinnedCell]:  # type: ignore[no-untyped-def]
    """Self-check before publishing: run `protect`'s suppression on `tables` and attack every
    cell that needs protection over the equations `protect` derived from the layouts. An
    empty list means no withheld count, zeros included, nor any small implicit count (such as
    the people left out of a breakdown), nor any withheld sum of pay over a small group, can
    be pinned down. Cells are reported by label. Sums of pay come from means printed to a few
    decimal places, so they are attacked knowing each published sum to within half a penny a
    person."""
    from equitable.metrics.disclosure_control import PEOPLE, build_model

    model = build_model(tables, threshold, layouts).model
    published = model.published_values()
    found: list[PinnedCell] = []
    for measure in sorted({c.measure for c in model.cells}):
        mine = {i for i, c in enumerate(model.cells) if c.measure == measure}
        constraints = [c for c in model.constraints if c[0] in mine]
        targets = [i for i in mine if model.needs_protection(i)]
        if not targets or not constraints:
            continue
        slack = 0.0
        if measure != PEOPLE:
            largest = max((c.value or 0.0 for c in model.cells if c.measure == PEOPLE), default=0.0)
            slack = 0.006 * largest
        values: dict[Hashable, float | None] = {i: published[i] for i in mine}
        for pinned in differencing_attack(values, constraints, targets=targets, slack=slack):
            cell = model.cells[int(pinned.cell)]  # type: ignore[call-overload]
            if measure != PEOPLE and pinned.high - pinned.low > 0.01:
                continue  # a sum known only to within pennies is not pinned
            found.append(PinnedCell(cell.label, pinned.low, pinned.high))
    return found
