"""Service monitoring: the register, imports, census tables, figures and downloads.

Who sees what is decided once, from the user (`page_tables`, `overview_tables`, and the
`published` flag the views pass to downloads): exact tables for the EDI officer and HR
analyst, otherwise every table of the organisation's services protected together in one
`protect` call, with the organisation's threshold and rounding (one call over all services, so
a figure read on one service's page and another's cannot be differenced). Imports, census
uploads, exact views and downloads are audited here, so every caller leaves the same trace;
audit details name files and counts, never values.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from equitable.core import audit, warmup
from equitable.core import roles as R
from equitable.core.models import AuditEvent, Organisation, User
from equitable.files import tabular
from equitable.lifecycle import imports as lifecycle_imports
from equitable.metrics.extract import ExtractReadError, Problem, read_extract
from equitable.metrics.population import PopulationError
from equitable.metrics.reading import SourceTable, header_key
from equitable.metrics.service_users import figures
from equitable.metrics.service_users import population as census
from equitable.metrics.service_users.records import (
    CHARACTERISTIC_LABELS,
    COUNTS_SCHEMA,
    ServiceExtract,
    read_service_extract,
    suggest_column_mapping,
    undecided_columns,
    validate_service_extract,
)
from equitable.service_users.models import CensusTable, Service, ServiceImport, ServiceMapping
from equitable.service_users.models import ServiceExtract as StoredExtract
from equitable.workforce import services as workforce

# Who reads the service pages: the personal-data roles exactly, board members and champions
# protected. Other apps ask here before linking to a service.
READ_ROLES = R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION}

TABLE_TITLES = {
    **{f"profile_{c}": f"Profile by {c.replace('_', ' ')}" for c in figures.CHARACTERISTICS},
    "completeness": "Data completeness",
    "quarterly": "Records by quarter",
    "quarterly_ethnicity": "Ethnic group by quarter",
}


def create_service(
    organisation: Organisation, *, name: str, kind: str, description: str, user: User | None
) -> Service:
    service = Service.objects.create(
        organisation=organisation, name=name, kind=kind, description=description
    )
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "monitored_service",
        service.pk,
        f"service {name[:80]}",
        organisation=organisation,
    )
    return service


# --- imports ----------------------------------------------------------------------------------


def _for_service(source: SourceTable, service: Service) -> tuple[SourceTable, list[Problem]]:
    """A file uploaded for one service: without a `service` column every row is that
    service's; with one, every row must name it."""
    frame = source.frame
    wanted = {header_key(h) for h in ("service", "service name", "service area")}
    names = [c for c in frame.columns if header_key(c) in wanted]
    if not names:
        filled = frame.with_columns(pl.lit(service.name).alias("service"))
        return dataclasses.replace(source, frame=filled), []
    others = sorted(
        {str(v) for v in frame.get_column(names[0]).drop_nulls().unique().to_list()}
        - {service.name}
    )
    if not others:
        return source, []
    listed = ", ".join(others[:5])
    return source, [
        Problem(
            None,
            "service",
            None,
            f"the file also names other services ({listed}): upload "
            "each service's rows to its own page, or leave the service column out",
        )
    ]


def import_extract(
    service: Service, upload: Any, filename: str, *, user: User | None
) -> ServiceExtract:
    """Validate the upload with the organisation's remembered mapping and, when it is clean,
    store its counts as the service's current extract (replacing the one before). The result
    lists every problem otherwise. For the demo, tests and files that need no questions; the
    web upload goes through `start_import`, which can ask."""
    try:
        table = read_extract(upload, filename)
    except (ExtractReadError, OSError) as error:
        return ServiceExtract(None, [Problem(None, None, None, str(error))], "records")
    remembered = remembered_mapping(service.organisation, service.kind)
    columns = suggest_column_mapping(list(table.frame.columns), remembered.columns)
    result = _check(service, table, columns, remembered.values)
    if result.ok and result.counts is not None:
        store_counts(service, result, source_filename=filename, user=user)
    return result


def _check(
    service: Service, table: SourceTable, column_mapping: dict, value_mapping: dict
) -> ServiceExtract:
    table, problems = _for_service(table, service)
    if problems:
        return ServiceExtract(None, problems, "records")
    return validate_service_extract(
        table, column_mapping=column_mapping, value_mapping=value_mapping
    )


# --- the mapping step -------------------------------------------------------------------------


def remembered_mapping(organisation: Organisation, kind: str) -> ServiceMapping:
    """The council's remembered headers and values for this kind of service (unsaved and
    empty before its first mapped file)."""
    found = ServiceMapping.objects.filter(organisation=organisation, kind=kind).first()
    return found or ServiceMapping(organisation=organisation, kind=kind)


def _merged(values: dict, more: dict) -> dict:
    merged = {column: dict(pairs) for column, pairs in values.items()}
    for column, pairs in more.items():
        merged.setdefault(column, {}).update(pairs)
    return merged


def remember_mapping(
    organisation: Organisation,
    kind: str,
    column_mapping: dict,
    value_mapping: dict,
    *,
    user: User | None = None,
) -> ServiceMapping:
    """Keep the headers and values of a file that was stored (never of a refused one); the
    audit entry counts them and names none (values may be special category spellings)."""
    mapping = remembered_mapping(organisation, kind)
    mapping.columns = {**mapping.columns, **column_mapping}
    mapping.values = _merged(mapping.values, value_mapping)
    mapping.save()
    values = sum(len(pairs) for pairs in mapping.values.values())
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "service_mapping",
        mapping.pk,
        f"{Service.Kind(kind).label.lower()} files: {len(mapping.columns)} columns and "
        f"{values} values remembered",
        organisation=organisation,
    )
    return mapping


@dataclasses.dataclass
class ImportStep:
    """Where an upload ended up: "stored", "mapping" (waiting on the mapping page as `job`)
    or "refused" (every problem in `result`)."""

    outcome: str
    result: ServiceExtract
    job: ServiceImport | None = None


# An import left on the mapping page this long is ended (its file deleted) by the next upload.
STALE_AFTER = timedelta(hours=12)


def _save_upload(upload: Any) -> Path:
    """The upload as an owner-only file in the import directory shared with lifecycle
    imports, kept only while its import waits on the mapping page."""
    suffix = Path(upload.name).suffix.lower()
    target = lifecycle_imports.uploads_dir() / f"service-{secrets.token_hex(16)}{suffix}"
    try:
        with os.fdopen(
            os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb"
        ) as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def finish_import(job: ServiceImport, status: str) -> None:
    """End an import: its file is deleted whatever the ending."""
    if job.upload_path:
        Path(job.upload_path).unlink(missing_ok=True)
    job.upload_path = ""
    job.status = status
    job.save(update_fields=["upload_path", "status"])


def _end_left_imports(service: Service) -> None:
    """A new upload ends the service's import still waiting, and any of the organisation's
    left on the mapping page for too long, so no abandoned file stays on disk."""
    left = ServiceImport.objects.filter(
        organisation=service.organisation, status=ServiceImport.Status.WAITING
    )
    for job in left.filter(service=service) | left.filter(
        created_at__lt=timezone.now() - STALE_AFTER
    ):
        finish_import(job, ServiceImport.Status.CANCELLED)


def _audit_refusal(service: Service, filename: str, count: int, user: User | None) -> None:
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "service_import",
        service.pk,
        f"{service.name[:80]}: refused {filename[:120]}: {count} problems, nothing stored",
        organisation=service.organisation,
    )


def start_import(service: Service, upload: Any, *, user: User | None) -> ImportStep:
    """Read an upload with the remembered mapping. Clean, with every column known: stored at
    once (the next quarter's file of a mapped system). Headers nobody has decided on, or
    values nothing places: kept for the mapping page. Otherwise refused with every problem.
    The file is deleted at every ending but the mapping page."""
    filename = Path(upload.name).name[:255]
    _end_left_imports(service)
    path = _save_upload(upload)
    try:
        table = read_extract(path)
    except (ExtractReadError, OSError, ValueError) as error:
        path.unlink(missing_ok=True)
        _audit_refusal(service, filename, 1, user)
        return ImportStep(
            "refused", ServiceExtract(None, [Problem(None, None, None, str(error))], "records")
        )
    remembered = remembered_mapping(service.organisation, service.kind)
    source_columns = list(table.frame.columns)
    columns = suggest_column_mapping(source_columns, remembered.columns)
    result = _check(service, table, columns, remembered.values)
    undecided = undecided_columns(source_columns, remembered.columns)
    named_others = any(p.column == "service" for p in result.problems)
    if result.ok and not undecided:
        path.unlink(missing_ok=True)
        store_counts(service, result, source_filename=filename, user=user)
        return ImportStep("stored", result)
    if (result.unmapped_values or undecided) and not named_others:
        job = ServiceImport.objects.create(
            organisation=service.organisation,
            service=service,
            created_by=user if user is not None and user.is_authenticated else None,
            upload_path=str(path),
            source_filename=filename,
            source_columns=list(columns),
            column_mapping=columns,
        )
        return ImportStep("mapping", result, job)
    path.unlink(missing_ok=True)
    _audit_refusal(service, filename, len(result.problems), user)
    return ImportStep("refused", result)


def preview_import(job: ServiceImport) -> ServiceExtract:
    """The waiting file checked with the mapping chosen so far (for the mapping page: which
    values need a choice, which problems remain)."""
    table = read_extract(Path(job.upload_path))
    remembered = remembered_mapping(job.organisation, job.service.kind)
    return _check(
        job.service, table, job.column_mapping, _merged(remembered.values, job.value_mapping)
    )


def check_import(
    job: ServiceImport, column_mapping: dict, value_mapping: dict, *, user: User | None
) -> ImportStep:
    """Check the waiting file with the columns and values chosen on the mapping page: clean,
    it is stored and its mapping remembered; new values to place (a column just matched),
    it waits for them; any other problem refuses it, all or nothing. Then the file goes."""
    job.column_mapping = {c: column_mapping.get(c, "") for c in job.source_columns}
    job.value_mapping = _merged(job.value_mapping, value_mapping)
    job.save(update_fields=["column_mapping", "value_mapping"])
    service = job.service
    try:
        result = preview_import(job)
    except (ExtractReadError, OSError, ValueError) as error:
        finish_import(job, ServiceImport.Status.REFUSED)
        _audit_refusal(service, job.source_filename, 1, user)
        return ImportStep(
            "refused", ServiceExtract(None, [Problem(None, None, None, str(error))], "records")
        )
    if result.ok and result.counts is not None:
        with transaction.atomic():
            store_counts(service, result, source_filename=job.source_filename, user=user)
            remember_mapping(
                job.organisation, service.kind, job.column_mapping, job.value_mapping, user=user
            )
            finish_import(job, ServiceImport.Status.DONE)
        return ImportStep("stored", result)
    asked = {(c, v) for c, pairs in value_mapping.items() for v in pairs}
    new_values = any(
        (c, v) not in asked for c, values in result.unmapped_values.items() for v in values
    )
    if new_values:
        return ImportStep("mapping", result, job)
    finish_import(job, ServiceImport.Status.REFUSED)
    _audit_refusal(service, job.source_filename, len(result.problems), user)
    return ImportStep("refused", result)


def cancel_import(job: ServiceImport, *, user: User | None) -> None:
    finish_import(job, ServiceImport.Status.CANCELLED)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "service_import",
        job.service_id,
        f"{job.service.name[:80]}: cancelled {job.source_filename[:120]}, nothing stored",
        organisation=job.organisation,
    )


def store_counts(
    service: Service, result: ServiceExtract, *, source_filename: str, user: User | None
) -> StoredExtract:
    counts = result.counts
    assert counts is not None
    records = (
        int(counts.filter(pl.col("characteristic") == result.characteristics[0])["count"].sum())
        if result.characteristics
        else 0
    )
    with transaction.atomic():
        replaced = StoredExtract.objects.filter(service=service).first()
        StoredExtract.objects.filter(service=service).delete()
        stored = StoredExtract.objects.create(
            service=service,
            shape=result.shape,
            row_count=result.row_count,
            record_count=records,
            characteristics=list(result.characteristics),
            source_filename=source_filename[:255],
            imported_by=user if user is not None and user.is_authenticated else None,
            parquet=workforce.frame_to_parquet(counts),
        )
        warmup.schedule(service.organisation)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "service_extract",
        service.pk,
        f"{service.name[:80]}: {result.row_count} rows ({result.shape}) from "
        f"{source_filename[:120]}" + (" (replacing the previous extract)" if replaced else ""),
        organisation=service.organisation,
    )
    return stored


def counts_frame(service: Service) -> pl.DataFrame | None:
    stored = StoredExtract.objects.filter(service=service).first()
    if stored is None:
        return None
    return workforce.frame_from_parquet(bytes(stored.parquet)).select(list(COUNTS_SCHEMA))


def services_with_data(organisation: Organisation) -> set[int]:
    """The ids of the organisation's services that have an extract."""
    return set(
        StoredExtract.objects.filter(service__organisation=organisation).values_list(
            "service_id", flat=True
        )
    )


def organisation_counts(organisation: Organisation) -> pl.DataFrame:
    frames = [
        frame
        for service in Service.objects.filter(organisation=organisation)
        if (frame := counts_frame(service)) is not None
    ]
    return pl.concat(frames) if frames else pl.DataFrame(schema=COUNTS_SCHEMA)


# --- census tables ----------------------------------------------------------------------------


def save_census_table(
    organisation: Organisation,
    characteristic: str,
    upload: Any,
    filename: str,
    *,
    local_authority: str | None,
    user: User | None,
) -> list[str]:
    """Read and store one census table; the problems (empty when stored)."""
    try:
        frame = census.read_census_table(characteristic, upload, local_authority or None)
    except PopulationError as error:
        return list(error.problems)
    CensusTable.objects.update_or_create(
        organisation=organisation,
        characteristic=characteristic,
        defaults={"rows": frame.to_dicts(), "source_filename": filename[:255]},
    )
    warmup.schedule(organisation)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "census_table",
        characteristic,
        f"{census.TABLES[characteristic]} from {filename[:120]}",
        organisation=organisation,
    )
    return []


def residents(organisation: Organisation) -> pl.DataFrame:
    """Every census comparison of the organisation: its tables and the ethnic group benchmark."""
    parts = [census.from_ethnic_groups(workforce.population_frame(organisation))]
    for table in CensusTable.objects.filter(organisation=organisation):
        if table.rows:
            parts.append(pl.DataFrame(table.rows, schema=census.SCHEMA))
    return pl.concat(parts)


# --- figures ----------------------------------------------------------------------------------


FIGURES_CACHE_SECONDS = 24 * 3600


def data_version(organisation: Organisation) -> str:
    """Everything the service figures rest on, read from the database (the same key in every
    process): the services and their extracts, the census tables, the ethnic group benchmark,
    the threshold and rounding."""
    services = Service.objects.filter(organisation=organisation).order_by("pk")
    extracts = StoredExtract.objects.filter(service__organisation=organisation).order_by("pk")
    tables = CensusTable.objects.filter(organisation=organisation)
    population = workforce.current_population(organisation)
    parts = [
        *(f"v{v.pk}.{v.kind}.{v.name}" for v in services),
        *(f"x{x.service_id}.{x.pk}.{x.imported_at.timestamp()}" for x in extracts),
        *(f"c{t.characteristic}.{t.uploaded_at.timestamp()}" for t in tables),
        f"p{population.pk if population else 0}",
        f"t{organisation.suppression_threshold}.{int(organisation.round_counts_to_5)}",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def tables_for(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    """Every table of every service of the organisation; protected together when
    `published`. {} without any extract. Computed once (protecting them takes about a
    second) and kept in Django's cache under `data_version`."""
    key = f"service-figures:{organisation.pk}:{int(published)}:{data_version(organisation)}"
    tables = cache.get(key)
    if tables is None:
        tables = _compute_tables(organisation, published=published)
        cache.set(key, tables, timeout=FIGURES_CACHE_SECONDS)
    return tables


def _compute_tables(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    counts = organisation_counts(organisation)
    if counts.is_empty():
        return {}
    exact = figures.service_tables(counts, residents(organisation))
    if not published:
        return exact
    return figures.protected_tables(
        exact,
        threshold=organisation.suppression_threshold,
        round_to=5 if organisation.round_counts_to_5 else None,
    )


def warm_figures(organisation: Organisation) -> None:
    """The protected tables of every service, computed ahead (core.warmup)."""
    tables_for(organisation, published=True)


def service_tables(service: Service, *, published: bool) -> dict[str, pl.DataFrame]:
    """The organisation's tables (protected over all services together) cut to one service's
    rows: filtering chooses rows, never recomputes."""
    tables = tables_for(service.organisation, published=published)
    return {name: table.filter(pl.col("service") == service.name) for name, table in tables.items()}


def published_completeness(organisation: Organisation) -> list[dict]:
    """Every service's data completeness as anyone may read it (protected), labelled: the
    evidence for the Standard's 3.5 ("data robust enough to use for EqIAs")."""
    table = tables_for(organisation, published=True).get("completeness")
    if table is None:
        return []
    return [
        {**row, "characteristic_label": CHARACTERISTIC_LABELS[row["characteristic"]]}
        for row in table.to_dicts()
    ]


def overview_tables(organisation: Organisation, user: User) -> tuple[dict[str, pl.DataFrame], bool]:
    """Every service's tables for the overview, as `page_tables` decides and audits."""
    exact = bool(user.has_personal_access)
    tables = tables_for(organisation, published=not exact)
    if exact and tables:
        audit.record(
            user,
            AuditEvent.Action.VIEW,
            "service_figures",
            "",
            "exact figures: data completeness of every service",
            organisation=organisation,
        )
    return tables, exact


def page_tables(service: Service, user: User) -> tuple[dict[str, pl.DataFrame], bool]:
    """(tables, exact) as `user` may see them: exact for people with access to personal
    records (the view audited, as workforce and lifecycle pages audit theirs), protected for
    everyone else."""
    exact = bool(user.has_personal_access)
    tables = service_tables(service, published=not exact)
    if exact and tables:
        audit.record(
            user,
            AuditEvent.Action.VIEW,
            "service_figures",
            service.pk,
            f"exact figures: {service.name[:80]}",
            organisation=service.organisation,
        )
    return tables, exact


def profiles(tables: dict[str, pl.DataFrame]) -> list[dict]:
    """Each characteristic's profile table of `tables` (from `page_tables`) as rows for the
    templates, ethnicity first (the programme's focus): the service page and an EqIA's
    evidence read the same rows, so the two cannot disagree."""
    found = []
    for name, table in tables.items():
        if not name.startswith("profile_"):
            continue
        rows = table.to_dicts()
        found.append(
            {
                "name": name,
                "label": CHARACTERISTIC_LABELS[name.removeprefix("profile_")],
                "rows": rows,
                "has_residents": any(r["resident_percent"] is not None for r in rows),
            }
        )
    found.sort(key=lambda p: p["name"] != "profile_ethnicity")
    return found


def completeness_rows(tables: dict[str, pl.DataFrame]) -> list[dict]:
    """The completeness table of `tables`, each characteristic labelled; [] without data."""
    table = tables.get("completeness")
    if table is None:
        return []
    return [
        {**row, "characteristic_label": CHARACTERISTIC_LABELS[row["characteristic"]]}
        for row in table.to_dicts()
    ]


def download_csv(service: Service, name: str, *, published: bool, user: User | None) -> bytes:
    """One table of a service as inert CSV, audited. KeyError for a table it has not."""
    table = service_tables(service, published=published)[name]
    audit.record(
        user,
        AuditEvent.Action.EXPORT,
        "service_figures",
        service.pk,
        f"{service.name[:80]}: {TABLE_TITLES.get(name, name)} as csv "
        f"({'protected' if published else 'exact'})",
        organisation=service.organisation,
    )
    return tabular.csv_bytes(table.columns, table.rows())


__all__ = [
    "READ_ROLES",
    "cancel_import",
    "check_import",
    "completeness_rows",
    "create_service",
    "download_csv",
    "import_extract",
    "page_tables",
    "profiles",
    "read_service_extract",
    "residents",
    "save_census_table",
    "service_tables",
    "start_import",
    "tables_for",
]
