"""Recruitment: who reaches each stage, by ethnic group, sex and disability (WRES indicator 2).

Two file shapes (docs/data-formats.md, "Recruitment"):

* `APPLICATIONS`: one row per application with the furthest stage it reached
  (`stage_reached`, one of STAGES: a person who reached a stage passed every earlier one);
* `APPLICATION_COUNTS`: the number of applicants reaching each stage per group, as many
  recruitment systems export it; the counts of one group may not grow along the stages. It is
  turned into the same shape as applications, one row per group and furthest stage with a
  `weight` (reached this stage − reached the next stage used), so both give identical figures.

Choices (docs/metrics.md, "Recruitment"):

* **Stages used.** A stage nobody stopped at (or that the counts file omits) is not one the
  council uses: it is skipped, so the rate of "interviewed" is from the previous stage the
  council does use. For a file of applications "applied" and "appointed" are always shown;
  a counts file shows the stages it names.
* **Withdrawn applicants** count as reaching every stage up to the furthest they reached, but
  are left out of the pool of a transition they withdrew during: someone who withdrew after
  shortlisting is not in the shortlisted → appointed pool (a withdrawal is not a decision on
  the applicant; counting it as one would make a group that withdraws more look less likely to
  be appointed).
* **Period** is the financial year (1 April to 31 March, "2024-25") of `date_applied`, or of
  the counts file's `period` / `date`; "Date not recorded" for applications without a date, and
  "All years" for a file without dates at all.
* **Direction.** Every relative likelihood is reference ÷ group (White ÷ group, Male ÷ Female,
  Not disabled ÷ Disabled), WRES indicator 2's own convention: above 1, the reference group
  was the more likely to progress. The plain `reading` names the more likely group in words.

Tables (`recruitment_tables`), each in a fixed row order: `recruitment_stages` (the funnel),
`recruitment_relative_likelihood` (+ `_by_sex`, `_by_disability`, `_by_ethnicity_and_sex`),
and the breakdowns `recruitment_stages_by_directorate` / `_by_pay_band` and
`recruitment_relative_likelihood_by_directorate` / `_by_pay_band` (all applicants together,
ethnic groups only). `LAYOUTS` declares every one for disclosure control.

Pure module (polars, no Django).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from equitable.metrics import intervals
from equitable.metrics.extract import Problem
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DETAILED_ETHNICITIES,
    ETHNIC_GROUPS,
    GROUP_ONLY_ETHNICITIES,
    NOT_RECORDED,
    UNKNOWN_GROUP,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Part,
    Restriction,
    Share,
    ethnicity_atoms,
    ethnicity_label,
    fixed,
    key,
    of,
    open_value,
)
from equitable.metrics.lifecycle import comparisons
from equitable.metrics.lifecycle.comparisons import (
    REFERENCE_OVER_GROUP,
    compare_each,
    side_by_side,
)
from equitable.metrics.lifecycle.records import ROW, Column, RecordSpec, problems_by_rows

STAGES = ("applied", "longlisted", "shortlisted", "interviewed", "offered", "appointed")
WITHDREW = " (withdrew)"
# The stage attribute's atoms: the furthest stage reached, with or without a withdrawal.
STAGE_ATOMS = tuple(atom for stage in STAGES for atom in (stage, f"{stage}{WITHDREW}"))
APPLICANT_TYPES = ("All", "Internal", "External")
APPLICANT_TYPE_ATOMS = ("Internal", "External", NOT_RECORDED)
DATASET = "applications"
ALL_YEARS = "All years"
DATE_NOT_RECORDED = "Date not recorded"
# Transitions besides the consecutive ones: WRES indicator 2 and the whole funnel.
HEADLINE_TRANSITIONS = (("shortlisted", "appointed"), ("applied", "appointed"))
FIRST_AND_LAST = ("applied", "appointed")

_STAGE_ALIASES = {
    "application": "applied",
    "applications": "applied",
    "apply": "applied",
    "long listed": "longlisted",
    "longlist": "longlisted",
    "short listed": "shortlisted",
    "shortlist": "shortlisted",
    "interview": "interviewed",
    "interviews": "interviewed",
    "offer": "offered",
    "offer made": "offered",
    "appointment": "appointed",
    "hired": "appointed",
    "appointed and started": "appointed",
}
_APPLICANT_TYPE_ALIASES = {"internal": "yes", "external": "no"}


def _before_applied(frame: pl.DataFrame) -> list[Problem]:
    """date_decided before date_applied cannot be."""
    return problems_by_rows(
        frame,
        pl.col("date_decided") < pl.col("date_applied"),
        "date_decided",
        "the decision date is before the application date",
    )


_CHARACTERISTICS = (
    Column(
        "ethnicity",
        "ethnicity",
        required=True,
        description="ONS 2021 ethnic group (or any spelling a workforce extract accepts).",
    ),
    Column("sex", "sex", description="Female or Male (blank: Not known)."),
    Column("disability", "disability", description="Disabled or Not disabled."),
)
_INTERNAL = Column(
    "internal",
    "yes_no",
    aliases=_APPLICANT_TYPE_ALIASES,
    headers=("internal applicant", "internal candidate", "applicant type"),
    description="yes for an applicant already employed by the council, no for external.",
)

APPLICATIONS = RecordSpec(
    kind="applications",
    label="recruitment applications",
    columns=(
        Column(
            "application_id",
            "id",
            required=True,
            headers=("application number", "candidate id", "applicant id"),
            description="The application's own reference.",
        ),
        Column(
            "vacancy_id",
            "text",
            headers=("vacancy", "vacancy reference", "job reference"),
            description="The vacancy (post advertised) applied for.",
        ),
        Column("pay_band", "text", description="Pay band of the post."),
        Column("grade", "text", description="Grade of the post."),
        Column("directorate", "text", description="Directorate of the post."),
        _INTERNAL,
        *_CHARACTERISTICS,
        Column(
            "age_band",
            "age_band",
            headers=("age group", "age range"),
            description="Age band, e.g. 16-24, 25-34, 65+.",
        ),
        Column(
            "stage_reached",
            "choice",
            required=True,
            headers=("stage", "furthest stage", "status"),
            description="The furthest stage reached: " + ", ".join(STAGES) + ".",
            choices=STAGES,
            aliases=_STAGE_ALIASES,
        ),
        Column(
            "withdrawn",
            "yes_no",
            headers=("withdrew",),
            description="yes when the applicant withdrew at the stage reached.",
        ),
        Column(
            "date_applied",
            "date",
            headers=("application date", "applied on"),
            description="Date of the application; gives the financial year.",
        ),
        Column(
            "date_decided",
            "date",
            headers=("decision date",),
            description="Date of the last decision on the application.",
        ),
    ),
    unique=("application_id",),
    checks=(_before_applied,),
)


def _financial_year(day: pl.Expr) -> pl.Expr:
    """ "2024-25" for 1 April 2024 to 31 March 2025."""
    start = day.dt.year() - (day.dt.month() < 4).cast(pl.Int32)
    return pl.format("{}-{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2))


_PERIOD = re.compile(r"^(?:fy ?)?(\d{4}) ?(?:-|/|to|–) ?(\d{2}|\d{4})$")


def period_label(text: str | None) -> str | None:
    """A financial year as "2024-25" from "2024-25", "2024/2025", "FY2024-25"; else None."""
    if text is None:
        return None
    match = _PERIOD.match(text.strip().lower())
    if match is None:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    if end % 100 != (start + 1) % 100 or (end >= 1000 and end != start + 1):
        return None
    return f"{start}-{(start + 1) % 100:02d}"


_COUNT_GROUP = (
    "period",
    "date",
    "ethnicity",
    "sex",
    "disability",
    "internal",
    "directorate",
    "pay_band",
)


def _counts_problems(frame: pl.DataFrame) -> list[Problem]:
    """Periods must be financial years; and the number reaching a stage may not be larger than
    the number reaching an earlier stage, for the same group (every other column equal)."""
    problems: list[Problem] = []
    periods = frame.get_column("period").drop_nulls().unique().to_list()
    bad = [p for p in periods if period_label(p) is None]
    if bad:
        problems += problems_by_rows(
            frame,
            pl.col("period").is_in(bad),
            "period",
            "not a financial year (write 2024-25)",
        )
    known = frame.filter(pl.col("stage").is_not_null() & pl.col("count").is_not_null())
    if known.is_empty():
        return problems
    group = [c for c in _COUNT_GROUP if c in known.columns]
    order = {stage: i for i, stage in enumerate(STAGES)}
    totals = (
        known.with_columns(pl.col("stage").replace_strict(order).alias("__order"))
        .group_by([*group, "__order", "stage"], maintain_order=True)
        .agg(pl.col("count").sum(), pl.col(ROW).sort().alias("rows"))
        .sort([*group, "__order"], nulls_last=True)
    )
    grown = totals.with_columns(
        pl.col("count").shift(1).over(group).alias("__before"),
        pl.col("stage").shift(1).over(group).alias("__before_stage"),
        pl.col("rows").shift(1).over(group).alias("__before_rows"),
    ).filter(pl.col("count") > pl.col("__before"))
    for row in grown.iter_rows(named=True):
        problems.append(
            Problem(
                row["rows"][0],
                "count",
                str(row["count"]),
                f"{row['count']:,} reached {row['stage']} but only {row['__before']:,} reached "
                f"{row['__before_stage']} (row {', '.join(map(str, row['__before_rows']))}) "
                "for the same group: the number reaching a stage cannot grow along the stages",
            )
        )
    return problems


APPLICATION_COUNTS = RecordSpec(
    kind="application_counts",
    label="recruitment counts per stage",
    columns=(
        Column(
            "stage",
            "choice",
            required=True,
            headers=("stage reached", "recruitment stage"),
            description="The stage: " + ", ".join(STAGES) + ".",
            choices=STAGES,
            aliases=_STAGE_ALIASES,
        ),
        *_CHARACTERISTICS,
        Column(
            "count",
            "count",
            required=True,
            headers=("number", "applicants", "candidates", "total"),
            description="How many applicants of the group reached the stage.",
        ),
        _INTERNAL,
        Column("directorate", "text", description="Directorate of the posts."),
        Column("pay_band", "text", description="Pay band of the posts."),
        Column(
            "period",
            "text",
            headers=("financial year", "year"),
            description="Financial year, e.g. 2024-25.",
        ),
        Column(
            "date",
            "date",
            headers=("date applied", "month"),
            description="A date in the period (gives the financial year).",
        ),
    ),
    checks=(_counts_problems,),
)

SPECS = {"applications": APPLICATIONS, "application_counts": APPLICATION_COUNTS}


# --- one frame for both shapes ----------------------------------------------------------------


def _applicant_type(internal: pl.Expr) -> pl.Expr:
    return (
        pl.when(internal.is_null())
        .then(pl.lit(NOT_RECORDED))
        .when(internal)
        .then(pl.lit("Internal"))
        .otherwise(pl.lit("External"))
    )


def _period_of(day: pl.Expr, has_dates: bool) -> pl.Expr:
    if not has_dates:
        return pl.lit(ALL_YEARS)
    return pl.when(day.is_null()).then(pl.lit(DATE_NOT_RECORDED)).otherwise(_financial_year(day))


def applicants(frame: pl.DataFrame) -> pl.DataFrame:
    """Validated applications or validated counts as one aggregated frame: per period,
    applicant type, directorate, pay band, ethnicity, sex, disability and stage atom (furthest
    stage reached, "(withdrew)" marked) the number of applicants `weight`, with a row of 0 for
    every stage a counts file names (so the stages used are known)."""
    if "count" in frame.columns and "stage" in frame.columns:
        return _from_counts(frame)
    has_dates = frame.get_column("date_applied").null_count() < frame.height
    # Counted first on the raw columns (the financial year as its starting year), then
    # labelled: labelling a few thousand combinations, not a million rows. Labels can merge
    # combinations (a blank directorate and "Not recorded"), so they are counted again.
    # Collected with polars' default engine, not comparisons.ENGINE: on a million rows its
    # streaming count is the faster one and uses both cores (decision 38).
    day = pl.col("date_applied")
    raw = (
        frame.lazy()
        .group_by(
            (day.dt.year() - (day.dt.month() < 4).cast(pl.Int32)).alias("__start"),
            "internal",
            "directorate",
            "pay_band",
            "ethnicity",
            "sex",
            "disability",
            "stage_reached",
            pl.col("withdrawn").fill_null(False),
        )
        .agg(pl.len().cast(pl.Int64).alias("weight"))
    )
    start = pl.col("__start")
    period = (
        pl.when(start.is_null())
        .then(pl.lit(DATE_NOT_RECORDED))
        .otherwise(pl.format("{}-{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2)))
        if has_dates
        else pl.lit(ALL_YEARS)
    )
    people = raw.select(
        period.alias("period"),
        _applicant_type(pl.col("internal")).alias("applicant_type"),
        pl.col("directorate").fill_null(NOT_RECORDED),
        pl.col("pay_band").fill_null(NOT_RECORDED),
        "ethnicity",
        "sex",
        "disability",
        pl.when(pl.col("withdrawn"))
        .then(pl.col("stage_reached") + WITHDREW)
        .otherwise(pl.col("stage_reached"))
        .alias("stage_atom"),
        "weight",
    )
    columns = [c for c in people.collect_schema().names() if c != "weight"]
    counted = people.group_by(columns).agg(pl.col("weight").sum()).collect()
    # Everyone applied, and "appointed" is always shown: a row of weight 0 for each makes
    # them stages used even when nobody stopped there.
    always = counted.head(1).with_columns(pl.col("weight") * 0)
    return pl.concat(
        [counted, *(always.with_columns(pl.lit(s).alias("stage_atom")) for s in FIRST_AND_LAST)]
    )


def _from_counts(frame: pl.DataFrame) -> pl.DataFrame:
    has_dates = (frame.get_column("period").null_count() < frame.height) or (
        frame.get_column("date").null_count() < frame.height
    )
    labelled = frame.with_columns(
        pl.coalesce(
            pl.col("period").map_elements(period_label, return_dtype=pl.String),
            _period_of(pl.col("date"), has_dates),
        ).alias("period"),
        _applicant_type(pl.col("internal")).alias("applicant_type"),
        pl.col("directorate").fill_null(NOT_RECORDED),
        pl.col("pay_band").fill_null(NOT_RECORDED),
    )
    group = [
        "period",
        "applicant_type",
        "directorate",
        "pay_band",
        "ethnicity",
        "sex",
        "disability",
    ]
    used = [s for s in STAGES if s in set(labelled.get_column("stage").to_list())]
    reached = labelled.group_by([*group, "stage"]).agg(pl.col("count").sum())
    groups = reached.select(group).unique()
    grid = groups.join(pl.DataFrame({"stage": used}), how="cross")
    full = grid.join(reached, on=[*group, "stage"], how="left").with_columns(
        pl.col("count").fill_null(0),
        pl.col("stage").replace_strict({s: i for i, s in enumerate(used)}).alias("__order"),
    )
    stopped = full.sort([*group, "__order"]).with_columns(
        (pl.col("count") - pl.col("count").shift(-1).over(group).fill_null(0))
        .clip(lower_bound=0)
        .alias("weight")
    )
    return stopped.select(*group, pl.col("stage").alias("stage_atom"), "weight")


def stages_used(people: pl.DataFrame) -> tuple[str, ...]:
    """The stages the council uses: any stage someone stopped at, or that the counts file
    names ("applied" and "appointed" always, for a file of applications)."""
    atoms = set(people.get_column("stage_atom").unique().to_list())
    return tuple(s for s in STAGES if s in atoms or f"{s}{WITHDREW}" in atoms)


def transitions(used: Sequence[str]) -> list[tuple[str, str]]:
    """Consecutive stages used, then applied → appointed and shortlisted → appointed."""
    pairs = list(zip(used, used[1:], strict=False))
    for pair in HEADLINE_TRANSITIONS:
        if pair[0] in used and pair not in pairs:
            pairs.append(pair)
    return pairs


# --- the stage attribute ----------------------------------------------------------------------


def _from_on(stage: str) -> list[str]:
    return list(STAGES[STAGES.index(stage) :])


def reached_atoms(stage: str) -> frozenset[str]:
    """Everyone whose furthest stage is `stage` or later (withdrawn or not)."""
    return frozenset(a for s in _from_on(stage) for a in (s, f"{s}{WITHDREW}"))


def pool_atoms(start: str, end: str) -> frozenset[str]:
    """The pool of start → end: reached `end`, or reached `start` and stopped before `end`
    without withdrawing."""
    between = STAGES[STAGES.index(start) : STAGES.index(end)]
    return reached_atoms(end) | frozenset(between)


def transition_label(start: str, end: str) -> str:
    return f"{start} to {end}"


def _parse_transition(label: Any) -> tuple[str, str]:
    start, _, end = str(label).partition(" to ")
    if start not in STAGES or end not in STAGES:
        raise ValueError(f"{label!r} is not a stage transition")
    return start, end


def _stage_reached(label: Any) -> Restriction:
    return {"stage": reached_atoms(str(label))}


def _transition_pool(label: Any) -> Restriction:
    if str(label) in STAGES:  # the first stage: everyone who applied
        return _stage_reached(label)
    return {"stage": pool_atoms(*_parse_transition(label))}


def _transition_outcome(label: Any) -> Restriction:
    return {"stage": reached_atoms(_parse_transition(label)[1])}


def _applicant_type_of(label: Any) -> Restriction:
    if label == "All":
        return {"applicant_type": frozenset(APPLICANT_TYPE_ATOMS)}
    return {"applicant_type": frozenset({str(label)})}


_GERUND = {
    "applied": "applying",
    "longlisted": "longlisting",
    "shortlisted": "shortlisting",
    "interviewed": "interview",
    "offered": "an offer",
}
_BE = {
    "longlisted": "be longlisted",
    "shortlisted": "be shortlisted",
    "interviewed": "be interviewed",
    "offered": "be offered the post",
    "appointed": "be appointed",
}


def outcome_phrase(row: Mapping[str, Any]) -> str:
    """ "be appointed from shortlisting" for the row's transition."""
    start, end = _parse_transition(row["stage"])
    return f"{_BE[end]} from {_GERUND[start]}"


# --- the tables -------------------------------------------------------------------------------

_STAGE_GROUPS: tuple[str, ...] = (
    *ETHNIC_GROUPS,
    UNKNOWN_GROUP,
    AGGREGATE_LABEL,
)
STAGE_ETHNICITY_LABELS: tuple[str, ...] = (
    *_STAGE_GROUPS,
    *(
        name
        for group in ETHNIC_GROUPS
        for name, of_ in (*DETAILED_ETHNICITIES, *GROUP_ONLY_ETHNICITIES)
        if of_ == group
    ),
)


def _with_all_types(people: pl.DataFrame) -> pl.DataFrame:
    """Every row once as its own applicant type and once as "All"."""
    return pl.concat(
        [
            people.filter(pl.col("applicant_type") != NOT_RECORDED),
            people.with_columns(pl.lit("All").alias("applicant_type")),
        ]
    )


def _periods(people: pl.DataFrame) -> list[str]:
    return sorted(set(people.get_column("period").unique().to_list()))


def _keys(columns: Mapping[str, Sequence[str]]) -> pl.DataFrame:
    frame = pl.DataFrame({"_one": [1]})
    for name, values in columns.items():
        frame = frame.join(
            pl.DataFrame({name: list(values)}, schema={name: pl.String}), how="cross"
        )
    return frame.drop("_one")


def _summed(people: pl.DataFrame, by: Sequence[str]) -> pl.DataFrame:
    """The applicants per `by` key, ethnicity, sex, disability and stage atom."""
    return people.group_by([*by, "ethnicity", "sex", "disability", "stage_atom"]).agg(
        pl.col("weight").sum()
    )


def _transition_rows(people: pl.DataFrame, pairs: Sequence[tuple[str, str]]) -> pl.DataFrame:
    """The pool of every transition, counted: per transition (`stage`), the people frame's
    other columns and whether they progressed, the number of applicants in the pool `weight`
    (`in_pool` always true). One join with a small table of which stage atoms make each pool,
    not the frame once per transition."""
    rows: dict[str, list[Any]] = {"stage_atom": [], "stage": [], "progressed": []}
    for start, end in pairs:
        reached = reached_atoms(end)
        for atom in sorted(pool_atoms(start, end)):
            rows["stage_atom"].append(atom)
            rows["stage"].append(transition_label(start, end))
            rows["progressed"].append(atom in reached)
    pools = pl.DataFrame(
        rows, schema={"stage_atom": pl.String, "stage": pl.String, "progressed": pl.Boolean}
    )
    others = [c for c in people.columns if c not in ("stage_atom", "weight")]
    return (
        people.join(pools, on="stage_atom")
        .group_by([*others, "stage", "progressed"])
        .agg(pl.col("weight").sum())
        .with_columns(pl.lit(True).alias("in_pool"))
    )


def _comparison_tables(
    long: pl.DataFrame,
    characteristics: Sequence[str],
    by: Sequence[str],
    keys: pl.DataFrame,
) -> dict[str, pl.DataFrame]:
    return compare_each(
        long,
        pool=pl.col("in_pool"),
        outcome=pl.col("progressed"),
        characteristics=characteristics,
        direction=REFERENCE_OVER_GROUP,
        by=by,
        keys=keys,
        subject="applicants",
        outcome_phrase=outcome_phrase,
        weight="weight",
    )


def _stage_table(
    people: pl.DataFrame,
    used: Sequence[str],
    by: Sequence[str],
    labels: Sequence[str],
    keys: pl.DataFrame,
) -> pl.DataFrame:
    """Per key, ethnicity label and stage used: reached, the pool of the previous stage used,
    the rate from it (with Wilson interval), everyone at the stage and the group's share.

    One count per key, ethnicity and stage atom; every stage and label is then a join with a
    small table of which atoms it holds (no loop over stages or labels)."""
    by = list(by)
    counted = people.group_by([*by, "ethnicity", "stage_atom"]).agg(pl.col("weight").sum())
    stage_rows: dict[str, list[Any]] = {
        "stage_atom": [],
        "__stage_order": [],
        "__reached": [],
        "__pool": [],
    }
    stages: dict[str, list[Any]] = {"stage": [], "transition": [], "__stage_order": []}
    for position, stage in enumerate(used):
        previous = used[position - 1] if position else None
        pool = pool_atoms(previous, stage) if previous else reached_atoms(stage)
        reached = reached_atoms(stage)
        for atom in STAGE_ATOMS:
            if atom in reached or atom in pool:
                stage_rows["stage_atom"].append(atom)
                stage_rows["__stage_order"].append(position)
                stage_rows["__reached"].append(int(atom in reached))
                stage_rows["__pool"].append(int(atom in pool))
        stages["stage"].append(stage)
        stages["transition"].append(transition_label(previous, stage) if previous else stage)
        stages["__stage_order"].append(position)
    stage_map = pl.DataFrame(
        stage_rows,
        schema={
            "stage_atom": pl.String,
            "__stage_order": pl.Int64,
            "__reached": pl.Int64,
            "__pool": pl.Int64,
        },
    )
    label_rows: dict[str, list[Any]] = {"ethnicity": [], "__label_order": []}
    for order, label in enumerate(labels):
        for atom in sorted(ethnicity_atoms(label)):
            label_rows["ethnicity"].append(atom)
            label_rows["__label_order"].append(order)
    label_map = pl.DataFrame(label_rows, schema={"ethnicity": pl.String, "__label_order": pl.Int64})
    flags = counted.join(stage_map, on="stage_atom").select(
        *by,
        "ethnicity",
        "__stage_order",
        (pl.col("weight") * pl.col("__reached")).alias("__reached"),
        (pl.col("weight") * pl.col("__pool")).alias("__pool"),
    )
    totals = flags.group_by([*by, "__stage_order"]).agg(
        pl.col("__reached").sum().alias("stage_total")
    )
    counts = (
        flags.join(label_map, on="ethnicity")
        .group_by([*by, "__label_order", "__stage_order"])
        .agg(
            pl.col("__reached").sum().alias("reached"),
            pl.col("__pool").sum().alias("stage_pool"),
        )
    )
    grid = keys.join(
        pl.DataFrame(
            {"ethnic_group": list(labels), "__label_order": list(range(len(labels)))},
            schema={"ethnic_group": pl.String, "__label_order": pl.Int64},
        ),
        how="cross",
    ).join(
        pl.DataFrame(
            stages,
            schema={"stage": pl.String, "transition": pl.String, "__stage_order": pl.Int64},
        ),
        how="cross",
    )
    table = (
        grid.join(counts, on=[*by, "__label_order", "__stage_order"], how="left")
        .join(totals, on=[*by, "__stage_order"], how="left")
        .with_columns(pl.col("reached", "stage_pool", "stage_total").fill_null(0).cast(pl.Int64))
    )
    low, high = intervals.wilson_exprs(pl.col("reached"), pl.col("stage_pool"))
    table = table.with_columns(
        _percent("reached", "stage_pool").alias("rate"),
        (100 * low).alias("rate_ci_low"),
        (100 * high).alias("rate_ci_high"),
        _percent("reached", "stage_total").alias("share"),
    )
    return table.sort([*by, "__label_order", "__stage_order"]).select(
        *by,
        "ethnic_group",
        "stage",
        "transition",
        "reached",
        "stage_pool",
        "rate",
        "rate_ci_low",
        "rate_ci_high",
        "stage_total",
        "share",
    )


def _percent(numerator: str, denominator: str) -> pl.Expr:
    return (
        pl.when(pl.col(denominator) > 0)
        .then(100.0 * pl.col(numerator) / pl.col(denominator))
        .otherwise(None)
    )


def recruitment_tables(applications: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Every recruitment figure, exact (see the module docstring for the tables).

    `applications` is a frame validated by APPLICATIONS or APPLICATION_COUNTS."""
    people = applicants(applications)
    used = stages_used(people)
    pairs = transitions(used)
    periods = _periods(people)
    # Every table reads only these columns: counting once per combination first makes each
    # comparison group a few thousand rows, not one per application.
    # (Summed before the "All" copy is made: the copy is then of these few rows.)
    by_type = ["period", "applicant_type"]
    typed = _summed(_with_all_types(_summed(people, by_type)), by_type)
    main_keys = _keys({"period": periods, "applicant_type": APPLICANT_TYPES})
    long = _transition_rows(typed, pairs)
    stage_labels = [transition_label(*pair) for pair in pairs]
    rl_by = ["period", "applicant_type", "stage"]
    rl_keys = _keys({"period": periods, "applicant_type": APPLICANT_TYPES, "stage": stage_labels})

    def main_tables() -> dict[str, pl.DataFrame]:
        tables = {
            "recruitment_stages": _stage_table(
                typed, used, ["period", "applicant_type"], STAGE_ETHNICITY_LABELS, main_keys
            ),
        }
        by_characteristic = _comparison_tables(
            long, ("ethnicity", "sex", "disability", "ethnicity_by_sex"), rl_by, rl_keys
        )
        tables["recruitment_relative_likelihood"] = by_characteristic["ethnicity"]
        for suffix, characteristic in (
            ("_by_sex", "sex"),
            ("_by_disability", "disability"),
            ("_by_ethnicity_and_sex", "ethnicity_by_sex"),
        ):
            tables[f"recruitment_relative_likelihood{suffix}"] = by_characteristic[characteristic]
        return tables

    def breakdown_tables(dimension: str) -> dict[str, pl.DataFrame]:
        everyone = _summed(people, ["period", dimension])
        long_all = _transition_rows(everyone, pairs)
        values = sorted(set(people.get_column(dimension).unique().to_list()))
        keys = _keys({"period": periods, dimension: values})
        return {
            f"recruitment_stages_by_{dimension}": _stage_table(
                everyone, used, ["period", dimension], _STAGE_GROUPS, keys
            ),
            f"recruitment_relative_likelihood_by_{dimension}": _comparison_tables(
                long_all,
                ("ethnic_group",),
                ["period", dimension, "stage"],
                _keys({"period": periods, dimension: values, "stage": stage_labels}),
            )["ethnic_group"],
        }

    main, by_directorate, by_pay_band = side_by_side(
        main_tables,
        lambda: breakdown_tables("directorate"),
        lambda: breakdown_tables("pay_band"),
    )
    return {**main, **by_directorate, **by_pay_band}


# --- layouts ----------------------------------------------------------------------------------

_DATASET: Part = fixed({"dataset": frozenset({DATASET})})
_PERIOD_PART = key("period", open_value("period"))
_UNIVERSES = {
    "dataset": (DATASET,),
    "stage": STAGE_ATOMS,
    "applicant_type": APPLICANT_TYPE_ATOMS,
}


def _rate_bound(bound: int) -> Any:
    def recompute(row: Mapping[str, Any]) -> Any:
        k, n = row.get("reached"), row.get("stage_pool")
        if k is None or not n:
            return None
        interval = intervals.wilson_interval(int(min(k, n)), int(n))
        return None if interval is None else 100 * interval[bound]

    return recompute


def _stages_layout(scope: Sequence[Part], by: Sequence[str]) -> Layout:
    group = key("ethnic_group", ethnicity_label)
    return Layout(
        keys=(*by, "ethnic_group", "stage", "transition"),
        columns=(
            Count("reached", of(_DATASET, *scope, key("stage", _stage_reached), group)),
            Count("stage_pool", of(_DATASET, *scope, key("transition", _transition_pool), group)),
            Share("rate", "reached", "stage_pool"),
            Function("rate_ci_low", ("rate",), _rate_bound(0)),
            Function("rate_ci_high", ("rate",), _rate_bound(1)),
            Count("stage_total", of(_DATASET, *scope, key("stage", _stage_reached))),
            Share("share", "reached", "stage_total"),
        ),
        universes=_UNIVERSES,
    )


def _with_universes(layout: Layout) -> Layout:
    return Layout(
        keys=layout.keys,
        columns=layout.columns,
        public=layout.public,
        warnings=layout.warnings,
        mentions=layout.mentions,
        universes={**layout.universes, **_UNIVERSES},
    )


def _rl_layout(characteristic: str, scope: Sequence[Part], by: Sequence[str]) -> Layout:
    return _with_universes(
        comparisons.comparison_layout(
            characteristic,
            pool=(_DATASET, *scope, key("stage", _transition_pool)),
            outcome=(_DATASET, *scope, key("stage", _transition_outcome)),
            by=(*by, "stage"),
            direction=REFERENCE_OVER_GROUP,
        )
    )


_MAIN_SCOPE = (_PERIOD_PART, key("applicant_type", _applicant_type_of))
_ALL_APPLICANTS = fixed({"applicant_type": frozenset(APPLICANT_TYPE_ATOMS)})


def _breakdown_scope(dimension: str) -> tuple[Part, ...]:
    return (_PERIOD_PART, _ALL_APPLICANTS, key(dimension, open_value(dimension)))


LAYOUTS: dict[str, Layout] = {
    "recruitment_stages": _stages_layout(_MAIN_SCOPE, ("period", "applicant_type")),
    "recruitment_relative_likelihood": _rl_layout(
        "ethnicity", _MAIN_SCOPE, ("period", "applicant_type")
    ),
    "recruitment_relative_likelihood_by_sex": _rl_layout(
        "sex", _MAIN_SCOPE, ("period", "applicant_type")
    ),
    "recruitment_relative_likelihood_by_disability": _rl_layout(
        "disability", _MAIN_SCOPE, ("period", "applicant_type")
    ),
    "recruitment_relative_likelihood_by_ethnicity_and_sex": _rl_layout(
        "ethnicity_by_sex", _MAIN_SCOPE, ("period", "applicant_type")
    ),
    **{
        f"recruitment_stages_by_{dimension}": _stages_layout(
            _breakdown_scope(dimension), ("period", dimension)
        )
        for dimension in ("directorate", "pay_band")
    },
    **{
        f"recruitment_relative_likelihood_by_{dimension}": _rl_layout(
            "ethnic_group", _breakdown_scope(dimension), ("period", dimension)
        )
        for dimension in ("directorate", "pay_band")
    },
}


# --- what is published ---------------------------------------------------------------------

# The stages anyone without personal access sees: those the WRES and the Standard ask about
# (applied, longlisted for 2a.5, shortlisted, appointed). Every stage is a set of cells for each
# group in every breakdown, and disclosure control's cost grows faster than the cells do; the
# exact tables keep every stage for the EDI officer and HR analyst.
PUBLISHED_STAGES = ("applied", "longlisted", "shortlisted", "appointed")
# No table sums over periods (there is no "all years" row beside the years), so each period's
# tables can be protected on their own with the same result as together.
PERIODS_INDEPENDENT = True
_PUBLISHED_GROUPS = (
    *ETHNIC_GROUPS,
    UNKNOWN_GROUP,
    AGGREGATE_LABEL,
    "All ethnic minorities",
    "White other than British",
)


def _transition_published(label: pl.Expr) -> pl.Expr:
    ends = label.str.split(" to ")
    return ends.list.first().is_in(PUBLISHED_STAGES) & ends.list.last().is_in(PUBLISHED_STAGES)


def published_scope(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The rows of the exact tables that are protected and published: the published stages;
    the directorate breakdown but not the pay band one;
    internal and external applicants apart only in the main relative-likelihood table and only
    for the high-level groups (the detailed categories, sex and disability for all applicants
    together)."""
    scoped = {}
    for name, table in tables.items():
        if name.endswith("_by_pay_band"):
            # Beside the directorate breakdown it multiplies the cost of protection about ten
            # times (both break the same applicants down); vacancies' pay bands stay exact.
            continue
        if "transition" in table.columns:
            table = table.filter(pl.col("stage").is_in(PUBLISHED_STAGES))
        elif "stage" in table.columns:
            table = table.filter(_transition_published(pl.col("stage")))
        if "applicant_type" in table.columns:
            if name == "recruitment_relative_likelihood":
                table = table.filter(
                    (pl.col("applicant_type") == "All")
                    | pl.col("ethnic_group").is_in(_PUBLISHED_GROUPS)
                )
            else:
                table = table.filter(pl.col("applicant_type") == "All")
        scoped[name] = table
    return scoped


def recruitment_withhold(
    _published_workforce_tables: Mapping[str, pl.DataFrame] | None = None,
) -> list[Restriction]:
    """Nothing: recruitment pools are applicants, never a snapshot's headcount."""
    return []


__all__ = [
    "PERIODS_INDEPENDENT",
    "PUBLISHED_STAGES",
    "published_scope",
    "APPLICATIONS",
    "APPLICATION_COUNTS",
    "LAYOUTS",
    "SPECS",
    "STAGES",
    "applicants",
    "period_label",
    "recruitment_tables",
    "recruitment_withhold",
    "stages_used",
    "transitions",
]
