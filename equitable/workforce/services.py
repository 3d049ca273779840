"""Workforce domain logic: imports, stored snapshots, figures (exact and protected), benchmarks.

Views, the API, the command line and other apps call these functions; the computation itself is
the pure library `equitable.metrics`. Two rules hold everywhere here:

* nothing is stored until a whole file validates (one transaction writes the snapshot and its
  rows, replacing an existing snapshot of that date only when asked to);
* anyone without personal-data access gets figures only through
  `disclosure_control.protect`, with the organisation's threshold and rounding.
"""

from __future__ import annotations

import io
import os
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction

from equitable.core import audit, jobs
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.request_memo import per_request
from equitable.core.signals import figures_changed
from equitable.files.key_files import ensure_secret_file
from equitable.metrics import disclosure_control
from equitable.metrics import figures as metric_figures
from equitable.workforce.models import (
    ColumnMapping,
    ImportJob,
    PopulationBenchmark,
    Snapshot,
    SnapshotFigures,
    SnapshotFrame,
)

Progress = Callable[[int, str], None]
# Stored problems per job; a file this broken needs fixing at source, not paging through.
MAX_STORED_PROBLEMS = 100_000
# Problems of one kind listed row by row before the library sums up the rest in one line.
PROBLEMS_PER_CHECK = 20_000
# Tables whose rows are per directorate: champions see only their own directorates' rows.
DIRECTORATE_TABLES = ("representation_by_directorate", "disclosure_by_directorate")


def _no_progress(_percent: int, _stage: str) -> None:
    return None


# --- the employee-id hash key ---------------------------------------------------------------


def id_hash_key() -> bytes:
    """The key for hashing employee ids, created (readable by the owner only) on first use.

    Why a key and not a plain hash: employee numbers are short and guessable, so an unkeyed hash
    could be reversed by trying them all. Without the key file the stored hashes are useless.
    """
    path = Path(settings.EQUITABLE_ID_HASH_KEY_FILE)
    return bytes.fromhex(ensure_secret_file(path, lambda: secrets.token_hex(32)))


# --- snapshots and their frames -------------------------------------------------------------


@per_request
def latest_snapshot(organisation: Organisation) -> Snapshot | None:
    return Snapshot.objects.filter(organisation=organisation).order_by("-snapshot_date").first()


@per_request
def snapshots_of(organisation: Organisation) -> list[Snapshot]:
    return list(Snapshot.objects.filter(organisation=organisation).order_by("snapshot_date"))


_frame_cache: dict[tuple[int, str], pl.DataFrame] = {}
_frame_cache_lock = threading.Lock()
# Frames kept per process, newest last, to at most this many bytes together (100,000 staff are
# some 15-25 MB in memory): pages read the latest few snapshots over and over.
FRAME_CACHE_BYTES = 256 * 1024 * 1024


def frame_to_parquet(frame: pl.DataFrame) -> bytes:
    """Parquet bytes of a frame; the hex employee keys are kept as raw bytes (half the size:
    random hex does not compress, and it is most of a snapshot's blob)."""
    if frame.schema.get("employee_key") == pl.String:
        frame = frame.with_columns(pl.col("employee_key").str.decode("hex"))
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="lz4", statistics=False)
    return buffer.getvalue()


def frame_from_parquet(blob: bytes) -> pl.DataFrame:
    """The frame of a stored blob; keys stored whole (64 hex digits) by versions before keys
    were truncated are cut to the same 128-bit prefix, so old and new snapshots still match."""
    from equitable.metrics.extract import EMPLOYEE_KEY_BYTES

    frame = pl.read_parquet(io.BytesIO(blob))
    if frame.schema.get("employee_key") == pl.Binary:
        frame = frame.with_columns(
            pl.col("employee_key").bin.head(EMPLOYEE_KEY_BYTES).bin.encode("hex")
        )
    return frame


def snapshot_frame(snapshot: Snapshot) -> pl.DataFrame:
    """The validated frame of a snapshot (metrics contract columns, employee ids hashed)."""
    key = (snapshot.pk, snapshot.imported_at.isoformat())
    with _frame_cache_lock:
        cached = _frame_cache.get(key)
    if cached is not None:
        return cached
    frame = frame_from_parquet(read_frame_blob(snapshot))
    with _frame_cache_lock:
        _frame_cache[key] = frame
        _keep_frames_within(FRAME_CACHE_BYTES)
    return frame


def _keep_frames_within(budget: int) -> None:
    """Forget the oldest frames until the rest fit in `budget` bytes (the newest always stays)."""
    total = sum(frame.estimated_size() for frame in _frame_cache.values())
    while total > budget and len(_frame_cache) > 1:
        total -= _frame_cache.pop(next(iter(_frame_cache))).estimated_size()


def write_frame_blob(snapshot: Snapshot, blob: bytes, columns: list[str]) -> None:
    """Store a snapshot's Parquet blob: the one place with raw SQL in this app.

    Why raw SQL on PostgreSQL: Django's psycopg 3 cursors bind parameters on the client, so a
    blob travels as an escaped hex literal twice its size; a plain psycopg cursor sends it as a
    binary parameter, about four times faster (docs/decisions.md). SQLite binds blobs natively.
    """
    if connection.vendor != "postgresql":
        SnapshotFrame.objects.create(snapshot=snapshot, parquet=blob, columns=columns)
        return
    data = SnapshotFrame.objects.create(snapshot=snapshot, parquet=b"", columns=columns)
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # server-side binding, not Django's
        cursor.execute(
            "UPDATE workforce_snapshotframe SET parquet = %b WHERE id = %s", (blob, data.pk)
        )


def read_frame_blob(snapshot: Snapshot) -> bytes:
    """The snapshot's Parquet blob (in binary format on PostgreSQL, for the same reason)."""
    if connection.vendor != "postgresql":
        return bytes(SnapshotFrame.objects.values_list("parquet", flat=True).get(snapshot=snapshot))
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(
            "SELECT parquet FROM workforce_snapshotframe WHERE snapshot_id = %s",
            (snapshot.pk,),
            binary=True,
        )
        row = cursor.fetchone()
    if row is None:
        raise SnapshotFrame.DoesNotExist
    return bytes(row[0])


def snapshot_frames(organisation: Organisation) -> list[tuple[date, pl.DataFrame]]:
    """Every snapshot's frame, oldest first (for trends and projections)."""
    return [(s.snapshot_date, snapshot_frame(s)) for s in snapshots_of(organisation)]


# --- population benchmark -------------------------------------------------------------------


@per_request
def current_population(organisation: Organisation) -> PopulationBenchmark | None:
    return PopulationBenchmark.objects.filter(organisation=organisation).first()


def population_frame(organisation: Organisation) -> pl.DataFrame | None:
    benchmark = current_population(organisation)
    if benchmark is None or not benchmark.rows:
        return None
    from equitable.metrics.population import SCHEMA

    return pl.DataFrame(benchmark.rows, schema=SCHEMA)


def population_is_detailed(benchmark: PopulationBenchmark | None) -> bool:
    """Whether the benchmark has the 19 ONS categories (a census file, or counts typed in)."""
    return benchmark is not None and any(row.get("ethnicity") for row in benchmark.rows)


def population_table(benchmark: PopulationBenchmark | None) -> list[dict]:
    """The benchmark as the page lists it: each of the five groups (its ONS name) followed by
    its categories, in ONS order, with count (when known) and share of all residents."""
    from equitable.metrics.labels import DETAILED_ETHNICITIES, ETHNIC_GROUPS
    from equitable.metrics.population import CENSUS_GROUP_NAMES

    if benchmark is None:
        return []
    groups = {row["ethnic_group"]: row for row in benchmark.rows if not row.get("ethnicity")}
    details = {row["ethnicity"]: row for row in benchmark.rows if row.get("ethnicity")}
    table = []
    for group in ETHNIC_GROUPS:
        row = groups.get(group, {})
        table.append(
            {
                "name": CENSUS_GROUP_NAMES[group],
                "group": True,
                "count": row.get("count"),
                "percent": row.get("percent"),
            }
        )
        for ethnicity, of in DETAILED_ETHNICITIES:
            if of == group and ethnicity in details:
                detail = details[ethnicity]
                table.append(
                    {
                        "name": ethnicity,
                        "group": False,
                        "count": detail.get("count"),
                        "percent": detail.get("percent"),
                    }
                )
    return table


def save_population(
    organisation: Organisation, frame: pl.DataFrame, *, source: str, user: User | None
) -> PopulationBenchmark:
    """Store a new benchmark; figures cached with the old one are recomputed on next use."""
    with transaction.atomic():
        benchmark = PopulationBenchmark.objects.create(
            organisation=organisation, source=source, rows=frame.to_dicts(), created_by=user
        )
        SnapshotFigures.objects.filter(snapshot__organisation=organisation).update(
            exact=None, exact_key="", published=None, published_key=""
        )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "population_benchmark",
        benchmark.pk,
        source,
        organisation=organisation,
    )
    figures_changed.send(sender=PopulationBenchmark, organisation=organisation)
    return benchmark


# --- figures --------------------------------------------------------------------------------

_DTYPES = {
    "String": pl.String(),
    "Int64": pl.Int64(),
    "Int32": pl.Int32(),
    "Float64": pl.Float64(),
    "Boolean": pl.Boolean(),
    "Date": pl.Date(),
}


def encode_tables(tables: dict[str, pl.DataFrame]) -> dict:
    return {
        name: {
            # pairs, not a dict: PostgreSQL's jsonb does not keep the order of keys
            "schema": [[column, str(dtype)] for column, dtype in table.schema.items()],
            # dates as ISO text (JSON has no date); decode_tables casts them back
            "rows": table.with_columns(pl.col(pl.Date).cast(pl.String)).to_dicts(),
        }
        for name, table in tables.items()
    }


def decode_tables(blob: dict) -> dict[str, pl.DataFrame]:
    tables = {}
    for name, encoded in blob.items():
        schema = {c: _DTYPES.get(d, pl.String()) for c, d in encoded["schema"]}
        rows = encoded["rows"]
        dates = [c for c, d in schema.items() if isinstance(d, pl.Date)]
        if dates:  # read as the ISO text encode_tables wrote, then made dates again
            as_text = {c: (pl.String() if c in dates else d) for c, d in schema.items()}
            tables[name] = pl.DataFrame(rows, schema=as_text).with_columns(
                pl.col(c).str.to_date() for c in dates
            )
        else:
            tables[name] = pl.DataFrame(rows, schema=schema, orient="row" if not rows else None)
    return tables


def compute_tables(
    frame: pl.DataFrame,
    organisation: Organisation,
    present_columns: Iterable[str] | None = None,
) -> dict[str, pl.DataFrame]:
    """Every exact figure for one frame (no caching: used for directorate subsets)."""
    return metric_figures.compute_all(
        frame,
        population_frame(organisation),
        set(present_columns) if present_columns is not None else None,
    )


# Decoded figures, per process: (kind, key) -> tables. The key names everything the figures
# rest on, so an entry is never stale; only memory is saved by forgetting the oldest.
_tables_memo: dict[tuple[str, str], dict[str, pl.DataFrame]] = {}
_tables_memo_lock = threading.Lock()
TABLES_MEMO_SIZE = 32


def _exact_key(snapshot: Snapshot) -> str:
    population = current_population(snapshot.organisation)
    return f"{snapshot.pk}.{snapshot.imported_at.timestamp()}.p{population.pk if population else 0}"


def _published_key(snapshot: Snapshot) -> str:
    organisation = snapshot.organisation
    return (
        f"{_exact_key(snapshot)}.t{organisation.suppression_threshold}"
        f".r{int(organisation.round_counts_to_5)}"
    )


def _stored_tables(
    snapshot: Snapshot, kind: str, key: str, compute: Callable[[], dict[str, pl.DataFrame]]
) -> dict[str, pl.DataFrame]:
    """This process's copy, else the snapshot's stored figures under the same key, else
    computed once and stored for every process."""
    with _tables_memo_lock:
        memo = _tables_memo.get((kind, key))
    if memo is not None:
        return memo
    stored = (
        SnapshotFigures.objects.filter(snapshot=snapshot, **{f"{kind}_key": key})
        .values_list(kind, flat=True)
        .first()
    )
    if stored:
        tables = decode_tables(stored)
    else:
        tables = compute()
        SnapshotFigures.objects.update_or_create(
            snapshot=snapshot, defaults={kind: encode_tables(tables), f"{kind}_key": key}
        )
    with _tables_memo_lock:
        while len(_tables_memo) >= TABLES_MEMO_SIZE:
            _tables_memo.pop(next(iter(_tables_memo)))
        _tables_memo[(kind, key)] = tables
    return tables


def exact_tables(snapshot: Snapshot) -> dict[str, pl.DataFrame]:
    """Exact figures of a snapshot, computed once and kept with it (`SnapshotFigures`)."""
    return _stored_tables(
        snapshot,
        "exact",
        _exact_key(snapshot),
        lambda: compute_tables(
            snapshot_frame(snapshot), snapshot.organisation, snapshot.present_columns
        ),
    )


def protect_for(organisation: Organisation, tables: dict[str, pl.DataFrame]):
    """The one call that turns exact tables into tables fit for anyone without personal access."""
    return disclosure_control.protect(
        tables,
        threshold=organisation.suppression_threshold,
        round_to=5 if organisation.round_counts_to_5 else None,
    )


def published_tables(snapshot: Snapshot) -> dict[str, pl.DataFrame]:
    """Protected figures of a snapshot, computed once and kept with it until anything they
    rest on changes: the snapshot, the organisation's threshold or rounding, the population
    benchmark."""
    return _stored_tables(
        snapshot,
        "published",
        _published_key(snapshot),
        lambda: protect_for(snapshot.organisation, exact_tables(snapshot)),
    )


def warm_figures(organisation: Organisation) -> None:
    """Every snapshot's exact and protected figures, stored (core.warmup)."""
    for snapshot in snapshots_of(organisation):
        published_tables(snapshot)


def tables_for(
    organisation: Organisation, snapshot: Snapshot | None, *, published: bool
) -> dict[str, pl.DataFrame]:
    snapshot = snapshot or latest_snapshot(organisation)
    if snapshot is None:
        return {}
    return published_tables(snapshot) if published else exact_tables(snapshot)


def figures_for(
    organisation: Organisation, snapshot: Snapshot | None = None, *, published: bool
) -> dict[str, list[dict]]:
    """compute_all tables as rows (protected when `published`); {} when there is no data."""
    tables = tables_for(organisation, snapshot, published=published)
    return {name: table.to_dicts() for name, table in tables.items()}


def champion_view(
    tables: dict[str, pl.DataFrame], directorates: Iterable[str]
) -> dict[str, pl.DataFrame]:
    """A champion's tables: their directorates' rows of the organisation-wide protected tables.

    Why rows of the whole-organisation output rather than figures recomputed for their
    directorate: the protected output was made safe against differencing as a whole, and any
    subset of its rows reveals no more; a separately protected directorate table could show a
    cell the organisation table withheld, and the two together could give a suppressed value.
    """
    allowed = set(directorates)
    return {
        name: (
            table.filter(pl.col("directorate").is_in(sorted(allowed)))
            if name in DIRECTORATE_TABLES and "directorate" in table.columns
            else table
        )
        for name, table in tables.items()
    }


def trend_tables(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    """Every table stacked over the snapshots, oldest first, with a leading snapshot_date
    (stacked once a process for the same stored figures)."""
    snapshots = snapshots_of(organisation)
    key = ",".join((_published_key if published else _exact_key)(s) for s in snapshots)
    kind = "trends-published" if published else "trends-exact"
    with _tables_memo_lock:
        memo = _tables_memo.get((kind, key))
    if memo is not None:
        return memo
    stacked_tables = _stack(organisation, snapshots, published=published)
    with _tables_memo_lock:
        while len(_tables_memo) >= TABLES_MEMO_SIZE:
            _tables_memo.pop(next(iter(_tables_memo)))
        _tables_memo[(kind, key)] = stacked_tables
    return stacked_tables


def _stack(
    organisation: Organisation, snapshots: list[Snapshot], *, published: bool
) -> dict[str, pl.DataFrame]:
    stacked: dict[str, list[pl.DataFrame]] = {}
    for snapshot in snapshots:
        tables = tables_for(organisation, snapshot, published=published)
        for name, table in tables.items():
            dated = table.select(
                pl.lit(snapshot.snapshot_date, dtype=pl.Date).alias("snapshot_date"), pl.all()
            )
            stacked.setdefault(name, []).append(dated)
    return {name: pl.concat(parts, how="diagonal_relaxed") for name, parts in stacked.items()}


# --- import ---------------------------------------------------------------------------------


class SnapshotExists(Exception):
    """A snapshot of that date exists and replacing it was not confirmed."""


@dataclass
class ImportOutcome:
    """What an import found: a stored snapshot, or every problem and nothing stored."""

    snapshot: Snapshot | None
    problems: list  # metrics.extract.Problem
    unmapped_values: dict
    row_count: int
    present_columns: list[str]
    notes: list[str] = field(default_factory=list)  # how the file was read
    suggestions: dict = field(default_factory=dict)  # column -> value -> classification.Suggestion
    unmapped_counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.snapshot is not None

    @property
    def only_needs_confirmation(self) -> bool:
        """Every problem is an hourly rate a person may confirm (`confirm_pay`)."""
        return bool(self.problems) and all(p.confirmable for p in self.problems)


def remembered_mapping(organisation: Organisation) -> ColumnMapping:
    mapping, _ = ColumnMapping.objects.get_or_create(organisation=organisation)
    return mapping


def canonical_columns() -> list[str]:
    from equitable.metrics import schema

    return list(schema.CANONICAL_COLUMNS)


def suggest_column_mapping(organisation: Organisation, source_columns: list[str]) -> dict:
    """Source column -> canonical column ("" to leave out): remembered first, then the
    library's matching of headers (a canonical name or an alias, each canonical column once,
    the first such header in the file winning: `extract.plan_columns`)."""
    from equitable.metrics import extract, schema

    remembered = {
        column: target
        for column, target in remembered_mapping(organisation).columns.items()
        if column in source_columns and (not target or target in schema.CANONICAL_COLUMNS)
    }
    taken: set[str] = set()
    explicit: dict[str, str] = {}
    for column, target in remembered.items():
        if target in taken:
            target = ""  # the file has two columns the council mapped to one: choose again
        explicit[column] = target
        taken.add(target)
    plan = extract.plan_columns(list(source_columns), explicit)
    by_source = {source: name for name, source in plan.assignment.items()}
    return {column: by_source.get(column, "") for column in source_columns}


def column_plan(job: ImportJob):
    """The job's columns as its mapping stands: used, left out (and what those look like)."""
    from equitable.metrics import extract

    return extract.plan_columns(list(job.source_columns), job.column_mapping)


def column_hints(job: ImportJob) -> dict[str, str]:
    """Column -> a sentence for the mapping page, for each column left out that looks like a
    canonical column ("Assignment Number": also looks like employee_id)."""
    hints = {}
    for column in column_plan(job).left_out:
        if column.looks_like:
            note = f" ({column.note})" if column.note else ""
            hints[column.column] = (
                f"Left out, but it looks like {column.looks_like}{note}: choose it if so"
            )
    return hints


def remember_mapping(
    organisation: Organisation, column_mapping: dict, value_mapping: dict
) -> ColumnMapping:
    """Keep the council's column and value names for the next upload (merged with earlier)."""
    mapping = remembered_mapping(organisation)
    mapping.columns = {**mapping.columns, **column_mapping}
    values = {column: dict(v) for column, v in mapping.values.items()}
    for column, pairs in value_mapping.items():
        values.setdefault(column, {}).update(pairs)
    mapping.values = values
    mapping.save()
    return mapping


def read_upload(path: str | Path):
    """The upload's cells and where its header was found (`metrics.reading.SourceTable`)."""
    from equitable.metrics import extract

    return extract.read_extract(Path(path))


def validate_file(
    organisation: Organisation,
    raw,
    *,
    snapshot_date: date,
    column_mapping: dict | None = None,
    value_mapping: dict | None = None,
    decimal_comma: bool = False,
    confirm_pay: bool = False,
):
    """Run the library's validation with the organisation's mapping and settings.

    `raw` is what `read_upload` gives (or a bare frame of text, header in row 1).
    `decimal_comma`: the file writes 12,50 for 12.50 (chosen for this file on the mapping
    page, `--decimal-comma` on the command line). `confirm_pay`: a person has checked the
    hourly rates flagged as implausible and they stand.
    """
    from equitable.metrics import extract

    remembered = remembered_mapping(organisation)
    frame = raw.frame if isinstance(raw, extract.SourceTable) else raw
    if column_mapping is None:
        column_mapping = suggest_column_mapping(organisation, list(frame.columns))
    values = {column: dict(v) for column, v in remembered.values.items()}
    for column, pairs in (value_mapping or {}).items():
        values.setdefault(column, {}).update(pairs)
    return extract.validate_extract(
        raw,
        column_mapping=column_mapping,  # "" = left out on purpose: not matched by alias either
        value_mapping=values,
        snapshot_date=snapshot_date,
        standard_weekly_hours=float(organisation.standard_weekly_hours),
        id_key=id_hash_key(),
        max_problems_per_check=PROBLEMS_PER_CHECK,
        decimal_comma=decimal_comma,
        confirm_pay=confirm_pay,
    )


def store_snapshot(
    organisation: Organisation,
    frame: pl.DataFrame,
    *,
    snapshot_date: date,
    present_columns: Iterable[str],
    source_filename: str,
    user: User | None,
    replace: bool,
    then: Callable[[Snapshot], None] | None = None,
) -> Snapshot:
    """Write a validated frame as the snapshot of its date, all or nothing.

    An existing snapshot of the date is replaced only when `replace` is true (the caller asked
    the person to confirm); other snapshots are never touched. `then`, when given, runs inside
    the same transaction with the new snapshot: an import job records its end there, so a
    retried job can never store the same file twice.
    """
    blob = frame_to_parquet(frame)
    with transaction.atomic():
        existing = Snapshot.objects.select_for_update().filter(
            organisation=organisation, snapshot_date=snapshot_date
        )
        replaced = ""
        if existing.exists():
            if not replace:
                raise SnapshotExists(snapshot_date)
            from equitable.workforce import snapshots  # what the old one fed, for the audit

            replaced = snapshots.impact_of(existing.get()).audit_text("replaced")
            existing.delete()
        snapshot = Snapshot.objects.create(
            organisation=organisation,
            snapshot_date=snapshot_date,
            imported_by=user if user is not None and user.is_authenticated else None,
            row_count=frame.height,
            present_columns=sorted(present_columns),
            source_filename=source_filename[:255],
        )
        write_frame_blob(snapshot, blob, frame.columns)
        if then is not None:
            then(snapshot)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "workforce_snapshot",
        snapshot.pk,
        f"snapshot {snapshot_date.isoformat()}: {frame.height} rows from {source_filename[:120]}"
        + (f" ({replaced})" if replaced else ""),
        organisation=organisation,
    )
    figures_changed.send(sender=Snapshot, organisation=organisation)
    return snapshot


def import_file(
    organisation: Organisation,
    path: str | Path,
    *,
    snapshot_date: date,
    user: User | None = None,
    replace: bool = False,
    column_mapping: dict | None = None,
    value_mapping: dict | None = None,
    source_filename: str | None = None,
    progress: Progress = _no_progress,
    decimal_comma: bool = False,
    confirm_pay: bool = False,
    describe: Callable[[list[str]], None] | None = None,
    before_storing: Callable[[pl.DataFrame, set[str]], None] | None = None,
    stored: Callable[[Snapshot], None] | None = None,
) -> ImportOutcome:
    """Read, validate and (when clean) store one extract; the command line and demo use this.

    `describe`, when given, is told in words where the headers were found and which columns
    are used and left out, before anything is checked or computed (the command line prints it).
    `before_storing`, when given, sees the validated frame and its columns before anything is
    stored and may raise to stop the import (the command line's continuity check).
    """
    progress(5, "Reading the file")
    raw = read_upload(path)
    rows = raw.frame.height
    if describe is not None:
        from equitable.metrics import extract

        mapping = column_mapping
        if mapping is None:
            mapping = suggest_column_mapping(organisation, list(raw.frame.columns))
        describe(
            [raw.description(), *extract.plan_columns(list(raw.frame.columns), mapping).lines()]
        )
    progress(25, f"Checking {rows:,} rows")
    result = validate_file(
        organisation,
        raw,
        snapshot_date=snapshot_date,
        column_mapping=column_mapping,
        value_mapping=value_mapping,
        decimal_comma=decimal_comma,
        confirm_pay=confirm_pay,
    )
    present = sorted(result.present_columns)
    if result.problems:
        return ImportOutcome(
            None,
            list(result.problems),
            result.unmapped_values,
            rows,
            present,
            notes=list(result.notes),
            suggestions=result.suggestions,
            unmapped_counts=result.unmapped_counts,
        )
    if before_storing is not None:
        before_storing(result.frame, result.present_columns)
    progress(60, f"Storing {result.frame.height:,} rows")
    snapshot = store_snapshot(
        organisation,
        result.frame,
        snapshot_date=snapshot_date,
        present_columns=present,
        source_filename=source_filename or Path(path).name,
        user=user,
        replace=replace,
        then=stored,
    )
    progress(85, "Computing the figures")
    exact_tables(snapshot)
    return ImportOutcome(snapshot, [], {}, result.frame.height, present, notes=list(result.notes))


# --- web import jobs (upload -> mapping -> validation -> confirm -> stored) -----------------


def uploads_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(organisation: Organisation, user: User, upload, *, snapshot_date: date) -> ImportJob:
    """Keep the upload in the data directory's uploads/ until the job ends, and read its header.

    The same person's unfinished job for the same date is superseded ("upload a corrected
    file"): it is deleted with its file now, not a day later.
    """
    discard_stale_jobs(organisation)
    discard_superseded_jobs(organisation, user, snapshot_date)
    suffix = Path(upload.name).suffix.lower()
    target = uploads_dir() / f"{secrets.token_hex(16)}{suffix}"
    job = None
    try:
        with os.fdopen(
            os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        ) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = ImportJob.objects.create(
            organisation=organisation,
            created_by=user,
            upload_path=str(target),
            source_filename=Path(upload.name).name[:255],
            size_bytes=upload.size,
            snapshot_date=snapshot_date,
        )
    finally:
        if job is None:  # writing or recording failed: no half-written extract stays behind
            target.unlink(missing_ok=True)
    try:
        raw = read_upload(target)
    except (OSError, ValueError) as error:  # unreadable or unsafe file: say so, keep nothing
        finish_job(job, ImportJob.Status.FAILED, f"The file could not be read: {error}")
        return job
    job.source_columns = list(raw.frame.columns)
    job.row_count = raw.frame.height
    job.column_mapping = suggest_column_mapping(organisation, job.source_columns)
    job.options = {"source": raw.description()}
    job.save()
    return job


BUSY_STATUSES = (ImportJob.Status.VALIDATING, ImportJob.Status.STORING)
WAITING_STATUSES = (ImportJob.Status.UPLOADED, ImportJob.Status.INVALID, ImportJob.Status.VALID)
INTERRUPTED: dict[str, str] = {
    ImportJob.Status.VALIDATING: "The server stopped while the file was being checked",
    ImportJob.Status.STORING: "The server stopped while the snapshot was being stored",
}
STOPPED_UNEXPECTEDLY = "The import stopped because of an unexpected error"


def discard_stale_jobs(organisation: Organisation | None = None, *, days: int = 1) -> None:
    """Unfinished uploads older than a day are deleted with their files (every organisation's
    when `organisation` is None, as at start-up)."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(days=days)
    jobs = ImportJob.objects.filter(updated_at__lt=cutoff).exclude(status__in=BUSY_STATUSES)
    if organisation is not None:
        jobs = jobs.filter(organisation=organisation)
    for job in jobs:
        remove_upload(job)
        job.delete()


def discard_superseded_jobs(organisation: Organisation, user: User, snapshot_date: date) -> None:
    """Delete this person's waiting jobs for this date, with their files: a new upload replaces
    them. Jobs being checked or stored are left to finish."""
    waiting = ImportJob.objects.filter(
        organisation=organisation,
        created_by=user,
        snapshot_date=snapshot_date,
        status__in=WAITING_STATUSES,
    )
    for job in waiting:
        remove_upload(job)
        job.delete()


def fail_interrupted_jobs() -> int:
    """At start-up: jobs left being checked or stored by a server that stopped are failed.

    Their work ran in a thread of the old process, so nothing will ever finish them; without this
    the page would show "Storing… 60%" forever and the HR extract would stay in uploads/. Their
    files are deleted, and so is any upload file no job holds (a server killed between writing
    the file and recording the job), Django's temporary upload files, and jobs left waiting for
    more than a day. Returns how many jobs were failed. In thread mode, one `equitable serve`
    per installation: a second server starting would fail the first one's running jobs; with
    the job queue (`EQUITABLE_JOBS=queue`) busy jobs are the workers' and are left alone.
    """
    failed = 0
    # With a job queue the busy jobs belong to the workers, which retry or fail them.
    busy = (
        ImportJob.objects.none()
        if jobs.uses_queue()
        else ImportJob.objects.filter(status__in=BUSY_STATUSES)
    )
    for job in busy:
        finish_job(
            job,
            ImportJob.Status.FAILED,
            INTERRUPTED[job.status],
            problems=[],
            unmapped_values={},
        )
        failed += 1
    discard_stale_jobs()
    held = set(ImportJob.objects.exclude(upload_path="").values_list("upload_path", flat=True))
    for path in uploads_dir().iterdir():
        if path.is_file() and str(path) not in held:
            path.unlink(missing_ok=True)
    upload_temp = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    if upload_temp and Path(upload_temp).is_dir():
        for path in Path(upload_temp).iterdir():
            if path.is_file():
                path.unlink(missing_ok=True)
    return failed


def remove_upload(job: ImportJob) -> None:
    if job.upload_path:
        Path(job.upload_path).unlink(missing_ok=True)


def finish_job(job: ImportJob, status: str, stage: str = "", **fields) -> None:
    """End a job: its file is deleted, and so are quoted cell values unless problems remain."""
    remove_upload(job)
    job.upload_path = ""
    job.status = status
    job.stage = stage
    job.progress = 100
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def _job_progress(job_pk: int) -> Progress:
    def report(percent: int, stage: str) -> None:
        ImportJob.objects.filter(pk=job_pk).update(progress=percent, stage=stage[:200])

    return report


def snapshot_date_taken(job: ImportJob) -> bool:
    return Snapshot.objects.filter(
        organisation=job.organisation, snapshot_date=job.snapshot_date
    ).exists()


def _stored_problems(problems: list) -> list[dict]:
    """The job's copy of the problems (the first MAX_STORED_PROBLEMS), as the pages show them."""
    return [
        {
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "message": p.message,
            "confirmable": p.confirmable,
        }
        for p in problems[:MAX_STORED_PROBLEMS]
    ]


def set_job_options(job: ImportJob, **options) -> None:
    """Change how the job's file is read; a new column matching or decimal separator undoes an
    earlier confirmation of hourly rates, which was of the rates as read before."""
    updated = {**job.options, **options}
    if "confirm_pay" not in options:
        updated.pop("confirm_pay", None)
    job.options = updated


def run_validation(job_pk: int) -> None:
    """Validate a job's file with its mapping; record every problem, store nothing. Run
    again after a worker died, it checks the file again; a job no longer waiting for its check
    (cancelled, superseded, already checked) is left alone."""
    job = ImportJob.objects.select_related("organisation").filter(pk=job_pk).first()
    if job is None or job.status != ImportJob.Status.VALIDATING:
        return
    report = _job_progress(job_pk)
    try:
        report(10, "Reading the file")
        raw = read_upload(job.upload_path)
        report(40, f"Checking {raw.frame.height:,} rows")
        result = validate_file(
            job.organisation,
            raw,
            snapshot_date=job.snapshot_date,
            column_mapping=job.column_mapping,
            value_mapping=job.value_mapping,
            decimal_comma=job.decimal_comma,
            confirm_pay=job.pay_confirmed,
        )
    except (OSError, ValueError) as error:  # the file changed or went: say so, keep nothing
        finish_job(job, ImportJob.Status.FAILED, f"The file could not be checked: {error}")
        return
    job.problems = _stored_problems(result.problems)
    job.problem_count = len(result.problems)
    job.unmapped_values = {k: list(v) for k, v in (result.unmapped_values or {}).items()}
    job.options = {
        **job.options,
        "source": raw.description(),
        "notes": list(result.notes),
        "unmapped_counts": dict(result.unmapped_counts),
    }
    job.row_count = raw.frame.height
    job.present_columns = sorted(result.present_columns)
    job.options.pop("preview", None)
    if not result.problems:  # headline figures and continuity, shown before storing
        from equitable.workforce import snapshots

        job.options["preview"] = snapshots.preview(
            job.organisation, result.frame, result.present_columns, job.snapshot_date
        )
    job.status = ImportJob.Status.INVALID if result.problems else ImportJob.Status.VALID
    job.progress = 100
    job.stage = "Problems found" if result.problems else "Ready to store"
    job.save()
    if result.problems:
        audit.record(
            job.created_by,
            AuditEvent.Action.IMPORT,
            "workforce_import",
            job.pk,
            f"refused {job.source_filename[:200]} for {job.snapshot_date.isoformat()}: "
            f"{len(result.problems)} problems, nothing stored",
            organisation=job.organisation,
        )


def run_store(job_pk: int, *, replace: bool) -> None:
    """Validate again (the file is the truth, not the earlier check) and store atomically.

    Safe to run again (a job queue retries a job whose worker died): the job is marked done in
    the transaction that stores the snapshot, and a job no longer storing is left alone."""
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_pk)
    if job.status != ImportJob.Status.STORING:
        if job.status == ImportJob.Status.DONE:
            finish_job(job, ImportJob.Status.DONE, job.stage or "Stored")  # its file, if left
        return

    def mark_stored(snapshot: Snapshot) -> None:
        ImportJob.objects.filter(pk=job_pk).update(
            status=ImportJob.Status.DONE, snapshot=snapshot, stage="Stored", progress=100
        )

    try:
        outcome = import_file(
            job.organisation,
            job.upload_path,
            snapshot_date=job.snapshot_date,
            user=job.created_by,
            replace=replace,
            column_mapping=job.column_mapping,
            value_mapping=job.value_mapping,
            source_filename=job.source_filename,
            progress=_job_progress(job_pk),
            decimal_comma=job.decimal_comma,
            confirm_pay=job.pay_confirmed,
            stored=mark_stored,
        )
    except SnapshotExists:
        job.status = ImportJob.Status.VALID
        job.stage = "A snapshot of this date exists: confirm to replace it"
        job.save()
        return
    # Anything else is a bug: `_run_to_an_end` marks the job failed, removes its file and
    # re-raises, so it is logged with its traceback rather than shown as a refusal.
    if outcome.snapshot is None:
        # Refused when storing: the job ends here, so its file goes; the problems stay listed.
        finish_job(
            job,
            ImportJob.Status.INVALID,
            "Problems found",
            problems=_stored_problems(outcome.problems),
            problem_count=len(outcome.problems),
            unmapped_values={},
        )
        return
    remember_mapping(job.organisation, job.column_mapping, job.value_mapping)
    check = (job.options.get("preview") or {}).get("continuity") or {}
    if check.get("unrelated"):  # the person confirmed an extract unlike the one before
        audit.record(
            job.created_by,
            AuditEvent.Action.IMPORT,
            "workforce_snapshot",
            outcome.snapshot.pk,
            "stored although it looks unrelated to the snapshot of "
            f"{job.options['preview']['compared_with']} (confirmed): "
            + "; ".join(check.get("reasons") or []),
            organisation=job.organisation,
        )
    finish_job(
        job,
        ImportJob.Status.DONE,
        "Stored",
        snapshot=outcome.snapshot,
        problems=[],
        unmapped_values={},
    )


def start_validation(job: ImportJob) -> bool:
    """Check the job's file now (small files) or in the background (the page polls progress).
    Returns True when it was left to the background."""
    job.status, job.progress, job.stage = ImportJob.Status.VALIDATING, 0, "Waiting to start"
    job.save()
    return jobs.submit("workforce.validate", job.pk, background=_in_background(job))


def start_storing(job: ImportJob, *, replace: bool) -> bool:
    """Validate again and store, now or in the background, as `start_validation`."""
    job.status, job.progress, job.stage = ImportJob.Status.STORING, 0, "Waiting to start"
    job.save()
    return jobs.submit("workforce.store", job.pk, replace=replace, background=_in_background(job))


def _in_background(job: ImportJob) -> bool:
    # Inside a transaction (a test's, or a caller's) a thread or worker could not see the job.
    return (
        job.size_bytes >= settings.EQUITABLE_IMPORT_BACKGROUND_BYTES
        and not connection.in_atomic_block
    )


def run_validation_to_an_end(job_pk: int) -> None:
    _run_to_an_end(job_pk, lambda: run_validation(job_pk))


def run_store_to_an_end(job_pk: int, *, replace: bool) -> None:
    _run_to_an_end(job_pk, lambda: run_store(job_pk, replace=replace))


ABANDONED: dict[str, str] = {
    ImportJob.Status.VALIDATING: "The worker stopped while the file was being checked",
    ImportJob.Status.STORING: "The worker stopped while the snapshot was being stored",
}


def fail_abandoned_job(job_pk: int, **_task_arguments) -> None:
    """The job queue gave the job up (its worker died on every try): say so on the job, and
    delete its file, as start-up does for a thread's jobs in thread mode."""
    job = ImportJob.objects.filter(pk=job_pk, status__in=BUSY_STATUSES).first()
    if job is not None:
        finish_job(
            job, ImportJob.Status.FAILED, ABANDONED[job.status], problems=[], unmapped_values={}
        )


def _run_to_an_end(job_pk: int, work: Callable[[], None]) -> None:
    """Run the job's work; if it raised (a bug, not a problem in the file), the job is failed
    and its file deleted before the error goes on up (to the page, or the thread's log)."""
    try:
        work()
    finally:
        job = ImportJob.objects.filter(pk=job_pk, status__in=BUSY_STATUSES).first()
        if job is not None:
            finish_job(
                job, ImportJob.Status.FAILED, STOPPED_UNEXPECTEDLY, problems=[], unmapped_values={}
            )


# --- what a person sees ---------------------------------------------------------------------


@dataclass
class DashboardView:
    """The tables one person may see for one snapshot, and how they were made."""

    tables: dict[str, pl.DataFrame]
    exact: bool  # exact counts (personal-data roles) rather than protected figures
    directorates: list[str]  # the directorate filter's choices
    directorate: str | None  # the chosen directorate, if any
    organisation_wide: bool  # True when tables are not narrowed to the chosen directorate


def has_personal_access(user: User) -> bool:
    return user.has_personal_access


def _directorates_in(tables: dict[str, pl.DataFrame]) -> list[str]:
    table = tables.get("representation_by_directorate")
    if table is None or "directorate" not in table.columns:
        return []
    return list(dict.fromkeys(table["directorate"].to_list()))


def dashboard_view(
    user: User, organisation: Organisation, snapshot: Snapshot, directorate: str | None
) -> DashboardView:
    """Exact figures for personal-data roles (recomputed for a chosen directorate); protected
    organisation-wide figures for everyone else, a champion seeing only their own directorates'
    rows. Raises PermissionDenied when a champion asks for another directorate."""
    from django.core.exceptions import PermissionDenied

    from equitable.core.roles import Role

    exact = exact_tables(snapshot)
    all_directorates = _directorates_in(exact)
    if has_personal_access(user):
        if directorate and directorate in all_directorates:
            from equitable.metrics.labels import NOT_RECORDED

            column = pl.col("directorate")
            chosen = column.is_null() if directorate == NOT_RECORDED else column == directorate
            frame = snapshot_frame(snapshot).filter(chosen)
            tables = compute_tables(frame, organisation, snapshot.present_columns)
            return DashboardView(tables, True, all_directorates, directorate, False)
        return DashboardView(exact, True, all_directorates, None, True)

    tables = published_tables(snapshot)
    choices = all_directorates
    if user.role == Role.CHAMPION:
        own = set(user.directorates.values_list("name", flat=True))
        choices = [d for d in all_directorates if d in own]
        tables = champion_view(tables, choices)
    if directorate:
        if directorate not in choices:
            if user.role == Role.CHAMPION:
                raise PermissionDenied
            directorate = None
        else:
            tables = champion_view(tables, [directorate])
    return DashboardView(tables, False, choices, directorate, True)
