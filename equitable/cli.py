"""The `equitable` console command.

Each capability contributes its own sub-commands: a module listed in COMMAND_MODULES defines
`register(subparsers)`, adding parsers whose `func(args) -> int` returns the exit status. Commands
that need the database call `equitable.core.runtime.setup_django(data_dir)` themselves, so that the
pure commands (`metrics`, `standard`) start fast and work with no database at all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "equitable.core.commands",
    "equitable.metrics.cli",
    "equitable.workforce.cli",
    "equitable.standard.cli",
    "equitable.actions.cli",
    "equitable.incidents.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equitable",
        description="Equitable: race equality and EDI programme management.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue  # capability not installed in this build
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
