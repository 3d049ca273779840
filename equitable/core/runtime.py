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
