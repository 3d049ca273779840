"""`equitable training`: training compliance from files, with no database.

    equitable training completions.csv --workforce snapshot-2025.csv --as-of 2025-03-31 \\
        [--panel panel.csv] [--senior-by 2022-12-31] [--published] [--format json]

FILE is the training records (one row per completion; docs/data-formats.md, "Training
records"), --workforce one snapshot in the workforce extract format, --panel the recruitment
panel members (an employee id column). Employee ids in every file are hashed with one key made
for this run and never written anywhere, so completions link to the snapshot and nothing
identifying leaves the process. A file with problems exits with status 2 after listing every
problem with its file, row and column; no figure is printed. The overdue list is not printed:
it is for the EDI officer and HR analyst, in the application, by keyed id.
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
FORMATS = ("text", "json", "csv")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "training",
        help="training compliance (mandatory EDI, new starters, refresh, senior leaders, "
        "recruitment panels) from files, no database needed",
        description="Validate training records against a workforce snapshot and print the "
        "compliance tables.",
    )
    parser.add_argument("file", type=Path, help="training records (CSV or XLSX)")
    parser.add_argument(
        "--workforce", type=Path, required=True, help="the workforce snapshot (HR extract)"
    )
    parser.add_argument(
        "--as-of",
        type=_day,
        default=None,
        help="the date compliance is measured at (default: today); later completions are "
        "not counted",
    )
    parser.add_argument(
        "--senior-by",
        type=_day,
        default=None,
        help="the date senior leaders' face-to-face training was due (default: --as-of)",
    )
    parser.add_argument("--panel", type=Path, help="recruitment panel members (employee ids)")
    parser.add_argument(
        "--published",
        action="store_true",
        help="apply disclosure control (withhold small counts) as for publication",
    )
    parser.add_argument("--threshold", type=int, default=10, help="smallest count shown (>= 5)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.set_defaults(func=run_training)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-03-31") from None


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


def _load(args: Any, id_key: bytes) -> tuple[dict[str, Any], list[tuple[Path, Any]]]:
    from equitable.metrics.extract import ExtractReadError, Problem, read_extract, validate_extract
    from equitable.metrics.lifecycle.records import load_records
    from equitable.metrics.training.records import PANEL, TRAINING

    loaded: dict[str, Any] = {}
    problems: list[tuple[Path, Any]] = []
    as_of = args.as_of or date.today()
    try:
        table = read_extract(args.workforce)
    except (ExtractReadError, OSError) as error:
        problems.append((args.workforce, Problem(None, None, None, str(error))))
    else:
        snapshot = validate_extract(table, snapshot_date=as_of, id_key=id_key)
        problems += [(args.workforce, p) for p in snapshot.problems]
        if snapshot.ok:
            loaded["workforce"] = snapshot.frame
    for name, path, spec in (("records", args.file, TRAINING), ("panel", args.panel, PANEL)):
        if path is None:
            continue
        result = load_records(path, spec, id_key=id_key)
        problems += [(path, p) for p in result.problems]
        if result.ok:
            loaded[name] = result.frame
    return loaded, problems


def run_training(args: Any) -> int:
    from equitable.metrics import disclosure_control
    from equitable.metrics.cli import _json_value, tidy_csv
    from equitable.metrics.training import compliance

    for path in (args.file, args.workforce, args.panel):
        if path is not None and not path.is_file():
            return _refuse(f"{path} is not a file")
    if args.published:
        try:
            disclosure_control.check_threshold(args.threshold)
        except ValueError as refused:
            return _refuse(str(refused))
    # Keys are never output: a key made for this run links the files and is then forgotten.
    loaded, problems = _load(args, secrets.token_bytes(32))
    if problems:
        print(f"{len(problems)} problem(s); no figures were computed:", file=sys.stderr)
        for path, problem in problems:
            print(f"  {path}: {problem}", file=sys.stderr)
        return EXIT_REFUSED
    as_of = args.as_of or date.today()
    panel = loaded.get("panel")
    tables = compliance.compliance_tables(
        loaded["records"],
        loaded["workforce"],
        as_of,
        panel=None if panel is None else panel.get_column("employee_key").to_list(),
        senior_by=args.senior_by,
    )
    if args.published:
        tables = compliance.protected_tables(tables, threshold=args.threshold)
    tables = {name: table.with_columns(_rounded_floats(table)) for name, table in tables.items()}
    if args.format == "json":
        document = {
            "as_of": as_of.isoformat(),
            "senior_by": (args.senior_by or as_of).isoformat(),
            "panel_given": panel is not None,
            "published": bool(args.published),
            "tables": {
                name: [{k: _json_value(v) for k, v in row.items()} for row in table.to_dicts()]
                for name, table in tables.items()
            },
        }
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        sys.stdout.write(tidy_csv(tables))
    else:
        sys.stdout.write(_text(tables, as_of, panel is not None))
    return 0


def _rounded_floats(table: Any) -> list[Any]:
    import polars as pl

    return [pl.col(c).round(1) for c, t in table.schema.items() if t == pl.Float64]


def _text(tables: dict[str, Any], as_of: date, panel_given: bool) -> str:
    """One block per table: the row's label, then each measure as "k of n (p%, 95% CI a–b)"."""
    from equitable.metrics.training.compliance import DIMENSIONS, MEASURE_LABELS, MEASURES

    lines = [f"Training compliance at {as_of.isoformat()}"]
    if not panel_given:
        lines.append("No recruitment panel list given: panel figures are 0.")
    for name, table in tables.items():
        column, label = DIMENSIONS[name]
        lines += ["", label]
        for row in table.to_dicts():
            lines.append(f"  {row[column]}: {_count(row['staff'])} staff")
            for measure, (count, pool, _, _) in MEASURES.items():
                lines.append(f"    {MEASURE_LABELS[measure]}: {_rate(row, count, pool)}")
    return "\n".join(lines) + "\n"


def _count(value: Any) -> str:
    return "withheld" if value is None else f"{value:,}"


def _rate(row: dict[str, Any], count: str, pool: str) -> str:
    k, n, p = row[count], row[pool], row[f"{count}_percent"]
    if p is None:
        return f"{_count(k)} of {_count(n)}"
    low, high = row[f"{count}_percent_ci_low"], row[f"{count}_percent_ci_high"]
    interval = "" if low is None else f", 95% CI {low:.1f}–{high:.1f}"
    return f"{_count(k)} of {_count(n)} ({p:.1f}%{interval})"
