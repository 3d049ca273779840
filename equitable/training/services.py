"""Training compliance for an organisation: the import (validate on upload, preview, confirm),
the compliance tables of each workforce snapshot (exact, or protected in one call per
snapshot together with the headcounts the workforce pages withhold), and the overdue list.

The figures are computed by `metrics.training.compliance` from the stored files and the
snapshot as of the snapshot's own date: a completion after the snapshot is not counted in it,
so the three demo years read as the duties were met at each year end. Results are kept per
process by a data version (files, snapshots and protection settings), as lifecycle figures are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.metrics.extract import Problem
from equitable.metrics.lifecycle.records import load_records
from equitable.metrics.training import compliance
from equitable.metrics.training.records import PANEL, TRAINING
from equitable.training import storage
from equitable.training.models import Kind, TrainingFile, TrainingImport
from equitable.workforce import services as workforce
from equitable.workforce.models import Snapshot
from equitable.workforce.services import frame_from_parquet, frame_to_parquet

SPECS = {Kind.RECORDS: TRAINING, Kind.PANEL: PANEL}
_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64
PENDING_FOR = timedelta(days=1)


# --- import -----------------------------------------------------------------------------------


@dataclass
class Checked:
    """An upload checked: the pending import to confirm, or every problem found."""

    pending: TrainingImport | None
    problems: list[Problem]


def _summary(kind: str, frame: pl.DataFrame) -> dict[str, Any]:
    if kind != Kind.RECORDS or frame.height == 0:
        return {"rows": frame.height}
    days = frame.get_column("completion_date")
    return {
        "rows": frame.height,
        "people": frame.get_column("employee_key").n_unique(),
        "first": days.min().isoformat(),  # type: ignore[union-attr]
        "last": days.max().isoformat(),  # type: ignore[union-attr]
        "categories": [
            [r["category"], r["len"]]
            for r in frame.group_by("category").len().sort("category").to_dicts()
        ],
        "modes": [
            [r["mode"], r["len"]] for r in frame.group_by("mode").len().sort("mode").to_dicts()
        ],
    }


def check_upload(organisation: Organisation, user: User, kind: str, upload: Any) -> Checked:
    """Validate the whole file now (all or nothing). Clean: a pending import holding the
    validated frame (ids hashed), to confirm after the preview. Refused: the problems, and an
    audit entry saying how many (never which values)."""
    result = load_records(
        upload, SPECS[Kind(kind)], filename=upload.name, id_key=workforce.id_hash_key()
    )
    if not result.ok or result.frame is None:
        audit.record(
            user,
            AuditEvent.Action.IMPORT,
            "training_file",
            "",
            f"{kind}: refused, {len(result.problems)} problem(s) in {upload.name[:120]}",
            organisation=organisation,
        )
        return Checked(None, result.problems)
    # One pending upload per person, and none left waiting for more than a day.
    TrainingImport.objects.filter(organisation=organisation, created_by=user).delete()
    TrainingImport.objects.filter(created_at__lt=timezone.now() - PENDING_FOR).delete()
    pending = TrainingImport.objects.create(
        organisation=organisation,
        kind=kind,
        created_by=user,
        source_filename=upload.name[:255],
        row_count=result.frame.height,
        summary=_summary(kind, result.frame),
        parquet=frame_to_parquet(result.frame),
    )
    return Checked(pending, [])


def confirm(pending: TrainingImport, user: User) -> TrainingFile:
    """Store the pending import as the current file of its kind (audited in storage)."""
    with transaction.atomic():
        frame = frame_from_parquet(bytes(pending.parquet))
        stored = storage.store(
            pending.organisation,
            pending.kind,
            frame,
            user=user,
            source_filename=pending.source_filename,
        )
        pending.delete()
    return stored


# --- figures ----------------------------------------------------------------------------------


def _version(organisation: Organisation, snapshot: Snapshot, published: bool) -> tuple:
    files = tuple(
        TrainingFile.objects.filter(organisation=organisation)
        .order_by("kind")
        .values_list("kind", "imported_at")
    )
    return (
        organisation.pk,
        snapshot.pk,
        snapshot.imported_at.isoformat(),
        files,
        published,
        organisation.suppression_threshold,
        organisation.round_counts_to_5,
    )


def _cached(key: tuple, compute: Any) -> Any:
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = compute()
    with _CACHE_LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def has_records(organisation: Organisation) -> bool:
    return TrainingFile.objects.filter(organisation=organisation, kind=Kind.RECORDS).exists()


def _people(organisation: Organisation, snapshot: Snapshot) -> pl.DataFrame | None:
    records = storage.frame(organisation, Kind.RECORDS)
    if records is None:
        return None
    panel = storage.frame(organisation, Kind.PANEL)
    return compliance.people(
        records,
        workforce.snapshot_frame(snapshot),
        snapshot.snapshot_date,
        panel=None if panel is None else panel.get_column("employee_key").to_list(),
    )


def _withhold(organisation: Organisation, snapshot: Snapshot) -> list:
    published = workforce.figures_for(organisation, snapshot, published=True)
    rows = published.get("representation_overall")
    if not rows:
        return []
    return compliance.training_withhold({"representation_overall": pl.DataFrame(rows)})


def tables_for(
    organisation: Organisation, snapshot: Snapshot | None = None, *, published: bool
) -> dict[str, pl.DataFrame]:
    """The compliance tables of a snapshot (default the newest), protected when `published`;
    {} when there are no training records or no snapshot."""
    snapshot = snapshot or workforce.latest_snapshot(organisation)
    if snapshot is None or not has_records(organisation):
        return {}

    def compute() -> dict[str, pl.DataFrame]:
        persons = _people(organisation, snapshot)
        if persons is None:
            return {}
        exact = compliance.tables_of(persons)
        if not published:
            return exact
        return compliance.protected_tables(
            exact,
            threshold=organisation.suppression_threshold,
            round_to=5 if organisation.round_counts_to_5 else None,
            withhold=_withhold(organisation, snapshot),
        )

    return _cached(("tables", *_version(organisation, snapshot, published)), compute)


def trend(organisation: Organisation, *, published: bool) -> list[dict[str, Any]]:
    """The all-staff row of every snapshot, oldest first, with its date (`as_of`)."""
    rows = []
    for snapshot in workforce.snapshots_of(organisation):
        tables = tables_for(organisation, snapshot, published=published)
        if tables:
            rows.append({"as_of": snapshot.snapshot_date, **tables["all_staff"].to_dicts()[0]})
    return rows


def overdue_for(organisation: Organisation) -> tuple[date | None, pl.DataFrame]:
    """Who is overdue for what at the newest snapshot, by keyed id (personal-access roles
    only: the caller audits the view or export)."""
    snapshot = workforce.latest_snapshot(organisation)
    if snapshot is None:
        return None, pl.DataFrame(schema=compliance.OVERDUE_SCHEMA)
    persons = _people(organisation, snapshot)
    if persons is None:
        return snapshot.snapshot_date, pl.DataFrame(schema=compliance.OVERDUE_SCHEMA)
    return snapshot.snapshot_date, compliance.overdue(persons, snapshot.snapshot_date)


def all_staff_figure(
    organisation: Organisation, measure: str, snapshot: Snapshot | None = None
) -> dict[str, Any] | None:
    """One protected measure for all staff ({count, pool, percent, ci_low, ci_high}), for
    computed measures and the Standard's evidence; None without data or when withheld."""
    tables = tables_for(organisation, snapshot, published=True)
    if not tables:
        return None
    count, pool, _, _ = compliance.MEASURES[measure]
    row = tables["all_staff"].to_dicts()[0]
    if row[f"{count}_percent"] is None:
        return None
    return {
        "count": row[count],
        "pool": row[pool],
        "percent": row[f"{count}_percent"],
        "ci_low": row[f"{count}_percent_ci_low"],
        "ci_high": row[f"{count}_percent_ci_high"],
    }


def standard_evidence(organisation: Organisation) -> dict[str, list[dict[str, Any]]]:
    """The protected figures shown beside the Standard's 2b.2, 2c.4 and 2c.6, at the newest
    snapshot ({} without training records)."""
    from equitable.standard import training_evidence

    snapshot = workforce.latest_snapshot(organisation)
    tables = tables_for(organisation, snapshot, published=True)
    if not tables or snapshot is None:
        return {}
    return training_evidence.figures(tables["all_staff"].to_dicts()[0], snapshot.snapshot_date)


def warm_figures(organisation: Organisation) -> None:
    """Compute every snapshot's tables, exact and protected, ahead of the first page (kept in
    this process's memory: protecting three years of a council's tables takes seconds)."""
    if has_records(organisation):
        trend(organisation, published=False)
        trend(organisation, published=True)
