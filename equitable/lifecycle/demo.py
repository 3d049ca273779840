"""Demo lifecycle records: three financial years of recruitment applications (with a
shortlisting-to-appointment disparity), casework, non-mandatory training and the leavers
between the workforce demo's snapshots, made by `metrics.lifecycle.synthetic` from the stored
snapshots so that the records tell the snapshots' story (appointees are the starters and the
promoted, leavers are the people who left).

Each file goes through the same validation as an upload (`records.validate_records` with the
file's own spec) before it is stored, so the demo cannot hold what an import would refuse.
The generated files name people by the snapshots' keyed hashes (`employee_key`), which the
validator would hash again; the validated frame's keys are therefore set back to those
hashes, row for row (validation keeps the file's row order).
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable

import polars as pl

from equitable.core.models import Organisation
from equitable.lifecycle import services
from equitable.metrics.lifecycle import casework, development, movements, recruitment, synthetic
from equitable.metrics.lifecycle.records import validate_records
from equitable.workforce import services as workforce

SPECS = {
    "applications": recruitment.APPLICATIONS,
    "cases": casework.CASES,
    "leavers": movements.LEAVERS,
    "development": development.DEVELOPMENT,
}


def _seed(organisation: Organisation) -> int:
    return zlib.crc32(f"lifecycle:{organisation.slug}".encode()) % 100_000


def validated(kind: str, generated: pl.DataFrame) -> pl.DataFrame:
    """The generated file validated as an upload would be, keyed by the snapshots' hashes."""
    result = validate_records(generated, SPECS[kind], id_key=secrets.token_bytes(32))
    if not result.ok or result.frame is None:
        raise RuntimeError(f"demo {kind} failed validation: {result.problems[:3]}")
    frame = result.frame
    if "employee_id" in generated.columns:
        frame = frame.with_columns(generated["employee_id"].alias("employee_key"))
    return frame


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Store the four demo record sets (once per organisation; needs the workforce demo's
    snapshots): the records follow the snapshots, whatever the workforce demo's size."""
    if services.record_sets(organisation):
        return
    snapshots = workforce.snapshot_frames(organisation)
    if not snapshots:
        return
    records = synthetic.generate_lifecycle(snapshots, _seed(organisation))
    for kind in SPECS:
        frame = validated(kind, getattr(records, kind))
        services.store_records(organisation, kind, frame, user=None, source_filename=f"demo {kind}")
    progress(
        f"{organisation.name}: {records.applications.height:,} applications, "
        f"{records.cases.height:,} cases, {records.leavers.height:,} leavers, "
        f"{records.development.height:,} development records"
    )
