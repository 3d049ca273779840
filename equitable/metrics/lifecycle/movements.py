"""Movements between consecutive workforce snapshots: who started, who left (and why), who was
promoted, regraded down, moved directorate or entered a leadership tier, how long people stay
in a band, and how young people fare, each as a rate per group with its interval and a relative
likelihood against White staff (`comparisons.compare`).

Snapshots are validated workforce frames (`equitable.metrics.schema.FRAME_SCHEMA`) linked by
`employee_key`, the keyed hash of the employee id. For each pair of consecutive snapshots
(dated d0 < d1, labelled by the financial year that ends in the period: 31/3/2023 → 31/3/2024
is "2023-24"):

* **leavers**: in d0 and not in d1, with their d0 characteristics; pool = staff on d0 (the
  headcount the workforce page publishes for d0). The Social Care WRES metric 8 is the
  relative likelihood of leaving, group ÷ White. A leavers file adds the reason.
* **starters**: in d1 and not in d0, with their d1 characteristics; pool = staff on d1.
* **promotions** (pay band up) and **regrades down** (pay band down): staff on d0 in post on d1
  whose band changed. Bands are ordered by their median hourly pay over both snapshots; when
  any band has no pay, by a natural sort of the labels ("Band 2" before "Band 10"). Pool =
  staff on d0 (the contract's headcount pool; leavers count in it as not promoted).
* **directorate moves**: staff on d0 in post on d1 in another directorate.
* **entries into the leadership tiers**: staff on d0 outside every tier ("Not recorded") who
  are in a tier on d1; pool = staff on d0 outside every tier.
* **acting up**, only where the later snapshot has a boolean `acting_up` column: staff on d1
  acting up; pool = staff on d1. Without the column the table is left out and a note says so.
* **time in band**: years each person on d1 has been in their d1 band: from their start date
  when the band is the one they were first seen in, else from the first snapshot of the
  unbroken run in the band (a band change between snapshots is dated at the later snapshot,
  so the figure is a lower bound); median per group.
* **young people**: the share under 25 of staff on d0, of leavers, of starters and of staff
  on d1 (seed 003: young people leaving faster than their share).

Disclosure: every population carries `dataset` ("staff on <date>", the snapshot it is a part
of) and attributes that partition that snapshot (`leaving` left/stayed, `joining`
started/already in post, `band_change`, `directorate_change`, `tier_at_start`, `tier_entry`,
`leaving_reason`, `acting_up`, `age_band`, `time_in_band`), so `protect` knows leavers and
stayers add up to the headcount. `movement_withhold` maps the headcounts the workforce pages
withhold to restrictions.

Pure module (polars, no Django).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics.intervals import wilson_exprs
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    NOT_RECORDED,
    UNKNOWN_GROUP,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Median,
    Mention,
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
    ENGINE,
    GROUP_OVER_REFERENCE,
    Batched,
    _recompute_rate,
    compare,
    compare_many_each,
    comparison_layout,
    side_by_side,
)
from equitable.metrics.lifecycle.records import Column, RecordSpec

PERIOD_KEYS = ("period", "snapshot_from", "snapshot_to")
LEAVING_REASONS = (
    "resignation",
    "dismissal",
    "redundancy",
    "end of contract",
    "retirement",
    "death in service",
    "other",
)
REASON_NOT_RECORDED = "not recorded"
ALL_STAFF = "All staff"
# Rows of the plain rate tables: the five groups, unknown, the aggregate and everyone.
RATE_GROUPS = (*ETHNIC_GROUPS, UNKNOWN_GROUP, AGGREGATE_LABEL, ALL_STAFF)
UNDER_25 = "under 25"
YOUNG_PEOPLE_ROWS = ("staff at the start", "leavers", "starters", "staff at the end")

REASON_ALIASES = {
    "resigned": "resignation",
    "voluntary": "resignation",
    "voluntary resignation": "resignation",
    "resignation voluntary": "resignation",
    "left voluntarily": "resignation",
    "dismissed": "dismissal",
    "dismissal capability": "dismissal",
    "dismissal conduct": "dismissal",
    "gross misconduct": "dismissal",
    "redundant": "redundancy",
    "made redundant": "redundancy",
    "voluntary redundancy": "redundancy",
    "compulsory redundancy": "redundancy",
    "end of fixed term contract": "end of contract",
    "end of fixed term": "end of contract",
    "fixed term contract ended": "end of contract",
    "contract ended": "end of contract",
    "end of temporary contract": "end of contract",
    "retired": "retirement",
    "ill health retirement": "retirement",
    "age retirement": "retirement",
    "early retirement": "retirement",
    "died": "death in service",
    "death": "death in service",
    "deceased": "death in service",
    "other reason": "other",
    "not known": REASON_NOT_RECORDED,
    "unknown": REASON_NOT_RECORDED,
}


LEAVERS = RecordSpec(
    kind="leavers",
    label="leavers",
    columns=(
        Column(
            "employee_id",
            "employee_id",
            required=True,
            headers=(
                "employee number",
                "staff id",
                "staff number",
                "person id",
                "assignment number",
                "payroll number",
            ),
            description="The leaver's employee id, as in the workforce extracts (stored only as "
            "the same keyed hash, so the record links to the snapshot before they left).",
        ),
        Column(
            "leaving_date",
            "date",
            headers=("date left", "termination date", "end date", "leave date"),
            description="Last day of service; places the leaver in the period between two "
            "snapshots (blank: matched to whichever period they left in).",
        ),
        Column(
            "reason",
            "choice",
            choices=(*LEAVING_REASONS, REASON_NOT_RECORDED),
            aliases=REASON_ALIASES,
            headers=("leaving reason", "reason for leaving", "termination reason"),
            description="Why they left: " + ", ".join(LEAVING_REASONS) + " (blank: not recorded).",
        ),
    ),
)
SPECS = {"leavers": LEAVERS}

UNIVERSES: dict[str, tuple[str, ...]] = {
    "leaving": ("left", "stayed"),
    "joining": ("started", "already in post"),
    "band_change": ("up", "down", "same", "not compared"),
    "directorate_change": ("moved", "same", "not compared"),
    "tier_at_start": ("in a tier", "not in a tier"),
    "tier_entry": ("entered", "did not enter"),
    "leaving_reason": (*LEAVING_REASONS, REASON_NOT_RECORDED),
    "acting_up": ("acting up", "not acting up"),
    "age_band": (UNDER_25, "25 and over", "age not known"),
    "time_in_band": ("known", "not known"),
    "leavers_file": ("matched", "unmatched"),
}


def dataset_label(snapshot_date: Any) -> str:
    """The universe name of one snapshot's staff, shared with `movement_withhold`."""
    return f"staff on {snapshot_date}"


def period_label(_start: date, end: date) -> str:
    """The financial year (1 April to 31 March) in which the period ends: "2023-24"."""
    year = end.year if end.month >= 4 else end.year - 1
    return f"{year}-{(year + 1) % 100:02d}"


def natural_key(label: str) -> tuple[tuple[int, Any], ...]:
    """Sort key that reads the numbers in a label: "Band 2" < "Band 10" < "Band 10a"."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.lower())
        for part in re.findall(r"\d+|\D+", label)
    )


# --- checking the input ---------------------------------------------------------------------

_NEEDED = ("employee_key", "ethnicity", "sex", "disability")


def checked_snapshots(
    snapshots: Sequence[tuple[date, pl.DataFrame]], minimum: int = 2
) -> list[tuple[date, pl.DataFrame]]:
    """The snapshots in date order, each with the optional columns the figures read (typed
    nulls when absent); ValueError for too few, two on one date, or a frame that cannot be
    linked (no employee key, or one key twice)."""
    if len(snapshots) < minimum:
        raise ValueError(
            "movements need at least two workforce snapshots"
            if minimum == 2
            else f"at least {minimum} workforce snapshot(s) needed"
        )
    ordered = sorted(snapshots, key=lambda pair: pair[0])
    dates = [d for d, _ in ordered]
    if len(set(dates)) != len(dates):
        raise ValueError("two snapshots have the same date: " + ", ".join(map(str, dates)))
    checked = []
    for snapshot_date, frame in ordered:
        missing = [c for c in _NEEDED if c not in frame.columns]
        if missing:
            raise ValueError(f"snapshot {snapshot_date} lacks column(s) {', '.join(missing)}")
        if frame.is_empty():
            raise ValueError(f"snapshot {snapshot_date} has no staff")
        if frame["employee_key"].null_count():
            raise ValueError(f"snapshot {snapshot_date} has staff without an employee key")
        if frame["employee_key"].n_unique() != frame.height:
            raise ValueError(f"snapshot {snapshot_date} holds an employee key more than once")
        checked.append((snapshot_date, _with_optional_columns(frame)))
    return checked


def _with_optional_columns(frame: pl.DataFrame) -> pl.DataFrame:
    optional: dict[str, pl.DataType] = {
        "pay_band": pl.String(),
        "directorate": pl.String(),
        "leadership_tier": pl.String(),
        "age": pl.Int32(),
        "start_date": pl.Date(),
        "hourly_pay": pl.Float64(),
    }
    frame = frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in optional.items()
        if name not in frame.columns
    )
    # The group always from the detailed category, as `comparisons.compare` reads it, so a
    # frame whose two columns disagree cannot count one population two ways.
    return frame.with_columns(
        pl.col("ethnicity")
        .replace_strict(ETHNICITY_TO_GROUP, default=UNKNOWN_GROUP, return_dtype=pl.String)
        .alias("ethnic_group")
    )


def _clean_leavers(leavers: pl.DataFrame | None) -> pl.DataFrame | None:
    if leavers is None:
        return None
    if "employee_key" not in leavers.columns:
        raise ValueError("the leavers records lack employee_key (the keyed employee id)")
    frame = leavers.select(
        "employee_key",
        (pl.col("leaving_date") if "leaving_date" in leavers.columns else pl.lit(None))
        .cast(pl.Date)
        .alias("leaving_date"),
        (pl.col("reason") if "reason" in leavers.columns else pl.lit(None))
        .cast(pl.String)
        .str.strip_chars()
        .str.to_lowercase()
        .alias("reason"),
    ).filter(pl.col("employee_key").is_not_null())
    unknown = sorted(
        set(frame["reason"].drop_nulls().unique().to_list())
        - set(LEAVING_REASONS)
        - {REASON_NOT_RECORDED}
    )
    if unknown:
        raise ValueError(
            "leaving reasons not recognised: "
            + ", ".join(repr(u) for u in unknown)
            + f" (expected one of {', '.join(LEAVING_REASONS)})"
        )
    return frame.with_row_index("_record")


# --- one period's people --------------------------------------------------------------------


def _label(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String).str.strip_chars()
    return pl.when(value.is_null() | (value == "")).then(pl.lit(NOT_RECORDED)).otherwise(value)


def _labelled(
    snapshot: pl.DataFrame, columns: Sequence[str] = ("pay_band", "directorate", "leadership_tier")
) -> pl.DataFrame:
    """The snapshot with `columns` labelled as the tables show them (`_label`).

    A column holds a handful of values: each is labelled once, and a column whose values are
    all their own label (the usual case) is left as it is."""
    replaced = []
    for column in columns:
        values = snapshot.get_column(column)
        if values.dtype != pl.String:
            replaced.append(_label(column).alias(column))
            continue
        distinct = values.drop_nulls().unique()
        labels = pl.select(distinct.alias(column)).select(_label(column)).to_series()
        changed = distinct != labels
        if changed.any():
            replaced.append(
                pl.col(column)
                .replace(distinct.filter(changed), labels.filter(changed))
                .fill_null(NOT_RECORDED)
            )
        elif values.null_count():
            replaced.append(pl.col(column).fill_null(NOT_RECORDED))
    return snapshot.with_columns(replaced) if replaced else snapshot


def band_order(start: pl.DataFrame, end: pl.DataFrame) -> dict[str, int]:
    """Rank of each pay band (0 = lowest): by median hourly pay over both snapshots, ties and
    everything else by a natural sort of the labels; by the labels alone when any band has no
    hourly pay to go on."""
    both = pl.concat(
        [
            _labelled(f.select("pay_band", "hourly_pay"), ("pay_band",)).rename(
                {"pay_band": "band"}
            )
            for f in (start, end)
        ]
    ).filter(pl.col("band") != NOT_RECORDED)
    medians = both.group_by("band").agg(pl.col("hourly_pay").median().alias("median"))
    rows = medians.rows()
    if any(median is None for _, median in rows):
        ordered = sorted((band for band, _ in rows), key=natural_key)
    else:
        ordered = [band for band, _ in sorted(rows, key=lambda r: (r[1], natural_key(r[0])))]
    return {band: rank for rank, band in enumerate(ordered)}


def _age_band(column: str) -> pl.Expr:
    age = pl.col(column)
    return (
        pl.when(age.is_null())
        .then(pl.lit("age not known"))
        .when(age < 25)
        .then(pl.lit(UNDER_25))
        .otherwise(pl.lit("25 and over"))
    )


def _period_queries(
    start_date: date,
    start: pl.DataFrame,
    end_date: date,
    end: pl.DataFrame,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """Staff on d0 with what happened to them by d1, and staff on d1 with whether they started
    in the period (the reasons for leaving are `_with_reasons`).

    The snapshots come with pay band, directorate and leadership tier already labelled
    (`_label`, once per snapshot: the middle one is in two periods). Queries, so that every
    period's are collected together."""
    ranks = band_order(start, end)
    period = {
        "period": period_label(start_date, end_date),
        "snapshot_from": start_date,
        "snapshot_to": end_date,
    }
    later = end.lazy().select(
        "employee_key",
        pl.col("pay_band").alias("band_end"),
        pl.col("directorate").alias("directorate_end"),
        pl.col("leadership_tier").alias("tier_end"),
        pl.lit(True).alias("stayed"),
    )
    people = (
        start.lazy()
        .with_columns(pl.col("leadership_tier").alias("tier_start"))
        .join(later, on="employee_key", how="left")
        .with_columns(
            pl.col("stayed").fill_null(False),
            # A lookup, not a join: the ranks are a handful of bands.
            pl.col("pay_band")
            .replace_strict(ranks, default=None, return_dtype=pl.Int64)
            .alias("rank_start"),
            pl.col("band_end")
            .replace_strict(ranks, default=None, return_dtype=pl.Int64)
            .alias("rank_end"),
        )
    )
    compared = (
        pl.col("stayed") & pl.col("rank_start").is_not_null() & pl.col("rank_end").is_not_null()
    )
    directorates_known = (pl.col("directorate") != NOT_RECORDED) & (
        pl.col("directorate_end") != NOT_RECORDED
    )
    people = people.with_columns(
        (~pl.col("stayed")).alias("left"),
        (compared & (pl.col("rank_end") > pl.col("rank_start"))).alias("promoted"),
        (compared & (pl.col("rank_end") < pl.col("rank_start"))).alias("regraded_down"),
        (
            pl.col("stayed")
            & directorates_known
            & (pl.col("directorate") != pl.col("directorate_end"))
        ).alias("moved_directorate"),
        (pl.col("tier_start") == NOT_RECORDED).alias("outside_tiers"),
        (
            pl.col("stayed")
            & (pl.col("tier_start") == NOT_RECORDED)
            & (pl.col("tier_end") != NOT_RECORDED)
        ).alias("entered_tier"),
        _age_band("age").alias("age_band"),
        *(pl.lit(v).alias(k) for k, v in period.items()),
    )
    earlier = start.lazy().select("employee_key", pl.lit(True).alias("_was_in_post"))
    newcomers = (
        end.lazy()
        .join(earlier, on="employee_key", how="left")
        .with_columns(
            pl.col("_was_in_post").is_null().alias("started"),
            _age_band("age").alias("age_band"),
            *(pl.lit(v).alias(k) for k, v in period.items()),
        )
        .drop("_was_in_post")
    )
    return people, newcomers


def _with_reasons(
    people: pl.DataFrame, leavers: pl.DataFrame, start_date: date, end_date: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A period's people with the reason each leaver left (from the leavers-file record
    matched to them: the latest in the period, or undated), and those matched records.

    After the period's frames are collected: the leavers are then a few thousand keys, not a
    second join of the two snapshots."""
    in_window = leavers.lazy().filter(
        pl.col("leaving_date").is_null()
        | ((pl.col("leaving_date") > start_date) & (pl.col("leaving_date") <= end_date))
    )
    leaver_keys = people.lazy().filter(pl.col("left")).select("employee_key")
    matched = (
        in_window.join(leaver_keys, on="employee_key", how="semi")
        .sort(["employee_key", "leaving_date"], nulls_last=False)
        .group_by("employee_key", maintain_order=True)
        .last()
        .collect(engine=ENGINE)
    )
    with_reason = people.join(
        matched.select("employee_key", "reason"), on="employee_key", how="left"
    ).with_columns(
        pl.when(pl.col("left"))
        .then(pl.col("reason").fill_null(REASON_NOT_RECORDED))
        .otherwise(None)
        .alias("reason")
    )
    return with_reason, matched


# --- time in band ---------------------------------------------------------------------------


def _time_in_band(snapshots: Sequence[tuple[date, pl.DataFrame]]) -> list[pl.DataFrame]:
    """For each snapshot, every person with the years they have been in their current band
    (null when the band is not recorded); see the module docstring for the rule."""
    results = []
    previous: pl.DataFrame | None = None
    for snapshot_date, frame in snapshots:
        current = _labelled(frame.select("employee_key", "pay_band", "start_date"), ("pay_band",))
        current = current.select(
            "employee_key", pl.col("pay_band").alias("band"), pl.col("start_date").cast(pl.Date)
        )
        if previous is None:
            current = current.with_columns(
                pl.lit(None, dtype=pl.String).alias("band_before"),
                pl.lit(None, dtype=pl.Date).alias("since_before"),
                pl.lit(False).alias("seen_before"),
            )
        else:
            current = current.join(
                previous.rename({"band": "band_before", "since": "since_before"}).with_columns(
                    pl.lit(True).alias("seen_before")
                ),
                on="employee_key",
                how="left",
            ).with_columns(pl.col("seen_before").fill_null(False))
        here = pl.lit(snapshot_date, dtype=pl.Date)
        from_start = (
            pl.when(pl.col("start_date").is_not_null() & (pl.col("start_date") <= here))
            .then(pl.col("start_date"))
            .otherwise(here)
        )
        since = (
            pl.when(pl.col("band") == NOT_RECORDED)
            .then(pl.lit(None, dtype=pl.Date))
            .when(pl.col("seen_before") & (pl.col("band_before") == pl.col("band")))
            .then(pl.col("since_before"))
            .when(pl.col("seen_before"))
            .then(here)
            .otherwise(from_start)
        )
        current = current.with_columns(since.alias("since")).select("employee_key", "band", "since")
        results.append(
            current.select(
                "employee_key",
                ((here - pl.col("since")).dt.total_days() / 365.25).alias("years_in_band"),
            ).with_columns(frame.get_column("ethnic_group"))
        )
        previous = current
    return results


# --- tables -----------------------------------------------------------------------------------


def _keys(frame: pl.DataFrame, extra: Sequence[str] = ()) -> pl.DataFrame:
    columns = [*PERIOD_KEYS, *extra]
    return frame.select(columns).unique().sort(columns)


def _counted(periods: Sequence[pl.DataFrame], columns: Sequence[str]) -> pl.DataFrame:
    """People counted per period and combination of what the comparisons read (`_n`,
    `compare`'s `weight`): every comparison then groups a few thousand rows, not every person.

    `periods` holds one frame per period (its PERIOD_KEYS the same on every row): each is
    counted on its own, without the period keys, which halves the work of one count of all."""
    frame = pl.concat(periods, how="diagonal_relaxed")
    present = [c for c in columns if c in frame.columns]
    counted, offset = [], 0
    for period in periods:
        rows = frame.slice(offset, period.height)
        offset += period.height
        keys = rows.select(PERIOD_KEYS).head(1)
        counted.append(
            rows.group_by(["ethnicity", "sex", "disability", *present])
            .agg(pl.len().cast(pl.Int64).alias("_n"))
            .select(
                *(pl.lit(keys.item(0, k), dtype=keys.schema[k]).alias(k) for k in PERIOD_KEYS),
                pl.all(),
            )
        )
    return pl.concat(counted)


START_COLUMNS = (
    "directorate",
    "pay_band",
    "left",
    "promoted",
    "regraded_down",
    "moved_directorate",
    "outside_tiers",
    "entered_tier",
    "reason",
)
END_COLUMNS = ("directorate", "pay_band", "started", "acting_up")


Planned = tuple[str, tuple[str, ...], Batched]  # characteristic, `by`, the comparison


def _comparisons(
    frame: pl.DataFrame,
    *,
    name: str,
    pool: pl.Expr,
    outcome: pl.Expr,
    phrase: str,
    full: bool,
    breakdowns: bool = False,
    main: bool = True,
) -> dict[str, Planned]:
    """The comparison tables of one movement: ethnicity (and by sex, sex, disability when
    `full`), and the directorate and pay band breakdowns when `breakdowns`; planned, to be
    computed by `_compared` together with the other movements' of the same shape."""
    keys = _keys(frame)
    part = Batched(frame=frame, pool=pool, outcome=outcome, keys=keys, outcome_phrase=phrase)
    planned: dict[str, Planned] = {}
    if main:
        planned[name] = ("ethnicity", PERIOD_KEYS, part)
    if full:
        for suffix, characteristic in (
            ("_by_sex", "sex"),
            ("_by_disability", "disability"),
            ("_by_ethnicity_and_sex", "ethnicity_by_sex"),
        ):
            planned[name + suffix] = (characteristic, PERIOD_KEYS, part)
    if breakdowns:
        for column in ("directorate", "pay_band"):
            planned[f"{name}_by_{column}"] = (
                "ethnic_group",
                (*PERIOD_KEYS, column),
                Batched(
                    frame=frame,
                    pool=pool,
                    outcome=outcome,
                    keys=_keys(frame, [column]),
                    outcome_phrase=phrase,
                ),
            )
    return planned


def _compared(planned: Mapping[str, Planned]) -> dict[str, pl.DataFrame]:
    """Every planned comparison: those of one `by` as one computation, each movement counted
    once however many characteristics it is compared by."""
    shapes: dict[tuple[str, ...], dict[int, tuple[Batched, list[tuple[str, str]]]]] = {}
    for name, (characteristic, by, part) in planned.items():
        wanted = shapes.setdefault(by, {}).setdefault(id(part), (part, []))[1]
        wanted.append((name, characteristic))
    tables: dict[str, pl.DataFrame] = {}
    for by, parts in shapes.items():
        done = compare_many_each(
            [part for part, _ in parts.values()],
            characteristics=[[c for _, c in wanted] for _, wanted in parts.values()],
            direction=GROUP_OVER_REFERENCE,
            by=by,
            subject="staff",
            weight="_n",
        )
        for (_, wanted), each in zip(parts.values(), done, strict=True):
            tables |= {name: each[characteristic] for name, characteristic in wanted}
    return tables


def _group_membership(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per person and rate-table label they belong to. The group is read from the
    detailed `ethnicity`, as `compare` and the declared layouts read it, so the plain rate
    tables and the comparisons count the same people."""
    frame = frame.with_columns(
        pl.col("ethnicity")
        .replace_strict(ETHNICITY_TO_GROUP, default=UNKNOWN_GROUP, return_dtype=pl.String)
        .alias("ethnic_group")
    )
    minority = [g for g in ETHNIC_GROUPS if g != "White"]
    return pl.concat(
        [
            frame.with_columns(pl.col("ethnic_group").alias("_label")),
            frame.filter(pl.col("ethnic_group").is_in(minority)).with_columns(
                pl.lit(AGGREGATE_LABEL).alias("_label")
            ),
            frame.with_columns(pl.lit(ALL_STAFF).alias("_label")),
        ],
        how="vertical_relaxed",
    )


def _rate_table(
    frame: pl.DataFrame, *, pool: pl.Expr, outcome: pl.Expr, pool_name: str, count_name: str
) -> pl.DataFrame:
    """Per period and group (the five groups, unknown, the aggregate, everyone): the pool, the
    count with the outcome, the rate in percent and its Wilson interval."""
    rate = count_name.removesuffix("s") + "_rate"  # leavers → leaver_rate
    members = _group_membership(frame.filter(pool))
    counted = members.group_by([*PERIOD_KEYS, "_label"]).agg(
        pl.col("_n").sum().cast(pl.Int64).alias(pool_name),
        (outcome.cast(pl.Int64) * pl.col("_n")).sum().cast(pl.Int64).alias(count_name),
    )
    grid = _keys(frame).join(
        pl.DataFrame({"ethnic_group": RATE_GROUPS, "_order": list(range(len(RATE_GROUPS)))}),
        how="cross",
    )
    table = grid.join(
        counted.rename({"_label": "ethnic_group"}), on=[*PERIOD_KEYS, "ethnic_group"], how="left"
    ).with_columns(pl.col(pool_name, count_name).fill_null(0).cast(pl.Int64))
    low, high = wilson_exprs(pl.col(count_name), pl.col(pool_name))
    return (
        table.with_columns(
            pl.when(pl.col(pool_name) > 0)
            .then(100.0 * pl.col(count_name) / pl.col(pool_name))
            .otherwise(None)
            .alias(rate),
            (100 * low).alias(f"{rate}_ci_low"),
            (100 * high).alias(f"{rate}_ci_high"),
        )
        .sort([*PERIOD_KEYS, "_order"])
        .drop("_order")
    )


def _young_people(
    people: pl.DataFrame, newcomers: pl.DataFrame, first: date, second: date
) -> pl.DataFrame:
    def row(frame: pl.DataFrame, who: str, dataset_date: date) -> dict[str, Any]:
        return {
            "period": period,
            "people": who,
            "dataset": dataset_label(dataset_date),
            "under_25": int((frame["age_band"] == UNDER_25).sum()),
            "total": frame.height,
        }

    period = period_label(first, second)
    rows = [
        row(people, YOUNG_PEOPLE_ROWS[0], first),
        row(people.filter(pl.col("left")), YOUNG_PEOPLE_ROWS[1], first),
        row(newcomers.filter(pl.col("started")), YOUNG_PEOPLE_ROWS[2], second),
        row(newcomers, YOUNG_PEOPLE_ROWS[3], second),
    ]
    table = pl.DataFrame(
        rows,
        schema={
            "period": pl.String,
            "people": pl.String,
            "dataset": pl.String,
            "under_25": pl.Int64,
            "total": pl.Int64,
        },
        orient="row",
    )
    low, high = wilson_exprs(pl.col("under_25"), pl.col("total"))
    return table.with_columns(
        pl.when(pl.col("total") > 0)
        .then(100.0 * pl.col("under_25") / pl.col("total"))
        .otherwise(None)
        .alias("percent_under_25"),
        (100 * low).alias("percent_under_25_ci_low"),
        (100 * high).alias("percent_under_25_ci_high"),
    )


def _time_in_band_table(newcomers: pl.DataFrame, years: pl.DataFrame) -> pl.DataFrame:
    """Per rate-table group, the staff on the period's last day whose time in band is known
    and its median. `years` is of that snapshot, so its people are the newcomers frame's."""
    known = years.filter(pl.col("years_in_band").is_not_null())
    minority = [g for g in ETHNIC_GROUPS if g != "White"]
    figures = (
        pl.len().cast(pl.Int64).alias("staff"),
        pl.col("years_in_band").median().alias("median_years_in_band"),
    )
    counted = pl.concat(
        [
            known.group_by("ethnic_group").agg(*figures),
            known.filter(pl.col("ethnic_group").is_in(minority)).select(
                pl.lit(AGGREGATE_LABEL).alias("ethnic_group"), *figures
            ),
            known.select(pl.lit(ALL_STAFF).alias("ethnic_group"), *figures),
        ]
    )
    grid = _keys(newcomers).join(
        pl.DataFrame({"ethnic_group": RATE_GROUPS, "_order": list(range(len(RATE_GROUPS)))}),
        how="cross",
    )
    return (
        grid.join(counted, on="ethnic_group", how="left")
        .with_columns(pl.col("staff").fill_null(0).cast(pl.Int64))
        .sort([*PERIOD_KEYS, "_order"])
        .drop("_order")
    )


NOTE_SCHEMA = {"subject": pl.String, "message": pl.String, "count": pl.Int64}


def _notes(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=NOTE_SCHEMA, orient="row")


# What `_period_queries` and the tables built from its frames read of a snapshot.
_PERIOD_COLUMNS = (
    "employee_key",
    "ethnicity",
    "ethnic_group",
    "sex",
    "disability",
    "pay_band",
    "directorate",
    "leadership_tier",
    "age",
    "hourly_pay",
    "acting_up",
)


def movement_tables(
    snapshots: Sequence[tuple[date, pl.DataFrame]], leavers: pl.DataFrame | None = None
) -> dict[str, pl.DataFrame]:
    """Every movement table over the consecutive pairs of `snapshots` (exact figures; pass
    them through `disclosure_control.protect(tables, layouts=LAYOUTS, withhold=...)` before
    anyone without personal access sees them). `leavers` is the validated leavers file
    (`employee_key`, `leaving_date`, `reason`), optional. Raises ValueError for fewer than two
    snapshots, two on one date, a snapshot without the columns needed or with an employee key
    twice, and for leaving reasons outside LEAVING_REASONS."""
    ordered = checked_snapshots(snapshots)
    records = _clean_leavers(leavers)
    years = _time_in_band(ordered)
    # Only the columns the figures read: every join below then moves a few columns, not all.
    trimmed = [
        (day, _labelled(frame.select([c for c in _PERIOD_COLUMNS if c in frame.columns])))
        for day, frame in ordered
    ]
    periods = list(zip(trimmed, trimmed[1:], strict=False))
    # Every period's frames in one query.
    done = pl.collect_all(
        [query for (d0, s0), (d1, s1) in periods for query in _period_queries(d0, s0, d1, s1)],
        engine=ENGINE,
    )
    starts, ends, matched_records = done[0::2], done[1::2], []
    if records is not None:
        for i, ((d0, _), (d1, _)) in enumerate(periods):
            starts[i], matched = _with_reasons(starts[i], records, d0, d1)
            matched_records.append(matched)
    pairs = list(zip(ordered, ordered[1:], strict=False))
    labels = [period_label(d0, d1) for (d0, _), (d1, _) in pairs]
    if len(set(labels)) != len(labels):
        raise ValueError(
            "two periods fall in the same financial year (" + ", ".join(labels) + "): "
            "movements need snapshots a year apart, dated 31 March"
        )
    people = _counted(starts, START_COLUMNS)
    newcomers = _counted(ends, END_COLUMNS)
    everyone = pl.lit(True)
    tables: dict[str, pl.DataFrame] = {}
    planned: dict[str, Planned] = {}
    leave: dict[str, Any] = {"pool": everyone, "outcome": pl.col("left"), "phrase": "leave"}
    planned |= _comparisons(people, name="leavers_relative_likelihood", full=True, **leave)
    # The breakdowns are named after `leavers`, whose main table is the plain rate table.
    planned |= _comparisons(
        people, name="leavers", full=False, breakdowns=True, main=False, **leave
    )
    planned |= _comparisons(
        newcomers,
        name="starters",
        pool=everyone,
        outcome=pl.col("started"),
        phrase="be new starters",
        full=False,
    )
    promoted: dict[str, Any] = {
        "pool": everyone,
        "outcome": pl.col("promoted"),
        "phrase": "be promoted",
    }
    planned |= _comparisons(people, name="promotions", full=True, breakdowns=True, **promoted)
    planned |= _comparisons(
        people,
        name="leadership_entries",
        pool=pl.col("outside_tiers"),
        outcome=pl.col("entered_tier"),
        phrase="enter a leadership tier",
        full=True,
    )
    planned |= _comparisons(
        people,
        name="regrades_down",
        pool=everyone,
        outcome=pl.col("regraded_down"),
        phrase="be regraded down",
        full=False,
    )
    planned |= _comparisons(
        people,
        name="directorate_moves",
        pool=everyone,
        outcome=pl.col("moved_directorate"),
        phrase="move to another directorate",
        full=False,
    )
    notes: list[dict[str, Any]] = []
    if "acting_up" in newcomers.columns and newcomers["acting_up"].drop_nulls().len():
        planned |= _comparisons(
            newcomers,
            name="acting_up",
            pool=everyone,
            outcome=pl.col("acting_up").fill_null(False).cast(pl.Boolean),
            phrase="be acting up",
            full=False,
        )
    else:
        notes.append(
            {
                "subject": None,
                "message": "the workforce extracts do not mark acting up (no acting_up "
                "column): no acting-up figures",
                "count": None,
            }
        )
    year_of = {d: y for (d, _), y in zip(ordered, years, strict=True)}

    def other_tables() -> dict[str, pl.DataFrame]:
        others = {
            "leavers": _rate_table(
                people,
                pool=everyone,
                outcome=pl.col("left"),
                pool_name="staff",
                count_name="leavers",
            ),
            "time_in_band": pl.concat(
                [
                    _time_in_band_table(n, year_of[d1])
                    for n, (_, (d1, _)) in zip(ends, pairs, strict=True)
                ]
            ),
            "young_people": pl.concat(
                [
                    _young_people(p, n, d0, d1)
                    for p, n, ((d0, _), (d1, _)) in zip(starts, ends, pairs, strict=True)
                ]
            ),
        }
        if records is not None:
            others["leavers_by_reason"] = _by_reason(people)
        return others

    compared, others = side_by_side(lambda: _compared(planned), other_tables)
    tables |= compared | others
    if records is not None:
        matched_ids = (
            pl.concat(matched_records)["_record"]
            if matched_records
            else pl.Series([], dtype=pl.UInt32)
        )
        unmatched = records.height - matched_ids.n_unique()
        notes.append(
            {
                "subject": "unmatched_leavers",
                "message": f"{unmatched:,} leavers-file records match no one who left between "
                "two snapshots: left out",
                "count": unmatched,
            }
        )
    tables["movement_notes"] = _notes(notes)
    return {name: tables[name] for name in TABLE_ORDER if name in tables}


def _by_reason(people: pl.DataFrame) -> pl.DataFrame:
    reasons = pl.DataFrame({"reason": [*LEAVING_REASONS, REASON_NOT_RECORDED]})
    keys = _keys(people).join(reasons, how="cross")
    # Every group counted once per reason, so each reason's outcome is "left for it" (the
    # counts first summed over what the table does not read: the copies are then few).
    read = [*PERIOD_KEYS, "ethnicity", "sex", "disability", "left", "reason"]
    summed = people.group_by(read).agg(pl.col("_n").sum())
    expanded = summed.join(reasons.rename({"reason": "_reason"}), how="cross").with_columns(
        (pl.col("left") & (pl.col("reason") == pl.col("_reason")))
        .fill_null(False)
        .alias("_left_for")
    )
    table = compare(
        expanded.drop("reason").rename({"_reason": "reason"}),
        pool=pl.lit(True),
        outcome=pl.col("_left_for"),
        weight="_n",
        characteristic="ethnic_group",
        direction=GROUP_OVER_REFERENCE,
        by=(*PERIOD_KEYS, "reason"),
        keys=keys,
        subject="staff",
        outcome_phrase=lambda row: f"leave ({row['reason']})",
    )
    order = {r: i for i, r in enumerate([*LEAVING_REASONS, REASON_NOT_RECORDED])}
    return (
        table.with_columns(pl.col("reason").replace_strict(order).alias("_o"))
        .sort([*PERIOD_KEYS, "_o"], maintain_order=True)
        .drop("_o")
    )


# --- projection -------------------------------------------------------------------------------


def projection_rates(snapshots: Sequence[tuple[date, pl.DataFrame]]) -> pl.DataFrame:
    """Per ethnic group (the five groups, unknown, the aggregate, everyone): the yearly rate of
    entering a leadership tier (of staff outside every tier), of leaving (of all staff) and of
    leaving a tier (of staff in one), each pooled over the periods (sum of events ÷ sum of
    pools, so each year counts by its headcount), as proportions 0-1, for the action plan's
    target projection. Exact figures: for the EDI officer's projection, not for publication."""
    ordered = checked_snapshots(snapshots)
    labelled = [(day, _labelled(frame)) for day, frame in ordered]
    people = pl.concat(
        pl.collect_all(
            [
                _period_queries(d0, s0, d1, s1)[0]
                for (d0, s0), (d1, s1) in zip(labelled, labelled[1:], strict=False)
            ],
            engine=ENGINE,
        ),
        how="diagonal_relaxed",
    )
    members = _group_membership(people)
    periods = people["period"].n_unique()
    rates = members.group_by("_label").agg(
        pl.col("outside_tiers").sum().cast(pl.Int64).alias("staff_outside_tiers"),
        pl.col("entered_tier").sum().cast(pl.Int64).alias("tier_entries"),
        pl.len().cast(pl.Int64).alias("staff"),
        pl.col("left").sum().cast(pl.Int64).alias("leavers"),
        (~pl.col("outside_tiers")).sum().cast(pl.Int64).alias("staff_in_tiers"),
        (pl.col("left") & ~pl.col("outside_tiers")).sum().cast(pl.Int64).alias("tier_leavers"),
    )
    grid = pl.DataFrame({"ethnic_group": RATE_GROUPS, "_order": list(range(len(RATE_GROUPS)))})

    def ratio(k: str, n: str) -> pl.Expr:
        return pl.when(pl.col(n) > 0).then(pl.col(k) / pl.col(n)).otherwise(None)

    return (
        grid.join(rates.rename({"_label": "ethnic_group"}), on="ethnic_group", how="left")
        .with_columns(
            pl.col(
                "staff_outside_tiers",
                "tier_entries",
                "staff",
                "leavers",
                "staff_in_tiers",
                "tier_leavers",
            ).fill_null(0),
            pl.lit(periods, dtype=pl.Int64).alias("periods"),
        )
        .with_columns(
            ratio("tier_entries", "staff_outside_tiers").alias("tier_entry_rate_per_year"),
            ratio("leavers", "staff").alias("leaver_rate_per_year"),
            ratio("tier_leavers", "staff_in_tiers").alias("tier_leaver_rate_per_year"),
        )
        .sort("_order")
        .drop("_order")
    )


# --- declared layouts -------------------------------------------------------------------------


def _dataset(label: Any) -> Restriction:
    return {"dataset": frozenset({dataset_label(label)})}


def _named_dataset(label: Any) -> Restriction:
    return {"dataset": frozenset({str(label)})}


def _atom(attribute: str, value: str) -> Part:
    return fixed({attribute: frozenset({value})})


START = key("snapshot_from", _dataset)
END = key("snapshot_to", _dataset)
LEFT = _atom("leaving", "left")


def _group(label: Any) -> Restriction:
    return {} if label == ALL_STAFF else ethnicity_label(label)


def _rate_layout(
    pool: Sequence[Part], outcome: Sequence[Part], pool_name: str, count_name: str
) -> Layout:
    rate = count_name.removesuffix("s") + "_rate"
    group = key("ethnic_group", _group)
    return Layout(
        keys=(*PERIOD_KEYS, "ethnic_group"),
        columns=(
            Count(pool_name, of(*pool, group)),
            Count(count_name, of(*outcome, group)),
            Share(rate, count_name, pool_name),
            Function(f"{rate}_ci_low", (rate,), _recompute_rate(count_name, pool_name, 0)),
            Function(f"{rate}_ci_high", (rate,), _recompute_rate(count_name, pool_name, 1)),
        ),
        universes=UNIVERSES,
    )


def _with_universes(layout: Layout) -> Layout:
    return Layout(
        keys=layout.keys,
        columns=layout.columns,
        public=layout.public,
        warnings=layout.warnings,
        mentions=layout.mentions,
        universes=UNIVERSES,
    )


def _comparison_layouts(
    name: str,
    pool: Sequence[Part],
    outcome: Sequence[Part],
    *,
    full: bool,
    breakdowns: bool = False,
) -> dict[str, Layout]:
    layouts = {name: comparison_layout("ethnicity", pool=pool, outcome=outcome, by=PERIOD_KEYS)}
    if full:
        for suffix, characteristic in (
            ("_by_sex", "sex"),
            ("_by_disability", "disability"),
            ("_by_ethnicity_and_sex", "ethnicity_by_sex"),
        ):
            layouts[name + suffix] = comparison_layout(
                characteristic, pool=pool, outcome=outcome, by=PERIOD_KEYS
            )
    if breakdowns:
        for column in ("directorate", "pay_band"):
            where = key(column, open_value(column))
            layouts[f"{name}_by_{column}"] = comparison_layout(
                "ethnic_group",
                pool=(*pool, where),
                outcome=(*outcome, where),
                by=(*PERIOD_KEYS, column),
            )
    return {n: _with_universes(layout) for n, layout in layouts.items()}


def _leavers_breakdowns() -> dict[str, Layout]:
    found = _comparison_layouts("leavers", (START,), (START, LEFT), full=False, breakdowns=True)
    del found["leavers"]
    return found


_OUTSIDE = _atom("tier_at_start", "not in a tier")
_REASON = key("reason", lambda r: {"leaving_reason": frozenset({str(r)})})
_YOUNG_WHO = {
    "staff at the start": {},
    "leavers": {"leaving": frozenset({"left"})},
    "starters": {"joining": frozenset({"started"})},
    "staff at the end": {},
}
_WHO = key("people", lambda who: dict(_YOUNG_WHO[str(who)]))
_YOUNG_DATASET = key("dataset", _named_dataset)

LAYOUTS: dict[str, Layout] = {
    "leavers": _rate_layout((START,), (START, LEFT), "staff", "leavers"),
    **_comparison_layouts("leavers_relative_likelihood", (START,), (START, LEFT), full=True),
    "leavers_by_reason": _with_universes(
        comparison_layout(
            "ethnic_group",
            pool=(START,),
            outcome=(START, LEFT, _REASON),
            by=(*PERIOD_KEYS, "reason"),
        )
    ),
    **_leavers_breakdowns(),
    **_comparison_layouts("starters", (END,), (END, _atom("joining", "started")), full=False),
    **_comparison_layouts(
        "promotions",
        (START,),
        (START, _atom("leaving", "stayed"), _atom("band_change", "up")),
        full=True,
        breakdowns=True,
    ),
    **_comparison_layouts(
        "leadership_entries",
        (START, _OUTSIDE),
        (START, _OUTSIDE, _atom("leaving", "stayed"), _atom("tier_entry", "entered")),
        full=True,
    ),
    **_comparison_layouts(
        "regrades_down",
        (START,),
        (START, _atom("leaving", "stayed"), _atom("band_change", "down")),
        full=False,
    ),
    **_comparison_layouts(
        "directorate_moves",
        (START,),
        (START, _atom("leaving", "stayed"), _atom("directorate_change", "moved")),
        full=False,
    ),
    **_comparison_layouts("acting_up", (END,), (END, _atom("acting_up", "acting up")), full=False),
    "time_in_band": Layout(
        keys=(*PERIOD_KEYS, "ethnic_group"),
        columns=(
            Count(
                "staff",
                of(END, _atom("time_in_band", "known"), key("ethnic_group", _group)),
            ),
            Median("median_years_in_band", "staff"),
        ),
        universes=UNIVERSES,
    ),
    "young_people": Layout(
        keys=("period", "people", "dataset"),
        columns=(
            Count("total", of(_YOUNG_DATASET, _WHO)),
            Count("under_25", of(_YOUNG_DATASET, _WHO, _atom("age_band", UNDER_25))),
            Share("percent_under_25", "under_25", "total"),
            Function(
                "percent_under_25_ci_low",
                ("percent_under_25",),
                _recompute_rate("under_25", "total", 0),
            ),
            Function(
                "percent_under_25_ci_high",
                ("percent_under_25",),
                _recompute_rate("under_25", "total", 1),
            ),
        ),
        universes=UNIVERSES,
    ),
    "movement_notes": Layout(
        keys=("subject", "message"),
        mentions={
            "unmatched_leavers": Mention(
                count=of(
                    fixed({"dataset": frozenset({"leavers file"})}),
                    _atom("leavers_file", "unmatched"),
                ),
                total=None,
                template="{count:,} leavers-file records match no one who left between two "
                "snapshots: left out",
                withheld="a few leavers-file records match no one who left between two "
                "snapshots: left out",
                zero_template="every leavers-file record matches someone who left between two "
                "snapshots",
            )
        },
        universes=UNIVERSES,
    ),
}
TABLE_ORDER = (
    "leavers",
    "leavers_relative_likelihood",
    "leavers_relative_likelihood_by_sex",
    "leavers_relative_likelihood_by_disability",
    "leavers_relative_likelihood_by_ethnicity_and_sex",
    "leavers_by_reason",
    "leavers_by_directorate",
    "leavers_by_pay_band",
    "starters",
    "promotions",
    "promotions_by_sex",
    "promotions_by_disability",
    "promotions_by_ethnicity_and_sex",
    "promotions_by_directorate",
    "promotions_by_pay_band",
    "leadership_entries",
    "leadership_entries_by_sex",
    "leadership_entries_by_disability",
    "leadership_entries_by_ethnicity_and_sex",
    "regrades_down",
    "directorate_moves",
    "acting_up",
    "time_in_band",
    "young_people",
    "movement_notes",
)


def movement_withhold(
    published_workforce_tables_by_date: Mapping[date, Mapping[str, pl.DataFrame]],
) -> list[Restriction]:
    """The snapshot headcounts the workforce pages withhold, as restrictions for
    `protect(withhold=...)`: a `representation_overall` row (by `ethnic_group`) or a
    `representation_detailed_overall` row (by `ethnicity`) whose `count` is null, in the
    snapshot of that date; a null `total` withholds the whole headcount."""
    restrictions: list[Restriction] = []
    for snapshot_date, tables in published_workforce_tables_by_date.items():
        dataset = _dataset(snapshot_date)
        for table, column in (
            ("representation_overall", "ethnic_group"),
            ("representation_detailed_overall", "ethnicity"),
        ):
            frame = tables.get(table)
            if frame is None:
                continue
            for row in frame.iter_rows(named=True):
                if row.get("count") is None:
                    restrictions.append({**dataset, **ethnicity_label(row[column])})
                if "total" in row and row["total"] is None:
                    restrictions.append(dict(dataset))
    unique: list[Restriction] = []
    for restriction in restrictions:
        if restriction not in unique:
            unique.append(restriction)
    return unique
