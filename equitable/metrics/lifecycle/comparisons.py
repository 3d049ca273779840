"""Rates and relative likelihoods by group: the one computation behind every lifecycle figure.

Every lifecycle figure is the same shape: a **pool** of people (applicants shortlisted, staff
at the start of the year), an **outcome** within it (appointed, entered a formal disciplinary,
left), and for each group the rate `k / n` compared with a reference group's. This module does
that once, for any pool and outcome, over every comparison the figures publish:

* ethnicity (column `ethnic_group`): the four other ONS 2021 high-level groups and "Black,
  Asian and Multi-ethnic" against White (the WRES comparison: White minorities are White);
  each of the 14 detailed categories outside the White group against White; "All ethnic
  minorities" and "White other than British" against White British (the ONS grouping, as for
  pay); people whose ethnicity is not known are left out of both sides (WRES practice);
* ethnicity by sex (`ethnic_group` with `sex`): each group of one sex against White people of
  the same sex;
* sex (`sex`): Female against Male; disability (`disability`): Disabled against Not disabled.

Direction. The WRES states some likelihoods as reference ÷ group (indicator 2, appointed from
shortlisting; indicator 4, non-mandatory training) and others as group ÷ reference (indicator
3, disciplinary). `relative_likelihood` follows the figure's own convention (`direction`), and
`reading` says in words who was more likely, so no reader needs to know the convention.

Input frame: one row per person (or application, or case) with the canonical `ethnicity`
(the 19 ONS 2021 categories, "<group> (category not given)", "Prefer not to say", "Not
known"), `sex` and `disability` values of `equitable.metrics.labels`, and two boolean
expressions: `pool` (counted in the denominator) and `outcome` (counted in the numerator,
within the pool). Output: one row per `by` key and comparison, in a fixed order.

Pure module (polars, no Django).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import polars as pl

from equitable.metrics import intervals
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ALL_ETHNIC_MINORITIES,
    DETAILED_ETHNICITIES,
    ETHNIC_GROUPS,
    NOT_KNOWN,
    WHITE,
    WHITE_BRITISH,
    WHITE_OTHER_THAN_BRITISH,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Part,
    Share,
    disability_label,
    ethnicity_atoms,
    ethnicity_label,
    key,
    of,
    reference_group,
    sex_label,
)

GROUP_OVER_REFERENCE = "group/reference"
REFERENCE_OVER_GROUP = "reference/group"
CHARACTERISTICS = ("ethnicity", "ethnic_group", "ethnicity_by_sex", "sex", "disability")
SEXES = ("Female", "Male")
# The engine every lifecycle query collects with. The frames are already in memory (a hundred
# thousand staff) and most queries are small joins and counts of a few thousand rows: polars'
# default, the streaming engine, took about 170 ms more CPU time over the four families
# (decision 38). The first count of a million applications stays on the default.
ENGINE: Final = "in-memory"


@dataclass(frozen=True)
class Comparison:
    """One row of a comparison table: a group and the reference it is compared with."""

    group: str
    reference: str
    sex: str | None = None  # ethnicity by sex


def ethnicity_comparisons(*, detailed: bool = True) -> tuple[Comparison, ...]:
    groups = [Comparison(g, WHITE) for g in ETHNIC_GROUPS if g != WHITE]
    groups.append(Comparison(AGGREGATE_LABEL, WHITE))
    if detailed:
        groups += [
            Comparison(name, WHITE) for name, group in DETAILED_ETHNICITIES if group != WHITE
        ]
    groups += [
        Comparison(ALL_ETHNIC_MINORITIES, WHITE_BRITISH),
        Comparison(WHITE_OTHER_THAN_BRITISH, WHITE_BRITISH),
    ]
    return tuple(groups)


def ethnicity_by_sex_comparisons() -> tuple[Comparison, ...]:
    return tuple(
        Comparison(group, f"White {sex.lower()}", sex)
        for sex in SEXES
        for group in (*(g for g in ETHNIC_GROUPS if g != WHITE), AGGREGATE_LABEL)
    )


COMPARISONS: dict[str, tuple[Comparison, ...]] = {
    "ethnicity": ethnicity_comparisons(),
    # The high-level groups only: for breakdowns (by directorate, pay band) where the detailed
    # categories would be too small to show anyway.
    "ethnic_group": ethnicity_comparisons(detailed=False),
    "ethnicity_by_sex": ethnicity_by_sex_comparisons(),
    "sex": (Comparison("Female", "Male"),),
    "disability": (Comparison("Disabled", "Not disabled"),),
}
LABEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "ethnicity": ("ethnic_group", "reference_group"),
    "ethnic_group": ("ethnic_group", "reference_group"),
    "ethnicity_by_sex": ("ethnic_group", "sex", "reference_group"),
    "sex": ("sex", "reference_group"),
    "disability": ("disability", "reference_group"),
}
_REFERENCE_MEMBERS = {
    "White female": {"ethnicity": WHITE, "sex": "Female"},
    "White male": {"ethnicity": WHITE, "sex": "Male"},
}


def _member_test(characteristic: str, label: str, sex: str | None = None):
    """Whether one (ethnicity, sex, disability) combination belongs to a group or reference
    label."""
    if label in _REFERENCE_MEMBERS:
        spec = _REFERENCE_MEMBERS[label]
        atoms = ethnicity_atoms(spec["ethnicity"])
        return lambda e, s, _d: e in atoms and s == spec["sex"]
    if characteristic == "sex":
        return lambda _e, s, _d: s == label
    if characteristic == "disability":
        return lambda _e, _s, d: d == label
    atoms = ethnicity_atoms(label)
    if sex is not None:
        return lambda e, s, _d: e in atoms and s == sex
    return lambda e, _s, _d: e in atoms


@functools.lru_cache(maxsize=256)
def _membership(
    characteristic: str, combinations: tuple[tuple[Any, Any, Any], ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Which (ethnicity, sex, disability) combinations make each comparison's group and its
    reference, as two 0/1 matrices (combination × comparison): the counts of every
    comparison are then one product of small matrices, not a join that copies each
    combination's counts once per comparison it is in."""
    comparisons = COMPARISONS[characteristic]
    group = np.zeros((len(combinations), len(comparisons)), dtype=np.int64)
    reference = np.zeros_like(group)
    for position, comparison in enumerate(comparisons):
        in_group = _member_test(characteristic, comparison.group, comparison.sex)
        in_reference = _member_test(characteristic, comparison.reference)
        for row, (ethnicity, sex, disability) in enumerate(combinations):
            group[row, position] = in_group(ethnicity, sex, disability)
            reference[row, position] = in_reference(ethnicity, sex, disability)
    group.setflags(write=False)
    reference.setflags(write=False)
    return group, reference


@dataclass(frozen=True)
class _Tally:
    """An aggregate's pool (`n`) and outcome (`k`) counts as matrices, one row per `by` key
    (`keys`, numbered `_key`) and one column per (ethnicity, sex, disability) combination:
    counted once, then compared by any characteristic."""

    keys: pl.DataFrame
    combinations: tuple[tuple[Any, Any, Any], ...]
    pools: np.ndarray
    outcomes: np.ndarray

    def only(self, rows: np.ndarray) -> _Tally:
        return _Tally(self.keys[rows], self.combinations, self.pools[rows], self.outcomes[rows])


def _tally(aggregate: pl.DataFrame, by: Sequence[str]) -> _Tally:
    characteristics = ["ethnicity", "sex", "disability"]
    # A blank characteristic is "Not known" (as ingestion writes it): a null would match no
    # comparison's group or reference and drop the person from every one.
    aggregate = aggregate.with_columns(pl.col(characteristics).cast(pl.String).fill_null(NOT_KNOWN))
    combinations = tuple(sorted(aggregate.select(characteristics).unique().rows()))
    combination_ids = pl.DataFrame(
        [*zip(*combinations, strict=True), range(len(combinations))]
        if combinations
        else [[], [], [], []],
        schema={**dict.fromkeys(characteristics, pl.String), "_combination": pl.Int64},
        orient="col",
    )
    coded = aggregate.join(combination_ids, on=characteristics, how="left")
    if by:
        by_keys = coded.select(by).unique(maintain_order=True).with_row_index("_key")
        coded = coded.join(by_keys, on=list(by), how="left", nulls_equal=True)
        key_ids = coded.get_column("_key").to_numpy().astype(np.int64)
    else:
        by_keys = pl.DataFrame({"_key": [0]}, schema={"_key": pl.UInt32})
        key_ids = np.zeros(coded.height, dtype=np.int64)
    width = len(combinations)
    cells = key_ids * width + coded.get_column("_combination").to_numpy()
    pools = np.zeros(by_keys.height * width, dtype=np.int64)
    outcomes = np.zeros_like(pools)
    np.add.at(pools, cells, coded.get_column("n").to_numpy())
    np.add.at(outcomes, cells, coded.get_column("k").to_numpy())
    shape = (by_keys.height, width)
    return _Tally(by_keys, combinations, pools.reshape(shape), outcomes.reshape(shape))


def _comparison_counts(tally: _Tally, characteristic: str) -> pl.DataFrame:
    """Per `by` key (as the aggregate holds them) and comparison (`_order`): the pool and
    outcome counts of the group and of its reference."""
    group, reference = _membership(characteristic, tally.combinations)
    compared, keys = group.shape[1], tally.keys.height
    rows = np.repeat(np.arange(keys), compared)
    return tally.keys.drop("_key")[rows].with_columns(
        pl.Series("_order", np.tile(np.arange(compared, dtype=np.int64), keys)),
        *(
            pl.Series(name, (counts @ members).reshape(-1), dtype=pl.Int64)
            for name, counts, members in (
                ("pool", tally.pools, group),
                ("count", tally.outcomes, group),
                ("pool_reference", tally.pools, reference),
                ("count_reference", tally.outcomes, reference),
            )
        ),
    )


@functools.lru_cache(maxsize=16)
def _labels(characteristic: str) -> pl.DataFrame:
    label_columns = LABEL_COLUMNS[characteristic]
    comparisons = COMPARISONS[characteristic]
    columns: dict[str, list[Any]] = {
        "_order": list(range(len(comparisons))),
        label_columns[0]: [c.group for c in comparisons],
        "reference_group": [c.reference for c in comparisons],
    }
    if "sex" in label_columns[1:]:
        columns["sex"] = [c.sex for c in comparisons]
    return pl.DataFrame(
        columns, schema={c: pl.Int64 if c == "_order" else pl.String for c in columns}
    )


ROW_SCHEMA_COUNTS = (
    "group_pool",
    "group_count",
    "group_rate",
    "group_rate_ci_low",
    "group_rate_ci_high",
    "reference_pool",
    "reference_count",
    "reference_rate",
    "reference_rate_ci_low",
    "reference_rate_ci_high",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "reading",
)


def side_by_side(*tasks: Callable[[], Any]) -> list[Any]:
    """The results of independent computations, run in threads. Polars lets go of the GIL
    while it computes, and the small queries of one table seldom keep more than one core
    busy: a family's independent tables then overlap on the second core."""
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        running = [pool.submit(task) for task in tasks]
        return [done.result() for done in running]


def _check(characteristics: Sequence[str], direction: str) -> None:
    for characteristic in characteristics:
        if characteristic not in COMPARISONS:
            raise ValueError(f"{characteristic!r} is not one of {', '.join(CHARACTERISTICS)}")
    if direction not in (GROUP_OVER_REFERENCE, REFERENCE_OVER_GROUP):
        raise ValueError(f"direction must be {GROUP_OVER_REFERENCE!r} or {REFERENCE_OVER_GROUP!r}")


def compare(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    pool: pl.Expr,
    outcome: pl.Expr,
    characteristic: str,
    direction: str,
    by: Sequence[str] = (),
    keys: pl.DataFrame | None = None,
    subject: str = "staff",
    outcome_phrase: str | Callable[[Mapping[str, Any]], str] = "have the outcome",
    weight: str | None = None,
) -> pl.DataFrame:
    """The comparison table of one characteristic (see the module docstring).

    `keys` lists every combination of `by` values to report (so a stage nobody reached is a
    row of zeros, not a missing row); without it, the combinations the pool holds. `subject`
    is the plural noun of the reading ("applicants"); `outcome_phrase` its verb phrase ("be
    appointed from shortlisting"), or a function of the row giving it. `weight` names a column
    of whole numbers each row stands for (a file of counts per group), else each row is one.
    """
    return compare_each(
        frame,
        pool=pool,
        outcome=outcome,
        characteristics=(characteristic,),
        direction=direction,
        by=by,
        keys=keys,
        subject=subject,
        outcome_phrase=outcome_phrase,
        weight=weight,
    )[characteristic]


def compare_each(
    frame: pl.DataFrame | pl.LazyFrame,
    *,
    pool: pl.Expr,
    outcome: pl.Expr,
    characteristics: Sequence[str],
    direction: str,
    by: Sequence[str] = (),
    keys: pl.DataFrame | None = None,
    subject: str = "staff",
    outcome_phrase: str | Callable[[Mapping[str, Any]], str] = "have the outcome",
    weight: str | None = None,
) -> dict[str, pl.DataFrame]:
    """`compare` of one pool and outcome by each of `characteristics`: the frame is counted
    once for them all (ethnicity, sex and disability read the same counts)."""
    _check(characteristics, direction)
    aggregate = _aggregate(frame, pool, outcome, by, weight).collect(engine=ENGINE)
    if keys is None:
        keys = aggregate.select(list(by)).unique().sort(list(by)) if by else pl.DataFrame()
    tally = _tally(aggregate, by)
    return {
        characteristic: _compared(
            tally, keys, characteristic, direction, by, subject, outcome_phrase
        )
        for characteristic in characteristics
    }


@dataclass(frozen=True)
class Batched:
    """One comparison of `compare_many`: its frame, pool, outcome, keys and verb phrase."""

    frame: pl.DataFrame | pl.LazyFrame
    pool: pl.Expr
    outcome: pl.Expr
    keys: pl.DataFrame
    outcome_phrase: str


def compare_many(
    parts: Sequence[Batched],
    *,
    characteristic: str,
    direction: str,
    by: Sequence[str],
    subject: str = "staff",
    weight: str | None = None,
) -> list[pl.DataFrame]:
    """`compare` of several pools and outcomes with the same characteristic and `by`, as one
    computation (a `_part` key before `by`): each table is the one `compare` would give."""
    each = compare_many_each(
        parts,
        characteristics=[(characteristic,)] * len(parts),
        direction=direction,
        by=by,
        subject=subject,
        weight=weight,
    )
    return [tables[characteristic] for tables in each]


def compare_many_each(
    parts: Sequence[Batched],
    *,
    characteristics: Sequence[Sequence[str]],
    direction: str,
    by: Sequence[str],
    subject: str = "staff",
    weight: str | None = None,
) -> list[dict[str, pl.DataFrame]]:
    """`compare_many` with each part compared by its own characteristics (`characteristics[i]`
    for `parts[i]`): every part is counted once, and the parts of one characteristic are
    compared together. Per part, its table of each characteristic."""
    _check([c for wanted in characteristics for c in wanted], direction)
    if not parts:
        return []
    part = pl.col("_part")
    aggregate = pl.concat(
        [
            _aggregate(p.frame, p.pool, p.outcome, by, weight).select(
                pl.lit(i, dtype=pl.Int64).alias("_part"), pl.all()
            )
            for i, p in enumerate(parts)
        ]
    ).collect(engine=ENGINE)
    keys = pl.concat(
        [p.keys.select(pl.lit(i, dtype=pl.Int64).alias("_part"), *by) for i, p in enumerate(parts)]
    )
    phrases = [p.outcome_phrase for p in parts]
    compared_by: dict[str, list[int]] = {}
    for i, wanted in enumerate(characteristics):
        for characteristic in wanted:
            compared_by.setdefault(characteristic, []).append(i)
    tally = _tally(aggregate, ["_part", *by])
    tables: list[dict[str, pl.DataFrame]] = [{} for _ in parts]
    for characteristic, indices in compared_by.items():
        every = len(indices) == len(parts)
        chosen = part.is_in(indices)
        table = _compared(
            tally if every else tally.only(np.flatnonzero(tally.keys.select(chosen).to_series())),
            keys if every else keys.filter(chosen),
            characteristic,
            direction,
            ["_part", *by],
            subject,
            lambda row: phrases[row["_part"]],
        )
        for i in indices:
            tables[i][characteristic] = table.filter(part == i).drop("_part")
    return tables


def _aggregate(
    frame: pl.DataFrame | pl.LazyFrame,
    pool: pl.Expr,
    outcome: pl.Expr,
    by: Sequence[str],
    weight: str | None,
) -> pl.LazyFrame:
    lazy = frame.lazy() if isinstance(frame, pl.DataFrame) else frame
    return (
        lazy.filter(pool)
        .group_by([*by, "ethnicity", "sex", "disability"])
        .agg(
            (pl.len() if weight is None else pl.col(weight).sum()).cast(pl.Int64).alias("n"),
            (outcome.cast(pl.Int64) if weight is None else outcome.cast(pl.Int64) * pl.col(weight))
            .sum()
            .cast(pl.Int64)
            .alias("k"),
        )
    )


def _compared(
    tally: _Tally,
    keys: pl.DataFrame,
    characteristic: str,
    direction: str,
    by: Sequence[str],
    subject: str,
    outcome_phrase: str | Callable[[Mapping[str, Any]], str],
) -> pl.DataFrame:
    label_columns = LABEL_COLUMNS[characteristic]
    counts = _comparison_counts(tally, characteristic)
    labels = _labels(characteristic)
    base = keys.join(labels, how="cross") if by else labels
    on = [*by, "_order"]
    table = base.join(counts, on=on, how="left").with_columns(
        pl.col("pool", "count", "pool_reference", "count_reference").fill_null(0).cast(pl.Int64)
    )
    table = (
        _with_figures(table.lazy(), direction)
        .sort([*by, "_order"], maintain_order=True)
        .drop("_order")
        .select([*by, *label_columns, *ROW_SCHEMA_COUNTS[:-1]])
        .collect(engine=ENGINE)
    )
    readings = [
        _reading_of(row, characteristic, direction, subject, outcome_phrase)
        for row in table.iter_rows(named=True)
    ]
    return table.with_columns(pl.Series("reading", readings, dtype=pl.String))


def _with_figures(table: pl.LazyFrame, direction: str) -> pl.LazyFrame:
    k1, n1 = pl.col("count"), pl.col("pool")
    k2, n2 = pl.col("count_reference"), pl.col("pool_reference")
    group_low, group_high = intervals.wilson_exprs(k1, n1)
    ref_low, ref_high = intervals.wilson_exprs(k2, n2)
    if direction == GROUP_OVER_REFERENCE:
        ratio, low, high = intervals.relative_likelihood_exprs(k1, n1, k2, n2)
    else:
        ratio, low, high = intervals.relative_likelihood_exprs(k2, n2, k1, n1)
    return table.with_columns(
        n1.alias("group_pool"),
        k1.alias("group_count"),
        _percent(k1, n1).alias("group_rate"),
        (100 * group_low).alias("group_rate_ci_low"),
        (100 * group_high).alias("group_rate_ci_high"),
        n2.alias("reference_pool"),
        k2.alias("reference_count"),
        _percent(k2, n2).alias("reference_rate"),
        (100 * ref_low).alias("reference_rate_ci_low"),
        (100 * ref_high).alias("reference_rate_ci_high"),
        ratio.alias("relative_likelihood"),
        low.alias("ci_low"),
        high.alias("ci_high"),
    )


def _percent(k: pl.Expr, n: pl.Expr) -> pl.Expr:
    return pl.when(n > 0).then(100.0 * k / n).otherwise(None)


def _people(label: str, characteristic: str, sex: str | None, subject: str) -> str:
    if characteristic == "sex":
        return f"{label.lower()} {subject}"
    if characteristic == "disability":
        return f"{label.lower()} {subject}" if label == "Not disabled" else f"{label} {subject}"
    if label in _REFERENCE_MEMBERS:
        return f"{label} {subject}"
    if sex is not None:
        return f"{label} {sex.lower()} {subject}"
    return f"{label} {subject}"


def _reading_of(
    row: Mapping[str, Any],
    characteristic: str,
    direction: str,
    subject: str,
    outcome_phrase: str | Callable[[Mapping[str, Any]], str],
) -> str:
    label = row.get("ethnic_group") or row.get(characteristic) or ""
    sex = row.get("sex") if characteristic == "ethnicity_by_sex" else None
    group = _people(str(label), characteristic, sex, subject)
    reference = _people(str(row["reference_group"]), characteristic, None, subject)
    phrase = outcome_phrase(row) if callable(outcome_phrase) else outcome_phrase
    first, second = (group, reference) if direction == GROUP_OVER_REFERENCE else (reference, group)
    return intervals.reading(
        row["relative_likelihood"],
        row["ci_low"],
        row["ci_high"],
        subject=first,
        other=second,
        outcome=phrase,
    )


# --- declared layout -------------------------------------------------------------------------


def _group_part(characteristic: str) -> tuple[Part, ...]:
    if characteristic == "sex":
        return (key("sex", sex_label),)
    if characteristic == "disability":
        return (key("disability", disability_label),)
    if characteristic == "ethnicity_by_sex":
        return (key("ethnic_group", ethnicity_label), key("sex", sex_label))
    return (key("ethnic_group", ethnicity_label),)


def _recompute_rate(count: str, pool: str, bound: int | None) -> Callable[[Mapping[str, Any]], Any]:
    def recompute(row: Mapping[str, Any]) -> Any:
        k, n = row.get(count), row.get(pool)
        if k is None or not n:
            return None
        interval = intervals.wilson_interval(int(min(k, n)), int(n))
        return None if interval is None or bound is None else 100 * interval[bound]

    return recompute


def _recompute_ratio(direction: str, which: int) -> Callable[[Mapping[str, Any]], Any]:
    def recompute(row: Mapping[str, Any]) -> Any:
        values = [
            row.get(c) for c in ("group_count", "group_pool", "reference_count", "reference_pool")
        ]
        known = [int(v) for v in values if v is not None]
        if len(known) < 4:
            return None
        k1, n1, k2, n2 = known
        k1, k2 = min(k1, n1), min(k2, n2)
        if direction == REFERENCE_OVER_GROUP:
            k1, n1, k2, n2 = k2, n2, k1, n1
        if which == 0:
            return intervals.relative_likelihood(k1, n1, k2, n2)
        interval = intervals.katz_interval(k1, n1, k2, n2)
        return None if interval is None else interval[which - 1]

    return recompute


def comparison_layout(
    characteristic: str,
    *,
    pool: Sequence[Part],
    outcome: Sequence[Part],
    by: Sequence[str] = (),
    direction: str = GROUP_OVER_REFERENCE,
) -> Layout:
    """What each number of a `compare` table counts: `pool` and `outcome` are the layout parts
    that make the pool and the outcome populations (beyond the group), usually read from the
    `by` key columns; the reference rows count the reference group's pool and outcome."""
    group = _group_part(characteristic)
    reference = (key("reference_group", reference_group),)
    counts = ("group_count", "group_pool", "reference_count", "reference_pool")
    ratio_sources = (*counts, "group_rate", "reference_rate")
    return Layout(
        keys=(*by, *LABEL_COLUMNS[characteristic]),
        columns=(
            Count("group_pool", of(*pool, *group)),
            Count("group_count", of(*outcome, *group)),
            Share("group_rate", "group_count", "group_pool"),
            Function(
                "group_rate_ci_low",
                ("group_rate",),
                _recompute_rate("group_count", "group_pool", 0),
            ),
            Function(
                "group_rate_ci_high",
                ("group_rate",),
                _recompute_rate("group_count", "group_pool", 1),
            ),
            Count("reference_pool", of(*pool, *reference)),
            Count("reference_count", of(*outcome, *reference)),
            Share("reference_rate", "reference_count", "reference_pool"),
            Function(
                "reference_rate_ci_low",
                ("reference_rate",),
                _recompute_rate("reference_count", "reference_pool", 0),
            ),
            Function(
                "reference_rate_ci_high",
                ("reference_rate",),
                _recompute_rate("reference_count", "reference_pool", 1),
            ),
            Function("relative_likelihood", ratio_sources, _recompute_ratio(direction, 0)),
            Function("ci_low", ratio_sources, _recompute_ratio(direction, 1)),
            Function("ci_high", ratio_sources, _recompute_ratio(direction, 2)),
            # Under rounding the sentence would need the new numbers: withheld instead.
            Function("reading", ratio_sources),
        ),
    )
