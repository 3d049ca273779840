"""Casework: who enters formal processes (disciplinary, capability, fitness to practise...), by
group, and how their cases end.

Sources: WRES indicator 3 (relative likelihood of Black, Asian and Multi-ethnic staff entering
the formal disciplinary process, against White staff; metric-definitions.md 1.2), WDES metric 3
(Disabled against non-disabled staff entering the formal capability process, 1.5), Social Care
WRES metric 4 (entering fitness to practise; peer-systems.md 2.4). docs/metrics.md ("Casework")
gives the formulas and the choices below.

* **Periods.** Financial years of `date_opened` (1 April to 31 March, "2024-25") and every
  two-year rolling window of consecutive years ("2023-24 to 2024-25"), the WRES convention. A
  window's count of people entering is the sum of its two years' counts (a person entering in
  both years counts in both, as the WRES's two-year average of cases does), so disclosure
  control knows the window is the sum of its years (`period` atoms are single years).
* **Pool.** Staff in the snapshot at the end of the period: the first snapshot dated on or
  after the period's last day, else the latest before it (the notes table says which, and the
  column `staff_on` carries its date). A window's pool is its second year's. The headcounts are
  those the workforce pages publish for that snapshot (`casework_withhold`).
* **Entering.** Distinct employees (by keyed id) with at least one case of the process opened
  in the period; a case without an id, or whose id is in no snapshot, is one person, counted
  by the characteristics the cases file gives ("Not known" when it gives none). A linked
  person's characteristics (and directorate, pay band) come from the snapshot nearest the
  period's end among those they appear in.
* **Processes.** "any formal process" (a formal case of any type), each case type's formal
  cases, fitness to practise (every such case: a referral is itself formal), and mediation
  (every mediation case, or a case resolved at mediation). One person may enter several in a
  year, so "any formal process" is not the sum of the types: the layout declares each process
  as its own population (no sum is claimed that does not hold).
* **Outcomes.** Share of cases of each type by outcome per ethnic group, with "final warning or
  dismissal" as the severe outcomes, Wilson intervals (cases, not people, are counted).

Pure module (polars, no Django).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics import intervals
from equitable.metrics.extract import Problem
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNIC_GROUPS,
    ETHNICITY_VALUES,
    NOT_KNOWN,
    NOT_RECORDED,
    UNKNOWN_GROUP,
)
from equitable.metrics.layout import (
    Count,
    Function,
    Layout,
    Mention,
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
from equitable.metrics.lifecycle.comparisons import (
    GROUP_OVER_REFERENCE,
    compare_each,
    comparison_layout,
    side_by_side,
)
from equitable.metrics.lifecycle.records import Column, RecordSpec, problems_by_rows

# --- the cases file ---------------------------------------------------------------------------

DISCIPLINARY = "disciplinary"
GRIEVANCE = "grievance"
CAPABILITY = "capability"
BULLYING_HARASSMENT = "bullying_harassment"
DIGNITY_AT_WORK = "dignity_at_work"
MEDIATION = "mediation"
WHISTLEBLOWING = "whistleblowing"
FITNESS_TO_PRACTISE = "fitness_to_practise"
CASE_TYPES = (
    DISCIPLINARY,
    GRIEVANCE,
    CAPABILITY,
    BULLYING_HARASSMENT,
    DIGNITY_AT_WORK,
    MEDIATION,
    WHISTLEBLOWING,
    FITNESS_TO_PRACTISE,
)
SANCTIONS = (
    "no case to answer",
    "informal action",
    "written warning",
    "final warning",
    "dismissal",
)
FINDINGS = ("upheld", "partly upheld", "not upheld")
RESOLVED_AT_MEDIATION = "resolved at mediation"
OUTCOMES = (*SANCTIONS, *FINDINGS, RESOLVED_AT_MEDIATION)
SEVERE_OUTCOMES = ("final warning", "dismissal")
SEVERE = "severe (final warning or dismissal)"
# The outcomes each kind of case can end in: a sanction ends a conduct or capability case, a
# finding ends a complaint; fitness to practise can end either way (a panel finds allegations
# proved, then sanctions).
OUTCOMES_BY_TYPE: dict[str, tuple[str, ...]] = {
    DISCIPLINARY: SANCTIONS,
    CAPABILITY: SANCTIONS,
    FITNESS_TO_PRACTISE: (*SANCTIONS, *FINDINGS),
    GRIEVANCE: (*FINDINGS, RESOLVED_AT_MEDIATION),
    BULLYING_HARASSMENT: (*FINDINGS, RESOLVED_AT_MEDIATION),
    DIGNITY_AT_WORK: (*FINDINGS, RESOLVED_AT_MEDIATION),
    WHISTLEBLOWING: FINDINGS,
    MEDIATION: (RESOLVED_AT_MEDIATION,),
}

CASE_TYPE_ALIASES = {
    "discipline": DISCIPLINARY,
    "conduct": DISCIPLINARY,
    "misconduct": DISCIPLINARY,
    "gross misconduct": DISCIPLINARY,
    "disciplinary investigation": DISCIPLINARY,
    "grievances": GRIEVANCE,
    "collective grievance": GRIEVANCE,
    "performance": CAPABILITY,
    "poor performance": CAPABILITY,
    "capability performance": CAPABILITY,
    "bullying and harassment": BULLYING_HARASSMENT,
    "bullying": BULLYING_HARASSMENT,
    "harassment": BULLYING_HARASSMENT,
    "dignity": DIGNITY_AT_WORK,
    "respect at work": DIGNITY_AT_WORK,
    "whistle blowing": WHISTLEBLOWING,
    "public interest disclosure": WHISTLEBLOWING,
    "speaking up": WHISTLEBLOWING,
    "fitness to practice": FITNESS_TO_PRACTISE,
    "ftp": FITNESS_TO_PRACTISE,
    "ftp referral": FITNESS_TO_PRACTISE,
    "regulator referral": FITNESS_TO_PRACTISE,
    "mediated": MEDIATION,
}
OUTCOME_ALIASES = {
    "nca": "no case to answer",
    "no further action": "no case to answer",
    "nfa": "no case to answer",
    "not proven": "no case to answer",
    "management advice": "informal action",
    "informal warning": "informal action",
    "first written warning": "written warning",
    "written": "written warning",
    "final written warning": "final warning",
    "dismissed": "dismissal",
    "summary dismissal": "dismissal",
    "partially upheld": "partly upheld",
    "partly": "partly upheld",
    "not substantiated": "not upheld",
    "unfounded": "not upheld",
    "resolved through mediation": RESOLVED_AT_MEDIATION,
    "resolved by mediation": RESOLVED_AT_MEDIATION,
    "mediated": RESOLVED_AT_MEDIATION,
}


def _outcome_problems(frame: pl.DataFrame) -> list[Problem]:
    """An outcome that cannot end a case of its type (a grievance is upheld or not, not
    dismissed): one problem per row, with the outcomes that type accepts."""
    problems: list[Problem] = []
    for case_type, allowed in OUTCOMES_BY_TYPE.items():
        mask = (
            (pl.col("case_type") == case_type)
            & pl.col("outcome").is_not_null()
            & ~pl.col("outcome").is_in(list(allowed))
        )
        problems += problems_by_rows(
            frame,
            mask,
            "outcome",
            f"not an outcome of a {case_type.replace('_', ' ')} case; accepted: "
            + ", ".join(allowed),
        )
    return problems


def _date_problems(frame: pl.DataFrame) -> list[Problem]:
    return problems_by_rows(
        frame,
        pl.col("date_closed") < pl.col("date_opened"),
        "date_closed",
        "the case is closed before it was opened (date_closed is earlier than date_opened)",
    )


CASES = RecordSpec(
    kind="cases",
    label="casework cases",
    columns=(
        Column(
            "case_id",
            "id",
            required=True,
            headers=("case reference", "case ref", "case number", "case no"),
            description="The case's own reference, once per case (not the employee's id).",
        ),
        Column(
            "employee_id",
            "employee_id",
            description="The employee's id as in the workforce extract, so the case links to "
            "the snapshots for the employee's characteristics. Stored only as a keyed hash.",
        ),
        Column(
            "ethnicity",
            "ethnicity",
            description="The employee's ethnicity, when the file gives characteristics "
            "directly (used for cases that do not link to a snapshot).",
        ),
        Column("sex", "sex", description="As ethnicity: used for cases not linked."),
        Column("disability", "disability", description="As ethnicity: used for cases not linked."),
        Column(
            "case_type",
            "choice",
            required=True,
            choices=CASE_TYPES,
            aliases=CASE_TYPE_ALIASES,
            headers=("type", "case category", "category"),
            description="disciplinary, grievance, capability, bullying_harassment, "
            "dignity_at_work, mediation, whistleblowing or fitness_to_practise.",
        ),
        Column(
            "formal",
            "yes_no",
            required=True,
            aliases={"formal": "yes", "informal": "no", "formal stage": "yes"},
            headers=("formal process", "stage"),
            description="yes for a formal process (WRES 3 counts formal disciplinaries only).",
        ),
        Column(
            "date_opened",
            "date",
            required=True,
            headers=("opened", "date raised", "case opened"),
            description="When the case was opened: it decides the financial year.",
        ),
        Column(
            "date_closed",
            "date",
            headers=("closed", "case closed"),
            description="When it closed (blank while open); not before date_opened.",
        ),
        Column(
            "outcome",
            "choice",
            choices=OUTCOMES,
            aliases=OUTCOME_ALIASES,
            headers=("result", "case outcome"),
            description="no case to answer, informal action, written warning, final warning, "
            "dismissal (disciplinary, capability); upheld, partly upheld, not upheld "
            "(grievance, bullying_harassment, dignity_at_work, whistleblowing); resolved at "
            "mediation; fitness to practise takes a sanction or a finding. Blank while open.",
        ),
    ),
    unique=("case_id",),
    checks=(_date_problems, _outcome_problems),
    either=(("employee_id", "ethnicity", "sex", "disability"),),
)
SPECS = {"cases": CASES}

# --- periods ------------------------------------------------------------------------------

WINDOW_SEPARATOR = " to "


def financial_year(day: date) -> str:
    """1 April to 31 March, labelled by its two calendar years: 2024-04-01 → "2024-25"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _financial_year_expr(day: pl.Expr) -> pl.Expr:
    """`financial_year` over a column of dates."""
    start = pl.when(day.dt.month() >= 4).then(day.dt.year()).otherwise(day.dt.year() - 1)
    return pl.format("{}-{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2))


def _year_end_expr() -> pl.Expr:
    """`year_end` of a `year` column of single-year labels."""
    return pl.date(pl.col("year").str.slice(0, 4).cast(pl.Int32) + 1, 3, 31)


def _start_year(label: str) -> int:
    return int(label[:4])


def year_end(label: str) -> date:
    """The last day of a single year or of a window ("2023-24 to 2024-25" → 2025-03-31)."""
    return date(_start_year(label.split(WINDOW_SEPARATOR)[-1]) + 1, 3, 31)


def period_years(label: Any) -> frozenset[str]:
    """The single years a period label stands for (a window: both its years)."""
    first, _, last = str(label).partition(WINDOW_SEPARATOR)
    if not last:
        return frozenset({first})
    return frozenset(
        financial_year(date(y, 4, 1)) for y in range(_start_year(first), _start_year(last) + 1)
    )


def _periods(years: Sequence[str]) -> list[str]:
    """Each year, and after it the window that ends with it (chronological reading order)."""
    found: list[str] = []
    for position, year in enumerate(years):
        found.append(year)
        if position:
            found.append(f"{years[position - 1]}{WINDOW_SEPARATOR}{year}")
    return found


# --- processes -------------------------------------------------------------------------------

ANY_FORMAL = "any formal process"


@dataclass(frozen=True)
class Process:
    """One process a person can enter: which cases put them in it, and its reading."""

    name: str
    phrase: str  # verb phrase of the reading: "enter a formal disciplinary process"
    cases: pl.Expr


def _formal(case_type: str) -> pl.Expr:
    return pl.col("formal").fill_null(False) & (pl.col("case_type") == case_type)


PROCESSES: tuple[Process, ...] = (
    Process(ANY_FORMAL, "enter a formal process", pl.col("formal").fill_null(False)),
    Process(DISCIPLINARY, "enter a formal disciplinary process", _formal(DISCIPLINARY)),
    Process(CAPABILITY, "enter a formal capability process", _formal(CAPABILITY)),
    Process(
        FITNESS_TO_PRACTISE,
        "enter a fitness to practise process",
        pl.col("case_type") == FITNESS_TO_PRACTISE,
    ),
    Process(GRIEVANCE, "enter a formal grievance process", _formal(GRIEVANCE)),
    Process(
        BULLYING_HARASSMENT,
        "enter a formal bullying or harassment case",
        _formal(BULLYING_HARASSMENT),
    ),
    Process(DIGNITY_AT_WORK, "enter a formal dignity at work case", _formal(DIGNITY_AT_WORK)),
    Process(WHISTLEBLOWING, "enter a formal whistleblowing case", _formal(WHISTLEBLOWING)),
    Process(
        MEDIATION,
        "be in mediation",
        (pl.col("case_type") == MEDIATION) | (pl.col("outcome") == RESOLVED_AT_MEDIATION),
    ),
)
PROCESS_NAMES = tuple(p.name for p in PROCESSES)
# The breakdowns by directorate and pay band: the WRES, WDES and SC-WRES processes only.
BREAKDOWN_PROCESSES = (ANY_FORMAL, DISCIPLINARY, CAPABILITY, FITNESS_TO_PRACTISE)
_PHRASES = {p.name: p.phrase for p in PROCESSES}

# --- disclosure-control vocabulary -----------------------------------------------------------

# People entering a process in a year (person-years) and cases are different universes from
# staff in a snapshot: disclosure control must not read them as the same people.
ENTRANTS = "staff entering casework processes"
CASES_DATASET = "cases"
LINK = "link"
LINKED = "linked to a snapshot"
NOT_LINKED = "not linked to a snapshot"
FORMAL = "formal"
INFORMAL = "informal"
NOT_RECORDED_OUTCOME = "Not recorded"
ALL_CASES = "All cases"
BREAKDOWNS = ("directorate", "pay_band")


def staff_on(day: Any) -> str:
    """The dataset atom of the staff in one snapshot, as `casework_withhold` names it."""
    value = day.isoformat() if isinstance(day, date) else str(day)
    return f"staff on {value}"


def _pool_restriction(day: Any) -> Restriction:
    return {"dataset": frozenset({staff_on(day)})}


def _period_restriction(label: Any) -> Restriction:
    return {"period": period_years(label)}


def _process_restriction(label: Any) -> Restriction:
    return {"process": frozenset({str(label)})}


def _case_type_restriction(label: Any) -> Restriction:
    restriction: Restriction = {"case_type": frozenset({str(label)})}
    if label != MEDIATION:
        restriction[FORMAL] = frozenset({FORMAL})
    return restriction


def _outcome_restriction(label: Any) -> Restriction:
    if label == SEVERE:
        return {"outcome": frozenset(SEVERE_OUTCOMES)}
    return {"outcome": frozenset({str(label)})}


def _group_restriction(label: Any) -> Restriction:
    return {} if label == ALL_CASES else ethnicity_label(label)


def _relative_likelihood_layout(characteristic: str, dimension: str | None = None) -> Layout:
    where: tuple[Part, ...] = ()
    entrants_where: tuple[Part, ...] = ()
    by: tuple[str, ...] = ("period", "process", "staff_on")
    if dimension is not None:
        where = (key(dimension, open_value(dimension)),)
        entrants_where = (*where, fixed({LINK: frozenset({LINKED})}))
        by = (*by, dimension)
    layout = comparison_layout(
        characteristic,
        pool=(key("staff_on", _pool_restriction), *where),
        outcome=(
            fixed({"dataset": frozenset({ENTRANTS})}),
            key("period", _period_restriction),
            key("process", _process_restriction),
            *entrants_where,
        ),
        by=by,
        direction=GROUP_OVER_REFERENCE,
    )
    return replace(layout, universes={LINK: (LINKED, NOT_LINKED)})


def _rate_bound(bound: int) -> Function:
    def recompute(row: Mapping[str, Any]) -> Any:
        k, n = row.get("count"), row.get("total")
        if k is None or not n:
            return None
        interval = intervals.wilson_interval(int(min(k, n)), int(n))
        return None if interval is None else 100 * interval[bound]

    return Function("ci_low" if bound == 0 else "ci_high", ("percent",), recompute)


def _outcomes_layout() -> Layout:
    cases = (
        fixed({"dataset": frozenset({CASES_DATASET})}),
        key("period", _period_restriction),
        key("case_type", _case_type_restriction),
        key("ethnic_group", _group_restriction),
    )
    return Layout(
        keys=("period", "case_type", "ethnic_group", "outcome"),
        columns=(
            Count("count", of(*cases, key("outcome", _outcome_restriction))),
            Count("total", of(*cases)),
            Share("percent", "count", "total"),
            _rate_bound(0),
            _rate_bound(1),
        ),
        universes={
            FORMAL: (FORMAL, INFORMAL),
            "outcome": (*OUTCOMES, NOT_RECORDED_OUTCOME),
            "case_type": CASE_TYPES,
        },
    )


NOTE_MENTIONS = {
    "unlinked_cases": Mention(
        count=of(fixed({"dataset": frozenset({CASES_DATASET}), LINK: frozenset({NOT_LINKED})})),
        total=of(fixed({"dataset": frozenset({CASES_DATASET})})),
        template="{count:,} of {total:,} cases could not be linked to any workforce snapshot "
        "(no employee id, or an id no snapshot holds): they are counted by the "
        "characteristics the cases file gives, or as not known, and left out of the "
        "directorate and pay band breakdowns.",
        withheld="Some cases could not be linked to any workforce snapshot; how many is "
        "withheld because the number is small. They are counted by the characteristics the "
        "cases file gives, or as not known.",
        zero_template="Every one of the {total:,} cases was linked to a workforce snapshot.",
    ),
}
_NOTES_SCHEMA = {
    "table": pl.String(),
    "kind": pl.String(),
    "message": pl.String(),
    "subject": pl.String(),
    "group": pl.String(),
    "count": pl.Int64(),
    "total": pl.Int64(),
}
_CHARACTERISTIC_TABLES = {
    "casework_relative_likelihood": "ethnicity",
    "casework_relative_likelihood_by_sex": "sex",
    "casework_relative_likelihood_by_disability": "disability",
    "casework_relative_likelihood_by_ethnicity_and_sex": "ethnicity_by_sex",
}
LAYOUTS: dict[str, Layout] = {
    **{name: _relative_likelihood_layout(c) for name, c in _CHARACTERISTIC_TABLES.items()},
    **{
        f"casework_relative_likelihood_by_{d}": _relative_likelihood_layout("ethnic_group", d)
        for d in BREAKDOWNS
    },
    "casework_outcomes": _outcomes_layout(),
    "casework_notes": Layout(
        keys=("table", "kind", "message", "subject", "group"),
        mentions=NOTE_MENTIONS,
        universes={LINK: (LINKED, NOT_LINKED)},
    ),
}

# --- preparing the inputs --------------------------------------------------------------------

_CASE_COLUMNS: dict[str, pl.DataType] = {
    "case_id": pl.String(),
    "employee_key": pl.String(),
    "ethnicity": pl.String(),
    "sex": pl.String(),
    "disability": pl.String(),
    "case_type": pl.String(),
    "formal": pl.Boolean(),
    "date_opened": pl.Date(),
    "date_closed": pl.Date(),
    "outcome": pl.String(),
}
_CHARACTERISTICS = ("ethnicity", "sex", "disability")
_PERSON_COLUMNS = (*_CHARACTERISTICS, *BREAKDOWNS)


def _prepared_cases(cases: pl.DataFrame) -> pl.DataFrame:
    """The validated cases with every canonical column (absent ones null; characteristics not
    given are "Not known") and the financial year opened."""
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in _CASE_COLUMNS.items()
        if name not in cases.columns
    ]
    frame = cases.with_columns(missing) if missing else cases
    return frame.with_columns(
        *(pl.col(c).fill_null(NOT_KNOWN) for c in _CHARACTERISTICS),
        _financial_year_expr(pl.col("date_opened")).alias("year"),
    ).filter(pl.col("date_opened").is_not_null())


def _snapshot_list(
    snapshots: Sequence[tuple[date, pl.DataFrame]] | Mapping[date, pl.DataFrame],
) -> list[tuple[date, pl.DataFrame]]:
    items = list(snapshots.items()) if isinstance(snapshots, Mapping) else list(snapshots)
    if not items:
        raise ValueError("casework figures need at least one workforce snapshot for the pool")
    return sorted(items, key=lambda item: item[0])


def _person_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A snapshot's staff: key, characteristics, directorate and pay band ("Not recorded"
    for a blank)."""
    columns = []
    for name in ("employee_key", *_PERSON_COLUMNS):
        value = pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.String)
        if name in _CHARACTERISTICS:
            value = value.cast(pl.String).fill_null(NOT_KNOWN)
        elif name in BREAKDOWNS:
            value = value.cast(pl.String).fill_null(NOT_RECORDED)
        columns.append(value.cast(pl.String).alias(name))
    return frame.select(columns)


@dataclass(frozen=True)
class PoolSnapshot:
    period: str
    day: date
    after_end: bool  # dated on or after the period's end (else the latest before it)


def pool_snapshot(period: str, days: Sequence[date]) -> PoolSnapshot:
    """The snapshot whose staff are the period's pool: the first on or after its last day,
    else the latest before it."""
    end = year_end(period)
    later = [d for d in days if d >= end]
    if later:
        return PoolSnapshot(period, min(later), True)
    return PoolSnapshot(period, max(days), False)


# --- who entered what --------------------------------------------------------------------------


def _nearest_snapshot_rows(
    keys: pl.DataFrame, staff: pl.DataFrame, columns: Sequence[str]
) -> pl.DataFrame:
    """For each (employee_key, year), the person's row in the snapshot nearest the year's
    end among those holding them (the earlier on a tie); keys no snapshot holds are absent."""
    return (
        keys.select("employee_key", "year")
        .unique()
        .with_columns(_year_end_expr().alias("year_end"))
        .join(staff, on="employee_key", how="inner")
        .with_columns(
            (pl.col("snapshot_date") - pl.col("year_end")).dt.total_days().abs().alias("distance")
        )
        .sort("distance", "snapshot_date")
        .group_by("employee_key", "year", maintain_order=True)
        .first()
        .select("employee_key", "year", *(pl.col(c).alias(f"{c}_snapshot") for c in columns))
    )


def _entries(cases: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    """One row per year, process and person entering it: the person's characteristics and
    breakdowns, and whether the case linked to a snapshot.

    `staff` holds every snapshot's people with `snapshot_date`. A linked person's values come
    from the snapshot nearest the year's end."""
    opened = cases.select(
        "case_id",
        "employee_key",
        "year",
        *_CHARACTERISTICS,
        *(p.cases.fill_null(False).alias(p.name) for p in PROCESSES),
    )
    long = opened.unpivot(
        index=["case_id", "employee_key", "year", *_CHARACTERISTICS],
        on=list(PROCESS_NAMES),
        variable_name="process",
        value_name="entered",
    ).filter(pl.col("entered"))
    keyed = long.filter(pl.col("employee_key").is_not_null())
    nearest = _nearest_snapshot_rows(keyed, staff, _PERSON_COLUMNS)
    linked = (
        keyed.join(nearest, on=["employee_key", "year"], how="inner")
        .unique(["year", "process", "employee_key"], keep="first")
        .select(
            "year",
            "process",
            *(pl.col(f"{c}_snapshot").alias(c) for c in _PERSON_COLUMNS),
            pl.lit(True).alias("linked"),
        )
    )
    # Not linked: an id no snapshot holds is still one person; no id, one person per case.
    person = pl.coalesce(pl.col("employee_key"), pl.lit("case:") + pl.col("case_id"))
    unlinked = (
        long.join(
            nearest.select("employee_key", "year"),
            on=["employee_key", "year"],
            how="anti",
            nulls_equal=False,
        )
        .with_columns(person.alias("person"))
        .unique(["year", "process", "person"], keep="first")
        .select(
            "year",
            "process",
            *_CHARACTERISTICS,
            *(pl.lit(NOT_RECORDED).alias(c) for c in BREAKDOWNS),
            pl.lit(False).alias("linked"),
        )
    )
    return pl.concat([linked, unlinked], how="vertical_relaxed")


def _cases_by_person(cases: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    """Each case with the ethnicity it is counted by (the linked snapshot's, else its own)
    and whether it linked."""
    keyed = cases.filter(pl.col("employee_key").is_not_null())
    nearest = _nearest_snapshot_rows(keyed, staff, ("ethnicity",))
    return cases.join(nearest, on=["employee_key", "year"], how="left").with_columns(
        pl.col("ethnicity_snapshot").is_not_null().alias("linked"),
        pl.coalesce("ethnicity_snapshot", "ethnicity").alias("ethnicity"),
    )


# --- the relative likelihood tables ------------------------------------------------------------


def _counts_frame(
    pools: pl.DataFrame, entrants: pl.DataFrame, cells: Sequence[str]
) -> pl.DataFrame:
    """Pool and entrants per cell as weighted rows for `compare`: the pool is the headcount
    and the entrants are counted within it, so a cell of n staff and k entrants is a row of
    k entrants and a row of n − k others (negative only if the cases name more people of a
    cell than the snapshot holds; the sums stay exact)."""
    joined = pools.join(entrants, on=list(cells), how="full", coalesce=True).with_columns(
        pl.col("n", "k").fill_null(0)
    )
    return pl.concat(
        [
            joined.select(*cells, pl.col("k").alias("weight"), pl.lit(True).alias("entered")),
            joined.select(
                *cells, (pl.col("n") - pl.col("k")).alias("weight"), pl.lit(False).alias("entered")
            ),
        ]
    ).filter(pl.col("weight") != 0)


def _staff_counts(people: Sequence[tuple[date, pl.DataFrame]]) -> pl.DataFrame:
    """Staff per snapshot and combination of what the pools read (`_n`): each period's pool
    then sums a few thousand rows, not every person. Each snapshot (`_person_frame`) counted
    on its own: no date to group by, half the work of one count of all."""
    return pl.concat(
        [
            frame.group_by(*_PERSON_COLUMNS)
            .agg(pl.len().cast(pl.Int64).alias("_n"))
            .select(pl.lit(day, dtype=pl.Date).alias("snapshot_date"), pl.all())
            for day, frame in people
        ]
    )


def _pool_counts(
    periods: pl.DataFrame, staff_counts: pl.DataFrame, dimension: str | None
) -> pl.DataFrame:
    extra = [dimension] if dimension else []
    return (
        periods.join(staff_counts, left_on="staff_on", right_on="snapshot_date")
        .group_by("period", "staff_on", *_CHARACTERISTICS, *extra)
        .agg(pl.col("_n").sum().cast(pl.Int64).alias("n"))
    )


def _entrant_counts(
    periods: pl.DataFrame, entries: pl.DataFrame, dimension: str | None
) -> pl.DataFrame:
    extra = [dimension] if dimension else []
    chosen = entries.filter(pl.col("linked")) if dimension else entries
    year_of = periods.select("period", "staff_on", pl.col("years")).explode("years")
    return (
        chosen.join(year_of, left_on="year", right_on="years")
        .group_by("period", "staff_on", "process", *_CHARACTERISTICS, *extra)
        .agg(pl.len().cast(pl.Int64).alias("k"))
    )


def _comparison_input(
    periods: pl.DataFrame,
    staff_counts: pl.DataFrame,
    entries: pl.DataFrame,
    dimension: str | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The weighted rows `compare` reads and the keys it reports, for the characteristic
    tables (no `dimension`) or one breakdown: the same for every characteristic."""
    processes = BREAKDOWN_PROCESSES if dimension else PROCESS_NAMES
    process_frame = pl.DataFrame({"process": list(processes)})
    pools = _pool_counts(periods, staff_counts, dimension).join(process_frame, how="cross")
    entrants = _entrant_counts(periods, entries, dimension).filter(
        pl.col("process").is_in(list(processes))
    )
    extra = [dimension] if dimension else []
    cells = ["period", "staff_on", "process", *_CHARACTERISTICS, *extra]
    frame = _counts_frame(pools, entrants, cells)
    keys = periods.select("period", "staff_on").join(process_frame, how="cross")
    if dimension:
        values = pl.concat([staff_counts.select(dimension), entries.select(dimension)]).unique()
        keys = keys.join(values.sort(dimension), how="cross")
    return frame, keys


def _relative_likelihoods(
    periods: pl.DataFrame,
    prepared: tuple[pl.DataFrame, pl.DataFrame],
    characteristics: Sequence[str],
    dimension: str | None = None,
) -> dict[str, pl.DataFrame]:
    frame, keys = prepared
    by = ["period", "process", "staff_on", *([dimension] if dimension else [])]
    tables = compare_each(
        frame,
        pool=pl.lit(True),
        outcome=pl.col("entered"),
        characteristics=characteristics,
        direction=GROUP_OVER_REFERENCE,
        by=by,
        keys=keys.select(by),
        subject="staff",
        outcome_phrase=lambda row: _PHRASES[row["process"]],
        weight="weight",
    )
    return {c: _in_reading_order(table, periods) for c, table in tables.items()}


def _in_reading_order(table: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """Periods chronologically (each year, then the window ending with it), processes in
    PROCESSES order; within them the order `compare` gave."""
    period_rank = {p: i for i, p in enumerate(periods.get_column("period").to_list())}
    process_rank = {p: i for i, p in enumerate(PROCESS_NAMES)}
    return (
        table.with_columns(
            pl.col("period").replace_strict(period_rank, return_dtype=pl.Int64).alias("_p"),
            pl.col("process").replace_strict(process_rank, return_dtype=pl.Int64).alias("_q"),
        )
        .sort("_p", "_q", maintain_order=True)
        .drop("_p", "_q")
    )


# --- outcomes ---------------------------------------------------------------------------------

_OUTCOME_GROUPS = (ALL_CASES, *ETHNIC_GROUPS, UNKNOWN_GROUP, AGGREGATE_LABEL)


def _outcome_rows_of(case_type: str) -> tuple[str, ...]:
    allowed = OUTCOMES_BY_TYPE[case_type]
    severe = (SEVERE,) if set(SEVERE_OUTCOMES) <= set(allowed) else ()
    return (*allowed, *severe, NOT_RECORDED_OUTCOME)


def _outcomes(cases: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """Cases of each type by outcome per ethnic group: count, share of the group's cases of
    that type, Wilson interval (percent)."""
    counted = cases.filter(pl.col("formal").fill_null(False) | (pl.col("case_type") == MEDIATION))
    membership = pl.DataFrame(
        [
            (value, group)
            for group in _OUTCOME_GROUPS
            for value in (ETHNICITY_VALUES if group == ALL_CASES else ethnicity_atoms(group))
        ],
        schema={"ethnicity": pl.String, "group": pl.String},
        orient="row",
    )
    year_of = periods.select("period", "years").explode("years")
    tallies = (
        counted.with_columns(pl.col("outcome").fill_null(NOT_RECORDED_OUTCOME))
        .join(membership, on="ethnicity")
        .join(year_of, left_on="year", right_on="years")
        .group_by("period", "case_type", "group", "outcome")
        .agg(pl.len().alias("n"))
    )
    tally = {(p, t, g, o): n for p, t, g, o, n in tallies.iter_rows()}
    rows: list[dict[str, Any]] = []
    for period in periods.get_column("period").to_list():
        for case_type in CASE_TYPES:
            for group in _OUTCOME_GROUPS:
                of_outcome = {
                    o: tally.get((period, case_type, group, o), 0)
                    for o in (*OUTCOMES, NOT_RECORDED_OUTCOME)
                }
                total = sum(of_outcome.values())
                for outcome in _outcome_rows_of(case_type):
                    named = SEVERE_OUTCOMES if outcome == SEVERE else (outcome,)
                    k = sum(of_outcome[o] for o in named)
                    interval = intervals.wilson_interval(k, total) if total else None
                    rows.append(
                        {
                            "period": period,
                            "case_type": case_type,
                            "ethnic_group": group,
                            "outcome": outcome,
                            "count": k,
                            "total": total,
                            "percent": 100.0 * k / total if total else None,
                            "ci_low": None if interval is None else 100 * interval[0],
                            "ci_high": None if interval is None else 100 * interval[1],
                        }
                    )
    return pl.DataFrame(rows, schema=_OUTCOME_SCHEMA)


_OUTCOME_SCHEMA = {
    "period": pl.String(),
    "case_type": pl.String(),
    "ethnic_group": pl.String(),
    "outcome": pl.String(),
    "count": pl.Int64(),
    "total": pl.Int64(),
    "percent": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
}


# --- notes ------------------------------------------------------------------------------------


def _notes(
    choices: Sequence[PoolSnapshot], unlinked: int, total: int, breakdown_note: bool
) -> pl.DataFrame:
    table = "casework_relative_likelihood"
    rows: list[dict[str, Any]] = [
        {
            "table": table,
            "kind": "info",
            "message": "unlinked",
            "subject": "unlinked_cases",
            "count": unlinked,
            "total": total,
        }
    ]
    rows[0]["message"] = NOTE_MENTIONS["unlinked_cases"].template.format(
        count=unlinked, total=total
    )
    for choice in choices:
        where = (
            "the snapshot at or after the end of the period"
            if choice.after_end
            else "the latest snapshot before the end of the period (none is dated at or after it)"
        )
        rows.append(
            {
                "table": table,
                "kind": "info",
                "message": f"{choice.period}: the pool is the staff on "
                f"{choice.day.isoformat()}, {where}.",
            }
        )
    rows += [
        {
            "table": table,
            "kind": "info",
            "message": "A two-year window counts each year's entrants (a person entering in "
            "both years counts in both, as the WRES two-year rolling average does) against the "
            "staff at the end of the window, so its rates are over two years; its relative "
            "likelihood is the WRES indicator 3 figure.",
        },
        {
            "table": table,
            "kind": "info",
            "message": "A person can enter more than one kind of process in a year, so "
            "'any formal process' counts each person once and is not the sum of the kinds.",
        },
        {
            "table": "casework_outcomes",
            "kind": "info",
            "message": "Outcomes count cases, not people: formal cases of each type (every "
            "mediation case), by the ethnic group of the person the case is about; 'Not "
            "recorded' is a case still open or closed without an outcome.",
        },
    ]
    if breakdown_note:
        rows.append(
            {
                "table": "casework_relative_likelihood_by_directorate",
                "kind": "info",
                "message": "The directorate and pay band breakdowns count only cases linked to "
                "a snapshot (the directorate and pay band come from it).",
            }
        )
    return pl.DataFrame(rows, schema=_NOTES_SCHEMA)


def _years(cases: pl.DataFrame, latest_snapshot: date) -> list[str]:
    """Every financial year from the first case's to the last's (a year without cases is a
    year of zeros); with no cases, the year of the latest snapshot."""
    found = cases.get_column("year").drop_nulls()
    if found.is_empty():
        return [financial_year(latest_snapshot)]
    first, last = _start_year(found.min()), _start_year(found.max())  # type: ignore[arg-type]
    return [financial_year(date(y, 4, 1)) for y in range(first, last + 1)]


# --- the family -------------------------------------------------------------------------------


# --- what is published ---------------------------------------------------------------------

# Published casework figures are per financial year. A two-year window is the sum of two
# years, so publishing windows beside years ties every year to its neighbours and disclosure
# control must then solve all years as one programme (minutes for a borough); the windows stay
# in the exact tables for the EDI officer and HR analyst, and the WRES page says which it shows.
PERIODS_INDEPENDENT = True


_PUBLISHED_GROUPS = (
    "Asian",
    "Black",
    "Mixed",
    "Other",
    "Black, Asian and Multi-ethnic",
    "All ethnic minorities",
    "White other than British",
)


def published_scope(tables: Mapping[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """What is published: single years only; the high-level groups (cases are rare: a detailed
    category would hold a handful of people in a year, withheld anyway, and each one costs
    disclosure control a linear programme); ethnicity by sex for any formal process only. The
    notes table (its counts run over every year) is not published: the page says in words that
    unlinked cases are counted by their own characteristics."""
    scoped = {}
    for name, table in tables.items():
        if "period" not in table.columns:
            continue
        table = table.filter(~pl.col("period").str.contains(WINDOW_SEPARATOR, literal=True))
        if name == "casework_relative_likelihood":
            table = table.filter(pl.col("ethnic_group").is_in(_PUBLISHED_GROUPS))
        elif name == "casework_relative_likelihood_by_ethnicity_and_sex":
            table = table.filter(pl.col("process") == ANY_FORMAL)
        scoped[name] = table
    return scoped


def casework_tables(
    cases: pl.DataFrame,
    snapshots: Sequence[tuple[date, pl.DataFrame]] | Mapping[date, pl.DataFrame],
) -> dict[str, pl.DataFrame]:
    """Every casework table, exact (for the EDI officer and HR analyst); `protect` with
    LAYOUTS (and `casework_withhold`) before anyone else sees them.

    `cases`: the validated cases frame (`CASES`); `snapshots`: (snapshot date, validated
    workforce frame) pairs, at least one."""
    ordered = _snapshot_list(snapshots)
    prepared = _prepared_cases(cases)
    people = [(day, _person_frame(frame)) for day, frame in ordered]
    staff = pl.concat(
        [
            frame.with_columns(pl.lit(day, dtype=pl.Date).alias("snapshot_date"))
            for day, frame in people
        ]
    )
    labels = _periods(_years(prepared, ordered[-1][0]))
    days = [day for day, _ in ordered]
    choices = [pool_snapshot(p, days) for p in labels]
    periods = pl.DataFrame(
        {
            "period": labels,
            "staff_on": [c.day for c in choices],
            "years": [sorted(period_years(p)) for p in labels],
        },
        schema={"period": pl.String, "staff_on": pl.Date, "years": pl.List(pl.String)},
    )
    linked_staff = staff.filter(pl.col("employee_key").is_not_null())
    entries = _entries(prepared, linked_staff)
    staff_counts = _staff_counts(people)
    prepared_all = _comparison_input(periods, staff_counts, entries)

    def breakdown(dimension: str) -> pl.DataFrame:
        return _relative_likelihoods(
            periods,
            _comparison_input(periods, staff_counts, entries, dimension),
            ("ethnic_group",),
            dimension,
        )["ethnic_group"]

    def outcomes() -> tuple[pl.DataFrame, pl.DataFrame]:
        flagged = _cases_by_person(prepared, linked_staff)
        return flagged, _outcomes(flagged, periods)

    by_characteristic, breakdowns, (flagged, outcome_table) = side_by_side(
        lambda: _relative_likelihoods(periods, prepared_all, list(_CHARACTERISTIC_TABLES.values())),
        lambda: [breakdown(dimension) for dimension in BREAKDOWNS],
        outcomes,
    )
    tables = {
        name: by_characteristic[characteristic]
        for name, characteristic in _CHARACTERISTIC_TABLES.items()
    }
    for dimension, table in zip(BREAKDOWNS, breakdowns, strict=True):
        tables[f"casework_relative_likelihood_by_{dimension}"] = table
    tables["casework_outcomes"] = outcome_table
    unlinked = int((~flagged.get_column("linked")).sum())
    tables["casework_notes"] = _notes(choices, unlinked, flagged.height, True)
    return tables


def casework_withhold(
    published_workforce: Mapping[date, Mapping[str, pl.DataFrame]] | Mapping[str, pl.DataFrame],
    *,
    snapshot_date: date | None = None,
) -> list[Restriction]:
    """The snapshot headcounts the workforce pages withhold, as restrictions for
    `protect(withhold=...)`, so the casework page never shows a pool the workforce page hides.

    `published_workforce`: per snapshot date, that snapshot's protected workforce tables; or
    one snapshot's tables with its `snapshot_date`. Read: `representation_overall` (ethnic
    groups), `representation_detailed_overall` (categories), and the directorate and pay
    band representation tables (for the breakdowns): every row whose `count` is withheld."""
    if snapshot_date is not None:
        per_snapshot = {snapshot_date: published_workforce}
    else:
        per_snapshot = dict(published_workforce)  # type: ignore[arg-type]
    restrictions: list[Restriction] = []
    for day, tables in per_snapshot.items():
        if not isinstance(day, date):
            raise TypeError(
                "casework_withhold needs the snapshot date: pass tables per date, or "
                "snapshot_date= with one snapshot's tables"
            )
        dataset = {"dataset": frozenset({staff_on(day)})}
        for name, label, dimension in (
            ("representation_overall", "ethnic_group", None),
            ("representation_detailed_overall", "ethnicity", None),
            ("representation_by_directorate", "ethnic_group", "directorate"),
            ("representation_by_pay_band", "ethnic_group", "pay_band"),
        ):
            table = tables.get(name)  # type: ignore[union-attr, call-overload]
            if table is None or "count" not in table.columns:
                continue
            for row in table.filter(pl.col("count").is_null()).iter_rows(named=True):
                restriction: Restriction = {**dataset, **ethnicity_label(row[label])}
                if dimension is not None:
                    restriction[dimension] = frozenset({str(row[dimension])})
                restrictions.append(restriction)
            if "total" in table.columns and dimension is None:
                if table.get_column("total").null_count() == table.height and table.height:
                    restrictions.append(dict(dataset))
    return restrictions


__all__ = [
    "CASES",
    "CASE_TYPES",
    "LAYOUTS",
    "OUTCOMES",
    "OUTCOMES_BY_TYPE",
    "PROCESSES",
    "SPECS",
    "casework_tables",
    "casework_withhold",
    "financial_year",
    "period_years",
    "pool_snapshot",
]
