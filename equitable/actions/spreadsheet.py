"""The action plan and the recommendations register as an Excel workbook, out and back in.

Councils keep these in spreadsheets today, so the app writes one workbook they can edit and
reads the same layout back. No Django here: rows are plain dataclasses; `services.py` maps them
to and from the models.

Layout (one header row per sheet, columns found by their heading, in any order; extra columns
are ignored so that a council can keep its own notes beside ours):

* "Action plan": one row per action. Plan, Directorate (blank for the corporate plan), Theme,
  Objective, Ref, Action, Owner, Strategic lead, Operational lead, Start, Due, Status, Dropped
  reason, Latest update (written for reading; ignored on import: progress is added in the app).
* "Recommendations": one row per recommendation. Ref, Theme, Recommendation, What have we done,
  Who, When, Status, Actions (refs of the actions that deliver it, separated by commas).
* "Measures": one row per measure. Plan, Directorate, Theme, Objective, Ref, Measure, Unit,
  Direction, Kind, Computed key, Source. An objective has several actions and several measures
  with no pairing between them, so measures have their own sheet.

Import is all or nothing: every problem is collected with its sheet, row, column and value,
and `WorkbookRefused` carries the whole list; nothing is returned unless the file is clean.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from equitable.files import tabular
from equitable.files.limits import UnreadableFile, UnsafeFile, ZipBudget, check_zip

PLAN_SHEET = "Action plan"
REGISTER_SHEET = "Recommendations"
MEASURES_SHEET = "Measures"

ACTION_STATUSES = ("not started", "on track", "at risk", "off track", "done", "dropped")
RECOMMENDATION_STATUSES = ("not started", "in progress", "ongoing", "done")
DIRECTIONS = ("higher", "lower")
MEASURE_KINDS = ("computed", "manual")
MAX_ROWS = 5000  # per sheet; a plan is a few hundred rows at most
MAX_COLUMNS = 200  # columns read per sheet (ours are the first few; a council's notes beside)
# A plan of MAX_ROWS rows unpacks to well under this; openpyxl (read-only) then holds one row
# at a time. Checked before openpyxl opens the file (equitable.files.limits).
WORKBOOK_BUDGET = ZipBudget(max_unpacked_bytes=20 * 1024 * 1024)
DATE_FORMAT = "DD/MM/YYYY"


@dataclass
class ActionRow:
    plan: str
    theme: str
    objective: str
    action: str
    directorate: str = ""
    ref: str = ""
    owner: str = ""
    strategic_lead: str = ""
    operational_lead: str = ""
    start: date | None = None
    due: date | None = None
    status: str = "not started"
    dropped_reason: str = ""
    latest_update: str = ""  # export only


@dataclass
class MeasureRow:
    plan: str
    theme: str
    objective: str
    measure: str
    directorate: str = ""
    ref: str = ""
    unit: str = ""
    direction: str = "higher"
    kind: str = "manual"
    computed_key: str = ""
    source: str = ""


@dataclass
class RecommendationRow:
    theme: str
    recommendation: str
    ref: str = ""
    response: str = ""
    who: str = ""
    when: str = ""
    status: str = "not started"
    actions: list[str] = field(default_factory=list)


@dataclass
class PlanWorkbook:
    actions: list[ActionRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int  # spreadsheet row number (1 is the header); 0 for a problem with the whole file
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" if self.row else self.sheet or "File"
        column = f", column “{self.column}”" if self.column else ""
        value = f" (value “{self.value}”)" if self.value else ""
        return f"{where}{column}{value}: {self.message}"


class WorkbookRefused(ValueError):
    """The workbook was not imported; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(map(str, problems[:5])))


# --- Columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    heading: str
    attribute: str
    required: bool = False  # must have a value in every row
    kind: str = "text"  # text | date | list
    width: int = 20


PLAN_COLUMNS = (
    Column("Plan", "plan", required=True, width=28),
    Column("Directorate", "directorate", width=18),
    Column("Theme", "theme", required=True, width=30),
    Column("Objective", "objective", required=True, width=50),
    Column("Ref", "ref", width=9),
    Column("Action", "action", required=True, width=60),
    Column("Owner", "owner"),
    Column("Strategic lead", "strategic_lead"),
    Column("Operational lead", "operational_lead"),
    Column("Start", "start", kind="date", width=12),
    Column("Due", "due", kind="date", width=12),
    Column("Status", "status", required=True, width=12),
    Column("Dropped reason", "dropped_reason", width=30),
    Column("Latest update", "latest_update", width=40),
)
REGISTER_COLUMNS = (
    Column("Ref", "ref", width=9),
    Column("Theme", "theme", required=True, width=30),
    Column("Recommendation", "recommendation", required=True, width=60),
    Column("What have we done", "response", width=60),
    Column("Who", "who"),
    Column("When", "when", width=18),
    Column("Status", "status", required=True, width=12),
    Column("Actions", "actions", kind="list", width=18),
)
MEASURE_COLUMNS = (
    Column("Plan", "plan", required=True, width=28),
    Column("Directorate", "directorate", width=18),
    Column("Theme", "theme", required=True, width=30),
    Column("Objective", "objective", required=True, width=50),
    Column("Ref", "ref", width=9),
    Column("Measure", "measure", required=True, width=60),
    Column("Unit", "unit", width=8),
    Column("Direction", "direction", required=True, width=10),
    Column("Kind", "kind", required=True, width=10),
    Column("Computed key", "computed_key", width=28),
    Column("Source", "source", width=24),
)
# Columns written for reading only: their heading may be absent on import.
EXPORT_ONLY = {"latest_update"}


# --- Export ---------------------------------------------------------------------------------


def write_workbook(book: PlanWorkbook) -> bytes:
    """The workbook as .xlsx bytes: header row in bold and frozen, wrapped text, real dates,
    and drop-down lists on the columns with a fixed vocabulary."""
    workbook = Workbook()
    plan_sheet = workbook.active
    plan_sheet.title = PLAN_SHEET
    _write_sheet(plan_sheet, PLAN_COLUMNS, book.actions)
    _add_choice(plan_sheet, PLAN_COLUMNS, "status", ACTION_STATUSES)
    register_sheet = workbook.create_sheet(REGISTER_SHEET)
    _write_sheet(register_sheet, REGISTER_COLUMNS, book.recommendations)
    _add_choice(register_sheet, REGISTER_COLUMNS, "status", RECOMMENDATION_STATUSES)
    measures_sheet = workbook.create_sheet(MEASURES_SHEET)
    _write_sheet(measures_sheet, MEASURE_COLUMNS, book.measures)
    _add_choice(measures_sheet, MEASURE_COLUMNS, "direction", DIRECTIONS)
    _add_choice(measures_sheet, MEASURE_COLUMNS, "kind", MEASURE_KINDS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet: Worksheet, columns: tuple[Column, ...], rows: Iterable[Any]) -> None:
    """Every cell through equitable.files.tabular: text a person typed (an action starting with
    "=", a directorate starting with "@") is written inert, and reads back as typed."""
    tabular.append_header(sheet, [column.heading for column in columns])
    for row in rows:
        values = []
        for column in columns:
            value = getattr(row, column.attribute)
            values.append(", ".join(value) if column.kind == "list" else value)
        tabular.append_row(sheet, values)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


def _add_choice(
    sheet: Worksheet, columns: tuple[Column, ...], attribute: str, choices: tuple[str, ...]
) -> None:
    index = next(i for i, c in enumerate(columns, start=1) if c.attribute == attribute)
    letter = get_column_letter(index)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
    )
    validation.error = "Choose one of: " + ", ".join(choices)
    validation.errorTitle = "Not a value Equitable knows"
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")


# --- Import ---------------------------------------------------------------------------------

# What openpyxl raises for a file that is not a readable workbook: not a ZIP, a missing part
# (KeyError), XML that does not parse (ParseError is a SyntaxError), or attributes of the wrong
# type or value in the XML (TypeError, ValueError). Anything else is a bug and is not caught.
UNREADABLE_WORKBOOK = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    SyntaxError,
    TypeError,
    ValueError,
    OSError,
    EOFError,
)


def read_workbook(
    source: bytes | IO[bytes],
    *,
    computed_keys: Collection[str] | None = None,
    directorates: Collection[str] | None = None,
) -> PlanWorkbook:
    """Read and validate a workbook in the layout above; raise `WorkbookRefused` listing every
    problem. `computed_keys` and `directorates`, when given, are the values a computed measure's
    key and a plan's directorate must take. The Measures sheet may be left out."""
    data = source if isinstance(source, bytes) else source.read()
    not_a_workbook = WorkbookRefused(
        [Problem("", 0, "", "", "The file is not an Excel workbook (.xlsx).")]
    )
    try:
        check_zip(data, WORKBOOK_BUDGET)
    except UnreadableFile:
        raise not_a_workbook from None
    except UnsafeFile as error:
        raise WorkbookRefused(
            [Problem("", 0, "", "", f"The workbook cannot be opened: {error}.")]
        ) from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE_WORKBOOK:
        raise not_a_workbook from None
    problems: list[Problem] = []
    for name, required in ((PLAN_SHEET, True), (REGISTER_SHEET, True), (MEASURES_SHEET, False)):
        if name not in workbook.sheetnames and required:
            problems.append(Problem(name, 0, "", "", f"The workbook has no sheet “{name}”."))

    def read(name: str, columns: tuple[Column, ...], row_type: Callable[..., Any]) -> list:
        if name not in workbook.sheetnames:
            return []
        return _read_sheet(workbook[name], columns, row_type, problems)

    try:  # read-only mode parses each sheet while its rows are read
        actions = read(PLAN_SHEET, PLAN_COLUMNS, ActionRow)
        recommendations = read(REGISTER_SHEET, REGISTER_COLUMNS, RecommendationRow)
        measures = read(MEASURES_SHEET, MEASURE_COLUMNS, MeasureRow)
    except UNREADABLE_WORKBOOK:
        raise not_a_workbook from None
    finally:
        workbook.close()
    problems.extend(_check_rows(actions, recommendations, measures, computed_keys, directorates))
    if problems:
        raise WorkbookRefused(problems)
    return PlanWorkbook(
        actions=[row for _, row in actions],
        recommendations=[row for _, row in recommendations],
        measures=[row for _, row in measures],
    )


def _cell_text(value: Any) -> str:
    """A cell as text; a text cell the export made inert (a quote before "=", "+", "-", "@"…)
    reads back as the text the person typed, so export then import changes nothing."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        return tabular.restore_text(value).strip()
    return str(value).strip()


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), lambda m: (m[1], m[2], m[3])),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), lambda m: (m[3], m[2], m[1])),
)


def parse_date(value: Any) -> date | None:
    """A date from a real Excel date, ISO 8601 text (2025-03-31) or UK text (31/03/2025).
    Raises ValueError for anything else; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, parts in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in parts(match))
            return date(year, month, day)
    raise ValueError(text)


def _read_sheet(
    sheet: Worksheet,
    columns: tuple[Column, ...],
    row_type: Callable[..., Any],
    problems: list[Problem],
) -> list[tuple[int, Any]]:
    """(spreadsheet row number, row) for every non-blank row; cell problems go to `problems`."""
    # At most the header, MAX_ROWS rows and one more (to say there are too many): a sheet whose
    # last cell is XFD1048576 is not expanded into a billion empty cells.
    rows = list(islice(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), MAX_ROWS + 2))
    if not rows:
        problems.append(Problem(sheet.title, 1, "", "", "The sheet is empty: no header row."))
        return []
    headings = {_cell_text(h).casefold(): i for i, h in enumerate(rows[0]) if _cell_text(h)}
    positions: dict[str, int] = {}
    for column in columns:
        if column.heading.casefold() in headings:
            positions[column.attribute] = headings[column.heading.casefold()]
        elif column.attribute not in EXPORT_ONLY:
            problems.append(Problem(sheet.title, 1, column.heading, "", "This column is missing."))
    if len(positions) < len([c for c in columns if c.attribute not in EXPORT_ONLY]):
        return []
    if len(rows) - 1 > MAX_ROWS:
        problems.append(
            Problem(sheet.title, 0, "", "", f"More than {MAX_ROWS} rows: is this the right file?")
        )
        return []
    parsed = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(_cell_text(cell) == "" for cell in cells):
            continue
        values: dict[str, Any] = {}
        for column in columns:
            if column.attribute not in positions:
                continue
            index = positions[column.attribute]
            raw = cells[index] if index < len(cells) else None
            text = _cell_text(raw)
            if column.required and not text:
                problems.append(Problem(sheet.title, number, column.heading, "", "Fill this in."))
            if column.kind == "date":
                try:
                    values[column.attribute] = parse_date(raw)
                except ValueError:
                    problems.append(
                        Problem(
                            sheet.title,
                            number,
                            column.heading,
                            text,
                            "Not a date: use a date cell or write it as 31/03/2025.",
                        )
                    )
            elif column.kind == "list":
                values[column.attribute] = [p.strip() for p in text.split(",") if p.strip()]
            elif column.attribute in ("status", "direction", "kind"):
                values[column.attribute] = text.casefold()
            else:
                values[column.attribute] = text
        parsed.append((number, row_type(**values)))
    return parsed


def _choice_problem(sheet: str, number: int, heading: str, value: str, choices: tuple[str, ...]):
    if value and value not in choices:
        return Problem(sheet, number, heading, value, "Use one of: " + ", ".join(choices) + ".")
    return None


def _check_rows(
    actions: list[tuple[int, ActionRow]],
    recommendations: list[tuple[int, RecommendationRow]],
    measures: list[tuple[int, MeasureRow]],
    computed_keys: Collection[str] | None,
    directorates: Collection[str] | None,
) -> list[Problem]:
    """Rules across cells and rows (vocabularies, dates in order, refs unique and known)."""
    found: list[Problem | None] = []
    known_directorates = {d.casefold() for d in directorates} if directorates is not None else None

    def check_directorate(sheet: str, number: int, name: str) -> None:
        if name and known_directorates is not None and name.casefold() not in known_directorates:
            found.append(
                Problem(sheet, number, "Directorate", name, "No directorate has this name.")
            )

    action_refs: set[str] = set()
    for number, row in actions:
        found.append(_choice_problem(PLAN_SHEET, number, "Status", row.status, ACTION_STATUSES))
        if row.status == "dropped" and not row.dropped_reason:
            found.append(
                Problem(PLAN_SHEET, number, "Dropped reason", "", "Say why the action was dropped.")
            )
        if row.start and row.due and row.start > row.due:
            found.append(
                Problem(
                    PLAN_SHEET,
                    number,
                    "Due",
                    row.due.strftime("%d/%m/%Y"),
                    f"Due before its start ({row.start:%d/%m/%Y}).",
                )
            )
        if row.ref:
            if row.ref in action_refs:
                found.append(Problem(PLAN_SHEET, number, "Ref", row.ref, "This ref is used twice."))
            action_refs.add(row.ref)
        check_directorate(PLAN_SHEET, number, row.directorate)

    recommendation_refs: set[str] = set()
    for number, recommendation in recommendations:
        found.append(
            _choice_problem(
                REGISTER_SHEET, number, "Status", recommendation.status, RECOMMENDATION_STATUSES
            )
        )
        if recommendation.ref:
            if recommendation.ref in recommendation_refs:
                found.append(
                    Problem(
                        REGISTER_SHEET, number, "Ref", recommendation.ref, "This ref is used twice."
                    )
                )
            recommendation_refs.add(recommendation.ref)
        for ref in recommendation.actions:
            if ref not in action_refs:
                found.append(
                    Problem(
                        REGISTER_SHEET,
                        number,
                        "Actions",
                        ref,
                        "No action on the Action plan sheet has this ref.",
                    )
                )

    measure_refs: set[str] = set()
    for number, measure in measures:
        found.append(
            _choice_problem(MEASURES_SHEET, number, "Direction", measure.direction, DIRECTIONS)
        )
        found.append(_choice_problem(MEASURES_SHEET, number, "Kind", measure.kind, MEASURE_KINDS))
        if measure.kind == "computed":
            if not measure.computed_key:
                found.append(
                    Problem(
                        MEASURES_SHEET,
                        number,
                        "Computed key",
                        "",
                        "A computed measure needs the key of the figure it takes.",
                    )
                )
            elif computed_keys is not None and measure.computed_key not in computed_keys:
                found.append(
                    Problem(
                        MEASURES_SHEET,
                        number,
                        "Computed key",
                        measure.computed_key,
                        "Use one of: " + ", ".join(sorted(computed_keys)) + ".",
                    )
                )
        elif measure.kind == "manual" and measure.computed_key:
            found.append(
                Problem(
                    MEASURES_SHEET,
                    number,
                    "Computed key",
                    measure.computed_key,
                    "Only computed measures have a key: leave it blank or make the kind computed.",
                )
            )
        if measure.ref:
            if measure.ref in measure_refs:
                found.append(
                    Problem(MEASURES_SHEET, number, "Ref", measure.ref, "This ref is used twice.")
                )
            measure_refs.add(measure.ref)
        check_directorate(MEASURES_SHEET, number, measure.directorate)

    return [problem for problem in found if problem is not None]
