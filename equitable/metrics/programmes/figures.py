"""Participation, selection and outcomes of one cohort of a development programme.

Inputs are workforce snapshots (validated frames, `equitable.metrics.schema.FRAME_SCHEMA`,
linked by `employee_key`) and the cohort's list of people by the same keyed hash, each with a
status: applied, selected, participant, completed or withdrawn.

* **The start snapshot** is the latest snapshot dated on or before the cohort's start: its
  staff, with their characteristics, pay band, directorate and tier *then*, are the people
  every figure counts. A listed id the start snapshot does not hold is counted in
  `missing_from_start` and in no figure.
* **Statuses.** Each member of the start snapshot has one `programme_status`: "took part"
  (participant, completed, or withdrawn part-way: they started), "selected, did not start",
  "applied, not selected", or "did not apply" (not listed). Applying is implied by every status.
* **Eligible population**: the start snapshot's staff who meet every restriction the cohort
  names (pay bands, grades, directorates, leadership tiers; a list left empty restricts
  nothing).
* **Participation**: pool = eligible staff, outcome = eligible staff who took part: overall
  (`participation_overall`, the share of the eligible who took part), and per group the rate
  and its Wilson interval per group, and the relative likelihood of taking part, group ÷
  reference (White, White British, Male, Not disabled) with its Katz interval
  (`lifecycle.comparisons.compare_each`): by ethnicity (the five ONS groups, "Black, Asian and
  Multi-ethnic", the detailed categories, the ONS grouping), sex and disability, and by
  directorate and high-level group. People listed but outside the eligibility count in
  `cohort_status`, not in the participation rate.
* **Selection**, only where the cohort had applicants (someone is still "applied, not
  selected"): pool = everyone listed, outcome = selected or took part.
* **Outcomes** at 12, 18 and 24 months. For each horizon the outcome snapshot is the latest
  snapshot dated on or before start + N months and after the start snapshot; `horizons` gives
  its date, the months it actually lies after the start snapshot, and how many days short of
  start + N months it falls (snapshots are yearly, so "within 18 months" usually reads the
  12-month snapshot: the table says so rather than pretending). No such snapshot: the horizon
  is listed with no outcome snapshot and has no rows. Of those who took part, by high-level
  group: **promoted** = in the outcome snapshot in a higher pay band than at the start (bands
  ranked as the movements figures rank them, `movements.band_order`), or in a leadership tier
  having been in none; **left** = not in the outcome snapshot.
* **Comparison group**: staff of the start snapshot who did not take part and share a pay
  band, directorate and ethnic group at the start with at least one person who did (a
  participant's "cell"). Their promotion and leaving rates sit beside the participants', with
  Wilson intervals, and the difference (participants − comparison, in points) with Newcombe's
  interval. Unweighted: a cell with many non-participants weighs more in the comparison than
  in the cohort. It cannot show that a programme caused anything (who applies and who is
  chosen is not random), and cohorts are small (docs/metrics.md).

Every table carries its declared layout (`layouts`), so `disclosure_control.protect` can
protect a cohort's tables together.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics import intervals
from equitable.metrics.labels import AGGREGATE_LABEL, ETHNIC_GROUPS, NOT_RECORDED, UNKNOWN_GROUP
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Part,
    Restriction,
    Share,
    ethnicity_label,
    fixed,
    key,
    of,
    open_value,
)
from equitable.metrics.lifecycle.comparisons import (
    GROUP_OVER_REFERENCE,
    _recompute_rate,
    compare_each,
    comparison_layout,
)
from equitable.metrics.lifecycle.movements import _labelled, band_order, dataset_label

STATUSES = ("applied", "selected", "participant", "completed", "withdrawn")
TOOK_PART = "took part"
SELECTED_NOT_STARTED = "selected, did not start"
APPLIED_NOT_SELECTED = "applied, not selected"
DID_NOT_APPLY = "did not apply"
STATUS_ATOMS = (TOOK_PART, SELECTED_NOT_STARTED, APPLIED_NOT_SELECTED, DID_NOT_APPLY)
LISTED = (TOOK_PART, SELECTED_NOT_STARTED, APPLIED_NOT_SELECTED)
STATUS_TO_ATOM = {
    "applied": APPLIED_NOT_SELECTED,
    "selected": SELECTED_NOT_STARTED,
    "participant": TOOK_PART,
    "completed": TOOK_PART,
    "withdrawn": TOOK_PART,
}
ELIGIBLE, NOT_ELIGIBLE = "eligible", "not eligible"
IN_CELL, NOT_IN_CELL = "a participant's cell", "no participant's cell"
PROMOTED, LEFT, STAYED = "promoted", "left", "stayed, not promoted"
HORIZONS = (12, 18, 24)
ALL_GROUPS = "All ethnic groups"
OUTCOME_GROUPS = (*ETHNIC_GROUPS, UNKNOWN_GROUP, AGGREGATE_LABEL, ALL_GROUPS)
CHARACTERISTICS = ("ethnicity", "sex", "disability")
UNIVERSES: dict[str, tuple[str, ...]] = {
    "programme_status": STATUS_ATOMS,
    "eligibility": (ELIGIBLE, NOT_ELIGIBLE),
    "cell": (IN_CELL, NOT_IN_CELL),
}
_PEOPLE_COLUMNS = (
    "employee_key",
    "ethnicity",
    "ethnic_group",
    "sex",
    "disability",
    "pay_band",
    "grade",
    "directorate",
    "leadership_tier",
)


@dataclass(frozen=True)
class Eligibility:
    """Who could take part: each non-empty list restricts; empty lists restrict nothing."""

    pay_bands: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    directorates: tuple[str, ...] = ()
    leadership_tiers: tuple[str, ...] = ()

    def expr(self) -> pl.Expr:
        test = pl.lit(True)
        for column, allowed in (
            ("pay_band", self.pay_bands),
            ("grade", self.grades),
            ("directorate", self.directorates),
            ("leadership_tier", self.leadership_tiers),
        ):
            if allowed:
                test = test & pl.col(column).is_in(list(allowed))
        return test

    def describe(self) -> str:
        parts = [
            f"{label} {', '.join(values)}"
            for label, values in (
                ("pay bands", self.pay_bands),
                ("grades", self.grades),
                ("directorates", self.directorates),
                ("leadership tiers", self.leadership_tiers),
            )
            if values
        ]
        text = "; ".join(parts) if parts else "all staff"
        return text[0].upper() + text[1:]


@dataclass
class CohortFigures:
    """A cohort's tables, their layouts (pass both to `protect`), and what was left out."""

    tables: dict[str, pl.DataFrame]
    layouts: dict[str, Layout]
    start_snapshot: date | None
    missing_from_start: int = 0
    notes: list[str] = field(default_factory=list)


# --- dates ------------------------------------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 August
    + 6 months = 28 or 29 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (31 March 2023 to 31 March 2024 is 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def start_snapshot(
    snapshots: Sequence[tuple[date, pl.DataFrame]], start: date
) -> tuple[date, pl.DataFrame] | None:
    """The latest snapshot dated on or before `start`: the staff as they were at the start."""
    before = [pair for pair in snapshots if pair[0] <= start]
    return max(before, key=lambda pair: pair[0]) if before else None


def outcome_snapshot(
    snapshots: Sequence[tuple[date, pl.DataFrame]], start_date: date, target: date
) -> tuple[date, pl.DataFrame] | None:
    """The latest snapshot after the start snapshot and on or before `target`."""
    between = [pair for pair in snapshots if start_date < pair[0] <= target]
    return max(between, key=lambda pair: pair[0]) if between else None


# --- the people of a cohort ---------------------------------------------------------------------


def check_listed(listed: pl.DataFrame) -> pl.DataFrame:
    """The cohort list as (employee_key, status), one row per key; ValueError otherwise."""
    missing = [c for c in ("employee_key", "status") if c not in listed.columns]
    if missing:
        raise ValueError(f"the cohort list lacks column(s) {', '.join(missing)}")
    unknown = sorted(set(listed["status"].drop_nulls().to_list()) - set(STATUSES))
    if unknown or listed["status"].null_count():
        raise ValueError(f"statuses must be one of {', '.join(STATUSES)}")
    if listed["employee_key"].n_unique() != listed.height:
        raise ValueError("the cohort list holds an employee more than once")
    return listed.select("employee_key", "status")


def cohort_people(
    start_frame: pl.DataFrame, listed: pl.DataFrame, eligibility: Eligibility
) -> pl.DataFrame:
    """Every member of the start snapshot with `eligibility`, `programme_status` and `cell`."""
    listed = check_listed(listed).with_columns(
        pl.col("status").replace_strict(STATUS_TO_ATOM, return_dtype=pl.String).alias("_atom")
    )
    staff = _labelled(
        start_frame.select([c for c in _PEOPLE_COLUMNS if c in start_frame.columns]).with_columns(
            pl.col("ethnic_group").fill_null(UNKNOWN_GROUP)
        )
    )
    people = staff.join(listed.select("employee_key", "_atom"), on="employee_key", how="left")
    people = people.with_columns(
        pl.when(eligibility.expr().fill_null(False))
        .then(pl.lit(ELIGIBLE))
        .otherwise(pl.lit(NOT_ELIGIBLE))
        .alias("eligibility"),
        pl.col("_atom").fill_null(DID_NOT_APPLY).alias("programme_status"),
    ).drop("_atom")
    cell = ["pay_band", "directorate", "ethnic_group"]
    cells = people.filter(pl.col("programme_status") == TOOK_PART).select(cell).unique()
    in_cell = people.join(cells, on=cell, how="semi", nulls_equal=True).select("employee_key")
    return people.with_columns(
        pl.when(pl.col("employee_key").is_in(in_cell["employee_key"].implode()))
        .then(pl.lit(IN_CELL))
        .otherwise(pl.lit(NOT_IN_CELL))
        .alias("cell")
    )


# --- participation and selection --------------------------------------------------------------


def _dataset(label: Any) -> Restriction:
    return {"dataset": frozenset({dataset_label(label)})}


def _atoms(attribute: str, *values: str) -> Part:
    return fixed({attribute: frozenset(values)})


SNAPSHOT = key("snapshot", _dataset)
ELIGIBLE_PART = _atoms("eligibility", ELIGIBLE)
TOOK_PART_PART = _atoms("programme_status", TOOK_PART)
APPLIED_PART = _atoms("programme_status", *LISTED)
SELECTED_PART = _atoms("programme_status", TOOK_PART, SELECTED_NOT_STARTED)


def _with_universes(layout: Layout, universes: Mapping[str, tuple[str, ...]]) -> Layout:
    return Layout(
        keys=layout.keys,
        columns=layout.columns,
        public=layout.public,
        mentions=layout.mentions,
        universes={**UNIVERSES, **universes},
    )


def _keyed(table: pl.DataFrame, snapshot: date) -> pl.DataFrame:
    return table.select(pl.lit(str(snapshot)).alias("snapshot"), pl.all())


def participation_tables(people: pl.DataFrame, snapshot: date) -> dict[str, pl.DataFrame]:
    """Participation of the eligible by ethnicity, sex, disability and directorate, and
    selection of applicants by ethnic group, sex and disability (when there were any)."""
    tables: dict[str, pl.DataFrame] = {}
    eligible = pl.col("eligibility") == ELIGIBLE
    took_part = pl.col("programme_status") == TOOK_PART
    compared = compare_each(
        people,
        pool=eligible,
        outcome=took_part,
        characteristics=CHARACTERISTICS,
        direction=GROUP_OVER_REFERENCE,
        subject="eligible staff",
        outcome_phrase="take part",
    )
    for characteristic, table in compared.items():
        tables[f"participation_by_{characteristic}"] = _keyed(table, snapshot)
    directorates = people.filter(eligible).select("directorate").unique().sort("directorate")
    by_directorate = compare_each(
        people,
        pool=eligible,
        outcome=took_part,
        characteristics=("ethnic_group",),
        direction=GROUP_OVER_REFERENCE,
        by=("directorate",),
        keys=directorates,
        subject="eligible staff",
        outcome_phrase="take part",
    )["ethnic_group"]
    tables["participation_by_directorate"] = _keyed(by_directorate, snapshot)
    if (people["programme_status"] == APPLIED_NOT_SELECTED).any():
        selection = compare_each(
            people,
            pool=pl.col("programme_status").is_in(LISTED),
            outcome=pl.col("programme_status").is_in([TOOK_PART, SELECTED_NOT_STARTED]),
            characteristics=("ethnic_group", "sex", "disability"),
            direction=GROUP_OVER_REFERENCE,
            subject="applicants",
            outcome_phrase="be selected",
        )
        for characteristic, table in selection.items():
            tables[f"selection_by_{characteristic}"] = _keyed(table, snapshot)
    return tables


def overall_table(people: pl.DataFrame, snapshot: date) -> pl.DataFrame:
    """The eligible staff, how many took part, and the share with its interval."""
    eligible = people.filter(pl.col("eligibility") == ELIGIBLE)
    counts = pl.DataFrame(
        {
            "snapshot": [str(snapshot)],
            "eligible": [eligible.height],
            "took_part": [int((eligible["programme_status"] == TOOK_PART).sum())],
        },
        schema={"snapshot": pl.String, "eligible": pl.Int64, "took_part": pl.Int64},
    )
    low, high = intervals.wilson_exprs(pl.col("took_part"), pl.col("eligible"))
    return counts.with_columns(
        pl.when(pl.col("eligible") > 0)
        .then(100.0 * pl.col("took_part") / pl.col("eligible"))
        .otherwise(None)
        .alias("took_part_rate"),
        (100 * low).alias("took_part_rate_ci_low"),
        (100 * high).alias("took_part_rate_ci_high"),
    )


def status_table(people: pl.DataFrame, snapshot: date) -> pl.DataFrame:
    """How many people the cohort lists by status, within and outside the eligibility."""
    rows = [
        {"snapshot": str(snapshot), "programme_status": status, "eligibility": where}
        for status in LISTED
        for where in (ELIGIBLE, NOT_ELIGIBLE)
    ]
    counts = people.group_by("programme_status", "eligibility").agg(pl.len().alias("people"))
    return (
        pl.DataFrame(rows)
        .join(counts, on=["programme_status", "eligibility"], how="left")
        .with_columns(pl.col("people").fill_null(0).cast(pl.Int64))
    )


# --- outcomes ----------------------------------------------------------------------------------


def _outcomes_of(people: pl.DataFrame, start: pl.DataFrame, later: pl.DataFrame) -> pl.DataFrame:
    """`people` with `outcome` (promoted, left, stayed) at the `later` snapshot."""
    ranks = band_order(start, later)
    end = _labelled(
        later.select("employee_key", "pay_band", "leadership_tier"),
        ("pay_band", "leadership_tier"),
    ).rename({"pay_band": "band_end", "leadership_tier": "tier_end"})
    joined = people.join(end, on="employee_key", how="left")
    rank_start = pl.col("pay_band").replace_strict(ranks, default=None, return_dtype=pl.Int64)
    rank_end = pl.col("band_end").replace_strict(ranks, default=None, return_dtype=pl.Int64)
    stayed = pl.col("band_end").is_not_null() | pl.col("tier_end").is_not_null()
    band_up = (rank_end > rank_start).fill_null(False)
    into_tier = (pl.col("leadership_tier") == NOT_RECORDED) & (
        pl.col("tier_end").is_not_null() & (pl.col("tier_end") != NOT_RECORDED)
    )
    return joined.with_columns(
        pl.when(~stayed)
        .then(pl.lit(LEFT))
        .when(band_up | into_tier)
        .then(pl.lit(PROMOTED))
        .otherwise(pl.lit(STAYED))
        .alias("outcome")
    ).drop("band_end", "tier_end")


def _group_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Each person once per outcome group they are in (their group, the aggregate, all)."""
    minority = [g for g in ETHNIC_GROUPS if g != "White"]
    return pl.concat(
        [
            frame.with_columns(pl.col("ethnic_group").alias("_group")),
            frame.filter(pl.col("ethnic_group").is_in(minority)).with_columns(
                pl.lit(AGGREGATE_LABEL).alias("_group")
            ),
            frame.with_columns(pl.lit(ALL_GROUPS).alias("_group")),
        ]
    )


def _side(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
    counted = (
        _group_rows(frame)
        .group_by("_group")
        .agg(
            pl.len().alias(prefix),
            (pl.col("outcome") == PROMOTED).sum().alias(f"{prefix}_promoted"),
            (pl.col("outcome") == LEFT).sum().alias(f"{prefix}_left"),
        )
    )
    return pl.DataFrame({"_group": OUTCOME_GROUPS}).join(counted, on="_group", how="left")


def _rate_columns(prefix: str, outcome: str) -> list[pl.Expr]:
    k, n = pl.col(f"{prefix}_{outcome}"), pl.col(prefix)
    low, high = intervals.wilson_exprs(k, n)
    rate = f"{prefix}_{outcome}_rate"
    return [
        pl.when(n > 0).then(100.0 * k / n).otherwise(None).alias(rate),
        (100 * low).alias(f"{rate}_ci_low"),
        (100 * high).alias(f"{rate}_ci_high"),
    ]


def newcombe_points(k1: Any, n1: Any, k2: Any, n2: Any) -> tuple[Any, Any, Any]:
    """(difference, low, high) of k1/n1 − k2/n2 in percentage points; Nones when either side
    is empty or not known."""
    if None in (k1, n1, k2, n2) or not n1 or not n2:
        return None, None, None
    k1, k2 = min(int(k1), int(n1)), min(int(k2), int(n2))
    interval = intervals.newcombe_interval(k1, int(n1), k2, int(n2))
    assert interval is not None
    return 100 * (k1 / n1 - k2 / n2), 100 * interval[0], 100 * interval[1]


def _difference_inputs(row: Mapping[str, Any], outcome: str) -> tuple[Any, Any, Any, Any]:
    return (
        row.get(f"participants_{outcome}"),
        row.get("participants"),
        row.get(f"comparison_{outcome}"),
        row.get("comparison"),
    )


def _difference(row: Mapping[str, Any], outcome: str, which: int) -> Any:
    return newcombe_points(*_difference_inputs(row, outcome))[which]


def _recompute_difference(outcome: str, which: int):
    return lambda row: _difference(row, outcome, which)


def outcome_tables(
    people: pl.DataFrame,
    start: tuple[date, pl.DataFrame],
    later: Sequence[tuple[date, pl.DataFrame]],
    cohort_start: date,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The `horizons` table (which snapshot answers each horizon) and the `outcomes` table."""
    start_date, start_frame = start
    horizon_rows, tables = [], []
    for months in HORIZONS:
        target = add_months(cohort_start, months)
        chosen = outcome_snapshot(later, start_date, target)
        horizon_rows.append(
            {
                "horizon_months": months,
                "target_date": target,
                "outcome_snapshot": None if chosen is None else chosen[0],
                "months_after_start": None
                if chosen is None
                else months_between(start_date, chosen[0]),
                "days_short": None if chosen is None else (target - chosen[0]).days,
            }
        )
        if chosen is None:
            continue
        outcomes = _outcomes_of(people, start_frame, chosen[1])
        participants = _side(
            outcomes.filter(pl.col("programme_status") == TOOK_PART), "participants"
        )
        comparison = _side(
            outcomes.filter(
                (pl.col("programme_status") != TOOK_PART) & (pl.col("cell") == IN_CELL)
            ),
            "comparison",
        )
        table = participants.join(comparison, on="_group").with_columns(
            pl.exclude("_group").fill_null(0).cast(pl.Int64)
        )
        tables.append(
            table.select(
                pl.lit(str(start_date)).alias("snapshot"),
                pl.lit(months, dtype=pl.Int64).alias("horizon_months"),
                pl.lit(str(chosen[0])).alias("outcome_snapshot"),
                pl.col("_group").alias("ethnic_group"),
                pl.exclude("_group"),
            )
        )
    horizons = pl.DataFrame(
        horizon_rows,
        schema={
            "horizon_months": pl.Int64,
            "target_date": pl.Date,
            "outcome_snapshot": pl.Date,
            "months_after_start": pl.Int64,
            "days_short": pl.Int64,
        },
    )
    if not tables:
        return horizons, _empty_outcomes()
    outcomes = pl.concat(tables).with_columns(
        *_rate_columns("participants", "promoted"),
        *_rate_columns("comparison", "promoted"),
        *_rate_columns("participants", "left"),
        *_rate_columns("comparison", "left"),
    )
    differences: dict[str, list[Any]] = {}
    for outcome in ("promoted", "left"):
        rows = outcomes.iter_rows(named=True)
        values = [newcombe_points(*_difference_inputs(row, outcome)) for row in rows]
        for which, suffix in enumerate(("", "_ci_low", "_ci_high")):
            differences[f"{outcome}_difference{suffix}"] = [v[which] for v in values]
    outcomes = outcomes.with_columns(
        pl.Series(name, values, dtype=pl.Float64) for name, values in differences.items()
    )
    return horizons, outcomes.select(OUTCOME_COLUMNS)


OUTCOME_KEYS = ("snapshot", "horizon_months", "outcome_snapshot", "ethnic_group")
_OUTCOME_FIGURES = tuple(
    column
    for outcome in ("promoted", "left")
    for column in (
        *(
            c
            for side in ("participants", "comparison")
            for c in (
                f"{side}_{outcome}",
                f"{side}_{outcome}_rate",
                f"{side}_{outcome}_rate_ci_low",
                f"{side}_{outcome}_rate_ci_high",
            )
        ),
        f"{outcome}_difference",
        f"{outcome}_difference_ci_low",
        f"{outcome}_difference_ci_high",
    )
)
OUTCOME_COLUMNS = (*OUTCOME_KEYS, "participants", "comparison", *_OUTCOME_FIGURES)


def _empty_outcomes() -> pl.DataFrame:
    schema: dict[str, pl.DataType] = {}
    for column in OUTCOME_COLUMNS:
        if column in ("snapshot", "outcome_snapshot", "ethnic_group"):
            schema[column] = pl.String()
        elif column in ("horizon_months", "participants", "comparison") or column.endswith(
            ("_promoted", "_left")
        ):
            schema[column] = pl.Int64()
        else:
            schema[column] = pl.Float64()
    return pl.DataFrame(schema=schema)


# --- the cohort as a whole ----------------------------------------------------------------------


def cohort_figures(
    snapshots: Sequence[tuple[date, pl.DataFrame]],
    listed: pl.DataFrame,
    *,
    start: date,
    eligibility: Eligibility,
) -> CohortFigures:
    """Every table of one cohort with its layout (the module docstring says what each is)."""
    listed = check_listed(listed)
    ordered = sorted(snapshots, key=lambda pair: pair[0])
    first = start_snapshot(ordered, start)
    if first is None:
        return CohortFigures(
            {}, {}, None, listed.height, ["No workforce snapshot is dated on or before the start."]
        )
    snapshot_date, frame = first
    people = cohort_people(frame, listed, eligibility)
    missing = listed.join(frame.select("employee_key"), on="employee_key", how="anti").height
    tables = participation_tables(people, snapshot_date)
    tables["participation_overall"] = overall_table(people, snapshot_date)
    tables["cohort_status"] = status_table(people, snapshot_date)
    horizons, outcomes = outcome_tables(people, first, ordered, start)
    tables["horizons"] = horizons
    tables["outcomes"] = outcomes
    layouts = {name: layout_for(name, outcomes) for name in tables}
    notes = []
    if missing:
        notes.append(
            f"{missing} listed {'person is' if missing == 1 else 'people are'} not in the "
            f"snapshot of {snapshot_date} and counted in no figure."
        )
    return CohortFigures(tables, layouts, snapshot_date, missing, notes)


# --- declared layouts ---------------------------------------------------------------------------


def _outcome_attribute(snapshot: Any) -> str:
    return f"outcome on {snapshot}"


def _outcome_is(value: str):
    return key("outcome_snapshot", lambda label: {_outcome_attribute(label): frozenset({value})})


def _outcome_group(label: Any) -> Restriction:
    return {} if label == ALL_GROUPS else ethnicity_label(label)


def _outcome_layout(outcome_snapshots: Sequence[str]) -> Layout:
    group = key("ethnic_group", _outcome_group)
    took_part = (SNAPSHOT, TOOK_PART_PART, group)
    compared = (
        SNAPSHOT,
        _atoms("programme_status", *(s for s in STATUS_ATOMS if s != TOOK_PART)),
        _atoms("cell", IN_CELL),
        group,
    )
    columns: list[Any] = [
        Count("participants", of(*took_part)),
        Count("comparison", of(*compared)),
    ]
    for outcome, atom in (("promoted", PROMOTED), ("left", LEFT)):
        for side, parts in (("participants", took_part), ("comparison", compared)):
            count, rate = f"{side}_{outcome}", f"{side}_{outcome}_rate"
            columns += [
                Count(count, of(*parts, _outcome_is(atom))),
                Share(rate, count, side),
                Function(f"{rate}_ci_low", (rate,), _recompute_rate(count, side, 0)),
                Function(f"{rate}_ci_high", (rate,), _recompute_rate(count, side, 1)),
            ]
        sources = (
            f"participants_{outcome}",
            "participants",
            f"comparison_{outcome}",
            "comparison",
            f"participants_{outcome}_rate",
            f"comparison_{outcome}_rate",
        )
        for which, suffix in enumerate(("", "_ci_low", "_ci_high")):
            columns.append(
                Function(
                    f"{outcome}_difference{suffix}",
                    sources,
                    _recompute_difference(outcome, which),
                )
            )
    return Layout(
        keys=OUTCOME_KEYS,
        columns=tuple(columns),
        universes={
            **UNIVERSES,
            **{_outcome_attribute(s): (PROMOTED, LEFT, STAYED) for s in outcome_snapshots},
        },
    )


STATUS_LAYOUT = Layout(
    keys=("snapshot", "programme_status", "eligibility"),
    columns=(
        Count(
            "people",
            of(
                SNAPSHOT,
                key("programme_status", open_value("programme_status")),
                key("eligibility", open_value("eligibility")),
            ),
        ),
    ),
    universes=UNIVERSES,
)
OVERALL_LAYOUT = Layout(
    keys=("snapshot",),
    columns=(
        Count("eligible", of(SNAPSHOT, ELIGIBLE_PART)),
        Count("took_part", of(SNAPSHOT, ELIGIBLE_PART, TOOK_PART_PART)),
        Share("took_part_rate", "took_part", "eligible"),
        Function(
            "took_part_rate_ci_low",
            ("took_part_rate",),
            _recompute_rate("took_part", "eligible", 0),
        ),
        Function(
            "took_part_rate_ci_high",
            ("took_part_rate",),
            _recompute_rate("took_part", "eligible", 1),
        ),
    ),
    universes=UNIVERSES,
)
HORIZONS_LAYOUT = Layout(
    keys=("horizon_months",),
    public=("target_date", "outcome_snapshot", "months_after_start", "days_short"),
)


def _participation_layout(characteristic: str, by: Sequence[str] = ()) -> Layout:
    where = [key(column, open_value(column)) for column in by]
    return _with_universes(
        comparison_layout(
            characteristic,
            pool=(SNAPSHOT, ELIGIBLE_PART, *where),
            outcome=(SNAPSHOT, ELIGIBLE_PART, TOOK_PART_PART, *where),
            by=("snapshot", *by),
        ),
        {},
    )


def _selection_layout(characteristic: str) -> Layout:
    return _with_universes(
        comparison_layout(
            characteristic,
            pool=(SNAPSHOT, APPLIED_PART),
            outcome=(SNAPSHOT, SELECTED_PART),
            by=("snapshot",),
        ),
        {},
    )


LAYOUTS: dict[str, Layout] = {
    **{f"participation_by_{c}": _participation_layout(c) for c in CHARACTERISTICS},
    "participation_by_directorate": _participation_layout("ethnic_group", ("directorate",)),
    **{f"selection_by_{c}": _selection_layout(c) for c in ("ethnic_group", "sex", "disability")},
    "participation_overall": OVERALL_LAYOUT,
    "cohort_status": STATUS_LAYOUT,
    "horizons": HORIZONS_LAYOUT,
}


def layout_for(name: str, outcomes: pl.DataFrame | None = None) -> Layout:
    """The layout of a cohort table; the outcomes layout names the outcome snapshots' own
    attributes, so it is made from the table."""
    if name == "outcomes":
        dates = [] if outcomes is None else outcomes["outcome_snapshot"].unique().to_list()
        return _outcome_layout(sorted(dates))
    return LAYOUTS[name]
