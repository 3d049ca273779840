"""Core sub-commands: `demo`, `migrate`, `manage` (Django's own), `create-user`."""

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

    manage = subparsers.add_parser("manage", help="run a Django management command")
    add_data_dir(manage)
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(func=run_manage)


def _data_dir(args) -> str | None:
    import os

    return args.data_dir or os.environ.get("EQUITABLE_DATA_DIR") or DEFAULT_DATA_DIR


def run_migrate(args) -> int:
    from equitable.core.runtime import migrate, setup_django

    setup_django(_data_dir(args))
    migrate(verbosity=1)
    return 0


def run_manage(args) -> int:
    from equitable.core.runtime import setup_django

    setup_django(_data_dir(args))
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
    setup_django(_data_dir(args))
    print("Preparing the demo council…", flush=True)
    migrate()
    collect_static()
    recover_interrupted_work()
    from equitable.core.demo import DEMO_PASSWORD, load_demo

    users = load_demo(
        employees=args.employees, progress=lambda text: print("  " + text, flush=True)
    )
    print(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
    for username, role in users:
        print(f"  {username:<22} {role}")
    if args.setup_only:
        print(f"\nData directory ready: {_data_dir(args)}")
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
    setup_django(_data_dir(args))
    migrate()
    collect_static()
    recover_interrupted_work()
    return _serve(args.host, args.port, threads=args.threads)


def _serve(host: str, port: int, *, threads: int) -> int:
    """Serve with waitress as configured in equitable.core.server (proxy, in-memory bodies)."""
    from equitable.core.server import create
    from equitable.wsgi import application

    server = create(application, host=host, port=port, threads=threads)
    print(f"\nEquitable is running on http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        sys.stderr.write("Stopped.\n")
    return 0
