"""Server time of each dashboard page, in the process (Django's test client, no network):
what one request costs the server once the figures are stored, the median of repeated
requests per page and persona. Prints one JSON object.

    .venv/bin/python benchmarks/load/server_time.py DATA_DIR
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.load.runner import PAGES, PERSONAS  # noqa: E402

REPEATS = 15


def main(data_dir: str) -> int:
    from equitable.core.runtime import setup_django

    setup_django(data_dir)
    from django.conf import settings
    from django.test import Client

    from equitable.core.models import User

    settings.ALLOWED_HOSTS = ["*"]
    result: dict[str, dict[str, float]] = {}
    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for path in PAGES:
            if client.get(path).status_code != 200:  # first: draws what is not kept yet
                continue
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            result.setdefault(path, {})[username] = round(statistics.median(times), 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
