"""Settings for the test suite: the real settings with a throw-away data directory.

Each pytest-xdist worker gets its own data directory. The controller process imports these
settings too and its environment is inherited by the workers, so a worker always makes a fresh
one rather than reusing an inherited EQUITABLE_DATA_DIR: otherwise one worker rotating the
incident key (tests/incidents/test_keys.py) changed the key under another worker mid-test.
"""

import os
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["EQUITABLE_DATA_DIR"] = tempfile.mkdtemp(prefix=f"equitable-test-{_worker}-")
else:
    os.environ.setdefault("EQUITABLE_DATA_DIR", tempfile.mkdtemp(prefix="equitable-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from equitable.settings import *  # noqa: E402,F403

# Argon2 is what production uses (tests/core/test_settings.py checks it); the suite signs in
# hundreds of times, so it uses a fast hasher here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Warming figures after every change would start a background thread in most tests;
# tests/core/test_warmup.py turns it on where it is the subject.
EQUITABLE_WARM_FIGURES = False

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
