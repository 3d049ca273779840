"""The one writer every CSV and XLSX export goes through, so that no cell becomes a formula.

Why: directorate names, actions, evidence notes and anything else a person typed can begin with
`=`, `+`, `-`, `@`, a tab or a carriage return. Spreadsheet programs run such a cell as a formula
when they open a CSV (OWASP, "CSV Injection"), and openpyxl writes a Python `str` that starts
with `=` as a live formula into an XLSX. Following OWASP's advice, every text cell that starts
with one of those characters is written with a single quote in front (`'=HYPERLINK(…)`), so the
spreadsheet shows it as text; in XLSX it is also stored as an explicit string cell. Numbers stay
numbers (a negative number is a number, not text starting with `-`), dates stay dates.

`restore_text` undoes exactly what `neutralise` did, so a workbook we wrote and a person edited
reads back as the text they see (the action-plan import uses it): text that itself starts with
quotes followed by a dangerous character gets one more quote, so the mapping is reversible.

Pure module: no Django. Source: OWASP, CSV Injection,
https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# OWASP: cells starting with these are read as formulas by Excel, LibreOffice and Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """Whether a text cell would be run as a formula, or is one of our quoted cells' lookalikes
    (quotes before a trigger), which must gain a quote too for `restore_text` to be exact."""
    return text.lstrip(QUOTE).startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """The text as written into a cell: a quote in front when it would otherwise be a formula."""
    return QUOTE + text if needs_quote(text) else text


def restore_text(text: str) -> str:
    """The text a person meant, from a cell `neutralise` wrote (the inverse of `neutralise`)."""
    if text.startswith(QUOTE) and needs_quote(text[1:]):
        return text[1:]
    return text


def cell_value(value: Any) -> Any:
    """A value as a cell holds it: numbers, dates and blanks as they are, everything else as
    neutralised text. Infinite or not-a-number floats are blank (no spreadsheet can hold them);
    a timezone-aware datetime is written as ISO 8601 text, because Excel cannot store a zone."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        return value.isoformat() if value.tzinfo is not None else value
    if isinstance(value, date):
        return value
    return neutralise(str(value))


# --- CSV --------------------------------------------------------------------------------------


def _csv_field(value: Any) -> Any:
    value = cell_value(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def write_csv(handle, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Header then rows to a text handle, every field made inert (headers too)."""
    writer = csv.writer(handle, lineterminator="\r\n")
    writer.writerow([_csv_field(name) for name in header])
    for row in rows:
        writer.writerow([_csv_field(value) for value in row])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens "£" and "é" as they are."""
    return csv_text(header, rows).encode("utf-8-sig")


# --- XLSX -------------------------------------------------------------------------------------


def xlsx_cell(sheet, value: Any, number_format: str | None = None) -> Cell:
    """One cell for `sheet.append([...])` (normal or write-only sheets): text is an explicit
    string cell (never a formula), with characters XML cannot hold removed."""
    value = cell_value(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = Cell(sheet, row=1, column=1, value=value)  # placed by append, as WriteOnlyCell is
    if isinstance(value, str):
        cell.data_type = "s"
    if number_format is not None and value is not None:
        cell.number_format = number_format
    return cell


def append_row(
    sheet, values: Sequence[Any], number_formats: Sequence[str | None] | None = None
) -> None:
    """Append a row of values to an openpyxl sheet through `xlsx_cell`."""
    formats = list(number_formats or [])
    formats += [None] * (len(values) - len(formats))
    sheet.append([xlsx_cell(sheet, v, f) for v, f in zip(values, formats, strict=False)])


def append_header(sheet, header: Sequence[str]) -> None:
    """A bold header row."""
    cells = [xlsx_cell(sheet, name) for name in header]
    for cell in cells:
        cell.font = Font(bold=True)
    sheet.append(cells)


def sheet_title(name: str) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\ (Excel refuses them)."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip(" '") or "Sheet"
    return cleaned[:31]


def unique_sheet_titles(names: Iterable[str]) -> dict[str, str]:
    """Each name's sheet title: valid, and unique within one workbook (case-insensitively)."""
    result: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        title = sheet_title(name)
        counter = 2
        while title.casefold() in used:
            suffix = f" ({counter})"
            title = sheet_title(name)[: 31 - len(suffix)] + suffix
            counter += 1
        used.add(title.casefold())
        result[name] = title
    return result


def xlsx_bytes(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    *,
    number_formats: dict[str, Sequence[str | None]] | None = None,
    widths: dict[str, Sequence[int]] | None = None,
    write_only: bool = False,
) -> bytes:
    """A workbook of (title, header, rows) sheets: bold header, frozen first row (not in
    write-only mode, which large exports use), each column's number format and width."""
    workbook = Workbook(write_only=write_only)
    titles = unique_sheet_titles(title for title, _, _ in sheets)
    if not write_only:
        workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(titles[title])
        append_header(sheet, header)
        formats = (number_formats or {}).get(title)
        for row in rows:
            append_row(sheet, row, formats)
        if not write_only:
            sheet.freeze_panes = "A2"
            for index, width in enumerate((widths or {}).get(title, ()), start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
    if not sheets:
        workbook.create_sheet("Empty")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
