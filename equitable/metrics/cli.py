"""`equitable metrics` and `equitable generate-workforce`: the workforce figures from one HR
extract, and synthetic extracts of any size. No database and no Django.

    equitable generate-workforce --employees 2000 --seed 1 --out demo.csv
    equitable metrics demo.csv --demo-population --published --format json

A file with problems exits with status 2 after printing every problem (row, column, value,
message) on stderr; values it cannot place are listed with how to map them (--value-map).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

EXIT_REFUSED = 2
XLSX_MAX_EMPLOYEES = 100_000
FORMATS = ("json", "csv", "xlsx")


def register(subparsers) -> None:
    metrics = subparsers.add_parser(
        "metrics",
        help="every workforce equality figure for one HR extract (no database needed)",
        description="Validate one HR extract (CSV or XLSX) and print every figure it allows.",
    )
    metrics.add_argument("workforce_file", type=Path, help="CSV or Excel (.xlsx) HR extract")
    metrics.add_argument("--population", type=Path, help="ONS Census 2021 TS021 CSV (Nomis bulk)")
    metrics.add_argument(
        "--local-authority", help="area name or code in the --population file, e.g. Harrow"
    )
    metrics.add_argument(
        "--demo-population",
        action="store_true",
        help="use the demo council's resident population (seed 000) as the benchmark",
    )
    metrics.add_argument(
        "--snapshot-date", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)"
    )
    metrics.add_argument(
        "--published",
        action="store_true",
        help="apply disclosure control (suppress small counts) as for publication",
    )
    metrics.add_argument("--threshold", type=int, default=10, help="smallest count shown (>= 5)")
    metrics.add_argument("--round-to", type=int, default=None, help="round counts (e.g. 5)")
    metrics.add_argument("--format", choices=FORMATS, default="json")
    metrics.add_argument("--out", type=Path, help="output file (default: standard output)")
    metrics.add_argument(
        "--value-map",
        type=Path,
        help='JSON {"column": {"your value": "accepted value"}} for values not recognised',
    )
    metrics.add_argument("--column-map", type=Path, help='JSON {"your header": "canonical column"}')
    metrics.add_argument(
        "--decimal-comma",
        action="store_true",
        help="the file writes decimals with a comma (12,50 for 12.50; 1.250,00 for 1,250.00)",
    )
    metrics.add_argument(
        "--confirm-pay",
        action="store_true",
        help="after checking them: accept the hourly rates flagged as below the legal minimum "
        "or far from the rest of the file",
    )
    metrics.add_argument(
        "--standard-weekly-hours",
        type=float,
        default=36.0,
        help="full-time hours, to derive hourly pay from annual salary (default 36)",
    )
    metrics.set_defaults(func=run_metrics)

    generate = subparsers.add_parser(
        "generate-workforce",
        help="write a synthetic HR extract shaped like the demo council",
        description="Write a synthetic HR extract in the canonical layout (CSV, or XLSX when small).",
    )
    generate.add_argument("--employees", type=int, required=True, help="number of rows")
    generate.add_argument("--seed", type=int, default=1, help="same seed, same file")
    generate.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.xlsx")
    generate.add_argument(
        "--variant-share",
        type=float,
        default=0.0,
        help="share of ethnicity cells in HR-export spellings (0 to 1)",
    )
    generate.set_defaults(func=run_generate)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-03-31") from None


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


# --- generate-workforce -----------------------------------------------------------------------


def run_generate(args) -> int:
    from equitable.metrics import synthetic

    if args.employees < 1:
        return _refuse("--employees must be at least 1")
    if not 0 <= args.variant_share <= 1:
        return _refuse("--variant-share must be between 0 and 1")
    suffix = args.out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return _refuse("--out must end in .csv or .xlsx")
    if suffix == ".xlsx" and args.employees > XLSX_MAX_EMPLOYEES:
        return _refuse(f"XLSX is for up to {XLSX_MAX_EMPLOYEES:,} employees; use .csv")
    frame = synthetic.generate_workforce(
        args.employees, args.seed, variant_share=args.variant_share
    )
    if suffix == ".xlsx":
        synthetic.write_workforce_xlsx(frame, args.out)
    else:
        synthetic.write_workforce_csv(frame, args.out)
    print(f"Wrote {frame.height:,} synthetic employees to {args.out}", file=sys.stderr)
    return 0


# --- metrics ----------------------------------------------------------------------------------


def _read_json_mapping(path: Path | None, what: str) -> tuple[dict | None, str | None]:
    if path is None:
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        return None, f"{what} {path} could not be read: {error}"
    if not isinstance(data, dict):
        return None, f"{what} {path} must hold a JSON object"
    return data, None


def _print_reading(result) -> None:
    """Where the headers were found, which columns are used and which left out (and what those
    look like), and how values were read: before any problem or figure."""
    lines = [result.source] if result.source else []
    if result.column_plan is not None:
        lines += result.column_plan.lines()
    lines += [f"Read this way: {note}" for note in result.notes]
    for line in lines:
        print(line, file=sys.stderr)


def _print_problems(result) -> None:
    from equitable.metrics import extract

    print(
        f"{len(result.problems)} problem(s) in the extract; no figures were computed:",
        file=sys.stderr,
    )
    for problem in result.problems:
        print(f"  {problem}", file=sys.stderr)
    if result.unmapped_values:
        lines = extract.unplaced_value_lines(
            result.unmapped_values, result.suggestions, result.unmapped_counts
        )
        print("\n".join(["", *lines]), file=sys.stderr)
        example = extract.example_value_map(result.unmapped_values, result.suggestions)
        print(
            "Map them with --value-map FILE.json, for example (only values whose meaning is "
            "clear are filled in: fill in the empty ones, or the map is refused):\n  "
            + json.dumps(example, ensure_ascii=False),
            file=sys.stderr,
        )
    if any(problem.confirmable for problem in result.problems):
        print(extract.CONFIRM_PAY_HINT, file=sys.stderr)


def _population(args):
    from equitable.metrics import population

    if args.population is not None:
        return population.read_population(args.population, args.local_authority)
    if args.demo_population:
        return population.demo_population()
    return None


def run_metrics(args) -> int:
    import polars as pl

    from equitable.metrics import extract, figures

    if args.format == "xlsx" and args.out is None:
        return _refuse("--format xlsx needs --out FILE.xlsx")
    if args.population is not None and args.demo_population:
        return _refuse("give either --population or --demo-population, not both")
    value_map, error = _read_json_mapping(args.value_map, "value map")
    if error:
        return _refuse(error)
    column_map, error = _read_json_mapping(args.column_map, "column map")
    if error:
        return _refuse(error)
    if not args.workforce_file.is_file():
        return _refuse(f"{args.workforce_file} is not a file")

    result = extract.load_extract(
        args.workforce_file,
        column_mapping=column_map,
        value_mapping=value_map,
        snapshot_date=args.snapshot_date or date.today(),
        standard_weekly_hours=args.standard_weekly_hours,
        id_key=None,  # keys are not output, so none are made
        decimal_comma=args.decimal_comma,
        confirm_pay=args.confirm_pay,
    )
    _print_reading(result)
    if not result.ok:
        _print_problems(result)
        return EXIT_REFUSED

    try:
        resident = _population(args)
    except (OSError, ValueError) as error:
        return _refuse(f"The population file could not be used: {error}")
    assert result.frame is not None  # ok means a frame
    try:
        tables = figures.compute_all(result.frame, resident, result.present_columns)
    except ValueError as error:  # FigureInputError: the frame broke the contract
        return _refuse(f"The figures could not be computed: {error}")
    if args.published:
        from equitable.metrics import disclosure_control

        try:
            tables = disclosure_control.protect(
                tables, threshold=args.threshold, round_to=args.round_to
            )
        except ValueError as error:
            return _refuse(str(error))
    tables = {name: _rounded(table, pl) for name, table in tables.items()}
    return _write(tables, args.format, args.out)


def _rounded(table, pl):
    return table.with_columns(pl.col(pl.Float32, pl.Float64).round(2))


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value


def tables_as_json(tables) -> dict[str, Any]:
    """{"tables": {name: [row, ...]}}: each row a flat object."""
    return {
        "tables": {
            name: [
                {k: _json_value(v) for k, v in row.items()} for row in table.iter_rows(named=True)
            ]
            for name, table in tables.items()
        }
    }


def tidy_csv(tables) -> str:
    """All tables in one tidy CSV: a `table` column, then the union of the tables' columns.
    Written through equitable.files.tabular, so that no cell can run as a formula."""
    import polars as pl

    from equitable.files import tabular

    frames = []
    for name, table in tables.items():
        if "table" in table.columns:  # the notes table names other tables
            table = table.rename({"table": "about_table"})
        frames.append(table.select(pl.lit(name).alias("table"), *table.columns))
    combined = pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()
    return tabular.csv_text(combined.columns, combined.iter_rows())


def write_xlsx(tables, path: Path) -> None:
    """One sheet per table, header row first, through equitable.files.tabular (inert text,
    numbers as numbers, valid and unique sheet names)."""
    from equitable.files import tabular

    path.write_bytes(
        tabular.xlsx_bytes(
            [(name, table.columns, table.iter_rows()) for name, table in tables.items()],
            write_only=True,
        )
    )


def _write(tables, fmt: str, out: Path | None) -> int:
    if fmt == "xlsx":
        assert out is not None
        write_xlsx(tables, out)
        print(f"Wrote {len(tables)} tables to {out}", file=sys.stderr)
        return 0
    if fmt == "csv":
        text = tidy_csv(tables)
    else:
        text = json.dumps(tables_as_json(tables), ensure_ascii=False, indent=1) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"Wrote {len(tables)} tables to {out}", file=sys.stderr)
    return 0
