"""Secret files kept in the data directory: the Django secret key, the employee-id hash key and
the incident encryption key, all created the same way.

Why one function: each was written its own way, and one briefly left a key readable by others
(written, then `chmod`). Here the file is written under a temporary name that only its owner
can read (`mkstemp` creates it 0600, in a 0700 folder) and linked into place, so nobody ever
reads a half-written or world-readable key, and two processes starting at once end up with the
same key: the second link fails and both read the first.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def ensure_secret_file(path: Path, make: Callable[[], str]) -> str:
    """The file's contents (stripped), creating it with `make()` first if it does not exist.

    An existing file is never overwritten."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(make() + "\n")
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="utf-8").strip()
