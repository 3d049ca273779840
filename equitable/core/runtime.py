"""Start Django from the command line against a chosen data directory."""

from __future__ import annotations

import os
from pathlib import Path


def setup_django(data_dir: str | Path | None = None) -> None:
    """Point settings at DATA_DIR (database, keys, uploads, logs) and start Django.

    Must run before anything imports models; commands call it first.
    """
    if data_dir is not None:
        path = Path(data_dir).expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        os.environ["EQUITABLE_DATA_DIR"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitable.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def recover_interrupted_work() -> None:
    """Clear up after a server that was killed: run at every start, before serving.

    Import jobs it was checking or storing can never finish (their thread died with it): they
    are marked failed, with a message, and the HR extracts they held are deleted, as are upload
    files that no job holds any more.
    """
    from equitable.workforce.services import fail_interrupted_jobs

    fail_interrupted_jobs()
