"""Importing lifecycle files: read (bounded like workforce uploads), match columns and values
(remembered per organisation and kind), validate all or nothing, store.

The web flow keeps the upload in the data directory between the pages (upload → match the
columns → match the values → stored), as a `LifecycleImport`; the command line runs the same
`validate_file` and `store_records`. A file with any problem stores nothing, and every problem
is listed by row and column (grouped on the page like workforce problems).
"""

from __future__ import annotations

import importlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.lifecycle.models import Kind, LifecycleImport, RecordMapping, RecordSet
from equitable.lifecycle.storage import store_records
from equitable.metrics import classification, reading
from equitable.workforce import services as workforce

# The library module whose specification reads each kind of file.
SPEC_MODULES: dict[str, str] = {
    Kind.APPLICATIONS.value: "recruitment",
    Kind.APPLICATION_COUNTS.value: "recruitment",
    Kind.CASES.value: "casework",
    Kind.LEAVERS.value: "movements",
    Kind.DEVELOPMENT.value: "development",
}
# Problems of one kind listed row by row before the library sums up the rest.
PROBLEMS_PER_CHECK = 20_000
MAX_STORED_PROBLEMS = 100_000


def spec_for(kind: str):
    """The library's `RecordSpec` for one kind of file (each family module declares its own)."""
    from equitable.metrics.lifecycle.records import RecordSpec

    if kind not in SPEC_MODULES:
        raise ValueError(f"{kind!r} is not a kind of lifecycle file")
    module = importlib.import_module(f"equitable.metrics.lifecycle.{SPEC_MODULES[kind]}")
    for value in vars(module).values():
        candidates = (
            value.values()
            if isinstance(value, dict)
            else (value if isinstance(value, tuple | list) else (value,))
        )
        for candidate in candidates:
            if isinstance(candidate, RecordSpec) and candidate.kind == kind:
                return candidate
    raise LookupError(f"equitable.metrics.lifecycle.{SPEC_MODULES[kind]} declares no {kind} spec")


def canonical_columns(kind: str) -> list[str]:
    return [column.name for column in spec_for(kind).columns]


def required_columns(kind: str) -> list[str]:
    return [column.name for column in spec_for(kind).columns if column.required]


def remembered_mapping(organisation: Organisation, kind: str) -> RecordMapping:
    mapping, _ = RecordMapping.objects.get_or_create(organisation=organisation, kind=kind)
    return mapping


def remember_mapping(
    organisation: Organisation, kind: str, column_mapping: dict, value_mapping: dict
) -> RecordMapping:
    """Keep the council's column and value names for the next file of this kind."""
    mapping = remembered_mapping(organisation, kind)
    mapping.columns = {**mapping.columns, **column_mapping}
    values = {column: dict(v) for column, v in mapping.values.items()}
    for column, pairs in value_mapping.items():
        values.setdefault(column, {}).update(pairs)
    mapping.values = values
    mapping.save()
    return mapping


def suggest_column_mapping(
    organisation: Organisation, kind: str, source_columns: list[str]
) -> dict[str, str]:
    """Source column -> canonical column ("" left out): the remembered choice first, then the
    library's matching of headers (a canonical name or a known spelling, each column once)."""
    from equitable.metrics.lifecycle.records import plan_columns

    spec = spec_for(kind)
    names = {column.name for column in spec.columns}
    explicit: dict[str, str] = {}
    taken: set[str] = set()
    for source, target in remembered_mapping(organisation, kind).columns.items():
        if source not in source_columns or (target and target not in names):
            continue
        if target in taken:
            target = ""  # two columns of this file were mapped to one: choose again
        explicit[source] = target
        taken.add(target)
    assignment, _, _, _ = plan_columns(spec, list(source_columns), explicit)
    by_source = {source: name for name, source in assignment.items()}
    return {column: by_source.get(column, "") for column in source_columns}


def vocabulary_for(kind: str, column: str) -> tuple[str, ...]:
    """The canonical values a column of this kind of file accepts, for the values page."""
    spec = spec_for(kind)
    declared = next((c for c in spec.columns if c.name == column), None)
    if declared is not None and declared.kind == "choice":
        return tuple(declared.choices)
    # A characteristic column may be named for its role (an applicant's ethnicity): its values
    # are those of the characteristic it holds.
    return classification.accepted_values(declared.kind if declared is not None else column)


def read_upload(path: str | Path) -> reading.SourceTable:
    """The file's cells as text (CSV, or XLSX checked against decompression bombs first)."""
    from equitable.metrics import extract

    return extract.read_extract(Path(path))


def validate_file(
    organisation: Organisation,
    kind: str,
    raw,
    *,
    column_mapping: dict | None = None,
    value_mapping: dict | None = None,
):
    """The library's `validate_records` with the organisation's remembered mapping (merged
    under `value_mapping`) and its employee-id hash key, so events link to snapshots."""
    from equitable.metrics.lifecycle.records import validate_records

    frame = raw.frame if isinstance(raw, reading.SourceTable) else raw
    if column_mapping is None:
        column_mapping = suggest_column_mapping(organisation, kind, list(frame.columns))
    values = {c: dict(v) for c, v in remembered_mapping(organisation, kind).values.items()}
    for column, pairs in (value_mapping or {}).items():
        values.setdefault(column, {}).update(pairs)
    return validate_records(
        raw,
        spec_for(kind),
        column_mapping=column_mapping,
        value_mapping=values,
        id_key=workforce.id_hash_key(),
        max_problems_per_check=PROBLEMS_PER_CHECK,
    )


@dataclass
class ImportOutcome:
    record_set: RecordSet | None
    problems: list
    unmapped_values: dict = field(default_factory=dict)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return self.record_set is not None


def import_file(
    organisation: Organisation,
    kind: str,
    path: str | Path,
    *,
    user: User | None = None,
    column_mapping: dict | None = None,
    value_mapping: dict | None = None,
    source_filename: str | None = None,
) -> ImportOutcome:
    """Read, validate and (when clean) store one file; the command line and tests use this.
    A refused file is audited too (what was refused and how many problems, never a value)."""
    raw = read_upload(path)
    result = validate_file(
        organisation, kind, raw, column_mapping=column_mapping, value_mapping=value_mapping
    )
    name = source_filename or Path(path).name
    if result.problems or result.frame is None:
        _audit_refusal(None, organisation, kind, name, len(result.problems), user)
        return ImportOutcome(
            None, list(result.problems), dict(result.unmapped_values), raw.frame.height
        )
    stored = store_records(organisation, kind, result.frame, user=user, source_filename=name)
    if column_mapping or value_mapping:
        remember_mapping(organisation, kind, column_mapping or {}, value_mapping or {})
    return ImportOutcome(stored, [], {}, result.frame.height)


def _audit_refusal(job_pk, organisation, kind, filename, count, user) -> None:
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "lifecycle_import",
        job_pk or "",
        f"refused {kind} file {filename[:200]}: {count} problems, nothing stored",
        organisation=organisation,
    )


# --- the web flow --------------------------------------------------------------------------


def uploads_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def remove_upload(job: LifecycleImport) -> None:
    if job.upload_path:
        Path(job.upload_path).unlink(missing_ok=True)


def finish_job(job: LifecycleImport, status: str, stage: str = "", **fields) -> None:
    """End a job: its file is deleted (and quoted values with it unless problems remain)."""
    remove_upload(job)
    job.upload_path = ""
    job.status = status
    job.stage = stage
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def start_job(organisation: Organisation, user: User, kind: str, upload) -> LifecycleImport:
    """Keep the upload (owner-only file) until the job ends, and read its header row."""
    suffix = Path(upload.name).suffix.lower()
    target = uploads_dir() / f"lifecycle-{secrets.token_hex(16)}{suffix}"
    job = None
    try:
        with os.fdopen(
            os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        ) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = LifecycleImport.objects.create(
            organisation=organisation,
            kind=kind,
            created_by=user,
            upload_path=str(target),
            source_filename=Path(upload.name).name[:255],
            size_bytes=upload.size,
        )
    finally:
        if job is None:
            target.unlink(missing_ok=True)
    try:
        raw = read_upload(target)
    except (OSError, ValueError) as error:  # unreadable or unsafe: say so, keep nothing
        finish_job(job, LifecycleImport.Status.FAILED, f"The file could not be read: {error}")
        return job
    job.source_columns = list(raw.frame.columns)
    job.row_count = raw.frame.height
    job.column_mapping = suggest_column_mapping(organisation, kind, job.source_columns)
    job.save()
    return job


def _stored_problems(problems: list) -> list[dict]:
    return [
        {
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "message": p.message,
            "confirmable": bool(getattr(p, "confirmable", False)),
        }
        for p in problems[:MAX_STORED_PROBLEMS]
    ]


def check_and_store(job: LifecycleImport) -> LifecycleImport:
    """Validate the job's file with its mapping; store it when clean (replacing the current
    set of its kind, audited by `store_records`), else keep every problem and store nothing."""
    try:
        raw = read_upload(job.upload_path)
        result = validate_file(
            job.organisation,
            job.kind,
            raw,
            column_mapping=job.column_mapping,
            value_mapping=job.value_mapping,
        )
    except (OSError, ValueError) as error:
        finish_job(job, LifecycleImport.Status.FAILED, f"The file could not be checked: {error}")
        return job
    job.row_count = raw.frame.height
    if result.problems or result.frame is None:
        job.status = LifecycleImport.Status.INVALID
        job.stage = "Problems found"
        job.problems = _stored_problems(result.problems)
        job.problem_count = len(result.problems)
        job.unmapped_values = {k: list(v) for k, v in (result.unmapped_values or {}).items()}
        job.save()
        _audit_refusal(
            job.pk,
            job.organisation,
            job.kind,
            job.source_filename,
            job.problem_count,
            job.created_by,
        )
        return job
    stored = store_records(
        job.organisation,
        job.kind,
        result.frame,
        user=job.created_by,
        source_filename=job.source_filename,
    )
    remember_mapping(job.organisation, job.kind, job.column_mapping, job.value_mapping)
    finish_job(
        job,
        LifecycleImport.Status.DONE,
        "Stored",
        record_set=stored,
        problems=[],
        unmapped_values={},
        problem_count=0,
    )
    return job


def frame_of_text(rows: dict[str, list]) -> pl.DataFrame:
    """A frame of text cells, as a file would give (for tests and the demo)."""
    return pl.DataFrame({k: [None if v is None else str(v) for v in vs] for k, vs in rows.items()})
