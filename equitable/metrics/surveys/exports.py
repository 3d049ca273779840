"""Read a survey tool's export: find its layout, key its columns, drop what points to a person.

Layouts (../shared/reference/survey-exports.md; docs/data-formats.md "Staff surveys"):

* **SurveyMonkey**: two header rows (question text over the first column of its block, then
  `Response`, `Open-Ended Response`, a matrix row or an option), `Respondent ID` and
  `Collector ID` among the first headers; UTF-8 with a byte order mark.
* **Qualtrics**: three header rows (internal id `Q5_1`, label, `{"ImportId": ...}`); rows
  whose `Status` is not a normal response (preview, test, spam, imported) are dropped.
* **SmartSurvey**: three header rows, `UserID` and `UserNo` among the first headers.
* **Microsoft Forms**: one header row starting `ID`, `Start time`, `Completion time`.
* **Snap**: variable names (`Q1`, `Q5.1`) with an optional label row.
* anything else: a plain table with one header row.

Question text is carried across the blank header cells of a block, and every column is keyed by
question and sub-item (Qualtrics: by its own id), never by position. Personal metadata is
dropped on read, even when filled: IP address, location, e-mail, names, recipient and external
references, unique ids, custom data, tracking links and every start, end or recorded time (a
survey keeps no exact time). Qualtrics' `-99` (seen but not answered) and Snap's missing codes
(No Reply, Not Asked, Error) are read as blank: not answered, which is not "Prefer not to say".
Qualtrics `Status`, `Progress` and `Finished` are used (Status picks the responses) and then
dropped: a partial response that Qualtrics recorded counts like any other, its unanswered
questions blank.

Pure module: no Django. Bounded: `equitable.files.limits` for workbooks, a size limit here.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import polars as pl

from equitable.files.limits import UnsafeFile, ZipBudget, check_zip
from equitable.metrics import reading
from equitable.metrics.extract import Problem
from equitable.metrics.surveys.model import SurveyColumn, SurveyFile, SurveyFileError

# A survey of 20,000 staff with 200 columns is about 40 MB of CSV; larger is not a staff survey.
MAX_EXPORT_BYTES = 50 * 1024 * 1024
# A workbook inflates at most to this (real sheet XML compresses 8-15 times; a bomb far more).
EXPORT_ZIP_BUDGET = ZipBudget(max_unpacked_bytes=300 * 1024 * 1024, max_ratio=100, max_entries=500)
MAX_COLUMNS = 2000
MAX_PROBLEMS = 50

# Tool metadata, compared after `_norm` (lower case, letters and digits only). Exact names, so
# a question such as "Which location do you work in?" is never taken for metadata.
_METADATA = frozenset(
    {
        # SurveyMonkey
        "respondentid",
        "collectorid",
        "startdate",
        "enddate",
        "ipaddress",
        "emailaddress",
        "firstname",
        "lastname",
        # Qualtrics (ids and labels)
        "status",
        "responsetype",
        "progress",
        "durationinseconds",
        "duration",
        "finished",
        "recordeddate",
        "responseid",
        "recipientlastname",
        "recipientfirstname",
        "recipientemail",
        "externalreference",
        "externaldatareference",
        "locationlatitude",
        "locationlongitude",
        "responseset",
        "distributionchannel",
        "userlanguage",
        # Microsoft Forms
        "id",
        "starttime",
        "completiontime",
        "email",
        "name",
        "lastmodifiedtime",
        # SmartSurvey
        "userid",
        "userno",
        "uniqueid",
        "started",
        "ended",
        "trackinglink",
        # plain tables
        "respondent",
        "respondentnumber",
        "responsenumber",
        "timestamp",
        "submitted",
        "submittedat",
        "submissiondate",
        "ip",
        "emailaddress1",
        "fullname",
        "surname",
        "forename",
        "employeeid",
        "employeenumber",
        "staffid",
        "staffnumber",
    }
)
_METADATA_PATTERN = re.compile(
    r"^(customdata\d*|customvariable\d*|recipient\w*|location\w*|externalref\w*|"
    r"ipaddress\w*|q(relevantid|recaptcha|ballotbox|totalduration|url)\w*)$"
)
_QUALTRICS_NORMAL = frozenset({"ip address", "0", ""})
_QUALTRICS_STATUS = {
    "1": "survey preview",
    "2": "survey test",
    "4": "imported",
    "8": "spam",
    "9": "preview spam",
    "16": "offline",
    "17": "offline preview",
}
_SNAP_MISSING = frozenset({"no reply", "not asked", "error", "errors"})
_SNAP_NAME = re.compile(r"q\d+[a-z]?([._]\d+[a-z]?)*", re.IGNORECASE)
# Sub-headers that say "the answer", not which sub-item.
_PLAIN_ANSWER = frozenset({"response", "answer", "open-ended response", "selected choice"})


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _is_metadata(*headers: str) -> bool:
    for header in headers:
        key = _norm(header)
        if key and (key in _METADATA or _METADATA_PATTERN.match(key)):
            return True
    return False


def _problem(message: str, row: int | None = None) -> SurveyFileError:
    return SurveyFileError([Problem(row, None, None, message)])


def _rows_of_csv(data: bytes) -> list[list[str]]:
    """Every record of a CSV as text: the workforce reader's decoding (BOMs, UTF-8, else
    Windows-1252), the separator sniffed, quoted newlines kept inside their cell."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _problem("not a CSV or Excel (.xlsx) file: it holds binary data")
    decoded, _ = reading._decode(data)
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        text = reading._from_windows_1252(decoded).decode("utf-8")
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t", "|")}
    separator = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    csv.field_size_limit(MAX_EXPORT_BYTES)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator)]


def _rows_of_xlsx(data: bytes) -> list[list[str]]:
    """The first sheet's cells as text (cached values: a formula without one reads blank),
    bounded by `check_zip` before anything is inflated (raises UnsafeFile)."""
    import fastexcel

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _problem("not a readable Excel (.xlsx) file: it is not a workbook")
    check_zip(data, EXPORT_ZIP_BUDGET)
    try:
        reader = fastexcel.read_excel(data)
        if not reader.sheet_names:
            raise _problem("the workbook has no sheets")
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        frame = sheet.to_polars()
    except (fastexcel.FastExcelError, OSError, ValueError) as error:
        if isinstance(error, SurveyFileError):
            raise
        raise _problem(f"not a readable Excel (.xlsx) file: {error}") from None
    assert isinstance(frame, pl.DataFrame)
    return [["" if v is None else str(v) for v in row] for row in frame.iter_rows()]


def _tool(rows: list[list[str]]) -> tuple[str, int]:
    """(tool, header rows), by each tool's signature (survey-exports.md point 1)."""
    first = [c.strip().lower() for c in rows[0]] if rows else []
    second = rows[1] if len(rows) > 1 else []
    third = rows[2] if len(rows) > 2 else []
    if "respondent id" in first and "collector id" in first:
        return "surveymonkey", 2
    if any(c.strip().startswith('{"ImportId"') for c in third):
        return "qualtrics", 3
    if any(c.strip().startswith('{"ImportId"') for c in second):
        return "qualtrics", 2  # an export whose label row was removed
    if first[:3] == ["v1", "v2", "v3"]:
        return "qualtrics", 2  # a legacy export: V1... ids over one label row
    if "userid" in first and "userno" in first:
        return "smartsurvey", 3
    if first[:3] == ["id", "start time", "completion time"]:
        return "microsoft_forms", 1
    named = [c for c in first if c]
    if named and all(_SNAP_NAME.fullmatch(c) for c in named):
        labelled = any(
            not re.fullmatch(r"[\d.\-]*", c.strip()) and (c.strip().endswith("?") or len(c) > 25)
            for c in second
        )
        return "snap", 2 if labelled else 1
    return "plain", 1


def _columns(tool: str, rows: list[list[str]], depth: int) -> list[tuple[SurveyColumn, str, bool]]:
    """Each column's key, the header it is reported by, and whether it is tool metadata."""
    width = max((len(r) for r in rows[:depth]), default=0)
    # A file cut short inside its header rows still gets keys (and then "no responses").
    present = rows[:depth] + [[] for _ in range(depth - len(rows[:depth]))]
    header = [(r + [""] * width)[:width] for r in present]
    found: list[tuple[SurveyColumn, str, bool]] = []
    question = ""
    for i in range(width):
        cells = [header[d][i].strip() for d in range(depth)]
        top = cells[0]
        if tool == "qualtrics":
            tool_id = top
            legacy = depth == 2 and bool(re.fullmatch(r"V\d+", rows[0][0].strip()))
            label = cells[1] if depth == 3 or legacy else ""
            text, sep, sub = label.partition(" - ")
            if _norm(sub) == "selectedchoice" or not sep:
                sub = ""
            metadata = _is_metadata(tool_id, label)
            column = SurveyColumn(
                tool_id or label or f"column {i + 1}", text or tool_id, sub or None, tool_id or None
            )
            found.append((column, label if legacy and metadata else tool_id or label, metadata))
            continue
        if tool == "snap":
            label = cells[1] if depth > 1 else ""
            column = SurveyColumn(top or f"column {i + 1}", label or top, None, top or None)
            found.append((column, top, _is_metadata(top)))
            continue
        if depth == 1:
            text = top or f"column {i + 1}"
            found.append((SurveyColumn(text, text), text, _is_metadata(top)))
            continue
        if top:
            question = top
        subs = [c for c in cells[1:] if c and c.lower() not in _PLAIN_ANSWER]
        sub = " - ".join(subs)
        text = question or f"column {i + 1}"
        key = f"{text} - {sub}" if sub else text
        # Metadata has its own name in row 1 and nothing below it.
        metadata = bool(top) and _is_metadata(top)
        found.append((SurveyColumn(key, text, sub or None), top or key, metadata))
    return found


def _unique(
    columns: list[tuple[SurveyColumn, str, bool]],
) -> list[tuple[SurveyColumn, str, bool]]:
    """Duplicate keys made unique by a suffix " (2)", " (3)"... in file order."""
    seen: dict[str, int] = {}
    taken = {column.key for column, _, _ in columns}
    out = []
    for column, header, metadata in columns:
        n = seen.get(column.key, 0) + 1
        seen[column.key] = n
        if n > 1:
            key = f"{column.key} ({n})"
            while key in taken:
                n += 1
                key = f"{column.key} ({n})"
            taken.add(key)
            column = SurveyColumn(key, column.question, column.sub_item, column.tool_id)
        out.append((column, header, metadata))
    return out


def _cell(tool: str, value: str) -> str | None:
    """A cell as kept: stripped text, blank and the tools' not-answered codes as null."""
    value = value.strip()
    if not value:
        return None
    if tool == "qualtrics" and value == "-99":
        return None
    if tool == "snap" and value.lower() in _SNAP_MISSING:
        return None
    return value


def read_survey_export(data: bytes, filename: str) -> SurveyFile:
    """The export's responses as text, its personal metadata dropped (module docstring).

    Raises UnsafeFile for an oversized file or a workbook that would inflate too far, and
    SurveyFileError (every problem found) for a file that is not a readable survey export."""
    if len(data) > MAX_EXPORT_BYTES:
        raise UnsafeFile(
            f"the file is larger than {MAX_EXPORT_BYTES // 2**20} MB, too large for a survey export"
        )
    name = filename.lower()
    try:
        if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
            rows = _rows_of_xlsx(data)
        elif name.endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
            raise _problem(
                "old Excel .xls files are not supported: save the export as .xlsx or CSV"
            )
        else:
            rows = _rows_of_csv(data)
    except reading.ExtractReadError as error:
        raise _problem(str(error)) from None
    except csv.Error as error:
        raise _problem(f"not a readable CSV file: {error}") from None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows or not any(c.strip() for c in rows[0]):
        raise _problem("the file is empty: no header row was found in row 1")
    if len(rows[0]) > MAX_COLUMNS:
        raise _problem(f"the file has more than {MAX_COLUMNS} columns: not a survey export", 1)
    tool, depth = _tool(rows)
    columns = _unique(_columns(tool, rows, depth))
    width = len(columns)
    first_data_row = depth + 1
    status_index = next(
        (i for i, (c, h, _) in enumerate(columns) if _norm(h) in ("status", "responsetype")),
        None,
    )
    problems: list[Problem] = []
    kept_rows: list[int] = []
    dropped_rows: dict[str, int] = {}
    cells: list[list[str | None]] = []
    for offset, row in enumerate(rows[depth:]):
        number = first_data_row + offset
        if not any(c.strip() for c in row):
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            if len(problems) < MAX_PROBLEMS:
                problems.append(
                    Problem(
                        number,
                        None,
                        None,
                        f"row {number} has {len(row)} cells but the header has {width} columns",
                    )
                )
            continue
        if tool == "qualtrics" and status_index is not None:
            status = row[status_index].strip().lower() if status_index < len(row) else ""
            if status not in _QUALTRICS_NORMAL:
                reason = _QUALTRICS_STATUS.get(status, status)
                dropped_rows[reason] = dropped_rows.get(reason, 0) + 1
                continue
        kept_rows.append(number)
        cells.append([_cell(tool, row[i]) if i < len(row) else None for i in range(width)])
    if problems:
        raise SurveyFileError(problems)
    kept = [(i, column) for i, (column, _, metadata) in enumerate(columns) if not metadata]
    dropped = tuple(header for column, header, metadata in columns if metadata)
    if not kept:
        raise _problem(
            "no question columns were found: the file holds only tool metadata "
            "(respondent ids, times, e-mail), so it is not a survey export",
            1,
        )
    if not cells:
        raise _problem(
            f"the file has headers but no responses (looked from row {first_data_row})",
            first_data_row,
        )
    answers = pl.DataFrame(
        {column.key: [row[i] for row in cells] for i, column in kept},
        schema={column.key: pl.String for _, column in kept},
    )
    return SurveyFile(
        tool=tool,
        columns=tuple(column for _, column in kept),
        answers=answers,
        dropped_columns=dropped,
        dropped_rows=dropped_rows,
        first_data_row=first_data_row,
        row_numbers=tuple(kept_rows),
    )
