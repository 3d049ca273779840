"""Core sub-commands: `demo`, `serve`, `worker`, `migrate`, `backup`, `restore`, `manage`."""

from __future__ import annotations

import argparse
import sys

DEFAULT_DATA_DIR = "var"


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        default=None,
        help="folder holding the database, keys, uploads and logs (default: EQUITABLE_DATA_DIR or ./var)",
    )


def add_debug(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug",
        action="store_true",
        help="for developers: Django's debug pages (off otherwise, as in production)",
    )


def _developer_mode(args) -> None:
    """DEBUG stays off (the settings' default) unless the developer asks, here or through
    EQUITABLE_DEBUG: what the demo shows is what a council will get."""
    import os

    if args.debug:
        os.environ["EQUITABLE_DEBUG"] = "true"


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo", help="set up the demo council and serve it")
    add_data_dir(demo)
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--setup-only", action="store_true", help="prepare DATA_DIR without serving")
    demo.add_argument("--employees", type=int, default=2000, help="demo workforce size")
    add_debug(demo)
    demo.set_defaults(func=run_demo)

    serve = subparsers.add_parser("serve", help="serve an installation (waitress)")
    add_data_dir(serve)
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--threads", type=int, default=8)
    add_debug(serve)
    serve.set_defaults(func=run_serve)

    migrate = subparsers.add_parser("migrate", help="create or update the database")
    add_data_dir(migrate)
    migrate.set_defaults(func=run_migrate)

    worker = subparsers.add_parser(
        "worker", help="serve the job queue (EQUITABLE_JOBS=queue): imports off the web processes"
    )
    add_data_dir(worker)
    worker.add_argument(
        "--burst", action="store_true", help="stop when the queue is empty (for scripts and tests)"
    )
    worker.set_defaults(func=run_worker)

    backup = subparsers.add_parser(
        "backup",
        help="write the database, keys (encrypted with a passphrase) and uploads to one file",
    )
    add_data_dir(backup)
    backup.add_argument("--out", required=True, help="the archive to write (.tar.gz)")
    _add_passphrase(backup)
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore", help="restore a backup into a new data directory (and database)"
    )
    add_data_dir(restore)
    restore.add_argument("archive", help="the file `equitable backup` wrote")
    restore.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the keys and every record already in the data directory and database",
    )
    _add_passphrase(restore)
    restore.set_defaults(func=run_restore)

    manage = subparsers.add_parser("manage", help="run a Django management command")
    add_data_dir(manage)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def data_dir(args) -> str:
    """The data directory a command works in: --data-dir, else EQUITABLE_DATA_DIR, else ./var."""
    import os

    return args.data_dir or os.environ.get("EQUITABLE_DATA_DIR") or DEFAULT_DATA_DIR


def open_database(args) -> None:
    """Set Django up on the command's data directory and bring its database up to date."""
    from equitable.core.runtime import migrate, setup_django

    setup_django(data_dir(args))
    migrate()


def organisation_from(args):
    """The organisation named by --organisation, with the database open; None (and a line on
    stderr) when there is no such organisation, for the command to exit 2."""
    open_database(args)
    from equitable.core.models import Organisation

    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        print(f"No organisation with the slug {args.organisation!r}", file=sys.stderr)
    return organisation


def _add_passphrase(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        help="file whose first line is the passphrase (else EQUITABLE_BACKUP_PASSPHRASE, "
        "else asked for)",
    )


def _passphrase(args, *, confirm: bool) -> str:
    import getpass
    import os
    from pathlib import Path

    if args.passphrase_file:
        lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
        return lines[0] if lines else ""
    if os.environ.get("EQUITABLE_BACKUP_PASSPHRASE"):
        return os.environ["EQUITABLE_BACKUP_PASSPHRASE"]
    first = getpass.getpass("Passphrase for the keys: ")
    if confirm and getpass.getpass("Again: ") != first:
        raise SystemExit("equitable: the two passphrases differ")
    return first


def run_worker(args) -> int:
    from equitable.core.runtime import migrate, setup_django

    setup_django(data_dir(args))
    from equitable.core import jobs

    if not jobs.uses_queue():
        print(
            "equitable worker: set EQUITABLE_JOBS=queue and EQUITABLE_REDIS_URL (the web "
            "processes run imports in threads otherwise)",
            file=sys.stderr,
        )
        return 2
    migrate(verbosity=0)
    return jobs.run_worker(burst=args.burst)


def run_backup(args) -> int:
    from pathlib import Path

    from equitable.core.backup import BackupError, check_passphrase, create_backup
    from equitable.core.runtime import setup_django

    try:
        passphrase = check_passphrase(_passphrase(args, confirm=True))
        setup_django(data_dir(args))
        manifest = create_backup(Path(args.out), passphrase)
    except BackupError as error:
        print(f"equitable backup: {error}", file=sys.stderr)
        return 2
    note = (
        " The incident keys come from EQUITABLE_INCIDENT_KEYS and are not in the archive: "
        "keep them with it."
        if manifest["incident_keys_from_environment"]
        else ""
    )
    print(f"Wrote {args.out} ({manifest['uploads']} uploaded files).{note}")
    return 0


def run_restore(args) -> int:
    from pathlib import Path

    from equitable.core.backup import BackupError, load_database, unpack_files
    from equitable.core.runtime import migrate, setup_django

    target = Path(data_dir(args)).expanduser().resolve()
    try:
        unpack_files(
            Path(args.archive), target, _passphrase(args, confirm=False), overwrite=args.overwrite
        )
        setup_django(target)
        migrate(verbosity=0)
        restored = load_database(Path(args.archive), overwrite=args.overwrite)
    except BackupError as error:
        print(f"equitable restore: {error}", file=sys.stderr)
        return 2
    print(
        f"Restored {restored.objects:,} records ({restored.organisations} organisations) "
        f"into {target}."
    )
    return 0


def run_migrate(args) -> int:
    from equitable.core.runtime import migrate, setup_django

    setup_django(data_dir(args))
    migrate(verbosity=1)
    return 0


def run_manage(args) -> int:
    from equitable.core.runtime import setup_django

    setup_django(data_dir(args))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["equitable manage", *args.args])
    return 0


def run_demo(args) -> int:
    from equitable.core.runtime import (
        collect_static,
        migrate,
        recover_interrupted_work,
        setup_django,
    )

    _developer_mode(args)
    setup_django(data_dir(args))
    print("Preparing the demo council…", flush=True)
    migrate()
    collect_static()
    recover_interrupted_work()
    from equitable.core.demo import DEMO_PASSWORD, load_demo

    users = load_demo(
        employees=args.employees, progress=lambda text: print("  " + text, flush=True)
    )
    from equitable.core import warmup

    print("  Computing and protecting every figure once…", flush=True)
    warmup.warm_everything()
    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for username, role in users:
        print(f"  {username:<22} {role}")
    if args.setup_only:
        print(f"\nData directory ready: {data_dir(args)}")
        return 0
    return _serve(args.host, args.port, threads=8)


def run_serve(args) -> int:
    from equitable.core.runtime import (
        collect_static,
        migrate,
        recover_interrupted_work,
        setup_django,
    )

    _developer_mode(args)
    setup_django(data_dir(args))
    migrate()
    collect_static()
    recover_interrupted_work()
    return _serve(args.host, args.port, threads=args.threads)


def _serve(host: str, port: int, *, threads: int) -> int:
    """Serve with waitress as configured in equitable.core.server (proxy, in-memory bodies)."""
    from equitable.core import warmup
    from equitable.core.server import create
    from equitable.wsgi import application

    warmup.start_serving()
    server = create(application, host=host, port=port, threads=threads)
    print(f"\nEquitable is running on http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        sys.stderr.write("Stopped.\n")
    return 0
