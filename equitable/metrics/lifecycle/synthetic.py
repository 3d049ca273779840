"""Synthetic lifecycle records consistent with given workforce snapshots: recruitment
applications, casework, non-mandatory training and a leavers file, for the demo council, the
tests and the benchmark.

Consistent means the records tell the same story as the snapshots:

* **applications** cover the financial year that ends on each snapshot date. Every vacancy is
  a job filled in that year: an external one for each starter (in the snapshot, absent from the
  previous one, or in the first snapshot with a start date in the year) and an internal one for
  each promotion (pay band up between consecutive snapshots; in the first year a small sample of
  staff stands in, as no earlier snapshot says who was promoted). The appointee is that person,
  with their characteristics, so appointments match the starters and promotions. The other
  applicants are drawn around them: internal ones from the staff of the year's first snapshot,
  external ones from the demo council's resident mix (`population.DEMO_DETAILED_COUNTS`). How
  far each reaches is chosen so that White shortlisted applicants are about
  `APPOINTMENT_DISPARITY` (1.6) times as likely to be appointed as Black, Asian and
  Multi-ethnic ones, the shape of the disparity the WRES reports (indicator 2);
* **leavers** are exactly the people in one snapshot and not the next, with a reason that
  fits them (retirement from 60, end of contract for fixed-term staff, dismissal for a few,
  each of whom also has a disciplinary case ending in dismissal);
* **cases** are opened in each year on the staff of the snapshot ending it, at rates per type
  with a modest over-representation of Black staff in disciplinaries and of disabled staff in
  capability, fitness to practise only in the social care services;
* **development** records who accessed non-mandatory training in each year, White staff a
  little more often (the WRES indicator 4 pattern).

Every column is written as a council's file would hold it (`employee_id`, canonical values,
ISO dates), to go through `equitable.metrics.lifecycle.records` like any upload. The identity
written as `employee_id` is the snapshot's own: its `employee_id` column when the frames are
raw extracts, else its `employee_key` (the demo's stored snapshots, whose records are then
stored with that key). Everything is drawn with numpy from generators seeded by `seed`, so the
same snapshots and seed give the same records, and a million applications take about a second.

Pure module (polars and numpy, no Django).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from equitable.metrics.labels import ETHNICITY_TO_GROUP, NOT_KNOWN, PREFER_NOT_TO_SAY
from equitable.metrics.population import DEMO_DETAILED_COUNTS

Snapshots = Sequence[tuple[date, pl.DataFrame]]

STAGES = ("applied", "longlisted", "shortlisted", "interviewed", "offered", "appointed")
GROUPS = ("Asian", "Black", "Mixed", "Other", "White", "Unknown")
WHITE_CODE = GROUPS.index("White")
UNKNOWN_CODE = GROUPS.index("Unknown")
BLACK_CODE = GROUPS.index("Black")

# Recruitment. White shortlisted applicants' chance of appointment, and how many times that
# of Black, Asian and Multi-ethnic shortlisted applicants it is (people of unknown ethnicity
# sit in between).
WHITE_APPOINTMENT_RATE = 0.30
APPOINTMENT_DISPARITY = 1.6
UNKNOWN_APPOINTMENT_RATE = 0.24
APPLICANTS_PER_VACANCY = 24  # mean, appointee included
INTERNAL_APPLICANT_SHARE = 0.18
FIRST_YEAR_INTERNAL_APPOINTMENTS = 0.03  # of the first snapshot's staff in bands above the lowest
WITHDRAWN_SHARE = 0.04
INTERVIEWED_OF_SHORTLISTED = 0.85
OFFERED_OF_INTERVIEWED = 0.08  # offered and then declined
LONGLISTED_OF_NOT_SHORTLISTED = 0.45
AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65+")
APPLICANT_AGE_SHARES = (0.20, 0.30, 0.22, 0.16, 0.10, 0.02)
APPLICANT_SEX_SHARES = {"Female": 0.60, "Male": 0.37, PREFER_NOT_TO_SAY: 0.02, NOT_KNOWN: 0.01}
APPLICANT_DISABILITY_SHARES = {
    "Disabled": 0.08,
    "Not disabled": 0.84,
    PREFER_NOT_TO_SAY: 0.05,
    NOT_KNOWN: 0.03,
}
APPLICANT_UNDISCLOSED_ETHNICITY = {PREFER_NOT_TO_SAY: 0.04, NOT_KNOWN: 0.02}

# Casework: cases opened a year per member of staff, by type, and the multiplier for Black
# staff (disciplinary), disabled staff (capability).
CASE_RATES = {
    "disciplinary": 0.012,
    "grievance": 0.010,
    "capability": 0.005,
    "bullying_harassment": 0.003,
    "dignity_at_work": 0.004,
    "mediation": 0.004,
    "whistleblowing": 0.0005,
    "fitness_to_practise": 0.006,  # social care staff only
}
BLACK_DISCIPLINARY_MULTIPLIER = 1.5
DISABLED_CAPABILITY_MULTIPLIER = 1.6
FORMAL_SHARE = {
    "disciplinary": 0.85,
    "grievance": 0.6,
    "capability": 0.7,
    "bullying_harassment": 0.7,
    "dignity_at_work": 0.5,
    "mediation": 0.0,
    "whistleblowing": 1.0,
    "fitness_to_practise": 1.0,
}
DISCIPLINARY_OUTCOMES = {
    "no case to answer": 0.30,
    "informal action": 0.22,
    "written warning": 0.30,
    "final warning": 0.18,
}
COMPLAINT_OUTCOMES = {"upheld": 0.25, "partly upheld": 0.30, "not upheld": 0.45}
MEDIATION_OUTCOMES = {"resolved at mediation": 0.7, "": 0.3}
SOCIAL_CARE = ("Adult Social Care", "Children's Services")
SOCIAL_CARE_DIRECTORATES = ("People", "Adult Social Care", "Children's Services", "Social Care")

# Development: the chance of accessing non-mandatory training in a year.
WHITE_TRAINING_RATE = 0.30
OTHER_TRAINING_RATE = 0.25

# Leavers: reasons, and the share of leavers dismissed.
DISMISSED_SHARE = 0.03
DEATH_IN_SERVICE_SHARE = 0.004
RETIREMENT_AGE = 60


@dataclass(frozen=True)
class LifecycleRecords:
    """The four synthetic files, each a frame in the canonical layout of its record kind."""

    applications: pl.DataFrame
    cases: pl.DataFrame
    leavers: pl.DataFrame
    development: pl.DataFrame


def financial_year(ending: date) -> str:
    """ "2024-25" for the year 1 April 2024 to 31 March 2025 (the year ending on `ending`)."""
    start = ending.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def _rng(seed: int, stream: int) -> np.random.Generator:
    """An independent generator per kind of record, so adding one never changes the others."""
    return np.random.default_rng([seed, stream])


def _year_start(ending: date) -> date:
    return date(ending.year - 1, ending.month, ending.day) + timedelta(days=1)


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(shares.values()), dtype=float)
    cumulative = np.cumsum(p / p.sum())
    return np.searchsorted(cumulative, rng.random(n), side="right").clip(0, len(p) - 1)


def _labels(labels: Sequence[str], codes: np.ndarray, name: str) -> pl.Series:
    series = pl.Series(name, list(labels), dtype=pl.String).gather(
        pl.Series(codes.astype(np.uint32))
    )
    return series.replace("", None) if "" in labels else series


def _dates(start: date, days: np.ndarray, name: str) -> pl.Series:
    epoch = date(1970, 1, 1).toordinal()
    return (
        pl.Series(name, start.toordinal() - epoch + days.astype(np.int64))
        .cast(pl.Int32)
        .cast(pl.Date)
    )


# --- the people of a snapshot ----------------------------------------------------------------


def identity_column(frame: pl.DataFrame) -> str:
    """The snapshot's own identity: raw `employee_id` if it has one, else `employee_key`."""
    for name in ("employee_id", "employee_key"):
        if name in frame.columns:
            return name
    raise ValueError("a snapshot frame needs an employee_id or employee_key column")


def _text(frame: pl.DataFrame, name: str, default: str | None = None) -> pl.Expr:
    if name not in frame.columns:
        return pl.lit(default, dtype=pl.String).alias(name)
    expr = pl.col(name).cast(pl.String)
    return (expr.fill_null(default) if default is not None else expr).alias(name)


def people(frame: pl.DataFrame, on: date) -> pl.DataFrame:
    """The columns the generators use, from a raw extract or a validated snapshot frame:
    `person` (the identity), canonical characteristics (blank = "Not known"), `group` (the
    high-level ethnic group code), `age`, the job columns and the start date."""
    ident = identity_column(frame)
    if "age" in frame.columns:
        age = pl.col("age").cast(pl.Int32)
    elif "date_of_birth" in frame.columns:
        age = ((pl.lit(on) - pl.col("date_of_birth").cast(pl.Date)).dt.total_days() // 365).cast(
            pl.Int32
        )
    else:
        age = pl.lit(None, dtype=pl.Int32)
    group_codes = {value: GROUPS.index(group) for value, group in ETHNICITY_TO_GROUP.items()}
    start = (
        pl.col("start_date").cast(pl.Date)
        if "start_date" in frame.columns
        else pl.lit(None, dtype=pl.Date)
    )
    table = frame.select(
        pl.col(ident).cast(pl.String).alias("person"),
        _text(frame, "ethnicity", NOT_KNOWN).replace("", NOT_KNOWN),
        _text(frame, "sex", NOT_KNOWN),
        _text(frame, "disability", NOT_KNOWN),
        age.alias("age"),
        _text(frame, "pay_band"),
        _text(frame, "grade"),
        _text(frame, "directorate"),
        _text(frame, "division"),
        _text(frame, "contract_type"),
        start.alias("start_date"),
    )
    return table.with_columns(
        pl.col("ethnicity")
        .replace_strict(group_codes, default=UNKNOWN_CODE, return_dtype=pl.Int8)
        .alias("group")
    )


def _band_rank(band: pl.Expr) -> pl.Expr:
    """Pay bands compare as numbers where they are numbers ("10" above "9"), else as text."""
    return band.cast(pl.Int64, strict=False)


def _age_band(age: np.ndarray) -> np.ndarray:
    edges = np.array([25, 35, 45, 55, 65])
    return np.searchsorted(edges, np.nan_to_num(age, nan=40), side="right")


def _prepared(snapshots: Snapshots) -> list[tuple[date, pl.DataFrame]]:
    ordered = sorted(snapshots, key=lambda pair: pair[0])
    if not ordered:
        raise ValueError("at least one snapshot is needed")
    return [(on, people(frame, on)) for on, frame in ordered]


# --- movements the records follow ------------------------------------------------------------


def _starters(previous: pl.DataFrame | None, current: pl.DataFrame, year_start: date):
    if previous is None:
        return current.filter(pl.col("start_date") >= year_start)
    return current.join(previous.select("person"), on="person", how="anti")


def _promotions(previous: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    before = previous.select("person", _band_rank(pl.col("pay_band")).alias("_before"))
    return (
        current.join(before, on="person", how="inner")
        .filter(_band_rank(pl.col("pay_band")) > pl.col("_before"))
        .drop("_before")
    )


def _leaver_frames(prepared) -> list[tuple[date, date, pl.DataFrame]]:
    out = []
    for (start, before), (end, after) in zip(prepared, prepared[1:], strict=False):
        out.append((start, end, before.join(after.select("person"), on="person", how="anti")))
    return out


# --- leavers -----------------------------------------------------------------------------------


def generate_leavers(snapshots: Snapshots, seed: int) -> pl.DataFrame:
    """One row per person in a snapshot and not in the next: `employee_id`, `leaving_date`
    (in the months between), `reason` (resignation, dismissal, redundancy, end of contract,
    retirement, death in service, other)."""
    rng = _rng(seed, 1)
    frames = []
    for start, end, gone in _leaver_frames(_prepared(snapshots)):
        n = gone.height
        span = (end - start).days
        age = gone["age"].to_numpy().astype(float)
        fixed = (gone["contract_type"] == "Fixed term").fill_null(False).to_numpy()
        u = rng.random(n)
        reason = np.where(u < 0.08, "redundancy", np.where(u < 0.13, "other", "resignation"))
        reason = np.where(
            np.nan_to_num(age, nan=0) >= RETIREMENT_AGE,
            np.where(rng.random(n) < 0.7, "retirement", reason),
            reason,
        )
        reason = np.where(fixed & (rng.random(n) < 0.6), "end of contract", reason)
        special = rng.random(n)
        reason = np.where(special < DISMISSED_SHARE, "dismissal", reason)
        reason = np.where(
            (special >= DISMISSED_SHARE) & (special < DISMISSED_SHARE + DEATH_IN_SERVICE_SHARE),
            "death in service",
            reason,
        )
        frames.append(
            pl.DataFrame(
                [
                    gone["person"].alias("employee_id"),
                    _dates(start, rng.integers(1, span + 1, n), "leaving_date"),
                    pl.Series("reason", reason.astype(str).tolist(), dtype=pl.String),
                ]
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={"employee_id": pl.String, "leaving_date": pl.Date, "reason": pl.String}
        )
    return pl.concat(frames)


# --- applications ------------------------------------------------------------------------------


def _vacancies(prepared, rng: np.random.Generator) -> pl.DataFrame:
    """One row per job filled in each year: the appointee and whether they were internal."""
    rows = []
    previous = None
    for index, (end, current) in enumerate(prepared):
        start = _year_start(end)
        external = _starters(previous, current, start).with_columns(internal=pl.lit(False))
        if previous is None:
            eligible = current.filter(
                _band_rank(pl.col("pay_band")).fill_null(2) > 1, pl.col("start_date") < start
            )
            chosen = rng.random(eligible.height) < FIRST_YEAR_INTERNAL_APPOINTMENTS
            internal = eligible.filter(pl.Series(chosen))
        else:
            internal = _promotions(previous, current)
        internal = internal.with_columns(internal=pl.lit(True))
        filled = pl.concat([external, internal]).with_columns(
            year=pl.lit(index, dtype=pl.Int32), year_end=pl.lit(end)
        )
        rows.append(filled)
        previous = current
    return pl.concat(rows)


def _appointment_day(vacancies: pl.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Days from the year's start to the decision: a month or two before an external starter
    started, any time in the year for a promotion."""
    n = vacancies.height
    year_days = 365
    random_day = rng.integers(45, year_days, n)
    ends = vacancies["year_end"].to_numpy().astype("datetime64[D]").astype(np.int64)
    starts = ends - year_days + 1
    started = vacancies["start_date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    offset = started - starts - rng.integers(20, 60, n)
    usable = (~vacancies["internal"].to_numpy()) & (offset >= 30) & (offset < year_days)
    return np.where(usable, offset, random_day)


def _appointment_rates() -> np.ndarray:
    rates = np.full(len(GROUPS), WHITE_APPOINTMENT_RATE / APPOINTMENT_DISPARITY)
    rates[WHITE_CODE] = WHITE_APPOINTMENT_RATE
    rates[UNKNOWN_CODE] = UNKNOWN_APPOINTMENT_RATE
    return rates


def _external_applicants(rng: np.random.Generator, n: int) -> dict[str, np.ndarray | list]:
    mix = {**{k: float(v) for k, v in DEMO_DETAILED_COUNTS.items()}}
    total = sum(mix.values())
    undisclosed = sum(APPLICANT_UNDISCLOSED_ETHNICITY.values())
    shares = {k: v / total * (1 - undisclosed) for k, v in mix.items()}
    shares.update(APPLICANT_UNDISCLOSED_ETHNICITY)
    ethnicity_labels = list(shares)
    return {
        "ethnicity": np.array(ethnicity_labels, dtype=object)[_pick(rng, shares, n)],
        "sex": np.array(list(APPLICANT_SEX_SHARES), dtype=object)[
            _pick(rng, APPLICANT_SEX_SHARES, n)
        ],
        "disability": np.array(list(APPLICANT_DISABILITY_SHARES), dtype=object)[
            _pick(rng, APPLICANT_DISABILITY_SHARES, n)
        ],
        "age_band": _pick(rng, dict(zip(AGE_BANDS, APPLICANT_AGE_SHARES, strict=True)), n),
    }


def _stage_codes(
    groups: np.ndarray, appointed_by_group: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """The furthest stage of each applicant not appointed. Each group's chance of reaching the
    shortlist is solved so that its shortlisted applicants' appointment rate is the target:
    rate = appointed / (appointed + others shortlisted and not withdrawn), as the figures
    leave applicants who withdrew out of the pool."""
    others = np.bincount(groups, minlength=len(GROUPS)).astype(float) * (1 - WITHDRAWN_SHARE)
    rates = _appointment_rates()
    with np.errstate(divide="ignore", invalid="ignore"):
        shortlist_chance = appointed_by_group * (1 - rates) / (rates * others)
    shortlist_chance = np.clip(np.nan_to_num(shortlist_chance, nan=0.0), 0.0, 1.0)
    n = groups.size
    shortlisted = rng.random(n) < shortlist_chance[groups]
    interviewed = shortlisted & (rng.random(n) < INTERVIEWED_OF_SHORTLISTED)
    offered = interviewed & (rng.random(n) < OFFERED_OF_INTERVIEWED)
    longlisted = shortlisted | (rng.random(n) < LONGLISTED_OF_NOT_SHORTLISTED)
    return (
        longlisted.astype(np.int8)
        + shortlisted.astype(np.int8)
        + interviewed.astype(np.int8)
        + offered.astype(np.int8)
    )


def generate_applications(
    snapshots: Snapshots,
    seed: int,
    *,
    applications: int | None = None,
    applicants_per_vacancy: float = APPLICANTS_PER_VACANCY,
) -> pl.DataFrame:
    """One row per application in the financial years ending on the snapshot dates, in the
    canonical recruitment layout (`application_id`, `vacancy_id`, `pay_band`, `grade`,
    `directorate`, `internal`, `ethnicity`, `sex`, `disability`, `age_band`, `stage_reached`,
    `withdrawn`, `date_applied`, `date_decided`). `applications` fixes the total (about; the
    applicants per vacancy then follow from it), else `applicants_per_vacancy` on average."""
    rng = _rng(seed, 2)
    prepared = _prepared(snapshots)
    vacancies = _vacancies(prepared, rng)
    v = vacancies.height
    if v == 0:
        raise ValueError("the snapshots show no starters or promotions to recruit for")
    mean = applications / v if applications is not None else applicants_per_vacancy
    extra = rng.poisson(max(mean - 1.0, 0.0), v)
    if applications is not None:  # make the total exact
        difference = applications - v - int(extra.sum())
        if difference:
            extra += np.bincount(rng.integers(0, v, abs(difference)), minlength=v) * np.sign(
                difference
            )
            extra = np.maximum(extra, 0)
    decision_day = _appointment_day(vacancies, rng)
    vacancy_of = np.repeat(np.arange(v), extra)
    m = vacancy_of.size

    # Applicants who were not appointed: internal ones are staff of the year's first snapshot.
    internal = rng.random(m) < INTERNAL_APPLICANT_SHARE
    years = vacancies["year"].to_numpy()[vacancy_of]
    ethnicity = np.empty(m, dtype=object)
    sex = np.empty(m, dtype=object)
    disability = np.empty(m, dtype=object)
    age_band = np.empty(m, dtype=np.int64)
    external = _external_applicants(rng, m)
    ethnicity[:] = external["ethnicity"]
    sex[:] = external["sex"]
    disability[:] = external["disability"]
    age_band[:] = external["age_band"]
    for year in range(len(prepared)):
        staff = prepared[max(year - 1, 0)][1]
        chosen = np.flatnonzero(internal & (years == year))
        if not chosen.size or not staff.height:
            continue
        rows = rng.integers(0, staff.height, chosen.size)
        ethnicity[chosen] = staff["ethnicity"].to_numpy()[rows]
        sex[chosen] = staff["sex"].to_numpy()[rows]
        disability[chosen] = staff["disability"].to_numpy()[rows]
        age_band[chosen] = _age_band(staff["age"].to_numpy().astype(float)[rows])
    group_codes = {value: GROUPS.index(group) for value, group in ETHNICITY_TO_GROUP.items()}
    groups = (
        pl.Series(ethnicity.tolist(), dtype=pl.String)
        .replace_strict(group_codes, default=UNKNOWN_CODE, return_dtype=pl.Int8)
        .to_numpy()
        .astype(np.int64)
    )
    appointed_by_group = np.bincount(
        vacancies["group"].to_numpy().astype(np.int64), minlength=len(GROUPS)
    ).astype(float)
    stage = _stage_codes(groups, appointed_by_group, rng)
    withdrawn = rng.random(m) < WITHDRAWN_SHARE

    # Dates: applications in the six weeks before the closing date; the sift (applied,
    # longlisted) decided three weeks before the appointment, everyone else on its day.
    closing = np.maximum(decision_day - rng.integers(20, 40, v), 0)
    applied_day = np.maximum(closing[vacancy_of] - rng.integers(0, 42, m), 0)
    decided_day = np.where(stage <= 1, decision_day[vacancy_of] - 21, decision_day[vacancy_of])
    decided_day = np.maximum(decided_day, applied_day)

    vacancy_ids = pl.Series(
        [f"V{year + 1}-{i + 1:06d}" for i, year in enumerate(vacancies["year"].to_list())],
        dtype=pl.String,
    )
    year_starts = [_year_start(end) for end, _ in prepared]
    start_of = np.array([d.toordinal() for d in year_starts])
    epoch = date(1970, 1, 1).toordinal()

    def as_dates(days: np.ndarray, year_index: np.ndarray, name: str) -> pl.Series:
        return pl.Series(name, start_of[year_index] - epoch + days).cast(pl.Int32).cast(pl.Date)

    vyear = vacancies["year"].to_numpy()
    appointees = pl.DataFrame(
        [
            pl.Series("_vacancy", np.arange(v)),
            pl.Series("internal", vacancies["internal"].to_numpy()),
            vacancies["ethnicity"],
            vacancies["sex"],
            vacancies["disability"],
            _labels(AGE_BANDS, _age_band(vacancies["age"].to_numpy().astype(float)), "age_band"),
            pl.Series("stage_reached", ["appointed"] * v, dtype=pl.String),
            pl.Series("withdrawn", np.zeros(v, dtype=bool)),
            as_dates(np.maximum(closing - rng.integers(0, 42, v), 0), vyear, "date_applied"),
            as_dates(decision_day, vyear, "date_decided"),
        ]
    )
    others = pl.DataFrame(
        [
            pl.Series("_vacancy", vacancy_of),
            pl.Series("internal", internal),
            pl.Series("ethnicity", ethnicity.tolist(), dtype=pl.String),
            pl.Series("sex", sex.tolist(), dtype=pl.String),
            pl.Series("disability", disability.tolist(), dtype=pl.String),
            _labels(AGE_BANDS, age_band, "age_band"),
            _labels(STAGES, stage, "stage_reached"),
            pl.Series("withdrawn", withdrawn),
            as_dates(applied_day, years, "date_applied"),
            as_dates(decided_day, years, "date_decided"),
        ]
    )
    jobs = vacancies.select("pay_band", "grade", "directorate").with_columns(
        vacancy_id=vacancy_ids, _vacancy=pl.Series(np.arange(v))
    )
    order = rng.permutation(v + m)
    combined = pl.concat([appointees, others]).with_columns(_order=pl.Series(order))
    combined = combined.sort("_order").join(jobs, on="_vacancy", how="left", maintain_order="left")
    return combined.select(
        pl.format("A{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(7)).alias(
            "application_id"
        ),
        "vacancy_id",
        "pay_band",
        "grade",
        "directorate",
        _yes_no("internal"),
        "ethnicity",
        "sex",
        "disability",
        "age_band",
        "stage_reached",
        _yes_no("withdrawn"),
        "date_applied",
        "date_decided",
    )


def _yes_no(name: str) -> pl.Expr:
    return pl.when(pl.col(name)).then(pl.lit("yes")).otherwise(pl.lit("no")).alias(name)


# --- casework ----------------------------------------------------------------------------------


def _social_care(staff: pl.DataFrame) -> np.ndarray:
    division = staff["division"].is_in(list(SOCIAL_CARE)).fill_null(False)
    if staff["division"].null_count() == staff.height:  # no divisions: the directorate decides
        division = staff["directorate"].is_in(list(SOCIAL_CARE_DIRECTORATES)).fill_null(False)
    return division.to_numpy()


def _outcomes(rng: np.random.Generator, case_type: str, n: int, black: np.ndarray) -> list:
    if case_type in ("disciplinary", "capability", "fitness_to_practise"):
        shares = dict(DISCIPLINARY_OUTCOMES)
        codes = _pick(rng, shares, n)
        # A little more severe for Black staff: some "no case to answer" become warnings.
        harsher = black & (codes == 0) & (rng.random(n) < 0.2)
        codes = np.where(harsher, 2, codes)
        return [list(shares)[c] for c in codes]
    if case_type == "mediation":
        codes = _pick(rng, MEDIATION_OUTCOMES, n)
        return [list(MEDIATION_OUTCOMES)[c] or None for c in codes]
    if case_type == "whistleblowing":
        return [None] * n
    codes = _pick(rng, COMPLAINT_OUTCOMES, n)
    return [list(COMPLAINT_OUTCOMES)[c] for c in codes]


CASE_SCHEMA = {
    "case_id": pl.String,
    "employee_id": pl.String,
    "case_type": pl.String,
    "formal": pl.String,
    "date_opened": pl.Date,
    "date_closed": pl.Date,
    "outcome": pl.String,
}


def generate_cases(
    snapshots: Snapshots, seed: int, *, leavers: pl.DataFrame | None = None
) -> pl.DataFrame:
    """One row per case opened in each financial year ending on a snapshot date, on the staff
    of that snapshot (`case_id`, `employee_id`, `case_type`, `formal`, `date_opened`,
    `date_closed`, `outcome`), plus a formal disciplinary ending in dismissal for every leaver
    dismissed (`leavers` as `generate_leavers` gives it; generated from the same seed if not
    given)."""
    rng = _rng(seed, 3)
    prepared = _prepared(snapshots)
    parts = []
    for end, staff in prepared:
        start = _year_start(end)
        black = (staff["group"] == BLACK_CODE).to_numpy()
        disabled = (staff["disability"] == "Disabled").to_numpy()
        social_care = _social_care(staff)
        for case_type, rate in CASE_RATES.items():
            chance = np.full(staff.height, rate)
            if case_type == "disciplinary":
                chance = np.where(black, rate * BLACK_DISCIPLINARY_MULTIPLIER, chance)
            if case_type == "capability":
                chance = np.where(disabled, rate * DISABLED_CAPABILITY_MULTIPLIER, chance)
            if case_type == "fitness_to_practise":
                chance = np.where(social_care, rate, 0.0)
            chosen = np.flatnonzero(rng.random(staff.height) < chance)
            n = chosen.size
            opened = rng.integers(0, 330, n)
            closed = opened + rng.integers(10, 120, n)
            still_open = rng.random(n) < 0.08
            parts.append(
                pl.DataFrame(
                    [
                        staff["person"].gather(chosen).alias("employee_id"),
                        pl.Series("case_type", [case_type] * n, dtype=pl.String),
                        pl.Series(
                            "formal",
                            np.where(rng.random(n) < FORMAL_SHARE[case_type], "yes", "no").tolist(),
                            dtype=pl.String,
                        ),
                        _dates(start, opened, "date_opened"),
                        _dates(start, closed, "date_closed"),
                        pl.Series(
                            "outcome",
                            _outcomes(rng, case_type, n, black[chosen]),
                            dtype=pl.String,
                        ),
                        pl.Series("_open", still_open),
                    ]
                )
            )
    if leavers is None:
        leavers = generate_leavers(snapshots, seed)
    dismissed = leavers.filter(pl.col("reason") == "dismissal")
    n = dismissed.height
    parts.append(
        dismissed.select(
            "employee_id",
            pl.lit("disciplinary").alias("case_type"),
            pl.lit("yes").alias("formal"),
            (
                pl.col("leaving_date")
                - pl.duration(days=pl.lit(pl.Series(rng.integers(30, 90, n))))
            ).alias("date_opened"),
            pl.col("leaving_date").alias("date_closed"),
            pl.lit("dismissal").alias("outcome"),
            pl.lit(False).alias("_open"),
        )
    )
    cases = pl.concat(parts, how="vertical_relaxed").sort("date_opened", "employee_id")
    cases = cases.with_columns(
        pl.when(pl.col("_open")).then(None).otherwise(pl.col("date_closed")).alias("date_closed"),
        pl.when(pl.col("_open")).then(None).otherwise(pl.col("outcome")).alias("outcome"),
    )
    return cases.select(
        pl.format("C{}", pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(6)).alias(
            "case_id"
        ),
        *(c for c in CASE_SCHEMA if c != "case_id"),
    )


# --- development -------------------------------------------------------------------------------


def generate_development(snapshots: Snapshots, seed: int) -> pl.DataFrame:
    """One row per member of staff who accessed non-mandatory training or CPD in each financial
    year ending on a snapshot date (`employee_id`, `date`, `activity`)."""
    rng = _rng(seed, 4)
    activities = ("Leadership programme", "Coaching", "Professional qualification", "Course")
    parts = []
    for end, staff in _prepared(snapshots):
        start = _year_start(end)
        white = (staff["group"] == WHITE_CODE).to_numpy()
        chance = np.where(white, WHITE_TRAINING_RATE, OTHER_TRAINING_RATE)
        chosen = np.flatnonzero(rng.random(staff.height) < chance)
        n = chosen.size
        parts.append(
            pl.DataFrame(
                [
                    staff["person"].gather(chosen).alias("employee_id"),
                    _dates(start, rng.integers(0, 365, n), "date"),
                    _labels(activities, rng.integers(0, len(activities), n), "activity"),
                ]
            )
        )
    return pl.concat(parts)


# --- everything at once ------------------------------------------------------------------------


def generate_lifecycle(
    snapshots: Snapshots, seed: int, *, applications: int | None = None
) -> LifecycleRecords:
    """The four files for the snapshots, consistent with each other (dismissals are leavers)."""
    leavers = generate_leavers(snapshots, seed)
    return LifecycleRecords(
        applications=generate_applications(snapshots, seed, applications=applications),
        cases=generate_cases(snapshots, seed, leavers=leavers),
        leavers=leavers,
        development=generate_development(snapshots, seed),
    )


# --- workforce snapshots that move (benchmarks, command-line tests) ---------------------------


def _next_snapshot(
    raw: pl.DataFrame, rng: np.random.Generator, seed: int, previous: date, on: date, year: int
) -> pl.DataFrame:
    """A raw extract one year on: leavers go (more of the young), some stay and are promoted
    one band (White staff a little more often), a few change directorate, and as many
    starters as leavers join with start dates in the year."""
    from equitable.metrics import synthetic as workforce

    n = raw.height
    frame = people(raw, previous)
    age = frame["age"].to_numpy().astype(float)
    white = (frame["group"] == WHITE_CODE).to_numpy()
    leave_chance = np.where(np.nan_to_num(age, nan=40) < 25, 0.16, 0.085)
    leaving = rng.random(n) < leave_chance
    band = frame["pay_band"].cast(pl.Int64, strict=False).fill_null(0).to_numpy()
    promote = (
        ~leaving
        & (band >= 1)
        & (band < len(workforce.BANDS))
        & (rng.random(n) < np.where(white, 0.05, 0.04))
    )
    new_band = np.where(promote, band + 1, band).astype(np.int64)
    low = np.array([0.0] + [workforce.SALARY_RANGES[b][0] for b in workforce.BANDS])
    first_grade = [""] + [workforce.GRADES[b][0] for b in workforce.BANDS]
    names = list(workforce.DIRECTORATES)
    move = ~leaving & (rng.random(n) < 0.02)
    new_directorate = rng.integers(0, len(names), n)
    promoted = pl.Series(promote)
    moved = pl.Series(move)
    stayers = raw.with_columns(
        pl.when(promoted)
        .then(pl.Series(new_band.astype(str).tolist(), dtype=pl.String))
        .otherwise(pl.col("pay_band"))
        .alias("pay_band"),
        pl.when(promoted)
        .then(pl.Series([first_grade[b] for b in new_band], dtype=pl.String))
        .otherwise(pl.col("grade"))
        .alias("grade"),
        pl.when(promoted)
        .then(pl.Series(low[new_band]))
        .otherwise(pl.col("annual_salary"))
        .alias("annual_salary"),
        pl.when(promoted)
        .then(pl.Series(np.round(low[new_band] / (52.143 * 36.0), 2)))
        .otherwise(pl.col("hourly_pay"))
        .alias("hourly_pay"),
        pl.when(moved)
        .then(pl.Series([names[d] for d in new_directorate], dtype=pl.String))
        .otherwise(pl.col("directorate"))
        .alias("directorate"),
        pl.when(moved).then(None).otherwise(pl.col("division")).alias("division"),
    ).filter(~pl.Series(leaving))
    joiners = workforce.generate_workforce(int(leaving.sum()), seed * 31 + year, snapshot_date=on)
    span = (on - previous).days
    joiners = joiners.with_columns(
        pl.format("S{}-{}", pl.lit(year), pl.col("employee_id")).alias("employee_id"),
        _dates(previous, rng.integers(1, span + 1, joiners.height), "start_date"),
    )
    return pl.concat([stayers, joiners.select(stayers.columns)], how="vertical_relaxed")


def generate_snapshots(
    employees: int, seed: int, dates: Sequence[date] = ()
) -> list[tuple[date, pl.DataFrame]]:
    """Consecutive raw extracts (the canonical workforce layout, raw `employee_id`) of about
    `employees` staff each, dated 31 March 2023, 2024 and 2025 unless `dates` are given."""
    from equitable.metrics.synthetic import generate_workforce

    dates = tuple(dates) or (date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31))
    rng = _rng(seed, 5)
    raw = generate_workforce(employees, seed, snapshot_date=dates[0])
    out = [(dates[0], raw)]
    for year, on in enumerate(dates[1:], start=1):
        raw = _next_snapshot(raw, rng, seed, dates[year - 1], on, year)
        out.append((on, raw))
    return out


@dataclass(frozen=True)
class BenchmarkInputs:
    snapshots: list[tuple[date, pl.DataFrame]]  # raw extracts
    records: LifecycleRecords


def benchmark_inputs(
    seed: int, *, employees: int = 100_000, applications: int = 1_000_000
) -> BenchmarkInputs:
    """The benchmark's inputs: three snapshots of `employees` staff and lifecycle records with
    exactly `applications` applications."""
    snapshots = generate_snapshots(employees, seed)
    return BenchmarkInputs(
        snapshots, generate_lifecycle(snapshots, seed, applications=applications)
    )


# --- files -------------------------------------------------------------------------------------


def _write_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    """UTF-8 CSV, ISO dates, blanks for missing values. Every value comes from fixed
    vocabularies, generated ids and dates, so none can start a formula (exports of anything a
    person typed go through equitable.files.tabular instead)."""
    path = Path(path)
    frame.write_csv(path, date_format="%Y-%m-%d")
    return path


def write_applications_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    return _write_csv(frame, path)


def write_cases_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    return _write_csv(frame, path)


def write_leavers_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    return _write_csv(frame, path)


def write_development_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    return _write_csv(frame, path)


def write_snapshot_csv(frame: pl.DataFrame, on: date, path: str | Path) -> Path:
    """A raw extract with its `snapshot_date` column (the command line dates files by it)."""
    from equitable.metrics.synthetic import write_workforce_csv

    return write_workforce_csv(frame.with_columns(snapshot_date=pl.lit(on)), path)
