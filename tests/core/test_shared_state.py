"""With EQUITABLE_REDIS_URL, what several web processes must agree on lives in Redis: sign-in
throttling and cached figures (Django's cache) and the reporting channel's rate limit. Each
process here is a real, separate Python process with the installation's settings."""

import json
import os
import subprocess
import sys
import textwrap

from tests.redis_support import redis_port, redis_url  # noqa: F401

STEP = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from equitable.core import auth
    from equitable.incidents import anonymity
    key = "address:someone:somewhere"
    if sys.argv[1] == "fail":
        for _ in range(4):
            auth._count_failure(key)
    limiter = anonymity.LIMITERS["submit"]
    print(json.dumps({
        "cache": settings.CACHES["default"]["BACKEND"],
        "failures": auth._failures(key)[0],
        "limiter": type(limiter).__name__,
        "allowed": limiter.allow("198.51.100.4"),
    }))
    """
)


def _process(tmp_path, redis: str, step: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EQUITABLE_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
        "EQUITABLE_DATA_DIR": str(tmp_path),
        "EQUITABLE_REDIS_URL": redis,
        "EQUITABLE_REPORT_RATE_LIMIT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", STEP, step], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_processes_share_throttling_and_the_report_limit(tmp_path, redis_url):  # noqa: F811
    first = _process(tmp_path, redis_url, "fail")
    second = _process(tmp_path, redis_url, "read")
    assert first["cache"] == second["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert first["limiter"] == "RedisWindowLimiter"
    assert (first["failures"], second["failures"]) == (4, 4)
    # A limit of one report a minute per client: the second process refuses the same client.
    assert (first["allowed"], second["allowed"]) == (True, False)


def test_a_redis_url_that_is_not_one_stops_the_start_up(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EQUITABLE_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
        "EQUITABLE_DATA_DIR": str(tmp_path),
        "EQUITABLE_REDIS_URL": "127.0.0.1:6379",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "EQUITABLE_REDIS_URL must start with redis://" in done.stderr
