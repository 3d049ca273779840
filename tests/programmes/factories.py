"""Programmes, cohorts and workforce snapshots for the programme tests: 40 staff (E001-E040),
People and Place, bands 1-3, dated 31 March 2023 and 31 March 2024."""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.programmes.models import Cohort, Programme
from equitable.workforce import services as workforce

ETHNICITIES = ("Indian", "English, Welsh, Scottish, Northern Irish or British", "African", "Irish")


def staff(promoted: set[str] = frozenset(), gone: set[str] = frozenset()) -> pl.DataFrame:
    rows = []
    for n in range(1, 41):
        employee = f"E{n:03d}"
        if employee in gone:
            continue
        band = 1 + n % 3
        if employee in promoted:
            band += 1
        rows.append(
            {
                "employee_id": employee,
                "ethnicity": ETHNICITIES[n % 4],
                "sex": "Female" if n % 2 else "Male",
                "directorate": "People" if n <= 24 else "Place",
                "pay_band": str(band),
                "hourly_pay": str(12 + 4 * band),
            }
        )
    return pl.DataFrame(rows)


def store(org, on: date, frame: pl.DataFrame):
    result = workforce.validate_file(org, frame, snapshot_date=on)
    assert not result.problems, result.problems
    return workforce.store_snapshot(
        org,
        result.frame,
        snapshot_date=on,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )


def with_snapshots(org) -> None:
    store(org, date(2023, 3, 31), staff())
    store(org, date(2024, 3, 31), staff(promoted={"E002", "E005"}, gone={"E008"}))


def make_cohort(org, name: str = "Mentoring (tests)", **values) -> Cohort:
    programme = Programme.objects.create(organisation=org, name=name, kind=Programme.Kind.MENTORING)
    defaults = {"name": "2023-24", "start_date": date(2023, 4, 1), "directorates": ["People"]}
    return Cohort.objects.create(programme=programme, **{**defaults, **values})
