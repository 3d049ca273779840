"""`equitable programme-figures`: one cohort's participation, selection and outcome figures
from files, with no database.

    equitable programme-figures --snapshot 2023-03-31=staff-2023.csv \\
        --snapshot 2024-03-31=staff-2024.csv --list cohort.csv --start 2023-04-01 \\
        --pay-bands 4,5 --published --format text

Snapshots are HR extracts as `equitable metrics` reads them; the list is a CSV or XLSX file
with columns employee_id and status (applied, selected, participant, completed, withdrawn).
Ids in every file are hashed with one key made for this run and never written anywhere. Every
problem in every file is listed on stderr before the command exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import date
from pathlib import Path
from typing import Any

EXIT_REFUSED = 2
FORMATS = ("json", "text")


def _snapshot_argument(text: str) -> tuple[date, Path]:
    on, _, path = text.partition("=")
    try:
        return date.fromisoformat(on), Path(path)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not DATE=FILE, like 2024-03-31=staff.csv"
        ) from None


def _values(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def register(subparsers: Any) -> None:
    from equitable.metrics.cli import _iso_date

    parser = subparsers.add_parser(
        "programme-figures",
        help="a development programme cohort's participation, selection and outcomes from "
        "workforce files and the cohort's list (no database needed)",
        description="Participation against the eligible staff, selection of applicants, and "
        "promotions and leavers at 12, 18 and 24 months beside similar non-participants.",
    )
    parser.add_argument(
        "--snapshot",
        type=_snapshot_argument,
        action="append",
        required=True,
        metavar="DATE=FILE",
        help="a workforce extract and its date (give one per snapshot)",
    )
    parser.add_argument("--list", type=Path, required=True, metavar="LIST.csv")
    parser.add_argument("--start", type=_iso_date, required=True, help="the cohort's start date")
    for name in ("pay-bands", "grades", "directorates", "tiers"):
        parser.add_argument(f"--{name}", type=_values, default=(), help="comma-separated")
    parser.add_argument("--published", action="store_true", help="apply disclosure control")
    parser.add_argument("--threshold", type=int, default=10, help="smallest count shown (>= 5)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.set_defaults(func=run)


def read_list(data: bytes, name: str) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(row, employee id, status) of each listed person, and every problem by row."""
    from equitable.files.limits import UnsafeFile
    from equitable.metrics.programmes.figures import STATUSES
    from equitable.metrics.reading import ExtractReadError, header_key, read_source

    try:
        source = read_source(data, name.lower())
    except (ExtractReadError, UnsafeFile) as error:
        return [], [f"{name}: {error}"]
    headers = {header_key(h): h for h in source.frame.columns}
    found = {c: headers.get(header_key(c)) for c in ("employee_id", "status")}
    missing = [c for c, h in found.items() if h is None]
    if missing:
        return [], [f"{name}: no column {c}" for c in missing]
    rows: list[tuple[int, str, str]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    frame = source.frame.select(found["employee_id"], found["status"])
    for index, (employee, status) in enumerate(frame.iter_rows()):
        row = source.first_data_row + index
        employee, status = (employee or "").strip(), (status or "").strip().lower()
        if not employee and not status:
            continue
        if not employee:
            problems.append(f"{name}: row {row}, column employee_id: no employee id")
            continue
        if status not in STATUSES:
            problems.append(
                f"{name}: row {row}, column status: must be one of {', '.join(STATUSES)}"
            )
        if employee in seen:
            problems.append(
                f"{name}: row {row}, column employee_id: the same id as row {seen[employee]}"
            )
        seen[employee] = row
        rows.append((row, employee, status))
    return rows, problems


def run(args: argparse.Namespace) -> int:
    import polars as pl

    from equitable.metrics import extract
    from equitable.metrics.cli import _rounded, tables_as_json
    from equitable.metrics.disclosure_control import check_threshold, protect
    from equitable.metrics.eqia.cli import tables_as_text
    from equitable.metrics.extract import _keyed_hashes
    from equitable.metrics.programmes.figures import Eligibility, cohort_figures

    problems: list[str] = []
    if args.published:
        try:
            check_threshold(args.threshold)
        except ValueError as error:
            problems.append(f"--threshold: {error}")
    id_key = secrets.token_bytes(32)  # never output: the list only needs to match the snapshots
    snapshots = []
    for on, path in args.snapshot:
        if not path.is_file():
            problems.append(f"{path} is not a file")
            continue
        result = extract.load_extract(path, snapshot_date=on, id_key=id_key)
        problems += [f"{path}: {problem}" for problem in result.problems]
        if result.frame is not None and not result.problems:
            snapshots.append((on, result.frame))
    rows: list[tuple[int, str, str]] = []
    if not args.list.is_file():
        problems.append(f"{args.list} is not a file")
    else:
        rows, found = read_list(args.list.read_bytes(), args.list.name)
        problems += found
    if problems:
        print(f"{len(problems)} problem(s); no figures were computed:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    keys = _keyed_hashes(pl.Series([employee for _, employee, _ in rows]), id_key)
    assert keys is not None
    listed = pl.DataFrame(
        {"employee_key": keys, "status": [status for _, _, status in rows]},
        schema={"employee_key": pl.String, "status": pl.String},
    )
    eligibility = Eligibility(
        pay_bands=args.pay_bands,
        grades=args.grades,
        directorates=args.directorates,
        leadership_tiers=args.tiers,
    )
    figures = cohort_figures(snapshots, listed, start=args.start, eligibility=eligibility)
    if figures.start_snapshot is None:
        print("No snapshot is dated on or before the start.", file=sys.stderr)
        return EXIT_REFUSED
    tables = figures.tables
    if args.published:
        tables = protect(tables, layouts=figures.layouts, threshold=args.threshold)
    tables = {name: _rounded(table, pl) for name, table in tables.items()}
    for note in figures.notes:
        print(note, file=sys.stderr)
    if args.format == "text":
        sys.stdout.write(tables_as_text(tables))
    else:
        sys.stdout.write(json.dumps(tables_as_json(tables), ensure_ascii=False, indent=1) + "\n")
    return 0
