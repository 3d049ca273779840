"""A synthetic HR extract shaped like the council in seed 000, of any size, for demos, tests
and benchmarks.

The shape: five directorates; pay bands 1 to 6 (band 6 = Director and above, few people);
ethnicity by pay band drawn from the proportions behind "Figure 3. A breakdown of ethnic groups
in pay bands" at the end of seed 000 (Asian, Black, Mixed, Other, White, Unknown per band);
band sizes from the same figures (the shares are k/207, k/871, k/506, k/201, k/36 and k/14 of a
1,835-strong workforce); about 4.3% disabled (seed 002); leadership tiers for the top bands
(Corporate Strategic Board, Corporate Leadership Group, Leadership Forum: seed 000, Annex B).

Everything is drawn with numpy from one seeded generator, column by column, so ten million
rows take seconds and the same seed gives the same file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from equitable.metrics.schema import (
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    WEEKS_PER_YEAR,
    WHITE_BRITISH_CATEGORY,
)

BANDS = ("1", "2", "3", "4", "5", "6")
BAND_SIZES = np.array([207, 871, 506, 201, 36, 14], dtype=float)  # seed 000, Figure 3
GROUP_ORDER = ("Asian", "Black", "Mixed", "Other", "White", "Unknown")
# Seed 000, Figure 3: share of each group in each pay band (rows = bands 1..6).
GROUP_BY_BAND = np.array(
    [
        [0.22705314, 0.14975845, 0.03864734, 0.00966184, 0.42512077, 0.14975845],
        [0.28128588, 0.18714122, 0.02985075, 0.01607348, 0.40528129, 0.08036739],
        [0.26877470, 0.16007905, 0.02569170, 0.01581028, 0.44466403, 0.08498024],
        [0.20398010, 0.12935323, 0.02985075, 0.00497512, 0.52736318, 0.10447761],
        [0.13888889, 0.08333333, 0.02777778, 0.02777778, 0.69444444, 0.02777778],
        [0.00000000, 0.07142857, 0.00000000, 0.00000000, 0.71428571, 0.21428571],
    ]
)
# How each high-level group spreads over its detailed categories (plausible for outer London).
DETAIL_SHARES: dict[str, dict[str, float]] = {
    "Asian": {
        "Indian": 0.46,
        "Other Asian": 0.28,
        "Pakistani": 0.12,
        "Bangladeshi": 0.06,
        "Chinese": 0.08,
    },
    "Black": {"African": 0.52, "Caribbean": 0.38, "Other Black": 0.10},
    "Mixed": {
        "White and Black Caribbean": 0.34,
        "White and Asian": 0.27,
        "White and Black African": 0.14,
        "Other Mixed or Multiple ethnic groups": 0.25,
    },
    "Other": {"Arab": 0.40, "Any other ethnic group": 0.60},
    "White": {
        WHITE_BRITISH_CATEGORY: 0.62,
        "Irish": 0.08,
        "Other White": 0.285,
        "Gypsy or Irish Traveller": 0.005,
        "Roma": 0.01,
    },
    "Unknown": {PREFER_NOT_TO_SAY: 0.4, "": 0.6},  # "" = left blank ("Not known")
}
# HR-export spellings used when `variant_share` > 0 (what the importer must recognise).
VARIANTS = {
    "Indian": "Asian or Asian British - Indian",
    "Pakistani": "Asian or Asian British - Pakistani",
    "Bangladeshi": "Asian or Asian British - Bangladeshi",
    "Other Asian": "Any other Asian background",
    "African": "Black or Black British - African",
    "Caribbean": "Black or Black British - Caribbean",
    "Other Black": "Any other Black background",
    "White and Black Caribbean": "Mixed - White and Black Caribbean",
    "White and Asian": "Mixed - White and Asian",
    "Other Mixed or Multiple ethnic groups": "Any other mixed background",
    WHITE_BRITISH_CATEGORY: "White - British",
    "Irish": "White - Irish",
    "Other White": "Any other White background",
    PREFER_NOT_TO_SAY: "Not stated",
}
DIRECTORATES = {  # name: (share of staff, divisions)
    "People": (0.36, ("Adult Social Care", "Children's Services", "Education", "Public Health")),
    "Place": (0.24, ("Environment", "Housing", "Planning", "Regeneration")),
    "Resources": (0.20, ("Finance", "HR and OD", "Legal", "Digital")),
    "Community": (0.15, ("Libraries", "Community Safety", "Customer Services")),
    "Chief Executive's": (0.05, ("Policy", "Communications", "Strategy")),
}
GRADES = {
    "1": ("G1", "G2", "G3"),
    "2": ("G4", "G5", "G6", "G7", "G8"),
    "3": ("G9", "G10", "G11"),
    "4": ("MG1", "MG2", "MG3"),
    "5": ("MG4", "D1"),
    "6": ("D2", "D3", "Chief Executive"),
}
# FTE annual salary range per band (pounds); pay sits on spinal points (ties, as in real pay).
# Band 1 starts above the National Living Wage of April 2026 (£12.71 × 52.143 × 36 = £23,858 a
# year), so that a synthetic extract of any recent snapshot date passes the import's check
# for pay below the legal minimum (equitable.metrics.minimum_wage).
SALARY_RANGES = {
    "1": (24_500, 27_000),
    "2": (27_500, 36_000),
    "3": (36_500, 47_000),
    "4": (48_000, 62_000),
    "5": (64_000, 85_000),
    "6": (90_000, 190_000),
}
SPINE_POINTS_PER_BAND = 12
STANDARD_WEEKLY_HOURS = 36.0
FEMALE_SHARE_BY_BAND = (0.66, 0.64, 0.60, 0.55, 0.50, 0.45)
SEXUAL_ORIENTATION_SHARES = {
    "Straight or Heterosexual": 0.78,
    "Gay or Lesbian": 0.025,
    "Bisexual": 0.015,
    "Other sexual orientation": 0.005,
    PREFER_NOT_TO_SAY: 0.075,
    "": 0.10,
}
RELIGION_SHARES = {
    "Christian": 0.33,
    "Hindu": 0.18,
    "Muslim": 0.12,
    "No religion": 0.17,
    "Jewish": 0.03,
    "Sikh": 0.015,
    "Buddhist": 0.01,
    "Other religion": 0.015,
    PREFER_NOT_TO_SAY: 0.06,
    "": 0.07,
}
CONTRACT_SHARES = {"Permanent": 0.88, "Fixed term": 0.09, "Casual": 0.03}
DEFAULT_SNAPSHOT = date(2024, 3, 31)


def _pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    """Codes 0..len(shares)-1 drawn with the given (renormalised) shares."""
    p = np.array(list(shares.values()), dtype=float)
    cumulative = np.cumsum(p / p.sum())
    return np.searchsorted(cumulative, rng.random(n), side="right").clip(0, len(p) - 1)


def _labels(labels, codes: np.ndarray, name: str) -> pl.Series:
    """Text column from codes; "" becomes null (a blank cell)."""
    series = pl.Series(name, list(labels), dtype=pl.String).gather(
        pl.Series(codes.astype(np.uint32))
    )
    return series.replace("", None) if "" in labels else series


def generate_workforce(
    n: int, seed: int, *, variant_share: float = 0.0, snapshot_date: date = DEFAULT_SNAPSHOT
) -> pl.DataFrame:
    """`n` synthetic employees in the canonical extract layout, the same for the same seed.

    Columns hold text as a council's file would (blank = null); `variant_share` of the
    ethnicity cells use HR-export spellings ("Asian or Asian British - Indian") instead of the
    ONS names.
    """
    if n < 0:
        raise ValueError("the number of employees cannot be negative")
    rng = np.random.default_rng(seed)
    band = _pick(rng, dict(zip(BANDS, BAND_SIZES, strict=True)), n)

    # Ethnicity: the group by band (seed 000), then a detailed category within the group.
    u = rng.random(n)
    group = np.empty(n, dtype=np.int64)
    cumulative = np.cumsum(GROUP_BY_BAND / GROUP_BY_BAND.sum(axis=1, keepdims=True), axis=1)
    for b in range(len(BANDS)):
        in_band = band == b
        group[in_band] = np.searchsorted(cumulative[b], u[in_band], side="right").clip(0, 5)
    detailed_labels: list[str] = []
    detail = np.empty(n, dtype=np.int64)
    for g, name in enumerate(GROUP_ORDER):
        shares = DETAIL_SHARES[name]
        in_group = group == g
        detail[in_group] = len(detailed_labels) + _pick(rng, shares, int(in_group.sum()))
        detailed_labels.extend(shares)
    if variant_share > 0:
        use_variant = rng.random(n) < variant_share
        variant_labels = [VARIANTS.get(label, label) for label in detailed_labels]
        detail = np.where(use_variant, detail + len(detailed_labels), detail)
        detailed_labels = detailed_labels + variant_labels

    female = rng.random(n) < np.array(FEMALE_SHARE_BY_BAND)[band]
    sex_code = np.where(female, 0, 1)
    sex_unknown = rng.random(n)
    sex_code = np.where(sex_unknown < 0.01, 2, np.where(sex_unknown < 0.02, 3, sex_code))
    disability = _pick(
        rng, {"Disabled": 0.043, "Not disabled": 0.777, PREFER_NOT_TO_SAY: 0.08, "": 0.10}, n
    )

    directorate_names = list(DIRECTORATES)
    directorate = _pick(rng, {k: v[0] for k, v in DIRECTORATES.items()}, n)
    division_labels: list[str] = []
    division = np.empty(n, dtype=np.int64)
    for d, name in enumerate(directorate_names):
        divisions = DIRECTORATES[name][1]
        mask = directorate == d
        division[mask] = len(division_labels) + rng.integers(0, len(divisions), int(mask.sum()))
        division_labels.extend(divisions)

    grade_labels: list[str] = []
    grade = np.empty(n, dtype=np.int64)
    for b, name in enumerate(BANDS):
        grades = GRADES[name]
        mask = band == b
        grade[mask] = len(grade_labels) + rng.integers(0, len(grades), int(mask.sum()))
        grade_labels.extend(grades)

    # Leadership tiers: band 6 splits into the board and the leadership group; band 5 and the
    # top of band 4 form the Leadership Forum.
    tier_draw = rng.random(n)
    tier = np.full(n, 3)  # 3 = none
    tier[(band == 5) & (tier_draw < 0.35)] = 0
    tier[(band == 5) & (tier_draw >= 0.35)] = 1
    tier[band == 4] = 2
    tier[(band == 3) & (tier_draw < 0.10)] = 2
    tier_labels = (
        "Corporate Strategic Board",
        "Corporate Leadership Group",
        "Leadership Forum",
        "",
    )

    # Pay: a spinal point within the band's range, a little lower on average for Black, Asian
    # and Multi-ethnic staff and for women (so that the figures show gaps, as the seed's do).
    low = np.array([SALARY_RANGES[b][0] for b in BANDS], dtype=float)[band]
    high = np.array([SALARY_RANGES[b][1] for b in BANDS], dtype=float)[band]
    position = rng.beta(2.0, 2.0, n)
    minority = (group <= 3).astype(float)
    position = np.clip(position - 0.08 * minority - 0.04 * female, 0.0, 1.0)
    point = np.rint(position * (SPINE_POINTS_PER_BAND - 1))
    salary = np.round(low + (high - low) * point / (SPINE_POINTS_PER_BAND - 1), 0)
    hourly = np.round(salary / (WEEKS_PER_YEAR * STANDARD_WEEKLY_HOURS), 2)
    part_time = rng.random(n) < 0.22
    fte = np.where(part_time, np.round(rng.uniform(0.4, 0.9, n), 2), 1.0)
    hours = np.round(fte * STANDARD_WEEKLY_HOURS, 1)
    bonus_chance = np.array([0.03, 0.05, 0.07, 0.10, 0.15, 0.20])[band] * (1 - 0.3 * minority)
    has_bonus = rng.random(n) < bonus_chance
    bonus = np.where(has_bonus, np.round(rng.uniform(150, 2500, n) * (1 + band * 0.5), 0), np.nan)

    age = np.clip(np.rint(rng.normal(44 + 2.5 * band, 10.5, n)), 17, 67).astype(np.int64)
    snapshot_ordinal = snapshot_date.toordinal()
    born = snapshot_ordinal - age * 365 - rng.integers(0, 365, n)
    years_working = np.minimum(rng.exponential(9.0, n), age - 16)
    started = snapshot_ordinal - (years_working * 365.25).astype(np.int64)
    epoch = date(1970, 1, 1).toordinal()

    orientation = _pick(rng, SEXUAL_ORIENTATION_SHARES, n)
    religion = _pick(rng, RELIGION_SHARES, n)
    contract = _pick(rng, CONTRACT_SHARES, n)
    ids = rng.permutation(n) + 100_001

    return pl.DataFrame(
        [
            pl.Series("employee_id", ids).cast(pl.String),
            _labels(detailed_labels, detail, "ethnicity"),
            _labels(("Female", "Male", NOT_KNOWN, PREFER_NOT_TO_SAY), sex_code, "sex").replace(
                NOT_KNOWN, None
            ),
            _labels(("Disabled", "Not disabled", PREFER_NOT_TO_SAY, ""), disability, "disability"),
            _labels(BANDS, band, "pay_band"),
            _labels(grade_labels, grade, "grade"),
            _labels(directorate_names, directorate, "directorate"),
            _labels(division_labels, division, "division"),
            _labels(tier_labels, tier, "leadership_tier"),
            pl.Series("fte", fte),
            pl.Series("weekly_hours", hours),
            pl.Series("hourly_pay", hourly),
            pl.Series("annual_salary", salary),
            pl.Series("bonus_pay", bonus, nan_to_null=True),
            pl.Series("date_of_birth", born - epoch).cast(pl.Int32).cast(pl.Date),
            _labels(list(SEXUAL_ORIENTATION_SHARES), orientation, "sexual_orientation"),
            _labels(list(RELIGION_SHARES), religion, "religion"),
            pl.Series("start_date", started - epoch).cast(pl.Int32).cast(pl.Date),
            _labels(list(CONTRACT_SHARES), contract, "contract_type"),
        ]
    )


def write_workforce_csv(frame: pl.DataFrame, path: str | Path) -> Path:
    """Write the extract as a council would send it: UTF-8 CSV, ISO dates, pence precision.

    Polars writes it directly (benchmarks write 10 million rows): every value is generated here
    from fixed vocabularies, ids and positive amounts, so none can start a formula. Exports of
    anything a person typed go through equitable.files.tabular instead."""
    path = Path(path)
    frame.write_csv(path, float_precision=2, date_format="%Y-%m-%d")
    return path


def write_workforce_xlsx(frame: pl.DataFrame, path: str | Path) -> Path:
    """Write the extract as an Excel workbook (one sheet), for small demo files."""
    from equitable.files import tabular

    path = Path(path)
    path.write_bytes(
        tabular.xlsx_bytes([("Workforce", frame.columns, frame.iter_rows())], write_only=True)
    )
    return path
