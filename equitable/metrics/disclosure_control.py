"""Statistical disclosure control: the one step every figure passes through before publication.

Personal-level data and exact small counts are for the EDI officer and the HR analyst only. Every
table shown to anyone else (board members, directorate champions, the coordinator, published
reports, exports marked for publication) goes through `protect`. The rules, and where they come
from (docs/disclosure-control.md has the full reasoning):

* **Primary suppression.** A count of 1 to `threshold - 1` people is withheld, with every
  percentage, gap and ratio resting on it. The default threshold is 10, as the ONS Secure Research
  Service uses; an organisation may lower it, never below 5. True zeros are published (NHS Digital
  "0 stays 0", Ofqual "true zero shown as 0"): the absence of a group is the finding that
  representation reporting exists to show. The exception is *group disclosure*: when a whole row
  (a directorate, a pay band) has fewer than `threshold` people, every cell of that row is
  withheld, zeros included, so that "all five people in this team are White" cannot be read off.
* **Pay figures** (gaps, means, medians) need at least `threshold` people in each group compared
  and carry a caution under 50 people (the ethnicity pay reporting guidance's robustness size).
* **Secondary (complementary) suppression.** A withheld cell must not be recoverable from what is
  shown: row totals (implied by the percentages), the known total (implied by the share of
  known), the "Black, Asian and Multi-ethnic" row (the sum of Asian, Black, Mixed and Other),
  column totals, the overall table that the by-directorate (by pay band, by quartile...) tables
  add up to, and the disclosure table's known and total counts. Every such sum is a constraint;
  whenever a constraint has exactly one unknown cell, the smallest non-zero displayed cell beside
  it is withheld too, repeated to a fixed point across linked tables. Local rules miss cells
  that only several constraints together determine, so the pass ends with an exact check: a cell
  is determined by the equations exactly when it has no component in the null space of the
  constraint matrix restricted to the unknown cells; any such cell gets one more complement.
  Non-negativity pins cells too: a sum whose shown cells leave 0 over for withheld zeros shows
  each of them is 0, so such a sum gets its smallest shown non-zero part withheld as well; a
  linear programme then checks that every withheld cell, zeros included, can still move a
  whole unit. `equitable.metrics.attack` re-attacks the published tables by linear programming
  (with the non-negativity bounds an intruder also has); the tests run it over random tables
  and check every withheld cell, zeros included.
* **Rounding** (an organisation option, `round_to=5`, as NHS Digital, HESA and Ofqual publish)
  happens after suppression; percentages are then recomputed from the rounded counts (NHS
  Digital's choice), because percentages from unrounded counts would give the exact counts back.

Everything here is polars and numpy on tables of a few hundred cells (scipy only for the
non-negativity check, when a withheld zero is about); protecting the ~22 tables of one extract
takes about 0.1-0.2 s.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    NOT_KNOWN,
    NOT_RECORDED,
    PREFER_NOT_TO_SAY,
    UNKNOWN_GROUP,
    WHITE,
)

MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 10
# The ethnicity pay reporting guidance asks for at least 50 people per group compared.
ROBUST_GROUP_SIZE = 50
CAUTION_WARNING = "fewer than 50 people: treat with caution; consider combining groups"

AGGREGATE_PARTS = tuple(group for group in ETHNIC_GROUPS if group != WHITE)
UNKNOWN_LABELS = frozenset(
    {UNKNOWN_GROUP, PREFER_NOT_TO_SAY, NOT_KNOWN, NOT_RECORDED, "Not declared", "Not stated"}
)
TOTAL_LABELS = frozenset({"Total", "All", "All staff"})
# Published benchmarks (census shares) are public, so they are never withheld.
PUBLIC_COLUMNS = frozenset({"population_percent", "population_count", "population_share"})
# Columns that identify a row even when their type is numeric.
KEY_COLUMNS_BY_NAME = frozenset(
    {"quartile", "pay_band", "grade", "leadership_tier", "directorate", "division"}
)
CATEGORY_COLUMNS = ("ethnic_group", "ethnicity", "sex", "disability", "group")
FLAG_COLUMNS = ("suppressed", "warning")
_ROW_TOTAL = "__total__"
_ROW_KNOWN = "__known__"


def suppression_warning(threshold: int) -> str:
    return (
        f"fewer than {threshold} people in a group compared: not published; "
        "consider combining groups"
    )


# --------------------------------------------------------------------------------------------
# The model: cells (numbers an attacker may know or not) and sum constraints between them.


@dataclass
class Cell:
    """One number about people.

    `shown` cells are published unless withheld; `implicit` cells are never published but follow
    from published ones (the people left out of a by-directorate table, the staff who did not
    disclose a characteristic). `display` cells are counts printed as their own number (preferred
    as complements over structural totals, whose loss blanks a whole column of percentages).
    """

    value: int
    label: str
    implicit: bool = False
    display: bool = True
    hidden: bool = False
    primary: bool = False
    # A zero withheld only because its whole row is small (group disclosure).
    courtesy: bool = False
    # Where the number shows: (table, row indices, columns to blank when withheld).
    table: str | None = None
    rows: tuple[int, ...] = ()
    columns: tuple[str, ...] = ()

    @property
    def unknown(self) -> bool:
        return self.hidden or self.implicit


@dataclass
class Model:
    threshold: int
    cells: list[Cell] = field(default_factory=list)
    # (total, parts): value[total] == sum(value[part] for part in parts)
    constraints: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)

    def add(self, cell: Cell) -> int:
        self.cells.append(cell)
        return len(self.cells) - 1

    def add_constraint(self, total: int, parts: Iterable[int]) -> None:
        parts = tuple(parts)
        if not parts:
            return
        if self.cells[total].value != sum(self.cells[p].value for p in parts):
            raise AssertionError(f"inconsistent sum for {self.cells[total].label}")
        self.constraints.append((total, parts))

    def sensitive(self, index: int) -> bool:
        return 0 < self.cells[index].value < self.threshold

    def needs_protection(self, index: int) -> bool:
        cell = self.cells[index]
        return cell.hidden or (cell.implicit and self.sensitive(index))

    def published(self) -> dict[int, int | None]:
        """What an attacker sees: each cell's value, or None when it is unknown to them."""
        return {i: (None if c.unknown else c.value) for i, c in enumerate(self.cells)}


# --------------------------------------------------------------------------------------------
# Reading tables into the model.


@dataclass
class _Grid:
    """The cells of one table by (row key, label), for linking tables together."""

    name: str
    family: tuple[str, ...]
    dims: tuple[str, ...]
    cells: dict[tuple[tuple[Any, ...], str], int]
    grand_total: int


@dataclass
class _CountLayout:
    name: str
    category: str | None
    dims: tuple[str, ...]
    # per float column: ("share", "T" | "K" | "C"...), ("diff" | "ratio", share columns...) or
    # ("unknown",): which denominator or share column it was computed from
    bases: dict[str, tuple[str, ...]]


def _is_numeric(dtype: pl.DataType) -> bool:
    return dtype.is_numeric()


def _key_columns(frame: pl.DataFrame) -> list[str]:
    return [
        name
        for name, dtype in frame.schema.items()
        if name not in FLAG_COLUMNS
        and (
            name in KEY_COLUMNS_BY_NAME
            or not (_is_numeric(dtype) or dtype in (pl.Boolean, pl.Null))
        )
    ]


def _float_columns(frame: pl.DataFrame, keys: list[str]) -> list[str]:
    return [
        name
        for name, dtype in frame.schema.items()
        if name not in keys
        and (dtype.is_float() or dtype == pl.Null)
        and name not in PUBLIC_COLUMNS
        and name not in FLAG_COLUMNS
    ]


def _integer_columns(frame: pl.DataFrame, keys: list[str]) -> list[str]:
    return [
        name
        for name, dtype in frame.schema.items()
        if name not in keys and dtype.is_integer() and name not in PUBLIC_COLUMNS
    ]


def table_kind(frame: pl.DataFrame) -> str:
    """'pay', 'disclosure', 'count' or 'other', from the column names."""
    columns = set(frame.columns)
    if "reference_group" in columns or any(c.endswith("gap_percent") for c in columns):
        return "pay"
    if {"characteristic", "known", "total"} <= columns:
        return "disclosure"
    if "count" in columns:
        return "count"
    return "other"


def _close(a: float, b: float) -> bool:
    """Equal to the precision percentages are printed with (one or two decimal places)."""
    return abs(a - b) <= max(0.051, 1e-6 * abs(b))


def _detect_bases(
    frame: pl.DataFrame, floats: list[str], share_bases: dict[str, list[float | None]]
) -> dict[str, tuple[str, ...]]:
    """Which denominator each percentage column was computed from (checked on every row)."""
    counts = frame["count"].to_list()
    bases: dict[str, tuple[str, ...]] = {}
    for column in floats:
        values = frame[column].to_list()
        matches: list[str] = []
        for basis, denominators in share_bases.items():
            checked = 0
            ok = True
            for value, count, denominator in zip(values, counts, denominators, strict=True):
                if value is None or count is None:
                    continue
                if not denominator or not _close(value, 100 * count / denominator):
                    ok = False
                    break
                checked += 1
            if ok and checked:
                matches.append(basis)
        bases[column] = ("share", *matches) if matches else ("unknown",)
    population = (
        frame["population_percent"].to_list() if "population_percent" in frame.columns else None
    )
    if population is None:
        return bases
    shares = [c for c, b in bases.items() if b[0] == "share"]
    for column, current in list(bases.items()):
        if current[0] != "unknown":
            continue
        values = frame[column].to_list()
        differences: list[str] = []
        ratios: list[str] = []
        for share in shares:
            share_values = frame[share].to_list()
            pairs = [
                (v, s, p)
                for v, s, p in zip(values, share_values, population, strict=True)
                if v is not None and s is not None and p is not None
            ]
            if pairs and all(_close(v, s - p) for v, s, p in pairs):
                differences.append(share)
            if pairs and all(p and abs(v - s / p) <= 0.006 for v, s, p in pairs):
                ratios.append(share)
        if differences:
            bases[column] = ("diff", *differences)
        elif ratios:
            bases[column] = ("ratio", *ratios)
    return bases


class _Builder:
    def __init__(self, tables: Mapping[str, pl.DataFrame], threshold: int):
        self.tables = tables
        self.model = Model(threshold)
        self.grids: list[_Grid] = []
        self.layouts: dict[str, _CountLayout] = {}
        self.detailed: list[tuple[dict[tuple[tuple[Any, ...], str], int], dict[str, str]]] = []
        # cell index -> what to blank in the table: (table, rows, columns)
        self.row_totals: dict[str, dict[tuple[Any, ...], dict[str, int]]] = {}

    # Count tables -------------------------------------------------------------------------

    def add_count_table(self, name: str, frame: pl.DataFrame) -> None:
        keys = _key_columns(frame)
        parents: dict[str, str] = {}
        category: str | None
        if "ethnicity" in keys and "ethnic_group" in keys:
            # Detailed categories: the group column only names each category's parent.
            category = "ethnicity"
            keys.remove("ethnic_group")
            for detailed, parent in frame.select("ethnicity", "ethnic_group").rows():
                parents[str(detailed)] = str(parent)
        else:
            category = next((c for c in CATEGORY_COLUMNS if c in keys), None)
        if category is None:
            candidates = [k for k in keys if k not in KEY_COLUMNS_BY_NAME]
            category = candidates[-1] if candidates else None
        dims = tuple(k for k in keys if k != category)
        floats = _float_columns(frame, keys)
        model = self.model

        rows_by_group: dict[tuple[Any, ...], list[int]] = defaultdict(list)
        dim_values = frame.select(dims).rows() if dims else [()] * frame.height
        labels = frame[category].to_list() if category else [None] * frame.height
        counts = frame["count"].to_list()
        for index, group in enumerate(dim_values):
            rows_by_group[group].append(index)

        grid: dict[tuple[tuple[Any, ...], str], int] = {}
        totals_t: list[float | None] = [None] * frame.height
        totals_k: list[float | None] = [None] * frame.height
        group_cells: dict[tuple[Any, ...], dict[str, int]] = {}
        for group, indices in rows_by_group.items():
            by_label: dict[str, int] = {}
            for index in indices:
                if counts[index] is None:
                    continue
                label = "" if labels[index] is None else str(labels[index])
                cell = Cell(int(counts[index]), f"{name}{group}:{label}", table=name)
                cell.rows = (index,)
                cell.columns = ("count",)
                by_label[label] = model.add(cell)
            self._structure(name, group, indices, by_label, category)
            group_cells[group] = by_label
            total = by_label.get(_ROW_TOTAL)
            known = by_label.get(_ROW_KNOWN)
            for index in indices:
                totals_t[index] = model.cells[total].value if total is not None else None
                totals_k[index] = model.cells[known].value if known is not None else None
            for label, cell_index in by_label.items():
                grid[(group, label)] = cell_index
        column_totals = self._column_totals(name, dims, group_cells, grid)
        totals_c: list[float | None] = [
            model.cells[column_totals[str(lab)]].value if str(lab) in column_totals else None
            for lab in labels
        ]
        bases = _detect_bases(frame, floats, {"T": totals_t, "K": totals_k, "C": totals_c})
        self.layouts[name] = _CountLayout(name, category, dims, bases)
        # Percentages reveal their denominators: attach the columns each total shows through.
        for group, by_label in group_cells.items():
            rows = tuple(rows_by_group[group])
            for key, basis in ((_ROW_TOTAL, "T"), (_ROW_KNOWN, "K")):
                if key in by_label:
                    cell = model.cells[by_label[key]]
                    if cell.table is None:
                        cell.table, cell.rows = name, rows
                        cell.columns = _dependent_columns(bases, basis)
                        if basis == "T" and "total" in frame.columns:
                            cell.columns += ("total",)
        for label, cell_index in column_totals.items():
            cell = model.cells[cell_index]
            cell.table = name
            cell.rows = tuple(i for i, lab in enumerate(labels) if str(lab) == label)
            cell.columns = _dependent_columns(bases, "C")
        grand = grid.get(((), _ROW_TOTAL))
        grand_total = model.cells[grand].value if grand is not None else 0
        if dims:
            grand_total = sum(
                model.cells[c].value for (_, lab), c in grid.items() if lab == _ROW_TOTAL
            )
        self.grids.append(_Grid(name, ("count", category or ""), dims, grid, grand_total))
        if parents and not dims:
            self.detailed.append((grid, parents))

    def _structure(
        self,
        name: str,
        group: tuple[Any, ...],
        indices: list[int],
        by_label: dict[str, int],
        category: str | None,
    ) -> None:
        """Row constraints: total = known + unknown; known = aggregate + the rest; aggregate =
        Asian + Black + Mixed + Other. Adds the (structural) total and known cells."""
        model = self.model
        explicit_total = next((by_label[t] for t in TOTAL_LABELS if t in by_label), None)
        aggregate = by_label.get(AGGREGATE_LABEL) if category == "ethnic_group" else None
        parts_of_aggregate = [by_label[p] for p in AGGREGATE_PARTS if p in by_label]
        if (
            aggregate is not None
            and parts_of_aggregate
            and model.cells[aggregate].value
            == sum(model.cells[p].value for p in parts_of_aggregate)
        ):
            model.add_constraint(aggregate, parts_of_aggregate)
            nested = set(parts_of_aggregate)
        else:
            nested = set()
        members = [
            (label, index)
            for label, index in by_label.items()
            if label not in TOTAL_LABELS and index not in nested
        ]
        unknown = [index for label, index in members if label in UNKNOWN_LABELS]
        known = [index for label, index in members if label not in UNKNOWN_LABELS]
        row_sum = sum(model.cells[i].value for _, i in members)
        if explicit_total is not None and model.cells[explicit_total].value == row_sum:
            total = explicit_total
        else:
            total = model.add(Cell(row_sum, f"{name}{group}:total", display=False))
            if explicit_total is not None:
                model.cells[explicit_total].label += " (unmatched total)"
        by_label[_ROW_TOTAL] = total
        if unknown and known:
            known_cell = model.add(
                Cell(
                    sum(model.cells[i].value for i in known),
                    f"{name}{group}:known",
                    display=False,
                )
            )
            by_label[_ROW_KNOWN] = known_cell
            model.add_constraint(known_cell, known)
            model.add_constraint(total, [known_cell, *unknown])
        else:
            model.add_constraint(total, [i for _, i in members])
        # Group disclosure: a row of fewer than `threshold` people is withheld whole.
        if model.sensitive(total):
            for index in by_label.values():
                model.cells[index].hidden = True
                model.cells[index].primary = True
                model.cells[index].courtesy = model.cells[index].value == 0

    def _column_totals(
        self,
        name: str,
        dims: tuple[str, ...],
        group_cells: dict[tuple[Any, ...], dict[str, int]],
        grid: dict[tuple[tuple[Any, ...], str], int],
    ) -> dict[str, int]:
        """Column totals over the rows of a by-dimension table (shown by the overall table,
        and by any percentage taken down a column)."""
        if not dims:
            return {}
        model = self.model
        by_label: dict[str, list[int]] = defaultdict(list)
        for cells in group_cells.values():
            for label, index in cells.items():
                by_label[label].append(index)
        totals: dict[str, int] = {}
        for label, parts in by_label.items():
            value = sum(model.cells[p].value for p in parts)
            totals[label] = model.add(Cell(value, f"{name}:column {label}", display=False))
            model.add_constraint(totals[label], parts)
            grid[((), label)] = totals[label]
        return totals

    # Disclosure tables ---------------------------------------------------------------------

    def add_disclosure_table(self, name: str, frame: pl.DataFrame) -> None:
        keys = [k for k in _key_columns(frame) if k != "characteristic"]
        dims = tuple(keys)
        model = self.model
        dim_values = frame.select(dims).rows() if dims else [()] * frame.height
        characteristics = frame["characteristic"].to_list()
        knowns = frame["known"].to_list()
        totals = frame["total"].to_list()
        extra = [c for c in _integer_columns(frame, keys) if c not in {"known", "total"}]
        extra_values = {c: frame[c].to_list() for c in extra}
        grid: dict[tuple[tuple[Any, ...], str], int] = {}
        total_cells: dict[tuple[Any, ...], int] = {}
        for index, group in enumerate(dim_values):
            if knowns[index] is None or totals[index] is None:
                continue
            key = (group, _ROW_TOTAL)
            if key in grid and model.cells[grid[key]].value == totals[index]:
                total = grid[key]
                model.cells[total].rows += (index,)
            else:
                total = model.add(
                    Cell(int(totals[index]), f"{name}{group}:total", table=name, display=False)
                )
                model.cells[total].rows = (index,)
                model.cells[total].columns = ("total", "percent_known")
                grid.setdefault(key, total)
            total_cells[group] = total
            known = model.add(
                Cell(int(knowns[index]), f"{name}{group}:known {characteristics[index]}")
            )
            model.cells[known].table = name
            model.cells[known].rows = (index,)
            model.cells[known].columns = ("known", "percent_known")
            parts = [known]
            for column in extra:
                value = extra_values[column][index]
                if value is None:
                    continue
                part = model.add(
                    Cell(int(value), f"{name}{group}:{column} {characteristics[index]}")
                )
                model.cells[part].table = name
                model.cells[part].rows = (index,)
                model.cells[part].columns = (column,)
                parts.append(part)
            rest = int(totals[index]) - sum(model.cells[p].value for p in parts)
            if rest < 0:  # the extra columns are not a breakdown of the unknowns
                parts = [known]
                rest = int(totals[index]) - int(knowns[index])
            if rest or len(parts) == 1:  # an intruder does not know the rest is 0
                parts.append(
                    model.add(
                        Cell(
                            rest, f"{name}{group}:not known {characteristics[index]}", implicit=True
                        )
                    )
                )
            model.add_constraint(total, parts)
            grid[(group, f"known:{characteristics[index]}")] = known
        if dims:
            group_cells: dict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
            for (group, label), index in list(grid.items()):
                group_cells[group][label] = index
            self._column_totals(name, dims, group_cells, grid)
        grand = sum(model.cells[c].value for c in total_cells.values())
        self.grids.append(_Grid(name, ("disclosure",), dims, grid, grand))

    # Links between tables ------------------------------------------------------------------

    def link(self) -> None:
        """Finer tables add up to coarser ones (by directorate -> overall); the disclosure table's
        ethnicity counts are the representation table's known and total counts."""
        for finer in self.grids:
            for coarse_dims in {
                tuple(d for d in finer.dims if d in subset.dims)
                for subset in self.grids
                if subset.family == finer.family and set(subset.dims) < set(finer.dims)
            }:
                candidates = [
                    g
                    for g in self.grids
                    if g.family == finer.family and set(g.dims) == set(coarse_dims)
                ]
                for coarser in sorted(candidates, key=lambda g: -g.grand_total):
                    if self._link_pair(finer, coarser):
                        break
        self._link_disclosure()
        self._link_detailed()

    def _link_detailed(self) -> None:
        """The 19 detailed categories add up to their high-level group in the overall table."""
        overall = [g for g in self.grids if g.family == ("count", "ethnic_group") and not g.dims]
        if not overall:
            return
        groups = max(overall, key=lambda g: g.grand_total).cells
        model = self.model
        for grid, parents in self.detailed:
            members: dict[str, list[int]] = defaultdict(list)
            for (_, label), index in grid.items():
                if label in parents:
                    members[parents[label]].append(index)
            links: list[tuple[int, list[int], int]] = []
            for parent, parts in members.items():
                total = groups.get(((), parent))
                if total is None:
                    continue
                residual = model.cells[total].value - sum(model.cells[p].value for p in parts)
                if residual < 0:
                    links = []
                    break
                links.append((total, parts, residual))
            for total, parts, residual in links:
                if residual:
                    parts = [*parts, model.add(Cell(residual, "left out", implicit=True))]
                model.add_constraint(total, parts)

    def _link_pair(self, finer: _Grid, coarser: _Grid) -> bool:
        model = self.model
        positions = [finer.dims.index(d) for d in coarser.dims]
        order = [coarser.dims.index(d) for d in coarser.dims]
        sums: dict[tuple[tuple[Any, ...], str], list[int]] = defaultdict(list)
        for (group, label), index in finer.cells.items():
            if finer.dims and group == () and len(finer.dims) > 0:
                continue  # the finer table's own column totals
            projected = tuple(group[p] for p in positions)
            sums[(tuple(projected[o] for o in order), label)].append(index)
        links: list[tuple[int, list[int], int]] = []
        for key, parts in sums.items():
            if key not in coarser.cells:
                continue
            total = coarser.cells[key]
            residual = model.cells[total].value - sum(model.cells[p].value for p in parts)
            if residual < 0:
                return False
            links.append((total, parts, residual))
        if not links:
            return False
        for total, parts, residual in links:
            if residual:
                left_out = model.add(
                    Cell(residual, f"left out of {finer.name}", implicit=True, display=False)
                )
                parts = [*parts, left_out]
            model.add_constraint(total, parts)
        return True

    def _link_disclosure(self) -> None:
        model = self.model
        for disclosure in (g for g in self.grids if g.family == ("disclosure",)):
            for (group, label), index in disclosure.cells.items():
                if not label.startswith("known:"):
                    continue
                characteristic = label.removeprefix("known:").lower().replace(" ", "_")
                families = {characteristic}
                if "ethnic" in characteristic:
                    families |= {"ethnic_group", "ethnicity"}
                for grid in self.grids:
                    if grid.family[0] != "count" or grid.family[1] not in families:
                        continue
                    if set(grid.dims) != set(disclosure.dims):
                        continue
                    count_group = self._regroup(group, disclosure.dims, grid.dims)
                    known = grid.cells.get((count_group, _ROW_KNOWN))
                    total = grid.cells.get((count_group, _ROW_TOTAL))
                    disclosure_total = disclosure.cells.get((group, _ROW_TOTAL))
                    if known is None or total is None or disclosure_total is None:
                        continue
                    if (
                        model.cells[known].value != model.cells[index].value
                        or model.cells[total].value != model.cells[disclosure_total].value
                    ):
                        continue
                    model.add_constraint(index, [known])
                    model.add_constraint(disclosure_total, [total])
                    break

    @staticmethod
    def _regroup(group: tuple[Any, ...], source: tuple[str, ...], target: tuple[str, ...]):
        if group == ():
            return ()
        mapping = dict(zip(source, group, strict=True))
        return tuple(mapping[d] for d in target)


def _dependent_columns(bases: dict[str, tuple[str, ...]], basis: str) -> tuple[str, ...]:
    """Columns computed from the given denominator, and the gaps and ratios computed from them;
    columns whose basis could not be recognised are blanked with any denominator."""
    shares = {c for c, b in bases.items() if b[0] == "share" and basis in b[1:]}
    derived = {c for c, b in bases.items() if b[0] in {"diff", "ratio"} and set(b[1:]) & shares}
    unknown = {c for c, b in bases.items() if b == ("unknown",)}
    return tuple(sorted(shares | derived | unknown))


# --------------------------------------------------------------------------------------------
# Secondary suppression.


def _complement(
    model: Model,
    constraint: tuple[int, tuple[int, ...]],
    by_cell: dict[int, list[int]],
    unlock: bool = False,
) -> int | None:
    """The cell to withhold beside a lone unknown: a displayed count before a structural total
    (whose loss blanks a column of percentages), a part before the sum (the sum of a column is
    the coarser table's cell, tied into every other breakdown), non-zero before zero (a withheld zero beside a
    small count would bound it from above), then the one that opens the fewest new gaps (sums it
    would be the only unknown in, each needing a complement of its own), then the smallest."""
    ranked = _ranked_complement(model, constraint, by_cell, unlock)
    return None if ranked is None else ranked[1]


def _ranked_complement(
    model: Model,
    constraint: tuple[int, tuple[int, ...]],
    by_cell: dict[int, list[int]],
    unlock: bool = False,
) -> tuple[tuple[Any, ...], int] | None:
    total, parts = constraint
    candidates = [i for i in (*parts, total) if not model.cells[i].unknown]
    if unlock:
        # Only a shown part above 0, or the shown total, leaves the withheld zeros room.
        candidates = [i for i in candidates if i == total or model.cells[i].value > 0]
    if not candidates:
        return None

    def new_gaps(i: int) -> int:
        gaps = 0
        for position in by_cell[i]:
            t, p = model.constraints[position]
            if not any(model.cells[j].unknown for j in (t, *p)):
                gaps += 1
        return gaps

    return min(
        (
            (
                not model.cells[i].display,
                i == total,
                model.cells[i].value == 0,
                new_gaps(i),
                model.cells[i].value,
                i,
            ),
            i,
        )
        for i in candidates
    )


def _zero_locked(model: Model, total: int, unknown: list[int]) -> bool:
    """A sum whose total is shown and whose unknown cells are all withheld parts of 0: the
    shown cells leave nothing over, so non-negativity shows each of them is 0."""
    return (
        bool(unknown)
        and not model.cells[total].unknown
        and all(model.cells[i].value == 0 for i in unknown)
        and any(model.needs_protection(i) for i in unknown)
    )


def _local_pass(model: Model, by_cell: dict[int, list[int]]) -> bool:
    """Fixed point of: a constraint with exactly one unknown cell that needs protecting gets a
    complement; a constraint whose shown cells leave 0 for withheld zeros (`_zero_locked`)
    gets a shown non-zero part (or its total) withheld, so the zeros could be more."""
    changed = False
    queue = list(range(len(model.constraints)))
    while queue:
        position = queue.pop()
        total, parts = model.constraints[position]
        unknown = [i for i in (total, *parts) if model.cells[i].unknown]
        if len(unknown) == 1 and model.needs_protection(unknown[0]):
            chosen = _complement(model, model.constraints[position], by_cell)
        elif _zero_locked(model, total, unknown):
            chosen = _complement(model, model.constraints[position], by_cell, unlock=True)
        else:
            continue
        if chosen is None:
            continue
        model.cells[chosen].hidden = True
        changed = True
        queue.extend(by_cell[chosen])
    return changed


def _components(model: Model, unknown: list[int]) -> list[tuple[list[int], list[int]]]:
    """Connected groups of unknown cells, with the constraints that touch them."""
    parent = {i: i for i in unknown}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    touching: dict[int, list[int]] = defaultdict(list)
    for position, (total, parts) in enumerate(model.constraints):
        cells = [i for i in (total, *parts) if i in parent]
        for other in cells[1:]:
            parent[find(other)] = find(cells[0])
        if cells:
            touching[position] = cells
    groups: dict[int, list[int]] = defaultdict(list)
    for i in unknown:
        groups[find(i)].append(i)
    constraints_by_root: dict[int, list[int]] = defaultdict(list)
    for position, cells in touching.items():
        constraints_by_root[find(cells[0])].append(position)
    return [(cells, constraints_by_root[root]) for root, cells in groups.items()]


def determined_cells(
    model: Model, cache: dict[tuple[tuple[int, ...], tuple[int, ...]], list[int]] | None = None
) -> list[int]:
    """Unknown cells whose value the published sums fix exactly (ignoring non-negativity).

    With A the constraint matrix restricted to unknown cells, the unknowns form x0 + null(A);
    cell i is fixed exactly when the unit vector e_i lies in the row space of A, that is when
    the orthogonal projection onto the row space (V_r V_r^T from A's SVD) has 1 at (i, i)."""
    unknown = [i for i, c in enumerate(model.cells) if c.unknown]
    fixed: list[int] = []
    for cells, positions in _components(model, unknown):
        key = (tuple(cells), tuple(positions))
        if cache is not None and key in cache:
            fixed.extend(cache[key])
            continue
        found: list[int] = []
        column = {cell: k for k, cell in enumerate(cells)}
        matrix = np.zeros((max(len(positions), 1), len(cells)))
        for row, position in enumerate(positions):
            total, parts = model.constraints[position]
            if total in column:
                matrix[row, column[total]] -= 1.0
            for part in parts:
                if part in column:
                    matrix[row, column[part]] += 1.0
        _, singular, vt = np.linalg.svd(matrix, full_matrices=False)
        rank = int((singular > 1e-9).sum())
        projection = (vt[:rank] ** 2).sum(axis=0)
        found = [cell for cell, k in column.items() if projection[k] > 1 - 1e-9]
        if cache is not None:
            cache[key] = found
        fixed.extend(found)
    return fixed


def _bounded_by_zeros(model: Model, by_cell: dict[int, list[int]]) -> list[int]:
    """Withheld cells that non-negativity pins down.

    A cell free in the equations can still be pinned when every way of moving it runs into a
    withheld zero that cannot go below 0, or, for a withheld zero itself, when no way of moving
    it up is left (the shown cells of its sums leave nothing over, through several sums at
    once). That needs a withheld zero, itself or in one of its sums, so only those cells get a
    linear programme (scipy, imported only then): one per linked group finds which can move a
    unit up, one which of the rest can move down, and any left get a range each."""
    zeros = {i for i, c in enumerate(model.cells) if c.unknown and c.value == 0}
    if not zeros:
        return []
    suspects = [
        i
        for i, c in enumerate(model.cells)
        if model.needs_protection(i)
        and (
            c.value == 0
            or any(
                j in zeros
                for position in by_cell[i]
                for j in (model.constraints[position][0], *model.constraints[position][1])
            )
        )
    ]
    if not suspects:
        return []
    from equitable.metrics.attack import Programme, is_pinned

    published = model.published()
    suspected = set(suspects)
    pinned: list[int] = []
    unknown = [i for i, c in enumerate(model.cells) if c.unknown]
    for cells, positions in _components(model, unknown):
        mine = [i for i in cells if i in suspected]
        if not mine:
            continue
        # Only the sums that touch this group of unknown cells matter to them.
        constraints = [model.constraints[p] for p in positions]
        involved = {i for t, parts in constraints for i in (t, *parts)}
        programme = Programme({i: published[i] for i in involved}, constraints)
        values = [model.cells[i].value for i in mine]
        # Two programmes show most suspects can move a whole unit up or down; the rest get
        # one each.
        free = programme.can_move(mine, values, 1.0)
        movable = [i for i, v in zip(mine, values, strict=True) if v > 0 and i not in free]
        if movable:
            down = [model.cells[i].value for i in movable]
            free |= programme.can_move(movable, down, -1.0)
        pinned += [
            i
            for i in mine
            if i not in free and is_pinned(*programme.range(i, lowest=model.cells[i].value > 0))
        ]
    return pinned


def _nearest_complement(model: Model, cell: int, by_cell: dict[int, list[int]]) -> int | None:
    """A complement for an exposed cell: from a sum it appears in, else from the nearest sum
    reachable through other unknown cells (the equations that pin it run through them)."""
    seen_cells = {cell}
    seen_constraints: set[int] = set()
    frontier = [cell]
    while frontier:
        following: list[int] = []
        best: tuple[tuple[Any, ...], int] | None = None
        for current in frontier:
            for position in by_cell[current]:
                if position in seen_constraints:
                    continue
                seen_constraints.add(position)
                ranked = _ranked_complement(model, model.constraints[position], by_cell)
                if ranked is not None and (best is None or ranked < best):
                    best = ranked
                total, parts = model.constraints[position]
                for other in (total, *parts):
                    if other not in seen_cells:
                        seen_cells.add(other)
                        following.append(other)
        if best is not None:
            return best[1]
        frontier = following
    return None


def secondary_suppression(model: Model) -> None:
    by_cell: dict[int, list[int]] = defaultdict(list)
    for position, (total, parts) in enumerate(model.constraints):
        for i in (total, *parts):
            by_cell[i].append(position)
    cache: dict[tuple[tuple[int, ...], tuple[int, ...]], list[int]] = {}
    for _ in range(200):
        _local_pass(model, by_cell)
        exposed = [i for i in determined_cells(model, cache) if model.needs_protection(i)]
        if not exposed:
            exposed = _bounded_by_zeros(model, by_cell)
        if not exposed:
            return
        progressed = False
        for cell in exposed:
            chosen = _nearest_complement(model, cell, by_cell)
            if chosen is not None:
                model.cells[chosen].hidden = True
                progressed = True
        if not progressed:
            raise RuntimeError("secondary suppression could not protect every withheld cell")
    raise RuntimeError("secondary suppression did not settle")  # pragma: no cover


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


def build_model(tables: Mapping[str, pl.DataFrame], threshold: int) -> tuple[Model, _Builder]:
    """Cells and constraints for every count and disclosure table, with primary suppression
    applied and secondary suppression run."""
    builder = _Builder(tables, threshold)
    for name, frame in tables.items():
        kind = table_kind(frame)
        if kind == "count":
            builder.add_count_table(name, frame)
        elif kind == "disclosure":
            builder.add_disclosure_table(name, frame)
    builder.link()
    model = builder.model
    for index, cell in enumerate(model.cells):
        if not cell.implicit and model.sensitive(index):
            cell.hidden = True
            cell.primary = True
    secondary_suppression(model)
    return model, builder


def protect(
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    round_to: int | None = None,
) -> dict[str, pl.DataFrame]:
    """Return the tables as they may be shown to people without access to personal records.

    Every table of figures gains a boolean `suppressed` column (true when any figure in the row
    was withheld); pay tables gain a `warning` column. Withheld figures are nulls. A table with
    no numbers at all (such as the notes table) is returned as it is. `threshold` below 5 and a
    `round_to` that is not a whole number of 2 or more raise ValueError.
    """
    check_threshold(threshold)
    if round_to is not None and (
        isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 2
    ):
        raise ValueError(f"round_to must be a whole number of 2 or more, not {round_to!r}")
    model, builder = build_model(tables, threshold)

    blank: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for cell in model.cells:
        if cell.hidden and cell.table is not None:
            for column in cell.columns:
                blank[cell.table][column].update(cell.rows)
            if "count" in cell.columns:
                layout = builder.layouts.get(cell.table)
                extra = layout.bases if layout else {}
                for column in extra:
                    blank[cell.table][column].update(cell.rows)
    overall = _overall_ethnic_cells(model, builder)

    protected: dict[str, pl.DataFrame] = {}
    for name, frame in tables.items():
        kind = table_kind(frame)
        if kind == "pay":
            frame = _protect_pay(frame, threshold, overall, round_to)
        elif kind == "other":
            frame = _protect_other(frame, threshold)
        else:
            frame = _apply_blanks(frame, blank.get(name, {}))
            if round_to is not None:
                frame = _round_table(frame, kind, builder.layouts.get(name), round_to)
        protected[name] = frame
    return protected


def _overall_ethnic_cells(model: Model, builder: _Builder) -> dict[str, Cell]:
    """The overall ethnic-group table's cells by label, so pay tables do not print a count the
    representation table withholds."""
    grids = [g for g in builder.grids if g.family == ("count", "ethnic_group") and not g.dims]
    if not grids:
        return {}
    grid = max(grids, key=lambda g: g.grand_total)
    return {label: model.cells[i] for (_, label), i in grid.cells.items()}


def _apply_blanks(frame: pl.DataFrame, blanks: Mapping[str, set[int]]) -> pl.DataFrame:
    withheld = np.zeros(frame.height, dtype=bool)
    replacements = []
    for column, rows in blanks.items():
        if column not in frame.columns or not rows:
            continue
        mask = np.zeros(frame.height, dtype=bool)
        mask[list(rows)] = True
        withheld |= mask
        replacements.append(
            pl.when(pl.Series(mask)).then(None).otherwise(pl.col(column)).alias(column)
        )
    if replacements:
        frame = frame.with_columns(replacements)
    if "suppressed" in frame.columns:
        withheld |= frame["suppressed"].fill_null(False).to_numpy().astype(bool)
    return frame.with_columns(pl.Series("suppressed", withheld, dtype=pl.Boolean))


def _round(value: int | None, base: int) -> int | None:
    """Nearest multiple of `base`, halves up (HESA)."""
    if value is None:
        return None
    return int(math.floor(value / base + 0.5)) * base


def _round_table(
    frame: pl.DataFrame, kind: str, layout: _CountLayout | None, base: int
) -> pl.DataFrame:
    """Round counts after suppression and recompute percentages from the rounded counts."""
    if kind == "disclosure":
        known = [_round(v, base) for v in frame["known"].to_list()]
        total = [_round(v, base) for v in frame["total"].to_list()]
        share = [
            None if k is None or t is None or t == 0 else round(100 * k / t, 2)
            for k, t in zip(known, total, strict=True)
        ]
        return frame.with_columns(
            pl.Series("known", known, dtype=frame.schema["known"]),
            pl.Series("total", total, dtype=frame.schema["total"]),
            *(
                [pl.Series("percent_known", share, dtype=pl.Float64)]
                if "percent_known" in frame.columns
                else []
            ),
        )
    assert layout is not None
    original = frame["count"].to_list()
    rounded = [_round(v, base) for v in original]
    groups = frame.select(layout.dims).rows() if layout.dims else [()] * frame.height
    labels = frame[layout.category].to_list() if layout.category else [None] * frame.height
    denominators: dict[str, list[int | None]] = {"T": [], "K": [], "C": []}
    true_total: dict[tuple[Any, ...], int] = defaultdict(int)
    true_known: dict[tuple[Any, ...], int] = defaultdict(int)
    true_column: dict[Any, int] = defaultdict(int)
    for group, label, value in zip(groups, labels, original, strict=True):
        if value is None or label == AGGREGATE_LABEL or label in TOTAL_LABELS:
            continue
        true_total[group] += value
        true_column[label] += value
        if label not in UNKNOWN_LABELS:
            true_known[group] += value
    for group, label in zip(groups, labels, strict=True):
        denominators["T"].append(_round(true_total.get(group), base))
        denominators["K"].append(_round(true_known.get(group), base))
        denominators["C"].append(_round(true_column.get(label), base))
    columns: dict[str, list[float | None]] = {}
    for column, basis in layout.bases.items():
        if basis[0] == "share":
            current = frame[column].to_list()
            columns[column] = [
                None if cur is None or r is None or not d else round(100 * r / d, 2)
                for cur, r, d in zip(current, rounded, denominators[basis[1]], strict=True)
            ]
    population = (
        frame["population_percent"].to_list() if "population_percent" in frame.columns else None
    )
    for column, basis in layout.bases.items():
        if basis[0] in {"diff", "ratio"} and population is not None:
            shares = columns.get(basis[1], frame[basis[1]].to_list())
            current = frame[column].to_list()
            if basis[0] == "diff":
                columns[column] = [
                    None if c is None or s is None or p is None else round(s - p, 2)
                    for c, s, p in zip(current, shares, population, strict=True)
                ]
            else:
                columns[column] = [
                    None if c is None or s is None or not p else round(s / p, 2)
                    for c, s, p in zip(current, shares, population, strict=True)
                ]
        elif basis == ("unknown",):
            columns[column] = [None] * frame.height
    if "total" in frame.columns and frame.schema["total"].is_integer():
        columns["total"] = [_round(v, base) for v in frame["total"].to_list()]
    return frame.with_columns(
        pl.Series("count", rounded, dtype=frame.schema["count"]),
        *(pl.Series(c, v, dtype=frame.schema[c]) for c, v in columns.items()),
    )


def _protect_pay(
    frame: pl.DataFrame, threshold: int, overall: Mapping[str, Cell], round_to: int | None
) -> pl.DataFrame:
    """Pay gaps, means and medians need at least `threshold` people in each group compared
    (for bonus figures, also among those paid a bonus); under 50 they carry a caution."""
    keys = _key_columns(frame)
    counts = _integer_columns(frame, keys)
    group_column = next((c for c in CATEGORY_COLUMNS if c in frame.columns), None)
    pairs = [("count", group_column), ("reference_count", "reference_group")]
    figures = [c for c in _float_columns(frame, keys)]
    rows = frame.to_dicts()
    out: dict[str, list[Any]] = {c: [] for c in frame.columns if c not in FLAG_COLUMNS}
    suppressed: list[bool] = []
    warnings: list[str | None] = []
    for row in rows:
        # Every group a figure rests on: the two compared, and for bonus figures those paid one.
        people = [row[c] for c in counts]
        smallest = min((p for p in people if p is not None), default=None)
        withheld = smallest is None or smallest < threshold
        warning = None
        if withheld:
            warning = suppression_warning(threshold)
        elif smallest is not None and smallest < ROBUST_GROUP_SIZE:
            warning = CAUTION_WARNING
        row_withheld = withheld
        for column in counts:
            value = row[column]
            label_column = dict(pairs).get(column)
            mirrored = overall.get(str(row.get(label_column))) if label_column else None
            hide = value is not None and (
                0 < value < threshold
                or (mirrored is not None and mirrored.hidden and mirrored.value == value)
            )
            if hide:
                row[column] = None
                row_withheld = True
            elif round_to is not None:
                row[column] = _round(value, round_to)
        if withheld:
            for column in figures:
                row[column] = None
        for column in out:
            out[column].append(row[column])
        suppressed.append(row_withheld)
        warnings.append(warning)
    result = pl.DataFrame(
        {c: pl.Series(c, v, dtype=frame.schema[c]) for c, v in out.items()}
    ).with_columns(
        pl.Series("suppressed", suppressed, dtype=pl.Boolean),
        pl.Series("warning", warnings, dtype=pl.String),
    )
    return result


def _protect_other(frame: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """A layout this module does not know: primary suppression of every whole-number column and
    blanking of the row's other figures (no secondary suppression is possible without knowing
    the sums)."""
    keys = _key_columns(frame)
    counts = _integer_columns(frame, keys)
    figures = _float_columns(frame, keys)
    if not counts and not figures:
        return frame  # no figures at all (the notes table): nothing to withhold
    if not counts:
        return frame.with_columns(pl.lit(False).alias("suppressed"))
    small = pl.any_horizontal(
        [(pl.col(c) > 0) & (pl.col(c) < threshold) for c in counts]
    ).fill_null(False)
    return frame.with_columns(
        *[
            pl.when((pl.col(c) > 0) & (pl.col(c) < threshold))
            .then(None)
            .otherwise(pl.col(c))
            .alias(c)
            for c in counts
        ],
        *[pl.when(small).then(None).otherwise(pl.col(c)).alias(c) for c in figures],
        small.alias("suppressed"),
    )


def published_fields(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as flat JSON-ready objects: every row carries `suppressed`, and a withheld figure is
    a null (`{"count": null, "percent": null, "suppressed": true}`)."""
    if "suppressed" not in frame.columns:
        raise ValueError("table has not been through protect(): no 'suppressed' column")
    return frame.to_dicts()
