"""Stored lifecycle record sets: one current validated frame per organisation and kind.

Why one current set per kind rather than dated versions: each file covers every period it
has rows for (applications carry their dates, cases their opening dates), so a corrected file
replaces the old one whole. Replacing is audited with what it replaced. Employee ids arrive
here already as keyed hashes (the validator hashes them with `workforce.services.id_hash_key`).
"""

from __future__ import annotations

import polars as pl
from django.db import transaction

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.signals import figures_changed
from equitable.lifecycle.models import Kind, RecordFrame, RecordSet
from equitable.workforce.services import frame_from_parquet, frame_to_parquet

KINDS = tuple(Kind.values)


class RecordSetExists(Exception):
    """A record set of this kind is stored and replacing it was not asked for."""


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of lifecycle file ({', '.join(KINDS)})")


def _no_raw_ids(frame: pl.DataFrame) -> None:
    """Refuse a frame that still holds a raw employee id: only keyed hashes are stored."""
    if "employee_id" in frame.columns:
        raise ValueError("the frame holds raw employee ids; validate it first (ids are hashed)")


def store_records(
    organisation: Organisation,
    kind: str,
    frame: pl.DataFrame,
    *,
    user: User | None,
    source_filename: str,
    replace: bool = True,
) -> RecordSet:
    """Store a validated frame as the organisation's current record set of `kind`, replacing
    the one before (unless `replace` is false: then `RecordSetExists`). Audited here, so every
    caller (web, command line, demo) leaves the same trace."""
    _check_kind(kind)
    _no_raw_ids(frame)
    blob = frame_to_parquet(frame)
    with transaction.atomic():
        existing = RecordSet.objects.select_for_update().filter(
            organisation=organisation, kind=kind
        )
        replaced = existing.first()
        if replaced is not None:
            if not replace:
                raise RecordSetExists(kind)
            replaced_text = (
                f"replacing {replaced.row_count} rows from {replaced.source_filename[:80]} "
                f"imported {replaced.imported_at:%Y-%m-%d}"
            )
            existing.delete()
        record_set = RecordSet.objects.create(
            organisation=organisation,
            kind=kind,
            row_count=frame.height,
            present_columns=sorted(frame.columns),
            source_filename=source_filename[:255],
            imported_by=user if user is not None and user.is_authenticated else None,
        )
        RecordFrame.objects.create(record_set=record_set, parquet=blob)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "lifecycle_records",
        record_set.pk,
        f"{kind}: {frame.height} rows from {source_filename[:120]}"
        + (f" ({replaced_text})" if replaced is not None else ""),
        organisation=organisation,
    )
    figures_changed.send(sender=RecordSet, organisation=organisation)
    return record_set


def record_set(organisation: Organisation, kind: str) -> RecordSet | None:
    _check_kind(kind)
    return RecordSet.objects.filter(organisation=organisation, kind=kind).first()


def record_sets(organisation: Organisation) -> dict[str, RecordSet]:
    """Kind -> the current record set, for the kinds that have one."""
    return {r.kind: r for r in RecordSet.objects.filter(organisation=organisation)}


def records_frame(organisation: Organisation, kind: str) -> pl.DataFrame | None:
    """The stored validated frame of `kind` (employee keys as hex, like snapshots), or None."""
    stored = record_set(organisation, kind)
    if stored is None:
        return None
    blob = RecordFrame.objects.values_list("parquet", flat=True).get(record_set=stored)
    return frame_from_parquet(bytes(blob))


def delete_records(organisation: Organisation, kind: str, *, user: User | None) -> bool:
    """Delete the current record set of `kind` (audited); False when there was none."""
    stored = record_set(organisation, kind)
    if stored is None:
        return False
    description = f"{kind}: {stored.row_count} rows from {stored.source_filename[:120]}"
    pk = stored.pk
    stored.delete()
    audit.record(
        user,
        AuditEvent.Action.DELETE,
        "lifecycle_records",
        pk,
        description,
        organisation=organisation,
    )
    figures_changed.send(sender=RecordSet, organisation=organisation)
    return True
