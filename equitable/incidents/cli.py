"""`equitable incidents purge|rotate-key`: retention and key rotation from the command line."""

from __future__ import annotations

from datetime import date


def register(subparsers) -> None:
    from equitable.core.commands import add_data_dir

    incidents = subparsers.add_parser("incidents", help="anonymous incident reports")
    commands = incidents.add_subparsers(dest="incidents_command", metavar="ACTION", required=True)

    purge = commands.add_parser(
        "purge", help="delete closed reports past each organisation's retention period"
    )
    add_data_dir(purge)
    purge.add_argument("--today", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    purge.set_defaults(func=run_purge)

    rotate = commands.add_parser(
        "rotate-key", help="add a new encryption key and re-encrypt all report content with it"
    )
    add_data_dir(rotate)
    rotate.add_argument(
        "--retire-old", action="store_true", help="then remove older keys from the key file"
    )
    rotate.set_defaults(func=run_rotate)


def _setup(args) -> None:
    from equitable.core.commands import data_dir
    from equitable.core.runtime import setup_django

    setup_django(data_dir(args))


def run_purge(args) -> int:
    _setup(args)
    from equitable.incidents.services import purge_closed

    deleted = purge_closed(args.today)
    if not deleted:
        print("No closed reports are past their retention period.")
    for slug, count in deleted.items():
        print(f"{slug}: deleted {count} closed report(s); trend counts kept")
    return 0


def run_rotate(args) -> int:
    import os

    _setup(args)
    from equitable.incidents import keys
    from equitable.incidents.services import rotate_encryption

    if os.environ.get(keys.ENV_NAME, "").strip():
        print(
            f"Keys come from {keys.ENV_NAME}: put a new key first there, then run this again "
            "to re-encrypt; remove the old key afterwards."
        )
        print(f"Re-encrypted {rotate_encryption()} value(s) under the first key.")
        return 0
    keys.add_new_key()
    rewritten = rotate_encryption()
    print(f"New key added; re-encrypted {rewritten} value(s).")
    if args.retire_old:
        keys.retire_old_keys()
        print("Older keys removed from the key file.")
    return 0
