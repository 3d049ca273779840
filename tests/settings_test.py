"""Settings for the test suite: the real settings with a throw-away data directory.

Each pytest-xdist worker imports this separately and so gets its own data directory.
"""

import os
import tempfile

os.environ.setdefault("EQUITABLE_DATA_DIR", tempfile.mkdtemp(prefix="equitable-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from equitable.settings import *  # noqa: E402,F403

# Argon2 is what production uses (tests/core/test_settings.py checks it); the suite signs in
# hundreds of times, so it uses a fast hasher here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
