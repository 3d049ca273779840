"""`equitable workforce import FILE --organisation SLUG --snapshot-date D [--replace]
[--decimal-comma] [--confirm-pay] [--accept-unrelated]`.

The same all-or-nothing import as the web pages, with the organisation's remembered column and
value mapping. A file with problems prints every one (row, column, value) and exits with 2; so
does an extract that looks unrelated to the snapshot before it (`metrics.continuity`), unless
--accept-unrelated is given after checking it.
"""

from __future__ import annotations

import sys
from datetime import date


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    workforce = subparsers.add_parser("workforce", help="workforce snapshots (HR extracts)")
    commands = workforce.add_subparsers(dest="workforce_command", metavar="ACTION")
    importer = commands.add_parser("import", help="import an HR extract as a dated snapshot")
    importer.add_argument("file", help="CSV or Excel (.xlsx) extract, one row per employee")
    add_data_dir(importer)
    importer.add_argument("--organisation", required=True, help="organisation slug")
    importer.add_argument(
        "--snapshot-date", required=True, type=date.fromisoformat, help="YYYY-MM-DD"
    )
    importer.add_argument(
        "--replace", action="store_true", help="replace an existing snapshot of that date"
    )
    importer.add_argument(
        "--decimal-comma",
        action="store_true",
        help="the file writes decimals with a comma (12,50 for 12.50; 1.250,00 for 1,250.00)",
    )
    importer.add_argument(
        "--confirm-pay",
        action="store_true",
        help="after checking them: accept the hourly rates flagged as below the legal minimum "
        "or far from the rest of the file",
    )
    importer.add_argument(
        "--accept-unrelated",
        action="store_true",
        help="after checking it: store an extract that looks unrelated to the snapshot before "
        "it (under 50%% of its ids seen before, or the headcount changing by over 30%%)",
    )
    importer.set_defaults(func=run_import)
    workforce.set_defaults(func=lambda _args: (workforce.print_help(), 2)[1])


def run_import(args) -> int:
    from equitable.core.commands import organisation_from

    organisation = organisation_from(args)  # sets Django up: app modules are imported after it
    if organisation is None:
        return 2
    from equitable.workforce import services, snapshots

    try:
        outcome = services.import_file(
            organisation,
            args.file,
            snapshot_date=args.snapshot_date,
            replace=args.replace,
            progress=lambda percent, stage: print(f"{percent:3d}% {stage}", file=sys.stderr),
            decimal_comma=args.decimal_comma,
            confirm_pay=args.confirm_pay,
            describe=lambda lines: print("\n".join(lines), file=sys.stderr),
            before_storing=snapshots.continuity_gate(
                organisation,
                args.snapshot_date,
                accept=args.accept_unrelated,
                report=lambda line: print(line, file=sys.stderr),
            ),
        )
    except snapshots.LooksUnrelated as unrelated:
        print(
            f"Nothing was stored: the extract looks unrelated to the snapshot of "
            f"{unrelated.compared_with}: {'; '.join(unrelated.reasons)}. Check the file; if "
            "the change is real, run again with --accept-unrelated",
            file=sys.stderr,
        )
        return 2
    except services.SnapshotExists:
        print(
            f"A snapshot of {args.snapshot_date} exists; add --replace to replace it",
            file=sys.stderr,
        )
        return 2
    except (OSError, ValueError) as error:
        print(f"The file could not be read: {error}", file=sys.stderr)
        return 2
    for note in outcome.notes:
        print(f"Read this way: {note}", file=sys.stderr)
    if not outcome.ok:
        print(f"{len(outcome.problems)} problems; nothing was stored:", file=sys.stderr)
        for problem in outcome.problems:
            print(f"  {problem}", file=sys.stderr)
        from equitable.metrics import extract

        if outcome.unmapped_values:
            from equitable.metrics.extract import unplaced_value_lines

            lines = unplaced_value_lines(
                outcome.unmapped_values, outcome.suggestions, outcome.unmapped_counts
            )
            print("\n".join(["", *lines]), file=sys.stderr)
            print(
                "Match them on the import's “match the values” page (they are remembered).",
                file=sys.stderr,
            )
        if any(problem.confirmable for problem in outcome.problems):
            print(extract.CONFIRM_PAY_HINT, file=sys.stderr)
        return 2
    print(
        f"Stored {outcome.row_count:,} rows as the snapshot of {args.snapshot_date} "
        f"for {organisation.name}"
    )
    return 0
