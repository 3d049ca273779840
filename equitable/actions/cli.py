"""`equitable action-plan export|import` and `equitable board-report`.

    equitable action-plan export --data-dir DIR --organisation SLUG --out FILE.xlsx
    equitable action-plan import FILE.xlsx --data-dir DIR --organisation SLUG
    equitable board-report --data-dir DIR --organisation SLUG --quarter 2025Q1 --out FILE.pdf

Import is all or nothing, as on the web page: a workbook with problems prints every one (sheet,
row, column, value) and exits with 2, changing nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

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
    plan.set_defaults(func=lambda args: (plan.print_help(), 2)[1])

    report = subparsers.add_parser("board-report", help="the quarterly board report as PDF")
    add_data_dir(report)
    report.add_argument("--organisation", required=True, help="organisation slug")
    report.add_argument("--quarter", required=True, help="for example 2025Q1 (January to March)")
    report.add_argument("--out", required=True, help="the .pdf file to write")
    report.set_defaults(func=run_board_report)


def _organisation(args):
    from equitable.core.commands import _data_dir
    from equitable.core.runtime import migrate, setup_django

    setup_django(_data_dir(args))
    migrate()
    from equitable.core.models import Organisation

    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        print(f"No organisation with the slug {args.organisation!r}", file=sys.stderr)
    return organisation


def run_export(args) -> int:
    organisation = _organisation(args)
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
    organisation = _organisation(args)
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
    organisation = _organisation(args)
    if organisation is None:
        return 2
    from equitable.actions import services

    try:
        services.parse_quarter(args.quarter)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    Path(args.out).write_bytes(services.board_report_pdf(organisation, args.quarter.upper()))
    print(f"Wrote the {args.quarter.upper()} board report of {organisation.name} to {args.out}")
    return 0
