"""Training compliance against a workforce snapshot as of a date (seed 000 and 003 duties).

Everyone in the snapshot is one person; their completions are the training records dated on
or before `as_of` (later ones are not counted). Per person (docs/metrics.md, "Training
compliance"):

    mandatory        a completion of the mandatory course (category "Mandatory EDI" or
                     "Equality Matters refresher"): "within two years" (the latest on or after
                     as_of − 2 years), "more than two years ago", or "never"
    tenure           "started within 8 weeks" (start_date > as_of − 56 days), "started 8 weeks
                     to a year ago" (as_of − 365 days < start_date ≤ as_of − 56 days), or
                     "longer or not recorded"
    induction        a mandatory completion dated from start_date to start_date + 56 days
    senior           in a leadership tier (leadership_tier given)
    face_to_face     a face-to-face completion of mandatory EDI, its refresher, anti-racism or
                     inclusive leadership dated on or before `senior_by` (default as_of)
    facilitated      a facilitator-led (face-to-face or virtual classroom) completion of
                     mandatory EDI, its refresher or anti-racism (the Standard's 2c.4)
    panel            on the recruitment panel list (when one is given)
    panel_trained    a "Recruitment panel training" completion

Figures, per row of each table (all staff; directorate; pay band; ethnic group, with "Black,
Asian and Multi-ethnic"; sex; disability):

    staff, mandatory_completed (ever), mandatory_completed_percent = 100 × completed / staff
    existing_staff (not started within 8 weeks), up_to_date (mandatory within two years),
        up_to_date_percent = 100 × up_to_date / existing_staff   (the two-yearly refresh)
    new_starters (started 8 weeks to a year ago), inducted_in_8_weeks,
        inducted_in_8_weeks_percent = 100 × inducted / new_starters
    senior_leaders, senior_face_to_face, senior_face_to_face_percent
    facilitated_workshop (of staff), facilitated_workshop_percent
    panel_members, panel_trained, panel_trained_percent

Every percentage carries its Wilson 95% interval (`_ci_low`, `_ci_high`). Each table declares
its layout (`LAYOUTS`), over attributes of the person defined above, so `protected_tables`
defends the sums between the tables (directorates add up to all staff, and so on) in one
`disclosure_control.protect` call.

`overdue(...)` lists, per person and duty, what is overdue and since when, by keyed id,
directorate and pay band: for the EDI officer and HR analyst only, never published.

Pure module: polars, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import polars as pl

from equitable.metrics import disclosure_control
from equitable.metrics.intervals import wilson_exprs
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    NOT_RECORDED,
    UNKNOWN_GROUP,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Restriction,
    Share,
    disability_label,
    ethnicity_label,
    fixed,
    key,
    of,
    open_value,
    sex_label,
    unrestricted,
)
from equitable.metrics.lifecycle.comparisons import _recompute_rate
from equitable.metrics.schema import DISABILITY_VALUES, SEX_VALUES
from equitable.metrics.training.records import (
    ANTI_RACISM,
    FACE_TO_FACE,
    LEADER_CATEGORIES,
    MANDATORY_CATEGORIES,
    RECRUITMENT_PANEL,
    VIRTUAL_CLASSROOM,
)

INDUCTION_DAYS = 56  # 8 weeks
FACILITATED_CATEGORIES = (*MANDATORY_CATEGORIES, ANTI_RACISM)
FACILITATED_MODES = (FACE_TO_FACE, VIRTUAL_CLASSROOM)
NEW_STARTER_DAYS = 365
REFRESH_YEARS = 2

WITHIN_TWO_YEARS = "within two years"
MORE_THAN_TWO_YEARS = "more than two years ago"
NEVER = "never"
MANDATORY_ATOMS = (WITHIN_TWO_YEARS, MORE_THAN_TWO_YEARS, NEVER)
STARTED_RECENTLY = "started within 8 weeks"
NEW_STARTER = "started 8 weeks to a year ago"
LONGER = "longer or not recorded"
TENURE_ATOMS = (STARTED_RECENTLY, NEW_STARTER, LONGER)
YES, NO = "yes", "no"
STAFF_WEIGHT = 20.0
ALL_STAFF = "All staff"

DIMENSIONS: dict[str, tuple[str, str]] = {
    # table: (key column, what the row is)
    "all_staff": ("scope", "All staff"),
    "by_directorate": ("directorate", "Directorate"),
    "by_pay_band": ("pay_band", "Pay band"),
    "by_ethnic_group": ("ethnic_group", "Ethnic group"),
    "by_sex": ("sex", "Sex"),
    "by_disability": ("disability", "Disability"),
}

# (count column, its pool column, the restriction the count adds to the pool's)
MEASURES: dict[str, tuple[str, str, Restriction, Restriction]] = {
    # measure: (count, pool, pool restriction, count restriction on top of the pool's)
    "mandatory_completed": (
        "mandatory_completed",
        "staff",
        {},
        {"mandatory": frozenset({WITHIN_TWO_YEARS, MORE_THAN_TWO_YEARS})},
    ),
    "up_to_date": (
        "up_to_date",
        "existing_staff",
        {"tenure": frozenset({NEW_STARTER, LONGER})},
        {"mandatory": frozenset({WITHIN_TWO_YEARS})},
    ),
    "inducted_in_8_weeks": (
        "inducted_in_8_weeks",
        "new_starters",
        {"tenure": frozenset({NEW_STARTER})},
        {"induction": frozenset({YES})},
    ),
    "senior_face_to_face": (
        "senior_face_to_face",
        "senior_leaders",
        {"senior": frozenset({YES})},
        {"face_to_face": frozenset({YES})},
    ),
    "facilitated_workshop": (
        "facilitated_workshop",
        "staff",
        {},
        {"facilitated": frozenset({YES})},
    ),
    "panel_trained": (
        "panel_trained",
        "panel_members",
        {"panel": frozenset({YES})},
        {"panel_trained": frozenset({YES})},
    ),
}
MEASURE_LABELS = {
    "mandatory_completed": "Completed mandatory EDI training",
    "up_to_date": "Existing staff up to date (within two years)",
    "inducted_in_8_weeks": "New starters trained within 8 weeks",
    "senior_face_to_face": "Senior leaders trained face to face",
    "facilitated_workshop": "Staff at a facilitator-led EDI or anti-racism session",
    "panel_trained": "Recruitment panel members trained",
}
POOL_LABELS = {
    "staff": "Staff",
    "existing_staff": "Existing staff",
    "new_starters": "New starters",
    "senior_leaders": "Senior leaders",
    "panel_members": "Panel members",
}
UNIVERSES = {
    "mandatory": MANDATORY_ATOMS,
    "tenure": TENURE_ATOMS,
    "induction": (YES, NO),
    "senior": (YES, NO),
    "face_to_face": (YES, NO),
    "facilitated": (YES, NO),
    "panel": (YES, NO),
    "panel_trained": (YES, NO),
}


def _vocabulary(column: str) -> Any:
    if column == "scope":
        return unrestricted
    if column == "ethnic_group":
        return ethnicity_label
    if column == "sex":
        return sex_label
    if column == "disability":
        return disability_label
    return open_value(column)


def _layout(column: str) -> Layout:
    row = key(column, _vocabulary(column))
    columns: list[Any] = [Count("staff", of(row))]
    for count, pool, pool_restriction, count_restriction in MEASURES.values():
        if pool != "staff":
            columns.append(Count(pool, of(row, fixed(pool_restriction))))
        columns += [
            Count(count, of(row, fixed({**pool_restriction, **count_restriction}))),
            Share(f"{count}_percent", count, pool),
            Function(
                f"{count}_percent_ci_low", (f"{count}_percent",), _recompute_rate(count, pool, 0)
            ),
            Function(
                f"{count}_percent_ci_high", (f"{count}_percent",), _recompute_rate(count, pool, 1)
            ),
        ]
    return Layout(keys=(column,), columns=tuple(columns), universes=UNIVERSES)


LAYOUTS: dict[str, Layout] = {name: _layout(column) for name, (column, _) in DIMENSIONS.items()}
COUNT_COLUMNS = (
    "staff",
    *(
        c
        for count, pool, _, _ in MEASURES.values()
        for c in ((pool, count) if pool != "staff" else (count,))
    ),
)


# --- people -----------------------------------------------------------------------------------


def _check_inputs(records: pl.DataFrame, workforce: pl.DataFrame) -> None:
    for name, frame, needed in (
        ("training records", records, ("employee_key", "category", "mode", "completion_date")),
        ("workforce snapshot", workforce, ("employee_key", "ethnic_group")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"the {name} lack {', '.join(missing)}")
    if workforce.get_column("employee_key").is_duplicated().any():
        raise ValueError("the workforce snapshot has an employee key twice")


def people(
    records: pl.DataFrame,
    workforce: pl.DataFrame,
    as_of: date,
    *,
    panel: Iterable[str] | None = None,
    senior_by: date | None = None,
) -> pl.DataFrame:
    """One row per person in the snapshot: the dimensions and every attribute of the module
    docstring, plus the dates the overdue list reads (`last_mandatory`, `start_date`)."""
    _check_inputs(records, workforce)
    senior_by = min(senior_by or as_of, as_of)
    frame = workforce.lazy().with_columns(
        *(
            pl.lit(None, dtype=dtype).alias(name)
            for name, dtype in (
                ("start_date", pl.Date()),
                ("leadership_tier", pl.String()),
                ("directorate", pl.String()),
                ("pay_band", pl.String()),
                ("sex", pl.String()),
                ("disability", pl.String()),
            )
            if name not in workforce.columns
        )
    )
    starts = frame.select("employee_key", "start_date")
    # Completions of people in the snapshot, each beside the person's start date.
    done = (
        records.lazy()
        .filter(pl.col("completion_date") <= as_of)
        .join(starts, on="employee_key", how="inner")
    )
    mandatory = pl.col("category").is_in(MANDATORY_CATEGORIES)
    day = pl.col("completion_date")
    start = pl.col("start_date")
    in_induction = (day >= start) & (day <= start + pl.duration(days=INDUCTION_DAYS))
    per_person = done.group_by("employee_key").agg(
        day.filter(mandatory).max().alias("last_mandatory"),
        (mandatory & in_induction).fill_null(False).any().alias("_induction"),
        (
            pl.col("category").is_in(LEADER_CATEGORIES)
            & (pl.col("mode") == FACE_TO_FACE)
            & (day <= senior_by)
        )
        .any()
        .alias("_face_to_face"),
        (pl.col("category").is_in(FACILITATED_CATEGORIES) & pl.col("mode").is_in(FACILITATED_MODES))
        .any()
        .alias("_facilitated"),
        (pl.col("category") == RECRUITMENT_PANEL).any().alias("_panel_trained"),
    )
    panel_keys = pl.Series("employee_key", list(panel or ()), dtype=pl.String)
    refresh_from = _years_before(as_of, REFRESH_YEARS)
    joined = frame.join(per_person, on="employee_key", how="left")
    tier = pl.col("leadership_tier").cast(pl.String).str.strip_chars()
    result = joined.select(
        "employee_key",
        pl.lit(ALL_STAFF).alias("scope"),
        *(_recorded(c) for c in ("directorate", "pay_band")),
        pl.col("ethnic_group").fill_null(UNKNOWN_GROUP),
        pl.col("sex").fill_null("Not known"),
        pl.col("disability").fill_null("Not known"),
        "start_date",
        "last_mandatory",
        pl.when(pl.col("last_mandatory").is_null())
        .then(pl.lit(NEVER))
        .when(pl.col("last_mandatory") >= refresh_from)
        .then(pl.lit(WITHIN_TWO_YEARS))
        .otherwise(pl.lit(MORE_THAN_TWO_YEARS))
        .alias("mandatory"),
        pl.when(start.is_null() | (start <= as_of - timedelta(days=NEW_STARTER_DAYS)))
        .then(pl.lit(LONGER))
        .when(start <= as_of - timedelta(days=INDUCTION_DAYS))
        .then(pl.lit(NEW_STARTER))
        .otherwise(pl.lit(STARTED_RECENTLY))
        .alias("tenure"),
        _yes(pl.col("_induction").fill_null(False)).alias("induction"),
        _yes(tier.is_not_null() & (tier != "") & (tier != NOT_RECORDED)).alias("senior"),
        _yes(pl.col("_face_to_face").fill_null(False)).alias("face_to_face"),
        _yes(pl.col("_facilitated").fill_null(False)).alias("facilitated"),
        _yes(pl.col("employee_key").is_in(panel_keys.implode())).alias("panel"),
        _yes(pl.col("_panel_trained").fill_null(False)).alias("panel_trained"),
    )
    return result.collect()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _recorded(column: str) -> pl.Expr:
    value = pl.col(column).cast(pl.String).str.strip_chars()
    return (
        pl.when(value.is_null() | (value == ""))
        .then(pl.lit(NOT_RECORDED))
        .otherwise(value)
        .alias(column)
    )


def _yes(condition: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(pl.lit(YES)).otherwise(pl.lit(NO))


# --- tables -----------------------------------------------------------------------------------


def _counts(persons: pl.LazyFrame, by: str) -> pl.LazyFrame:
    aggregations = [pl.len().cast(pl.Int64).alias("staff")]
    for count, pool, pool_restriction, count_restriction in MEASURES.values():
        in_pool = _matches(pool_restriction)
        if pool != "staff":
            aggregations.append(in_pool.sum().cast(pl.Int64).alias(pool))
        in_count = in_pool & _matches(count_restriction)
        aggregations.append(in_count.sum().cast(pl.Int64).alias(count))
    return persons.group_by(by).agg(aggregations)


def _matches(restriction: Restriction) -> pl.Expr:
    condition = pl.lit(True)
    for attribute, atoms in restriction.items():
        condition = condition & pl.col(attribute).is_in(sorted(atoms))
    return condition


def _grid(by: str, present: list[str]) -> list[str]:
    """Rows every table shows, zeros included: fixed values in their order, then the
    council's own values (directorates, pay bands) sorted."""
    if by == "ethnic_group":
        return [*ETHNIC_GROUPS, AGGREGATE_LABEL, UNKNOWN_GROUP]
    if by == "sex":
        return list(SEX_VALUES)
    if by == "disability":
        return list(DISABILITY_VALUES)
    if by == "scope":
        return [ALL_STAFF]
    return sorted(present, key=lambda v: (v == NOT_RECORDED, v))


def _with_rates(frame: pl.DataFrame) -> pl.DataFrame:
    columns: list[pl.Expr] = []
    for count, pool, _, _ in MEASURES.values():
        low, high = wilson_exprs(pl.col(count), pl.col(pool))
        columns += [
            pl.when(pl.col(pool) > 0)
            .then(100 * pl.col(count) / pl.col(pool))
            .alias(f"{count}_percent"),
            (100 * low).alias(f"{count}_percent_ci_low"),
            (100 * high).alias(f"{count}_percent_ci_high"),
        ]
    return frame.with_columns(columns)


def compliance_tables(
    records: pl.DataFrame,
    workforce: pl.DataFrame,
    as_of: date,
    *,
    panel: Iterable[str] | None = None,
    senior_by: date | None = None,
) -> dict[str, pl.DataFrame]:
    """The exact tables (all staff, then by directorate, pay band, ethnic group, sex and
    disability). Protect them with `protected_tables` before anyone without personal access
    sees them. Raises ValueError when a frame lacks a column it needs or the snapshot has an
    employee key twice."""
    persons = people(records, workforce, as_of, panel=panel, senior_by=senior_by)
    return tables_of(persons)


def tables_of(persons: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The tables from `people`'s frame."""
    lazy = persons.lazy()
    minority = lazy.filter(pl.col("ethnic_group").is_in([g for g in ETHNIC_GROUPS if g != "White"]))
    queries = [_counts(lazy, column) for column, _ in DIMENSIONS.values()]
    queries.append(
        _counts(
            minority.with_columns(pl.lit(AGGREGATE_LABEL).alias("ethnic_group")), "ethnic_group"
        )
    )
    collected = pl.collect_all(queries)
    tables: dict[str, pl.DataFrame] = {}
    for (name, (column, _)), counted in zip(DIMENSIONS.items(), collected, strict=False):
        if column == "ethnic_group":
            counted = pl.concat([counted, collected[-1]])
        present = counted.get_column(column).to_list()
        grid = pl.DataFrame({column: _grid(column, present)}, schema={column: pl.String})
        filled = grid.join(counted, on=column, how="left").with_columns(
            pl.col(c).fill_null(0) for c in COUNT_COLUMNS
        )
        tables[name] = _with_rates(filled.select(column, *COUNT_COLUMNS))
    return tables


def protected_tables(
    tables: Mapping[str, pl.DataFrame],
    *,
    threshold: int = disclosure_control.DEFAULT_THRESHOLD,
    round_to: int | None = None,
    withhold: Iterable[Restriction] = (),
) -> dict[str, pl.DataFrame]:
    """Every table protected together, in one call, with the declared layouts (and the
    headcounts another publication withholds: `training_withhold`).

    Each row's staff count is the denominator of its headline percentage, so secondary
    suppression is asked to prefer other complements (a weight, `STAFF_WEIGHT`): without it,
    protecting a handful of senior leaders tends to withhold the headcount and with it every
    "% completed" of the row."""
    layouts = {name: LAYOUTS[name] for name in tables}
    weights = []
    for name, table in tables.items():
        staff = layouts[name].spec("staff")
        assert isinstance(staff, Count)
        weights += [(staff.population.of_row(row), STAFF_WEIGHT) for row in table.to_dicts()]
    return disclosure_control.protect(
        dict(tables),
        threshold=threshold,
        round_to=round_to,
        layouts=layouts,
        withhold=withhold,
        weights=weights,
    )


# --- overdue ----------------------------------------------------------------------------------

OVERDUE_MANDATORY = "Mandatory EDI training (never completed)"
OVERDUE_REFRESH = "Mandatory EDI refresher (due every two years)"
OVERDUE_FACE_TO_FACE = "Face-to-face EDI training for senior leaders"
OVERDUE_PANEL = "Recruitment panel training"
OVERDUE_SCHEMA: dict[str, pl.DataType] = {
    "employee_key": pl.String(),
    "directorate": pl.String(),
    "pay_band": pl.String(),
    "overdue": pl.String(),
    "since": pl.Date(),
    "last_completed": pl.Date(),
}


def overdue(persons: pl.DataFrame, as_of: date, *, senior_by: date | None = None) -> pl.DataFrame:
    """Who is overdue for what, since when (null when it cannot be known, such as a panel
    member's training or a missing start date), from `people`'s frame. One row per person and
    duty, sorted by directorate, pay band, duty and date.

    * never completed, and started at least 8 weeks ago (or no start date): since start + 56 days;
    * completed, but not within two years: since the last completion + 2 years;
    * a senior leader without face-to-face training by `senior_by` (only once that date has
      passed): since `senior_by`;
    * a panel member without recruitment panel training: since unknown (null)."""
    senior_by = senior_by or as_of
    base = persons.lazy()
    due_induction = pl.col("start_date") + pl.duration(days=INDUCTION_DAYS)
    parts = [
        base.filter((pl.col("mandatory") == NEVER) & (pl.col("tenure") != STARTED_RECENTLY)).select(
            pl.lit(OVERDUE_MANDATORY).alias("overdue"), due_induction.alias("since"), pl.all()
        ),
        base.filter(pl.col("mandatory") == MORE_THAN_TWO_YEARS).select(
            pl.lit(OVERDUE_REFRESH).alias("overdue"),
            pl.col("last_mandatory").dt.offset_by(f"{REFRESH_YEARS}y").alias("since"),
            pl.all(),
        ),
        base.filter(
            (pl.col("senior") == YES) & (pl.col("face_to_face") == NO) & pl.lit(senior_by <= as_of)
        ).select(
            pl.lit(OVERDUE_FACE_TO_FACE).alias("overdue"),
            pl.lit(senior_by).alias("since"),
            pl.all(),
        ),
        base.filter((pl.col("panel") == YES) & (pl.col("panel_trained") == NO)).select(
            pl.lit(OVERDUE_PANEL).alias("overdue"),
            pl.lit(None, dtype=pl.Date).alias("since"),
            pl.all(),
        ),
    ]
    listed = pl.concat(parts).select(
        "employee_key",
        "directorate",
        "pay_band",
        "overdue",
        "since",
        pl.col("last_mandatory").alias("last_completed"),
    )
    return (
        listed.collect()
        .cast(OVERDUE_SCHEMA)  # type: ignore[arg-type]
        .sort(["directorate", "pay_band", "overdue", "since", "employee_key"], nulls_last=True)
    )


__all__ = [
    "DIMENSIONS",
    "LAYOUTS",
    "MEASURES",
    "compliance_tables",
    "overdue",
    "people",
    "protected_tables",
    "tables_of",
    "training_withhold",
]


def training_withhold(published_workforce: Mapping[str, pl.DataFrame]) -> list[Restriction]:
    """The snapshot headcounts the workforce pages withhold (a `representation_overall` row
    whose `count` is null), as restrictions for `protect(withhold=...)`: the training tables
    count the same staff, so they withhold them too and the two publications read together
    give away nothing either withholds."""
    frame = published_workforce.get("representation_overall")
    if frame is None:
        return []
    restrictions: list[Restriction] = []
    for row in frame.iter_rows(named=True):
        if row.get("count") is None:
            restriction = ethnicity_label(row["ethnic_group"])
            if restriction not in restrictions:
                restrictions.append(restriction)
        if "total" in row and row["total"] is None and {} not in restrictions:
            restrictions.append({})
    return restrictions
