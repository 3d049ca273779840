"""The one CSV/XLSX writer: text that would run as a formula is written inert, numbers stay
numbers, and reading back undoes exactly what writing did."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from equitable.files import tabular
from tests.files.inert import DANGEROUS, TRIGGERS, csv_rows, runs_as_formula


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_dangerous_text_gains_one_quote_and_reads_back(text):
    written = tabular.neutralise(text)
    assert written == "'" + text
    assert tabular.restore_text(written) == text


@pytest.mark.parametrize("text", ["Place", "People's services", "Chief Executive's", "", "1-2"])
def test_ordinary_text_is_left_as_it_is(text):
    assert tabular.neutralise(text) == text
    assert tabular.restore_text(text) == text


def test_text_that_already_starts_with_a_quote_before_a_trigger_round_trips():
    """A person typing '=x themselves must get '=x back, not =x."""
    for text in ["'=x", "''-1", "'@a"]:
        assert tabular.restore_text(tabular.neutralise(text)) == text
    assert tabular.restore_text("'plain") == "'plain"  # not ours: left alone


@given(st.text(max_size=20))
def test_neutralise_is_always_reversible_and_never_leaves_a_trigger_first(text):
    written = tabular.neutralise(text)
    assert tabular.restore_text(written) == text
    assert not written.startswith(TRIGGERS)


def test_numbers_stay_numbers_and_blanks_blank():
    assert tabular.cell_value(-2) == -2
    assert tabular.cell_value(-2.5) == -2.5
    assert tabular.cell_value(Decimal("-18.80")) == Decimal("-18.80")
    assert tabular.cell_value(None) is None
    assert tabular.cell_value(float("nan")) is None
    assert tabular.cell_value(float("inf")) is None
    assert tabular.cell_value(date(2025, 3, 31)) == date(2025, 3, 31)
    assert tabular.cell_value(datetime(2025, 3, 31, 9, 30, tzinfo=UTC)) == (
        "2025-03-31T09:30:00+00:00"
    )
    assert tabular.cell_value("-2") == "'-2"  # text that looks like a number is still text


@pytest.mark.parametrize("write_only", [False, True])
def test_xlsx_has_no_formula_cell_and_keeps_numbers_and_dates(write_only):
    rows = [[text, -2, 18.8, Decimal("2.5"), date(2025, 3, 31), None] for text in DANGEROUS]
    data = tabular.xlsx_bytes(
        [("Evidence", ["Note", "Change", "Pay", "Ratio", "On", "Blank"], rows)],
        write_only=write_only,
    )
    (sheet,) = read_xlsx(data)
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c for c in cells if c.data_type == "f"] == []
    body = list(sheet.iter_rows(min_row=2))
    # XML keeps a carriage return as a line feed: the cell still starts with the quote.
    assert [row[0].value for row in body] == ["'" + t.replace("\r", "\n") for t in DANGEROUS]
    assert all(row[0].data_type == "s" for row in body)
    assert {(row[1].value, row[1].data_type) for row in body} == {(-2, "n")}
    assert {(row[2].value, row[2].data_type) for row in body} == {(18.8, "n")}
    assert {row[3].value for row in body} == {2.5}
    assert {row[4].value.date() for row in body} == {date(2025, 3, 31)}
    assert {row[5].value for row in body} == {None}


def test_append_row_on_a_sheet_of_our_own_is_inert_too():
    workbook = Workbook()
    tabular.append_header(workbook.active, ["=A1"])
    tabular.append_row(workbook.active, ["=1+1", 3], ["@", "0.0"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert list(sheet.values) == [("'=A1", None), ("'=1+1", 3)]
    assert sheet["A1"].font.bold
    assert sheet["B2"].number_format == "0.0"


def test_control_characters_xml_cannot_hold_are_dropped_not_crashed_on():
    (sheet,) = read_xlsx(tabular.xlsx_bytes([("S", ["a"], [["bell\x07 and nul\x00"]])]))
    assert sheet["A2"].value == "bell and nul"


def test_csv_has_no_text_field_starting_with_a_trigger_and_numbers_stay_bare():
    text = tabular.csv_text(["Directorate", "Change"], [[t, -2] for t in DANGEROUS])
    rows = csv_rows(text)
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if runs_as_formula(f)]
    assert [row[0] for row in rows[1:]] == ["'" + t for t in DANGEROUS]
    assert {row[1] for row in rows[1:]} == {"-2"}
    assert "\r\n-2" not in text and ",-2\r\n" in text  # a number is written bare


def test_csv_bytes_carry_a_byte_order_mark_for_excel():
    data = tabular.csv_bytes(["Mean hourly pay (£)"], [[18.8]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["Mean hourly pay (£)", "18.8"]


def test_sheet_titles_are_valid_and_unique():
    titles = tabular.unique_sheet_titles(
        ["top_5_percent_earners_by_disability", "top_5_percent_earners_by_disability_x", "a/b"]
    )
    assert all(len(t) <= 31 for t in titles.values())
    assert len(set(titles.values())) == 3
    assert titles["a/b"] == "a b"
