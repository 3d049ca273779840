"""Access to non-mandatory training and continuing professional development (CPD): WRES
indicator 4 and Social Care WRES metric 5.

    RL4 = (White staff accessing / White headcount) / (group staff accessing / group headcount)

(metric-definitions 1.2, "Indicator 4"; direction reference ÷ group, as the WRES states it:
above 1 = White staff more likely to access it). For each financial year (1 April to 31 March)
the pool is the headcount of the workforce snapshot at the end of the year (dated 31 March,
the one whose financial year it is) and the outcome is staff in that snapshot with at least one
development record dated in the year (or given that financial year). People who left before
the year end are not in the pool, so their records are not counted either: the notes table says
how many records that leaves out (how many, never whose), and how many match no snapshot at all.

Two processes: "non-mandatory training or CPD" (any record) and, when the file marks it,
"funded development" (at least one record marked funded).

Pure module (polars, no Django).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics.extract import Problem
from equitable.metrics.layout import (
    Layout,
    Mention,
    Restriction,
    fixed,
    key,
    of,
    open_value,
)
from equitable.metrics.lifecycle.comparisons import (
    ENGINE,
    REFERENCE_OVER_GROUP,
    compare,
    compare_each,
    comparison_layout,
    side_by_side,
)
from equitable.metrics.lifecycle.movements import (
    _labelled,
    checked_snapshots,
    dataset_label,
    movement_withhold,
)
from equitable.metrics.lifecycle.records import Column, RecordSpec, problems_by_rows
from equitable.metrics.lifecycle.recruitment import period_label as financial_year_label

ANY_DEVELOPMENT = "non-mandatory training or CPD"
FUNDED_DEVELOPMENT = "funded development"
PROCESSES = (ANY_DEVELOPMENT, FUNDED_DEVELOPMENT)
KEYS = ("period", "snapshot", "process")
# What each member of a snapshot had in the year: the atoms of the `development` attribute.
DEVELOPMENT_ATOMS = ("funded", "accessed, not funded", "none")
_PROCESS_ATOMS = {
    ANY_DEVELOPMENT: frozenset({"funded", "accessed, not funded"}),
    FUNDED_DEVELOPMENT: frozenset({"funded"}),
}
LINK_ATOMS = (
    "in the year's snapshot",
    "not in the year's snapshot",
    "in no snapshot",
    "no snapshot for the year",
)


def _no_date(frame: pl.DataFrame) -> list[Problem]:
    """A record needs its date or its financial year, and the year must be one."""
    problems = problems_by_rows(
        frame,
        pl.col("date").is_null() & pl.col("period").is_null(),
        "date",
        "no date and no financial year: the record cannot be placed in a year",
    )
    years = frame.get_column("period").drop_nulls().unique().to_list()
    bad = [y for y in years if financial_year_label(y) is None]
    if bad:
        problems += problems_by_rows(
            frame,
            pl.col("period").is_in(bad),
            "period",
            "not a financial year (write 2024-25)",
        )
    return problems


DEVELOPMENT = RecordSpec(
    kind="development",
    label="training and development records",
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
            description="The employee's id, as in the workforce extracts (stored only as the "
            "same keyed hash, so records link to snapshots).",
        ),
        Column(
            "activity",
            "text",
            headers=(
                "programme",
                "programme name",
                "course",
                "course name",
                "activity name",
                "training",
            ),
            description="The course, programme or activity (optional; not used in the figures).",
        ),
        Column(
            "date",
            "date",
            headers=("date attended", "start date", "completion date", "date completed"),
            description="When it took place; gives the financial year (or give `period`).",
        ),
        Column(
            "period",
            "text",
            headers=("financial year", "year"),
            description="Financial year, e.g. 2024-25, when there is no date.",
        ),
        Column(
            "funded",
            "yes_no",
            headers=("funded by the council", "paid for"),
            description="yes when the council funded it (optional; gives the funded figure).",
        ),
        Column(
            "hours",
            "text",
            headers=("duration", "length hours"),
            description="Hours of learning (optional; kept as given, not used in the figures).",
        ),
    ),
    checks=(_no_date,),
)
SPECS = {"development": DEVELOPMENT}


def _financial_year(day: pl.Expr) -> pl.Expr:
    start = day.dt.year() - (day.dt.month() < 4).cast(pl.Int32)
    return pl.format("{}-{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2))


def _snapshot_year(snapshot_date: date) -> str:
    start = snapshot_date.year if snapshot_date.month >= 4 else snapshot_date.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _records_by_year(records: pl.DataFrame) -> pl.DataFrame:
    if "employee_key" not in records.columns:
        raise ValueError("the development records lack employee_key (the keyed employee id)")
    frame = records.with_columns(
        *(
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in (
                ("date", pl.Date()),
                ("period", pl.String()),
                ("funded", pl.Boolean()),
            )
            if name not in records.columns
        )
    )
    # Each distinct period written once through the label parser, not once per record.
    written = frame["period"].cast(pl.String).drop_nulls().unique().to_list()
    labels = [financial_year_label(p) for p in written]
    frame = frame.with_columns(
        pl.when(pl.col("period").is_null())
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(
            pl.col("period")
            .cast(pl.String)
            .replace_strict(written, labels, default=None, return_dtype=pl.String)
        )
        .alias("_given_year")
    )
    bad = frame.filter(pl.col("period").is_not_null() & pl.col("_given_year").is_null())
    if bad.height:
        raise ValueError(
            f"{bad.height:,} development records have a period that is not a "
            "financial year (write 2024-25)"
        )
    frame = frame.with_columns(
        pl.coalesce(_financial_year(pl.col("date")), pl.col("_given_year")).alias("period")
    )
    undated = frame["period"].null_count()
    if undated:
        raise ValueError(f"{undated:,} development records have no date and no financial year")
    return frame.select("employee_key", "period", pl.col("funded").cast(pl.Boolean))


def development_tables(
    records: pl.DataFrame, snapshots: Sequence[tuple[date, pl.DataFrame]]
) -> dict[str, pl.DataFrame]:
    """WRES 4 / SC-WRES 5 tables, one period per snapshot (exact figures; protect them with
    LAYOUTS and `development_withhold` before anyone without personal access sees them).
    `records` is the validated development file (`employee_key`, `date` or `period`,
    optional `funded`). Raises ValueError for snapshots movements would refuse (two on one
    date, an employee key twice) and for records without a year."""
    ordered = checked_snapshots(snapshots, minimum=1)
    years = _records_by_year(records)
    funded_marked = years["funded"].drop_nulls().len() > 0
    processes = PROCESSES if funded_marked else (ANY_DEVELOPMENT,)
    # Read by a semi join only: whoever is in several snapshots need not be made unique.
    everyone_ever = pl.concat([f.select("employee_key") for _, f in ordered])
    # Per snapshot, staff counted per combination the comparisons read (compare's `weight`):
    # each comparison then groups a few thousand rows, not every person once per process.
    # All snapshots in one go (collect_all), with the records linked to someone in post
    # (`_linked`, summed from the same join).
    queries = []
    for snapshot_date, frame in ordered:
        year = _snapshot_year(snapshot_date)
        of_year = years.lazy().filter(pl.col("period") == year)
        accessed = of_year.group_by("employee_key").agg(
            pl.col("funded").fill_null(False).any().alias("_funded"),
            pl.len().cast(pl.Int64).alias("_records"),
        )
        queries.append(
            _labelled(frame, ("directorate", "pay_band"))
            .lazy()
            .select("employee_key", "ethnicity", "sex", "disability", "directorate", "pay_band")
            .join(accessed, on="employee_key", how="left")
            .group_by(
                "directorate",
                "pay_band",
                "ethnicity",
                "sex",
                "disability",
                pl.col("_funded").is_not_null().alias("_accessed"),
                pl.col("_funded").fill_null(False),
            )
            .agg(
                pl.len().cast(pl.Int64).alias("_n"),
                pl.col("_records").sum().cast(pl.Int64).alias("_linked"),
            )
            .select(
                pl.lit(year).alias("period"),
                pl.lit(snapshot_date, dtype=pl.Date).alias("snapshot"),
                pl.all(),
            )
        )
    collected = pl.collect_all(queries, engine=ENGINE)
    linked = sum(int(done.get_column("_linked").sum()) for done in collected)
    people = pl.concat([done.drop("_linked") for done in collected], how="diagonal_relaxed")
    process_frame = pl.DataFrame({"process": list(processes)})
    expanded = people.join(process_frame, how="cross").with_columns(
        pl.when(pl.col("process") == FUNDED_DEVELOPMENT)
        .then(pl.col("_funded"))
        .otherwise(pl.col("_accessed"))
        .alias("_outcome")
    )
    keys = (
        people.select("period", "snapshot")
        .unique()
        .sort("snapshot")
        .join(process_frame, how="cross")
    )
    order = {p: i for i, p in enumerate(PROCESSES)}
    common: dict[str, Any] = {
        "pool": pl.lit(True),
        "outcome": pl.col("_outcome"),
        "direction": REFERENCE_OVER_GROUP,
        "subject": "staff",
        "outcome_phrase": lambda row: "access " + str(row["process"]),
        "weight": "_n",
    }

    def ordered_rows(table: pl.DataFrame, extra: Sequence[str] = ()) -> pl.DataFrame:
        return (
            table.with_columns(pl.col("process").replace_strict(order).alias("_p"))
            .sort(["snapshot", *extra, "_p"], maintain_order=True)
            .drop("_p")
        )

    name = "development_relative_likelihood"
    tables: dict[str, pl.DataFrame] = {}
    suffixes = {"ethnicity": "", "sex": "_by_sex", "disability": "_by_disability"}
    suffixes["ethnicity_by_sex"] = "_by_ethnicity_and_sex"

    def breakdown(column: str) -> pl.DataFrame:
        breakdown_keys = (
            people.select("period", "snapshot", column)
            .unique()
            .join(process_frame, how="cross")
            .select("period", "snapshot", "process", column)
        )
        return ordered_rows(
            compare(
                expanded,
                characteristic="ethnic_group",
                by=(*KEYS, column),
                keys=breakdown_keys,
                **common,
            ),
            [column],
        )

    by_characteristic, breakdowns, notes = side_by_side(
        lambda: compare_each(
            expanded, characteristics=list(suffixes), by=KEYS, keys=keys, **common
        ),
        lambda: [breakdown(column) for column in ("directorate", "pay_band")],
        lambda: _notes(years, ordered, everyone_ever, linked),
    )
    for characteristic, suffix in suffixes.items():
        tables[name + suffix] = ordered_rows(by_characteristic[characteristic])
    for column, table in zip(("directorate", "pay_band"), breakdowns, strict=True):
        tables[f"{name}_by_{column}"] = table
    tables["development_notes"] = notes
    return tables


def _notes(
    years: pl.DataFrame,
    ordered: Sequence[tuple[date, pl.DataFrame]],
    everyone_ever: pl.DataFrame,
    in_post: int,
) -> pl.DataFrame:
    snapshot_years = {_snapshot_year(d) for d, _ in ordered}
    with_year = years.filter(pl.col("period").is_in(sorted(snapshot_years)))
    known = with_year.join(everyone_ever, on="employee_key", how="semi").height
    rows = [
        ("records_in_no_snapshot", with_year.height - known),
        ("records_not_in_year_snapshot", known - in_post),
        ("records_without_snapshot_year", years.height - with_year.height),
    ]
    return pl.DataFrame(
        {
            "subject": [s for s, _ in rows],
            "message": [NOTE_MENTIONS[s].template.format(count=c) for s, c in rows],
            "count": [c for _, c in rows],
        },
        schema={"subject": pl.String, "message": pl.String, "count": pl.Int64},
    )


# --- layouts ----------------------------------------------------------------------------------


def _dataset(snapshot_date: Any) -> Restriction:
    return {"dataset": frozenset({dataset_label(snapshot_date)})}


def _process(process: Any) -> Restriction:
    return {"development": _PROCESS_ATOMS[str(process)]}


UNIVERSES: dict[str, tuple[str, ...]] = {
    "development": DEVELOPMENT_ATOMS,
    "record_link": LINK_ATOMS,
}
_POOL = (key("snapshot", _dataset),)
_OUTCOME = (key("snapshot", _dataset), key("process", _process))


def _records(link: str) -> Any:
    return of(
        fixed({"dataset": frozenset({"development records"}), "record_link": frozenset({link})})
    )


NOTE_MENTIONS = {
    "records_in_no_snapshot": Mention(
        count=_records("in no snapshot"),
        total=None,
        template="{count:,} development records are of employees in no workforce snapshot: "
        "left out",
        withheld="a few development records are of employees in no workforce snapshot: left out",
        zero_template="every development record is of an employee in a workforce snapshot",
    ),
    "records_not_in_year_snapshot": Mention(
        count=_records("not in the year's snapshot"),
        total=None,
        template="{count:,} development records are of staff not in post at the end of the "
        "year (the pool): left out",
        withheld="a few development records are of staff not in post at the end of the year: "
        "left out",
    ),
    "records_without_snapshot_year": Mention(
        count=_records("no snapshot for the year"),
        total=None,
        template="{count:,} development records fall in a year with no year-end snapshot: left out",
        withheld="a few development records fall in a year with no year-end snapshot: left out",
    ),
}


def _with_universes(layout: Layout) -> Layout:
    return Layout(keys=layout.keys, columns=layout.columns, universes=UNIVERSES)


LAYOUTS: dict[str, Layout] = {
    **{
        f"development_relative_likelihood{suffix}": _with_universes(
            comparison_layout(
                characteristic,
                pool=_POOL,
                outcome=_OUTCOME,
                by=KEYS,
                direction=REFERENCE_OVER_GROUP,
            )
        )
        for suffix, characteristic in (
            ("", "ethnicity"),
            ("_by_sex", "sex"),
            ("_by_disability", "disability"),
            ("_by_ethnicity_and_sex", "ethnicity_by_sex"),
        )
    },
    **{
        f"development_relative_likelihood_by_{column}": _with_universes(
            comparison_layout(
                "ethnic_group",
                pool=(*_POOL, key(column, open_value(column))),
                outcome=(*_OUTCOME, key(column, open_value(column))),
                by=(*KEYS, column),
                direction=REFERENCE_OVER_GROUP,
            )
        )
        for column in ("directorate", "pay_band")
    },
    "development_notes": Layout(
        keys=("subject", "message"), mentions=NOTE_MENTIONS, universes=UNIVERSES
    ),
}


def development_withhold(
    published_workforce_tables_by_date: Mapping[date, Mapping[str, pl.DataFrame]],
) -> list[Restriction]:
    """The year-end headcounts the workforce pages withhold (see `movements.movement_withhold`:
    the same snapshots, the same `dataset` names)."""
    return movement_withhold(published_workforce_tables_by_date)


__all__ = [
    "DEVELOPMENT",
    "LAYOUTS",
    "SPECS",
    "development_tables",
    "development_withhold",
]
