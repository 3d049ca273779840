"""Mapping a council's own headers and values onto the service-user columns: what is suggested,
what must be asked, and that the mapped file gives the same counts as a file already in our
words."""

from __future__ import annotations

import io

from equitable.metrics.service_users import records
from tests.service_users.factories import COUNCIL_COLUMNS, COUNCIL_CSV, COUNCIL_VALUES

HEADERS = ["Case Ref", "Date Logged", "Ethnic Origin", "Gender Identity", "Sex", "Name", "Email"]


def test_headers_are_suggested_from_names_and_aliases_each_column_once():
    suggested = records.suggest_column_mapping(HEADERS)
    assert suggested["Ethnic Origin"] == "ethnicity"
    assert suggested["Gender Identity"] == "gender_reassignment"
    assert suggested["Sex"] == "sex"
    assert suggested["Date Logged"] == ""  # not a header we know: asked
    assert records.undecided_columns(HEADERS) == ["Case Ref", "Date Logged"]


def test_a_remembered_mapping_decides_every_column():
    remembered = {**COUNCIL_COLUMNS, "Name": "", "Email": ""}
    assert records.suggest_column_mapping(HEADERS, remembered)["Date Logged"] == "date"
    assert records.undecided_columns(HEADERS, remembered) == []


def test_a_remembered_target_given_twice_is_asked_again():
    suggested = records.suggest_column_mapping(
        ["Logged", "Closed"], {"Logged": "date", "Closed": "date"}
    )
    assert suggested == {"Logged": "date", "Closed": ""}


def test_the_service_column_is_never_offered_for_mapping():
    assert "Service Area" not in records.suggest_column_mapping(["Service Area", "Sex"])
    assert "service" not in records.mappable_columns("records")


def test_values_are_suggested_only_where_they_say_what_they_mean():
    assert records.suggest_value("ethnicity", "Black African (BA)").value == "African"
    trans = records.suggest_value("gender_reassignment", "Trans woman (MtF)")
    assert trans.value == records.GENDER_REASSIGNMENT_VALUES[1]
    assert records.suggest_value("gender_reassignment", "Cis").value is None
    assert "African" in records.value_vocabulary("ethnicity")
    assert records.value_vocabulary("marriage_civil_partnership") == records.MARRIAGE_VALUES


def test_the_council_file_maps_to_the_hand_checked_counts():
    import polars as pl

    from equitable.metrics.extract import read_extract

    table = read_extract(io.BytesIO(COUNCIL_CSV), "complaints.csv")
    frame = table.frame.with_columns(pl.lit("Complaints").alias("service"))
    unmapped = records.validate_service_extract(frame, column_mapping=COUNCIL_COLUMNS)
    assert not unmapped.ok
    assert unmapped.unmapped_values == {
        "ethnicity": ["Black African (BA)", "Wht Brit"],
        "gender_reassignment": ["Cis"],
    }
    result = records.validate_service_extract(
        frame, column_mapping=COUNCIL_COLUMNS, value_mapping=COUNCIL_VALUES
    )
    assert result.ok, result.problems
    assert "Name" in result.dropped_columns and "Email" in result.dropped_columns
    got = {
        (r["quarter"], r["characteristic"], r["value"]): r["count"]
        for r in result.counts.to_dicts()
    }
    assert got == {
        ("2024-Q1", "ethnicity", "White"): 2,
        ("2024-Q1", "ethnicity", "Black"): 1,
        ("2024-Q1", "sex", "Female"): 2,
        ("2024-Q1", "sex", "Male"): 1,
        ("2024-Q1", "gender_reassignment", records.GENDER_REASSIGNMENT_VALUES[0]): 3,
        ("2024-Q2", "ethnicity", "White"): 1,
        ("2024-Q2", "ethnicity", "Black"): 1,
        ("2024-Q2", "ethnicity", "Asian"): 1,
        ("2024-Q2", "ethnicity", "Prefer not to say"): 1,
        ("2024-Q2", "sex", "Female"): 2,
        ("2024-Q2", "sex", "Male"): 2,
        ("2024-Q2", "gender_reassignment", records.GENDER_REASSIGNMENT_VALUES[0]): 2,
        ("2024-Q2", "gender_reassignment", records.GENDER_REASSIGNMENT_VALUES[1]): 1,
        ("2024-Q2", "gender_reassignment", "Not known"): 1,
    }


def test_a_mapping_to_a_column_the_file_lacks_is_a_problem_not_a_crash():
    import polars as pl

    frame = pl.DataFrame({"Sex": ["F"], "service": ["Complaints"]})
    result = records.validate_service_extract(frame, column_mapping={"Logged": "date"})
    assert not result.ok
    assert any(p.column == "Logged" and "not in the file" in p.message for p in result.problems)
