"""Reading and validating HR extracts: every problem listed, nothing kept from a bad file."""

from __future__ import annotations

import hashlib
import hmac
import io
import threading
from datetime import date, datetime

import polars as pl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from equitable.metrics import extract
from equitable.metrics.extract import Problem
from equitable.metrics.schema import FRAME_SCHEMA, NOT_KNOWN, PREFER_NOT_TO_SAY, WHITE_BRITISH

SNAPSHOT = date(2024, 3, 31)
KEY = b"test-key"


def load(text: str | bytes, filename: str = "extract.csv", **kwargs) -> extract.ExtractResult:
    data = text.encode("utf-8") if isinstance(text, str) else text
    options = {"snapshot_date": SNAPSHOT, "id_key": KEY, **kwargs}
    return extract.load_extract(data, filename, **options)


def messages(result: extract.ExtractResult) -> list[tuple[int | None, str | None, str | None]]:
    return [(p.row, p.column, p.value) for p in result.problems]


# --- the happy path ---------------------------------------------------------------------------


def test_a_clean_extract_becomes_the_contract_frame():
    result = load(
        "employee_id,ethnicity,sex,disability,pay_band,hourly_pay,bonus_pay,age\n"
        "A1,Indian,Female,Not disabled,2,15.50,,30\n"
        "A2,White - British,M,Yes,3,20,100,45\n"
        "A3,,F,,3,21.25,0,50\n"
    )
    assert result.ok and result.problems == []
    frame = result.frame
    assert frame.schema == pl.Schema(FRAME_SCHEMA)
    assert frame["ethnicity"].to_list() == ["Indian", WHITE_BRITISH, NOT_KNOWN]
    assert frame["ethnic_group"].to_list() == ["Asian", "White", "Unknown"]
    assert frame["white_british"].to_list() == [False, True, None]
    assert frame["sex"].to_list() == ["Female", "Male", "Female"]
    assert frame["disability"].to_list() == ["Not disabled", "Disabled", NOT_KNOWN]
    assert frame["hourly_pay"].to_list() == [15.5, 20.0, 21.25]
    assert frame["bonus_pay"].to_list() == [None, 100.0, 0.0]
    assert frame["age"].to_list() == [30, 45, 50]
    assert frame["directorate"].null_count() == 3  # absent from the file: all null
    assert result.present_columns >= {"ethnicity", "ethnic_group", "white_british", "sex"}
    assert "directorate" not in result.present_columns
    assert result.row_count == 3


def test_the_employee_key_is_a_keyed_hmac_of_the_id():
    result = load("employee_id,ethnicity\nE123,Indian\n")
    expected = hmac.new(KEY, b"E123", hashlib.sha256).hexdigest()[:32]
    assert result.frame["employee_key"].to_list() == [expected]
    assert "employee_id" not in result.frame.columns


def test_hourly_pay_is_derived_from_annual_salary_and_standard_hours():
    result = load(
        "employee_id,ethnicity,annual_salary,hourly_pay\n1,Indian,37543,\n2,Indian,30000,20\n",
        standard_weekly_hours=36.0,
    )
    # 37,543 / (52.143 × 36) = 20.0000...
    assert result.frame["hourly_pay"][0] == pytest.approx(37543 / (52.143 * 36))
    assert result.frame["hourly_pay"][0] == pytest.approx(20.0, abs=0.001)
    assert result.frame["hourly_pay"][1] == 20.0  # given, so kept
    assert "hourly_pay" in result.present_columns


def test_age_comes_from_date_of_birth_at_the_snapshot_and_the_date_is_not_kept():
    result = load(
        "employee_id,ethnicity,date_of_birth,start_date\n"
        "1,Indian,31/03/1990,2020-01-05\n"  # birthday on the snapshot date: 34
        "2,Indian,1990-04-01,05/01/2010\n"  # birthday the day after: still 33
        "3,Indian,01-Apr-1990,2010-01-05 00:00:00\n"
    )
    assert result.ok, result.problems
    assert result.frame["age"].to_list() == [34, 33, 33]
    assert result.frame["start_date"].to_list() == [
        date(2020, 1, 5),
        date(2010, 1, 5),
        date(2010, 1, 5),
    ]
    assert "date_of_birth" not in result.frame.columns
    assert "age" in result.present_columns


def test_a_broad_group_alone_keeps_the_group_and_leaves_the_detail_unknown():
    result = load("employee_id,ethnicity\n1,Asian or Asian British\n2,White\n")
    assert result.frame["ethnicity"].to_list() == [None, None]
    assert result.frame["ethnic_group"].to_list() == ["Asian", "White"]
    assert result.frame["white_british"].to_list() == [False, None]


def test_headers_are_matched_by_alias_and_by_mapping():
    result = load(
        "Staff Number,Ethnic Origin,Gender,Dept,Band\n1,Indian,F,People,2\n",
        column_mapping={"Dept": "directorate"},
    )
    assert result.ok, result.problems
    assert result.frame["directorate"].to_list() == ["People"]
    assert result.frame["pay_band"].to_list() == ["2"]
    assert result.frame["sex"].to_list() == ["Female"]


# --- odd files --------------------------------------------------------------------------------


def test_a_byte_order_mark_and_blank_rows_are_handled_and_rows_keep_their_numbers():
    text = "\ufeffemployee_id,ethnicity,hourly_pay\n1,Indian,10\n\n,,\n  ,  ,\n2,Indian,-1\n"
    result = load(text)
    assert result.row_count == 2  # the three blank rows are skipped
    assert messages(result) == [(6, "hourly_pay", "-1")]  # spreadsheet row 6


def test_windows_1252_text_is_read():
    text = "employee_id,ethnicity,directorate\n1,Indian,Résidents’ Services\n"
    result = load(text.encode("cp1252"))
    assert result.ok, result.problems
    assert result.frame["directorate"].to_list() == ["Résidents’ Services"]


def test_semicolon_separated_files_are_read():
    result = load("employee_id;ethnicity\n1;Indian\n")
    assert result.ok and result.frame["ethnicity"].to_list() == ["Indian"]


def test_a_file_like_object_is_rewound_before_reading():
    handle = io.BytesIO(b"employee_id,ethnicity\n1,Indian\n")
    handle.read()
    raw = extract.read_table(handle, "x.csv")
    assert raw.height == 1


def test_an_excel_workbook_is_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Ethnicity", "Surname", "Start date", "Hourly pay", "Age"])
    sheet.append([1001, "White - Irish", "Smith", datetime(2020, 1, 5), 12.5, 40])
    sheet.append([None] * 6)
    sheet.append(["1002", "Asian or Asian British - Indian", "Jones", date(2019, 2, 1), "13", 41])
    path = tmp_path / "extract.xlsx"
    workbook.save(path)
    result = extract.load_extract(path, snapshot_date=SNAPSHOT, id_key=KEY)
    assert result.ok, result.problems
    assert result.frame["ethnicity"].to_list() == ["Irish", "Indian"]
    assert result.frame["start_date"].to_list() == [date(2020, 1, 5), date(2019, 2, 1)]
    assert result.frame["hourly_pay"].to_list() == [12.5, 13.0]
    assert result.dropped_columns == ["Surname"]
    expected = hmac.new(KEY, b"1001", hashlib.sha256).hexdigest()[:32]
    assert result.frame["employee_key"][0] == expected  # 1001, not "1001.0"


def test_names_and_other_direct_identifiers_are_dropped_not_refused():
    result = load(
        "employee_id,Forename,Surname,Email,NI Number,ethnicity,Job title\n"
        "1,Ada,Lovelace,ada@example.org,QQ123456C,Indian,Analyst\n"
    )
    assert result.ok
    assert result.dropped_columns == ["Forename", "Surname", "Email", "NI Number"]
    assert result.ignored_columns == ["Job title"]
    values = {str(v) for row in result.frame.iter_rows() for v in row}
    assert not values & {"Ada", "Lovelace", "ada@example.org", "QQ123456C"}


def test_an_unreadable_file_is_one_problem_not_an_exception():
    result = load(b"", "empty.csv")
    assert not result.ok
    assert result.problems[0].message == "the file is empty"
    result = load(b"PK\x03\x04 not really a workbook", "broken.xlsx")
    assert not result.ok and "Excel" in result.problems[0].message


# --- every problem, with row, column and value ------------------------------------------------


def test_missing_required_columns_are_reported():
    result = load("staff,sex\n1,F\n")
    assert not result.ok and result.frame is None
    assert (None, "employee_id", None) in messages(result)
    assert (None, "ethnicity", None) in messages(result)


def test_duplicated_ids_list_every_row_involved():
    result = load("employee_id,ethnicity\n7,Indian\n8,Indian\n7,Irish\n,Irish\n")
    duplicate = next(p for p in result.problems if "appears" in p.message)
    assert duplicate == Problem(2, "employee_id", "7", "employee_id appears 2 times (rows 2, 4)")
    assert Problem(5, "employee_id", None, "employee_id is blank") in result.problems


def test_a_blank_id_alone_or_a_duplicate_alone_is_still_caught():
    """Unique, complete ids skip the full check; either fault alone must still reach it."""
    only_blank = load("employee_id,ethnicity\n7,Indian\n,Irish\n")
    assert only_blank.problems == [Problem(3, "employee_id", None, "employee_id is blank")]
    only_duplicate = load("employee_id,ethnicity\n7,Indian\n7,Irish\n")
    assert [p.message for p in only_duplicate.problems] == [
        "employee_id appears 2 times (rows 2, 3)"
    ]
    assert load("employee_id,ethnicity\n7,Indian\n8,Irish\n").ok


def test_bad_numbers_ranges_and_dates_are_each_listed():
    result = load(
        "employee_id,ethnicity,hourly_pay,fte,weekly_hours,age,start_date\n"
        "1,Indian,-5,1,36,30,2020-01-01\n"
        "2,Indian,abc,0,36,30,2020-01-01\n"
        "3,Indian,10,1,169,7,31/02/2020\n"
        "4,Indian,10,2.5,36,30.5,2020-01-01\n"
    )
    assert result.frame is None
    assert messages(result) == [
        (2, "hourly_pay", "-5"),
        (3, "hourly_pay", "abc"),
        (3, "fte", "0"),
        (4, "weekly_hours", "169"),
        (4, "age", "7"),
        (4, "start_date", "31/02/2020"),
        (5, "fte", "2.5"),
        (5, "age", "30.5"),
    ]
    assert result.problems[0].message == "must not be negative"
    assert result.problems[1].message == "not a number"


def test_currency_and_thousands_separators_are_accepted_and_future_dates_refused():
    result = load(
        'employee_id,ethnicity,annual_salary,start_date\n1,Indian,"£31,250.00",2025-01-01\n'
    )
    assert messages(result) == [(2, "start_date", "2025-01-01")]
    assert "after the snapshot date" in result.problems[0].message


def test_unknown_values_are_listed_once_each_with_their_rows_for_mapping():
    result = load("employee_id,ethnicity,sex\n1,Asain,F\n2,Indian,X\n3,Asain,F\n")
    assert result.unmapped_values == {"ethnicity": ["Asain"], "sex": ["X"]}
    asain = next(p for p in result.problems if p.value == "Asain")
    assert asain.row == 2 and "2 rows: 2, 4" in asain.message


def test_a_value_mapping_places_them():
    result = load(
        "employee_id,ethnicity,sex\n1,Asain,F\n2,Indian,X\n",
        value_mapping={"ethnicity": {"Asain": "Indian"}, "sex": {"X": PREFER_NOT_TO_SAY}},
    )
    assert result.ok, result.problems
    assert result.frame["ethnicity"].to_list() == ["Indian", "Indian"]
    assert result.frame["sex"].to_list() == ["Female", PREFER_NOT_TO_SAY]


def test_problems_of_one_kind_are_capped_with_a_count_of_the_rest():
    rows = "".join(f"{i},Indian,-1\n" for i in range(30))
    result = load("employee_id,ethnicity,hourly_pay\n" + rows, max_problems_per_check=5)
    assert len(result.problems) == 6
    assert result.problems[0].message == "must not be negative"
    assert result.problems[0].row == 2
    assert "25 more rows" in result.problems[-1].message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=8),
            st.text(max_size=8),
        ),
        max_size=8,
    )
)
def test_validation_never_raises_on_arbitrary_text(rows):
    columns = ["employee_id", "ethnicity", "hourly_pay", "start_date", "age"]
    raw = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")
    result = extract.validate_extract(raw, snapshot_date=SNAPSHOT, id_key=KEY)
    assert result.ok == (result.frame is not None)
    assert result.ok or result.problems


def test_a_header_twice_a_file_without_rows_and_a_broken_quote_are_reported():
    twice = load("employee_id,ethnicity,ethnicity\n1,Indian,Irish\n")
    assert messages(twice) == [(None, "ethnicity", None)]
    assert twice.problems[0].message == "this header appears more than once"
    empty = load("employee_id,ethnicity\n,\n\n")
    assert [p.message for p in empty.problems] == ["the file has no rows below the header"]
    broken = load('employee_id,ethnicity\n1,"Indian\n')
    assert broken.problems[0].message.startswith("not a readable CSV file")
    assert "infer_schema_length" not in broken.problems[0].message


def test_the_keyed_hash_matches_the_standard_library_for_long_keys_and_any_text():
    ids = pl.Series(["1", "Zoë-7", "", None])
    long_key = b"x" * 100
    hashed = extract._keyed_hashes(ids, long_key).to_list()
    for value, digest in zip(ids.to_list()[:3], hashed[:3], strict=True):
        assert digest == hmac.new(long_key, value.encode(), hashlib.sha256).hexdigest()[:32]
    assert hashed[3] is None


def test_hashing_stops_early_once_the_file_is_known_to_have_problems():
    stop = threading.Event()
    stop.set()
    assert extract._keyed_hashes(pl.Series(["1", "2"]), KEY, stop) is None

    broken = load("employee_id,ethnicity\n1,Indian\n1,Martian\n")
    assert not broken.ok and broken.frame is None  # the hashing thread was told to stop


def test_cells_of_spaces_are_blank_not_errors_and_values_are_trimmed():
    result = load(
        "employee_id,ethnicity,hourly_pay,start_date,directorate\n"
        " 1 ,  Indian ,   ,  , People \n"
        "2, ,  12.50 , 2020-01-01 ,\n"
    )
    assert result.ok, result.problems
    assert result.frame["ethnicity"].to_list() == ["Indian", NOT_KNOWN]
    assert result.frame["hourly_pay"].to_list() == [None, 12.5]
    assert result.frame["start_date"].to_list() == [None, date(2020, 1, 1)]
    assert result.frame["directorate"].to_list() == ["People", None]
    expected = hmac.new(KEY, b"1", hashlib.sha256).hexdigest()[:32]
    assert result.frame["employee_key"][0] == expected


def test_a_windows_1252_file_with_a_broken_quote_is_one_problem():
    result = load('employee_id,ethnicity,directorate\n1,Indian,"Résidents\n'.encode("cp1252"))
    assert not result.ok
    assert result.problems[0].message.startswith("not a readable CSV file")


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=200))
@example(b"\t*")  # a header polars would read as "every column"
def test_loading_never_raises_on_arbitrary_bytes(data):
    result = load(b"employee_id,ethnicity\n" + data)
    assert result.ok == (result.frame is not None)
    result = load(data)
    assert result.ok or result.problems
