"""Statistical disclosure control: the one step every figure passes through before publication.

Personal-level data and exact small counts are for the EDI officer and the HR analyst only.
Every set of tables shown together to anyone else (a page, a download, an API response, a
board report, a publication) goes through `protect`. docs/disclosure-control.md has the full
reasoning and what is guaranteed; in short:

* **Declared layouts.** Each table's layout (`equitable.metrics.layout`) says which population
  every count counts, which columns are shares, means, medians and gaps of which counts. From
  those declarations `protect` derives every equation that holds between the numbers shown
  together: the same population counted in two tables is one number; numbers whose
  populations differ in one attribute add up whenever one attribute set is a union of the
  others (directorates to the whole, groups to "Black, Asian and Multi-ethnic", quartiles to
  everyone paid, detailed categories to their group, known + prefer not to say + not known to
  everyone). People no table counts but the equations imply (the Asian staff without an hourly
  rate) become implicit cells, protected like the rest. A table without a layout, or with a
  column its layout does not name, is refused (LayoutError).
* **Primary suppression.** A count of 1 to `threshold - 1` is withheld. A true 0 is shown,
  except inside a population of fewer than `threshold` people: every count of people within a
  small population is withheld, zeros included, so "all five are White" cannot be read off.
* **Means and sums.** A mean times its count is a sum, and sums add up like counts. Every mean
  is a cell of a second system of equations (one per measure: hourly pay, bonus pay) with the
  same structure; a mean is shown only when its count is shown and at least `threshold` people,
  and the sums are protected by the same secondary suppression. Medians, percentages and gaps
  are withheld with the figures they rest on.
* **Secondary suppression**: for each cell that needs protection, a linear programme finds the
  cheapest set of published numbers whose withholding lets another non-negative table, agreeing
  with everything shown, move the cell far enough: a withheld count of 1 to `threshold - 1` by
  `threshold` (its feasible range stays at least that wide), a withheld 0 by 1, a withheld
  small sum of pay by `threshold` people's pay at the smallest mean shown.
* **Rounding** (an organisation option, `round_to=5`) after suppression; percentages are then
  recomputed from the rounded counts.

numpy and polars throughout; HiGHS (highspy) for the linear programmes, imported when needed.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from equitable.metrics.layout import (
    FIXED_ATTRIBUTES,
    AllBut,
    Count,
    Derived,
    Function,
    Gap,
    Layout,
    LayoutError,
    Mean,
    Median,
    Population,
    Restriction,
    Share,
)

MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 10
# The ethnicity pay reporting guidance asks for at least 50 people per group compared.
ROBUST_GROUP_SIZE = 50
CAUTION_WARNING = "fewer than 50 people: treat with caution; consider combining groups"
PEOPLE = "people"
# A guard against a layout whose implicit cells would never stop multiplying.
MAX_CELLS = 200_000

Box = tuple[tuple[str, frozenset[str]], ...]


def suppression_warning(threshold: int) -> str:
    return (
        f"fewer than {threshold} people in a group compared: not published; "
        "consider combining groups"
    )


# --------------------------------------------------------------------------------------------
# The model: cells (numbers about people) and the sums between them.


@dataclass
class Cell:
    """One number: a count of people (`measure` "people") or a sum of a measure over people.

    `published` cells are printed or revealed by some table unless withheld (`hidden`); the
    others are implicit: no table prints them but the equations tie them to those that do.
    `value` is None only for an implicit cell no equation fixes.
    """

    measure: str
    box: Box
    value: float | None
    label: str
    published: bool = False
    hidden: bool = False
    primary: bool = False
    # Withheld because another publication withholds it (`protect(withhold=...)`): protected
    # here like a small count, so this output cannot give it away either.
    forced: bool = False
    # How many printed figures rest on it (its own places and the shares, gaps... built on it).
    cost: int = 0
    # How much more withholding it costs than its printed figures say (`protect(weights=...)`:
    # a headline figure the publication most needs shown).
    weight: float = 1.0

    @property
    def unknown(self) -> bool:
        return self.hidden or not self.published


@dataclass
class Model:
    threshold: int
    cells: list[Cell] = field(default_factory=list)
    index: dict[tuple[str, Box], int] = field(default_factory=dict)
    # (total, parts): value[total] == sum(value[part] for part in parts)
    constraints: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    # One person's worth of each summed measure: the smallest mean shown.
    person_unit: dict[str, float] = field(default_factory=dict)

    def cell(self, measure: str, box: Box, label: str) -> int:
        key = (measure, box)
        position = self.index.get(key)
        if position is None:
            position = len(self.cells)
            if position >= MAX_CELLS:
                raise LayoutError("the declared layouts imply too many cells to protect")
            self.cells.append(Cell(measure, box, None, label))
            self.index[key] = position
        return position

    def sensitive(self, index: int) -> bool:
        """A count of 1 to threshold - 1 people, or a sum over so few people."""
        cell = self.cells[index]
        people = cell if cell.measure == PEOPLE else self._people_of(cell)
        return people is not None and people.value is not None and 0 < people.value < self.threshold

    def _people_of(self, cell: Cell) -> Cell | None:
        position = self.index.get((PEOPLE, cell.box))
        return None if position is None else self.cells[position]

    def needs_protection(self, index: int) -> bool:
        cell = self.cells[index]
        if not cell.unknown or cell.value is None:
            return False
        return cell.forced or self.sensitive(index) or (cell.hidden and cell.value == 0)

    def required_width(self, index: int) -> float:
        """How wide the feasible range of a cell that needs protection must stay: a withheld
        small count `threshold` people wide (a withheld sum, `threshold` people's pay on the
        smallest mean shown); a withheld zero, and a small number no table prints but the sums
        imply, at least one person (one person's pay) wide, so neither is pinned."""
        cell = self.cells[index]
        unit = 1.0 if cell.measure == PEOPLE else self.person_unit.get(cell.measure, 0.0)
        if cell.forced:
            return unit * self.threshold
        if not cell.published or cell.value == 0:
            return unit
        return unit * self.threshold

    def published_values(self) -> dict[int, float | None]:
        """What an intruder sees: each cell's value, or None when it is unknown to them."""
        return {i: (None if c.unknown else c.value) for i, c in enumerate(self.cells)}


# --------------------------------------------------------------------------------------------
# Reading the tables into the model.


def _canonical(restriction: Restriction, universes: Mapping[str, frozenset[str]]) -> Box:
    parts = []
    for attribute in sorted(restriction):
        atoms = restriction[attribute]
        if isinstance(atoms, AllBut):
            atoms = universes[attribute] - atoms
        if atoms == universes[attribute]:
            continue
        parts.append((attribute, frozenset(atoms)))
    return tuple(parts)


def _describe(box: Box) -> str:
    if not box:
        return "everyone"
    return "; ".join(f"{a}: {', '.join(sorted(atoms)) or 'nobody'}" for a, atoms in box)


class _Reader:
    """Tables and their layouts → cells, printed places and the sums between the cells."""

    def __init__(
        self, tables: Mapping[str, pl.DataFrame], layouts: Mapping[str, Layout], threshold: int
    ):
        self.tables = tables
        self.layouts = layouts
        self.model = Model(threshold)
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: frame.to_dicts() for name, frame in tables.items()
        }
        self.universes = self._universes()
        # Per table: row -> column -> the cell(s) the printed figure rests on.
        self.places: dict[str, list[dict[str, tuple[int, ...]]]] = {}

    def _restrictions(self) -> Iterable[Restriction]:
        for name, layout in self.layouts.items():
            for row in self.rows[name]:
                for spec in layout.columns:
                    if isinstance(spec, Count):
                        yield spec.population.of_row(row)
                    elif isinstance(spec, Share) and isinstance(spec.denominator, Population):
                        yield spec.denominator.of_row(row)
                if layout.mentions:
                    mention = layout.mentions.get(row.get("subject") or "")
                    if mention is not None:
                        for population in (mention.count, mention.total):
                            if population is not None:
                                yield population.of_row(row)

    def _universes(self) -> dict[str, frozenset[str]]:
        universes: dict[str, set[str]] = {a: set(v) for a, v in FIXED_ATTRIBUTES.items()}
        for layout in self.layouts.values():
            for attribute, values in layout.universes.items():
                universes.setdefault(attribute, set()).update(values)
        for restriction in self._restrictions():
            for attribute, atoms in restriction.items():
                universe = universes.setdefault(attribute, set())
                if attribute in FIXED_ATTRIBUTES and not atoms <= universe:
                    raise LayoutError(f"values {sorted(atoms - universe)} are not {attribute}")
                universe |= atoms
        return {a: frozenset(v) for a, v in universes.items()}

    def box(self, restriction: Restriction) -> Box:
        return _canonical(restriction, self.universes)

    def _set(self, measure: str, restriction: Restriction, value: float | None, where: str) -> int:
        model = self.model
        box = self.box(restriction)
        index = model.cell(measure, box, f"{measure} of {_describe(box)}")
        cell = model.cells[index]
        if value is not None:
            if cell.value is not None and not _same(measure, cell.value, value):
                raise LayoutError(
                    f"{where}: {cell.label} is {value} here but {cell.value} elsewhere"
                )
            cell.value = value if cell.value is None else cell.value
        return index

    def read(self) -> None:
        for name, layout in self.layouts.items():
            frame = self.tables[name]
            undeclared = [c for c in frame.columns if c not in layout.declared()]
            if undeclared:
                raise LayoutError(
                    f"table {name!r} has columns its layout does not declare: "
                    + ", ".join(undeclared)
                )
            self.places[name] = [
                self._read_row(name, layout, i, row) for i, row in enumerate(self.rows[name])
            ]

    def _read_row(
        self, name: str, layout: Layout, position: int, row: dict[str, Any]
    ) -> dict[str, tuple[int, ...]]:
        model = self.model
        where = f"table {name!r} row {position + 1}"
        places: dict[str, tuple[int, ...]] = {}
        counts: dict[str, int] = {}
        for count in layout.counts:
            # A count column the table leaves out still names its people: a share of them
            # gives them away.
            value = row.get(count.column)
            index = self._set(PEOPLE, count.population.of_row(row), _number(value), where)
            counts[count.column] = index
            if value is not None:
                cell = model.cells[index]
                cell.published = True
                places[count.column] = (index,)
        for spec in layout.columns:
            if spec.column not in row or isinstance(spec, Count):
                continue
            if isinstance(spec, Share):
                if spec.numerator not in places:
                    continue
                if isinstance(spec.denominator, Population):
                    denominator = self._set(PEOPLE, spec.denominator.of_row(row), None, where)
                else:
                    if spec.denominator not in counts:
                        continue
                    denominator = counts[spec.denominator]
                model.cells[denominator].published = True
                places[spec.column] = (counts[spec.numerator], denominator)
            elif isinstance(spec, Mean):
                if spec.count not in places:
                    continue
                people = model.cells[counts[spec.count]]
                mean = row[spec.column]
                total = None
                if mean is not None and people.value is not None and math.isfinite(mean):
                    total = float(mean) * people.value
                restriction = dict(people.box)
                index = self._set(spec.measure, restriction, total, where)
                if mean is not None:
                    model.cells[index].published = True
                places[spec.column] = (counts[spec.count], index)
            elif isinstance(spec, Median):
                if spec.count in places:
                    places[spec.column] = (counts[spec.count],)
        for spec in layout.columns:
            if isinstance(spec, Gap) and spec.column in row:
                if spec.group in places and spec.reference in places:
                    places[spec.column] = places[spec.group] + places[spec.reference]
            elif isinstance(spec, Derived) and spec.column in row and spec.source in places:
                places[spec.column] = places[spec.source]
        for spec in layout.columns:  # in declared order: a function may rest on another
            if isinstance(spec, Function) and spec.column in row:
                if all(source in places for source in spec.sources):
                    resting_on: list[int] = []
                    for source in spec.sources:
                        resting_on += [i for i in places[source] if i not in resting_on]
                    places[spec.column] = tuple(resting_on)
        for column, cells in places.items():
            for index in cells:
                model.cells[index].cost += 1 if row.get(column) is not None else 0
        return places

    # Notes: sentences that print counts -------------------------------------------------

    def read_mentions(self) -> dict[str, list[tuple[int | None, int | None]]]:
        mentions: dict[str, list[tuple[int | None, int | None]]] = {}
        for name, layout in self.layouts.items():
            if not layout.mentions:
                continue
            found = []
            for position, row in enumerate(self.rows[name]):
                mention = layout.mentions.get(row.get("subject") or "")
                cells: list[int | None] = [None, None]
                if mention is not None:
                    for slot, (population, column) in enumerate(
                        ((mention.count, "count"), (mention.total, "total"))
                    ):
                        if population is None:
                            continue
                        value = _number(row.get(column))
                        where = f"table {name!r} row {position + 1}"
                        index = self._set(PEOPLE, population.of_row(row), value, where)
                        if value is not None:
                            self.model.cells[index].published = True
                            self.model.cells[index].cost += 1
                        cells[slot] = index
                found.append((cells[0], cells[1]))
            mentions[name] = found
        return mentions


def _number(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _same(measure: str, a: float, b: float) -> bool:
    if measure == PEOPLE:
        return a == b
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0) + 0.01


# --------------------------------------------------------------------------------------------
# Deriving the sums from the populations.


def derive_constraints(model: Model, universes: Mapping[str, frozenset[str]]) -> None:
    """Every sum within one attribute: for the cells whose populations agree on every other
    attribute, split the attribute's values into the blocks their sets are unions of (Venn
    regions); each set of two or more blocks is the sum of the blocks' cells, and a block no
    table counts becomes an implicit cell. Repeated until no new cell appears, so chains
    through implicit cells (staff without an hourly rate, by group) are found too."""
    seen: set[tuple[int, tuple[int, ...]]] = set()
    done: set[tuple[str, str, Box, frozenset[int]]] = set()
    for _ in range(12):
        before = len(model.cells)
        attributes = sorted({a for cell in model.cells for a, _ in cell.box})
        families: dict[tuple[str, str, Box], list[int]] = defaultdict(list)
        for index, cell in enumerate(model.cells):
            for attribute in attributes:
                context = tuple((a, s) for a, s in cell.box if a != attribute)
                families[(cell.measure, attribute, context)].append(index)
        for (measure, attribute, context), members in families.items():
            if len(members) < 2:
                continue
            key = (measure, attribute, context, frozenset(members))
            if key in done:
                continue
            done.add(key)
            _family_constraints(model, attribute, context, members, universes, seen)
        if len(model.cells) == before:
            return
    raise LayoutError("the declared layouts do not settle into a finite set of sums")


def _family_constraints(
    model: Model,
    attribute: str,
    context: Box,
    members: list[int],
    universes: Mapping[str, frozenset[str]],
    seen: set[tuple[int, tuple[int, ...]]],
) -> None:
    universe = universes[attribute]
    measure = model.cells[members[0]].measure
    sets = [dict(model.cells[i].box).get(attribute, universe) for i in members]
    distinct = sorted(set(sets), key=lambda s: (len(s), sorted(s)))
    if len(distinct) < 2:
        return
    signature: dict[str, tuple[int, ...]] = {}
    for atom in sorted(universe):
        holders = tuple(k for k, s in enumerate(distinct) if atom in s)
        if holders:
            signature[atom] = holders
    blocks: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for atom, holders in signature.items():
        blocks[holders].add(atom)
    by_set = {s: members[sets.index(s)] for s in distinct}
    block_cells: dict[tuple[int, ...], int] = {}
    for holders, members_of_block in blocks.items():
        frozen = frozenset(members_of_block)
        if frozen in by_set:
            block_cells[holders] = by_set[frozen]
            continue
        restriction = dict(context)
        restriction[attribute] = frozen
        box = _canonical(restriction, universes)
        block_cells[holders] = model.cell(measure, box, f"{measure} of {_describe(box)}")

    def add(total: int, parts: Iterable[int]) -> None:
        key = (total, tuple(sorted(parts)))
        if len(key[1]) >= 2 and key not in seen:
            seen.add(key)
            model.constraints.append(key)

    for k, atoms in enumerate(distinct):
        add(by_set[atoms], (block_cells[h] for h in blocks if k in h))


def solve_implicit_values(model: Model) -> None:
    """Values of implicit cells from the sums (peeling: a sum with one cell of unknown value
    fixes it), then a check that every sum holds: a layout whose numbers break it is refused."""
    by_cell: dict[int, list[int]] = defaultdict(list)
    for position, (total, parts) in enumerate(model.constraints):
        for i in (total, *parts):
            by_cell[i].append(position)
    queue = list(range(len(model.constraints)))
    while queue:
        position = queue.pop()
        total, parts = model.constraints[position]
        missing = [i for i in (total, *parts) if model.cells[i].value is None]
        if len(missing) != 1:
            continue
        (cell,) = missing
        known = float(sum(model.cells[p].value for p in parts if p != cell))  # type: ignore[misc]
        value: float = known if cell == total else model.cells[total].value - known  # type: ignore[operator]
        measure = model.cells[cell].measure
        if measure == PEOPLE:
            value = round(value)
        if value < -_tolerance(model, (total, parts)):
            raise LayoutError(
                f"the tables' numbers break the sum for {model.cells[total].label}: "
                f"{model.cells[cell].label} would be {value}"
            )
        model.cells[cell].value = max(value, 0)
        queue.extend(by_cell[cell])
    for total, parts in model.constraints:
        values = [model.cells[i].value for i in (total, *parts)]
        if any(v is None for v in values):
            continue
        difference = values[0] - sum(values[1:])  # type: ignore[operator, arg-type]
        if abs(difference) > _tolerance(model, (total, parts)):
            raise LayoutError(
                f"the tables' numbers break the sum for {model.cells[total].label}: "
                f"{values[0]} against {sum(values[1:])} from its parts"  # type: ignore[arg-type]
            )


def _tolerance(model: Model, constraint: tuple[int, tuple[int, ...]]) -> float:
    """Counts add exactly; sums from means printed to the penny add to within half a penny a
    person, on both sides of the sum."""
    total, _ = constraint
    cell = model.cells[total]
    if cell.measure == PEOPLE:
        return 0.0
    people = model._people_of(cell)
    n = people.value if people is not None and people.value is not None else 1.0
    return 0.011 * max(n, 1.0) + 1e-6 * abs(cell.value or 0.0)


# --------------------------------------------------------------------------------------------
# Secondary suppression.
#
# A withheld cell is protected when some other table of numbers, as non-negative as the true
# one and agreeing with every published figure and every sum, puts the cell `need` away from
# its true value: the intruder cannot tell the two apart. Such a table is the true one plus a
# movement y with A y = 0 (every sum still holds), y_t = need and v + y >= 0. If the movement
# changes only unknown cells, the cell is already protected; otherwise every published cell it
# changes is withheld. Among all movements a linear programme picks the one that costs the
# fewest printed figures (an L1 objective, so its solution changes few cells), which is the
# complementary-suppression model of Fischetti and Salazar (Management Science 47, 2001) with
# one cell at a time.


def _components(model: Model, measure: str) -> list[list[int]]:
    """The cells of one measure in groups that no sum connects (union-find over the sums).

    A movement of one group's cells leaves every sum of another group as it was, so each group
    is its own linear programme: the same answer as one programme over all cells, at a fraction
    of the cost (the years of a lifecycle table share no sums, nor do its datasets)."""
    cells = [i for i, c in enumerate(model.cells) if c.measure == measure]
    parent = {cell: cell for cell in cells}

    def root(cell: int) -> int:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for total, parts in model.constraints:
        if model.cells[total].measure != measure:
            continue
        top = root(total)
        for part in parts:
            other = root(part)
            if other != top:
                parent[other] = top
    groups: dict[int, list[int]] = defaultdict(list)
    for cell in cells:
        groups[root(cell)].append(cell)
    return list(groups.values())


def _constraint_matrix(
    model: Model, measure: str, cells: list[int] | None = None
) -> tuple[list[int], Any]:
    """The sums of one measure as a sparse matrix over that measure's cells (or over one
    group of `_components`, whose sums involve no other cell)."""
    from scipy.sparse import coo_matrix

    if cells is None:
        cells = [i for i, c in enumerate(model.cells) if c.measure == measure]
    column = {cell: k for k, cell in enumerate(cells)}
    rows, columns, data = [], [], []
    row = 0
    for total, parts in model.constraints:
        if total not in column:
            continue
        rows.append(row)
        columns.append(column[total])
        data.append(-1.0)
        for part in parts:
            rows.append(row)
            columns.append(column[part])
            data.append(1.0)
        row += 1
    matrix = coo_matrix((data, (rows, columns)), shape=(row, len(cells))).tocsr()
    return cells, matrix


class _Movements:
    """The movement programme of one measure, built once and re-solved per target with the
    previous solution as the starting point (HiGHS through highspy): only the target's bounds
    and the costs of newly withheld cells change between solves."""

    def __init__(self, model: Model, cells: list[int], matrix: Any):
        import highspy
        from highspy._core import _Highs

        self.model = model
        self.cells = cells
        self.position = {cell: k for k, cell in enumerate(cells)}
        n = len(cells)
        self.n = n
        values = [float(model.cells[i].value or 0.0) for i in cells]
        lp = highspy.HighsLp()
        lp.num_col_ = 2 * n
        lp.num_row_ = matrix.shape[0]
        self.costs = self._costs()
        lp.col_cost_ = np.concatenate([self.costs, self.costs])
        # y = plus - minus; minus <= value keeps every cell at 0 or more.
        lp.col_lower_ = np.zeros(2 * n)
        lp.col_upper_ = np.concatenate(
            [
                np.full(n, highspy.kHighsInf),
                [
                    v if model.cells[i].value is not None else 0.0
                    for i, v in zip(cells, values, strict=True)
                ],
            ]
        )
        lp.row_lower_ = np.zeros(matrix.shape[0])
        lp.row_upper_ = np.zeros(matrix.shape[0])
        from scipy.sparse import hstack

        combined = hstack([matrix, -matrix]).tocsc()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = combined.indptr.astype(np.int32)
        lp.a_matrix_.index_ = combined.indices.astype(np.int32)
        lp.a_matrix_.value_ = combined.data.astype(np.float64)
        lp.a_matrix_.num_col_ = 2 * n
        lp.a_matrix_.num_row_ = matrix.shape[0]
        self.upper = lp.col_upper_.copy()
        # The core solver class: highspy's Python wrapper prints a licence banner on standard
        # output when it is made, which would corrupt `equitable metrics`' JSON there.
        self.highs = _Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.hidden = {i for i in cells if model.cells[i].unknown}
        self.hidden_mask = np.array([model.cells[i].unknown for i in cells], dtype=bool)
        # Every movement solved so far, sparse, and which of them touch each position.
        self.found: list[tuple[np.ndarray, np.ndarray]] = []
        self.touching: dict[int, list[int]] = {}

    def _costs(self) -> np.ndarray:
        """What withholding each cell costs: the printed figures it takes with it, and a
        little more for a larger number (a coarse total matters to more readers than a
        small cell does); nothing for a cell already unknown."""
        largest = max((self.model.cells[i].value or 0.0 for i in self.cells), default=0.0) or 1.0
        return np.array(
            [
                1e-6
                if self.model.cells[i].unknown
                else (1.0 + self.model.cells[i].cost)
                * (1.0 + 0.5 * (self.model.cells[i].value or 0.0) / largest)
                # A withheld 0 beside a small count bounds it from above, and a 0 is a
                # finding ("no one"): withhold one only when nothing else will do.
                * (4.0 if self.model.cells[i].value == 0 else 1.0)
                * self.model.cells[i].weight
                for i in self.cells
            ]
        )

    def price(self, cells: Iterable[int]) -> float:
        """What withholding these published cells costs (each once, whatever it moves)."""
        return float(sum(self.costs[self.position[c]] for c in cells if c not in self.hidden))

    def withhold(self, cells: Iterable[int]) -> None:
        for cell in cells:
            if cell in self.hidden:
                continue
            self.hidden.add(cell)
            k = self.position[cell]
            self.hidden_mask[k] = True
            self.highs.changeColCost(k, 1e-6)
            self.highs.changeColCost(self.n + k, 1e-6)

    def move(self, target: int, up: float, down: float) -> list[int] | None:
        """Published cells that a cheapest movement of `target` by +`up` (or -`down`)
        changes, or None when no non-negative table allows it."""
        import highspy

        k = self.position[target]
        n = self.n
        if up:
            self.highs.changeColBounds(k, up, highspy.kHighsInf)
            self.highs.changeColBounds(n + k, 0.0, 0.0)
        else:
            self.highs.changeColBounds(k, 0.0, 0.0)
            self.highs.changeColBounds(n + k, down, down)
        self.highs.run()
        status = self.highs.getModelStatus()
        solution = (
            np.array(self.highs.getSolution().col_value)
            if status == highspy.HighsModelStatus.kOptimal
            else None
        )
        self.highs.changeColBounds(k, 0.0, highspy.kHighsInf)
        self.highs.changeColBounds(n + k, 0.0, float(self.upper[n + k]))
        if solution is None:
            return None
        movement = solution[:n] - solution[n:]
        self._remember(movement)
        return [
            cell
            for cell, moved in zip(self.cells, movement, strict=True)
            if abs(moved) > 1e-7 and cell not in self.hidden
        ]

    def _remember(self, movement: np.ndarray) -> None:
        positions = np.flatnonzero(np.abs(movement) > 1e-7)
        self.found.append((positions, movement[positions]))
        for k in positions.tolist():
            self.touching.setdefault(k, []).append(len(self.found) - 1)

    def already_free(self, target: int, need: float) -> bool:
        """Whether a movement solved for an earlier target, now through withheld cells only,
        already moves `target` up by `need` (scaled, in either sign, and keeping every cell at
        0 or more). Then its own programme would find that movement at no cost and withhold
        nothing, so it need not be solved: the saving that makes large families affordable."""
        k = self.position[target]
        room = np.asarray(self.upper, dtype=float)[self.n :]
        for index in self.touching.get(k, ()):
            positions, moved = self.found[index]
            if not self.hidden_mask[positions].all():
                continue
            at_target = float(moved[positions == k][0])
            step = moved * (need / abs(at_target)) * (1.0 if at_target > 0 else -1.0)
            falling = step < 0
            if np.all(-step[falling] <= room[positions[falling]] + 1e-9):
                return True
        return False


def secondary_suppression(model: Model) -> None:
    """Withhold, for every cell that needs protection, the published cells of its cheapest
    movement (upwards by the width it needs; if that is impossible, down as far as it can go
    and up by the rest). Withholding only ever widens ranges, so cells done earlier stay
    protected."""
    for measure in sorted({c.measure for c in model.cells}):
        for component in _components(model, measure):
            _protect_component(model, measure, component)


def _protect_component(model: Model, measure: str, component: list[int]) -> None:
    targets = [i for i in component if model.needs_protection(i)]
    if targets:
        cells, matrix = _constraint_matrix(model, measure, component)
        movements = _Movements(model, cells, matrix)
        # Smallest first: the cells that most need room choose their complements first.
        targets.sort(key=lambda i: (model.cells[i].value or 0.0, i))
        for target in targets:
            need = model.required_width(target)
            if need <= 0 or movements.already_free(target, need):
                continue
            changed = _movement(model, movements, target, need)
            if changed is None:
                raise RuntimeError(
                    f"secondary suppression could not protect {model.cells[target].label}"
                )
            for cell in changed:
                model.cells[cell].hidden = True
            movements.withhold(changed)


def _movement(model: Model, movements: _Movements, target: int, need: float) -> list[int] | None:
    """The published cells to withhold so that `target` can move `need`: upwards; if that is
    impossible, down as far as it can go and up by the rest. When upwards would take a cell
    `protect(weights=...)` asks to keep (a headline figure), the second way is priced too and
    the cheaper withheld: both leave the target the same room."""
    up = movements.move(target, need, 0.0)
    if up is not None and not any(model.cells[c].weight > 1.0 for c in up):
        return up
    value = float(model.cells[target].value or 0.0)
    down = min(value, need)
    split: list[int] | None = movements.move(target, 0.0, down) if down else []
    if split is not None and down < need:
        rest = movements.move(target, need - down, 0.0)
        split = None if rest is None else split + [c for c in rest if c not in split]
    if up is None or split is None:
        return split if up is None else up
    return split if movements.price(split) < movements.price(up) else up


# --------------------------------------------------------------------------------------------
# The public step.


def check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise ValueError(f"threshold must be a whole number of people, not {threshold!r}")
    if threshold < MINIMUM_THRESHOLD:
        raise ValueError(
            f"threshold {threshold} is below the minimum of {MINIMUM_THRESHOLD}: "
            "counts that small identify people"
        )
    return threshold


def layouts_for(
    tables: Mapping[str, pl.DataFrame], layouts: Mapping[str, Layout] | None = None
) -> dict[str, Layout]:
    """Each table's declared layout: from `layouts`, else the figures' registry. A table with
    none is refused: there is no fallback that would protect it less."""
    from equitable.metrics.figures import LAYOUTS

    found: dict[str, Layout] = {}
    missing = []
    for name in tables:
        layout = (layouts or {}).get(name) or LAYOUTS.get(name)
        if layout is None:
            missing.append(name)
        else:
            found[name] = layout
    if missing:
        raise LayoutError(
            "no declared layout for " + ", ".join(repr(m) for m in missing) + ": disclosure "
            "control cannot know its sums, so it will not publish it"
        )
    return found


@dataclass
class Protection:
    """The model after suppression, with where each figure is printed (for `protect` and for
    the audit)."""

    model: Model
    reader: _Reader
    layouts: dict[str, Layout]
    mentions: dict[str, list[tuple[int | None, int | None]]]


def build_model(
    tables: Mapping[str, pl.DataFrame],
    threshold: int,
    layouts: Mapping[str, Layout] | None = None,
    withhold: Iterable[Restriction] = (),
    weights: Iterable[tuple[Restriction, float]] = (),
) -> Protection:
    """Cells and sums for every table shown together, with primary and secondary suppression
    applied."""
    declared = layouts_for(tables, layouts)
    reader = _Reader(tables, declared, threshold)
    reader.read()
    mentions = reader.read_mentions()
    model = reader.model
    derive_constraints(model, reader.universes)
    solve_implicit_values(model)
    _force(model, reader, withhold)
    _weigh(model, reader, weights)
    _primary(model)
    _means_follow_counts(model)
    while True:
        secondary_suppression(model)
        if not _means_follow_counts(model):
            break
    return Protection(model, reader, declared, mentions)


def _force(model: Model, reader: _Reader, withhold: Iterable[Restriction]) -> None:
    """Withhold the counts another publication withholds (the snapshot headcounts a lifecycle
    rate divides by), and protect them here as small counts are protected."""
    for restriction in withhold:
        if any(attribute not in reader.universes for attribute in restriction):
            continue  # an attribute no table here names: no count here is of those people
        index = model.index.get((PEOPLE, reader.box(restriction)))
        if index is not None:
            cell = model.cells[index]
            cell.hidden = cell.primary = cell.forced = True


def _weigh(model: Model, reader: _Reader, weights: Iterable[tuple[Restriction, float]]) -> None:
    """Make withholding the named populations' counts cost `factor` times more, so secondary
    suppression picks other complements where it can. Costs choose among protecting patterns
    only: every pattern it can choose gives each withheld cell the same room."""
    for restriction, factor in weights:
        if factor <= 0 or any(attribute not in reader.universes for attribute in restriction):
            continue
        index = model.index.get((PEOPLE, reader.box(restriction)))
        if index is not None:
            cell = model.cells[index]
            cell.weight = max(cell.weight, float(factor))


def _contains(outer: Box, inner: Box) -> bool:
    """Whether population `inner` lies within `outer` (an attribute `outer` leaves open holds
    anything)."""
    inner_map = dict(inner)
    for attribute, atoms in outer:
        inner_atoms = inner_map.get(attribute)
        if inner_atoms is None or not inner_atoms <= atoms:
            return False
    return True


def _primary(model: Model) -> None:
    """Withhold every shown count of 1 to threshold - 1 people, and every count (zeros
    included) of people within a population that small."""
    small = [c.box for i, c in enumerate(model.cells) if c.measure == PEOPLE and model.sensitive(i)]
    zeros = [
        c.box
        for c in model.cells
        if c.measure == PEOPLE and c.published and c.value == 0 and not c.hidden
    ]
    # Published zeros that lie within no small population: each decided once, not once per
    # zero it might cover (that made this step cubic in the number of cells).
    telling_zeros = [box for box in zeros if not any(_contains(s, box) for s in small)]
    for index, cell in enumerate(model.cells):
        if cell.measure != PEOPLE or not cell.published:
            continue
        if model.sensitive(index):
            cell.hidden = cell.primary = True
        elif (
            cell.value == 0
            and any(_contains(box, cell.box) for box in small)
            and not any(_contains(box, cell.box) for box in telling_zeros if box != cell.box)
        ):
            # Only a zero can lie within a small population without being small itself; a
            # zero that a larger published zero already shows ("nobody at all preferred not
            # to say") tells nothing about the small group, and stays.
            cell.hidden = cell.primary = True


def _means_follow_counts(model: Model) -> bool:
    """A mean is shown only with its count, and only over `threshold` people or more; a sum
    over people the tables show to be nobody is 0 to anyone. Sets the width a withheld sum
    must keep from the smallest mean shown. True when it withheld a mean."""
    changed = False
    smallest: dict[str, float] = {}
    for cell in model.cells:
        if cell.measure == PEOPLE:
            continue
        model.person_unit.setdefault(cell.measure, 0.0)
        people = model._people_of(cell)
        if people is not None and not people.unknown and people.value == 0:
            cell.published, cell.value, cell.hidden = True, 0.0, False
            continue
        if not cell.published or cell.hidden:
            continue
        if people is None or people.unknown or (people.value or 0) < model.threshold:
            cell.hidden = True
            cell.primary = people is None or (people.value or 0) < model.threshold
            changed = True
            continue
        if people.value and cell.value is not None and cell.value > 0:
            mean = cell.value / people.value
            smallest[cell.measure] = min(smallest.get(cell.measure, math.inf), mean)
    model.person_unit.update(smallest)
    return changed


def protect(
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    round_to: int | None = None,
    layouts: Mapping[str, Layout] | None = None,
    withhold: Iterable[Restriction] = (),
    weights: Iterable[tuple[Restriction, float]] = (),
) -> dict[str, pl.DataFrame]:
    """Return the tables as they may be shown, together, to people without access to personal
    records.

    `withhold` names populations (as layout restrictions) whose counts another publication
    withholds: they are withheld here too and protected like small counts, so the two
    publications read together give nothing away that either withholds. `weights` names
    populations (restriction, factor) whose withholding as a complement costs `factor` times
    more, so that secondary suppression prefers other cells: it changes which cells are
    withheld, never how much room each withheld count keeps.

    Every table of figures gains a boolean `suppressed` column (true when any figure in the row
    was withheld); tables whose layout asks for it gain `warning`. Withheld figures are nulls.
    `layouts` adds layouts for tables the figures' registry does not know. Raises LayoutError
    for a table without a layout, ValueError for a threshold below 5 or a `round_to` that is
    not a whole number of 2 or more.
    """
    check_threshold(threshold)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 2
    ):
        raise ValueError(f"round_to must be a whole number of 2 or more, not {round_to!r}")
    protection = build_model(tables, threshold, layouts, withhold, weights)
    return {
        name: _published_table(name, frame, protection, round_to) for name, frame in tables.items()
    }


def _rounded(value: float | None, base: int | None) -> float | None:
    """Nearest multiple of `base`, halves up (HESA)."""
    if value is None or base is None:
        return value
    return float(math.floor(value / base + 0.5) * base)


def _published_table(
    name: str, frame: pl.DataFrame, protection: Protection, round_to: int | None
) -> pl.DataFrame:
    layout = protection.layouts[name]
    if layout.mentions:
        return published_notes(name, frame, protection, round_to)
    model = protection.model
    places = protection.reader.places[name]
    rows = protection.reader.rows[name]
    threshold = model.threshold
    out: dict[str, list[Any]] = {c: [] for c in frame.columns if c not in ("suppressed", "warning")}
    suppressed: list[bool] = []
    warnings: list[str | None] = []
    for row, place in zip(rows, places, strict=True):
        shown: dict[str, Any] = {}
        withheld_any = False
        small_group = False
        smallest: float | None = None
        for column in out:
            spec = layout.spec(column)
            value = row[column]
            if spec is None:  # a key or a public figure
                shown[column] = value
                continue
            cells = place.get(column, ())
            visible = value is not None and bool(cells)
            if visible and any(model.cells[i].unknown for i in cells):
                visible = False
            if isinstance(spec, Count) and value is not None and cells:
                people = model.cells[cells[0]].value or 0
                smallest = people if smallest is None else min(smallest, people)
            if isinstance(spec, Mean | Median | Gap):
                counts = [i for i in cells if model.cells[i].measure == PEOPLE]
                if any((model.cells[i].value or 0) < threshold for i in counts):
                    visible = False
                    small_group = True
            if visible and isinstance(spec, Count):
                shown[column] = _whole(_rounded(value, round_to), frame.schema[column])
            elif visible and isinstance(spec, Share) and round_to is not None:
                numerator, denominator = (model.cells[i].value for i in cells)
                shown[column] = _share(
                    _rounded(numerator, round_to), _rounded(denominator, round_to)
                )
            else:
                shown[column] = value if visible else None
            if value is not None and shown[column] is None:
                withheld_any = True
        if round_to is not None:
            for spec in layout.columns:
                if isinstance(spec, Derived) and shown.get(spec.column) is not None:
                    source = shown.get(spec.source)
                    shown[spec.column] = None if source is None else _rederive(row, spec, source)
        for spec in layout.columns:
            if isinstance(spec, Function) and shown.get(spec.column) is not None:
                # Withheld with any figure it rests on; a source that is blank because it
                # cannot be calculated (no pool) leaves the function as computed.
                if any(
                    row.get(source) is not None and shown.get(source) is None
                    for source in spec.sources
                ):
                    shown[spec.column] = None
                elif round_to is not None:
                    shown[spec.column] = None if spec.recompute is None else spec.recompute(shown)
                if shown[spec.column] is None:
                    withheld_any = True
        for column in out:
            out[column].append(shown[column])
        suppressed.append(withheld_any)
        if layout.warnings:
            if small_group:
                warnings.append(suppression_warning(threshold))
            elif smallest is not None and smallest < ROBUST_GROUP_SIZE:
                warnings.append(CAUTION_WARNING)
            else:
                warnings.append(None)
    result = pl.DataFrame(
        {c: pl.Series(c, v, dtype=frame.schema[c]) for c, v in out.items()}
    ).with_columns(pl.Series("suppressed", suppressed, dtype=pl.Boolean))
    if layout.warnings:
        result = result.with_columns(pl.Series("warning", warnings, dtype=pl.String))
    return result


def _whole(value: float | None, dtype: pl.DataType) -> Any:
    if value is None:
        return None
    return int(value) if dtype.is_integer() else value


def _share(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(100.0 * numerator / denominator, 2)


def _rederive(row: Mapping[str, Any], spec: Derived, share: float) -> float | None:
    """A derived figure recomputed from a rounded share and the row's public figure."""
    public = row.get(spec.public)
    if public is None:
        return None
    if spec.formula == "difference":
        return round(share - public, 2)
    return round(share / public, 2) if public else None


def published_notes(
    name: str,
    frame: pl.DataFrame,
    protection: Protection,
    round_to: int | None,
    released: Callable[[int], float | None] | None = None,
) -> pl.DataFrame:
    """Sentences that print counts are rewritten from the protected counts, or replaced by a
    sentence without them when one is withheld. `released` gives the value to print for a
    count's cell instead of the row's own (the release library prints its moved counts)."""
    layout = protection.layouts[name]
    model = protection.model
    rows = protection.reader.rows[name]
    messages, counts, totals, suppressed = [], [], [], []
    for row, (count_cell, total_cell) in zip(rows, protection.mentions[name], strict=True):
        mention = layout.mentions.get(row.get("subject") or "")
        if mention is None:
            messages.append(row["message"])
            counts.append(row.get("count"))
            totals.append(row.get("total"))
            suppressed.append(False)
            continue
        cells = [c for c in (count_cell, total_cell) if c is not None]
        if any(model.cells[c].unknown for c in cells):
            messages.append(mention.withheld)
            counts.append(None)
            totals.append(None)
            suppressed.append(True)
            continue
        count = _rounded(_printed(row.get("count"), count_cell, released), round_to)
        total = _rounded(_printed(row.get("total"), total_cell, released), round_to)
        template = mention.template
        if count == 0 and mention.zero_template is not None:
            template = mention.zero_template
        messages.append(
            template.format(
                count=int(count) if count is not None else 0,
                total=int(total) if total is not None else 0,
                nominal=-(-int(total) // 20) if total is not None else 0,
                group=row.get("group") or "",
            )
        )
        counts.append(None if count is None else int(count))
        totals.append(None if total is None else int(total))
        suppressed.append(False)
    columns = {
        "message": pl.Series("message", messages, dtype=pl.String),
        "suppressed": pl.Series("suppressed", suppressed, dtype=pl.Boolean),
    }
    if "count" in frame.columns:
        columns["count"] = pl.Series("count", counts, dtype=frame.schema["count"])
    if "total" in frame.columns:
        columns["total"] = pl.Series("total", totals, dtype=frame.schema["total"])
    return frame.drop("suppressed", strict=False).with_columns(**columns)


def _printed(value: Any, cell: int | None, released: Callable[[int], float | None] | None) -> Any:
    if released is None:
        return value
    return None if cell is None else released(cell)


def published_fields(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as flat JSON-ready objects: every row carries `suppressed`, and a withheld figure is
    a null (`{"count": null, "percent": null, "suppressed": true}`)."""
    if "suppressed" not in frame.columns:
        raise ValueError("table has not been through protect(): no 'suppressed' column")
    return frame.to_dicts()
