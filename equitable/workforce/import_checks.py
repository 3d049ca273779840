"""What the import pages say about a file before it is stored: problems grouped by kind, the
figures a column matching leaves impossible, and the problems as a downloadable table.

Why grouped: one systematic mistake (a date column in the wrong format) fails every row the
same way, and 411 identical lines over five pages hide the two other problems in the file. A
group is one kind of problem in one column, with how many rows it affects, the rows as ranges
("2–412") and the first few rows listed. Pure functions over the job's stored problems (dicts
with row, column, value, message, confirmable, as `services._stored_problems` writes them) and
the library's figure requirements: no Django, so tests can hand-check them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from equitable.metrics import figures as metric_figures
from equitable.workforce import catalogue

# Rows of a group listed on the page (the CSV download has every one).
ROWS_LISTED = 20
# A group with this many problems or fewer is shown open.
OPEN_UP_TO = 5
# Columns holding special category data (UK GDPR article 9): their cell values are shown on the
# page, to the EDI officer or HR analyst looking at their own file, but not copied into the
# downloaded CSV, a file that may travel further than the page. The row number finds the cell.
SPECIAL_CATEGORY_COLUMNS = frozenset({"ethnicity", "disability", "religion", "sexual_orientation"})

_MORE_ROWS = re.compile(r"^(?P<kind>.+): (?P<n>[\d,]+) more rows like this from row \d+ on$")
_DUPLICATE = re.compile(r"^employee_id appears (?P<n>\d+) times \(rows ")
_MORE_DUPLICATES = re.compile(r"^[\d,]+ more employee ids appear more than once")
_UNPLACED = re.compile(
    r"^not a recognised (?P<label>.+?) \((?:row \d+|(?P<n>[\d,]+) rows: [^)]*)\); "
)
_FORMULA = re.compile(r"^cell \S+ holds a formula saved without its value")
_MORE_FORMULAS = re.compile(r"^(?P<n>[\d,]+) more formula cells without their value")
_MORE_UNPLACED = re.compile(
    r"^[\d,]+ more unrecognised (?P<label>.+?) values on (?P<n>[\d,]+) rows"
)
_BAD_TARGET = re.compile(r"^the value mapping (sends it to .*, which is not an accepted|leaves)")
_MORE_BAD_TARGETS = re.compile(r"^(?P<n>[\d,]+) more values the value mapping sends nowhere")
FORMULA_KIND = (
    "a formula saved without its value: open the file in Excel or LibreOffice, let it "
    "calculate, save it and upload it again (or replace the formula by its value)"
)
BAD_TARGET_KIND = "the value mapping sends a value to one that is not accepted, or to nothing"


def _number(text: str | None) -> int:
    return int(text.replace(",", "")) if text else 1


def kind_of(message: str) -> tuple[str, int, bool]:
    """(kind, rows this problem stands for, whether it only continues a kind listed before).

    The kind is the message without what differs from row to row: "not a date (use …)" is its
    own kind; "employee_id appears 3 times (rows 4, 9, 12)" is "the same employee_id on more
    than one row" (3 rows); "not a recognised ethnicity (12 rows: …); it may mean …" is "not a
    recognised ethnicity" (12 rows); a line the library adds after its cap ("…: 1,234 more
    rows like this from row 20,002 on") adds its 1,234 rows to its kind.
    """
    if match := _MORE_ROWS.match(message):
        return match["kind"], _number(match["n"]), True
    if match := _DUPLICATE.match(message):
        return "the same employee_id on more than one row", _number(match["n"]), False
    if _MORE_DUPLICATES.match(message):
        return "the same employee_id on more than one row", 0, True
    if match := _UNPLACED.match(message):
        return f"not a recognised {match['label']}", _number(match["n"]), False
    if match := _MORE_UNPLACED.match(message):
        return f"not a recognised {match['label']}", _number(match["n"]), True
    if _FORMULA.match(message):
        return FORMULA_KIND, 1, False
    if match := _MORE_FORMULAS.match(message):
        return FORMULA_KIND, _number(match["n"]), True
    if _BAD_TARGET.match(message):
        return BAD_TARGET_KIND, 1, False
    if match := _MORE_BAD_TARGETS.match(message):
        return BAD_TARGET_KIND, _number(match["n"]), True
    return message, 1, False


def row_ranges(rows: Iterable[int]) -> str:
    """2, 3, 4, 5, 9 → "2–5, 9": consecutive rows as ranges, in order, each row once."""
    ordered = sorted(set(rows))
    runs: list[list[int]] = []
    for row in ordered:
        if runs and row == runs[-1][1] + 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return ", ".join(f"{start:,}" if start == end else f"{start:,}–{end:,}" for start, end in runs)


@dataclass
class ProblemGroup:
    """One kind of problem in one column of the file."""

    kind: str
    column: str | None  # canonical column (or a header of the file), None for the whole file
    source_column: str | None  # the file's header for it, when it differs
    confirmable: bool
    count: int = 0  # rows affected (a problem may stand for several rows)
    problems: list[dict] = field(default_factory=list)  # as stored, in row order
    more: list[str] = field(default_factory=list)  # the library's own "N more …" lines

    @property
    def title(self) -> str:
        return self.kind[:1].upper() + self.kind[1:]

    @property
    def rows(self) -> list[int]:
        return [p["row"] for p in self.problems if p.get("row") is not None]

    @property
    def rows_text(self) -> str:
        return row_ranges(self.rows)

    @property
    def column_text(self) -> str:
        """“Start date” (start_date), or start_date, or "" for the whole file."""
        if not self.column:
            return ""
        if self.source_column and self.source_column != self.column:
            return f"“{self.source_column}” ({self.column})"
        return self.column

    @property
    def listed(self) -> list[dict]:
        return self.problems[:ROWS_LISTED]

    @property
    def open(self) -> bool:
        return len(self.problems) <= OPEN_UP_TO

    @property
    def summary(self) -> str:
        """ "Not a date (use …) — 411 rows: rows 2–412, column “Start date” (start_date)"."""
        what = f"{self.count:,} row" + ("" if self.count == 1 else "s")
        parts = [f"{self.title} — {what}"]
        if self.rows:
            parts.append(f": row{'s' if len(self.rows) > 1 else ''} {self.rows_text}")
        if self.column:
            parts.append(f", column {self.column_text}")
        return "".join(parts)


def _source_names(column_mapping: Mapping[str, str]) -> dict[str, str]:
    """Canonical column → the file's header mapped to it (first one wins)."""
    names: dict[str, str] = {}
    for source, target in column_mapping.items():
        if target and target not in names:
            names[target] = source
    return names


def group_problems(
    problems: Iterable[Mapping], column_mapping: Mapping[str, str] | None = None
) -> list[ProblemGroup]:
    """The problems grouped by (column, kind, confirmable), in the order each kind first
    appears (file-wide problems first, as the library sorts them)."""
    names = _source_names(column_mapping or {})
    groups: dict[tuple, ProblemGroup] = {}
    for problem in problems:
        kind, rows, continuation = kind_of(str(problem.get("message") or ""))
        column = problem.get("column") or None
        confirmable = bool(problem.get("confirmable"))
        key = (column, kind, confirmable)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProblemGroup(
                kind, column, names.get(column) if column else None, confirmable
            )
        group.count += rows
        if continuation:
            group.more.append(str(problem["message"]))
        else:
            group.problems.append(dict(problem))
    return list(groups.values())


# --- figures a column matching leaves impossible ---------------------------------------------

# What a canonical column of the file provides to the figures beyond itself.
_PROVIDES = {"ethnicity": ("ethnic_group",), "annual_salary": ("hourly_pay",)}
# A requirement in the words of the mapping page: the columns of the file that meet it.
_NEEDS_WORDS = {"ethnic_group": "ethnicity", "hourly_pay": "hourly_pay or annual_salary"}


@dataclass(frozen=True)
class MissingField:
    """A field the figures need that the column matching does not give them."""

    field: str  # in the mapping page's words: "directorate", "hourly_pay or annual_salary"
    figures: tuple[str, ...]  # titles of the figures that cannot be computed without it
    left_out: tuple[str, ...]  # columns of the file left out that look like this field


def missing_fields(
    assigned: Iterable[str], left_out: Iterable[tuple[str, str | None]] = ()
) -> list[MissingField]:
    """For the canonical columns a matching assigns (`assigned`), the fields figures need and
    do not get, each with the figures it stops and the left-out file columns (`left_out`:
    (column, looks_like)) that look like it. In the order of the figure requirements."""
    provided = set(assigned)
    for column in list(provided):
        provided.update(_PROVIDES.get(column, ()))
    left_out = list(left_out)
    stopped: dict[str, list[str]] = {}
    for name, requirements in metric_figures.FIGURE_REQUIREMENTS.items():
        figure = catalogue.BY_NAME.get(name)
        if figure is None:
            continue
        for need in requirements:
            if need not in provided:
                stopped.setdefault(need, []).append(figure.title)
    fields = []
    for need, titles in stopped.items():
        words = _NEEDS_WORDS.get(need, need)
        accepted = set(words.split(" or "))
        candidates = tuple(column for column, looks_like in left_out if looks_like in accepted)
        fields.append(MissingField(words, tuple(titles), candidates))
    return fields


# --- the problems as a table to download ------------------------------------------------------

CSV_HEADERS = ["Row", "Column in the file", "Column", "Kind of problem", "Problem", "Value"]
WITHHELD_VALUE = "not copied (special category data): see the row in your file"


def problem_rows(
    problems: Iterable[Mapping], column_mapping: Mapping[str, str] | None = None
) -> list[list]:
    """Every stored problem as a row of the download (written inert by `files.tabular`).

    The value and the full message are given except in special category columns, where the
    row says where to look instead (the message of an unplaced value quotes part of it)."""
    names = _source_names(column_mapping or {})
    rows = []
    for problem in problems:
        column = problem.get("column") or ""
        message = str(problem.get("message") or "")
        kind, _, _ = kind_of(message)
        special = column in SPECIAL_CATEGORY_COLUMNS
        value = problem.get("value")
        rows.append(
            [
                problem.get("row"),
                names.get(column, column) if column else "",
                column,
                kind[:1].upper() + kind[1:],
                kind if special else message,
                (WITHHELD_VALUE if value not in (None, "") else "")
                if special
                else ("" if value is None else str(value)),
            ]
        )
    return rows
