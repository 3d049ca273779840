"""Releasing a snapshot's figures to the public: `protect()` within the release, and fresh
perturbation against differencing one year's release with another's.

Why perturbation, and why drawn afresh each snapshot. Between two yearly snapshots one
director joins and nothing else changes: exact tables would show "Mixed 168 → 169, disabled
223 → 224" and a mean that moved by the joiner's pay over the count. Suppression cannot stop
it (both years' cells are large), rounding cannot (the cells that hold the joiner are the only
ones that move, so *which* cells moved says who joined), and noise fixed per cell cannot
either (a cell whose people did not change would show the same noise). So every figure of a
release moves by a draw keyed on the snapshot's secret release key and the population it
counts (the cell-key method of the ONS for Census 2021, with the key per snapshot instead of
per record):

* the same population gets the same draw in every table of the release and in every
  re-publication of it (same key, same figures), so repeated or overlapping views of one
  snapshot give nothing to average;
* next year's key is new, so every published cell moves each year, whether or not its people
  changed: the joiner's cells move by one more, among cells that all move by up to about the
  square root of their count (`count_spread`: ±4 at 10 people, ±10 at 100, ±32 at 1,000);
* a sum of pay over n people (a mean times its count) moves by up to `SUM_NOISE` times the
  largest mean of its measure shown times √n, so a mean moves by a few standard errors;
  means and medians are released only over `MEAN_MINIMUM` people or more;
* populations the tables show to be the same people (the Asian staff paid an hourly rate,
  when everyone has a rate, are the Asian staff) share one draw (`draw_names`), so a reader
  cannot average independent draws of the same number;
* percentages, means, gaps and every figure computed from others are recomputed from the
  perturbed values, so no exact value shows through a derived one.

Suppression is decided by keyed draws too, so the pattern moves with the key like the
values: each population's count is withheld when it is under its own keyed withholding
limit (threshold to threshold + 12, `limit_distribution`), which takes every true count of 1
to threshold - 1 whatever its draw, and counts a little above with a chance that falls
smoothly with the count (`SUPPRESSION_STEEPNESS`); those are protected as small counts
are, then `protect()`'s secondary suppression runs around them on the exact figures, so
within a release no withheld count can be worked out (its range stays `threshold` wide). Decided on
the exact figures, as `protect()` decides, the pattern was the same under every key and one
person switched cells between shown and withheld: from the pattern alone an intruder held
0.68 belief in a joiner's group (prior 0.17). docs/disclosure-control.md, "Across
publications", has the method, the attacks it was measured against and what it does not
defend.

Pure module: no Django.
"""

from __future__ import annotations

import bisect
import copy
import functools
import hashlib
import hmac
import math
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from equitable.metrics.disclosure_control import (
    CAUTION_WARNING,
    PEOPLE,
    ROBUST_GROUP_SIZE,
    Model,
    Protection,
    _force,
    _means_follow_counts,
    _primary,
    _Reader,
    check_threshold,
    derive_constraints,
    layouts_for,
    published_notes,
    secondary_suppression,
    solve_implicit_values,
    suppression_warning,
)
from equitable.metrics.layout import (
    Count,
    Derived,
    Function,
    Gap,
    Layout,
    Mean,
    Median,
    Restriction,
    Share,
)

KEY_BYTES = 32
# Each shown count of v people moves by at most spread(v) = max(COUNT_NOISE_MIN,
# ⌈COUNT_NOISE_SCALE × √v⌉) people: ±4 at 10, ±10 at 100, ±32 at 1,000, about one standard
# error of a count that size. Noise that grows with the count keeps its share of the count
# small, and large cells, which a joiner's many cells are mostly, then add little to an
# intruder's evidence. Moves k = -spread..spread have chances ∝ (spread + 1 − |k|)²: a
# rounded-off triangle, so the largest moves are rare.
COUNT_NOISE_MIN = 3
COUNT_NOISE_SCALE = 1.0
# A sum of pay over n people moves by at most SUM_NOISE × (the largest mean of its measure
# shown) × √n, so a mean moves by at most SUM_NOISE × that mean / √n (a median the same):
# a few standard errors. A director's pay is several times a group's mean, so less noise
# leaves it readable in the sums that hold it (measured: docs/disclosure-control.md).
SUM_NOISE = 3.0
# Means and medians (and the gaps of them) are released only over at least this many people,
# twice the ethnicity pay reporting guidance's 50 for robustness: over fewer, the noise one
# person's pay needs would swamp the figure, and with less noise the sums of the small groups
# a joiner belongs to gave their group away (measured at 50: docs/disclosure-control.md).
MEAN_MINIMUM = 2 * ROBUST_GROUP_SIZE
# Each unit draw for sums and medians is the mean of this many uniform draws on [-1, 1]
# (bounded, bell-shaped).
_SMOOTHING = 4


def count_spread(value: float) -> int:
    """The most a shown count of `value` people moves."""
    return max(COUNT_NOISE_MIN, math.ceil(COUNT_NOISE_SCALE * math.sqrt(max(value, 0.0)) - 1e-9))


# Which counts are withheld is decided by a second keyed draw per population, its
# withholding limit: a count of t people is withheld when t is under the limit, and the limit
# is threshold + j, j = 0..2 × SUPPRESSION_REACH, with chances ∝ exp(−SUPPRESSION_STEEPNESS ×
# |j − SUPPRESSION_REACH|) (a two-sided geometric centred on threshold + reach). Every count
# of 1 to threshold − 1 is withheld whatever the draw, as `protect()` withholds it; a count
# of threshold up to threshold + 2 × reach is withheld with a chance that falls smoothly with
# it, by a factor of about exp(steepness) per person in each tail, so one person more or less
# changes a cell's chance of being shown (or withheld) by that factor at most, for almost
# every count (the first step, from the threshold itself, by up to 1 + exp(steepness)).
SUPPRESSION_REACH = 6
SUPPRESSION_STEEPNESS = 0.5


@functools.cache
def limit_distribution(threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """The withholding limits a count's draw can give, and their chances."""
    steps = np.arange(2 * SUPPRESSION_REACH + 1)
    weights = np.exp(-SUPPRESSION_STEEPNESS * np.abs(steps - SUPPRESSION_REACH))
    return threshold + steps, weights / weights.sum()


def withheld_chance(value: float, threshold: int) -> float:
    """The chance that a count of `value` people is withheld by its own draw (before
    secondary suppression): 1 for 1 to threshold - 1, falling smoothly to 0 at threshold + 2 ×
    reach; 0 for a true 0 (zeros are `protect()`'s to withhold). For the tests' intruder."""
    if value <= 0:
        return 0.0
    limits, chances = limit_distribution(threshold)
    return min(1.0, float(chances[limits > value].sum()))


@functools.cache
def _cumulative_chances(spread: int) -> tuple[float, ...]:
    return tuple(np.cumsum(count_noise_distribution(spread)[1]).tolist())


def count_noise_distribution(spread: int) -> tuple[np.ndarray, np.ndarray]:
    """The perturbation table for counts: moves -spread..spread and their chances, P(k) ∝
    (spread + 1 − |k|)²."""
    moves = np.arange(-spread, spread + 1)
    weights = (spread + 1 - np.abs(moves)).astype(float) ** 2
    return moves, weights / weights.sum()


def unit_draw_density(z: np.ndarray) -> np.ndarray:
    """Density of the unit draw (mean of `_SMOOTHING` uniforms on [-1, 1]) at `z`: the
    Irwin–Hall density, rescaled. For the tests' intruder, who knows the method."""
    n = _SMOOTHING
    x = (np.asarray(z, dtype=float) + 1.0) * n / 2.0  # sum of n uniforms on [0, 1]
    density = np.zeros_like(x)
    for k in range(n + 1):
        density += (-1) ** k * math.comb(n, k) * np.clip(x - k, 0.0, None) ** (n - 1)
    density /= math.factorial(n - 1)
    return density * n / 2.0


@dataclass(frozen=True)
class Release:
    """What may be published from one snapshot, with what the protection costs."""

    tables: dict[str, pl.DataFrame]  # same columns as protect()'s output
    accuracy: dict[str, str]  # per table: one plain sentence on the accuracy lost
    method: str  # a paragraph for the publication's notes
    # Every population whose count this release withholds (beyond the contract; defaulted),
    # as `withhold=` takes them: for another publication of the same snapshot that must
    # withhold what this one does. Not for next year's release: the pattern is drawn afresh
    # each snapshot, and passing it on would add every year's random withholding up.
    withheld: tuple[Restriction, ...] = ()


def new_release_key() -> bytes:
    """32 secret bytes, drawn once per snapshot and kept with it: every table and every
    re-publication of that snapshot uses the same key."""
    return secrets.token_bytes(KEY_BYTES)


class _Draws:
    """Uniform draws in [0, 1) from the release key and a population's name: the same name
    gives the same draw in every table of the release, another key gives an unrelated one."""

    def __init__(self, key: bytes):
        self.key = key

    def uniforms(self, name: str, n: int) -> list[float]:
        digest = hmac.new(self.key, name.encode("utf-8"), hashlib.sha256).digest()
        return [int.from_bytes(digest[4 * i : 4 * i + 4], "big") / 2**32 for i in range(n)]

    def count_move(self, name: str, value: float) -> int:
        (u,) = self.uniforms(name, 1)
        spread = count_spread(value)
        position = bisect.bisect_right(_cumulative_chances(spread), u)
        return min(position, 2 * spread) - spread

    def limit(self, name: str, threshold: int) -> int:
        """The count below which this population's count is withheld (its own draw)."""
        (u,) = self.uniforms("withheld below: " + name, 1)
        limits, chances = limit_distribution(threshold)
        position = int(np.searchsorted(np.cumsum(chances), u, side="right"))
        return int(limits[min(position, len(limits) - 1)])

    def unit(self, name: str) -> float:
        """A bounded, bell-shaped draw in [-1, 1]."""
        return sum(2.0 * u - 1.0 for u in self.uniforms(name, _SMOOTHING)) / _SMOOTHING


class _Perturbed:
    """One key's release of a snapshot: every count's draw; the suppression those draws
    decide (a count withheld when it is under its keyed withholding limit, then
    `protect()`'s secondary suppression around it); every shown cell's released value
    (counts and sums of pay moved by their draws, and the medians printed beside them)."""

    def __init__(self, prepared: PreparedRelease, draws: _Draws):
        self.draws = draws
        names = prepared.names
        self.names = names
        self.scale = prepared.scale
        moved_counts = prepared.released_counts(draws)
        limits = {i: draws.limit(names[i], prepared.threshold) for i in moved_counts}
        self.protection = prepared.suppressed(limits)
        self.model = model = self.protection.model
        self.values: dict[int, float] = {}
        shown = [(i, c) for i, c in enumerate(model.cells) if not c.unknown]
        for index, cell in shown:
            if cell.measure == PEOPLE and cell.value is not None:
                self.values[index] = moved_counts[index]
        for index, cell in shown:
            if cell.measure == PEOPLE or cell.value is None:
                continue
            people = model._people_of(cell)
            if people is None or not people.value:
                self.values[index] = 0.0
                continue
            released_people = self.values.get(model.index[(PEOPLE, cell.box)])
            if released_people is None or released_people < MEAN_MINIMUM:
                continue  # not released: see MEAN_MINIMUM
            bound = prepared.sum_bound(cell.measure, people.value)
            moved = cell.value + bound * self.draws.unit(names[index])
            self.values[index] = max(moved, 0.0)
        self.medians: dict[str, float] = {}
        for label, (value, count_index, measure) in prepared.medians.items():
            n = self.values.get(count_index)
            if n and n >= MEAN_MINIMUM:
                true_n = model.cells[count_index].value or n
                bound = prepared.sum_bound(measure, true_n) / true_n
                self.medians[label] = max(value + bound * self.draws.unit(label), 0.0)

    def count(self, index: int) -> float | None:
        return self.values.get(index)

    def mean(self, people: int, total: int) -> float | None:
        n, s = self.values.get(people), self.values.get(total)
        if n is None or s is None or not n:
            return None
        return s / n

    def by_label(self) -> dict[str, float]:
        """Released values by population name (counts, sums of pay, medians): what an
        intruder reads, for the tests."""
        found = {self.names[i]: v for i, v in self.values.items()}
        return {**found, **self.medians}

    def pattern(self) -> dict[str, str]:
        """Every published count this release withholds, by population name: "own" when its
        own draw (or `protect()`'s primary rule) withheld it, "complement" when secondary
        suppression did. A reader sees only that it is withheld; the tests' intruder is told
        which, to be stronger than a real one."""
        return {
            self.names[i]: ("own" if c.primary else "complement")
            for i, c in enumerate(self.model.cells)
            if c.measure == PEOPLE and c.published and c.hidden
        }

    def withheld(self) -> tuple[Restriction, ...]:
        return tuple(
            dict(cell.box)
            for cell in self.model.cells
            if cell.measure == PEOPLE and cell.published and cell.hidden
        )


def draw_names(model: Model, universes: Mapping[str, frozenset[str]]) -> list[str]:
    """Each cell's name for its draws: its population, read as a reader of the release reads
    it. Where the tables show that nobody at all has some value of an attribute (everyone has
    an hourly rate: "no hourly rate" counts 0), a population restricted to the other values is
    the same people as one without that restriction (the Asian staff paid an hourly rate are
    the Asian staff), so both get one name and one draw: independent draws for the same people
    would let a reader average them away. Read before suppression (the draws decide it):
    populations that are the same people may always share a draw."""
    empty: dict[str, set[str]] = {}
    for cell in model.cells:
        if cell.measure == PEOPLE and len(cell.box) == 1 and cell.value == 0 and cell.published:
            attribute, atoms = cell.box[0]
            empty.setdefault(attribute, set()).update(atoms)
    names = []
    for cell in model.cells:
        parts = []
        for attribute, atoms in cell.box:
            widened = frozenset(atoms | empty.get(attribute, set()))
            if widened != universes.get(attribute):
                parts.append(f"{attribute}: {', '.join(sorted(widened))}")
        names.append(f"{cell.measure} of {'; '.join(parts) or 'everyone'}")
    return names


def _median_label(measure: str, people_label: str) -> str:
    return f"median {measure} of {people_label}"


class PreparedRelease:
    """Everything about a snapshot's release that does not depend on the key: the tables read
    into `protect()`'s model (cells and sums, before any suppression), each population's name
    for its draws, and the scale of the noise on pay. The same snapshot released with many
    keys (the tests' intruder) builds this once; each key then decides its own suppression."""

    def __init__(
        self,
        tables: Mapping[str, pl.DataFrame],
        *,
        layouts: Mapping[str, Layout] | None = None,
        threshold: int = 10,
        round_to: int | None = None,
        withhold: Iterable[Restriction] = (),
    ):
        check_threshold(threshold)
        if round_to is not None and (
            isinstance(round_to, bool) or not isinstance(round_to, int) or round_to < 2
        ):
            raise ValueError(f"round_to must be a whole number of 2 or more, not {round_to!r}")
        self.tables = dict(tables)
        self.round_to = round_to
        self.threshold = threshold
        declared = layouts_for(tables, layouts)
        reader = _Reader(tables, declared, threshold)
        reader.read()
        mentions = reader.read_mentions()
        model = reader.model
        derive_constraints(model, reader.universes)
        solve_implicit_values(model)
        _force(model, reader, withhold)
        self.model = model
        self.reader = reader
        self.layouts = declared
        self.mentions = mentions
        self.names = draw_names(model, reader.universes)
        # The largest mean of each measure over a published population of `threshold` or
        # more: about the pay of the best-paid people.
        self.scale: dict[str, float] = {}
        for cell in model.cells:
            people = model._people_of(cell) if cell.measure != PEOPLE else None
            if people is None or not cell.published or not people.published:
                continue
            if cell.value is not None and (people.value or 0) >= threshold:
                mean = cell.value / people.value  # type: ignore[operator]
                self.scale[cell.measure] = max(self.scale.get(cell.measure, 0.0), mean)
        # Each median printed: its exact value, its count's cell and its measure.
        self.medians: dict[str, tuple[float, int, str]] = {}
        for name in self.tables:
            measures = _median_measures(declared[name])
            if not measures:
                continue
            for row, place in zip(reader.rows[name], reader.places[name], strict=True):
                for column, measure in measures.items():
                    value, cells = row.get(column), place.get(column, ())
                    if value is None or not cells:
                        continue
                    label = _median_label(measure, self.names[cells[0]])
                    self.medians[label] = (float(value), cells[0], measure)

    def released_counts(self, draws: _Draws | bytes) -> dict[int, float]:
        """Every published count's released value under a key, withheld or not (suppression
        reads it): the true count moved by its draw, at least 1; a true 0 stays 0."""
        if not isinstance(draws, _Draws):
            _check_key(draws)
            draws = _Draws(bytes(draws))
        moved_counts: dict[int, float] = {}
        for index, cell in enumerate(self.model.cells):
            if cell.measure == PEOPLE and cell.published and cell.value is not None:
                moved = cell.value + draws.count_move(self.names[index], cell.value)
                moved_counts[index] = float(max(moved, 1.0)) if cell.value else 0.0
        return moved_counts

    def suppressed(self, limits: Mapping[int, int]) -> Protection:
        """The suppression one key's draws decide: a published count under its withholding
        limit (`limits`, each at least the threshold) is withheld and protected as a small
        count is (its feasible range kept `threshold` wide), then `protect()`'s own primary
        rule (counts of 1 to threshold - 1, which the first already takes, and zeros inside
        small populations) and secondary suppression, on a copy of the model."""
        model = copy.deepcopy(self.model)
        for index, limit in limits.items():
            cell = model.cells[index]
            if cell.value and cell.value < max(limit, self.threshold):
                cell.hidden = cell.primary = cell.forced = True
        _primary(model)
        _means_follow_counts(model)
        while True:
            secondary_suppression(model)
            if not _means_follow_counts(model):
                break
        return Protection(model, self.reader, self.layouts, self.mentions)

    def sum_bound(self, measure: str, people: float) -> float:
        """The most a shown sum of `measure` over `people` people moves."""
        return SUM_NOISE * self.scale.get(measure, 0.0) * math.sqrt(max(people, 1.0))

    def perturbed(self, key: bytes) -> _Perturbed:
        _check_key(key)
        return _Perturbed(self, _Draws(bytes(key)))

    def release(self, key: bytes) -> Release:
        return self.written(self.perturbed(key))

    def written(self, perturbed: _Perturbed) -> Release:
        """The release one key's draws give (`perturbed(key)`): for the tests, which read both."""
        protection = perturbed.protection
        released = {
            name: _released_table(name, frame, protection, perturbed, self.round_to)
            for name, frame in self.tables.items()
        }
        accuracy = {
            name: _accuracy(protection.layouts[name], released[name], self) for name in released
        }
        method = METHOD.format(
            t_minus=self.threshold - 1,
            most=self.threshold + 2 * SUPPRESSION_REACH,
            mean_minimum=MEAN_MINIMUM,
        )
        return Release(released, accuracy, method, perturbed.withheld())


def _check_key(key: bytes) -> None:
    if not isinstance(key, bytes | bytearray) or len(key) < 16:
        raise ValueError("a release key must be at least 16 secret bytes (new_release_key())")


def _median_measures(layout: Layout) -> dict[str, str]:
    """Median column → its measure (the mean over the same count names it)."""
    measures = {m.count: m.measure for m in layout.columns if isinstance(m, Mean)}
    return {
        m.column: measures.get(m.count, m.column) for m in layout.columns if isinstance(m, Median)
    }


def _gap(reference: float | None, group: float | None) -> float | None:
    if reference is None or group is None or reference == 0:
        return None
    return (reference - group) / reference * 100


def _share(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return min(100.0, 100.0 * numerator / denominator)


def _rounded(value: float | None, base: int | None) -> float | None:
    if value is None or base is None:
        return value
    return float(math.floor(value / base + 0.5) * base)


def _whole(value: float | None, dtype: pl.DataType) -> Any:
    if value is None:
        return None
    return int(round(value)) if dtype.is_integer() else float(round(value))


def _released_table(
    name: str,
    frame: pl.DataFrame,
    protection: Protection,
    perturbed: _Perturbed,
    round_to: int | None,
) -> pl.DataFrame:
    layout = protection.layouts[name]
    if layout.mentions:
        return published_notes(name, frame, protection, round_to, released=perturbed.count)
    model = protection.model
    threshold = model.threshold
    places = protection.reader.places[name]
    rows = protection.reader.rows[name]
    medians = _median_measures(layout)
    columns = [c for c in frame.columns if c not in ("suppressed", "warning")]
    out: dict[str, list[Any]] = {c: [] for c in columns}
    suppressed: list[bool] = []
    warnings: list[str | None] = []
    for row, place in zip(rows, places, strict=True):
        shown: dict[str, Any] = {}
        small_group = False
        smallest: float | None = None
        for column in columns:
            spec = layout.spec(column)
            value = row[column]
            if spec is None or isinstance(spec, Gap | Derived | Function):
                shown[column] = value  # keys and public figures; figures of figures below
                continue
            cells = place.get(column, ())
            visible = value is not None and bool(cells)
            if visible and any(model.cells[i].unknown for i in cells):
                visible = False
            if isinstance(spec, Mean | Median):
                counts = [i for i in cells if model.cells[i].measure == PEOPLE]
                if any((model.cells[i].value or 0) < threshold for i in counts):
                    visible = False
                    small_group = True
                elif any((perturbed.count(i) or 0) < MEAN_MINIMUM for i in counts):
                    visible = False
            if not visible:
                shown[column] = None
            elif isinstance(spec, Count):
                released = _rounded(perturbed.count(cells[0]), round_to)
                shown[column] = _whole(released, frame.schema[column])
                if released is not None:
                    smallest = released if smallest is None else min(smallest, released)
            elif isinstance(spec, Share):
                numerator, denominator = (_rounded(perturbed.count(i), round_to) for i in cells)
                shown[column] = _share(numerator, denominator)
            elif isinstance(spec, Mean):
                shown[column] = perturbed.mean(cells[0], cells[1])
            else:  # Median
                label = _median_label(medians[column], perturbed.names[cells[0]])
                shown[column] = perturbed.medians.get(label)
        for spec in layout.columns:
            if isinstance(spec, Gap) and spec.column in shown:
                group, reference = shown.get(spec.group), shown.get(spec.reference)
                visible = row[spec.column] is not None and spec.column in place
                shown[spec.column] = _gap(reference, group) if visible else None
            elif isinstance(spec, Derived) and spec.column in shown:
                source = shown.get(spec.source)
                public = row.get(spec.public)
                if row[spec.column] is None or source is None or public is None:
                    shown[spec.column] = None
                elif spec.formula == "difference":
                    shown[spec.column] = source - public
                else:
                    shown[spec.column] = source / public if public else None
        for spec in layout.columns:  # in declared order: a function may rest on another
            if isinstance(spec, Function) and spec.column in shown:
                resting = [shown.get(s) for s in spec.sources if row.get(s) is not None]
                if row[spec.column] is None:
                    shown[spec.column] = None
                elif any(v is None for v in resting) or spec.recompute is None:
                    shown[spec.column] = None
                else:
                    shown[spec.column] = spec.recompute(shown)
        withheld_any = any(row[c] is not None and shown[c] is None for c in columns)
        for column in columns:
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
        {c: pl.Series(c, v, dtype=frame.schema[c], strict=False) for c, v in out.items()}
    ).with_columns(pl.Series("suppressed", suppressed, dtype=pl.Boolean))
    if layout.warnings:
        result = result.with_columns(pl.Series("warning", warnings, dtype=pl.String))
    return result


# --- what it costs, said next to each table -----------------------------------------------


def _accuracy(layout: Layout, table: pl.DataFrame, prepared: PreparedRelease) -> str:
    """One sentence from the released figures only (never from the exact ones, which would
    say how far each moved)."""
    parts: list[str] = []
    count_columns = [c.column for c in layout.columns if isinstance(c, Count)]
    if layout.mentions:
        count_columns = [c for c in ("count", "total") if c in table.columns]
    shown = [v for c in count_columns if c in table.columns for v in table[c].to_list() if v]
    if shown:
        low, high = count_spread(min(shown)), count_spread(max(shown))
        span = f"±{low}" if low == high else f"±{low} (the smallest) to ±{high} (the largest)"
        parts.append(
            f"each count is within {span} of the true count, about the square root of the count"
        )
    if count_columns:
        most = prepared.threshold + 2 * SUPPRESSION_REACH
        parts.append(
            f"every count under {prepared.threshold} is withheld, and counts under {most} "
            "may be, more often the smaller they are"
        )
    shares = [s for s in layout.columns if isinstance(s, Share) and s.column in table.columns]
    worst = 0.0
    for share in shares:
        if not isinstance(share.denominator, str) or share.denominator not in table.columns:
            continue
        for n, d in table.select(share.numerator, share.denominator).iter_rows():
            if n is not None and d:
                worst = max(worst, _share_error(n, d))
    if worst:
        parts.append(f"each percentage within {worst:.1f} points")
    elif shares:
        parts.append("each percentage moves with its counts")
    means = [m for m in layout.columns if isinstance(m, Mean) and m.column in table.columns]
    if means:
        rows = table.filter(pl.any_horizontal(pl.col(m.column).is_not_null() for m in means))
        smallest = _smallest_count(rows, [m.count for m in means])
        if smallest:
            bound = max(prepared.sum_bound(m.measure, smallest) for m in means) / smallest
            parts.append(
                f"each mean and median within about £{bound:,.2f} (for the smallest group "
                f"shown, {int(smallest):,} people; less for larger groups), and each gap "
                "moves with them"
            )
        else:
            parts.append(f"means and medians are shown only for at least {MEAN_MINIMUM} people")
    if not parts:
        return "Nothing in this table is perturbed."
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def _share_error(numerator: float, denominator: float) -> float:
    """About the most a share of n in d can move when each moves by up to its spread."""
    dn, dd = count_spread(numerator), count_spread(denominator)
    low = max(float(denominator) - dd, 1.0)
    return 100.0 * (dn + float(numerator) / low * dd) / low


def _smallest_count(table: pl.DataFrame, columns: Iterable[str]) -> float | None:
    values = [v for c in columns if c in table.columns for v in table[c].to_list() if v]
    return float(min(values)) if values else None


METHOD = (
    "Figures are protected against two things. Within this publication, every count of 1 to "
    "{t_minus} people is withheld, and other figures are withheld where they would let a "
    "withheld one be worked out. Against comparison with other years, every figure shown has "
    "been moved by a random amount drawn afresh for this snapshot, about one standard error of "
    "the figure: each count of n people by up to about the square root of n (at least 3), each "
    "mean and median by an amount that is larger for smaller groups, and means and medians are "
    "shown only for groups of at least {mean_minimum}. Which counts are withheld is decided by "
    "a second random draw for each group of people: a count of {t_minus} or fewer is always "
    "withheld, and a count of up to {most} may be, more often the smaller it is, so some counts "
    "are withheld one year and shown the next whether or not their people changed. "
    "Percentages and gaps are worked out from the moved figures. The same group of people gets "
    "the same movement everywhere in this snapshot's publications, so figures that appear twice "
    "agree, and a re-publication shows the same figures; totals may differ by a few people from "
    "the sum of their parts. The movements are there so that a change of a few people between "
    "years, such as one person joining or leaving, can be read neither from the figures nor from "
    "which of them are withheld."
)


def release_tables(
    tables: Mapping[str, pl.DataFrame],
    *,
    key: bytes,
    layouts: Mapping[str, Layout] | None = None,
    threshold: int = 10,
    round_to: int | None = None,
    withhold: Iterable[Restriction] = (),
) -> Release:
    """The tables of one snapshot as they may be published: protected as `protect()` protects
    them, every shown figure perturbed by draws from `key` (the snapshot's release key), and
    the accuracy this costs per table.

    Deterministic for the same tables, key and options. Raises ValueError for a key shorter
    than 16 bytes, a threshold below 5 or a `round_to` below 2; LayoutError as `protect()`.
    """
    _check_key(key)
    prepared = PreparedRelease(
        tables, layouts=layouts, threshold=threshold, round_to=round_to, withhold=withhold
    )
    return prepared.release(key)
