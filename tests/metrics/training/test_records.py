"""The training records file: accepted spellings, and every problem listed by row and column."""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.metrics.lifecycle.records import validate_records
from equitable.metrics.training.records import PANEL, TRAINING

KEY = b"k" * 32


def raw(rows: list[list[str]], header: list[str]) -> pl.DataFrame:
    return pl.DataFrame([dict(zip(header, r, strict=True)) for r in rows])


HEADER = ["Employee number", "Course", "Category", "Delivery", "Date completed"]


def test_a_clean_file_gives_keyed_ids_and_canonical_values():
    result = validate_records(
        raw(
            [
                ["E1", "Equality Matters", "Mandatory EDI", "online", "01/06/2024"],
                ["E2", "Recruiting fairly", "recruitment panel", "Teams", "2024-11-01"],
            ],
            HEADER,
        ),
        TRAINING,
        id_key=KEY,
    )
    assert result.ok, result.problems
    frame = result.frame
    assert frame.columns == ["employee_key", "course", "category", "mode", "completion_date"]
    assert frame["category"].to_list() == ["Mandatory EDI", "Recruitment panel training"]
    assert frame["mode"].to_list() == ["E-learning", "Virtual classroom"]
    assert frame["completion_date"].to_list() == [date(2024, 6, 1), date(2024, 11, 1)]
    assert "E1" not in frame["employee_key"].to_list()  # only the keyed hash is kept


def test_every_problem_is_listed_and_nothing_is_kept():
    result = validate_records(
        raw(
            [
                ["E1", "X", "Mandatory EDI", "Carrier pigeon", "32/13/2024"],
                ["", "Y", "Nonsense", "E-learning", "2024-01-01"],
                ["E3", "Z", "Other", "Face to face", "1985-01-01"],
            ],
            HEADER,
        ),
        TRAINING,
        id_key=KEY,
    )
    assert result.frame is None
    found = {(p.row, p.column) for p in result.problems}
    assert {
        (2, "mode"),
        (2, "completion_date"),
        (3, "employee_id"),
        (3, "category"),
        (4, "completion_date"),
    } <= found


def test_a_missing_required_column_is_a_problem():
    result = validate_records(
        raw([["E1", "X"]], ["Employee number", "Course"]), TRAINING, id_key=KEY
    )
    assert result.frame is None
    assert {"category", "mode", "completion_date"} <= {p.column for p in result.problems}


def test_a_panel_member_listed_twice_is_a_problem():
    result = validate_records(raw([["E1"], ["E1"]], ["employee_id"]), PANEL, id_key=KEY)
    assert result.frame is None
    assert "appears 2 times" in result.problems[0].message
