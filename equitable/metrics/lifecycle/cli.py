"""`equitable lifecycle`: every employee lifecycle figure from files, with no database.

    equitable lifecycle --applications applications.csv
    equitable lifecycle --workforce 2023.csv 2024.csv 2025.csv \\
        --snapshot-dates 2023-03-31,2024-03-31,2025-03-31 \\
        --applications applications.csv --cases cases.csv --leavers leavers.csv \\
        --development development.csv --published --format json

Workforce files are snapshots in the workforce extract format (`equitable metrics` reads the
same), dated by `--snapshot-dates` (one date per file, in the order given) or by a
`snapshot_date` column holding one date. Employee ids in every file are hashed with one key
made for this run and never written anywhere, so the lifecycle files link to the snapshots
and nothing identifying leaves the process.

Each family (recruitment, movements, casework, development) is computed when its files are
given: recruitment from `--applications` alone (one row per application, or counts per stage
and group); movements from two or more snapshots (with `--leavers` for the reasons); casework
and development from their file and the snapshots. `--published` protects each family's
tables together, in one disclosure-control call with the family's declared layouts, and
withholds every headcount the snapshot's own published workforce figures withhold (as the web
pages do). A file with problems exits with status 2 after listing every problem with its
file, row and column; no figure is printed.
"""

from __future__ import annotations

import argparse
import importlib
import secrets
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl

EXIT_REFUSED = 2
FORMATS = ("json", "csv", "xlsx")
SNAPSHOT_DATE_HEADER = "snapshotdate"  # header_key of "snapshot_date", "Snapshot date"
FILE_KINDS = ("applications", "cases", "leavers", "development")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "lifecycle",
        help="every employee lifecycle figure (recruitment, movements, casework, development) "
        "from files, no database needed",
        description="Validate lifecycle files and workforce snapshots (CSV or XLSX) and print "
        "every lifecycle figure they allow.",
    )
    parser.add_argument(
        "--workforce",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="workforce snapshots (HR extracts), oldest or newest first",
    )
    parser.add_argument(
        "--snapshot-dates",
        type=_date_list,
        help="one date per --workforce file, in the same order: 2024-03-31,2025-03-31 "
        "(default: each file's snapshot_date column)",
    )
    parser.add_argument("--applications", type=Path, help="recruitment applications or counts")
    parser.add_argument("--cases", type=Path, help="casework: one row per case")
    parser.add_argument("--leavers", type=Path, help="leavers with their reasons")
    parser.add_argument("--development", type=Path, help="non-mandatory training and CPD")
    parser.add_argument(
        "--published",
        action="store_true",
        help="apply disclosure control (withhold small counts) as for publication",
    )
    parser.add_argument("--threshold", type=int, default=10, help="smallest count shown (>= 5)")
    parser.add_argument("--round-to", type=int, default=None, help="round counts (e.g. 5)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument(
        "--output", "--out", dest="output", type=Path, help="output file (default: stdout)"
    )
    parser.set_defaults(func=run_lifecycle)


def _date_list(text: str) -> list[date]:
    try:
        return [date.fromisoformat(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of dates like 2024-03-31,2025-03-31"
        ) from None


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


# --- the families ----------------------------------------------------------------------------


@dataclass
class Inputs:
    """Validated snapshots (oldest first) and lifecycle files (None when not given)."""

    snapshots: list[tuple[date, pl.DataFrame]] = field(default_factory=list)
    present_columns: dict[date, set[str]] = field(default_factory=dict)
    files: dict[str, pl.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Family:
    name: str
    module_name: str  # under equitable.metrics.lifecycle
    needs: Callable[[Inputs], bool]
    compute: Callable[[ModuleType, Inputs], dict[str, pl.DataFrame]]
    withhold_name: str  # the module's function giving the headcounts to withhold

    def module(self) -> ModuleType:
        return importlib.import_module(f"equitable.metrics.lifecycle.{self.module_name}")


FAMILIES = (
    Family(
        "recruitment",
        "recruitment",
        lambda inputs: "applications" in inputs.files,
        lambda module, inputs: module.recruitment_tables(inputs.files["applications"]),
        "recruitment_withhold",
    ),
    Family(
        "movements",
        "movements",
        lambda inputs: len(inputs.snapshots) >= 2,
        lambda module, inputs: module.movement_tables(
            inputs.snapshots, leavers=inputs.files.get("leavers")
        ),
        "movement_withhold",
    ),
    Family(
        "casework",
        "casework",
        lambda inputs: "cases" in inputs.files,
        lambda module, inputs: module.casework_tables(inputs.files["cases"], inputs.snapshots),
        "casework_withhold",
    ),
    Family(
        "development",
        "development",
        lambda inputs: "development" in inputs.files,
        lambda module, inputs: module.development_tables(
            inputs.files["development"], inputs.snapshots
        ),
        "development_withhold",
    ),
)
# The module whose specs read each kind of file (the spec is found by its `kind`).
SPEC_MODULES = {
    "applications": "recruitment",
    "application_counts": "recruitment",
    "cases": "casework",
    "leavers": "movements",
    "development": "development",
}


def record_spec(kind: str):
    """The RecordSpec of one kind of lifecycle file, from the module that reads it."""
    from equitable.metrics.lifecycle.records import RecordSpec

    module = importlib.import_module(f"equitable.metrics.lifecycle.{SPEC_MODULES[kind]}")
    for value in vars(module).values():
        if isinstance(value, RecordSpec) and value.kind == kind:
            return value
        if isinstance(value, dict):
            for spec in value.values():
                if isinstance(spec, RecordSpec) and spec.kind == kind:
                    return spec
    raise LookupError(f"equitable.metrics.lifecycle.{SPEC_MODULES[kind]} has no {kind} spec")


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What reading every file gave: the inputs, or the problems of each file."""

    inputs: Inputs
    problems: list[tuple[Path, Any]] = field(default_factory=list)  # (file, Problem)
    notes: list[str] = field(default_factory=list)


def _problem(row: int | None, column: str | None, value: str | None, message: str):
    from equitable.metrics.extract import Problem

    return Problem(row, column, value, message)


def _snapshot_date_of(table) -> tuple[date | None, list]:
    """The one date in the file's snapshot_date column, or the problems with that column."""
    from equitable.metrics.extract import _parse_date
    from equitable.metrics.reading import header_key

    columns = [c for c in table.frame.columns if header_key(c) == SNAPSHOT_DATE_HEADER]
    if not columns:
        message = "the file has no snapshot_date column: give --snapshot-dates"
        return None, [_problem(None, "snapshot_date", None, message)]
    name = columns[0]
    values = table.frame.get_column(name).cast(pl.String).str.strip_chars()
    parsed = _parse_date(values.fill_null(""), date.today().year)
    first = table.first_data_row
    problems = [
        _problem(first + i, name, raw, "not a date (use 2024-03-31)")
        for i, (raw, day) in enumerate(zip(values.to_list(), parsed.to_list(), strict=True))
        if day is None
    ][:1000]
    distinct = sorted({day for day in parsed.to_list() if day is not None})
    if len(distinct) > 1:
        problems.append(
            _problem(
                None,
                name,
                None,
                "a snapshot is of one date, and this column holds "
                + ", ".join(d.isoformat() for d in distinct[:5])
                + (" …" if len(distinct) > 5 else ""),
            )
        )
    if problems or not distinct:
        return None, problems or [_problem(None, name, None, "the snapshot_date column is blank")]
    return distinct[0], []


def _load_snapshots(paths: Sequence[Path], dates: Sequence[date] | None, id_key: bytes, loaded):
    from equitable.metrics.extract import ExtractReadError, read_extract, validate_extract

    frames: dict[date, tuple[Path, pl.DataFrame]] = {}
    for index, path in enumerate(paths):
        try:
            table = read_extract(path)
        except (ExtractReadError, OSError) as error:
            loaded.problems.append((path, _problem(None, None, None, str(error))))
            continue
        on: date | None
        problems: list
        if dates is not None:
            on, problems = dates[index], []
        else:
            on, problems = _snapshot_date_of(table)
        if on is not None and on in frames:
            problems.append(
                _problem(None, None, on.isoformat(), f"{frames[on][0]} is of the same date")
            )
        loaded.problems += [(path, p) for p in problems]
        if on is None or problems:
            continue
        result = validate_extract(table, snapshot_date=on, id_key=id_key)
        loaded.problems += [(path, p) for p in result.problems]
        if result.ok and result.frame is not None:
            frames[on] = (path, result.frame)
            loaded.inputs.present_columns[on] = set(result.present_columns)
    loaded.inputs.snapshots = [(on, frames[on][1]) for on in sorted(frames)]


def _header_keys(spec, name: str) -> set[str]:
    from equitable.metrics.reading import header_key

    column = spec.column(name)
    return {header_key(h) for h in (column.name, *column.headers)}


def _application_kind(path: Path) -> str:
    """Counts per stage and group (a count column and no application id) or, otherwise, one
    row per application (whose validation then says what is missing)."""
    from equitable.metrics.extract import ExtractReadError, read_extract
    from equitable.metrics.reading import header_key

    try:
        headers = {header_key(c) for c in read_extract(path).frame.columns}
    except (ExtractReadError, OSError):
        return "applications"  # load_records reports why it cannot be read
    counts = _header_keys(record_spec("application_counts"), "count")
    ids = _header_keys(record_spec("applications"), "application_id")
    return "application_counts" if headers & counts and not headers & ids else "applications"


def _load_file(kind: str, path: Path, id_key: bytes, loaded: Loaded) -> None:
    from equitable.metrics.lifecycle.records import load_records

    if kind == "applications":
        kind = _application_kind(path)
    result = load_records(path, record_spec(kind), id_key=id_key)
    loaded.problems += [(path, p) for p in result.problems]
    loaded.notes += [f"{path}: {note}" for note in result.notes]
    if result.ok and result.frame is not None:
        loaded.inputs.files["applications" if kind == "application_counts" else kind] = result.frame


def load_inputs(args, id_key: bytes) -> Loaded:
    loaded = Loaded(Inputs())
    _load_snapshots(args.workforce, args.snapshot_dates, id_key, loaded)
    for kind in FILE_KINDS:
        path = getattr(args, kind)
        if path is not None:
            _load_file(kind, path, id_key, loaded)
    return loaded


def _argument_problems(args) -> str | None:
    if not args.workforce and args.applications is None:
        return "give --workforce snapshots, --applications, or both"
    if args.format == "xlsx" and args.output is None:
        return "--format xlsx needs --output FILE.xlsx"
    if args.snapshot_dates is not None and len(args.snapshot_dates) != len(args.workforce):
        return (
            f"--snapshot-dates gives {len(args.snapshot_dates)} date(s) for "
            f"{len(args.workforce)} --workforce file(s): give one date per file"
        )
    without_snapshots = [f"--{k}" for k in ("cases", "leavers", "development") if getattr(args, k)]
    if without_snapshots and not args.workforce:
        return (
            f"{', '.join(without_snapshots)} need the --workforce snapshots (their rates are "
            "per member of staff)"
        )
    if args.leavers is not None and len(args.workforce) < 2:
        return "--leavers needs two or more --workforce snapshots (leavers are between them)"
    for path in [*args.workforce, *(getattr(args, k) for k in FILE_KINDS)]:
        if path is not None and not path.is_file():
            return f"{path} is not a file"
    return None


def _print_problems(problems: list[tuple[Path, Any]]) -> None:
    print(f"{len(problems)} problem(s); no figures were computed:", file=sys.stderr)
    for path, problem in problems:
        print(f"  {path}: {problem}", file=sys.stderr)


# --- figures ---------------------------------------------------------------------------------


def exact_families(inputs: Inputs) -> dict[str, dict[str, pl.DataFrame]]:
    """Every family the inputs allow, exact: {family: {table: frame}}."""
    return {
        family.name: family.compute(family.module(), inputs)
        for family in FAMILIES
        if family.needs(inputs)
    }


def published_workforce(
    inputs: Inputs, threshold: int, round_to: int | None
) -> dict[date, dict[str, pl.DataFrame]]:
    """Each snapshot's workforce figures as `equitable metrics --published` gives them: the
    cells withheld there are withheld in the lifecycle tables too."""
    from equitable.metrics import disclosure_control, figures

    return {
        on: disclosure_control.protect(
            figures.compute_all(frame, None, inputs.present_columns.get(on)),
            threshold=threshold,
            round_to=round_to,
        )
        for on, frame in inputs.snapshots
    }


def protect_families(
    families: dict[str, dict[str, pl.DataFrame]],
    inputs: Inputs,
    *,
    threshold: int,
    round_to: int | None,
) -> dict[str, dict[str, pl.DataFrame]]:
    """One protection per family (`publishing.protect_family`, as the web pages use), with
    its layouts and the headcounts the workforce publication withholds."""
    from equitable.metrics.lifecycle import publishing

    workforce: dict[date, dict[str, pl.DataFrame]] | None = None
    protected = {}
    for family in FAMILIES:
        tables = families.get(family.name)
        if not tables:
            continue
        module = family.module()
        withhold_function = getattr(module, family.withhold_name, None)
        restrictions: list = []
        if withhold_function is not None and inputs.snapshots:
            if workforce is None:
                workforce = published_workforce(inputs, threshold, round_to)
            restrictions = list(withhold_function(workforce))
        protected[family.name] = publishing.protect_family(
            module,
            tables,
            threshold=threshold,
            round_to=round_to,
            withhold=restrictions,
        )
    return protected


def run_lifecycle(args) -> int:
    from equitable.metrics import disclosure_control
    from equitable.metrics.cli import _rounded, _write

    error = _argument_problems(args)
    if error:
        return _refuse(error)
    if args.published:
        try:
            disclosure_control.check_threshold(args.threshold)
        except ValueError as problem:
            return _refuse(str(problem))
    # Keys are never output: a key made for this run links the files and is then forgotten.
    loaded = load_inputs(args, secrets.token_bytes(32))
    for note in loaded.notes:
        print(f"Read this way: {note}", file=sys.stderr)
    if loaded.problems:
        _print_problems(loaded.problems)
        return EXIT_REFUSED
    families = exact_families(loaded.inputs)
    if args.published:
        try:
            families = protect_families(
                families, loaded.inputs, threshold=args.threshold, round_to=args.round_to
            )
        except ValueError as problem:
            return _refuse(str(problem))
    tables = {
        name: _rounded(table, pl) for family in families.values() for name, table in family.items()
    }
    return _write(tables, args.format, args.output)
