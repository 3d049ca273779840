"""Read an HR extract's cells as text, from CSV or Excel, and find its header row.

What it guarantees (docs/data-formats.md, "Files"):

* CSV in UTF-8 (with or without a byte order mark), UTF-16 or UTF-32 with a byte order mark
  (Excel's "Unicode Text"), else Windows-1252; comma, semicolon, tab or bar separated.
* Excel .xlsx / .xlsm: bounded before it is parsed (`equitable.files.limits.check_zip` with
  `WORKBOOK_BUDGET`), the first sheet whose rows hold recognised headers (else the first
  sheet), and every formula cell saved without its value listed (fastexcel, like any reader
  that does not calculate, reads such a cell as blank: a bonus of `=500*2` would become no
  bonus).
* The header row is found among the first `HEADER_SEARCH_ROWS` rows (title rows, merged or not,
  may sit above it), and `SourceTable.header_row` says where, so rows keep their spreadsheet
  numbers.

Pure library: no Django. Cells stay text; `extract.validate_extract` casts and checks them.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree

import polars as pl

from equitable.files.limits import UnsafeFile, ZipBudget, check_zip, read_member
from equitable.metrics.classification import normalise
from equitable.metrics.schema import CANONICAL_COLUMNS, DIRECT_IDENTIFIER_HEADERS, LIKELY_HEADERS

# A 1,000,000-row workbook extract (20 columns) unpacks to about 900 MB of sheet XML with
# inline strings and 400-500 MB with shared strings (benchmarks: 100,000 rows made 86 MB); XML
# of real data compresses 8 to 15 times. 600 MB and a ratio of 100 admit every such extract up
# to several hundred thousand rows and refuse a bomb long before it costs memory (the issue's
# 4.2 MB workbook that took fastexcel to 2.6 GB is refused after 420 MB of inflating, in
# 64 KB steps). A larger extract is accepted as CSV, which is not compressed.
WORKBOOK_BUDGET = ZipBudget(max_unpacked_bytes=600 * 1024 * 1024, max_ratio=100, max_entries=2000)
# Rows searched for the header (title rows above it are common in HR reports).
HEADER_SEARCH_ROWS = 20
# Formula cells without a value kept for the report (the count is always exact).
MAX_FORMULA_CELLS = 10_000
_SNIFF_BYTES = 256 * 1024
_CHUNK = 1024 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
_SEPARATORS = (",", ";", "\t", "|")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_FORMULA_TAG = re.compile(rb"<(" + _PREFIX + rb")f[\s>/]")
_ROW_END = re.compile(rb"</" + _PREFIX + rb"row>")
_CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3})([0-9]+)\"")
_CELL_TYPE = re.compile(rb"\bt=\"([a-z]+)\"")
_FORMULA_TEXT = re.compile(rb"<" + _PREFIX + rb"f\b[^>]*?(?:/>|>(.*?)</" + _PREFIX + rb"f>)", re.S)
_VALUE = re.compile(rb"<" + _PREFIX + rb"v\b[^>]*?(?:/>|>(.*?)</" + _PREFIX + rb"v>)", re.S)


class ExtractReadError(ValueError):
    """The file could not be read as a table at all (not a data problem inside it)."""


@dataclass(frozen=True)
class FormulaCell:
    """A formula cell saved without its calculated value (read as blank by any parser)."""

    row: int  # spreadsheet row
    reference: str  # "C4"
    formula: str  # "=500*2"


@dataclass
class SourceTable:
    """Every cell below the header as text (null when empty), and where the header was found.

    `formula_cells` maps a header to the formula cells without a value in its column (at most
    MAX_FORMULA_CELLS kept in all), `formula_counts` to how many there are.
    """

    frame: pl.DataFrame
    header_row: int = 1
    kind: str = "CSV"
    encoding: str = ""
    sheet: str | None = None
    sheet_number: int | None = None
    sheet_count: int | None = None
    skipped_sheets: list[str] = field(default_factory=list)
    formula_cells: dict[str, list[FormulaCell]] = field(default_factory=dict)
    formula_counts: dict[str, int] = field(default_factory=dict)

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def description(self) -> str:
        """Where the headers were found, in words ("Headers found in row 3 of sheet “Staff”
        (sheet 2 of 2; not used: “Cover”)."), for the person importing."""
        if self.sheet is None:
            encoding = f", {self.encoding}" if self.encoding else ""
            return f"Headers found in row {self.header_row} of the CSV file{encoding}."
        text = f"Headers found in row {self.header_row} of sheet “{self.sheet}”"
        if self.sheet_count and self.sheet_count > 1:
            text += f" (sheet {self.sheet_number} of {self.sheet_count}"
            if self.skipped_sheets:
                names = ", ".join(f"“{name}”" for name in self.skipped_sheets)
                text += f"; not used: {names}"
            text += ")"
        return text + "."


# --- the header row ---------------------------------------------------------------------------


def header_key(header: str) -> str:
    """A header as matched: case, spaces and punctuation ignored ("Employee_Number",
    "EmployeeNumber" and "employee number" are the same header)."""
    return normalise(header).replace(" ", "")


def _known_headers() -> frozenset[str]:
    names: set[str] = set()
    for name, spec in CANONICAL_COLUMNS.items():
        names.update(header_key(alias) for alias in (name, *spec.aliases))
    names.update(header_key(h) for h in (*DIRECT_IDENTIFIER_HEADERS, *LIKELY_HEADERS))
    return frozenset(names)


_KNOWN_HEADERS = _known_headers()


def _header_score(cells: Iterable[str | None]) -> tuple[int, int]:
    """(recognised headers, non-empty cells) of one row."""
    texts = [str(cell).strip() for cell in cells if cell is not None and str(cell).strip()]
    return sum(header_key(text) in _KNOWN_HEADERS for text in texts), len(texts)


def header_index(rows: list[list[str | None]]) -> tuple[int, int]:
    """(index of the header among `rows`, recognised headers in it).

    The row with the most recognised headers (the first of equals), when it has at least two: a
    data row seldom holds two header words ("Disabled" is a value and a header), a header row
    names at least the id and the ethnicity. Otherwise the first row that fills more than half
    as many cells as the fullest row: a title row above the header fills one or two, and a
    header with a blank cell still counts as the header.
    """
    scores = [_header_score(row) for row in rows[:HEADER_SEARCH_ROWS]]
    if not scores:
        return 0, 0
    most = max(recognised for recognised, _ in scores)
    if most >= 2:
        return next(i for i, (recognised, _) in enumerate(scores) if recognised == most), most
    widest = max(count for _, count in scores)
    index = next(i for i, (_, count) in enumerate(scores) if count * 2 > widest)
    return index, scores[index][0]


def _unique_headers(cells: list[str | None], fallback: list[str]) -> list[str]:
    """Header names: trimmed, empty ones named after their position, repeats marked as polars
    marks them ("_duplicated_1"), which validation reports."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for cell, spare in zip(cells, fallback, strict=True):
        name = " ".join(str(cell).replace("\ufeff", "").split()) if cell is not None else ""
        name = name or spare
        if name in seen:
            seen[name] += 1
            name = f"{name}_duplicated_{seen[name] - 1}"
        else:
            seen[name] = 0
        names.append(name)
    return names


# --- CSV --------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[bytes, str]:
    """Bytes polars can read (UTF-8, or Windows-1252 found later) and the encoding named."""
    if data.startswith(_UTF8_BOM):
        return data[len(_UTF8_BOM) :], "UTF-8"
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8"), name
            except UnicodeDecodeError:
                raise ExtractReadError(f"the file starts like {name} text but is not") from None
    return data, ""


def _from_windows_1252(data: bytes) -> bytes:
    """Excel's plain "CSV" is Windows-1252; a byte it leaves undefined is read as Latin-1."""
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").encode("utf-8")


def _csv_layout(data: bytes) -> tuple[str, int, int]:
    """(separator, index of the header line, recognised headers) from the first lines."""
    sample = data[:_SNIFF_BYTES].decode("utf-8", errors="replace")
    lines = sample.splitlines()[:HEADER_SEARCH_ROWS]
    best = (",", 0, -1, 0)  # separator, header index, score, width
    for separator in _SEPARATORS:
        rows: list[list[str | None]] = [
            list(next(csv.reader([line], delimiter=separator), [])) for line in lines
        ]
        index, score = header_index(rows)
        width = _header_score(rows[index])[1] if rows else 0
        if (score, width) > (best[2], best[3]):
            best = (separator, index, score, width)
    return best[0], best[1], max(best[2], 0)


def _polars_reason(error: Exception) -> str:
    """The short reason inside polars' long error text (which suggests options for coders)."""
    text = str(error)
    if "Original error: ```" in text:
        text = text.split("Original error: ```", 1)[1].split("```", 1)[0]
    return " ".join(text.split())[:300]


def _polars_csv(data: bytes, separator: str, skip: int) -> pl.DataFrame:
    try:
        return pl.read_csv(
            io.BytesIO(data),
            infer_schema=False,
            separator=separator,
            skip_rows=skip,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.ComputeError:
        raise
    except pl.exceptions.PolarsError as error:
        raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None


def read_csv(data: bytes) -> SourceTable:
    """UTF-8 (a byte order mark is dropped), UTF-16/32 with a byte order mark, or, when polars
    finds invalid UTF-8, Windows-1252. Polars checks the encoding itself, so a UTF-8 file is
    never decoded in Python (only its first lines, to find the header)."""
    data, encoding = _decode(data)
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise ExtractReadError("the file is empty")
    separator, skip, _ = _csv_layout(data)
    try:
        frame = _polars_csv(data, separator, skip)
    except pl.exceptions.ComputeError as error:
        if "utf-8" not in str(error).lower():
            raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None
        data = _from_windows_1252(data)
        encoding = "Windows-1252"
        try:
            frame = _polars_csv(data, separator, skip)
        except pl.exceptions.ComputeError as error:
            raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None
    names = _unique_headers(list(frame.columns), [f"column_{i + 1}" for i in range(frame.width)])
    return SourceTable(
        frame.rename(dict(zip(frame.columns, names, strict=True))),
        header_row=skip + 1,
        encoding=encoding,
    )


# --- Excel ------------------------------------------------------------------------------------


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def read_xlsx(data: bytes) -> SourceTable:
    """The sheet holding the extract: bounded first, then parsed once by fastexcel."""
    import fastexcel

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExtractReadError("not a readable Excel (.xlsx) file: it is not a workbook")
    try:
        check_zip(data, WORKBOOK_BUDGET)
    except UnsafeFile as error:
        raise ExtractReadError(f"the workbook cannot be opened safely: {error}") from None
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
        chosen = None
        for index, name in enumerate(names):
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            frame = sheet.to_polars()
            absolute = [column.absolute_index for column in sheet.available_columns()]
            rows = [list(row) for row in frame.head(HEADER_SEARCH_ROWS).iter_rows()]
            header, score = header_index(rows)
            if chosen is None or score > 0:
                chosen = (index, name, frame, absolute, header)
            if score > 0:
                break
    except (fastexcel.FastExcelError, OSError, ValueError) as error:
        raise ExtractReadError(f"not a readable Excel (.xlsx) file: {error}") from None
    if chosen is None:
        raise ExtractReadError("the workbook has no sheets")
    index, name, frame, absolute, header = chosen
    frame = frame.with_columns(pl.all().cast(pl.String))
    cells = list(frame.row(header)) if frame.height > header else [None] * frame.width
    headers = _unique_headers(cells, [_column_letters(i) for i in absolute])
    body = frame.slice(header + 1).rename(dict(zip(frame.columns, headers, strict=True)))
    table = SourceTable(
        body,
        header_row=header + 1,
        kind="Excel workbook",
        sheet=name,
        sheet_number=index + 1,
        sheet_count=len(names),
        skipped_sheets=[n for i, n in enumerate(names) if i < index],
    )
    if len(names) > index + 1:
        table.skipped_sheets += names[index + 1 :]
    by_column = dict(zip(absolute, headers, strict=True))
    for cell, letters in _formulas_without_values(data, index, header + 1):
        header_name = by_column.get(_column_index(letters))
        if header_name is None:
            continue
        table.formula_counts[header_name] = table.formula_counts.get(header_name, 0) + 1
        if sum(len(v) for v in table.formula_cells.values()) < MAX_FORMULA_CELLS:
            table.formula_cells.setdefault(header_name, []).append(cell)
    return table


def _sheet_path(archive: zipfile.ZipFile, index: int) -> str | None:
    """The archive member of the index-th sheet (workbook order, as fastexcel numbers them)."""
    try:
        workbook = ElementTree.fromstring(read_member(archive, "xl/workbook.xml", 16 << 20))
        rels = ElementTree.fromstring(read_member(archive, "xl/_rels/workbook.xml.rels", 16 << 20))
    except (KeyError, ElementTree.ParseError, UnsafeFile):
        return None
    sheets = workbook.findall(f"{_SHEET_NS}sheets/{_SHEET_NS}sheet")
    if index >= len(sheets):
        return None
    wanted = sheets[index].get(_REL_ID)
    for rel in rels.findall(f"{_RELS_NS}Relationship"):
        if rel.get("Id") == wanted:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _formulas_without_values(
    data: bytes, sheet_index: int, header_row: int
) -> Iterable[tuple[FormulaCell, str]]:
    """(cell, column letters) for each formula cell below the header saved without a value.

    Streams the sheet's XML in 1 MB pieces (it has passed the size budget): first only to see
    whether it holds a formula at all (the usual answer is no, at the cost of one `re.search`
    per piece), then, if it does, cell by cell around each formula tag. A cell has a value when
    its <v> is not empty, or when it is a text formula (t="str") whose value is the empty text.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    path = _sheet_path(archive, sheet_index)
    if path is None or path not in archive.namelist():
        return
    if not _has_formula(archive, path):
        return
    with archive.open(path) as stream:
        carry = b""
        while piece := stream.read(_CHUNK):
            buffer = carry + piece
            cut = _last_row_end(buffer)
            if cut is None:
                carry = buffer
                continue
            yield from _scan_cells(buffer[:cut], header_row)
            carry = buffer[cut:]
        if carry:
            yield from _scan_cells(carry, header_row)


def _has_formula(archive: zipfile.ZipFile, path: str) -> bool:
    with archive.open(path) as stream:
        tail = b""
        while piece := stream.read(_CHUNK):
            if _FORMULA_TAG.search(tail + piece):
                return True
            tail = piece[-16:]
    return False


def _last_row_end(buffer: bytes) -> int | None:
    end = None
    start = max(0, len(buffer) - _CHUNK - 4096)
    for match in _ROW_END.finditer(buffer, start):
        end = match.end()
    return end


def _scan_cells(block: bytes, header_row: int) -> Iterable[tuple[FormulaCell, str]]:
    position = 0
    while match := _FORMULA_TAG.search(block, position):
        prefix = match.group(1)
        start = block.rfind(b"<" + prefix + b"c ", 0, match.start())
        end = block.find(b"</" + prefix + b"c>", match.start())
        if start < 0 or end < 0:
            position = match.end()
            continue
        position = end
        cell = block[start:end]
        opening = cell[: cell.find(b">") + 1]
        reference = _CELL_REF.search(opening)
        if reference is None:
            continue
        row = int(reference.group(2))
        if row <= header_row:
            continue
        value = _VALUE.search(cell)
        kind = _CELL_TYPE.search(opening)
        is_text = kind is not None and kind.group(1) == b"str"
        if value is not None and (value.group(1) or is_text):
            continue
        formula = _FORMULA_TEXT.search(cell)
        text = formula.group(1) if formula is not None and formula.group(1) else b""
        shown = (
            "=" + html.unescape(text.decode("utf-8", errors="replace"))
            if text
            else "(shared formula)"
        )
        letters = reference.group(1).decode()
        yield FormulaCell(row, f"{letters}{row}", shown), letters


# --- either -----------------------------------------------------------------------------------


def read_source(data: bytes, name: str) -> SourceTable:
    """The table in a file's bytes; `name` (the file name, lower case) chooses the format."""
    if name.endswith(".xls"):
        raise ExtractReadError("old Excel .xls files are not supported: save as .xlsx or CSV")
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    return read_csv(data)
