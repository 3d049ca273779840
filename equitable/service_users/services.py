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
from typing import Any

import polars as pl
from django.db import transaction

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.files import tabular
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
    validate_service_extract,
)
from equitable.service_users.models import CensusTable, Service
from equitable.service_users.models import ServiceExtract as StoredExtract
from equitable.workforce import services as workforce

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
    """Validate the upload and, when it is clean, store its counts as the service's current
    extract (replacing the one before). The result lists every problem otherwise."""
    try:
        table = read_extract(upload, filename)
    except (ExtractReadError, OSError) as error:
        return ServiceExtract(None, [Problem(None, None, None, str(error))], "records")
    table, problems = _for_service(table, service)
    if problems:
        return ServiceExtract(None, problems, "records")
    result = validate_service_extract(table)
    if result.ok and result.counts is not None:
        store_counts(service, result, source_filename=filename, user=user)
    return result


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


def tables_for(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    """Every table of every service of the organisation; protected together when
    `published`. {} without any extract."""
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
    "tables_for",
]
