"""Demo training records and recruitment panel list, made by `metrics.training.synthetic` from
the stored workforce snapshots (so the records tell the snapshots' story), validated as an
upload would be, and stored. The generated files name people by the snapshots' keyed hashes,
which validation would hash again; the validated frames' keys are set back to those hashes,
row for row (validation keeps the file's row order), as the lifecycle demo does."""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Callable

import polars as pl

from equitable.core.models import Organisation
from equitable.metrics.lifecycle.records import RecordSpec, validate_records
from equitable.metrics.training.records import PANEL, TRAINING
from equitable.metrics.training.synthetic import generate_training
from equitable.training import storage
from equitable.training.models import Kind
from equitable.workforce import services as workforce


def _validated(spec: RecordSpec, generated: pl.DataFrame) -> pl.DataFrame:
    result = validate_records(generated, spec, id_key=secrets.token_bytes(32))
    if not result.ok or result.frame is None:
        raise RuntimeError(f"demo {spec.kind} failed validation: {result.problems[:3]}")
    return result.frame.with_columns(generated["employee_id"].alias("employee_key"))


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Store the demo files once per organisation (needs the workforce demo's snapshots)."""
    if storage.stored_file(organisation, Kind.RECORDS) is not None:
        return
    snapshots = workforce.snapshot_frames(organisation)
    if not snapshots:
        return
    seed = zlib.crc32(f"training:{organisation.slug}".encode()) % 100_000
    records, panel = generate_training(snapshots, seed)
    for kind, spec, frame in ((Kind.RECORDS, TRAINING, records), (Kind.PANEL, PANEL, panel)):
        storage.store(
            organisation,
            kind,
            _validated(spec, frame),
            user=None,
            source_filename=f"demo {spec.label}",
        )
    progress(
        f"{organisation.name}: {records.height:,} training completions, {panel.height} panel members"
    )
