"""`equitable lifecycle-import FILE --organisation SLUG --kind KIND [--mapping JSON]`.

The same all-or-nothing import as the web pages, with the organisation's remembered column and
value mapping (a `--mapping` file adds to it: `{"columns": {"Their header": "canonical"},
"values": {"canonical": {"their value": "accepted value"}}}`). A file with problems prints
every one (row, column, value) and exits with 2; nothing is stored.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KINDS = ("applications", "application_counts", "cases", "leavers", "development")


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    importer = subparsers.add_parser(
        "lifecycle-import",
        help="import a lifecycle file (applications, counts, cases, leavers, development)",
    )
    importer.add_argument("file", help="CSV or Excel (.xlsx) file")
    add_data_dir(importer)
    importer.add_argument("--organisation", required=True, help="organisation slug")
    importer.add_argument("--kind", required=True, choices=KINDS, help="what the file holds")
    importer.add_argument(
        "--mapping",
        help='JSON file: {"columns": {header: canonical}, "values": {canonical: {value: '
        "accepted}}}",
    )
    importer.set_defaults(func=run_import)


def _read_mapping(path: str | None) -> tuple[dict | None, dict | None]:
    if path is None:
        return None, None
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("the mapping must be a JSON object with 'columns' and 'values'")
    columns, values = data.get("columns"), data.get("values")
    if columns is not None and not isinstance(columns, dict):
        raise ValueError("'columns' must map the file's headers to canonical columns")
    if values is not None and not isinstance(values, dict):
        raise ValueError("'values' must map canonical columns to {value: accepted value}")
    return columns, values


def run_import(args) -> int:
    from equitable.core.commands import organisation_from

    organisation = organisation_from(args)  # sets Django up: app modules are imported after it
    if organisation is None:
        return 2
    from equitable.lifecycle import imports

    try:
        columns, values = _read_mapping(args.mapping)
    except (OSError, ValueError) as error:  # json.JSONDecodeError is a ValueError
        print(f"The mapping could not be read: {error}", file=sys.stderr)
        return 2
    try:
        if columns is not None:  # headers not named keep the remembered or known matching
            headers = list(imports.read_upload(args.file).frame.columns)
            columns = {
                **imports.suggest_column_mapping(organisation, args.kind, headers),
                **columns,
            }
        outcome = imports.import_file(
            organisation, args.kind, args.file, column_mapping=columns, value_mapping=values
        )
    except (OSError, ValueError) as error:  # unreadable or unsafe file (ExtractReadError too)
        print(f"The file could not be read: {error}", file=sys.stderr)
        return 2
    if not outcome.ok:
        print(f"{len(outcome.problems)} problems; nothing was stored:", file=sys.stderr)
        for problem in outcome.problems:
            print(f"  {problem}", file=sys.stderr)
        for column, unplaced in outcome.unmapped_values.items():
            print(
                f"Values of {column} not recognised: {', '.join(map(repr, unplaced[:20]))}; "
                "map them with --mapping (they are then remembered).",
                file=sys.stderr,
            )
        return 2
    print(f"Stored {outcome.row_count:,} rows as the {args.kind} records of {organisation.name}")
    return 0
