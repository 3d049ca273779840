"""A differencing attack on published tables, to check disclosure control before publishing.

An intruder who sees a table with some cells withheld also sees its totals: row totals (or the
percentages that imply them), column totals, the grand total, the "Black, Asian and Multi-ethnic"
row and the other tables of the same output. Each is a linear equation over the cells. For every
withheld cell the attack solves two linear programmes (integrality relaxed): the smallest and the
largest value the cell can take given every published number, every equation and
non-negativity. If that interval holds a single whole number, the cell is disclosed.

This is the audit in the style of tau-ARGUS's "attacker problem" (Hundepool et al., Statistical
Disclosure Control, Wiley 2012, section 4.3). It needs scipy (HiGHS through `linprog`), imported
only when an attack runs; `protect` itself uses a cheaper exact check (linear algebra on the
equations, without the non-negativity bounds) and never needs scipy.
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

    def can_move(
        self, cells: Sequence[Hashable], values: Sequence[float], direction: float
    ) -> set[Hashable]:
        """Cells that can each move one whole unit from their value in `direction` (+1 up, -1
        down), found with one programme: maximise sum(min(direction * (x_c - value_c), 1))."""
        from scipy.optimize import linprog

        n, k = len(self.column), len(cells)
        objective = np.concatenate([np.zeros(n), -np.ones(k)])
        # y_c <= direction * (x_c - value_c), y_c <= 1
        upper = np.zeros((k, n + k))
        bound = np.zeros(k)
        for row, (cell, value) in enumerate(zip(cells, values, strict=True)):
            upper[row, self.column[cell]] = -direction
            upper[row, n + row] = 1.0
            bound[row] = -direction * value
        a_eq = None
        if self.a_eq is not None:
            a_eq = np.hstack([self.a_eq, np.zeros((self.a_eq.shape[0], k))])
        result = linprog(
            objective,
            A_ub=upper,
            b_ub=bound,
            A_eq=a_eq,
            b_eq=self.b_eq,
            bounds=[*self.bounds, *([(None, 1.0)] * k)],
            method="highs",
        )
        if not result.success:
            return set()
        return {cell for row, cell in enumerate(cells) if result.x[n + row] > 1 - 1e-6}


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


def audit(tables, *, threshold: int = 10) -> list[PinnedCell]:  # type: ignore[no-untyped-def]
    """Self-check before publishing: run `protect`'s suppression on `tables` and attack every
    withheld cell over the equations `protect` knows about. An empty list means no withheld
    count, zeros included (nor any small implicit count, such as the people left out of a
    breakdown), can be worked out. Cells are reported by their descriptive label."""
    from equitable.metrics.disclosure_control import build_model

    model, _ = build_model(tables, threshold)
    published = model.published()
    targets = [i for i in published if published[i] is None and model.needs_protection(i)]
    found = differencing_attack(dict(published.items()), list(model.constraints), targets=targets)
    return [PinnedCell(model.cells[int(p.cell)].label, p.low, p.high) for p in found]  # type: ignore[call-overload]
