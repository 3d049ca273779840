"""One validator for every lifecycle file (applications, counts per stage, cases, leavers,
development records), driven by a declared `RecordSpec`.

It is the workforce extract's machinery with a different list of columns, so a council meets
the same rules everywhere (docs/data-formats.md): CSV or XLSX read by `reading` (encodings,
header row search, formula cells saved without a value, bounded workbooks), headers matched
case-, space- and punctuation-blind (`reading.header_key`), direct identifiers (names, e-mail
addresses...) dropped unread, ethnicity, sex and disability classified exactly as in a
workforce extract (`classification.classify_distinct`, with the organisation's value mapping),
dates in the formats workforce imports accept (`extract._parse_date`), and employee ids stored
only as the snapshots' keyed hash (`extract._keyed_hashes`), so events link to snapshots.

All or nothing: any problem and there is no frame; every problem is listed with its spreadsheet
row (header = row 1 unless title rows sit above it) and column, capped per check as workforce
imports cap them. Unrecognised spellings of a characteristic or a choice are also listed in
`unmapped_values`, so the web mapping step can offer them for mapping.

Speed: values are parsed once per distinct value and joined back as polars expressions; only
the keyed hash (when the file has employee ids) is computed per row.

Pure module: polars, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

import polars as pl

from equitable.metrics import classification
from equitable.metrics.classification import Suggestion, normalise
from equitable.metrics.extract import (
    MAX_PROBLEMS_PER_CHECK,
    MAX_UNMAPPED_VALUES,
    ExtractReadError,
    Problem,
    _apply_checks,
    _capped,
    _Collector,
    _formula_problems,
    _keyed_hashes,
    _literal_column_names,
    _more_line,
    _on_distinct,
    _parse_date,
    _parse_number,
    _rows_text,
    _unplaced_problems,
    read_extract,
)
from equitable.metrics.reading import SourceTable, header_key
from equitable.metrics.schema import (
    CANONICAL_COLUMNS,
    DIRECT_IDENTIFIER_HEADERS,
    ETHNICITY_TO_GROUP,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    UNKNOWN,
)

ROW = "__row"
KINDS = (
    "id",
    "employee_id",
    "ethnicity",
    "sex",
    "disability",
    "age_band",
    "choice",
    "yes_no",
    "date",
    "count",
    "text",
)
CHARACTERISTIC_KINDS = ("ethnicity", "sex", "disability")
YES = ("yes", "y", "true", "t", "1")
NO = ("no", "n", "false", "f", "0")
DATE_HINT = "not a date (use 31/03/2024 or 2024-03-31)"
_DTYPES: dict[str, pl.DataType] = {
    "yes_no": pl.Boolean(),
    "date": pl.Date(),
    "count": pl.Int64(),
}
_IDENTIFIER_KEYS = frozenset(header_key(h) for h in DIRECT_IDENTIFIER_HEADERS)


@dataclass(frozen=True)
class Column:
    """One canonical column of a lifecycle file (see the module docstring for the kinds)."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()  # canonical values, for kind "choice"
    aliases: Mapping[str, str] = field(default_factory=dict)  # other spellings → canonical
    headers: tuple[str, ...] = ()  # other header spellings recognised without a mapping
    description: str = ""  # for docs/data-formats.md and the mapping page

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"column {self.name!r}: a choice column needs its choices")

    @property
    def output_names(self) -> tuple[str, ...]:
        """The columns of the validated frame it gives."""
        if self.kind == "employee_id":
            return ("employee_key",)
        if self.kind == "ethnicity":
            return ("ethnicity", "ethnic_group")
        return (self.name,)


@dataclass(frozen=True)
class RecordSpec:
    """What one kind of lifecycle file holds, and the checks across its columns."""

    kind: str  # "applications", "application_counts", "cases", "leavers", "development"
    label: str  # "recruitment applications"
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()  # columns whose combination appears once
    # Cross-column checks on the typed frame (which keeps ROW, the spreadsheet row number).
    checks: tuple[Callable[[pl.DataFrame], list[Problem]], ...] = ()
    either: tuple[tuple[str, ...], ...] = ()  # at least one of each tuple must be mapped

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def schema(self) -> dict[str, pl.DataType]:
        """The validated frame's columns and types."""
        schema: dict[str, pl.DataType] = {}
        for column in self.columns:
            for name in column.output_names:
                schema[name] = _DTYPES.get(column.kind, pl.String())
        return schema

    def empty_frame(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.schema)


@dataclass
class RecordsResult:
    """The validated frame (None when there are problems) and everything found on the way."""

    frame: pl.DataFrame | None
    problems: list[Problem]
    unmapped_values: dict[str, list[str]]
    present_columns: set[str]
    source_columns: list[str]
    assignment: dict[str, str]  # canonical → source header
    row_count: int
    ignored_columns: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)  # direct identifiers, never read
    unmapped_counts: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, dict[str, Suggestion]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    source: str = ""  # where the headers were found

    @property
    def ok(self) -> bool:
        return self.frame is not None and not self.problems


# --- columns ----------------------------------------------------------------------------------


def _header_names(column: Column) -> list[str]:
    """Every header that names the column without a mapping: its own name, its `headers`,
    and, for a column the workforce extract also has, the workforce aliases."""
    names = [column.name, *column.headers]
    workforce = "employee_id" if column.kind == "employee_id" else column.name
    if workforce in CANONICAL_COLUMNS:
        names += [workforce, *CANONICAL_COLUMNS[workforce].aliases]
    return names


def plan_columns(
    spec: RecordSpec, source_columns: list[str], column_mapping: Mapping[str, str] | None
) -> tuple[dict[str, str], list[str], list[str], list[Problem]]:
    """(assignment canonical → source, dropped identifiers, ignored, problems): the explicit
    mapping first, then headers that name a column of the spec."""
    names = {c.name for c in spec.columns}
    problems: list[Problem] = []
    assignment: dict[str, str] = {}
    for source, target in (column_mapping or {}).items():
        if not target:
            continue
        if target not in names:
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
    known: dict[str, str] = {}
    for column in spec.columns:
        for header in _header_names(column):
            known.setdefault(header_key(header), column.name)
    used = set(assignment.values())
    explicit = set(column_mapping or {})
    dropped: list[str] = []
    ignored: list[str] = []
    for header in source_columns:
        if header in used:
            continue
        key = header_key(header)
        canonical = None if header in explicit else known.get(key)
        if canonical is not None and canonical not in assignment:
            assignment[canonical] = header
        elif key in _IDENTIFIER_KEYS:
            dropped.append(header)
        else:
            ignored.append(header)
    for column in spec.columns:
        if column.required and column.name not in assignment:
            problems.append(
                Problem(None, column.name, None, f"required column {column.name!r} is missing")
            )
    for names_needed in spec.either:
        if not any(name in assignment for name in names_needed):
            listed = " or ".join(repr(n) for n in names_needed)
            problems.append(
                Problem(None, names_needed[0], None, f"the file needs a column {listed}")
            )
    for header in source_columns:
        base, marker, number = header.rpartition("_duplicated_")
        if marker and number.isdigit() and base in source_columns:
            problems.append(Problem(None, base, None, "this header appears more than once"))
    return assignment, dropped, ignored, problems


# --- values, on distinct values -------------------------------------------------------------


_AGE_RANGE = re.compile(r"^(\d{1,2}) ?(?:to|-) ?(\d{1,3})(?: years?)?$")
_AGE_OVER = re.compile(r"^(\d{1,2}) ?(?:and over|or over|plus|and above|or older|\+)$")
_AGE_UNDER = re.compile(r"^(?:under|below|less than) (\d{1,2})$")


def age_band_value(raw: str) -> str | None:
    """A canonical age band: "16-24", "65+", "Under 25", "Prefer not to say", "Not known";
    None when the text is not one."""
    text = raw.strip().lower().replace("–", "-").replace("—", "-")
    text = re.sub(r"\s+", " ", text).replace(" - ", "-")
    undisclosed = classification.classify_value("sex", raw)  # the shared undisclosed answers
    if undisclosed in (PREFER_NOT_TO_SAY, NOT_KNOWN):
        return undisclosed
    if match := _AGE_RANGE.match(text):
        low, high = int(match.group(1)), int(match.group(2))
        return f"{low}-{high}" if low <= high else None
    if match := _AGE_OVER.match(text.replace(" +", "+")):
        return f"{int(match.group(1))}+"
    if match := _AGE_UNDER.match(text):
        return f"Under {int(match.group(1))}"
    return None


def _choice_lookup(column: Column) -> dict[str, str]:
    """Normalised spelling → canonical value for a choice or yes/no column."""
    if column.kind == "yes_no":
        lookup = {normalise(v): "yes" for v in YES} | {normalise(v): "no" for v in NO}
    else:
        lookup = {normalise(v): v for v in column.choices}
        lookup |= {normalise(v.replace("_", " ")): v for v in column.choices}
    lookup |= {normalise(raw): target for raw, target in column.aliases.items()}
    return lookup


@dataclass
class _Placed:
    """A column's distinct values placed: raw → canonical, and the ones that could not be."""

    placed: pl.DataFrame  # raw, canonical
    unplaced: list[str]
    bad_targets: dict[str, str]


def _place_choices(
    column: Column, distinct: pl.Series, mapping: Mapping[str, str] | None
) -> _Placed:
    """Value mapping first (by normalised spelling), then the column's own spellings."""
    lookup = _choice_lookup(column)
    accepted = set(lookup.values())
    own = {normalise(k): v for k, v in (mapping or {}).items()}
    rows: list[tuple[str, str]] = []
    unplaced: list[str] = []
    bad: dict[str, str] = {}
    for raw in distinct.drop_nulls().unique().sort().to_list():
        key = normalise(raw)
        if key in own:
            target = own[key]
            canonical = (
                age_band_value(target)
                if column.kind == "age_band"
                else lookup.get(normalise(str(target or "")))
            )
            if canonical is None or canonical not in accepted and column.kind != "age_band":
                bad[raw] = target
            else:
                rows.append((raw, canonical))
            continue
        canonical = age_band_value(raw) if column.kind == "age_band" else lookup.get(key)
        if canonical is None:
            unplaced.append(raw)
        else:
            rows.append((raw, canonical))
    placed = pl.DataFrame(rows, schema={"raw": pl.String, "canonical": pl.String}, orient="row")
    return _Placed(placed, unplaced, bad)


def _accepted_text(column: Column) -> str:
    if column.kind == "yes_no":
        return "yes or no"
    if column.kind == "age_band":
        return "a band such as 16-24, 25-34, 65+ or Under 25, Prefer not to say, Not known"
    return ", ".join(column.choices)


def _per_value_problems(
    work: pl.DataFrame, column: Column, values: list[str], limit: int | None
) -> list[Problem]:
    """One problem per unrecognised value (first `limit`, by first row) with its rows."""
    if not values:
        return []
    label = column.name.replace("_", " ")
    rows = (
        work.filter(pl.col(column.name).is_in(values))
        .group_by(column.name)
        .agg(pl.col(ROW).sort().head(10).alias("rows"), pl.len().alias("count"))
        .sort(pl.col("rows").list.first(), column.name)
    )
    shown = rows if limit is None else rows.head(limit)
    problems = [
        Problem(
            first_rows[0],
            column.name,
            value,
            f"not a recognised {label} ({_rows_text(first_rows, count)}); accepted: "
            f"{_accepted_text(column)}; map it to an accepted value",
        )
        for value, first_rows, count in shown.iter_rows()
    ]
    if rows.height > shown.height:
        hidden = rows.slice(shown.height)
        first_hidden = min(r[0] for r in hidden.get_column("rows").to_list())
        problems.append(
            Problem(
                first_hidden,
                column.name,
                None,
                f"{hidden.height:,} more unrecognised {label} values: check that the right "
                f"column is mapped to {column.name}",
            )
        )
    return problems


def _bad_target_problems(name: str, bad: Mapping[str, str], limit: int | None) -> list[Problem]:
    return _capped(
        [
            Problem(
                None,
                name,
                value,
                f"the value mapping sends it to {target!r}, which is not an accepted value"
                if str(target or "").strip()
                else "the value mapping leaves it empty: fill in an accepted value",
            )
            for value, target in bad.items()
        ],
        limit,
        partial(_more_line, name, "more values the value mapping sends nowhere"),
    )


def _replace(name: str, placed: pl.DataFrame, dtype: pl.DataType = pl.String()) -> pl.Expr:
    return pl.col(name).replace_strict(
        placed["raw"], placed["canonical"], default=None, return_dtype=dtype
    )


# --- validation -------------------------------------------------------------------------------


@dataclass
class _State:
    """What one validation builds up while it walks the columns."""

    work: pl.DataFrame
    limit: int | None
    result: RecordsResult
    problems: list[Problem] = field(default_factory=list)
    outputs: dict[str, pl.Expr] = field(default_factory=dict)
    checks: list[tuple[pl.Expr, str, str]] = field(default_factory=list)


def validate_records(
    raw: pl.DataFrame | SourceTable,
    spec: RecordSpec,
    *,
    column_mapping: Mapping[str, str] | None = None,
    value_mapping: Mapping[str, Mapping[str, str]] | None = None,
    id_key: bytes | None = None,
    max_problems_per_check: int | None = MAX_PROBLEMS_PER_CHECK,
) -> RecordsResult:
    """Check the whole file against `spec` and, when it is clean, return the typed frame.

    `raw` is what `read_extract` gives, or a bare frame of text (header in row 1).
    `column_mapping` maps the file's headers to the spec's columns (headers that already name
    one need none); `value_mapping` maps, per column, the council's own spellings to accepted
    values. `id_key` is the organisation's key for employee ids (needed when the spec has an
    `employee_id` column and the file fills it).

    Blank cells: a blank characteristic is "Not known" (as in workforce extracts, even in a
    required column: the column must be there, a person may not have answered); any other
    blank cell is a problem in a required column and null in an optional one.
    """
    source = raw if isinstance(raw, SourceTable) else SourceTable(raw)
    frame = _literal_column_names(source.frame)
    source_columns = list(frame.columns)
    assignment, dropped, ignored, problems = plan_columns(spec, source_columns, column_mapping)
    problems += _formula_problems(source, assignment, max_problems_per_check)

    first = source.first_data_row
    work = frame.select(
        pl.int_range(first, frame.height + first, dtype=pl.Int64).alias(ROW),
        *[_stripped(src).alias(name) for name, src in assignment.items()],
        *[_stripped(src).alias(f"__other{i}") for i, src in enumerate(ignored)],
    )
    others = [c for c in work.columns if c.startswith("__other")]
    cells = [c for c in work.columns if c != ROW]
    if cells:  # blank rows (every cell empty, used or not) are not records
        work = work.filter(~pl.all_horizontal(pl.col(c).is_null() for c in cells))
    work = work.drop(others)
    if work.height == 0:
        problems.append(Problem(None, None, None, "the file has no rows below the header"))
    result = RecordsResult(
        frame=None,
        problems=[],
        unmapped_values={},
        present_columns=set(assignment),
        source_columns=source_columns,
        assignment=dict(assignment),
        row_count=work.height,
        ignored_columns=ignored,
        dropped_columns=dropped,
        source=source.description(),
    )
    state = _State(work, max_problems_per_check, result, problems)
    for column in spec.columns:
        if column.name in assignment:
            _validate_column(state, column, (value_mapping or {}).get(column.name), id_key)
    typed = state.work.with_columns(**state.outputs) if state.outputs else state.work
    collector = _Collector(max_problems_per_check)
    _apply_checks(typed, state.checks, collector)
    problems = state.problems + collector.problems
    problems += _uniqueness_problems(typed, spec, assignment, max_problems_per_check)
    typed = _canonical(typed, spec, assignment)
    for check in spec.checks:
        problems += check(typed)
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    result.problems = problems
    result.present_columns = {
        name for c in spec.columns if c.name in assignment for name in c.output_names
    }
    if problems:
        return result
    if "employee_id" in {c.kind for c in spec.columns if c.name in assignment}:
        name = next(c.name for c in spec.columns if c.kind == "employee_id")
        assert id_key is not None
        keys = _keyed_hashes(state.work.get_column(name), id_key)
        assert keys is not None
        typed = typed.with_columns(keys.alias("employee_key"))
    result.frame = typed.select(list(spec.schema))
    return result


def _stripped(source: str) -> pl.Expr:
    value = pl.col(source).cast(pl.String).str.strip_chars()
    return pl.when(value == "").then(None).otherwise(value)


def _blank_required(state: _State, column: Column) -> None:
    state.checks.append(
        (pl.col(column.name).is_null(), column.name, f"{column.name} is blank (it is required)")
    )


def _validate_column(
    state: _State, column: Column, mapping: Mapping[str, str] | None, id_key: bytes | None
) -> None:
    name = column.name
    if column.kind in CHARACTERISTIC_KINDS:
        _characteristic(state, column, mapping)
        return
    if column.required:
        _blank_required(state, column)
    if column.kind in ("id", "text"):
        state.outputs[f"__t_{name}"] = pl.col(name)
    elif column.kind == "employee_id":
        if id_key is None and state.work.get_column(name).null_count() < state.work.height:
            state.problems.append(
                Problem(None, name, None, "employee ids need the organisation's key to be hashed")
            )
    elif column.kind in ("choice", "yes_no", "age_band"):
        _choice(state, column, mapping)
    elif column.kind == "date":
        distinct = state.work.get_column(name).unique()
        parsed = _on_distinct(distinct, name, lambda v: _parse_date(v, date.today().year))
        state.outputs[f"__t_{name}"] = parsed.expression
        state.checks.append((pl.col(name).is_in(parsed.unparseable), name, DATE_HINT))
    elif column.kind == "count":
        distinct = state.work.get_column(name).unique()
        parsed = _on_distinct(distinct, name, _parse_number)
        number = parsed.expression
        state.checks += [
            (
                pl.col(name).is_in(parsed.ambiguous),
                name,
                "a comma that is not a thousands separator: write the count as a whole number",
            ),
            (pl.col(name).is_in(parsed.unparseable), name, "not a number"),
            (number < 0, name, "a count must not be negative"),
            (number.is_not_null() & (number != number.floor()), name, "not a whole number"),
        ]
        whole = pl.when((number >= 0) & (number == number.floor())).then(number)
        state.outputs[f"__t_{name}"] = whole.cast(pl.Int64)


def _characteristic(state: _State, column: Column, mapping: Mapping[str, str] | None) -> None:
    """Ethnicity, sex, disability: the workforce classifier on the distinct values."""
    name, kind = column.name, column.kind
    distinct = state.work.get_column(name).unique()
    classified = classification.classify_distinct(kind, distinct, mapping)
    state.result.notes += classified.notes
    state.problems += _bad_target_problems(name, classified.bad_targets, state.limit)
    if classified.unplaced.len():
        shown = classified.unplaced.head(MAX_UNMAPPED_VALUES).to_list()
        state.result.unmapped_values[name] = shown
        state.result.unmapped_counts[name] = classified.unplaced.len()
        state.result.suggestions[name] = {v: classification.suggest(kind, v) for v in shown}
        state.problems += _unplaced_problems(
            state.work if name == kind else state.work.rename({name: kind}),
            kind,
            classified,
            state.result.suggestions[name],
            state.limit,
        )
    canonical = (
        pl.when(pl.col(name).is_null())
        .then(pl.lit(NOT_KNOWN))
        .otherwise(_replace(name, classified.placed))
    )
    state.outputs[f"__c_{name}"] = canonical


def _choice(state: _State, column: Column, mapping: Mapping[str, str] | None) -> None:
    name = column.name
    placed = _place_choices(column, state.work.get_column(name).unique(), mapping)
    state.problems += _bad_target_problems(name, placed.bad_targets, state.limit)
    if placed.unplaced:
        state.result.unmapped_values[name] = placed.unplaced[:MAX_UNMAPPED_VALUES]
        state.result.unmapped_counts[name] = len(placed.unplaced)
        state.problems += _per_value_problems(state.work, column, placed.unplaced, state.limit)
    value = _replace(name, placed.placed)
    if column.kind == "yes_no":
        value = value == "yes"
    elif column.kind == "age_band":
        value = pl.when(pl.col(name).is_null()).then(pl.lit(NOT_KNOWN)).otherwise(value)
    state.outputs[f"__t_{name}"] = value


def _uniqueness_problems(
    typed: pl.DataFrame, spec: RecordSpec, assignment: Mapping[str, str], limit: int | None
) -> list[Problem]:
    """Each combination of the spec's unique columns once: repeats listed with their rows."""
    names = [n for n in spec.unique if n in assignment]
    if not names or len(names) < len(spec.unique):
        return []
    if len(names) == 1:  # the usual case: one hash pass over one column
        column = typed.get_column(names[0])
        if column.n_unique() == column.len() - max(column.null_count() - 1, 0):
            return []
    keys = typed.select(ROW, *names).drop_nulls(names)
    if len(names) > 1 and keys.select(pl.struct(names).n_unique()).item() == keys.height:
        return []
    groups = (
        keys.filter(pl.struct(names).is_duplicated())
        .group_by(names)
        .agg(pl.col(ROW).sort().alias("rows"))
        .sort(pl.col("rows").list.first())
    )
    shown = groups if limit is None else groups.head(limit)
    label = " and ".join(names)
    problems = []
    for row in shown.iter_rows(named=True):
        rows = row["rows"]
        listed = ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")
        value = ", ".join(str(row[n]) for n in names)
        problems.append(
            Problem(rows[0], names[0], value, f"{label} appears {len(rows)} times (rows {listed})")
        )
    if groups.height > shown.height:
        first_hidden = groups.get_column("rows")[shown.height][0]
        problems.append(
            Problem(
                first_hidden,
                names[0],
                None,
                f"{groups.height - shown.height:,} more values of {label} appear more than "
                f"once, from row {first_hidden} on",
            )
        )
    return problems


def _canonical(
    typed: pl.DataFrame, spec: RecordSpec, assignment: Mapping[str, str]
) -> pl.DataFrame:
    """The typed frame: ROW, then every output column of the spec (absent ones typed null;
    an absent characteristic is "Not known", as a blank one is)."""
    columns: list[pl.Expr] = [pl.col(ROW)]
    for column in spec.columns:
        present = column.name in assignment
        if column.kind in CHARACTERISTIC_KINDS:
            value = pl.col(f"__c_{column.name}") if present else pl.lit(NOT_KNOWN)
            if column.kind == "ethnicity":
                columns.append(value.cast(pl.String).alias("ethnicity"))
                columns.append(
                    value.replace_strict(
                        list(ETHNICITY_TO_GROUP),
                        list(ETHNICITY_TO_GROUP.values()),
                        default=UNKNOWN,
                        return_dtype=pl.String,
                    ).alias("ethnic_group")
                )
            else:
                columns.append(value.cast(pl.String).alias(column.name))
            continue
        if column.kind == "employee_id":
            columns.append(pl.lit(None, dtype=pl.String).alias("employee_key"))
            continue
        dtype = _DTYPES.get(column.kind, pl.String())
        if present:
            columns.append(pl.col(f"__t_{column.name}").cast(dtype).alias(column.name))
        elif column.kind == "age_band":
            columns.append(pl.lit(NOT_KNOWN).alias(column.name))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(column.name))
    return typed.select(columns)


def load_records(
    source: Any, spec: RecordSpec, filename: str | None = None, **kwargs: Any
) -> RecordsResult:
    """read_extract + validate_records; an unreadable file is one Problem, not an exception."""
    try:
        table = read_extract(source, filename)
    except (ExtractReadError, OSError) as error:
        return RecordsResult(None, [Problem(None, None, None, str(error))], {}, set(), [], {}, 0)
    return validate_records(table, spec, **kwargs)


def problems_by_rows(
    frame: pl.DataFrame, mask: pl.Expr, column: str, message: str, limit: int | None = None
) -> list[Problem]:
    """For a spec's cross-column check: one problem per row of the typed frame where `mask`
    holds (capped at `limit`, the rest counted in one line)."""
    collector = _Collector(MAX_PROBLEMS_PER_CHECK if limit is None else limit)
    marked = frame.select(
        pl.col(ROW),
        pl.col(column).cast(pl.String).alias("__raw"),
        mask.fill_null(False).alias("__m"),
    )
    collector.from_mask(marked, "__m", column, "__raw", message)
    return collector.problems


__all__ = [
    "Column",
    "ROW",
    "RecordSpec",
    "RecordsResult",
    "age_band_value",
    "load_records",
    "problems_by_rows",
    "validate_records",
]
