"""Read a council's HR extract (CSV or XLSX) and validate it into the canonical workforce frame.

Validation is all or nothing: it collects every problem in the file (row, column, value, what
is wrong) and returns a frame only when there are none. It never raises on bad data. Rows are
numbered as a spreadsheet numbers them: the header is row 1, the first person row 2.

Speed: every check is a polars expression over whole columns, and the expensive per-value work
(classifying "Asian or Asian British - Indian", parsing a date) runs once per distinct value,
not once per row. Only the keyed hash of the employee id is computed per row (in C, through
hashlib with the HMAC key schedule precomputed).

Direct identifiers (names, email addresses, National Insurance numbers, addresses...) are
dropped on reading and never reach the frame; `date_of_birth` is reduced to the age at the
snapshot date.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from equitable.metrics import classification
from equitable.metrics.classification import normalise
from equitable.metrics.schema import (
    CANONICAL_COLUMNS,
    DIRECT_IDENTIFIER_HEADERS,
    ETHNIC_GROUPS,
    ETHNICITY_TO_GROUP,
    FRAME_SCHEMA,
    NOT_KNOWN,
    UNKNOWN,
    WEEKS_PER_YEAR,
    WHITE_BRITISH,
)

# Plausible ranges: outside them a value is an error in the extract, not a fact about a person.
FTE_RANGE = (0.0, 2.0)  # above 0, at most 2 (two full-time posts)
WEEKLY_HOURS_RANGE = (0.0, 100.0)  # above 0, at most 100
AGE_RANGE = (14, 100)
# Problems of one kind listed row by row before the rest are summed up in one line.
MAX_PROBLEMS_PER_CHECK = 1000
_ROW = "__row"
_UTF8_BOM = b"\xef\xbb\xbf"
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
    "%d/%m/%y",
)
_EXCEL_EPOCH = date(1899, 12, 30)


class ExtractReadError(ValueError):
    """The file could not be read as a table at all (not a data problem inside it)."""


@dataclass
class Problem:
    """One thing wrong with the extract. `row` is the spreadsheet row (header = 1)."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        column = f", column {self.column}" if self.column else ""
        value = f", value {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{column}{value}: {self.message}"


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

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.problems


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


def _from_windows_1252(data: bytes) -> bytes:
    """Excel's plain "CSV" is Windows-1252; a byte it leaves undefined is read as Latin-1."""
    try:
        return data.decode("cp1252").encode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").encode("utf-8")


def _separator(data: bytes) -> str:
    header = data[: data.find(b"\n")] if b"\n" in data else data
    counts = {sep: header.count(sep.encode()) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _read_csv(data: bytes) -> pl.DataFrame:
    """UTF-8 (a byte order mark is dropped) or, when polars finds invalid UTF-8, Windows-1252.

    Polars checks the encoding itself, so a UTF-8 file is never decoded in Python.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise ExtractReadError("the file is empty")
    try:
        return _polars_csv(data)
    except pl.exceptions.ComputeError as error:
        if "utf-8" not in str(error).lower():
            raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None
    try:
        return _polars_csv(_from_windows_1252(data))
    except pl.exceptions.ComputeError as error:
        raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None


def _polars_csv(data: bytes) -> pl.DataFrame:
    try:
        return pl.read_csv(
            io.BytesIO(data),
            infer_schema=False,
            separator=_separator(data),
            truncate_ragged_lines=True,
        )
    except pl.exceptions.ComputeError:
        raise
    except pl.exceptions.PolarsError as error:
        raise ExtractReadError(f"not a readable CSV file: {_polars_reason(error)}") from None


def _polars_reason(error: Exception) -> str:
    """The short reason inside polars' long error text (which suggests options for coders)."""
    text = str(error)
    if "Original error: ```" in text:
        text = text.split("Original error: ```", 1)[1].split("```", 1)[0]
    return " ".join(text.split())[:300]


def _read_xlsx(data: bytes) -> pl.DataFrame:
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
        sheet = reader.load_sheet(0, dtypes="string")
        frame = pl.from_arrow(sheet.to_arrow())
    except Exception as error:  # fastexcel raises its own error classes
        raise ExtractReadError(f"not a readable Excel (.xlsx) file: {error}") from None
    assert isinstance(frame, pl.DataFrame)
    return frame.with_columns(pl.all().cast(pl.String))


def read_table(source: Any, filename: str | None = None) -> pl.DataFrame:
    """Every cell of the first sheet or the CSV as text (null when empty).

    `source` is a path, bytes or a binary file object; `filename` (or the path's own name)
    says which format: .xlsx / .xlsm as Excel, anything else as CSV (UTF-8 with or without a
    byte order mark, else Windows-1252; comma, semicolon, tab or bar separated). Blank rows are
    kept here, so that row numbers stay those of the spreadsheet, and skipped by validation.
    Raises ExtractReadError when the file is not a table at all.
    """
    data, own_name = _source_bytes(source)
    name = (filename or own_name).lower()
    if name.endswith(".xls"):
        raise ExtractReadError("old Excel .xls files are not supported: save as .xlsx or CSV")
    if name.endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04"):
        frame = _read_xlsx(data)
    else:
        frame = _read_csv(data)
    renamed: dict[str, str] = {}
    seen: set[str] = set()
    for column in frame.columns:
        clean = " ".join(column.replace("\ufeff", "").split())
        if clean and clean not in seen:
            renamed[column] = clean
            seen.add(clean)
    return frame.rename(renamed)


# --- column assignment ------------------------------------------------------------------------


@dataclass
class _Columns:
    assignment: dict[str, str]  # canonical -> source column
    dropped: list[str]
    ignored: list[str]
    problems: list[Problem]


def _assign_columns(
    source_columns: list[str], column_mapping: Mapping[str, str] | None
) -> _Columns:
    """Explicit mapping first, then headers that name a canonical column or a known alias."""
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
    known: dict[str, str] = {}
    for name, spec in CANONICAL_COLUMNS.items():
        for alias in (name, *spec.aliases):
            known.setdefault(normalise(alias), name)
    identifiers = {normalise(h) for h in DIRECT_IDENTIFIER_HEADERS}
    dropped: list[str] = []
    ignored: list[str] = []
    used = set(assignment.values())
    for column in source_columns:
        if column in used:
            continue
        key = normalise(column)
        canonical = None if column in explicitly_mapped else known.get(key)
        if canonical and canonical not in assignment:
            assignment[canonical] = column
        elif key in identifiers:
            dropped.append(column)
        else:
            ignored.append(column)
    for name, spec in CANONICAL_COLUMNS.items():
        if spec.required and name not in assignment:
            problems.append(Problem(None, name, None, f"required column {name!r} is missing"))
    return _Columns(assignment, dropped, ignored, problems)


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
        self, frame: pl.DataFrame, mask: str, column: str, raw: str, message: str
    ) -> None:
        hits = frame.filter(pl.col(mask))
        if hits.is_empty():
            return
        shown = hits if self.limit is None else hits.head(self.limit)
        for row, value in shown.select(_ROW, raw).iter_rows():
            self.problems.append(Problem(row, column, value, message))
        if hits.height > shown.height:
            rest = hits.height - shown.height
            first_hidden = hits.get_column(_ROW)[shown.height]
            self.problems.append(
                Problem(
                    first_hidden,
                    column,
                    None,
                    f"{message}: {rest:,} more rows like this from row {first_hidden} on",
                )
            )


# --- value parsing (on distinct values) -------------------------------------------------------


def _strip(name: str) -> pl.Expr:
    value = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value).alias(name)


def _parse_number(values: pl.Series) -> pl.Series:
    """'£1,234.50' -> 1234.5; anything else not a finite number -> null."""
    text = (
        values.str.strip_chars().str.strip_chars_start("£").str.replace_all(",", "", literal=True)
    )
    text = text.str.replace_all(" ", "", literal=True).str.strip_chars_start("£")
    number = text.cast(pl.Float64, strict=False)
    return pl.select(pl.when(number.is_finite()).then(number)).to_series()


def _parse_date(values: pl.Series) -> pl.Series:
    """ISO, UK day-first (31/03/2024, 31-Mar-2024...), Excel serial numbers; else null."""
    text = values.str.strip_chars().str.replace(r"^(\d{4}-\d{2}-\d{2})[ T].*$", "${1}")
    attempts = [text.str.to_date(fmt, strict=False) for fmt in _DATE_FORMATS]
    serial = text.cast(pl.Float64, strict=False)
    serial = pl.select(
        pl.when((serial >= 1) & (serial < 80000) & (serial == serial.floor())).then(serial)
    ).to_series()
    excel = (serial.cast(pl.Int64) + (_EXCEL_EPOCH - date(1970, 1, 1)).days).cast(pl.Date)
    return pl.select(pl.coalesce(*attempts, excel)).to_series()


def _on_distinct(distinct: pl.Series, name: str, parse) -> tuple[pl.Expr, list[str]]:
    """Parse each distinct value of a column once: the expression mapping rows to the parsed
    value, and the distinct values that are neither blank nor parseable."""
    distinct = distinct.drop_nulls()
    parsed = parse(distinct)
    unparseable = distinct.filter(parsed.is_null() & (distinct.str.strip_chars() != ""))
    expression = pl.col(name).replace_strict(
        distinct, parsed, default=None, return_dtype=parsed.dtype
    )
    return expression, unparseable.to_list()


_HASH_CHUNK = 50_000

try:  # CPython's own SHA-256: for a short id, a third cheaper per call than OpenSSL's
    from _sha256 import sha256 as _per_row_sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - renamed _sha2 in Python 3.12
    _per_row_sha256 = hashlib.sha256
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
    inner_base = _per_row_sha256(bytes(b ^ 0x36 for b in key))
    outer_base = _per_row_sha256(bytes(b ^ 0x5C for b in key))

    new_inner, new_outer = inner_base.copy, outer_base.copy
    digests: list[bytes | None] = []
    append = digests.append
    values = ids.cast(pl.String).cast(pl.Binary).to_list()
    for start in range(0, len(values), _HASH_CHUNK):
        if stop is not None and stop.is_set():
            return None
        for value in values[start : start + _HASH_CHUNK]:  # the one per-row loop
            if value is None:
                append(None)
                continue
            inner = new_inner()
            inner.update(value)
            outer = new_outer()
            outer.update(inner.digest())
            append(outer.digest()[:EMPLOYEE_KEY_BYTES])
    series = pl.Series("employee_key", digests, dtype=pl.Binary)
    return series.bin.encode("hex").cast(pl.String)


class _BackgroundHashes:
    """The keyed hashes of the ids, computed in a thread while the checks run.

    Why a thread: the hash loop is Python holding the GIL, while the checks are polars, which
    releases it; on two cores the two overlap, and the hashes are most of an import's cost.
    The ids hashed are the stripped ids of the kept rows, which the checks do not change.
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
    raw: pl.DataFrame,
    *,
    column_mapping: Mapping[str, str] | None = None,
    value_mapping: Mapping[str, Mapping[str, str]] | None = None,
    snapshot_date: date,
    standard_weekly_hours: float = 36.0,
    id_key: bytes,
    max_problems_per_check: int | None = MAX_PROBLEMS_PER_CHECK,
) -> ExtractResult:
    """Check the whole extract and, when it is clean, return the canonical frame.

    `column_mapping` maps the file's headers to canonical columns (headers that already are a
    canonical name or a known alias need no mapping). `value_mapping` maps, per canonical
    column, the council's own spellings to accepted values. Hourly pay, when the file has no
    `hourly_pay` for a person, is annual_salary / (52.143 × standard_weekly_hours), where
    52.143 = 365 / 7 weeks a year; annual_salary is the full-time equivalent salary.
    """
    raw = _literal_column_names(raw)
    source_columns = list(raw.columns)
    columns = _assign_columns(source_columns, column_mapping)
    problems = list(columns.problems)
    if standard_weekly_hours is None or not 0 < float(standard_weekly_hours) <= 100:
        problems.append(
            Problem(
                None,
                None,
                str(standard_weekly_hours),
                "standard weekly hours must be above 0 and at most 100",
            )
        )
    assignment = columns.assignment
    for column in source_columns:
        base, marker, number = column.rpartition("_duplicated_")
        if marker and number.isdigit() and base in source_columns:
            problems.append(Problem(None, base, None, "this header appears more than once"))

    # Spreadsheet row numbers; blank rows (every cell empty or spaces, used columns or not)
    # dropped. Ids and free text are stripped row by row; categories, numbers and dates are
    # cleaned on their distinct values only (far fewer than rows).
    row_stripped = {n: src for n, src in assignment.items() if n in _STRIPPED_BY_ROW}
    kept_raw = {n: src for n, src in assignment.items() if n not in _STRIPPED_BY_ROW}
    others = {
        f"__other{i}": column
        for i, column in enumerate(c for c in raw.columns if c not in set(assignment.values()))
    }
    work = raw.select(
        pl.int_range(2, raw.height + 2, dtype=pl.Int64).alias(_ROW),
        *[_strip(source).alias(name) for name, source in row_stripped.items()],
        *[pl.col(src).cast(pl.String).alias(name) for name, src in {**kept_raw, **others}.items()],
    )
    distinct: dict[str, pl.Series] = {}
    blank_parts = [pl.col(name).is_null() for name in row_stripped]
    for name in {**kept_raw, **others}:
        distinct[name] = work.get_column(name).unique()
        spaces = distinct[name].filter(distinct[name].str.strip_chars() == "").to_list()
        blank = pl.col(name).is_null()
        blank_parts.append(blank | pl.col(name).is_in(spaces) if spaces else blank)
    if blank_parts:
        work = work.filter(~pl.all_horizontal(blank_parts))
    work = work.drop(list(others))
    hashes = (
        _BackgroundHashes(work.get_column("employee_id"), id_key)
        if "employee_id" in assignment
        else None
    )
    if work.height == 0:
        problems.append(Problem(None, None, None, "the file has no rows below the header"))
    present = set(assignment)
    collector = _Collector(max_problems_per_check)

    unmapped: dict[str, list[str]] = {}
    derived: list[pl.Expr] = []
    for name in classification.CATEGORY_COLUMNS:
        if name not in present:
            continue
        own_mapping = (value_mapping or {}).get(name)
        placed, unplaced, bad_targets = classification.classify_unique(
            name, distinct[name].to_list(), own_mapping
        )
        for value, target in bad_targets.items():
            problems.append(
                Problem(
                    None,
                    name,
                    value,
                    f"the value mapping sends it to {target!r}, which is not an accepted value",
                )
            )
        if unplaced:
            unmapped[name] = unplaced
            problems += _unplaced_problems(work, name, unplaced)
        keys = list(placed)
        derived.append(
            pl.when(pl.col(name).is_null())
            .then(pl.lit(NOT_KNOWN))
            .otherwise(
                pl.col(name).replace_strict(
                    keys, [placed[k] for k in keys], default=None, return_dtype=pl.String
                )
            )
            .alias(f"__c_{name}")
        )
    unparseable: dict[str, list[str]] = {}
    parsers = {name: ("__n_", _parse_number) for name in (*_NUMBER_COLUMNS, "age")}
    parsers.update({name: ("__d_", _parse_date) for name in ("date_of_birth", "start_date")})
    for name, (prefix, parse) in parsers.items():
        if name in present:
            expression, unparseable[name] = _on_distinct(distinct[name], name, parse)
            derived.append(expression.alias(f"{prefix}{name}"))
    if derived:
        work = work.with_columns(derived)

    _check_values(work, present, unparseable, snapshot_date, collector)
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
    present.add("employee_key")

    result = ExtractResult(
        frame=None,
        problems=problems,
        unmapped_values=unmapped,
        present_columns=present,
        source_columns=source_columns,
        row_count=work.height,
        dropped_columns=columns.dropped,
        ignored_columns=columns.ignored,
    )
    if problems:
        if hashes is not None:
            hashes.cancel()
        return result
    assert hashes is not None  # a file without ids has a problem
    result.frame = _canonical_frame(
        work, present, snapshot_date, float(standard_weekly_hours), hashes.result
    )
    return result


def _unplaced_problems(work: pl.DataFrame, name: str, unplaced: list[str]) -> list[Problem]:
    label = name.replace("_", " ")
    rows = (
        work.filter(pl.col(name).is_in(unplaced))
        .group_by(name)
        .agg(pl.col(_ROW).sort().head(10).alias("rows"), pl.len().alias("count"))
        .sort(name)
    )
    problems = []
    for value, first_rows, count in rows.iter_rows():
        problems.append(
            Problem(
                first_rows[0],
                name,
                value,
                f"not a recognised {label} ({_rows_text(first_rows, count)}); "
                "map it to an accepted value",
            )
        )
    return problems


def _check_values(
    work: pl.DataFrame,
    present: set[str],
    unparseable: Mapping[str, list[str]],
    snapshot_date: date,
    collector: _Collector,
) -> None:
    """Numbers, ranges and dates: every failing row, found with one pass of masks."""
    checks: list[tuple[pl.Expr, str, str]] = []  # (mask, column, message)

    def number(name: str) -> pl.Expr:
        return pl.col(f"__n_{name}")

    for name in _NUMBER_COLUMNS:
        if name not in present:
            continue
        checks.append((pl.col(name).is_in(unparseable[name]), name, "not a number"))
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
        checks.append((pl.col("age").is_in(unparseable["age"]), "age", "not a whole number"))
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
        parsed = pl.col(f"__d_{name}")
        checks.append(
            (
                pl.col(name).is_in(unparseable[name]),
                name,
                "not a date (use 31/03/2024 or 2024-03-31)",
            )
        )
        checks.append(
            (
                parsed > pl.lit(snapshot_date),
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
    masks = work.select(
        pl.col(_ROW),
        *[pl.col(column).alias(f"__raw{i}") for i, (_, column, _) in enumerate(checks)],
        *[mask.fill_null(False).alias(f"__m{i}") for i, (mask, _, _) in enumerate(checks)],
    )
    counts = masks.select(pl.col(f"__m{i}").sum() for i in range(len(checks))).row(0)
    for i, ((_, column, message), count) in enumerate(zip(checks, counts, strict=True)):
        if count:
            collector.from_mask(masks, f"__m{i}", column, f"__raw{i}", message)


def _check_ids(work: pl.DataFrame, collector: _Collector) -> list[Problem]:
    column = work.get_column("employee_id")
    if column.null_count() == 0 and column.n_unique() == column.len():
        return []  # the usual case, found by one hash pass (a quarter of the full check's time)
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
        for value, rows in groups.iter_rows():
            shown = ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")
            problems.append(
                Problem(
                    rows[0],
                    "employee_id",
                    value,
                    f"employee_id appears {len(rows)} times (rows {shown})",
                )
            )
    return problems


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
    snapshot_date: date,
    weekly_hours: float,
    employee_keys: Callable[[], pl.Series],
) -> pl.DataFrame:
    """The contract frame: every column, typed; absent ones all null."""
    columns: dict[str, pl.Expr] = {}
    if "ethnicity" in present:
        canonical = pl.col("__c_ethnicity")
        detailed_or_undisclosed = list(ETHNICITY_TO_GROUP)
        columns["ethnicity"] = pl.when(canonical.is_in(detailed_or_undisclosed)).then(canonical)
        group_of = {**ETHNICITY_TO_GROUP, **{g: g for g in ETHNIC_GROUPS}}
        group = canonical.replace_strict(
            list(group_of), list(group_of.values()), default=UNKNOWN, return_dtype=pl.String
        )
        columns["ethnic_group"] = group
        columns["white_british"] = (
            pl.when(canonical == WHITE_BRITISH)
            .then(True)
            .when((group == UNKNOWN) | (canonical == "White"))
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
    if "annual_salary" in work.columns:
        derived = pl.col("__n_annual_salary") / (WEEKS_PER_YEAR * weekly_hours)
        columns["hourly_pay"] = (
            pl.coalesce(pl.col("__n_hourly_pay"), derived)
            if "hourly_pay" in work.columns
            else derived
        )
    ages = []
    if "age" in work.columns:
        ages.append(pl.col("__n_age").cast(pl.Int32))
    if "date_of_birth" in work.columns:
        ages.append(_age_at(pl.col("__d_date_of_birth"), snapshot_date))
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


def load_extract(source: Any, filename: str | None = None, **kwargs: Any) -> ExtractResult:
    """read_table + validate_extract; an unreadable file is one Problem, not an exception."""
    try:
        raw = read_table(source, filename)
    except (ExtractReadError, OSError) as error:
        return ExtractResult(None, [Problem(None, None, None, str(error))], {}, set(), [], 0)
    return validate_extract(raw, **kwargs)


__all__ = [
    "ExtractReadError",
    "ExtractResult",
    "Problem",
    "load_extract",
    "read_table",
    "validate_extract",
]
