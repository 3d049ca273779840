"""Extracts for the workforce tests: small CSV files as a council's HR system exports them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from equitable.workforce import services

HEADER = [
    "employee_id",
    "full_name",
    "ethnicity",
    "sex",
    "disability",
    "directorate",
    "pay_band",
    "leadership_tier",
    "hourly_pay",
]
# (directorate, ethnicity, how many): People is large and mixed; Place has a group of 3 Black
# staff, a count under the threshold that protected views must withhold.
COMPOSITION = [
    ("People", "English, Welsh, Scottish, Northern Irish or British", 20),
    ("People", "Indian", 15),
    ("People", "African", 12),
    ("Place", "English, Welsh, Scottish, Northern Irish or British", 25),
    ("Place", "Caribbean", 3),
    ("Place", "Pakistani", 12),
    ("Resources", "Irish", 14),
    ("Resources", "Chinese", 11),
]
SNAPSHOT_DATE = date(2025, 3, 31)


def extract_rows(composition=COMPOSITION) -> list[dict]:
    rows = []
    for directorate, ethnicity, count in composition:
        for _ in range(count):
            n = len(rows) + 1
            rows.append(
                {
                    "employee_id": f"E{n:05d}",
                    "full_name": f"Person Number{n}",
                    "ethnicity": ethnicity,
                    "sex": "Female" if n % 2 else "Male",
                    "disability": "Disabled" if n % 7 == 0 else "Not disabled",
                    "directorate": directorate,
                    "pay_band": f"Band {1 + n % 4}",
                    "leadership_tier": "Senior" if n % 10 == 0 else "Other",
                    "hourly_pay": f"{15 + (n % 13) * 1.5:.2f}",
                }
            )
    return rows


def write_csv(path: Path, rows: list[dict], header=HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in header})
    return path


@pytest.fixture
def good_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "extract.csv", extract_rows())


@pytest.fixture
def broken_csv(tmp_path) -> Path:
    """Three problems in three rows: an unknown ethnicity, a pay that is not a number, no id."""
    rows = extract_rows()
    rows[4]["ethnicity"] = "Martian"
    rows[9]["hourly_pay"] = "lots"
    rows[14]["employee_id"] = ""
    return write_csv(tmp_path / "broken.csv", rows)


@pytest.fixture
def snapshot(org, good_csv):
    outcome = services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)
    assert outcome.ok, outcome.problems
    return outcome.snapshot
