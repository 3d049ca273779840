"""Read a council's HR extract (CSV or XLSX) and validate it into the canonical workforce frame.

Validation is all or nothing: it collects every problem in the file (row, column, value, what
is wrong) and returns a frame only when there are none. It never raises on bad data. Rows are
numbered as a spreadsheet numbers them: the header's own row (row 1 unless title rows sit
above it, see `reading`) and then one per line.

Numbers mean what the file meant: a comma is a thousands separator only in groups of three
(`1,250`), so `12,50` and `1.234,50` are refused unless the file is declared to use decimal
commas; hourly pay is kept to 1/100 of a penny, so a rate derived from a salary and the same
rate typed in are equal; a rate below the legal minimum or far from the rest of the file stops
the import until a person confirms it (`confirm_pay`).

Speed: the expensive per-value work (classifying "Asian or Asian British - Indian", parsing a
date) runs once per distinct value, not once per row, and so do the checks that read one cell
alone (numbers, ranges, dates): the rows are looked at only for a column one of whose distinct
values fails, to list them. A clean file costs a few whole-frame passes (the distinct values,
the parsed columns, one count of the pay checks, one of the ids, the canonical frame). Only the
keyed hash of the employee id is computed per row (in C, through hashlib with the HMAC key
schedule precomputed, in a thread beside the checks).

Direct identifiers (names, email addresses, National Insurance numbers, addresses...) are
dropped on reading and never reach the frame; `date_of_birth` is reduced to the age at the
snapshot date.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl

from equitable.metrics import classification, minimum_wage
from equitable.metrics.classification import Suggestion
from equitable.metrics.reading import ExtractReadError, SourceTable, header_key, read_source
from equitable.metrics.schema import (
    CANONICAL_COLUMNS,
    DIRECT_IDENTIFIER_HEADERS,
    ETHNICITY_TO_GROUP,
    FRAME_SCHEMA,
    GROUP_ONLY_OF,
    LIKELY_HEADERS,
    NOT_KNOWN,
    UNKNOWN,
    WEEKS_PER_YEAR,
    WHITE_BRITISH_CATEGORY,
)

# Plausible ranges: outside them a value is an error in the extract, not a fact about a person.
FTE_RANGE = (0.0, 2.0)  # above 0, at most 2 (two full-time posts)
WEEKLY_HOURS_RANGE = (0.0, 100.0)  # above 0, at most 100
AGE_RANGE = (14, 100)
EARLIEST_DATE = date(1900, 1, 1)  # a date before this is a typing error (31/03/0024)
# Problems of one kind listed row by row before the rest are summed up in one line; the same
# cap applies to distinct unrecognised values and to repeated ids.
MAX_PROBLEMS_PER_CHECK = 1000
# Distinct unrecognised values of one column offered for mapping (the rest are counted).
MAX_UNMAPPED_VALUES = 200
# Hourly pay is kept to 4 decimal places (1/100 of a penny): a rate derived from an annual
# salary carries float noise (23,464.35 / (52.143 × 36) = 12.499999999999998), and without
# rounding it would rank below a colleague's 12.50 in the top 5% and the quartiles. Four places
# keep every real difference (pay points differ by pence) and remove noise of order 1e-15.
HOURLY_PAY_DECIMALS = 4
# An hourly rate is flagged for confirmation when it is more than a factor of
# max(PAY_OUTLIER_MIN_FACTOR, exp(PAY_OUTLIER_MADS × σ)) above or below the file's median, σ
# being the robust spread of log pay (1.4826 × the median absolute deviation of ln pay), and
# the file has at least PAY_OUTLIER_MIN_ROWS rates. A council's highest rate is 5 to 8 times
# its median (Transparency Code pay multiples); a decimal comma read as thousands (12,50 ->
# 1,250), pence read as pounds or a salary in the hourly column are 50 to 2,000 times off.
PAY_OUTLIER_MIN_FACTOR = 10.0
PAY_OUTLIER_MADS = 8.0
PAY_OUTLIER_MIN_ROWS = 20
_ROW = "__row"
_NUMBER_COLUMNS = ("fte", "weekly_hours", "hourly_pay", "annual_salary", "bonus_pay")
_TEXT_COLUMNS = ("pay_band", "grade", "directorate", "division", "leadership_tier", "contract_type")
_STRIPPED_BY_ROW = frozenset(("employee_id", *_TEXT_COLUMNS))
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d %B %Y",
    "%d-%B-%Y",
)
# A date with a two-digit year (31/03/24, 01-Feb-60), rewritten with its century first.
_TWO_DIGIT_YEAR = r"^(\d{1,2})([/.\- ])(\d{1,2}|[A-Za-z]{3,9})([/.\- ])(\d{2})$"
_EXCEL_EPOCH = date(1899, 12, 30)


# Said by every command that refuses an extract with rates to confirm.
CONFIRM_PAY_HINT = (
    "Hourly rates flagged for confirmation: check each in the file; if they are right, run "
    "again with --confirm-pay."
)


@dataclass
class Problem:
    """One thing wrong with the extract. `row` is the spreadsheet row (header = 1).

    A `confirmable` problem is a value that is probably wrong but may be right (an hourly rate
    below the legal minimum): it stops the import until a person confirms it.
    """

    row: int | None
    column: str | None
    value: str | None
    message: str
    confirmable: bool = False

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", column {self.column}" if self.column else ""
        value = f", value {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{column}{value}: {self.message}"


@dataclass(frozen=True)
class LeftOutColumn:
    """A column of the file that is not used, and the canonical column it looks like (if any)."""

    column: str
    looks_like: str | None = None
    note: str = ""

    def __str__(self) -> str:
        if self.looks_like is None:
            return self.column
        note = f"; {self.note}" if self.note else ""
        return f"{self.column} (looks like {self.looks_like}{note})"


@dataclass
class ColumnPlan:
    """Which file column feeds each canonical column, and what is left out (and why)."""

    assignment: dict[str, str]  # canonical -> source column
    dropped: list[str]  # direct identifiers: never read
    left_out: list[LeftOutColumn]  # not used; some look like canonical columns
    problems: list[Problem]

    @property
    def ignored(self) -> list[str]:
        return [column.column for column in self.left_out]

    def lines(self) -> list[str]:
        """The plan in words, for the command line and the mapping page."""
        lines = [
            "Columns used: "
            + ", ".join(f"{source} → {name}" for name, source in self.assignment.items())
        ]
        looks = [c for c in self.left_out if c.looks_like]
        plain = [c.column for c in self.left_out if not c.looks_like]
        if looks:
            lines.append(
                "Left out, but they look like columns the figures use (map them if so): "
                + "; ".join(str(c) for c in looks)
            )
        if plain:
            lines.append("Left out (not used): " + ", ".join(plain))
        if self.dropped:
            lines.append("Direct identifiers, never read: " + ", ".join(self.dropped))
        return lines


@dataclass
class ExtractResult:
    """The validated frame (None when there are problems) and everything found on the way."""

    frame: pl.DataFrame | None
    problems: list[Problem]
    unmapped_values: dict[str, list[str]]
    present_columns: set[str]
    source_columns: list[str]
    row_count: int
    dropped_columns: list[str] = field(default_factory=list)  # direct identifiers, not kept
    ignored_columns: list[str] = field(default_factory=list)  # not canonical, not used
    left_out: list[LeftOutColumn] = field(default_factory=list)  # the same, with look-alikes
    # Distinct unrecognised values per column (unmapped_values lists the first of them).
    unmapped_counts: dict[str, int] = field(default_factory=dict)
    # What each listed unrecognised value probably means (by meaning only; None = no idea).
    suggestions: dict[str, dict[str, Suggestion]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how the file was read
    source: str = ""  # where the headers were found
    column_plan: ColumnPlan | None = None

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.problems

    @property
    def only_needs_confirmation(self) -> bool:
        """True when every problem is a value a person may confirm (implausible pay)."""
        return bool(self.problems) and all(p.confirmable for p in self.problems)


# --- reading ----------------------------------------------------------------------------------


def _source_bytes(source: Any) -> tuple[bytes, str]:
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        return path.read_bytes(), path.name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), ""
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)  # an upload may have been read before (polars does not rewind)
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return bytes(data), str(getattr(source, "name", "") or "")
    raise ExtractReadError(f"cannot read a table from {type(source).__name__}")


def read_extract(source: Any, filename: str | None = None) -> SourceTable:
    """Every cell of the extract's sheet (or the CSV) as text, and where its header was found.

    `source` is a path, bytes or a binary file object; `filename` (or the path's own name)
    says which format: .xlsx / .xlsm as Excel, anything else as CSV. Blank rows are kept here,
    so that row numbers stay those of the spreadsheet, and skipped by validation. Raises
    ExtractReadError when the file is not a table at all (or is an unsafe workbook).
    """
    data, own_name = _source_bytes(source)
    return read_source(data, (filename or own_name).lower())


def read_table(source: Any, filename: str | None = None) -> pl.DataFrame:
    """The cells of `read_extract` alone (rows numbered from 2 if validated on their own)."""
    return read_extract(source, filename).frame


# --- column assignment ------------------------------------------------------------------------


def _known_aliases() -> dict[str, str]:
    known: dict[str, str] = {}
    for name, spec in CANONICAL_COLUMNS.items():
        for alias in (name, *spec.aliases):
            known.setdefault(header_key(alias), name)
    return known


_KNOWN_ALIASES = _known_aliases()
_IDENTIFIER_HEADERS = frozenset(header_key(h) for h in DIRECT_IDENTIFIER_HEADERS)
_LIKELY_HEADERS = {header_key(h): name for h, name in LIKELY_HEADERS.items()}


def plan_columns(
    source_columns: list[str], column_mapping: Mapping[str, str] | None = None
) -> ColumnPlan:
    """Explicit mapping first, then headers that name a canonical column or a known alias.

    A header left out ("" in the mapping, or no match) that looks like a canonical column is
    named with it: an alias of a column another header already feeds ("Assignment Number" when
    "Employee Number" is the id), or one of `schema.LIKELY_HEADERS` ("Org L3": directorate).
    """
    problems: list[Problem] = []
    assignment: dict[str, str] = {}
    for source, target in (column_mapping or {}).items():
        if not target:
            continue
        if target not in CANONICAL_COLUMNS:
            problems.append(
                Problem(None, source, target, "the column mapping names an unknown column")
            )
        elif source not in source_columns:
            problems.append(Problem(None, source, None, "the mapped column is not in the file"))
        elif target in assignment:
            problems.append(
                Problem(
                    None,
                    source,
                    None,
                    f"both {assignment[target]!r} and {source!r} are mapped to {target}",
                )
            )
        else:
            assignment[target] = source
    explicitly_mapped = set((column_mapping or {}).keys())
    dropped: list[str] = []
    left_out: list[LeftOutColumn] = []
    used = set(assignment.values())
    for column in source_columns:
        if column in used:
            continue
        key = header_key(column)
        canonical = None if column in explicitly_mapped else _KNOWN_ALIASES.get(key)
        if canonical and canonical not in assignment:
            assignment[canonical] = column
        elif key in _IDENTIFIER_HEADERS:
            dropped.append(column)
        else:
            left_out.append(_left_out(column, key, assignment))
    for name, spec in CANONICAL_COLUMNS.items():
        if spec.required and name not in assignment:
            problems.append(Problem(None, name, None, f"required column {name!r} is missing"))
    return ColumnPlan(assignment, dropped, left_out, problems)


def _left_out(column: str, key: str, assignment: Mapping[str, str]) -> LeftOutColumn:
    canonical = _KNOWN_ALIASES.get(key) or _LIKELY_HEADERS.get(key)
    if canonical is None:
        return LeftOutColumn(column)
    if canonical in assignment:
        return LeftOutColumn(
            column, canonical, f"{canonical} is read from “{assignment[canonical]}”"
        )
    return LeftOutColumn(column, canonical)


# --- helpers: one problem list per check ------------------------------------------------------


def _rows_text(rows: list[int], count: int) -> str:
    shown = ", ".join(str(r) for r in rows[:10])
    return f"row {shown}" if count == 1 else f"{count} rows: {shown}{' …' if count > 10 else ''}"


class _Collector:
    """Turns boolean masks over the frame into Problems, capped per check."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.problems: list[Problem] = []

    def from_mask(
        self,
        frame: pl.DataFrame,
        mask: str,
        column: str,
        raw: str,
        message: str,
        *,
        confirmable: bool = False,
    ) -> None:
        hits = frame.filter(pl.col(mask))
        if hits.is_empty():
            return
        shown = hits if self.limit is None else hits.head(self.limit)
        for row, value in shown.select(_ROW, raw).iter_rows():
            self.problems.append(Problem(row, column, value, message, confirmable))
        if hits.height > shown.height:
            rest = hits.height - shown.height
            first_hidden = hits.get_column(_ROW)[shown.height]
            self.problems.append(
                Problem(
                    first_hidden,
                    column,
                    None,
                    f"{message}: {rest:,} more rows like this from row {first_hidden} on",
                    confirmable,
                )
            )


def _more_line(column: str, what: str, rest: int) -> Problem:
    return Problem(None, column, None, f"{rest:,} {what}")


def _capped(
    items: list[Problem], limit: int | None, summary: Callable[[int], Problem]
) -> list[Problem]:
    """The first `limit` problems and one line counting the rest."""
    if limit is None or len(items) <= limit:
        return items
    return [*items[:limit], summary(len(items) - limit)]


# --- value parsing (on distinct values) -------------------------------------------------------


def _stripped_already(values: pl.Series) -> bool:
    """True when `_strip` would leave every one of these values as it is."""
    return bool(
        pl.select(
            ((pl.lit(values).str.strip_chars() == pl.lit(values)) & (pl.lit(values) != "")).all()
        ).item()
    )


def _strip(name: str) -> pl.Expr:
    value = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value).alias(name)


_THOUSANDS_COMMAS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$"  # 1,234 or 1,234,567.89
_DECIMAL_COMMA = r"^[+-]?(\d{1,3}(\.\d{3})+|\d*),\d+$"  # 12,50 or 1.234,50
_THOUSANDS_DOTS = r"^[+-]?\d{1,3}(\.\d{3})+$"  # 1.234: thousands, or three decimals?


def _parse_number(values: pl.Series, decimal_comma: bool = False) -> tuple[pl.Series, pl.Series]:
    """(number or null, ambiguous) for each value.

    '£1,234.50' -> 1234.5. A comma is a thousands separator only in groups of three; any other
    comma ('12,50', '1.234,50') is ambiguous (a decimal comma?) and gives no number. With
    `decimal_comma` the roles swap: '12,50' -> 12.5, '1.234,50' -> 1234.5, and '1.234' (three
    digits after a dot, thousands or decimals?) is ambiguous; '12.5' is still 12.5.
    """
    text = (
        values.str.strip_chars()
        .str.strip_chars_start("£")
        .str.replace_all(r"[\s\u00a0\u202f]", "")
        .str.strip_chars_start("£")
    )
    has_comma = text.str.contains(",", literal=True)
    if decimal_comma:
        ambiguous = (has_comma & ~text.str.contains(_DECIMAL_COMMA)) | text.str.contains(
            _THOUSANDS_DOTS
        )
        plain = pl.select(
            pl.when(has_comma)
            .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
            .otherwise(text)
        ).to_series()
    else:
        ambiguous = has_comma & ~text.str.contains(_THOUSANDS_COMMAS)
        plain = text.str.replace_all(",", "", literal=True)
    number = plain.cast(pl.Float64, strict=False)
    parsed = pl.select(pl.when(number.is_finite() & ~ambiguous).then(number)).to_series()
    return parsed, ambiguous.fill_null(False)


def _parse_date(values: pl.Series, two_digit_until: int) -> pl.Series:
    """ISO, UK day-first (31/03/2024, 31-Mar-2024...), Excel serial numbers; else null.

    A two-digit year is in the century that puts it at or before `two_digit_until` (the latest
    year it can mean: for a date of birth, the snapshot year less the youngest working age, so
    01/02/60 is 1960). A four-digit year is needed otherwise: '31/03/24' is not the year 24.
    """
    text = values.str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2})[ T].*$", "${1}")
    parts = text.str.extract_groups(_TWO_DIGIT_YEAR)
    year = parts.struct.field("5").cast(pl.Int32, strict=False)
    century = pl.select(
        pl.when(2000 + year <= two_digit_until).then(2000 + year).otherwise(1900 + year)
    ).to_series()
    rewritten = pl.select(
        pl.when(year.is_not_null())
        .then(
            pl.concat_str(
                parts.struct.field("1"),
                parts.struct.field("2"),
                parts.struct.field("3"),
                parts.struct.field("4"),
                century.cast(pl.String),
            )
        )
        .otherwise(text)
    ).to_series()
    four_digits = rewritten.str.contains(r"\d{4}")
    attempts = [rewritten.str.to_date(fmt, strict=False) for fmt in _DATE_FORMATS]
    serial = text.cast(pl.Float64, strict=False)
    serial = pl.select(
        pl.when((serial >= 1) & (serial < 80000) & (serial == serial.floor())).then(serial)
    ).to_series()
    excel = (serial.cast(pl.Int64) + (_EXCEL_EPOCH - date(1970, 1, 1)).days).cast(pl.Date)
    parsed = pl.select(
        pl.coalesce(pl.when(four_digits).then(pl.coalesce(*attempts)), excel)
    ).to_series()
    return pl.select(pl.when(parsed >= pl.lit(EARLIEST_DATE)).then(parsed)).to_series()


@dataclass
class _Parsed:
    """A column's distinct values parsed: the row expression, and the values that failed."""

    expression: pl.Expr
    unparseable: list[str]
    ambiguous: list[str] = field(default_factory=list)


def _on_distinct(
    distinct: pl.Series,
    name: str,
    parse: Callable,
    direct: Callable[[pl.Expr], pl.Expr] | None = None,
) -> _Parsed:
    """Parse each distinct value of a column once: the expression mapping rows to the parsed
    value, the distinct values that are neither blank nor parseable, and (numbers) those whose
    comma or dot is ambiguous.

    `direct` is a plain vectorised parse (a cast, one date format). When it gives exactly the
    parsed value for every distinct value, as it does for a clean export, rows are parsed with
    it: the same values, without looking up each row's text among thousands of distinct dates.
    """
    distinct = distinct.drop_nulls()
    result = parse(distinct)
    parsed, ambiguous = result if isinstance(result, tuple) else (result, None)
    failed = parsed.is_null() & (distinct.str.strip_chars() != "")
    if ambiguous is not None:
        unparseable = distinct.filter(failed & ~ambiguous)
        doubtful = distinct.filter(ambiguous).to_list()
    else:
        unparseable, doubtful = distinct.filter(failed), []
    if direct is not None and pl.select(direct(pl.lit(distinct)).eq_missing(parsed).all()).item():
        expression = direct(pl.col(name))
    else:
        expression = pl.col(name).replace_strict(
            distinct, parsed, default=None, return_dtype=parsed.dtype
        )
    return _Parsed(expression, unparseable.to_list(), doubtful)


def _cast_number(text: pl.Expr) -> pl.Expr:
    return text.cast(pl.Float64, strict=False)


def _iso_date(text: pl.Expr) -> pl.Expr:
    return text.str.strptime(pl.Date, "%Y-%m-%d", strict=False, cache=False)


_HASH_CHUNK = 50_000

EMPLOYEE_KEY_BYTES = 16  # 128 bits of HMAC-SHA256: see _keyed_hashes


def _keyed_hashes(
    ids: pl.Series, key: bytes, stop: threading.Event | None = None
) -> pl.Series | None:
    """HMAC-SHA256 (RFC 2104) of each id under `key`, truncated to its first 128 bits, as 32
    hex digits; nulls stay null. None when `stop` is set before it finishes (the file had
    problems, so nothing will be stored).

    Equal to hmac.new(key, id, sha256).hexdigest()[:32], with the padded-key states computed
    once so each row costs two hash updates in C. Why truncated: the key is most of a stored
    snapshot (and of its import time); 128 bits is the shortest RFC 2104 section 5 allows (half
    the hash), and a collision among even ten million ids has odds below 10^-24. Keys stored
    whole by earlier versions are cut to the same prefix when read, so they still match.
    """
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner_base = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer_base = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    new_inner, new_outer = inner_base.copy, outer_base.copy
    digests: list[bytes] = []
    append = digests.append
    # Nulls are hashed as b"" and put back afterwards, so the loop has no test in it; the
    # truncation and the hex digits are one vectorised pass over the digests.
    values = ids.cast(pl.String).cast(pl.Binary).fill_null(b"").to_list()
    for start in range(0, len(values), _HASH_CHUNK):
        if stop is not None and stop.is_set():
            return None
        for value in values[start : start + _HASH_CHUNK]:  # the one per-row loop
            inner = new_inner()
            inner.update(value)
            outer = new_outer()
            outer.update(inner.digest())
            append(outer.digest())
    keys = pl.Series("employee_key", digests, dtype=pl.Binary)
    return pl.select(
        pl.when(pl.lit(ids.is_null()))
        .then(None)
        .otherwise(keys.bin.slice(0, EMPLOYEE_KEY_BYTES).bin.encode("hex"))
        .cast(pl.String)
        .alias("employee_key")
    ).to_series()


class _BackgroundHashes:
    """The keyed hashes of the ids, computed in a thread while the checks run.

    Why a thread: the hash loop is Python holding the GIL, while the checks are polars, which
    releases it; on two cores the two overlap, and the hashes are most of an import's cost.
    The ids hashed are the stripped ids of every row, hashed before the blank rows are found
    (so that the hashes start first); the blank rows' are dropped afterwards.
    """

    def __init__(self, ids: pl.Series, key: bytes) -> None:
        self._stop = threading.Event()
        self._result: pl.Series | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(ids, key), daemon=True)
        self._thread.start()

    def _run(self, ids: pl.Series, key: bytes) -> None:
        try:
            self._result = _keyed_hashes(ids, key, self._stop)
        except BaseException as error:  # re-raised in the caller's thread by result()
            self._error = error

    def result(self) -> pl.Series:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result

    def cancel(self) -> None:
        self._stop.set()


# --- validation -------------------------------------------------------------------------------


def _literal_column_names(raw: pl.DataFrame) -> pl.DataFrame:
    """Headers that polars would read as patterns ("*", "^…$") get a literal spelling.

    Why: `pl.col("*")` means every column, and `pl.col("^a$")` is a regular expression, so such
    a header would silently select the wrong data.
    """
    renames = {
        name: f"[{name}]"
        for name in raw.columns
        if name == "*" or (name.startswith("^") and name.endswith("$"))
    }
    return raw.rename(renames) if renames else raw


def validate_extract(
    raw: pl.DataFrame | SourceTable,
    *,
    column_mapping: Mapping[str, str] | None = None,
    value_mapping: Mapping[str, Mapping[str, str]] | None = None,
    snapshot_date: date,
    standard_weekly_hours: float = 36.0,
    id_key: bytes | None,
    max_problems_per_check: int | None = MAX_PROBLEMS_PER_CHECK,
    decimal_comma: bool = False,
    confirm_pay: bool = False,
) -> ExtractResult:
    """Check the whole extract and, when it is clean, return the canonical frame.

    `raw` is what `read_extract` gives (rows numbered from its header row, formula cells
    without values reported) or a bare frame of text (header in row 1). `column_mapping` maps
    the file's headers to canonical columns (headers that already are a canonical name or a
    known alias need no mapping). `value_mapping` maps, per canonical column, the council's own
    spellings to accepted values. `decimal_comma` reads 12,50 as 12.5 (the file writes decimals
    with a comma); otherwise such a comma is a problem. `confirm_pay` accepts the hourly rates
    that would be flagged as implausible (a person has checked them).

    `id_key` keys the hash each employee id is kept as (`_keyed_hashes`). None makes no keys
    (employee_key is left null, as an absent column): for a caller that keeps nothing and links
    nothing, such as `equitable metrics`, whose figures never read a key; the checks are the
    same.

    Hourly pay, when the file has no `hourly_pay` for a person, is annual_salary / (52.143 ×
    standard_weekly_hours), where 52.143 = 365 / 7 weeks a year; annual_salary is the full-time
    equivalent salary. Given or derived, it is rounded to HOURLY_PAY_DECIMALS places.
    """
    source = raw if isinstance(raw, SourceTable) else SourceTable(raw)
    frame = _literal_column_names(source.frame)
    source_columns = list(frame.columns)
    plan = plan_columns(source_columns, column_mapping)
    problems = list(plan.problems)
    if standard_weekly_hours is None or not 0 < float(standard_weekly_hours) <= 100:
        problems.append(
            Problem(
                None,
                None,
                str(standard_weekly_hours),
                "standard weekly hours must be above 0 and at most 100",
            )
        )
    assignment = plan.assignment
    for column in source_columns:
        base, marker, number = column.rpartition("_duplicated_")
        if marker and number.isdigit() and base in source_columns:
            problems.append(Problem(None, base, None, "this header appears more than once"))
    problems += _formula_problems(source, assignment, max_problems_per_check)

    # Spreadsheet row numbers; blank rows (every cell empty or spaces, used columns or not)
    # dropped. Ids and free text are stripped row by row; categories, numbers and dates are
    # cleaned on their distinct values only (far fewer than rows).
    row_stripped = {n: src for n, src in assignment.items() if n in _STRIPPED_BY_ROW}
    kept_raw = {n: src for n, src in assignment.items() if n not in _STRIPPED_BY_ROW}
    others = {
        f"__other{i}": column
        for i, column in enumerate(c for c in frame.columns if c not in set(assignment.values()))
    }
    # Free text has few distinct values too: a column none of whose values has spaces around it
    # (or is empty) is its own stripped self, with no pass over its rows.
    text_columns = {n: src for n, src in row_stripped.items() if n != "employee_id"}
    # The ids' hashes start first, beside everything else (see _BackgroundHashes).
    ids = (
        frame.select(_strip(assignment["employee_id"]).alias("employee_id")).to_series()
        if "employee_id" in assignment
        else None
    )
    hashes = _BackgroundHashes(ids, id_key) if ids is not None and id_key is not None else None
    uniques = frame.select(
        pl.col(src).cast(pl.String).unique().implode().alias(name)
        for name, src in {**text_columns, **kept_raw, **others}.items()
    )
    distinct = {name: uniques.get_column(name)[0] for name in uniques.columns}
    clean_text = {name for name in text_columns if _stripped_already(distinct.pop(name))}
    first = source.first_data_row
    work = frame.select(
        pl.int_range(first, frame.height + first, dtype=pl.Int64).alias(_ROW),
        *[
            pl.lit(ids).alias(name)
            if name == "employee_id"
            else pl.col(source).cast(pl.String).alias(name)
            if name in clean_text
            else _strip(source).alias(name)
            for name, source in row_stripped.items()
        ],
        *[pl.col(src).cast(pl.String).alias(name) for name, src in {**kept_raw, **others}.items()],
    )
    blank_parts = [pl.col(name).is_null() for name in row_stripped]
    for name in distinct:
        spaces = distinct[name].filter(distinct[name].str.strip_chars() == "").to_list()
        blank = pl.col(name).is_null()
        blank_parts.append(blank | pl.col(name).is_in(spaces) if spaces else blank)
    kept: pl.Series | None = None  # the rows kept, when some are blank
    if blank_parts:
        not_blank = work.select(~pl.all_horizontal(blank_parts)).to_series()
        if not not_blank.all():
            work, kept = work.filter(not_blank), not_blank
    work = work.drop(list(others))
    if work.height == 0:
        problems.append(Problem(None, None, None, "the file has no rows below the header"))
    present = set(assignment)
    collector = _Collector(max_problems_per_check)
    result = ExtractResult(
        frame=None,
        problems=[],
        unmapped_values={},
        present_columns=present,
        source_columns=source_columns,
        row_count=work.height,
        dropped_columns=plan.dropped,
        ignored_columns=plan.ignored,
        left_out=plan.left_out,
        source=source.description(),
        column_plan=plan,
    )

    derived: list[pl.Expr] = []
    for name in classification.CATEGORY_COLUMNS:
        if name not in present:
            continue
        classified = classification.classify_distinct(
            name, distinct[name], (value_mapping or {}).get(name)
        )
        result.notes += classified.notes
        bad_targets = list(classified.bad_targets.items())
        problems += _capped(
            [
                Problem(
                    None,
                    name,
                    value,
                    f"the value mapping sends it to {target!r}, which is not an accepted value"
                    if str(target or "").strip()
                    else "the value mapping leaves it empty: fill in an accepted value",
                )
                for value, target in bad_targets
            ],
            max_problems_per_check,
            partial(_more_line, name, "more values the value mapping sends nowhere"),
        )
        if classified.unplaced.len():
            shown = classified.unplaced.head(MAX_UNMAPPED_VALUES).to_list()
            result.unmapped_values[name] = shown
            result.unmapped_counts[name] = classified.unplaced.len()
            result.suggestions[name] = {v: classification.suggest(name, v) for v in shown}
            problems += _unplaced_problems(
                work, name, classified, result.suggestions[name], max_problems_per_check
            )
        placed = classified.placed
        if _names_itself(classified):
            derived.append(pl.col(name).fill_null(pl.lit(NOT_KNOWN)).alias(f"__c_{name}"))
            continue
        derived.append(
            pl.when(pl.col(name).is_null())
            .then(pl.lit(NOT_KNOWN))
            .otherwise(
                pl.col(name).replace_strict(
                    placed["raw"], placed["canonical"], default=None, return_dtype=pl.String
                )
            )
            .alias(f"__c_{name}")
        )
    parsed: dict[str, _Parsed] = {}
    for name in (*_NUMBER_COLUMNS, "age"):
        if name in present:
            parsed[name] = _on_distinct(
                distinct[name], name, lambda v: _parse_number(v, decimal_comma), _cast_number
            )
            derived.append(parsed[name].expression.alias(f"__n_{name}"))
    latest = {
        "date_of_birth": snapshot_date.year - AGE_RANGE[0],
        "start_date": snapshot_date.year,
    }
    for name, until in latest.items():
        if name in present:
            parsed[name] = _on_distinct(
                distinct[name], name, lambda v, until=until: _parse_date(v, until), _iso_date
            )
            derived.append(parsed[name].expression.alias(f"__d_{name}"))
    if derived:
        work = work.with_columns(derived)
    distinct_parsed = _distinct_parsed(distinct, parsed)
    if "date_of_birth" in parsed:
        work = work.with_columns(_age_by_birth_date(distinct_parsed, snapshot_date))

    _check_values(work, present, parsed, snapshot_date, collector, decimal_comma, distinct_parsed)
    if not confirm_pay:
        _check_pay(work, present, snapshot_date, float(standard_weekly_hours or 36.0), collector)
    if "employee_id" in present:
        problems += _check_ids(work, collector)
    problems += collector.problems
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))  # file-wide first, then by row

    if "age" in present or "date_of_birth" in present:
        present.add("age")
    if "annual_salary" in present:
        present.add("hourly_pay")
    if "ethnicity" in present:
        present |= {"ethnic_group", "white_british"}
    present.discard("date_of_birth")
    present.discard("employee_id")
    if id_key is not None:
        present.add("employee_key")
    result.problems = problems
    if problems:
        if hashes is not None:
            hashes.cancel()
        return result
    height = work.height

    def employee_keys() -> pl.Series:
        if hashes is None:  # no key asked for (a file without ids has a problem)
            return pl.repeat(None, height, dtype=pl.String, eager=True).alias("employee_key")
        keys = hashes.result()
        return keys if kept is None else keys.filter(kept)

    result.frame = _canonical_frame(work, present, float(standard_weekly_hours), employee_keys)
    return result


def _names_itself(classified: classification.Classified) -> bool:
    """Every value of the column is already the accepted spelling (as in an export made for
    Equitable): the rows are then their own canonical values, with no lookup."""
    placed = classified.placed
    return (
        not classified.unplaced.len()
        and not classified.bad_targets
        and placed.select((pl.col("raw") == pl.col("canonical")).all()).item()
    )


def _formula_problems(
    source: SourceTable, assignment: Mapping[str, str], limit: int | None
) -> list[Problem]:
    """A formula saved without its value, in a column that is used: the value is not known."""
    problems: list[Problem] = []
    for name, column in assignment.items():
        cells = source.formula_cells.get(column, [])
        listed = [
            Problem(
                cell.row,
                name,
                cell.formula,
                f"cell {cell.reference} holds a formula saved without its value, so its value "
                "is not known: open the file in Excel or LibreOffice, let it calculate, save "
                "it and upload it again (or replace the formula by its value)",
            )
            for cell in cells
        ]
        total = source.formula_counts.get(column, len(cells))
        unlisted = total - len(listed)
        if unlisted > 0:
            listed.append(
                Problem(
                    None,
                    name,
                    None,
                    f"{unlisted:,} more formula cells without their value in this column",
                )
            )
        problems += _capped(
            listed,
            limit,
            partial(_more_line, name, "more formula cells without their value"),
        )
    return problems


def _unplaced_problems(
    work: pl.DataFrame,
    name: str,
    classified: classification.Classified,
    suggestions: Mapping[str, Suggestion],
    limit: int | None,
) -> list[Problem]:
    """One problem per unrecognised value (the first `limit` of them, by first row), with the
    rows it is on and what it probably means; one more line counts the rest."""
    label = name.replace("_", " ")
    placed_or_bad = pl.concat(
        [classified.placed["raw"], pl.Series(list(classified.bad_targets), dtype=pl.String)]
    )
    rows = (
        work.filter(pl.col(name).is_not_null() & ~pl.col(name).is_in(placed_or_bad))
        .group_by(name)
        .agg(pl.col(_ROW).sort().head(10).alias("rows"), pl.len().alias("count"))
        .sort(pl.col("rows").list.first(), name)
    )
    shown = rows if limit is None else rows.head(limit)
    problems = []
    for value, first_rows, count in shown.iter_rows():
        hint = suggestions.get(value) or classification.suggest(name, value)
        meaning = (
            f"it may mean “{hint.value}” ({hint.reason})"
            if hint.value is not None
            else f"no good suggestion: {hint.reason}"
        )
        problems.append(
            Problem(
                first_rows[0],
                name,
                value,
                f"not a recognised {label} ({_rows_text(first_rows, count)}); {meaning}; "
                "map it to an accepted value",
            )
        )
    if rows.height > shown.height:
        hidden = rows.slice(shown.height)
        first_hidden = min(r[0] for r in hidden.get_column("rows").to_list())
        problems.append(
            Problem(
                first_hidden,
                name,
                None,
                f"{hidden.height:,} more unrecognised {label} values on "
                f"{int(hidden.get_column('count').sum()):,} rows: check that the right column "
                f"is mapped to {name}",
            )
        )
    return problems


def _derived_name(name: str) -> str:
    return f"__d_{name}" if name in ("date_of_birth", "start_date") else f"__n_{name}"


def _distinct_parsed(
    distinct: Mapping[str, pl.Series], parsed: Mapping[str, _Parsed]
) -> pl.DataFrame:
    """The distinct values of each parsed column beside their parsed values, as a work frame
    of a few thousand rows: the columns' distinct values are padded with nulls to one height
    (a null is blank, and no check holds for a blank)."""
    height = max((distinct[name].len() for name in parsed), default=0)
    padded = pl.DataFrame(
        [
            distinct[name].extend_constant(None, height - distinct[name].len()).alias(name)
            for name in parsed
        ]
    )
    return padded.with_columns(
        parsed[name].expression.alias(_derived_name(name)) for name in parsed
    )


def _check_values(
    work: pl.DataFrame,
    present: set[str],
    parsed: Mapping[str, _Parsed],
    snapshot_date: date,
    collector: _Collector,
    decimal_comma: bool,
    distinct_parsed: pl.DataFrame | None = None,
) -> None:
    """Numbers, ranges and dates: every failing row, found with one pass of masks.

    Each of these checks reads one cell alone, so a row fails only if its value fails among
    the column's distinct values (`distinct_parsed`, see `_distinct_parsed`): when none does,
    the rows are not looked at."""
    checks: list[tuple[pl.Expr, str, str]] = []  # (mask, column, message)

    def number(name: str) -> pl.Expr:
        return pl.col(f"__n_{name}")

    ambiguous_message = (
        "the dot or comma is ambiguous for a file with decimal commas (1.234 may be 1,234 or "
        "1.234; write 1234 or 1,234): correct the file"
        if decimal_comma
        else "a comma that is not a thousands separator: if the file writes decimals with a "
        "comma (12,50 for 12.50), choose “comma” as its decimal separator (--decimal-comma on "
        "the command line); otherwise correct the value"
    )
    for name in _NUMBER_COLUMNS:
        if name not in present:
            continue
        checks.append((pl.col(name).is_in(parsed[name].ambiguous), name, ambiguous_message))
        checks.append((pl.col(name).is_in(parsed[name].unparseable), name, "not a number"))
        checks.append((number(name) < 0, name, "must not be negative"))
    if "fte" in present:
        low, high = FTE_RANGE
        checks.append(
            (
                (number("fte") <= low) | (number("fte") > high),
                "fte",
                f"full-time equivalent must be above {low:g} and at most {high:g}",
            )
        )
    if "weekly_hours" in present:
        low, high = WEEKLY_HOURS_RANGE
        checks.append(
            (
                (number("weekly_hours") <= low) | (number("weekly_hours") > high),
                "weekly_hours",
                f"weekly hours must be above {low:g} and at most {high:g}",
            )
        )
    if "age" in present:
        age = number("age")
        checks.append((pl.col("age").is_in(parsed["age"].ambiguous), "age", ambiguous_message))
        checks.append((pl.col("age").is_in(parsed["age"].unparseable), "age", "not a whole number"))
        checks.append((age.is_not_null() & (age != age.floor()), "age", "not a whole number"))
        checks.append(
            (
                (age < AGE_RANGE[0]) | (age > AGE_RANGE[1]),
                "age",
                f"age must be between {AGE_RANGE[0]} and {AGE_RANGE[1]}",
            )
        )
    for name in ("date_of_birth", "start_date"):
        if name not in present:
            continue
        day = pl.col(f"__d_{name}")
        checks.append(
            (
                pl.col(name).is_in(parsed[name].unparseable),
                name,
                "not a date (use 31/03/2024 or 2024-03-31)",
            )
        )
        checks.append(
            (
                day > pl.lit(snapshot_date),
                name,
                f"after the snapshot date {snapshot_date.isoformat()}",
            )
        )
    if "date_of_birth" in present:
        age = _age_at(pl.col("__d_date_of_birth"), snapshot_date)
        checks.append(
            (
                (age < AGE_RANGE[0]) | (age > AGE_RANGE[1]),
                "date_of_birth",
                f"gives an age outside {AGE_RANGE[0]} to {AGE_RANGE[1]}",
            )
        )
    if not checks:
        return
    if distinct_parsed is not None and not any(
        _mask_counts(distinct_parsed, [mask for mask, _, _ in checks])
    ):
        return
    _apply_checks(work, checks, collector)


def _apply_checks(
    work: pl.DataFrame,
    checks: list[tuple[pl.Expr, str, str]],
    collector: _Collector,
    *,
    raw_columns: list[str] | None = None,
    confirmable: bool = False,
) -> None:
    """Count every mask in one pass; only when one holds somewhere, lay the masks out beside
    the rows and list the rows of each. Why the count first: a clean file (the usual case)
    then costs one aggregation, with no frame of masks built."""
    if not checks:
        return
    if not any(_mask_counts(work, [mask for mask, _, _ in checks])):
        return
    raws = raw_columns or [column for _, column, _ in checks]
    masks = work.select(
        pl.col(_ROW),
        *[pl.col(raw).alias(f"__raw{i}") for i, raw in enumerate(raws)],
        *[mask.fill_null(False).alias(f"__m{i}") for i, (mask, _, _) in enumerate(checks)],
    )
    counts = masks.select(pl.col(f"__m{i}").sum() for i in range(len(checks))).row(0)
    for i, ((_, column, message), count) in enumerate(zip(checks, counts, strict=True)):
        if count:
            collector.from_mask(
                masks, f"__m{i}", column, f"__raw{i}", message, confirmable=confirmable
            )


def _mask_counts(frame: pl.DataFrame | pl.LazyFrame, masks: list[pl.Expr]) -> tuple[int, ...]:
    """How many rows of `frame` each mask holds for (null counts as not holding)."""
    if not masks:
        return ()
    counts = frame.lazy().select(
        mask.fill_null(False).sum().alias(f"__m{i}") for i, mask in enumerate(masks)
    )
    return counts.collect().row(0)


def _hourly_pay(columns: set[str] | list[str], weekly_hours: float) -> pl.Expr | None:
    """Each person's hourly pay: given, else derived from the FTE salary; 4 decimal places."""
    given = pl.col("__n_hourly_pay") if "__n_hourly_pay" in columns else None
    derived = (
        pl.col("__n_annual_salary") / (WEEKS_PER_YEAR * weekly_hours)
        if "__n_annual_salary" in columns
        else None
    )
    parts = [part for part in (given, derived) if part is not None]
    if not parts:
        return None
    return pl.coalesce(*parts).round(HOURLY_PAY_DECIMALS)


def _money(value: float) -> str:
    return f"£{value:,.2f}"


def _check_pay(
    work: pl.DataFrame,
    present: set[str],
    snapshot_date: date,
    weekly_hours: float,
    collector: _Collector,
) -> None:
    """Hourly rates to confirm: below the legal minimum for the person's age, or far from the
    rest of the file (see PAY_OUTLIER_*). Each is listed with its row, as a confirmable problem
    in the column it came from (hourly_pay, or annual_salary when derived from it)."""
    hourly = _hourly_pay(work.columns, weekly_hours)
    if hourly is None or not 0 < weekly_hours <= 100:
        return
    given = "__n_hourly_pay" in work.columns
    ages: list[pl.Expr] = []
    if "__n_age" in work.columns:
        ages.append(pl.when(pl.col("__n_age").is_finite()).then(pl.col("__n_age").floor()))
    if _AGE_AT_SNAPSHOT in work.columns:
        ages.append(pl.col(_AGE_AT_SNAPSHOT))
    age = pl.coalesce(*ages) if ages else pl.lit(None, dtype=pl.Float64)
    pay_columns = [
        hourly.alias("pay"),
        age.cast(pl.Float64).alias("age"),
        (pl.col("__n_hourly_pay").is_not_null() if given else pl.lit(False)).alias("given"),
    ]
    checks: list[tuple[pl.Expr, str]] = []  # (mask, message)
    rates = minimum_wage.rates_on(snapshot_date)
    if rates is not None:
        minimum = _minimum_for_age(rates)
        checks.append(
            (
                (pl.col("pay") >= 0) & (pl.col("pay") < minimum),  # negative: refused
                f"below the legal minimum for the person's age on {snapshot_date:%d %B %Y} "
                f"(National Living Wage {_money(rates.living_wage)} an hour from age "
                f"{rates.living_wage_age}, used when the age is not known; an apprentice may "
                f"be paid {_money(rates.apprentice)}): check it, then confirm it is right",
            )
        )
    outlier = _pay_outlier(work, hourly)
    if outlier is not None:
        low, median, high, factor = outlier
        causes = "a decimal comma, pence for pounds, a salary in the hourly column?"
        checks.append(
            (
                pl.col("pay") > high,
                f"more than {factor:,.0f} times the file's median hourly pay ({_money(median)}): "
                f"check it ({causes}), then confirm it is right",
            )
        )
        checks.append(
            (
                (pl.col("pay") >= 0) & (pl.col("pay") < low),
                f"less than a {factor:,.0f}th of the file's median hourly pay "
                f"({_money(median)}): check it ({causes}), then confirm it is right",
            )
        )
    if not checks:
        return
    laid_out: list[tuple[pl.Expr, str, str]] = []
    raws: list[str] = []
    for mask, message in checks:
        if given:
            laid_out.append((mask & pl.col("given"), "hourly_pay", f"hourly pay {message}"))
            raws.append("hourly_pay")
        if "annual_salary" in present:
            laid_out.append(
                (
                    mask & ~pl.col("given"),
                    "annual_salary",
                    f"the hourly pay this salary gives (salary / (52.143 × {weekly_hours:g} "
                    f"hours)) is {message}",
                )
            )
            raws.append("annual_salary")
    masks = [mask for mask, _, _ in laid_out]
    if not any(_mask_counts(work.lazy().with_columns(pay_columns), masks)):
        return  # the usual case: one pass over the rates, no frame of rates built
    pay = work.select(pl.col(_ROW), *pay_columns)
    frame = pay.join(
        work.select(_ROW, *sorted(set(raws))), on=_ROW, how="left", maintain_order="left"
    )
    _apply_checks(frame, laid_out, collector, raw_columns=raws, confirmable=True)


def _minimum_for_age(rates: minimum_wage.MinimumRates) -> pl.Expr:
    age = pl.col("age")
    adult_band = rates.age_21_and_over if rates.age_21_and_over is not None else rates.living_wage
    return (
        pl.when(age.is_null() | (age >= rates.living_wage_age))
        .then(rates.living_wage)
        .when(age >= 21)
        .then(adult_band)
        .when(age >= 18)
        .then(rates.age_18_to_20)
        .when(age >= 16)
        .then(rates.under_18)
        .otherwise(None)
    )


def _pay_outlier(work: pl.DataFrame, pay: pl.Expr) -> tuple[float, float, float, float] | None:
    """(low, median, high, factor) of the robust rule on ln pay, or None for a small file.

    The count, the median and the median absolute deviation come from one pass."""
    logs = pay.filter(pay > 0).log()
    count, median, deviation = work.select(
        logs.len().alias("count"),
        logs.median().alias("median"),
        (logs - logs.median()).abs().median().alias("deviation"),
    ).row(0)
    if count < PAY_OUTLIER_MIN_ROWS:
        return None
    centre = float(median or 0.0)
    spread = 1.4826 * float(deviation or 0.0)
    width = max(math.log(PAY_OUTLIER_MIN_FACTOR), PAY_OUTLIER_MADS * spread)
    return math.exp(centre - width), math.exp(centre), math.exp(centre + width), math.exp(width)


def _check_ids(work: pl.DataFrame, collector: _Collector) -> list[Problem]:
    column = work.get_column("employee_id")
    if _all_present_and_unique(column):
        return []  # the usual case
    ids = work.select(
        pl.col(_ROW),
        pl.col("employee_id"),
        pl.col("employee_id").is_null().alias("__blank_id"),
        (pl.col("employee_id").is_duplicated() & pl.col("employee_id").is_not_null()).alias(
            "__dup"
        ),
    )
    collector.from_mask(ids, "__blank_id", "employee_id", "employee_id", "employee_id is blank")
    problems: list[Problem] = []
    if ids.get_column("__dup").any():
        groups = (
            ids.filter(pl.col("__dup"))
            .group_by("employee_id")
            .agg(pl.col(_ROW).sort().alias("rows"))
            .sort(pl.col("rows").list.first())
        )
        shown = groups if collector.limit is None else groups.head(collector.limit)
        for value, rows in shown.iter_rows():
            listed = ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")
            problems.append(
                Problem(
                    rows[0],
                    "employee_id",
                    value,
                    f"employee_id appears {len(rows)} times (rows {listed})",
                )
            )
        if groups.height > shown.height:
            first_hidden = groups.get_column("rows")[shown.height][0]
            problems.append(
                Problem(
                    first_hidden,
                    "employee_id",
                    None,
                    f"{groups.height - shown.height:,} more employee ids appear more than once, "
                    f"from row {first_hidden} on",
                )
            )
    return problems


def _all_present_and_unique(ids: pl.Series) -> bool:
    """Every id given, none twice. Ids are most often numbers: distinct as numbers is distinct
    as text too (equal text is an equal number), and numbers are many times cheaper to hash;
    text is compared only when some id is not a number or two are equal as numbers ("7" and
    "007")."""
    if ids.null_count():
        return False
    numbers = ids.cast(pl.Int64, strict=False)
    if numbers.null_count() == 0 and numbers.n_unique() == numbers.len():
        return True
    return ids.n_unique() == ids.len()


_AGE_AT_SNAPSHOT = "__age_at_snapshot"


def _age_by_birth_date(distinct_parsed: pl.DataFrame, on: date) -> pl.Expr:
    """Each row's age on `on` from its date of birth, worked out once per distinct date
    (a few thousand) and looked up by date: the same `_age_at`, a quarter of the cost."""
    born = distinct_parsed.get_column("__d_date_of_birth").drop_nulls().unique()
    ages = pl.select(_age_at(pl.lit(born), on)).to_series()
    return (
        pl.col("__d_date_of_birth")
        .replace_strict(born, ages, default=None, return_dtype=pl.Int32)
        .alias(_AGE_AT_SNAPSHOT)
    )


def _age_at(born: pl.Expr, on: date) -> pl.Expr:
    """Whole years completed on `on` (a birthday on the day counts)."""
    before_birthday = (born.dt.month() > on.month) | (
        (born.dt.month() == on.month) & (born.dt.day() > on.day)
    )
    return (pl.lit(on.year) - born.dt.year().cast(pl.Int32) - before_birthday.cast(pl.Int32)).cast(
        pl.Int32
    )


def _canonical_frame(
    work: pl.DataFrame,
    present: set[str],
    weekly_hours: float,
    employee_keys: Callable[[], pl.Series],
) -> pl.DataFrame:
    """The contract frame: every column, typed; absent ones all null."""
    columns: dict[str, pl.Expr] = {}
    if "ethnicity" in present:
        canonical = pl.col("__c_ethnicity")
        columns["ethnicity"] = canonical
        group = canonical.replace_strict(
            list(ETHNICITY_TO_GROUP),
            list(ETHNICITY_TO_GROUP.values()),
            default=UNKNOWN,
            return_dtype=pl.String,
        )
        columns["ethnic_group"] = group
        # White British is not known for "White (category not given)": it may be either.
        columns["white_british"] = (
            pl.when(canonical == WHITE_BRITISH_CATEGORY)
            .then(True)
            .when((group == UNKNOWN) | (canonical == GROUP_ONLY_OF["White"]))
            .then(None)
            .otherwise(False)
        )
    for name in ("sex", "disability", "sexual_orientation", "religion"):
        if name in present:
            columns[name] = pl.col(f"__c_{name}")
    for name in _TEXT_COLUMNS:
        if name in present:
            columns[name] = pl.col(name)
    for name in _NUMBER_COLUMNS:
        if name in work.columns:
            columns[name] = pl.col(f"__n_{name}")
    hourly = _hourly_pay(work.columns, weekly_hours)
    if hourly is not None:
        columns["hourly_pay"] = hourly
    ages = []
    if "age" in work.columns:
        ages.append(pl.col("__n_age").cast(pl.Int32))
    if _AGE_AT_SNAPSHOT in work.columns:
        ages.append(pl.col(_AGE_AT_SNAPSHOT))
    if ages:
        columns["age"] = pl.coalesce(*ages)
    if "start_date" in work.columns:
        columns["start_date"] = pl.col("__d_start_date")
    frame = work.select(
        *[
            (columns[name] if name in columns else pl.lit(None)).cast(dtype).alias(name)
            for name, dtype in FRAME_SCHEMA.items()
            if name != "employee_key"
        ]
    )
    return frame.insert_column(0, employee_keys())


def unplaced_value_lines(
    unmapped: Mapping[str, list[str]],
    suggestions: Mapping[str, Mapping[str, Suggestion]],
    counts: Mapping[str, int],
) -> list[str]:
    """The values that could not be placed, in words: each with what it means when the value
    says so, or that there is no good suggestion; and how many more were not listed."""
    lines = ["Values that could not be placed:"]
    for column, values in unmapped.items():
        accepted = ", ".join(classification.VOCABULARIES[column])
        lines.append(f"  {column} (accepted: {accepted}):")
        for value in values:
            hint = suggestions.get(column, {}).get(value) or classification.suggest(column, value)
            if hint.value is not None:
                lines.append(f"    {value!r}: probably {hint.value!r} ({hint.reason})")
            else:
                lines.append(f"    {value!r}: no good suggestion ({hint.reason}); choose one")
        more = counts.get(column, len(values)) - len(values)
        if more > 0:
            lines.append(f"    … and {more:,} more values not listed: is the right column mapped?")
    return lines


def example_value_map(
    unmapped: Mapping[str, list[str]], suggestions: Mapping[str, Mapping[str, Suggestion]]
) -> dict[str, dict[str, str]]:
    """A value map to edit: each unplaced value with its suggestion by meaning, or "" where
    there is none (to be filled in by a person; an empty target is itself refused)."""
    example: dict[str, dict[str, str]] = {}
    for column, values in unmapped.items():
        for value in values:
            hint = suggestions.get(column, {}).get(value) or classification.suggest(column, value)
            example.setdefault(column, {})[value] = hint.value or ""
    return example


def load_extract(source: Any, filename: str | None = None, **kwargs: Any) -> ExtractResult:
    """read_extract + validate_extract; an unreadable file is one Problem, not an exception."""
    try:
        table = read_extract(source, filename)
    except (ExtractReadError, OSError) as error:
        return ExtractResult(None, [Problem(None, None, None, str(error))], {}, set(), [], 0)
    return validate_extract(table, **kwargs)


__all__ = [
    "ColumnPlan",
    "ExtractReadError",
    "ExtractResult",
    "LeftOutColumn",
    "Problem",
    "SourceTable",
    "load_extract",
    "plan_columns",
    "read_extract",
    "read_table",
    "example_value_map",
    "unplaced_value_lines",
    "validate_extract",
]
