"""`equitable mentoring-purge`: delete mentoring names and e-mails past their retention period.

Run it daily beside `equitable incidents purge` (docs/operations.md). A person's name, work
e-mail, line chain e-mails and characteristics are deleted at once when they leave a scheme; this
removes them for people whose last pair ended more than the scheme's retention period ago.
"""

from __future__ import annotations

from datetime import date


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    purge = subparsers.add_parser(
        "mentoring-purge",
        help="delete mentoring names and e-mails past each scheme's retention period",
    )
    add_data_dir(purge)
    purge.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    purge.set_defaults(func=run_purge)


def run_purge(args) -> int:
    from equitable.core.commands import open_database

    open_database(args)
    from equitable.mentoring.services import purge_expired

    count = purge_expired(args.today)
    print(f"Deleted the names and e-mails of {count} mentoring participant(s).")
    return 0
