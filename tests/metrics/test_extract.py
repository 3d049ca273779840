"""Reading and validating HR extracts: every problem listed, nothing kept from a bad file."""

from __future__ import annotations

import hashlib
import hmac
import io
import threading
from datetime import date, datetime

import polars as pl
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from equitable.metrics import extract
from equitable.metrics.extract import Problem
from equitable.metrics.schema import (
    FRAME_SCHEMA,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    WHITE_BRITISH_CATEGORY,
)

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
    assert frame["ethnicity"].to_list() == ["Indian", WHITE_BRITISH_CATEGORY, NOT_KNOWN]
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
    # 37,543 / (52.143 × 36) = 20.0000213..., kept to 4 decimal places: 20.0
    assert result.frame["hourly_pay"][0] == round(37543 / (52.143 * 36), 4) == 20.0
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


def test_a_broad_group_alone_is_its_groups_category_not_given():
    """Issue 12: "Asian" alone was Asian in the overall table but "Not known" in the detailed
    one; it is now "Asian (category not given)" everywhere, inside the Asian group."""
    result = load("employee_id,ethnicity\n1,Asian or Asian British\n2,White\n3,Other\n")
    assert result.frame["ethnicity"].to_list() == [
        "Asian (category not given)",
        "White (category not given)",
        "Other (category not given)",
    ]
    assert result.frame["ethnic_group"].to_list() == ["Asian", "White", "Other"]
    # Group-only White may or may not be White British: not known. Group-only Asian is not.
    assert result.frame["white_british"].to_list() == [False, None, False]


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
    text = "\ufeffemployee_id,ethnicity,hourly_pay\n1,Indian,12\n\n,,\n  ,  ,\n2,Indian,-1\n"
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
        "3,Indian,12,1,169,7,31/02/2020\n"
        "4,Indian,12,2.5,36,30.5,2020-01-01\n"
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


# --- issue 12, section 5: imported numbers mean what the file meant ----------------------------


def _zip_replace(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """The workbook with one member's bytes edited (as Excel would have saved it)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == member:
                content = content.replace(old, new)
            target.writestr(info, content)
    return out.getvalue()


def _workbook(rows: list[list], title: str | None = None, cover: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if cover:
        sheet.title = "Cover"
        sheet["A1"] = "About this extract"
        sheet = workbook.create_sheet("Staff")
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_decimal_comma_is_refused_naming_its_rows_unless_the_file_is_declared_to_use_one():
    text = (
        "employee_id,ethnicity,hourly_pay,fte\n"
        '1,Indian,"12,50",1\n'
        '2,Indian,"1.234,50",1\n'
        '3,Indian,"1,250","0,5"\n'  # 1,250 is one thousand two hundred and fifty
    )
    refused = load(text)
    assert refused.frame is None
    ambiguous = [(p.row, p.column, p.value) for p in refused.problems if "comma" in p.message]
    assert ambiguous == [
        (2, "hourly_pay", "12,50"),
        (3, "hourly_pay", "1.234,50"),
        (4, "fte", "0,5"),
    ]
    assert "decimal separator" in refused.problems[0].message

    declared = load(text.replace('"1,250"', '"14,25"'), decimal_comma=True)
    assert declared.ok, declared.problems
    assert declared.frame["hourly_pay"].to_list() == [12.5, 1234.5, 14.25]
    assert declared.frame["fte"].to_list() == [1.0, 1.0, 0.5]
    # With decimal commas, 1.234 could be either: refused too.
    doubtful = load("employee_id,ethnicity,annual_salary\n1,Indian,1.234\n", decimal_comma=True)
    assert [(p.row, p.value) for p in doubtful.problems] == [(2, "1.234")]


def _pay_rows(count: int, pay: str = "15.00") -> str:
    return "".join(f"P{i},Indian,{pay}\n" for i in range(count))


def test_pay_below_the_legal_minimum_or_far_from_the_rest_stops_until_confirmed():
    """The National Living Wage on 31 March 2024 was £10.42 (from 1 April 2023, age 23 and
    over); the median of this file is £15, so £1,250 is 83 times it."""
    text = (
        "employee_id,ethnicity,hourly_pay\n"
        + _pay_rows(30)
        + "LOW,Indian,9.80\n"  # row 32
        + "HIGH,Indian,1250\n"  # row 33: 12,50 typed with the comma stripped
    )
    flagged = load(text)
    assert flagged.frame is None and flagged.only_needs_confirmation
    assert [(p.row, p.column, p.value) for p in flagged.problems] == [
        (32, "hourly_pay", "9.80"),
        (33, "hourly_pay", "1250"),
    ]
    assert "legal minimum" in flagged.problems[0].message
    assert "£10.42" in flagged.problems[0].message
    assert "10 times the file's median" in flagged.problems[1].message
    assert all(p.confirmable for p in flagged.problems)

    confirmed = load(text, confirm_pay=True)
    assert confirmed.ok, confirmed.problems
    assert confirmed.frame["hourly_pay"].to_list()[-2:] == [9.8, 1250.0]


def test_the_minimum_follows_the_age_and_a_derived_rate_is_reported_on_the_salary():
    """18 to 20 year olds had a minimum of £7.49 on 31 March 2024; a salary of £15,000 at 36
    hours a week is £7.99 an hour."""
    text = (
        "employee_id,ethnicity,age,annual_salary\n"
        "1,Indian,19,15000\n"  # 19: above £7.49, fine
        "2,Indian,30,15000\n"  # 30: below £10.42
        "3,Indian,40,30000\n"
    )
    result = load(text, standard_weekly_hours=36.0)
    assert [(p.row, p.column, p.value) for p in result.problems] == [(3, "annual_salary", "15000")]
    assert "the hourly pay this salary gives" in result.problems[0].message


def test_the_minimum_wage_table_has_each_aprils_rates():
    from equitable.metrics import minimum_wage

    assert minimum_wage.rates_on(date(2024, 3, 31)).living_wage == 10.42
    assert minimum_wage.rates_on(date(2024, 4, 1)).living_wage == 11.44
    assert minimum_wage.rates_on(date(2026, 12, 2)).for_age(19) == 10.85
    assert minimum_wage.rates_on(date(2022, 6, 1)).for_age(22) == 9.18  # 21-22 band then
    assert minimum_wage.rates_on(date(2018, 3, 31)) is None  # before the table: no check


def test_a_rate_derived_from_a_salary_ties_with_the_same_rate_typed_in():
    """Hand-worked: 23,464.35 / (52.143 × 36) = 23,464.35 / 1,877.148 = 12.50 exactly, which
    floating point gives as 12.499999999999998. Kept to 4 places it is 12.5, so in a file of
    40 (top 5% = 2 people) the colleague typed in at 12.50 ties at the boundary and both are
    in the top 5%, with the one person paid 30.00: 3 people."""
    from equitable.metrics.figures import compute_all

    assert 23464.35 / (52.143 * 36) == 12.499999999999998
    text = (
        "employee_id,ethnicity,hourly_pay,annual_salary\n"
        "TOP,Indian,30.00,\n"
        "DERIVED,Indian,,23464.35\n"
        "TYPED,Indian,12.50,\n" + "".join(f"R{i},Irish,11.00,\n" for i in range(37))
    )
    result = load(text, standard_weekly_hours=36.0)
    assert result.ok, result.problems
    assert result.frame["hourly_pay"][1] == 12.5 == result.frame["hourly_pay"][2]
    tables = compute_all(result.frame, present_columns=result.present_columns)
    top = tables["top_5_percent_earners"].row(0, named=True)
    assert top["total"] == 3 and top["ethnic_group"] == "Asian" and top["count"] == 3


def test_a_formula_saved_without_its_value_is_refused_naming_the_cell():
    data = _workbook(
        [
            ["Employee ID", "Ethnicity", "Bonus", "Notes"],
            ["1", "Indian", "=500*2", '=A2&"x"'],  # Notes is not used: its formula is no matter
            ["2", "Irish", 100, ""],
        ]
    )
    result = load(data, "extract.xlsx")
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "bonus_pay", "=500*2")]
    assert "cell C2 holds a formula saved without its value" in result.problems[0].message

    # The same workbook as Excel saves it, with the formula's value: read as that value.
    calculated = _zip_replace(
        data, "xl/worksheets/sheet1.xml", b"<f>500*2</f><v />", b"<f>500*2</f><v>1000</v>"
    )
    result = load(calculated, "extract.xlsx")
    assert result.ok, result.problems
    assert result.frame["bonus_pay"].to_list() == [1000.0, 100.0]


def test_every_list_is_capped_and_says_how_many_more():
    """A column of 3,000 different unrecognised values (the wrong column mapped) gives at most
    the cap of problems, the first 200 values to map and a count of the rest."""
    rows = "".join(f"{i},Value {i:05d},F\n" for i in range(3000))
    rows += "".join(f"D{i % 400},Indian,F\n" for i in range(800))  # 400 ids twice each
    result = load("employee_id,ethnicity,sex\n" + rows, max_problems_per_check=50)
    unrecognised = [p for p in result.problems if p.column == "ethnicity"]
    assert len(unrecognised) == 51
    assert "2,950 more unrecognised ethnicity values on 2,950 rows" in unrecognised[-1].message
    assert len(result.unmapped_values["ethnicity"]) == extract.MAX_UNMAPPED_VALUES
    assert result.unmapped_counts["ethnicity"] == 3000
    assert len(result.suggestions["ethnicity"]) == extract.MAX_UNMAPPED_VALUES
    duplicates = [p for p in result.problems if p.column == "employee_id"]
    assert len(duplicates) == 51 and "350 more employee ids appear more than once" in (
        duplicates[-1].message
    )


def test_a_group_only_value_is_in_its_group_in_every_table():
    """The detailed categories of each group add up to the group in the overall table."""
    from equitable.metrics.figures import compute_all

    text = "employee_id,ethnicity\n" + "".join(
        f"{i},{value}\n"
        for i, value in enumerate(
            ["Asian"] * 3 + ["Indian"] * 4 + ["White"] * 2 + [WHITE_BRITISH_CATEGORY]
        )
    )
    result = load(text)
    tables = compute_all(result.frame, present_columns=result.present_columns)
    overall = {r["ethnic_group"]: r["count"] for r in tables["representation_overall"].to_dicts()}
    detailed = tables["representation_detailed_overall"]
    by_name = {r["ethnicity"]: r for r in detailed.to_dicts()}
    assert by_name["Asian (category not given)"]["count"] == 3
    assert by_name["Asian (category not given)"]["ethnic_group"] == "Asian"
    assert by_name["White (category not given)"]["count"] == 2
    assert by_name[NOT_KNOWN]["count"] == 0
    sums = dict(detailed.group_by("ethnic_group").agg(pl.col("count").sum()).iter_rows())
    assert sums == {g: overall[g] for g in ("Asian", "Black", "Mixed", "White", "Other", "Unknown")}
    # White British: 1; "White (category not given)" is neither White British nor not.
    assert result.frame["white_british"].to_list()[-3:] == [None, None, True]


def test_an_esr_style_extract_is_read_without_a_column_map():
    """Headers and values as NHS ESR exports them (docs/data-formats.md; the reference's
    column names): every value is recognised, and the columns left out are named with what
    they look like."""
    header = [
        "Employee Number", "Assignment Number", "Full Name", "Org L3", "Org L4", "Staff Group",
        "Grade", "Contracted Wte", "Annual Salary", "Ethnic Origin", "Gender", "Disability Flag",
        "Religious Belief", "Sexual Orientation", "Date of Birth",
    ]  # fmt: skip
    people = [
        ("A White - British", "Christianity", "Heterosexual or Straight", "No", "01/02/60"),
        ("C3 White Unspecified", "Atheism", "Unspecified", "Not Declared", "15/07/88"),
        ("Z Not Stated", "I do not wish to disclose my religion/belief",
         "Not stated (person asked but declined to provide a response)", "Unspecified",
         "03/03/75"),
        ("H Asian or Asian British - Indian", "Hinduism", "Bisexual", "Yes", "30/11/01"),
        ("R Chinese", "Unspecified", "Gay or Lesbian", "No", "12/12/69"),
        ("S Any other ethnic group", "Islam", "Heterosexual or Straight", "No", "01/01/90"),
        ("PD Black British", "Christianity", "Heterosexual or Straight", "No", "05/05/85"),
        ("Unspecified", "Unspecified", "Unspecified", "Unspecified", "06/06/66"),
    ]  # fmt: skip
    lines = [",".join(header)]
    for n, (ethnic, religion, orientation, disabled, born) in enumerate(people):
        lines.append(
            f'{1000 + n},{1000 + n}-1,"Person {n}",Surgery,Theatres,Nursing,Band 5,'
            f'{"0.6" if n % 2 else "1"},"£31,250.00",{ethnic},{"Female" if n % 2 else "Male"},'
            f'{disabled},"{religion}","{orientation}",{born}'
        )
    result = load(
        "\n".join(lines) + "\n", standard_weekly_hours=37.5, snapshot_date=date(2025, 3, 31)
    )
    assert result.ok, result.problems
    frame = result.frame
    assert frame["ethnicity"].to_list() == [
        WHITE_BRITISH_CATEGORY,
        "White (category not given)",
        PREFER_NOT_TO_SAY,
        "Indian",
        "Chinese",
        "Any other ethnic group",
        "Black (category not given)",
        NOT_KNOWN,
    ]
    assert frame["religion"].to_list()[:3] == ["Christian", "No religion", PREFER_NOT_TO_SAY]
    assert frame["sexual_orientation"].to_list()[1:3] == [NOT_KNOWN, PREFER_NOT_TO_SAY]
    assert frame["disability"].to_list()[:4] == ["Not disabled", NOT_KNOWN, NOT_KNOWN, "Disabled"]
    assert frame["fte"].to_list()[:2] == [1.0, 0.6]
    assert frame["age"].to_list()[:2] == [65, 36]  # 01/02/60 is 1960
    assert frame["hourly_pay"][0] == round(31250 / (52.143 * 37.5), 4)
    used = result.column_plan.assignment
    assert used["employee_id"] == "Employee Number"
    assert used["disability"] == "Disability Flag" and used["fte"] == "Contracted Wte"
    assert used["religion"] == "Religious Belief" and used["ethnicity"] == "Ethnic Origin"
    looks = {c.column: c.looks_like for c in result.left_out}
    assert looks == {
        "Assignment Number": "employee_id",
        "Org L3": "directorate",
        "Org L4": "division",
        "Staff Group": None,
    }
    assert result.dropped_columns == ["Full Name"]
    assert (
        "Assignment Number (looks like employee_id; employee_id is read from “Employee Number”)"
        in ("\n".join(result.column_plan.lines()))
    )


def test_data_on_a_second_sheet_below_a_merged_title_is_found_and_said_where():
    data = _workbook(
        [["Employee Number", "Ethnic Origin", "Date of birth"], ["7", "Indian", "01/02/60"]],
        title="Workforce extract, 31 March 2024",
        cover=True,
    )
    result = load(data, "extract.xlsx")
    assert result.ok, result.problems
    assert result.source == (
        "Headers found in row 3 of sheet “Staff” (sheet 2 of 2; not used: “Cover”)."
    )
    assert result.frame["age"].to_list() == [64]
    broken = load(
        _workbook([["Employee Number", "Ethnic Origin"], ["7", "Martian"]], title="Extract"),
        "extract.xlsx",
    )
    assert [(p.row, p.value) for p in broken.problems] == [(4, "Martian")]  # spreadsheet row


def test_a_utf16_csv_and_title_rows_above_the_header_are_read():
    text = "Workforce extract\r\nRun 31/03/2024\r\nemployee_id\tethnicity\r\n1\tRésumé Indian\r\n2\tIrish\r\n"
    result = load(text.encode("utf-16"))
    assert result.source == "Headers found in row 3 of the CSV file, UTF-16."
    assert [(p.row, p.value) for p in result.problems] == [(4, "Résumé Indian")]


def test_two_digit_years_are_in_the_past_and_four_digits_are_needed_otherwise():
    result = load(
        "employee_id,ethnicity,date_of_birth,start_date\n"
        "1,Indian,01/02/60,05/01/10\n"  # born 1960, started 2010
        "2,Indian,01-Feb-05,31/03/24\n"  # born 2005 (19 on 31 March 2024), started 2024
        "3,Indian,1970-01-01,31/03/0024\n"  # the year 24 is a typing error, not a start date
    )
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (4, "start_date", "31/03/0024")
    ]
    good = load(
        "employee_id,ethnicity,date_of_birth,start_date\n"
        "1,Indian,01/02/60,05/01/10\n2,Indian,01-Feb-05,31/03/24\n"
    )
    assert good.frame["age"].to_list() == [64, 19]
    assert good.frame["start_date"].to_list() == [date(2010, 1, 5), date(2024, 3, 31)]


def test_a_decompression_bomb_is_refused_before_the_workbook_is_parsed(monkeypatch):
    """A sheet that inflates a thousand times is refused by the size check: fastexcel is never
    called (the bomb is written by streaming zlib, so the test costs a few megabytes)."""
    import zipfile

    import fastexcel

    def never(*args, **kwargs):
        raise AssertionError("fastexcel parsed a workbook that failed the size check")

    monkeypatch.setattr(fastexcel, "read_excel", never)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"<row><c><v>0</v></c></row>" * 4096
            for _ in range(200):  # about 22 MB of XML, 20 KB packed
                sheet.write(block)
    result = load(buffer.getvalue(), "extract.xlsx")
    assert result.frame is None
    assert "decompression bomb" in result.problems[0].message


def test_a_data_row_is_not_taken_for_the_header():
    """Custom headers (mapped by the council) with values that are also header words: the
    first row stays the header; a header with a blank cell stays the header too."""
    custom = load(
        "Ref,Grp,Dis,\n1,Indian,Disabled,x\n2,Irish,Disabled,y\n",
        column_mapping={"Ref": "employee_id", "Grp": "ethnicity", "Dis": "disability"},
    )
    assert custom.ok, custom.problems
    assert custom.source == "Headers found in row 1 of the CSV file."
    assert custom.frame["disability"].to_list() == ["Disabled", "Disabled"]


# --- checks on distinct values, fast paths for clean exports ----------------------------------


CLEAN_EXPORT = (
    "employee_id,ethnicity,sex,pay_band,directorate,annual_salary,fte,date_of_birth,start_date\n"
    "1,Indian,Female,2,People,25000.00,1.00,1990-03-31,2015-06-01\n"
    "2,African,Male,3,Place,31250.50,0.50,1961-02-28,2001-01-15\n"
    "3,Irish,Female,3,People,30000.00,0.80,1964-04-01,2010-09-30\n"
)
SAME_VALUES_WRITTEN_OTHERWISE = (
    "employee_id,ethnicity,sex,pay_band,directorate,annual_salary,fte,date_of_birth,start_date\n"
    ' 1 ,Asian or Asian British - Indian,F, 2 ,People ,"£25,000",1,31/03/1990,01/06/2015\n'
    '2,Black African,male,3,Place,"31,250.50",.5,28-Feb-1961,15.01.2001\n'
    "3,White Irish,female,3, People,£30000,0.8,01/04/1964,30 Sep 2010\n"
)


def test_a_clean_export_and_the_same_values_written_otherwise_give_the_same_frame():
    clean, other = load(CLEAN_EXPORT), load(SAME_VALUES_WRITTEN_OTHERWISE)
    assert clean.ok and other.ok, (clean.problems, other.problems)
    assert clean.frame.equals(other.frame)
    assert clean.frame["age"].to_list() == [34, 63, 59]  # a birthday on the snapshot day counts
    assert clean.frame["start_date"].to_list() == [
        date(2015, 6, 1),
        date(2001, 1, 15),
        date(2010, 9, 30),
    ]


def test_without_a_key_no_keys_are_made_and_nothing_else_changes():
    keyed, unkeyed = load(CLEAN_EXPORT), load(CLEAN_EXPORT, id_key=None)
    assert unkeyed.ok
    assert unkeyed.frame["employee_key"].null_count() == 3
    assert unkeyed.frame.schema == keyed.frame.schema
    assert unkeyed.frame.drop("employee_key").equals(keyed.frame.drop("employee_key"))
    assert unkeyed.present_columns == keyed.present_columns - {"employee_key"}


def test_one_bad_value_among_many_clean_rows_is_found_on_its_row():
    lines = [f"{i},Indian,Female,2,People,25000.00,1.00,1990-03-31,2015-06-01" for i in range(5000)]
    lines[3210] = "3210,Indian,Female,2,People,25000.00,3.5,1990-03-31,2015-06-01"
    lines[4321] = "4321,Indian,Female,2,People,25000.00,1.00,2090-03-31,2015-06-01"
    result = load(CLEAN_EXPORT.splitlines()[0] + "\n" + "\n".join(lines) + "\n")
    assert messages(result) == [
        (3212, "fte", "3.5"),
        (4323, "date_of_birth", "2090-03-31"),
        (4323, "date_of_birth", "2090-03-31"),
    ]
    assert [p.message for p in result.problems] == [
        "full-time equivalent must be above 0 and at most 2",
        "after the snapshot date 2024-03-31",
        "gives an age outside 14 to 100",
    ]


def test_the_keys_of_the_rows_around_blank_rows_are_their_own():
    result = load("employee_id,ethnicity,sex\n A1 ,Indian,F\n,,\n  ,  ,\nB2,Irish,M\n")
    assert result.ok and result.row_count == 2
    expected = [hmac.new(KEY, i, hashlib.sha256).hexdigest()[:32] for i in (b"A1", b"B2")]
    assert result.frame["employee_key"].to_list() == expected
