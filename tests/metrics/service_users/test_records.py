"""Reading a service's extract: both shapes become the same counts, and every problem is
listed with its row and column."""

from __future__ import annotations

import polars as pl

from equitable.metrics.service_users.records import (
    NOT_RECORDED,
    age_band_of,
    census_band,
    quarter_of,
    read_service_extract,
    validate_service_extract,
)


def text_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})


def count_of(counts: pl.DataFrame, **where) -> int:
    found = counts.filter(*(pl.col(k) == v for k, v in where.items()))
    return int(found["count"].sum())


RECORDS = [
    {
        "Case ID": "C1",
        "Service": "Complaints",
        "Date received": "03/02/2024",
        "Ethnicity": "Indian",
        "Sex": "F",
        "Age": "34",
        "Full name": "Ann Example",
    },
    {
        "Case ID": "C2",
        "Service": "Complaints",
        "Date received": "2024-05-20",
        "Ethnicity": "White British",
        "Sex": "Male",
        "Age": "70",
        "Full name": "Bo Example",
    },
    {
        "Case ID": "C3",
        "Service": "Complaints",
        "Date received": "",
        "Ethnicity": "",
        "Sex": "Prefer not to say",
        "Age": "",
        "Full name": "Cy Example",
    },
]


def test_one_row_per_case_becomes_counts_per_quarter_and_value():
    extract = validate_service_extract(text_frame(RECORDS))
    assert extract.ok, extract.problems
    assert extract.shape == "records"
    assert extract.dropped_columns == ["Full name"]  # never read
    assert extract.characteristics == ("age", "ethnicity", "sex")
    counts = extract.counts
    assert count_of(counts, quarter="2024-Q1", characteristic="ethnicity", value="Asian") == 1
    assert count_of(counts, quarter="2024-Q2", characteristic="ethnicity", value="White") == 1
    assert (
        count_of(counts, quarter=NOT_RECORDED, characteristic="ethnicity", value="Not known") == 1
    )
    assert count_of(counts, characteristic="age", value="65-74") == 1
    assert count_of(counts, characteristic="sex", value="Prefer not to say") == 1
    # every characteristic counts every record once
    for characteristic in extract.characteristics:
        assert count_of(counts, characteristic=characteristic) == 3
    assert "Ann Example" not in str(counts.to_dicts())


def test_counts_shape_is_read_into_the_same_frame():
    rows = [
        {
            "service": "Complaints",
            "characteristic": "Ethnic group",
            "value": "Asian",
            "count": "3",
            "quarter": "Q1 2024",
        },
        {
            "service": "Complaints",
            "characteristic": "ethnicity",
            "value": "Not stated",
            "count": "1",
            "quarter": "2024 Q1",
        },
        {
            "service": "Complaints",
            "characteristic": "Sex",
            "value": "Female",
            "count": "4",
            "quarter": "2024-Q1",
        },
    ]
    extract = validate_service_extract(text_frame(rows))
    assert extract.ok, extract.problems
    assert extract.shape == "counts"
    counts = extract.counts
    assert count_of(counts, characteristic="ethnicity", value="Asian", quarter="2024-Q1") == 3
    assert (
        count_of(counts, characteristic="ethnicity", value="Prefer not to say")
        + count_of(counts, characteristic="ethnicity", value="Not known")
        == 1
    )
    assert count_of(counts, characteristic="sex", value="Female") == 4


def test_every_problem_of_a_records_file_names_its_row_and_column():
    rows = [dict(r) for r in RECORDS]
    rows[0]["Ethnicity"] = "Martian"
    rows[1]["Date received"] = "yesterday"
    rows[2]["Age"] = "old"
    extract = validate_service_extract(text_frame(rows))
    assert extract.counts is None
    found = {(p.row, p.column) for p in extract.problems}
    assert (2, "ethnicity") in found
    assert (3, "date") in found
    assert (4, "age") in found


def test_a_file_without_any_characteristic_is_refused():
    extract = validate_service_extract(
        text_frame([{"service": "Complaints", "date": "2024-01-01"}])
    )
    assert extract.counts is None
    assert any("no protected characteristic" in p.message for p in extract.problems)


def test_counts_problems_name_row_and_column():
    rows = [
        {"service": "A", "characteristic": "Star sign", "value": "Leo", "count": "3"},
        {"service": "A", "characteristic": "Sex", "value": "Purple", "count": "3"},
        {"service": "A", "characteristic": "Sex", "value": "Male", "count": "-2"},
    ]
    extract = validate_service_extract(text_frame(rows))
    assert extract.counts is None
    found = {(p.row, p.column) for p in extract.problems}
    assert (4, "count") in found
    rows[2]["count"] = "2"
    extract = validate_service_extract(text_frame(rows))
    found = {(p.row, p.column) for p in extract.problems}
    assert found == {(2, "characteristic"), (3, "value")}


def test_counts_whose_characteristics_count_different_people_are_refused():
    rows = [
        {"service": "A", "characteristic": "Sex", "value": "Male", "count": "10"},
        {"service": "A", "characteristic": "Ethnicity", "value": "Asian", "count": "12"},
    ]
    extract = validate_service_extract(text_frame(rows))
    assert extract.counts is None
    (problem,) = extract.problems
    assert problem.row == 2 and problem.column == "count"
    assert "ethnic group 12" in problem.message and "sex 10" in problem.message


def test_an_age_band_across_a_census_boundary_is_a_problem():
    rows = [{"service": "A", "age_band": "18-30"}, {"service": "A", "age_band": "25-34"}]
    extract = validate_service_extract(text_frame(rows))
    assert [(p.row, p.column) for p in extract.problems] == [(2, "age_band")]


def test_an_unreadable_file_is_one_problem():
    extract = read_service_extract(b"\x00\x01\x02garbage", "x.xlsx")
    assert extract.counts is None and len(extract.problems) == 1


def test_bands_and_quarters():
    assert age_band_of(14) == "Under 15" and age_band_of(15) == "15-24" and age_band_of(90) == "85+"
    assert census_band("16-24") == "15-24"
    assert census_band("65+") is None  # 65+ spans 65-74, 75-84 and 85+
    assert census_band("85+") == "85+"
    assert quarter_of("Q3 2025") == "2025-Q3" and quarter_of("2025q4") == "2025-Q4"
    assert quarter_of("2025-13") is None


def test_a_case_reference_repeated_within_a_service_is_a_problem():
    rows = [
        {"service": "A", "record_id": "C1", "sex": "Male"},
        {"service": "B", "record_id": "C1", "sex": "Male"},  # another service: fine
        {"service": "A", "record_id": "C1", "sex": "Female"},
    ]
    extract = validate_service_extract(text_frame(rows))
    assert [(p.row, p.column) for p in extract.problems] == [(2, "service")]
    assert "rows 2, 4" in extract.problems[0].message


def test_an_excel_workbook_is_read_like_a_csv():
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Service", "Ethnic group", "Age"])
    sheet.append(["Libraries", "Black Caribbean", 19])
    sheet.append(["Libraries", "Irish", 80])
    buffer = io.BytesIO()
    book.save(buffer)
    extract = read_service_extract(buffer.getvalue(), "libraries.xlsx")
    assert extract.ok, extract.problems
    assert count_of(extract.counts, characteristic="ethnicity", value="Black") == 1
    assert count_of(extract.counts, characteristic="age", value="15-24") == 1
    assert count_of(extract.counts, characteristic="age", value="75-84") == 1


def test_odd_files_give_problems_not_errors():
    for body in (b"", b"service,sex\n", b"\xff\xfe\x00garbage", b"a\n" * 3):
        extract = read_service_extract(body, "odd.csv")
        assert extract.counts is None and extract.problems
