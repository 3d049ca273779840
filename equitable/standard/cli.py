"""`equitable standard …`: show the encoded Standard, check a Standard file, score an assessment.

No database and no Django: these commands use `equitable.standard.library` only, so they run
anywhere the package is installed. Refused input prints the problems on stderr, exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from equitable.standard import library as lib

EXIT_REFUSED = 2


def register(subparsers) -> None:
    standard = subparsers.add_parser(
        "standard", help="the CELC Tackling Racial Inequality Standard (no database needed)"
    )
    commands = standard.add_subparsers(dest="standard_command", metavar="SUBCOMMAND")

    show = commands.add_parser("show", help="print the encoded Standard with its score ranges")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    show.add_argument("--version", default=None, help="version of the Standard (default: newest)")
    show.add_argument("--standard", default=lib.DEFAULT_STANDARD_ID, help="Standard id")
    show.set_defaults(func=run_show)

    versions = commands.add_parser("versions", help="list the Standard files available")
    versions.set_defaults(func=run_versions)

    check = commands.add_parser(
        "check", help="validate a Standard file and compare derived with published ranges"
    )
    check.add_argument("file", type=Path, help="a Standard YAML file")
    check.set_defaults(func=run_check)

    score = commands.add_parser("score", help="score an assessment file (YAML or JSON)")
    score.add_argument("file", type=Path)
    score.add_argument("--json", action="store_true", help="machine-readable output")
    score.set_defaults(func=run_score)

    standard.set_defaults(func=lambda _args: _help(standard))


def _help(parser) -> int:
    parser.print_help()
    return EXIT_REFUSED


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REFUSED


def _ranges(ranges) -> str:
    return ", ".join(f"{lib.LEVEL_NAMES[r.level]} {r.min}–{r.max}" for r in ranges)


def run_show(args) -> int:
    try:
        standard = lib.get_standard(args.standard, args.version)
    except (LookupError, lib.StandardFileError) as error:
        return _refuse(str(error))
    description = lib.describe(standard)
    if args.json:
        print(json.dumps(description, indent=2, ensure_ascii=False))
        return 0
    print(f"{standard.title}\nid {standard.id}, version {standard.version}\n")
    for category in standard.categories:
        print(f"Category {category.id}: {category.title} (maximum {category.max_points} points)")
        print(f"  published ranges: {_ranges(category.published_ranges)}")
        print(f"  derived ranges:   {_ranges(category.derived_ranges)}")
        for criterion in category.criteria:
            offered = ", ".join(f"{lv} ({lib.LEVEL_POINTS[lv]})" for lv in criterion.offered)
            print(f"    {criterion.id:<5} {offered}")
        print()
    disagreements = lib.range_disagreements(standard)
    for disagreement in disagreements:
        print(f"Ranges disagree: {disagreement.describe()}")
    if not disagreements:
        print("Derived and published ranges agree in every category.")
    return 0


def run_versions(_args) -> int:
    try:
        infos = lib.available_standards()
    except lib.StandardFileError as error:
        return _refuse(str(error))
    for info in infos:
        print(f"{info.id}\t{info.version}\t{info.path.name}\t{info.title}")
    return 0


def run_check(args) -> int:
    try:
        standard = lib.load_standard(args.file)
    except lib.StandardFileError as error:
        return _refuse(str(error))
    print(
        f"{args.file}: {standard.label}, {len(standard.categories)} categories, {len(standard.criteria)} criteria"
    )
    for disagreement in lib.range_disagreements(standard):
        print(f"Ranges disagree: {disagreement.describe()}")
    return 0


def run_score(args) -> int:
    try:
        result = lib.score_assessment_file(args.file)
    except lib.ResponseError as error:
        return _refuse(f"{args.file}: {error}")
    except lib.StandardFileError as error:
        return _refuse(str(error))
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return 0
    heading = f"{result.organisation}: " if result.organisation else ""
    print(f"{heading}{result.standard_id} {result.version}")
    for category in result.categories:
        print(
            f"  Category {category.id:<2} {category.title:<40} "
            f"{category.points:>3} of {category.max_points:<3} {lib.LEVEL_NAMES[category.level]}"
        )
    print(
        f"Overall: {result.points} of {result.max_points} points, "
        f"{lib.LEVEL_NAMES[result.level]} ({_ranges(result.ranges)})"
    )
    return 0
