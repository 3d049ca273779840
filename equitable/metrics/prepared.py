"""Turn the validated workforce frame into integer codes and one pay order, once.

Every figure is a count, a sum or an order statistic over a few small groups, so the expensive
work is reading strings and sorting pay. This module does both exactly once per workforce:

* each characteristic or dimension becomes a dense integer code per row (an Enum cast for fixed
  vocabularies, a Categorical cast with its own fresh category list for free text such as
  directorate names), cast in one parallel `select`;
* hourly pay is sorted once (`np.argsort`); quartiles, medians and the top 5% all reuse that
  order.

Figures then reduce to `np.bincount` over codes, which is the floor the benchmark compares with.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import polars as pl

from equitable.metrics import schema
from equitable.metrics.labels import (
    ETHNIC_GROUP_VALUES,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    NOT_KNOWN,
    NOT_RECORDED,
    PREFER_NOT_TO_SAY,
    UNDISCLOSED,
    UNKNOWN_GROUP,
)

ETHNICITY_DETAILED = frozenset(schema.ETHNICITY_DETAILED)  # the 19 ONS categories
GROUP_ONLY_OF = schema.GROUP_ONLY_OF
# Characteristics with a fixed vocabulary; a null counts as "Not known" (or "Unknown" group).
FIXED_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "ethnic_group": ETHNIC_GROUP_VALUES,
    **{name: schema.CHARACTERISTIC_VALUES[name] for name in ("ethnicity", "sex", "disability")},
}
# Free-text organisational dimensions (their values come from the council's own structure).
DIMENSIONS = ("directorate", "pay_band", "grade", "leadership_tier")
# Free-text characteristics reported only for disclosure rates.
FREE_TEXT_CHARACTERISTICS = ("sexual_orientation", "religion")
_NULL_CODE = np.iinfo(np.uint32).max


class FigureInputError(ValueError):
    """The frame breaks the input contract; the message lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Coded:
    """One column as dense codes 0..len(labels)-1, one per row."""

    codes: np.ndarray
    labels: tuple[str, ...]
    # Codes in the order rows are shown (natural order, blanks last); None = code order.
    display_order: tuple[int, ...] | None = None

    @property
    def size(self) -> int:
        return len(self.labels)

    def in_display_order(self) -> list[tuple[int, str]]:
        order = self.display_order or range(len(self.labels))
        return [(code, self.labels[code]) for code in order]


@dataclass
class PreparedWorkforce:
    """The workforce as integer codes plus the pay order shared by every pay figure."""

    n_rows: int
    present: frozenset[str]
    coded: dict[str, Coded]
    # Disclosure status per characteristic: 0 known, 1 prefer not to say, 2 not known.
    disclosure_status: dict[str, np.ndarray]
    hourly_pay: np.ndarray | None  # float64 per row, NaN when missing
    bonus_pay: np.ndarray | None  # float64 per row, missing counted as no bonus (0)
    # Why a column the source had cannot be used, by column (overrides "the extract has no X").
    remarks: dict[str, str] = field(default_factory=dict)

    def has(self, *columns: str) -> bool:
        return all(column in self.present for column in columns)

    @cached_property
    def pay_order(self) -> np.ndarray:
        """Row indices of everyone with an hourly rate, lowest paid first (the one sort)."""
        assert self.hourly_pay is not None
        order = np.argsort(self.hourly_pay)  # NaN sorts last
        return order[: self.n_paid]

    @cached_property
    def n_paid(self) -> int:
        assert self.hourly_pay is not None
        return int(np.count_nonzero(~np.isnan(self.hourly_pay)))

    @cached_property
    def sorted_pay(self) -> np.ndarray:
        assert self.hourly_pay is not None
        return self.hourly_pay[self.pay_order]

    @cached_property
    def cells(self) -> np.ndarray:
        """Each row's finest cell: ethnic group × White British × sex × disability (int16).

        Every pay figure is a union of these 288 cells, so counts and sums are taken once per
        cell and rolled up; an absent characteristic puts everyone in its "not known" code.
        """
        n = self.n_rows
        group = self._codes_or("ethnic_group", UNKNOWN_GROUP_CODE, n)
        white_british = self._codes_or("white_british", 2, n)
        sex = self._codes_or("sex", 3, n)
        disability = self._codes_or("disability", 3, n)
        cells = ((group * 3 + white_british) * 4 + sex) * 4 + disability
        return cells.astype(np.int16)

    @cached_property
    def sorted_cells(self) -> np.ndarray:
        """`cells` in pay order (everyone with an hourly rate, lowest paid first)."""
        return self.cells[self.pay_order]

    def _codes_or(self, name: str, fallback: int, n: int) -> np.ndarray:
        if name in self.coded:
            return self.coded[name].codes.astype(np.int32, copy=False)
        return np.full(n, fallback, dtype=np.int32)


# Components of each finest cell (see PreparedWorkforce.cells), for rolling cells up to groups.
UNKNOWN_GROUP_CODE = 5
N_CELLS = 6 * 3 * 4 * 4
_cell_index = np.arange(N_CELLS)
CELL_DISABILITY = _cell_index % 4
CELL_SEX = (_cell_index // 4) % 4
CELL_WHITE_BRITISH = (_cell_index // 16) % 3
CELL_GROUP = _cell_index // 48


def infer_present_columns(frame: pl.DataFrame) -> set[str]:
    """Columns that exist and hold at least one value (the contract keeps absent ones all-null)."""
    return {name for name in frame.columns if frame[name].null_count() < frame.height}


def _fixed_vocabulary_expr(name: str, values: tuple[str, ...]) -> pl.Expr:
    """Enum codes; a value outside the vocabulary becomes null (checked afterwards)."""
    return pl.col(name).cast(pl.Enum(values), strict=False).to_physical().cast(pl.Int32).alias(name)


def _null_code(values: tuple[str, ...]) -> int:
    """A blank counts as "Not known" (or the "Unknown" group, the last ethnic_group value)."""
    return values.index(NOT_KNOWN) if NOT_KNOWN in values else len(values) - 1


def _invalid_values(frame: pl.DataFrame, name: str, values: tuple[str, ...]) -> list[str]:
    column = frame[name].drop_nulls()
    bad = column.filter(~column.is_in(list(values))).unique().sort()
    return [str(v) for v in bad.head(20).to_list()]


def _natural_key(label: str) -> tuple:
    """Sort "Band 2" before "Band 10"; blanks ("Not recorded") last."""
    parts = re.split(r"(\d+)", label)
    key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts if p)
    return (label == NOT_RECORDED, key)


def _dimension(physical: np.ndarray, categories: list[str], has_null: bool) -> Coded:
    """A free-text dimension: codes as polars numbered them, shown in natural order.

    Codes are not renumbered (that would be a pass over every row); only the few labels are
    sorted. A blank becomes one more code, "Not recorded" (or joins that value if present).
    """
    labels = list(categories)
    codes = physical
    if has_null:
        if NOT_RECORDED in labels:
            blank = labels.index(NOT_RECORDED)
        else:
            blank = len(labels)
            labels.append(NOT_RECORDED)
        codes = np.where(physical == _NULL_CODE, np.uint32(blank), physical)
    order = sorted(range(len(labels)), key=lambda code: _natural_key(labels[code]))
    return Coded(codes, tuple(labels), tuple(order))


def _group_derivable_from_ethnicity(frame: pl.DataFrame, present: set[str]) -> bool:
    """True when ethnic_group is exactly the ONS group of ethnicity (ingestion derives it so).

    Then one Enum cast (ethnicity) serves both columns. A source with broad groups only has
    undisclosed detail for people whose group is known, so the counts of unknowns differ.
    """
    if not {"ethnicity", "ethnic_group"} <= present:
        return False
    counts = frame.select(
        (pl.col("ethnic_group").is_null() | (pl.col("ethnic_group") == UNKNOWN_GROUP)).sum(),
        (
            pl.col("ethnicity").is_null()
            | (pl.col("ethnicity") == UNDISCLOSED[0])
            | (pl.col("ethnicity") == UNDISCLOSED[1])
        ).sum(),
    ).row(0)
    return counts[0] == counts[1]


def prepare(frame: pl.DataFrame, present_columns: set[str] | None = None) -> PreparedWorkforce:
    """Code every column the figures use; raise FigureInputError listing contract breaks."""
    present = set(infer_present_columns(frame) if present_columns is None else present_columns)
    present &= set(frame.columns)
    problems: list[str] = []
    expressions: list[pl.Expr] = []
    fixed = [name for name in FIXED_VOCABULARIES if name in present]
    derive_group = _group_derivable_from_ethnicity(frame, present)
    for name in fixed:
        if frame.schema[name] not in (pl.String, pl.Categorical) and not isinstance(
            frame.schema[name], pl.Enum
        ):
            problems.append(f"column {name!r} must be text, found {frame.schema[name]}")
    for name in ("hourly_pay", "bonus_pay"):
        if name in present and not frame.schema[name].is_numeric():
            problems.append(f"column {name!r} must be numeric, found {frame.schema[name]}")
    if problems:
        raise FigureInputError(problems)

    expressions += [
        _fixed_vocabulary_expr(name, FIXED_VOCABULARIES[name])
        for name in fixed
        if not (derive_group and name == "ethnic_group")
    ]
    categories = {name: pl.Categories.random() for name in DIMENSIONS if name in present}
    expressions += [
        pl.col(name)
        .cast(pl.Categorical(cats))
        .to_physical()
        .cast(pl.UInt32)
        .fill_null(_NULL_CODE)
        .alias(name)
        for name, cats in categories.items()
    ]
    for name in FREE_TEXT_CHARACTERISTICS:
        if name in present:
            # Ingestion has already trimmed values; stripping again would cost more than the
            # rest of the figure.
            value = pl.col(name).cast(pl.String)
            expressions.append(
                pl.when(value.is_null() | (value == NOT_KNOWN) | (value == ""))
                .then(2)
                .when(value == PREFER_NOT_TO_SAY)
                .then(1)
                .otherwise(0)
                .cast(pl.Int8)
                .alias(name)
            )
    if "white_british" in present:
        # 0 White British, 1 any other recorded ethnicity, 2 not known.
        expressions.append(
            pl.when(pl.col("white_british"))
            .then(0)
            .when(~pl.col("white_british"))
            .then(1)
            .otherwise(2)
            .cast(pl.Int32)
            .alias("white_british")
        )
    for name in ("hourly_pay", "bonus_pay"):
        if name in present:
            value = pl.col(name).cast(pl.Float64)
            if name == "bonus_pay":  # a blank bonus is no bonus
                value = value.fill_null(0.0).fill_nan(0.0)
            expressions.append(value.alias(name))
    coded_frame = frame.select(expressions) if expressions else pl.DataFrame()

    for name in fixed:
        values = FIXED_VOCABULARIES[name]
        if (
            name in coded_frame.columns
            and coded_frame[name].null_count() > frame[name].null_count()
        ):
            bad = ", ".join(repr(v) for v in _invalid_values(frame, name, values))
            problems.append(f"column {name!r} has values outside the contract: {bad}")
    if problems:
        raise FigureInputError(problems)

    coded: dict[str, Coded] = {}
    for name in fixed:
        if name in coded_frame.columns:
            values = FIXED_VOCABULARIES[name]
            codes = coded_frame[name].fill_null(_null_code(values)).to_numpy()
            coded[name] = Coded(codes, values)
    if derive_group:
        lookup = np.array(
            [ETHNIC_GROUP_VALUES.index(ETHNICITY_TO_GROUP[v]) for v in ETHNICITY_VALUES],
            dtype=np.int32,
        )
        coded["ethnic_group"] = Coded(lookup[coded["ethnicity"].codes], ETHNIC_GROUP_VALUES)
    for name, cats in categories.items():
        coded[name] = _dimension(
            coded_frame[name].to_numpy(),
            cats.to_series().cast(pl.String).to_list(),
            frame[name].null_count() > 0,
        )
    if "white_british" in present:
        labels = ("White British", "Other than White British", NOT_KNOWN)
        coded["white_british"] = Coded(coded_frame["white_british"].to_numpy(), labels)

    status: dict[str, np.ndarray] = {}
    for name in ("sex", "disability", "ethnicity"):
        if name in coded:
            # Codes: the known values first, then "Prefer not to say", then "Not known".
            values = FIXED_VOCABULARIES[name]
            lookup = np.array(
                [1 if v == PREFER_NOT_TO_SAY else 2 if v == NOT_KNOWN else 0 for v in values],
                dtype=np.int8,
            )
            status[name] = lookup[coded[name].codes]
    remarks: dict[str, str] = {}
    if "ethnic_group" in coded:
        unknown_group = coded["ethnic_group"].codes == UNKNOWN_GROUP_CODE
        detailed = status.get("ethnicity")
        if detailed is None:
            status["ethnicity"] = np.where(unknown_group, 2, 0).astype(np.int8)
        elif not derive_group:
            # A frame whose detail is blank where its group is known (stored before ingestion
            # wrote "<group> (category not given)"): that category, so that the detailed
            # categories of a group add up to the group.
            ethnicity = coded["ethnicity"]
            group_only = np.array(
                [ETHNICITY_VALUES.index(GROUP_ONLY_OF[g]) for g in ETHNIC_GROUP_VALUES[:-1]]
                + [ETHNICITY_VALUES.index(NOT_KNOWN)]
            )
            not_given = (detailed == 2) & ~unknown_group
            coded["ethnicity"] = Coded(
                np.where(not_given, group_only[coded["ethnic_group"].codes], ethnicity.codes),
                ethnicity.labels,
            )
            # The group is what every figure uses, so it decides who disclosed; the detail only
            # says whether an unknown was "prefer not to say".
            status["ethnicity"] = np.where(
                unknown_group, np.where(detailed == 0, 2, detailed), 0
            ).astype(np.int8)
        if "ethnicity" in coded and not np.all(unknown_group):
            ons_category = np.array([v in ETHNICITY_DETAILED for v in ETHNICITY_VALUES])
            if not np.any(ons_category[coded["ethnicity"].codes]):
                del coded["ethnicity"]
                present.discard("ethnicity")
                remarks["ethnicity"] = (
                    "the extract's ethnicity holds only the five broad groups, not the 19 ONS "
                    "categories"
                )
    for name in FREE_TEXT_CHARACTERISTICS:
        if name in present:
            status[name] = coded_frame[name].to_numpy()

    hourly = None
    if "hourly_pay" in present:
        hourly = coded_frame["hourly_pay"].to_numpy().astype(np.float64, copy=False)
    bonus = None
    if "bonus_pay" in present:
        bonus = coded_frame["bonus_pay"].to_numpy()
    return PreparedWorkforce(
        n_rows=frame.height,
        present=frozenset(present),
        coded=coded,
        disclosure_status=status,
        hourly_pay=hourly,
        bonus_pay=bonus,
        remarks=remarks,
    )


def percent(part: float, whole: float) -> float | None:
    """part / whole × 100, or None when the whole is zero (no figure, rather than 0%)."""
    if not whole:
        return None
    value = 100.0 * part / whole
    return value if math.isfinite(value) else None
