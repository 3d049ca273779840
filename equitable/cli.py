"""The `equitable` console command.

Each capability contributes its own sub-commands: a module listed in COMMAND_MODULES defines
`register(subparsers)`, adding parsers whose `func(args) -> int` returns the exit status. Commands
that need the database call `equitable.core.runtime.setup_django(data_dir)` themselves, so that the
pure commands (`metrics`, `standard`) start fast and work with no database at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from equitable.actions import cli as actions_cli
from equitable.core import commands as core_commands
from equitable.incidents import cli as incidents_cli
from equitable.lifecycle import cli as lifecycle_cli
from equitable.mentoring import cli as mentoring_cli
from equitable.metrics import cli as metrics_cli
from equitable.metrics.eqia import cli as eqia_evidence_cli
from equitable.metrics.lifecycle import cli as lifecycle_figures_cli
from equitable.metrics.mentoring import cli as mentoring_match_cli
from equitable.metrics.programmes import cli as programme_figures_cli
from equitable.metrics.surveys import cli as survey_figures_cli
from equitable.metrics.training import cli as training_figures_cli
from equitable.publications import cli as publications_cli
from equitable.standard import cli as standard_cli
from equitable.surveys import cli as surveys_cli
from equitable.workforce import cli as workforce_cli

# Plain imports: every capability is part of the product, so a broken one fails at start-up.
COMMAND_MODULES = (
    core_commands,
    metrics_cli,
    lifecycle_figures_cli,
    eqia_evidence_cli,
    mentoring_match_cli,
    programme_figures_cli,
    survey_figures_cli,
    training_figures_cli,
    workforce_cli,
    standard_cli,
    surveys_cli,
    actions_cli,
    incidents_cli,
    lifecycle_cli,
    mentoring_cli,
    publications_cli,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="equitable",
        description="Equitable: race equality and EDI programme management.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
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
