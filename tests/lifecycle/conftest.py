"""Lifecycle data for the app's tests: two workforce snapshots a year apart and a recruitment
file, imported through the real services (validation, keyed ids, storage)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.lifecycle import imports, services
from equitable.workforce import services as workforce

ETHNICITIES = ("English, Welsh, Scottish, Northern Irish or British", "Indian", "African", "Irish")
DIRECTORATES = ("People", "Place")


def staff_frame(count: int, *, offset: int = 0) -> pl.DataFrame:
    """Text cells as an HR extract gives them: ids, ethnicity, sex, directorate, pay band."""
    ids = range(offset, offset + count)
    return pl.DataFrame(
        {
            "employee_id": [f"E{n:04d}" for n in ids],
            "ethnicity": [ETHNICITIES[n % len(ETHNICITIES)] for n in ids],
            "sex": ["Female" if n % 3 else "Male" for n in ids],
            "directorate": [DIRECTORATES[n % 2] for n in ids],
            "pay_band": [f"Band {1 + (n * 7) % 4}" for n in ids],
        }
    )


def store_snapshot(org, on: date, frame: pl.DataFrame):
    result = workforce.validate_file(org, frame, snapshot_date=on)
    assert not result.problems, result.problems[:5]
    return workforce.store_snapshot(
        org,
        result.frame,
        snapshot_date=on,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )


@pytest.fixture
def snapshots(org):
    """80 staff on 31 March 2024; 70 of them and 15 starters on 31 March 2025."""
    first = store_snapshot(org, date(2024, 3, 31), staff_frame(80))
    second = store_snapshot(org, date(2025, 3, 31), staff_frame(85, offset=10))
    return [first, second]


def application_rows(count: int = 240) -> list[dict]:
    """Applications in two financial years (the first half in 2024-25): half of each group
    shortlisted; White applicants appointed from shortlisting three times as often as others
    (every third block of eight against every ninth)."""
    rows = []
    for n in range(count):
        ethnicity = ETHNICITIES[(n // 2) % len(ETHNICITIES)]
        white = ethnicity in (ETHNICITIES[0], "Irish")
        shortlisted = n % 2 == 0
        appointed = shortlisted and ((n // 8) % 3 == 0 if white else (n // 8) % 9 == 0)
        stage = "appointed" if appointed else ("shortlisted" if shortlisted else "applied")
        rows.append(
            {
                "application_id": f"A{n}",
                "ethnicity": ethnicity,
                "sex": "Female" if n % 5 else "Male",
                "stage_reached": stage,
                "internal": "yes" if n % 3 == 0 else "no",
                "directorate": DIRECTORATES[(n // 3) % 2],
                "date_applied": "2024-06-01" if n < count // 2 else "2025-06-01",
            }
        )
    return rows


def applications_frame(count: int = 240) -> pl.DataFrame:
    return pl.DataFrame(application_rows(count))


@pytest.fixture
def applications(org, tmp_path):
    path = tmp_path / "applications.csv"
    applications_frame().write_csv(path)
    outcome = imports.import_file(org, "applications", path)
    assert outcome.ok, outcome.problems[:5]
    return outcome.record_set


@pytest.fixture
def lifecycle_data(snapshots, applications):
    return services
