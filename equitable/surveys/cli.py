"""`equitable survey-import FILE --organisation SLUG --title T --kind KIND --month YYYY-MM`.

The same all-or-nothing import as the web pages: the organisation's remembered mapping (or the
suggested one, or `--mapping MAP.json`, a `SurveyMapping` as JSON, as `equitable survey` takes),
the responses encrypted, the questions linked to the question bank, the survey measures of the
action plans recomputed. A file with problems prints every one (row, column, value) and exits
with 2; nothing is stored. `--previous TITLE` names the wave this one follows.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

KINDS = ("race", "pulse", "annual", "other")


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    importer = subparsers.add_parser(
        "survey-import", help="import a staff survey export into an organisation"
    )
    importer.add_argument("file", type=Path, help="the tool's export: CSV or Excel (.xlsx)")
    add_data_dir(importer)
    importer.add_argument("--organisation", required=True, help="organisation slug")
    importer.add_argument("--title", required=True, help='for example "Race Survey 2022"')
    importer.add_argument("--kind", required=True, choices=KINDS, help="what kind of survey")
    importer.add_argument("--month", required=True, help="fieldwork month, YYYY-MM")
    importer.add_argument("--mapping", type=Path, metavar="MAP.json", help="column mapping")
    importer.add_argument("--previous", metavar="TITLE", help="the wave this one follows")
    importer.add_argument("--invited", type=int, help="how many staff were invited")
    importer.set_defaults(func=run_import)


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as error:
        raise ValueError(f"--month {text!r} is not a month like 2022-11") from error


def _mapping(path: Path | None):
    from equitable.metrics.surveys.model import SurveyMapping

    if path is None:
        return None
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(data, dict) or not isinstance(data.get("columns", []), list):
        raise ValueError('a mapping is an object with a "columns" list')
    return SurveyMapping.from_json(data)


def run_import(args) -> int:
    from equitable.core.commands import organisation_from

    organisation = organisation_from(args)  # sets Django up: app modules are imported after it
    if organisation is None:
        return 2
    from equitable.files.limits import UnsafeFile
    from equitable.metrics.surveys.model import SurveyFileError
    from equitable.surveys import imports
    from equitable.surveys.models import Survey

    previous = None
    if args.previous:
        previous = Survey.objects.filter(organisation=organisation, title=args.previous).first()
        if previous is None:
            print(f"{organisation.name} has no survey titled {args.previous!r}", file=sys.stderr)
            return 2
    try:
        month = _month(args.month)
        chosen = _mapping(args.mapping)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"The month or the mapping could not be read: {error}", file=sys.stderr)
        return 2
    try:
        survey = imports.import_export(
            organisation,
            args.file.read_bytes(),
            args.file.name,
            title=args.title,
            kind=args.kind,
            fieldwork_month=month,
            user=None,
            chosen=chosen,
            previous=previous,
            invited=args.invited,
        )
    except SurveyFileError as error:
        print(f"{len(error.problems)} problems; nothing was stored:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (OSError, UnsafeFile) as error:
        print(f"The file could not be read: {error}", file=sys.stderr)
        return 2
    print(
        f"Stored {survey.respondent_count:,} responses as {survey.title!r} of "
        f"{organisation.name}; confirm the suggested question links on the question bank page"
    )
    return 0
