"""The synthetic training records follow the snapshots, pass the import's validation, and
leave the gaps the demo is meant to show."""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.metrics.lifecycle.records import validate_records
from equitable.metrics.training import compliance
from equitable.metrics.training.records import PANEL, TRAINING
from equitable.metrics.training.synthetic import generate_training


def snapshot(size: int = 600) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "employee_key": [f"k{n:04d}" for n in range(size)],
            "directorate": [("People", "Place", "Resources")[n % 3] for n in range(size)],
            "pay_band": [str(1 + n % 6) for n in range(size)],
            "leadership_tier": ["Directors" if n % 25 == 0 else None for n in range(size)],
            "ethnic_group": [("White", "Asian", "Black", "Mixed")[n % 4] for n in range(size)],
            "start_date": [date(2010 + n % 13, 1 + n % 12, 1) for n in range(size)],
        }
    )


def test_the_records_pass_validation_and_are_the_same_for_a_seed():
    snapshots = [(date(2024, 3, 31), snapshot())]
    records, panel = generate_training(snapshots, seed=4)
    assert generate_training(snapshots, seed=4)[0].equals(records)
    assert validate_records(records, TRAINING, id_key=b"k" * 32).ok
    assert validate_records(panel, PANEL, id_key=b"k" * 32).ok
    assert records["completion_date"].max() <= "2024-03-31"  # nothing after the snapshot


def test_most_staff_are_trained_but_not_all():
    on = date(2024, 3, 31)
    frame = snapshot()
    records, panel = generate_training([(on, frame)], seed=4)
    typed = validate_records(records, TRAINING, id_key=b"k" * 32).frame
    assert typed is not None
    typed = typed.with_columns(records["employee_id"].alias("employee_key"))
    tables = compliance.compliance_tables(typed, frame, on, panel=panel["employee_id"].to_list())
    everyone = tables["all_staff"].to_dicts()[0]
    assert 70 < everyone["mandatory_completed_percent"] < 97
    assert everyone["up_to_date_percent"] < everyone["mandatory_completed_percent"]
    assert 0 < everyone["panel_trained_percent"] < 100
