"""Computed measures from development programmes: one value per financial year of the cohorts'
start, dated 31 March at its end.

Pure (no Django): the input is each cohort's kind, start and tables as rows (exact, or as
`programmes.services` protects them), so tests can hand-build them. A measure reads the same
row of each cohort of its kinds that started in the year (the Black, Asian and Multi-ethnic
row against White, or the cohort's overall row) and adds their published counts: a share is
the sum of one published count over the sum of another, never a figure disclosure control did
not let through. When any cohort's count is withheld, so is the year's value.

The action plan's measures these replace were typed in by hand (seed 000's second theme):
"Number of Black, Asian and Multi-ethnic staff who … have a sponsor / mentor", "% … who have
progressed … within 12-18 months of sponsorship", "% of Corporate Leadership Group to undergo
reverse mentoring", participation in the talent programme, Black on Board and apprenticeships,
and progression "within 2 years" of a development programme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL, WHITE

Row = Mapping[str, Any]
WITHHELD = "withheld"
NOT_CALCULABLE = "not calculable"


@dataclass(frozen=True)
class CohortRows:
    kind: str  # programmes.Programme.Kind value
    start: date
    tables: Mapping[str, Sequence[Row]] = field(default_factory=dict)


@dataclass(frozen=True)
class YearValue:
    period: str
    on: date
    value: float | None
    state: str = ""


@dataclass(frozen=True)
class ProgrammeMeasure:
    key: str
    name: str
    unit: str
    kinds: frozenset[str] | None  # None: every kind of programme
    table: str
    select: Mapping[str, Any]  # the row: column -> value
    numerator: str
    denominator: str | None  # None: the measure is the count itself
    definition: str


def financial_year(start: date) -> tuple[str, date]:
    """The financial year (1 April to 31 March) a date falls in, and its last day."""
    year = start.year if start.month >= 4 else start.year - 1
    return f"{year}-{(year + 1) % 100:02d}", date(year + 1, 3, 31)


AGGREGATE_ROW = {"ethnic_group": AGGREGATE_LABEL, "reference_group": WHITE}


def _participation(key: str, kind: str, label: str) -> ProgrammeMeasure:
    return ProgrammeMeasure(
        key,
        f"% of eligible Black, Asian and Multi-ethnic staff taking part in {label}",
        "%",
        frozenset({kind}),
        "participation_by_ethnicity",
        AGGREGATE_ROW,
        "group_count",
        "group_pool",
        f"Black, Asian and Multi-ethnic staff who took part in a {label} cohort starting in the "
        "year ÷ those eligible for it (from the snapshot on or before each start), in %",
    )


PROGRAMME_MEASURES: dict[str, ProgrammeMeasure] = {
    m.key: m
    for m in (
        ProgrammeMeasure(
            "programme_black_asian_multi_ethnic_sponsored_or_mentored",
            "Number of Black, Asian and Multi-ethnic staff with a sponsor or mentor",
            "count",
            frozenset({"sponsorship", "mentoring"}),
            "participation_by_ethnicity",
            AGGREGATE_ROW,
            "group_count",
            None,
            "Black, Asian and Multi-ethnic staff taking part in a sponsorship or mentoring "
            "cohort that started in the year (eligible staff only; someone in two cohorts "
            "counts twice)",
        ),
        ProgrammeMeasure(
            "programme_sponsorship_progressed_black_asian_multi_ethnic",
            "% of sponsored Black, Asian and Multi-ethnic staff promoted within 12-18 months",
            "%",
            frozenset({"sponsorship"}),
            "outcomes",
            {"ethnic_group": AGGREGATE_LABEL, "horizon_months": 18},
            "participants_promoted",
            "participants",
            "Black, Asian and Multi-ethnic staff of the year's sponsorship cohorts in a higher "
            "pay band or a leadership tier by the last snapshot on or before 18 months after "
            "the start ÷ those who took part, in % (promotion within the council only)",
        ),
        ProgrammeMeasure(
            "programme_reverse_mentoring_leadership_share",
            "% of the Corporate Leadership Group who took part in reverse mentoring",
            "%",
            frozenset({"reverse_mentoring"}),
            "participation_overall",
            {},
            "took_part",
            "eligible",
            "Staff eligible for the year's reverse mentoring cohorts (their leadership tier) "
            "who took part ÷ those eligible, in %",
        ),
        _participation(
            "programme_talent_black_asian_multi_ethnic_participation",
            "talent",
            "the talent programme",
        ),
        _participation(
            "programme_black_on_board_black_asian_multi_ethnic_participation",
            "black_on_board",
            "Black on Board",
        ),
        _participation(
            "programme_apprenticeship_black_asian_multi_ethnic_participation",
            "apprenticeship",
            "apprenticeships",
        ),
        ProgrammeMeasure(
            "programme_progressed_24_months_black_asian_multi_ethnic",
            "% of Black, Asian and Multi-ethnic staff on development programmes promoted "
            "within 2 years",
            "%",
            None,
            "outcomes",
            {"ethnic_group": AGGREGATE_LABEL, "horizon_months": 24},
            "participants_promoted",
            "participants",
            "Black, Asian and Multi-ethnic staff of every programme's cohorts starting in the "
            "year in a higher pay band or a leadership tier by the last snapshot on or before "
            "24 months after the start ÷ those who took part, in %",
        ),
    )
}


def measure_for(key: str) -> ProgrammeMeasure:
    if key not in PROGRAMME_MEASURES:
        raise KeyError(f"no programme measure {key!r}; known: {', '.join(PROGRAMME_MEASURES)}")
    return PROGRAMME_MEASURES[key]


def _row(measure: ProgrammeMeasure, cohort: CohortRows) -> Row | None:
    for row in cohort.tables.get(measure.table) or ():
        if all(row.get(column) == value for column, value in measure.select.items()):
            return row
    return None


def values(key: str, cohorts: Sequence[CohortRows]) -> list[YearValue]:
    """One value per financial year in which a cohort of the measure's kinds started and has
    the row (an outcome row needs a later snapshot), oldest first."""
    measure = measure_for(key)
    by_year: dict[tuple[str, date], list[Row]] = {}
    for cohort in cohorts:
        if measure.kinds is not None and cohort.kind not in measure.kinds:
            continue
        row = _row(measure, cohort)
        if row is not None:
            by_year.setdefault(financial_year(cohort.start), []).append(row)
    found = []
    for (period, on), rows in sorted(by_year.items(), key=lambda item: item[0][1]):
        found.append(_value(measure, period, on, rows))
    return found


def _value(measure: ProgrammeMeasure, period: str, on: date, rows: list[Row]) -> YearValue:
    columns = [measure.numerator] + ([measure.denominator] if measure.denominator else [])
    if any(row.get(column) is None for row in rows for column in columns):
        return YearValue(period, on, None, WITHHELD)
    numerator = sum(int(row[measure.numerator]) for row in rows)
    if measure.denominator is None:
        return YearValue(period, on, float(numerator))
    denominator = sum(int(row[measure.denominator]) for row in rows)
    if denominator == 0:
        return YearValue(period, on, None, NOT_CALCULABLE)
    return YearValue(period, on, round(100.0 * numerator / denominator, 2))
