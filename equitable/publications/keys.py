"""The release key of a snapshot: 32 secret bytes drawn once per (organisation, snapshot date),
the same for every publication and every version of that snapshot.

Stored as the employee-id hash key is, as a file readable by its owner only in the data
directory's `keys/` (so `equitable backup` seals it with the other keys, and a copy of the
database alone does not hold it): `keys/release/<organisation id>-<snapshot date>.key`.
Why the same key for every publication of a snapshot: the release library draws its
perturbation from it, so republishing (a correction, the open data after the report) gives
the same figures again and averaging repeated releases gains nothing.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from django.conf import settings

from equitable.core.models import Organisation
from equitable.metrics.publication.release import new_release_key


def _directory() -> Path:
    return Path(settings.EQUITABLE_ID_HASH_KEY_FILE).parent / "release"


def key_path(organisation: Organisation, snapshot_date: date) -> Path:
    return _directory() / f"{organisation.pk}-{snapshot_date.isoformat()}.key"


def release_key(organisation: Organisation, snapshot_date: date) -> bytes:
    """The snapshot's key, drawn and kept on first use (two processes racing: one wins, the
    other reads the winner's)."""
    path = key_path(organisation, snapshot_date)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(new_release_key().hex())
    return bytes.fromhex(path.read_text().strip())
