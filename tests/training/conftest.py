"""Training data for the app's tests: one workforce snapshot stored through the real services,
and training files as a learning system exports them."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.workforce import services as workforce

SNAPSHOT_DATE = date(2025, 3, 31)


def staff_frame(count: int = 40) -> pl.DataFrame:
    """40 staff in People and Place; every fifth a senior leader; ids E0000…"""
    ids = range(count)
    return pl.DataFrame(
        {
            "employee_id": [f"E{n:04d}" for n in ids],
            "ethnicity": [("Indian", "African", "Irish", "Other White")[n % 4] for n in ids],
            "sex": ["Female" if n % 3 else "Male" for n in ids],
            "directorate": [("People", "Place")[n % 2] for n in ids],
            "pay_band": [f"Band {1 + n % 4}" for n in ids],
            "leadership_tier": ["Directors" if n % 5 == 0 else "" for n in ids],
            "start_date": ["2015-04-01"] * count,
        }
    )


def records_csv(count: int = 40) -> str:
    """Three in four staff trained by e-learning in June 2024; senior leaders face to face."""
    lines = ["Employee number,Course,Category,Mode,Completion date"]
    for n in range(count):
        if n % 4 == 3:
            continue
        mode = "Face to face" if n % 5 == 0 else "E-learning"
        lines.append(f"E{n:04d},Equality Matters,Mandatory EDI,{mode},01/06/2024")
    return "\n".join(lines) + "\n"


def records_frame() -> pl.DataFrame:
    """A validated records frame (for a pending import in the permission matrix)."""
    return pl.DataFrame(
        {
            "employee_key": ["a" * 64, "b" * 64],
            "course": ["Equality Matters"] * 2,
            "category": ["Mandatory EDI"] * 2,
            "mode": ["E-learning"] * 2,
            "completion_date": [date(2024, 6, 1)] * 2,
        }
    )


@pytest.fixture
def snapshot(org):
    result = workforce.validate_file(org, staff_frame(), snapshot_date=SNAPSHOT_DATE)
    assert not result.problems, result.problems[:5]
    return workforce.store_snapshot(
        org,
        result.frame,
        snapshot_date=SNAPSHOT_DATE,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )
