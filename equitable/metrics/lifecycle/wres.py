"""The NHS Workforce Race Equality Standard (WRES) indicators for a council, and the Social
Care WRES return, assembled from figures the other tables already hold.

`wres_indicators(tables)` only PICKS figures from the tables it is given (and, for indicator 9,
takes the difference of two picked percentages): it never counts people. Give it protected
tables (`disclosure_control.protect` per family) and it shows only what those publications
show; give it exact tables and it is exact. Its layout (`LAYOUTS`) declares the picked values
as public figures for that reason: the WRES page renders picked protected figures, and
`protect` must not see an undeclared table.

Indicators (metric-definitions.md 1.1-1.2; the WRES names its comparison group "Black and
minority ethnic (BME)"; Equitable says "Black, Asian and Multi-ethnic"):
1 share of Black, Asian and Multi-ethnic staff in each pay band against the whole workforce
  (`representation_by_pay_band`, `representation_overall`, percent of all staff);
2 relative likelihood of White applicants being appointed from shortlisting
  (`recruitment_relative_likelihood`, all applicants);
3 relative likelihood of Black, Asian and Multi-ethnic staff entering a formal disciplinary
  (`casework_relative_likelihood`, the latest two-year window, else the latest year);
4 relative likelihood of White staff accessing non-mandatory training and CPD
  (`development_relative_likelihood`);
5-8 from the staff survey: the published `wres_survey` table of the newest wave whose
  questions the question bank marks with them (`metrics.surveys.figures.wres_survey`), when
  given as `tables["wres_survey"]`; otherwise marked as not yet available;
9 leadership tiers against the whole workforce and against the resident population, in
  percentage points (`representation_in_leadership_tiers`, `representation_overall`).

`social_care_wres(...)` computes the families on the social care workforce (selected by
directorate) and lays out Skills for Care's nine metrics (peer-systems.md 2.4, Norfolk's list).

Pure module (polars, no Django). The family modules are imported when needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from equitable.metrics.labels import AGGREGATE_LABEL
from equitable.metrics.layout import Layout

FROM_DATA = "from data"
NO_DATA = "no data yet"
FROM_SURVEYS = "from surveys: not yet available"
WITHHELD_READING = "Withheld to protect small numbers (see the source table)."
COLUMNS: dict[str, pl.DataType] = {
    "indicator": pl.String(),
    "title": pl.String(),
    "value": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "reading": pl.String(),
    "source_table": pl.String(),
    "status": pl.String(),
}
_PICKED = Layout(
    keys=("indicator", "title", "reading", "source_table", "status"),
    public=("value", "ci_low", "ci_high"),
)
LAYOUTS: dict[str, Layout] = {
    "wres_indicators": _PICKED,
    "social_care_wres_return": _PICKED,
    # Which metrics had no data, and why: sentences without numbers of people.
    "social_care_wres_notes": Layout(keys=("message",)),
}


@dataclass(frozen=True)
class Indicator:
    indicator: str
    title: str
    value: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    reading: str | None = None
    source_table: str | None = None
    status: str = NO_DATA


def _frame(rows: Sequence[Indicator]) -> pl.DataFrame:
    return pl.DataFrame([vars(r) for r in rows], schema=COLUMNS)


# --- picking ---------------------------------------------------------------------------------


def _latest(table: pl.DataFrame, prefer_windows: bool = False) -> pl.DataFrame:
    """The rows of the latest period (for casework, the latest two-year window if any)."""
    if "period" not in table.columns or table.is_empty():
        return table
    periods = table.get_column("period").unique(maintain_order=True).to_list()
    if prefer_windows:
        windows = [p for p in periods if " to " in str(p)]
        periods = windows or periods
    latest = max(periods, key=lambda p: str(p).split(" to ")[-1])
    return table.filter(pl.col("period") == latest)


def _one(table: pl.DataFrame | None, **where: Any) -> dict[str, Any] | None:
    if table is None:
        return None
    found = table.filter(*(pl.col(c) == v for c, v in where.items() if c in table.columns))
    return found.row(0, named=True) if found.height else None


def _ratio_indicator(
    number: str,
    title: str,
    tables: Mapping[str, pl.DataFrame],
    source: str,
    prefer_windows: bool = False,
    **where: Any,
) -> Indicator:
    table = tables.get(source)
    if table is None:
        return Indicator(number, title, source_table=source, status=NO_DATA)
    row = _one(_latest(table, prefer_windows), ethnic_group=AGGREGATE_LABEL, **where)
    if row is None:
        return Indicator(number, title, source_table=source, status=NO_DATA)
    period = f" ({row['period']})" if row.get("period") else ""
    withheld = row.get("relative_likelihood") is None and row.get("suppressed")
    return Indicator(
        number,
        title + period,
        row.get("relative_likelihood"),
        row.get("ci_low"),
        row.get("ci_high"),
        WITHHELD_READING if withheld else row.get("reading"),
        source,
        FROM_DATA,
    )


def _percent_row(table: pl.DataFrame | None, **where: Any) -> float | None:
    row = _one(table, ethnic_group=AGGREGATE_LABEL, **where)
    return None if row is None else row.get("percent")


def _band_indicators(
    number: str, tables: Mapping[str, pl.DataFrame], group_phrase: str
) -> list[Indicator]:
    bands = tables.get("representation_by_pay_band")
    overall = _percent_row(tables.get("representation_overall"))
    if bands is None:
        return [
            Indicator(
                number,
                f"{group_phrase} staff in each pay band",
                source_table="representation_by_pay_band",
            )
        ]
    found = []
    for band in bands.get_column("pay_band").unique(maintain_order=True).to_list():
        share = _percent_row(bands, pay_band=band)
        if share is None:
            reading = WITHHELD_READING
        else:
            whole = "withheld" if overall is None else f"{overall:.1f}%"
            reading = (
                f"{share:.1f}% of staff in pay band {band} are {group_phrase}, against {whole} "
                "of the whole workforce."
            )
        found.append(
            Indicator(
                number,
                f"{group_phrase} staff in pay band {band} (percent of all staff in the band)",
                share,
                reading=reading,
                source_table="representation_by_pay_band",
                status=FROM_DATA,
            )
        )
    found.append(
        Indicator(
            number,
            f"{group_phrase} staff in the whole workforce (percent)",
            overall,
            reading=WITHHELD_READING if overall is None else f"{overall:.1f}% of all staff.",
            source_table="representation_overall",
            status=FROM_DATA,
        )
    )
    return found


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _leadership_indicators(
    number: str, tables: Mapping[str, pl.DataFrame], leaders: str
) -> list[Indicator]:
    """Leadership tiers minus the whole workforce, and minus the resident population, in
    percentage points (negative: the leadership is less diverse)."""
    source = "representation_in_leadership_tiers"
    tiers = _one(tables.get(source), ethnic_group=AGGREGATE_LABEL)
    overall = _one(tables.get("representation_overall"), ethnic_group=AGGREGATE_LABEL)
    if tiers is None:
        return [
            Indicator(f"{number}a", f"{leaders} against the workforce", source_table=source),
            Indicator(f"{number}b", f"{leaders} against the population", source_table=source),
        ]
    workforce = _difference(tiers.get("percent"), (overall or {}).get("percent"))
    population_share = tiers.get("population_percent")
    population = _difference(tiers.get("percent_of_known"), population_share)

    def read(value: float | None, other: str) -> str:
        if value is None:
            return WITHHELD_READING
        word = "below" if value < 0 else "above"
        return (
            f"The Black, Asian and Multi-ethnic share of {leaders.lower()} is "
            f"{abs(value):.1f} percentage points {word} {other}."
        )

    return [
        Indicator(
            f"{number}a",
            f"{leaders}: Black, Asian and Multi-ethnic share minus the workforce's "
            "(percentage points)",
            workforce,
            reading=read(workforce, "that of the whole workforce"),
            source_table=f"{source}, representation_overall",
            status=FROM_DATA,
        ),
        Indicator(
            f"{number}b",
            f"{leaders}: Black, Asian and Multi-ethnic share (of known ethnicity) minus the "
            "resident population's (percentage points)",
            population,
            reading=read(population, "that of the resident population (Census 2021)")
            if population_share is not None or population is not None
            else "No resident population figures were given.",
            source_table=source,
            status=FROM_DATA if population_share is not None else NO_DATA,
        ),
    ]


FROM_SURVEY = "from the staff survey"
SURVEY_TABLE = "wres_survey"


def _survey_row(table: pl.DataFrame | None, indicator: str, group: str) -> dict | None:
    if table is None or table.is_empty():
        return None
    found = table.filter((pl.col("indicator") == indicator) & (pl.col("ethnic_group") == group))
    return found.row(0, named=True) if found.height else None


def _survey(
    number: str,
    title: str,
    table: pl.DataFrame | None = None,
    source: str = "staff survey",
    indicators: Sequence[str] | None = None,
    note: str = "",
) -> Indicator:
    """Indicator 5-8 (SC-WRES 6-7): the Black, Asian and Multi-ethnic share from the survey's
    published table, read beside the White share (the WRES compares the two). `indicators`
    are the bank markings that answer it, first found first (default `wres<number>`)."""
    marked = next(
        (
            indicator
            for indicator in indicators or (f"wres{number}",)
            if _survey_row(table, indicator, AGGREGATE_LABEL) is not None
        ),
        None,
    )
    group = None if marked is None else _survey_row(table, marked, AGGREGATE_LABEL)
    if group is None:
        return Indicator(
            number,
            title,
            reading="From the staff survey: no survey question is marked with this indicator.",
            source_table="staff survey",
            status=FROM_SURVEYS,
        )
    if group.get("suppressed") or group.get("percent") is None:
        return Indicator(
            number, title, reading=WITHHELD_READING, source_table=source, status=FROM_SURVEY
        )
    assert marked is not None
    white = _survey_row(table, marked, "White")
    against = (
        f"against {_percent(white['percent'])} of White respondents"
        if white is not None and not white.get("suppressed") and white.get("percent") is not None
        else "against White respondents' share, withheld"
    )
    reading = (
        f"{_percent(group['percent'])} of Black, Asian and Multi-ethnic respondents "
        f"(95% CI {_percent(group['ci_low'])} to {_percent(group['ci_high'])}) {against}."
        f"{note}"
    )
    return Indicator(
        number,
        title,
        group["percent"],
        group.get("ci_low"),
        group.get("ci_high"),
        reading=reading,
        source_table=source,
        status=FROM_SURVEY,
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def wres_indicators(
    tables: Mapping[str, pl.DataFrame], survey_source: str = "staff survey"
) -> pl.DataFrame:
    """WRES indicators 1-9 picked from `tables` (workforce, recruitment, casework and
    development tables together, protected or exact, and the survey's published
    `wres_survey`, named `survey_source`): one row per figure."""
    from equitable.metrics.lifecycle.casework import DISCIPLINARY
    from equitable.metrics.lifecycle.development import ANY_DEVELOPMENT

    rows = [
        *_band_indicators("1", tables, "Black, Asian and Multi-ethnic"),
        _ratio_indicator(
            "2",
            "Relative likelihood of White applicants being appointed from shortlisting, "
            "against Black, Asian and Multi-ethnic applicants",
            tables,
            "recruitment_relative_likelihood",
            stage="shortlisted to appointed",
            applicant_type="All",
        ),
        _ratio_indicator(
            "3",
            "Relative likelihood of Black, Asian and Multi-ethnic staff entering the formal "
            "disciplinary process, against White staff",
            tables,
            "casework_relative_likelihood",
            prefer_windows=True,
            process=DISCIPLINARY,
        ),
        _ratio_indicator(
            "4",
            "Relative likelihood of White staff accessing non-mandatory training and CPD, "
            "against Black, Asian and Multi-ethnic staff",
            tables,
            "development_relative_likelihood",
            process=ANY_DEVELOPMENT,
        ),
        _survey(
            "5",
            "Harassment, bullying or abuse from patients, relatives or the public",
            tables.get(SURVEY_TABLE),
            survey_source,
        ),
        _survey(
            "6",
            "Harassment, bullying or abuse from staff",
            tables.get(SURVEY_TABLE),
            survey_source,
        ),
        _survey(
            "7",
            "Belief that the organisation gives equal opportunities for progression",
            tables.get(SURVEY_TABLE),
            survey_source,
        ),
        _survey(
            "8",
            "Discrimination at work from a manager, team leader or colleague",
            tables.get(SURVEY_TABLE),
            survey_source,
        ),
        *_leadership_indicators("9", tables, "Leadership tiers"),
    ]
    return _frame(rows)


# --- the Social Care WRES ------------------------------------------------------------------


# The survey's figures are the whole organisation's: a survey's respondents are not linked to
# the HR record, and its published directorate cross-tabs cannot be added up once protected.
SOCIAL_CARE_SURVEY_NOTE = " All respondents to the survey, not only the social care workforce."


def social_care_wres_return(
    tables: Mapping[str, pl.DataFrame], survey_source: str = "staff survey"
) -> pl.DataFrame:
    """The nine SC-WRES metrics picked from the social care workforce's tables (as
    `social_care_wres` computes them; protect each family first for non-personal users);
    6 and 7 from the survey's published `wres_survey` table when given (questions marked
    SC-WRES 6 or 7, else the WRES 5 and 6 questions, which ask the same)."""
    from equitable.metrics.lifecycle.casework import DISCIPLINARY, FITNESS_TO_PRACTISE

    rows = [
        *_band_indicators("1", tables, "Black, Asian and Multi-ethnic"),
        _ratio_indicator(
            "2",
            "Relative likelihood of White applicants being appointed from shortlisting",
            tables,
            "recruitment_relative_likelihood",
            stage="shortlisted to appointed",
            applicant_type="All",
        ),
        _ratio_indicator(
            "3",
            "Relative likelihood of Black, Asian and Multi-ethnic staff entering formal "
            "disciplinary",
            tables,
            "casework_relative_likelihood",
            prefer_windows=True,
            process=DISCIPLINARY,
        ),
        _ratio_indicator(
            "4",
            "Relative likelihood of Black, Asian and Multi-ethnic staff entering fitness to "
            "practise",
            tables,
            "casework_relative_likelihood",
            prefer_windows=True,
            process=FITNESS_TO_PRACTISE,
        ),
        _development_metric(tables),
        _survey(
            "6",
            "Harassment from people who use services, their relatives or the public",
            tables.get(SURVEY_TABLE),
            survey_source,
            ("scwres6", "wres5"),
            SOCIAL_CARE_SURVEY_NOTE,
        ),
        _survey(
            "7",
            "Harassment from (a) colleagues, (b) managers",
            tables.get(SURVEY_TABLE),
            survey_source,
            ("scwres7", "wres6"),
            SOCIAL_CARE_SURVEY_NOTE,
        ),
        _ratio_indicator(
            "8",
            "Relative likelihood of Black, Asian and Multi-ethnic staff leaving the organisation",
            tables,
            "leavers_relative_likelihood",
        ),
        *_leadership_indicators("9", tables, "Senior management"),
    ]
    return _frame(rows)


def _development_metric(tables: Mapping[str, pl.DataFrame]) -> Indicator:
    from equitable.metrics.lifecycle.development import ANY_DEVELOPMENT, FUNDED_DEVELOPMENT

    title = "Relative likelihood of White staff accessing funded non-mandatory CPD"
    table = tables.get("development_relative_likelihood")
    funded = table is not None and FUNDED_DEVELOPMENT in table.get_column("process").to_list()
    process = FUNDED_DEVELOPMENT if funded else ANY_DEVELOPMENT
    found = _ratio_indicator("5", title, tables, "development_relative_likelihood", process=process)
    if found.status == FROM_DATA and not funded:
        reading = (found.reading or "") + " (all non-mandatory training: funding not marked)"
        return Indicator(**{**vars(found), "reading": reading})
    return found


def _in_directorates(frame: pl.DataFrame, directorates: frozenset[str]) -> pl.DataFrame:
    return frame.filter(pl.col("directorate").is_in(sorted(directorates)))


def _family(
    build: Callable[[], dict[str, pl.DataFrame]], name: str, missing: list[str]
) -> dict[str, pl.DataFrame]:
    """A family's tables, or none (and a note) when its data cannot give them (too few
    snapshots, for instance): the return then says "no data yet" for its metrics."""
    try:
        return build()
    except ValueError as error:
        missing.append(f"{name}: {error}")
        return {}


def social_care_wres(
    snapshots: Sequence[tuple[date, pl.DataFrame]],
    *,
    directorates: Sequence[str],
    applications: pl.DataFrame | None = None,
    cases: pl.DataFrame | None = None,
    development: pl.DataFrame | None = None,
    leavers: pl.DataFrame | None = None,
    population: pl.DataFrame | None = None,
) -> dict[str, pl.DataFrame]:
    """The Social Care WRES for the staff of `directorates` (exact figures).

    Returns `social_care_wres_return` (the nine metrics as a council submits them) and every
    table it was picked from, computed on the social care subset: the workforce tables of
    the latest snapshot, and the recruitment (applications whose `directorate` is one of
    them), casework (cases of staff in those directorates), development and movement
    families. For non-personal users protect each family (and the workforce tables) and
    call `social_care_wres_return` on the protected tables. `social_care_wres_notes` says
    which metrics had no data and why."""
    from equitable.metrics.figures import compute_all

    chosen = frozenset(directorates)
    if not chosen:
        raise ValueError("name the social care directorates")
    subset = [(day, _in_directorates(frame, chosen)) for day, frame in sorted(snapshots)]
    if not subset:
        raise ValueError("the Social Care WRES needs at least one workforce snapshot")
    missing: list[str] = []
    tables: dict[str, pl.DataFrame] = {}
    workforce = compute_all(subset[-1][1], population)
    for name in ("representation_by_pay_band", "representation_overall"):
        if name in workforce:
            tables[name] = workforce[name]
    if "representation_in_leadership_tiers" in workforce:
        tables["representation_in_leadership_tiers"] = workforce[
            "representation_in_leadership_tiers"
        ]
    if applications is not None:
        from equitable.metrics.lifecycle.recruitment import recruitment_tables

        if "directorate" in applications.columns:
            applications = _in_directorates(applications, chosen)
        else:
            missing.append("recruitment: applications have no directorate: all are counted")
        tables |= _family(lambda: recruitment_tables(applications), "recruitment", missing)
    if cases is not None:
        from equitable.metrics.lifecycle.casework import casework_tables

        keys = pl.concat([f.select("employee_key") for _, f in subset]).unique()
        of_staff = cases.join(keys, on="employee_key", how="semi")
        dropped = cases.height - of_staff.height
        if dropped:
            missing.append(
                f"casework: {dropped} cases not linked to a social care snapshot are left out"
            )
        tables |= _family(lambda: casework_tables(of_staff, subset), "casework", missing)
    if development is not None:
        from equitable.metrics.lifecycle.development import development_tables

        tables |= _family(lambda: development_tables(development, subset), "development", missing)
    if len(subset) >= 2:
        from equitable.metrics.lifecycle.movements import movement_tables

        tables |= _family(lambda: movement_tables(subset, leavers), "movements", missing)
    else:
        missing.append("leaving (metric 8) needs two snapshots")
    tables["social_care_wres_return"] = social_care_wres_return(tables)
    tables["social_care_wres_notes"] = pl.DataFrame(
        {"message": missing}, schema={"message": pl.String}
    )
    return tables


__all__ = [
    "FROM_DATA",
    "FROM_SURVEYS",
    "LAYOUTS",
    "NO_DATA",
    "social_care_wres",
    "social_care_wres_return",
    "wres_indicators",
]
