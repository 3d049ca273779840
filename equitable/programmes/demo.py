"""Demo programmes from seed 000's second theme (leadership, training and development), with
cohorts starting each April from 2023 and people drawn from the demo workforce snapshots, so
the 2023 and 2024 cohorts have later snapshots for their outcomes.

Who takes part is drawn at random from each cohort's eligible staff, Black, Asian and
Multi-ethnic staff more often (the programmes are aimed at them); some eligible staff applied
and were not chosen. The draw is seeded by the organisation, so every demo is the same.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import date

import polars as pl

from equitable.core.models import Organisation
from equitable.metrics.labels import UNKNOWN_GROUP, WHITE
from equitable.metrics.programmes.figures import Eligibility, start_snapshot
from equitable.programmes.models import Cohort, Participant, Programme
from equitable.workforce import services as workforce

K = Programme.Kind
# name, kind, description, eligibility, people per cohort, applicants per cohort, years
DEMO_PROGRAMMES = (
    (
        "Corporate Directors' sponsorship",
        K.SPONSORSHIP,
        "Each Corporate Director sponsors a member of staff at pay bands 4-5 (MG1-MG3 and MG4-D1).",
        Eligibility(pay_bands=("4", "5")),
        6,
        0,
        (2023, 2024, 2025),
    ),
    (
        "Corporate Leadership Forum sponsorship",
        K.SPONSORSHIP,
        "Each member of the Corporate Leadership Forum sponsors a member of staff at pay bands "
        "3-4 (G9-G11 and MG1-MG3) for 12 months.",
        Eligibility(pay_bands=("3", "4")),
        22,
        0,
        (2023, 2024, 2025),
    ),
    (
        "Leadership Forum mentoring",
        K.MENTORING,
        "Members of the Leadership Forum mentor a member of staff at pay bands 2-3 (G4-G8 and "
        "G9-G11) for 12 months.",
        Eligibility(pay_bands=("2", "3")),
        40,
        15,
        (2023, 2024, 2025),
    ),
    (
        "Reverse mentoring of the Corporate Leadership Group",
        K.REVERSE_MENTORING,
        "Members of the Corporate Leadership Group are mentored by Black, Asian and "
        "Multi-ethnic staff.",
        Eligibility(leadership_tiers=("Corporate Leadership Group",)),
        7,
        0,
        (2023,),
    ),
    (
        "Diversity Talent Management programme",
        K.TALENT,
        "For staff at G8-G11 aspiring to move into MG grades.",
        Eligibility(grades=("G8", "G9", "G10", "G11")),
        30,
        25,
        (2023, 2024, 2025),
    ),
    (
        "Black on Board",
        K.BLACK_ON_BOARD,
        "Develops the skills of aspiring future leaders among Black, Asian and Multi-ethnic staff.",
        Eligibility(pay_bands=("2", "3", "4")),
        18,
        20,
        (2023, 2024, 2025),
    ),
    (
        "Apprenticeships",
        K.APPRENTICESHIP,
        "Work-based apprenticeships paid for from the Apprenticeship Levy, leading to an "
        "accredited qualification.",
        Eligibility(),
        25,
        0,
        (2023, 2024, 2025),
    ),
    (
        "Summer secondments",
        K.SECONDMENT,
        "Secondments and project assignments across directorates.",
        Eligibility(),
        15,
        10,
        (2024, 2025),
    ),
)
# How much more often a Black, Asian or Multi-ethnic member of staff is drawn.
MINORITY_WEIGHT = 2.5


def _weights(frame: pl.DataFrame) -> list[float]:
    groups = frame["ethnic_group"].fill_null(UNKNOWN_GROUP).to_list()
    return [1.0 if g in (WHITE, UNKNOWN_GROUP) else MINORITY_WEIGHT for g in groups]


def _draw(rng: random.Random, keys: list[str], weights: list[float], count: int) -> list[str]:
    """`count` distinct keys, drawn with the weights (Efraimidis-Spirakis)."""
    scored = sorted(zip(keys, weights, strict=True), key=lambda kw: -(rng.random() ** (1 / kw[1])))
    return [key for key, _ in scored[:count]]


def cohort_people(
    rng: random.Random,
    eligible: pl.DataFrame,
    people: int,
    applicants: int,
) -> list[tuple[str, str]]:
    keys = eligible["employee_key"].to_list()
    chosen = _draw(rng, keys, _weights(eligible), min(len(keys), people + applicants))
    listed = []
    for position, key in enumerate(chosen):
        if position < people:
            status = rng.choices(("participant", "completed", "withdrawn"), (5, 4, 1))[0]
        elif position == people and applicants:
            status = "selected"
        else:
            status = "applied"
        listed.append((key, status))
    return listed


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    if Programme.objects.filter(organisation=organisation).exists():
        return
    snapshots = workforce.snapshot_frames(organisation)
    if not snapshots:
        return
    rng = random.Random(zlib.crc32(organisation.slug.encode()))
    for name, kind, description, eligibility, people, applicants, years in DEMO_PROGRAMMES:
        programme = Programme.objects.create(
            organisation=organisation, name=name, kind=kind, description=description
        )
        for year in years:
            start = date(year, 4, 1)
            found = start_snapshot(snapshots, start)
            if found is None:
                continue
            frame = found[1]
            eligible = frame.filter(eligibility.expr().fill_null(False))
            cohort = Cohort.objects.create(
                programme=programme,
                name=f"{year}-{(year + 1) % 100:02d}",
                start_date=start,
                end_date=date(year + 1, 3, 31),
                pay_bands=list(eligibility.pay_bands),
                grades=list(eligibility.grades),
                directorates=list(eligibility.directorates),
                leadership_tiers=list(eligibility.leadership_tiers),
                places=people,
            )
            Participant.objects.bulk_create(
                Participant(cohort=cohort, employee_key=key, status=status)
                for key, status in cohort_people(rng, eligible, people, applicants)
            )
    progress("Development programmes loaded")
