"""`equitable survey`: every figure of a staff survey export, with no database.

    equitable survey race-survey-2022.csv --previous race-survey-2020.csv --published
    equitable survey pulse.xlsx --mapping pulse-mapping.json --format csv --output pulse.csv

The export (CSV or XLSX from Microsoft Forms, SmartSurvey, SurveyMonkey, Qualtrics, Snap, or a
plain table) is read by `exports.read_survey_export`, which drops personal metadata (IP
addresses, e-mails, names, times) on read. Without `--mapping` the columns are mapped by
`mapping.default_mapping`: columns named as canonical characteristics (`ethnicity`, `sex`,
`disability`, `sexual_orientation`, `religion`, `age_band`, `directorate`, `pay_band`) are
demographics, `respondent_id` is ignored, and every other column whose answers all lie on the
5-point agreement scale (plus Don't know / Prefer not to say, no answer) is a scaled question
with the two agree answers favourable. `--mapping MAP.json` is a `SurveyMapping` as JSON (the
mapping pages store the same). With `--previous`, questions with the same code in both waves
are the same question and `change_since_previous` is filled.

`--published` passes the figures through `publishing.publish`, the protect step the web pages
use: each previous wave's figures are protected as that wave's own publication, and the change
since it is derived from both protected outputs. Output: JSON `{"tables": {NAME: [row, ...]}}`
(a withheld figure is null and its row says `"suppressed": true` and `why_withheld`), one tidy
CSV, or an XLSX workbook. A file with problems exits with status 2 after listing every problem
of every file given; no figure is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

EXIT_REFUSED = 2
FORMATS = ("json", "csv", "xlsx")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "survey",
        help="every figure of a staff survey export (results by group, comparisons, change "
        "since the previous wave), no database needed",
        description="Read a survey tool's export (CSV or XLSX), map its columns and print "
        "every survey figure.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the survey export")
    parser.add_argument("--mapping", type=Path, metavar="MAP.json", help="column mapping")
    parser.add_argument("--previous", type=Path, metavar="FILE", help="the previous wave's export")
    parser.add_argument(
        "--previous-mapping", type=Path, metavar="MAP.json", help="the previous wave's mapping"
    )
    parser.add_argument(
        "--published",
        action="store_true",
        help="apply disclosure control (withhold small groups) as for publication",
    )
    parser.add_argument("--threshold", type=int, default=10, help="smallest group shown (>= 5)")
    parser.add_argument("--round-to", type=int, default=None, help="round counts (e.g. 5)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.add_argument(
        "--output", "--out", dest="output", type=Path, help="output file (default: stdout)"
    )
    parser.set_defaults(func=run_survey)


@dataclass
class Loaded:
    """The responses of each wave read, or every problem of every file."""

    responses: dict[str, Any] = field(default_factory=dict)  # "current"/"previous" -> Responses
    problems: list[tuple[Path, Any]] = field(default_factory=list)


def _problem(message: str, row: int | None = None, column: str | None = None) -> Any:
    from equitable.metrics.extract import Problem

    return Problem(row, column, None, message)


def _read_mapping(path: Path, loaded: Loaded) -> Any | None:
    from equitable.metrics.surveys.model import SurveyMapping

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(data, dict) or not isinstance(data.get("columns", []), list):
            raise ValueError('a mapping is an object with a "columns" list')
        return SurveyMapping.from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        loaded.problems.append((path, _problem(f"not a survey mapping: {error}")))
        return None


def load_wave(path: Path, mapping_path: Path | None, loaded: Loaded, which: str) -> None:
    """Read, map and validate one export; every problem goes to `loaded.problems`."""
    from equitable.files.limits import UnsafeFile
    from equitable.metrics.surveys import exports
    from equitable.metrics.surveys import mapping as survey_mapping
    from equitable.metrics.surveys.model import SurveyFileError

    chosen = _read_mapping(mapping_path, loaded) if mapping_path is not None else None
    try:
        data = path.read_bytes()
    except OSError as error:
        loaded.problems.append((path, _problem(str(error))))
        return
    try:
        survey_file = exports.read_survey_export(data, path.name)
        if mapping_path is not None and chosen is None:
            return  # the mapping's problem is listed; the export read cleanly
        loaded.responses[which] = survey_mapping.apply_mapping(
            survey_file,
            chosen if chosen is not None else survey_mapping.default_mapping(survey_file),
        )
    except SurveyFileError as error:
        loaded.problems += [(path, p) for p in error.problems]
    except UnsafeFile as error:
        loaded.problems.append((path, _problem(str(error))))


def _argument_problems(args: argparse.Namespace) -> str | None:
    if args.format == "xlsx" and args.output is None:
        return "--format xlsx needs --output FILE.xlsx"
    if args.previous_mapping is not None and args.previous is None:
        return "--previous-mapping needs --previous FILE"
    for path in (args.file, args.previous, args.mapping, args.previous_mapping):
        if path is not None and not path.is_file():
            return f"{path} is not a file"
    return None


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


def survey_tables(
    responses: Any,
    previous: Any | None,
    *,
    published: bool,
    threshold: int,
    round_to: int | None,
) -> dict[str, pl.DataFrame]:
    """The figures of one wave (and the change since the previous), exact or published."""
    from equitable.metrics.surveys import figures, publishing

    tables = figures.survey_figures(responses, previous=previous)
    if not published:
        return tables
    previous_published = None
    if previous is not None:
        previous_published = publishing.publish(
            figures.survey_figures(previous), threshold=threshold, round_to=round_to
        )
    return publishing.publish(
        tables,
        threshold=threshold,
        round_to=round_to,
        previous_published=previous_published,
    )


def write_tables(tables: dict[str, pl.DataFrame], fmt: str, output: Path | None) -> int:
    """The tables in `equitable metrics`' output formats (floats to two places)."""
    from equitable.metrics.cli import _rounded, _write

    return _write({name: _rounded(t, pl) for name, t in tables.items()}, fmt, output)


def run_survey(args: argparse.Namespace) -> int:
    from equitable.metrics import disclosure_control

    error = _argument_problems(args)
    if error:
        return _refuse(error)
    if args.published:
        try:
            disclosure_control.check_threshold(args.threshold)
        except ValueError as problem:
            return _refuse(str(problem))
    loaded = Loaded()
    load_wave(args.file, args.mapping, loaded, "current")
    if args.previous is not None:
        load_wave(args.previous, args.previous_mapping, loaded, "previous")
    if loaded.problems:
        print(f"{len(loaded.problems)} problem(s); no figures were computed:", file=sys.stderr)
        for path, found in loaded.problems:
            print(f"  {path}: {found}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        tables = survey_tables(
            loaded.responses["current"],
            loaded.responses.get("previous"),
            published=args.published,
            threshold=args.threshold,
            round_to=args.round_to,
        )
    except ValueError as problem:
        return _refuse(str(problem))
    return write_tables(tables, args.format, args.output)
