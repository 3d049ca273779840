"""Stored training files: one current validated frame per organisation and kind, replaced
whole by the next import (a learning system's export covers every completion it holds).
Storing and deleting are audited here, so the web, the demo and any other caller leave the
same trace; employee ids arrive already as keyed hashes."""

from __future__ import annotations

import polars as pl
from django.db import transaction

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.signals import figures_changed
from equitable.training.models import Kind, TrainingFile
from equitable.workforce.services import frame_from_parquet, frame_to_parquet


def store(
    organisation: Organisation,
    kind: str,
    frame: pl.DataFrame,
    *,
    user: User | None,
    source_filename: str,
) -> TrainingFile:
    if kind not in Kind.values:
        raise ValueError(f"{kind!r} is not a kind of training file")
    if "employee_id" in frame.columns:
        raise ValueError("the frame holds raw employee ids; validate it first (ids are hashed)")
    with transaction.atomic():
        replaced = (
            TrainingFile.objects.select_for_update()
            .filter(organisation=organisation, kind=kind)
            .first()
        )
        note = ""
        if replaced is not None:
            note = f" (replacing {replaced.row_count} rows from {replaced.source_filename[:80]})"
            replaced.delete()
        stored = TrainingFile.objects.create(
            organisation=organisation,
            kind=kind,
            row_count=frame.height,
            source_filename=source_filename[:255],
            imported_by=user if user is not None and user.is_authenticated else None,
            parquet=frame_to_parquet(frame),
        )
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "training_file",
        stored.pk,
        f"{kind}: {frame.height} rows from {source_filename[:120]}{note}",
        organisation=organisation,
    )
    figures_changed.send(sender=TrainingFile, organisation=organisation)
    return stored


def stored_file(organisation: Organisation, kind: str) -> TrainingFile | None:
    return (
        TrainingFile.objects.defer("parquet").filter(organisation=organisation, kind=kind).first()
    )


def frame(organisation: Organisation, kind: str) -> pl.DataFrame | None:
    """The stored validated frame of `kind`, or None."""
    blob = (
        TrainingFile.objects.filter(organisation=organisation, kind=kind)
        .values_list("parquet", flat=True)
        .first()
    )
    return None if blob is None else frame_from_parquet(bytes(blob))
