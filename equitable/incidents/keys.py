"""Where the incident encryption keys come from (the thin, Django-aware side of crypto.py).

Order: the environment variable `EQUITABLE_INCIDENT_KEYS` (comma-separated, newest first: for a
secret store or a key kept off the server's disk), else the key file
`<EQUITABLE_DATA_DIR>/keys/incident.key` (one key a line, newest first), created with mode 0600
the first time it is needed or by `equitable migrate`. The key is never in the database.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from equitable.files.key_files import ensure_secret_file
from equitable.incidents.crypto import Cipher, generate_key, parse_keys

ENV_NAME = "EQUITABLE_INCIDENT_KEYS"
_lock = threading.Lock()
_cache: dict[tuple, Cipher] = {}


def key_file() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "keys" / "incident.key"


def ensure_key_file(path: Path | None = None) -> Path:
    """Create the key file (0600, in a 0700 folder) if missing; never overwrite one
    (`files.key_files.ensure_secret_file`)."""
    path = path or key_file()
    ensure_secret_file(path, generate_key)
    return path


def configured_keys() -> list[str]:
    from_env = os.environ.get(ENV_NAME, "")
    if from_env.strip():
        return parse_keys(from_env)
    return parse_keys(ensure_key_file().read_text())


def cipher() -> Cipher:
    keys = tuple(configured_keys())
    with _lock:
        if keys not in _cache:
            _cache.clear()
            _cache[keys] = Cipher(list(keys))
        return _cache[keys]


def add_new_key(path: Path | None = None) -> Path:
    """Put a new key first in the key file (older keys stay, to decrypt old content)."""
    path = ensure_key_file(path)
    keys = parse_keys(path.read_text())
    temporary = path.with_suffix(".new")
    temporary.write_text("\n".join([generate_key(), *keys]) + "\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path


def retire_old_keys(path: Path | None = None) -> Path:
    """Keep only the newest key (after `rotate` has re-encrypted everything)."""
    path = path or key_file()
    keys = parse_keys(path.read_text())
    temporary = path.with_suffix(".new")
    temporary.write_text(keys[0] + "\n")
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return path
