"""`equitable eqia evidence`: the workforce evidence for an Equality Impact Assessment, from
files, with no database.

    equitable eqia evidence --workforce staff.csv --scope scope.json
    equitable eqia evidence --workforce staff.csv --scope scope.json --affected pool.csv \\
        --demo-population --published --format text

The workforce file is an HR extract as `equitable metrics` reads it; the scope file is a JSON
object of canonical columns and the values in scope (docs/data-formats.md, "EqIA scope
filter"); `--scope-list` and `--affected` are one-column CSVs of employee ids. Ids in every
file are hashed with one key made for this run and never written anywhere, so the lists link
to the snapshot and nothing identifying leaves the process. Every problem in every file is
listed on stderr before the command exits with status 2; no figure is printed then.
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


def register(subparsers: Any) -> None:
    eqia = subparsers.add_parser(
        "eqia",
        help="Equality Impact Assessment evidence from workforce files (no database needed)",
        description="Equality Impact Assessment evidence from the council's own data.",
    )
    add_evidence_parser(eqia.add_subparsers(dest="eqia_command", metavar="COMMAND"))


def add_evidence_parser(eqia_subparsers: Any) -> None:
    """The `evidence` sub-command, for whichever module owns the `eqia` command group."""
    from equitable.metrics.cli import _iso_date

    parser = eqia_subparsers.add_parser(
        "evidence",
        help="the workforce in scope of a proposal by ethnic group and every characteristic, "
        "against the organisation, with relative likelihoods",
        description="Validate an HR extract and a scope filter and print the workforce-in-scope "
        "figures of an Equality Impact Assessment.",
    )
    parser.add_argument("--workforce", type=Path, required=True, metavar="SNAP.csv")
    parser.add_argument(
        "--scope",
        type=Path,
        metavar="FILTER.json",
        help='JSON {"directorate": ["People"], "pay_band": ["5", "6"]}: a row is in scope '
        "when it matches every key",
    )
    parser.add_argument(
        "--scope-list",
        type=Path,
        metavar="KEYS.csv",
        help="one-column CSV of the employee ids in scope (with --scope: both must match)",
    )
    parser.add_argument(
        "--affected",
        type=Path,
        metavar="KEYS.csv",
        help="one-column CSV of the employee ids proposed for redundancy or in a selection pool",
    )
    parser.add_argument("--population", type=Path, help="ONS Census 2021 TS021 CSV (Nomis bulk)")
    parser.add_argument(
        "--local-authority", help="area name or code in the --population file, e.g. Harrow"
    )
    parser.add_argument(
        "--demo-population",
        action="store_true",
        help="use the demo council's resident population (seed 000) as the benchmark",
    )
    parser.add_argument(
        "--snapshot-date", type=_iso_date, default=None, help="YYYY-MM-DD (default: today)"
    )
    parser.add_argument(
        "--published",
        action="store_true",
        help="apply disclosure control (withhold small counts) as for publication",
    )
    parser.add_argument("--threshold", type=int, default=10, help="smallest count shown (>= 5)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument(
        "--output", "--out", dest="output", type=Path, help="output file (default: stdout)"
    )
    parser.set_defaults(func=run_evidence)


def _scope_problems(path: Path) -> tuple[dict[str, tuple[str, ...]] | None, list[str]]:
    from equitable.metrics.eqia.evidence import ScopeError, parse_scope

    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        return None, [f"scope file {path}: could not be read ({error})"]
    except ValueError as error:
        return None, [f"scope file {path}: not JSON ({error})"]
    try:
        return parse_scope(data), []
    except ScopeError as error:
        return None, [f"scope file {path}: {problem}" for problem in error.problems]


def _read_list(path: Path) -> tuple[list[str], list[str]]:
    from equitable.metrics.eqia.id_lists import read_id_list

    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [f"{path}: could not be read ({error})"]
    found = read_id_list(data, str(path))
    return found.ids, found.problems


def run_evidence(args: argparse.Namespace) -> int:
    from equitable.metrics import extract
    from equitable.metrics.cli import _population, _print_reading, _rounded, tables_as_json
    from equitable.metrics.disclosure_control import check_threshold
    from equitable.metrics.eqia.evidence import evidence_tables, protected_evidence
    from equitable.metrics.eqia.id_lists import hash_ids

    problems: list[str] = []
    if args.scope is None and args.scope_list is None:
        problems.append("give --scope FILTER.json, --scope-list KEYS.csv or both")
    if args.population is not None and args.demo_population:
        problems.append("give either --population or --demo-population, not both")
    if args.published:
        try:
            check_threshold(args.threshold)
        except ValueError as error:
            problems.append(f"--threshold: {error}")
    scope = None
    if args.scope is not None:
        scope, found = _scope_problems(args.scope)
        problems += found
    lists: dict[str, list[str] | None] = {"scope_list": None, "affected": None}
    for name in lists:
        path = getattr(args, name)
        if path is not None:
            lists[name], found = _read_list(path)
            problems += found
    id_key = secrets.token_bytes(32)  # never output: the lists only need to match the snapshot
    result = None
    if not args.workforce.is_file():
        problems.append(f"{args.workforce} is not a file")
    else:
        result = extract.load_extract(
            args.workforce, snapshot_date=args.snapshot_date or date.today(), id_key=id_key
        )
        _print_reading(result)
        problems += [f"{args.workforce}: {problem}" for problem in result.problems]
    if problems:
        print(f"{len(problems)} problem(s); no figures were computed:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REFUSED
    assert result is not None and result.frame is not None
    try:
        resident = _population(args)
    except (OSError, ValueError) as error:
        print(f"The population file could not be used: {error}", file=sys.stderr)
        return EXIT_REFUSED
    keys = {n: None if ids is None else hash_ids(ids, id_key) for n, ids in lists.items()}
    try:
        tables = evidence_tables(
            result.frame,
            scope,
            in_scope_keys=keys["scope_list"],
            affected_keys=keys["affected"],
            population=resident,
        )
        if args.published:
            tables = protected_evidence(tables, threshold=args.threshold)
    except ValueError as error:
        print(f"The figures could not be computed: {error}", file=sys.stderr)
        return EXIT_REFUSED
    import polars as pl

    tables = {name: _rounded(table, pl) for name, table in tables.items()}
    if args.format == "text":
        text = tables_as_text(tables)
    else:
        text = json.dumps(tables_as_json(tables), ensure_ascii=False, indent=1) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(f"Wrote {len(tables)} tables to {args.output}", file=sys.stderr)
    return 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def tables_as_text(tables: Any) -> str:
    """Each table under its name as aligned columns, then its readings. A blank cell is
    withheld when the row's `suppressed` says yes, else not calculable. Notes print as
    sentences."""
    out: list[str] = []
    for name, table in tables.items():
        out += [name.replace("_", " ").capitalize(), "=" * len(name)]
        if name == "evidence_notes":
            out += [f"- {row['message']}" for row in table.iter_rows(named=True)]
            out.append("")
            continue
        columns = [c for c in table.columns if c != "reading"]
        rows = [[_cell(row[c]) for c in columns] for row in table.iter_rows(named=True)]
        widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
        for cells in (columns, *rows):
            out.append("  ".join(v.ljust(w) for v, w in zip(cells, widths, strict=True)).rstrip())
        if "reading" in table.columns:
            out += [f"  {r['reading']}" for r in table.iter_rows(named=True) if r["reading"]]
        out.append("")
    return "\n".join(out)
