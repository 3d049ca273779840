"""The one validator of lifecycle files: a declared spec, every problem with its row and column,
the workforce extract's rules for headers, characteristics, dates and employee ids."""

from __future__ import annotations

import hmac
import io
from datetime import date
from hashlib import sha256

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from equitable.metrics.lifecycle.records import (
    ROW,
    Column,
    RecordSpec,
    age_band_value,
    load_records,
    problems_by_rows,
    validate_records,
)

KEY = b"k" * 32


def _no_late_closing(frame: pl.DataFrame):
    return problems_by_rows(
        frame, pl.col("closed") < pl.col("opened"), "closed", "closed before it was opened"
    )


SPEC = RecordSpec(
    kind="cases",
    label="test cases",
    columns=(
        Column("case_id", "id", required=True, headers=("case reference",)),
        Column("employee_id", "employee_id"),
        Column("ethnicity", "ethnicity", required=True),
        Column("sex", "sex"),
        Column("disability", "disability"),
        Column("age_band", "age_band"),
        Column(
            "case_type",
            "choice",
            required=True,
            choices=("disciplinary", "grievance", "bullying_harassment"),
            aliases={"bullying": "bullying_harassment"},
        ),
        Column("formal", "yes_no"),
        Column("opened", "date"),
        Column("closed", "date"),
        Column("count", "count"),
        Column("team", "text"),
    ),
    unique=("case_id",),
    checks=(_no_late_closing,),
)


def _text(rows: dict[str, list]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={name: pl.String for name in rows})


def _clean() -> dict[str, list]:
    return {
        "Case Reference": ["C1", "C2", "C3", "C4"],
        "Employee Number": ["E1", "E2", None, "E4"],
        "Ethnic group": ["Indian", "White - British", "", "Black or Black British - African"],
        "Gender": ["F", "Male", None, "Woman"],
        "Disabled": ["Y", "N", "Prefer not to say", None],
        "Age band": ["16-24", "25 to 34", "65+", None],
        "Case type": ["Disciplinary", "grievance", "Bullying", "BULLYING HARASSMENT"],
        "Formal": ["Yes", "no", "TRUE", None],
        "Opened": ["01/04/2024", "2024-05-01", "3-Jun-2024", "45474"],
        "Closed": ["02/04/2024", None, "2024-07-01", None],
        "Count": ["1", "2", "1,250", "0"],
        "Team": [" Adults ", "Place", None, "Place"],
        "Surname": ["Smith", "Jones", "Khan", "Okafor"],
    }


def test_a_clean_file_gives_the_typed_canonical_frame():
    result = validate_records(_text(_clean()), SPEC, id_key=KEY)

    assert result.problems == []
    assert result.ok
    frame = result.frame
    assert frame.columns == [
        "case_id", "employee_key", "ethnicity", "ethnic_group", "sex", "disability",
        "age_band", "case_type", "formal", "opened", "closed", "count", "team",
    ]  # fmt: skip
    assert frame["ethnicity"].to_list() == [
        "Indian",
        "English, Welsh, Scottish, Northern Irish or British",
        "Not known",
        "African",
    ]
    assert frame["ethnic_group"].to_list() == ["Asian", "White", "Unknown", "Black"]
    assert frame["sex"].to_list() == ["Female", "Male", "Not known", "Female"]
    assert frame["disability"].to_list() == [
        "Disabled", "Not disabled", "Prefer not to say", "Not known",
    ]  # fmt: skip
    assert frame["age_band"].to_list() == ["16-24", "25-34", "65+", "Not known"]
    assert frame["case_type"].to_list() == [
        "disciplinary", "grievance", "bullying_harassment", "bullying_harassment",
    ]  # fmt: skip
    assert frame["formal"].to_list() == [True, False, True, None]
    assert frame["opened"].to_list() == [
        date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 3), date(2024, 7, 1),
    ]  # fmt: skip
    assert frame["count"].to_list() == [1, 2, 1250, 0]
    assert frame["team"].to_list() == ["Adults", "Place", None, "Place"]
    assert result.dropped_columns == ["Surname"]
    assert result.assignment["case_id"] == "Case Reference"


def test_employee_ids_become_the_snapshots_keyed_hash_and_are_not_kept():
    result = validate_records(_text(_clean()), SPEC, id_key=KEY)

    expected = hmac.new(KEY, b"E1", sha256).hexdigest()[:32]
    assert result.frame["employee_key"][0] == expected
    assert result.frame["employee_key"][2] is None
    assert "employee_id" not in result.frame.columns
    assert "E1" not in str(result.frame.to_dicts())


def test_an_absent_optional_column_is_typed_null_and_an_absent_characteristic_not_known():
    rows = {"case_id": ["C1"], "ethnicity": ["Irish"], "case_type": ["grievance"]}
    frame = validate_records(_text(rows), SPEC).frame

    assert frame.schema["opened"] == pl.Date
    assert frame.schema["formal"] == pl.Boolean
    assert frame.schema["count"] == pl.Int64
    assert frame.row(0, named=True) | {} == {
        "case_id": "C1", "employee_key": None, "ethnicity": "Irish", "ethnic_group": "White",
        "sex": "Not known", "disability": "Not known", "age_band": "Not known",
        "case_type": "grievance", "formal": None, "opened": None, "closed": None,
        "count": None, "team": None,
    }  # fmt: skip


def test_every_problem_is_listed_with_its_row_and_column_and_nothing_is_returned():
    rows = {
        "case_id": ["C1", "C1", "", "C4", "C5"],
        "employee_id": ["E1", "E2", "E3", "E4", "E5"],
        "ethnicity": ["Martian", "Indian", "Indian", "Indian", "Indian"],
        "sex": ["F", "x", "F", "F", "F"],
        "age_band": ["16-24", "old", "16-24", "16-24", "16-24"],
        "case_type": ["grievance", "grievance", "hired", "grievance", None],
        "formal": ["yes", "yes", "yes", "maybe", "yes"],
        "opened": ["01/04/2024", "31/02/2024", "01/04/2024", "01/04/2024", "01/05/2024"],
        "closed": [None, None, None, None, "01/04/2024"],
        "count": ["1", "2.5", "-1", "x", "12,50"],
    }
    result = validate_records(_text(rows), SPEC, id_key=KEY)

    assert result.frame is None and not result.ok
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (2, "case_id"),  # C1 twice (rows 2 and 3)
        (2, "ethnicity"),
        (3, "sex"),
        (3, "age_band"),
        (3, "opened"),
        (3, "count"),  # 2.5
        (4, "case_id"),  # blank
        (4, "case_type"),  # hired
        (4, "count"),  # -1
        (5, "formal"),
        (5, "count"),  # x
        (6, "case_type"),  # blank, required
        (6, "count"),  # 12,50
        (6, "closed"),  # before opened (cross-column check)
    }
    assert result.unmapped_values == {
        "ethnicity": ["Martian"],
        "sex": ["x"],
        "age_band": ["old"],
        "case_type": ["hired"],
        "formal": ["maybe"],
    }
    duplicate = next(p for p in result.problems if p.column == "case_id" and p.row == 2)
    assert "rows 2, 3" in duplicate.message
    assert [p.row for p in result.problems] == sorted(p.row for p in result.problems)


def test_missing_required_columns_and_repeated_headers_are_file_problems():
    raw = pl.DataFrame({"ethnicity": ["Indian"], "team": ["A"], "team_duplicated_0": ["B"]})
    result = validate_records(raw, SPEC)

    messages = {(p.row, p.column, p.message) for p in result.problems}
    assert (None, "case_id", "required column 'case_id' is missing") in messages
    assert (None, "case_type", "required column 'case_type' is missing") in messages
    assert (None, "team", "this header appears more than once") in messages


def test_the_mappings_are_honoured_and_a_mapping_to_nothing_is_refused():
    rows = {"Ref": ["C1", "C2"], "ethnicity": ["Zulu", "Asian"], "case_type": ["DISC", "GRV"]}
    result = validate_records(
        _text(rows),
        SPEC,
        column_mapping={"Ref": "case_id"},
        value_mapping={
            "ethnicity": {"Zulu": "African"},
            "case_type": {"DISC": "disciplinary", "GRV": "nonsense"},
        },
    )

    assert [(p.row, p.column, p.value) for p in result.problems] == [(None, "case_type", "GRV")]
    fixed = validate_records(
        _text(rows),
        SPEC,
        column_mapping={"Ref": "case_id"},
        value_mapping={
            "ethnicity": {"Zulu": "African"},
            "case_type": {"DISC": "disciplinary", "GRV": "grievance"},
        },
    )
    assert fixed.frame["ethnicity"].to_list() == ["African", "Asian (category not given)"]
    assert fixed.frame["case_type"].to_list() == ["disciplinary", "grievance"]


def test_employee_ids_without_the_organisation_key_are_refused():
    result = validate_records(_text(_clean()), SPEC)

    assert any(p.column == "employee_id" and "key" in p.message for p in result.problems)


def test_rows_keep_their_spreadsheet_numbers_below_title_rows_in_a_csv():
    data = (
        b"Casework report,,\n"
        b"Exported 1 April 2025,,\n"
        b"case_id,ethnicity,sex,case_type\n"
        b"C1,Indian,F,grievance\n"
        b",,,\n"
        b"C2,Martian,F,grievance\n"
    )
    result = load_records(io.BytesIO(data), SPEC, filename="cases.csv")

    assert [(p.row, p.column, p.value) for p in result.problems] == [(6, "ethnicity", "Martian")]


def test_an_excel_workbook_is_read_and_a_formula_without_its_value_is_a_problem():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Cases 2024-25"])
    sheet.append(["case_id", "ethnicity", "sex", "case_type", "count"])
    sheet.append(["C1", "Pakistani", "Female", "grievance", 3])
    sheet.append(["C2", "Other White", "Male", "disciplinary", "=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = load_records(buffer.getvalue(), SPEC, filename="cases.xlsx")

    assert [(p.row, p.column) for p in result.problems] == [(4, "count")]
    assert "formula" in result.problems[0].message
    sheet["E4"] = 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    frame = load_records(buffer.getvalue(), SPEC, filename="cases.xlsx").frame
    assert frame.select("case_id", "ethnicity", "count").rows() == [
        ("C1", "Pakistani", 3),
        ("C2", "Other White", 2),
    ]


def test_an_unreadable_file_is_one_problem_not_an_exception():
    result = load_records(b"PK\x03\x04 not really a workbook", SPEC, filename="x.xlsx")

    assert result.frame is None
    assert len(result.problems) == 1 and result.problems[0].row is None


def test_problems_are_capped_per_check_with_one_line_for_the_rest():
    rows = {
        "case_id": [f"C{i}" for i in range(30)],
        "ethnicity": ["Indian"] * 30,
        "case_type": ["grievance"] * 30,
        "count": ["-1"] * 30,
    }
    result = validate_records(_text(rows), SPEC, max_problems_per_check=5)

    assert len(result.problems) == 6
    assert "25 more rows like this from row 7 on" in result.problems[-1].message


@pytest.mark.parametrize(
    ("text", "band"),
    [
        ("16-24", "16-24"),
        ("16 – 24", "16-24"),
        ("25 to 34 years", "25-34"),
        ("65+", "65+"),
        ("65 and over", "65+"),
        ("Under 25", "Under 25"),
        ("Prefer not to say", "Prefer not to say"),
        ("Unknown", "Not known"),
        ("old", None),
        ("40-30", None),
    ],
)
def test_age_bands_are_read_in_the_usual_spellings(text, band):
    assert age_band_value(text) == band


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["7", "0", " 12 ", "1,000", "-3", "2.5", "x", ""]),
            st.sampled_from(["Yes", "n", "maybe", ""]),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_distinct_value_checks_agree_with_a_naive_row_by_row_check(cells):
    """Property: the problems found on distinct values are exactly those a row-by-row reading
    finds, on the same rows."""
    rows = {
        "case_id": [f"C{i}" for i in range(len(cells))],
        "ethnicity": ["Indian"] * len(cells),
        "case_type": ["grievance"] * len(cells),
        "count": [c for c, _ in cells],
        "formal": [f for _, f in cells],
    }
    result = validate_records(_text(rows), SPEC)

    expected = set()
    for index, (count, formal) in enumerate(cells):
        row = index + 2
        text = count.strip().replace(",", "")
        if text and not (text.isdigit()):
            expected.add((row, "count"))
        if formal.strip() and formal.strip().lower() not in ("yes", "n"):
            expected.add((row, "formal"))
    found = set()
    for problem in result.problems:
        if problem.column == "formal":  # one problem per value, its rows in the message
            found |= {
                (index + 2, "formal")
                for index, (_, formal) in enumerate(cells)
                if formal == problem.value
            }
        else:
            found.add((problem.row, problem.column))
    assert found == expected
    assert (result.frame is None) == bool(expected)
    if result.frame is not None:
        assert result.frame["count"].to_list() == [
            int(c.strip().replace(",", "")) if c.strip() else None for c, _ in cells
        ]
    assert ROW not in (result.frame.columns if result.frame is not None else [])
