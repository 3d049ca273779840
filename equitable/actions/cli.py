"""`equitable action-plan export|import` and `equitable board-report`.

    equitable action-plan export --data-dir DIR --organisation SLUG --out FILE.xlsx
    equitable action-plan import FILE.xlsx --data-dir DIR --organisation SLUG
    equitable board-report --data-dir DIR --organisation SLUG --quarter 2025Q1 --out FILE.pdf
    equitable remind --data-dir DIR [--organisation SLUG] [--days 14] [--dry-run]

Import is all or nothing, as on the web page: a workbook with problems prints every one (sheet,
row, column, value) and exits with 2, changing nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from equitable.core.commands import add_data_dir, open_database, organisation_from


def register(subparsers) -> None:
    plan = subparsers.add_parser(
        "action-plan", help="export or import the action plans and register"
    )
    commands = plan.add_subparsers(dest="action_plan_command", metavar="ACTION")
    export = commands.add_parser("export", help="write every plan and the register to a workbook")
    add_data_dir(export)
    export.add_argument("--organisation", required=True, help="organisation slug")
    export.add_argument("--out", required=True, help="the .xlsx file to write")
    export.set_defaults(func=run_export)
    importer = commands.add_parser("import", help="read a workbook in the exported layout")
    importer.add_argument("file", nargs="?", help="the .xlsx workbook")
    importer.add_argument("--file", dest="file_option", help="the .xlsx workbook (alternative)")
    add_data_dir(importer)
    importer.add_argument("--organisation", required=True, help="organisation slug")
    importer.set_defaults(func=run_import)
    plan.set_defaults(func=lambda _args: (plan.print_help(), 2)[1])

    report = subparsers.add_parser("board-report", help="the quarterly board report as PDF")
    add_data_dir(report)
    report.add_argument("--organisation", required=True, help="organisation slug")
    report.add_argument("--quarter", required=True, help="for example 2025Q1 (January to March)")
    report.add_argument("--out", required=True, help="the .pdf file to write")
    report.set_defaults(func=run_board_report)

    remind = subparsers.add_parser(
        "remind",
        help="e-mail action owners about actions due soon and overdue (run daily)",
        description="E-mail each action owner (the action's owner account) the actions due "
        "within --days days and those overdue. Safe to run more than once a day: a reminder "
        "already sent today is not sent again.",
    )
    add_data_dir(remind)
    remind.add_argument(
        "--organisation", help="organisation slug (default: every organisation)", default=None
    )
    remind.add_argument(
        "--days", type=int, default=14, help="remind of actions due within this many days (14)"
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="say what would be sent; send and record nothing"
    )
    remind.add_argument(
        "--on-queue",
        action="store_true",
        help="leave the sending to the job queue's workers (EQUITABLE_JOBS=queue), retried "
        "if a worker stops",
    )
    remind.set_defaults(func=run_remind)


def run_export(args) -> int:
    organisation = organisation_from(args)
    if organisation is None:
        return 2
    from equitable.actions import services
    from equitable.core import audit

    content = services.export_workbook(organisation)
    Path(args.out).write_bytes(content)
    audit.record(
        None, "export", "action_plan", "", "workbook (command line)", organisation=organisation
    )
    print(f"Wrote the action plans and register of {organisation.name} to {args.out}")
    return 0


def run_import(args) -> int:
    path = args.file or args.file_option
    if not path:
        print("Give the workbook to import", file=sys.stderr)
        return 2
    organisation = organisation_from(args)
    if organisation is None:
        return 2
    from equitable.actions import services, spreadsheet
    from equitable.core import audit

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        print(f"The file could not be read: {error}", file=sys.stderr)
        return 2
    try:
        book = services.read_upload(organisation, data)
    except spreadsheet.WorkbookRefused as refused:
        print(f"{len(refused.problems)} problems; nothing was changed:", file=sys.stderr)
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    summary = services.apply_workbook(organisation, book)
    audit.record(
        None, "import", "action_plan", "", "; ".join(summary.lines()), organisation=organisation
    )
    for line in summary.lines():
        print(line)
    return 0


def run_board_report(args) -> int:
    organisation = organisation_from(args)
    if organisation is None:
        return 2
    from equitable.actions import board_reports, services

    try:
        services.parse_quarter(args.quarter)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    # The quarter's draft with its key messages, marked DRAFT (an issued one is in the app).
    Path(args.out).write_bytes(board_reports.draft_pdf(organisation, args.quarter.upper()))
    print(f"Wrote the {args.quarter.upper()} board report of {organisation.name} to {args.out}")
    return 0


MAX_REMINDER_DAYS = 366  # the same bound as reminders.MAX_DAYS (imported only after set-up)


def run_remind(args) -> int:
    """Exit 0 when every reminder went (or none was due), 1 when an e-mail failed (the next
    run tries it again), 2 for a bad argument."""
    if not 0 <= args.days <= MAX_REMINDER_DAYS:
        print(f"--days must be from 0 to {MAX_REMINDER_DAYS}", file=sys.stderr)
        return 2
    if args.organisation:
        organisation = organisation_from(args)
        if organisation is None:
            return 2
        organisations = [organisation]
    else:
        open_database(args)
        from equitable.core.models import Organisation

        organisations = list(Organisation.objects.order_by("slug"))
    from equitable.actions import reminders

    if args.on_queue:
        from equitable.core import jobs

        if not jobs.uses_queue():
            print("--on-queue needs EQUITABLE_JOBS=queue (and a worker)", file=sys.stderr)
            return 2
        for organisation in organisations:
            jobs.submit("reminders.send", organisation.pk, args.days, background=True)
        print(f"Reminders of {len(organisations)} organisations put on the job queue")
        return 0
    failed = False
    for organisation in organisations:
        lines, failed_here = reminders.send_every_reminder(
            organisation, days=args.days, dry_run=args.dry_run
        )
        for line in lines:
            print(line)
        failed = failed or failed_here
    if args.dry_run:
        print("Dry run: nothing was sent or recorded")
    return 1 if failed else 0
