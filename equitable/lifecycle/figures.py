"""Lifecycle figures per family: exact (EDI officer, HR analyst) and protected (everyone else).

A family is the set of tables one library module computes together (recruitment, movements,
casework, development). Why the family is the unit: disclosure control must see every table a
non-personal reader can reach from one data set in one `protect` call, so that no two views
(a period, a directorate, ethnicity by sex) can be differenced against each other. Pages,
downloads, the API and the command line's --published all read `published_family`; filters
select rows of it and never recompute a figure.

Where a family's pools are snapshot headcounts, the cells the workforce pages withhold for
those snapshots are withheld here too (`<family>_withhold`), so the two publications read
together give nothing away that either withholds.

Cached (Django's cache, and the protected ones in the database for every process) under a key
made of everything the figures rest on, all read from the database so that every process makes
the same key: the record sets and snapshots (ids and import times), the threshold and rounding,
the population benchmark and the social care setting. (A generation counter in the cache was
part of the key once; each process without a shared cache had its own, so a second process
missed the stored figures and protected them again, for minutes under load.)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import date
from types import ModuleType

import polars as pl
from django.core.cache import cache
from django.db import transaction

from equitable.core.models import Directorate, Organisation
from equitable.core.request_memo import per_request
from equitable.lifecycle import families
from equitable.lifecycle.models import LifecycleSettings, RecordSet, StoredFigures
from equitable.lifecycle.storage import records_frame
from equitable.metrics.lifecycle import publishing
from equitable.surveys import figures as survey_figures
from equitable.workforce import services as workforce

FAMILIES = families.FAMILIES
CACHE_SECONDS = 24 * 3600
# The default social care workforce: directorates whose name says so.
SOCIAL_CARE_PATTERN = re.compile(r"adult|children|social care", re.IGNORECASE)


# --- cache keys -----------------------------------------------------------------------------


@per_request
def data_version(organisation: Organisation) -> str:
    """Everything the organisation's lifecycle figures rest on, as one string."""
    sets = RecordSet.objects.filter(organisation=organisation).order_by("kind")
    snapshots = workforce.snapshots_of(organisation)
    population = workforce.current_population(organisation)
    settings = LifecycleSettings.objects.filter(organisation=organisation).first()
    parts = [
        *(f"{r.kind}.{r.pk}.{r.imported_at.timestamp()}" for r in sets),
        *(f"s{s.pk}.{s.imported_at.timestamp()}" for s in snapshots),
        f"t{organisation.suppression_threshold}.{int(organisation.round_counts_to_5)}",
        f"p{population.pk if population else 0}",
        f"c{settings.updated_at.timestamp() if settings else 0}",
    ]
    return "|".join(parts)


def _cached(key: str, compute: Callable[[], dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    tables = cache.get(key)
    if tables is None:
        tables = compute()
        cache.set(key, tables, timeout=CACHE_SECONDS)
    return tables


def _stored(
    organisation: Organisation,
    name: str,
    key: str,
    compute: Callable[[], dict[str, pl.DataFrame]],
) -> dict[str, pl.DataFrame]:
    """Protected tables: this process's cache, else the database (shared by every worker),
    else computed once and kept in both (see StoredFigures)."""

    def from_database_or_compute() -> dict[str, pl.DataFrame]:
        digest = hashlib.sha256(key.encode()).hexdigest()
        row = StoredFigures.objects.filter(key=digest).only("tables").first()
        if row is not None:
            return workforce.decode_tables(row.tables)
        tables = compute()
        with transaction.atomic():
            StoredFigures.objects.filter(organisation=organisation, name=name).delete()
            StoredFigures.objects.get_or_create(
                key=digest,
                defaults={
                    "organisation": organisation,
                    "name": name,
                    "tables": workforce.encode_tables(tables),
                },
            )
        return tables

    return _cached(key, from_database_or_compute)


# --- the inputs of each family ----------------------------------------------------------------


def _check_family(family: str) -> None:
    if family not in FAMILIES:
        raise ValueError(f"{family!r} is not a lifecycle family ({', '.join(FAMILIES)})")


def snapshots_for(
    organisation: Organisation, directorates: Sequence[str] | None = None
) -> list[tuple[date, pl.DataFrame]]:
    """Every snapshot's frame, oldest first; only the given directorates' staff when given."""
    frames = workforce.snapshot_frames(organisation)
    if directorates is None:
        return frames
    chosen = sorted(set(directorates))
    return [(on, frame.filter(pl.col("directorate").is_in(chosen))) for on, frame in frames]


def inputs_for(
    organisation: Organisation, directorates: Sequence[str] | None = None
) -> families.Inputs:
    """The stored record sets and snapshots (of some directorates only, when given)."""

    def records(kind: str) -> pl.DataFrame | None:
        frame = records_frame(organisation, kind)
        if frame is None or directorates is None:
            return frame
        if "directorate" in frame.columns:
            return frame.filter(pl.col("directorate").is_in(sorted(set(directorates))))
        if "employee_key" in frame.columns:  # linked to staff: keep the directorates' staff
            keys = pl.concat(
                [f.select("employee_key") for _, f in snapshots_for(organisation, directorates)]
                or [pl.DataFrame({"employee_key": []}, schema={"employee_key": pl.String})]
            )
            return frame.filter(pl.col("employee_key").is_in(keys["employee_key"].implode()))
        return frame

    return families.Inputs(
        applications=records("applications"),
        application_counts=records("application_counts"),
        cases=records("cases"),
        leavers=records("leavers"),
        development=records("development"),
        snapshots=snapshots_for(organisation, directorates),
    )


def has_data(organisation: Organisation, family: str) -> bool:
    """Whether the family has what it needs (its record files, and snapshots where needed)."""
    _check_family(family)
    kinds = set(RecordSet.objects.filter(organisation=organisation).values_list("kind", flat=True))
    return families.FAMILIES[family].available(kinds, len(workforce.snapshots_of(organisation)))


# --- exact and published ---------------------------------------------------------------------


def exact_family(organisation: Organisation, family: str) -> dict[str, pl.DataFrame]:
    """Every exact table of one family ({} when its data is missing). EDI officer and HR
    analyst only: callers decide who sees these (`views`, `api` through `tables_for`)."""
    _check_family(family)
    if not has_data(organisation, family):
        return {}
    key = f"lifecycle-exact:{organisation.pk}:{family}:{data_version(organisation)}"
    return _cached(key, lambda: FAMILIES[family].compute(inputs_for(organisation)))


def _published_workforce(organisation: Organisation) -> dict[date, dict[str, pl.DataFrame]]:
    return {
        s.snapshot_date: workforce.published_tables(s) for s in workforce.snapshots_of(organisation)
    }


def protect_family(
    organisation: Organisation,
    module: ModuleType,
    family: str,
    tables: dict[str, pl.DataFrame],
    published_workforce: dict[date, dict[str, pl.DataFrame]],
) -> dict[str, pl.DataFrame]:
    """The one `protect` call for all of a family's tables, with the organisation's threshold
    and rounding, withholding what the workforce pages withhold for the snapshots concerned."""
    if not tables:
        return {}
    return publishing.protect_family(
        module,
        tables,
        threshold=organisation.suppression_threshold,
        round_to=5 if organisation.round_counts_to_5 else None,
        withhold=families.withhold(module, family, published_workforce),
    )


def published_family(organisation: Organisation, family: str) -> dict[str, pl.DataFrame]:
    """Every table of one family as anyone without personal access may see it (protected
    together), cached until anything it rests on changes."""
    _check_family(family)
    if not has_data(organisation, family):
        return {}
    key = f"lifecycle-published:{organisation.pk}:{family}:{data_version(organisation)}"
    return _stored(
        organisation,
        family,
        key,
        lambda: protect_family(
            organisation,
            FAMILIES[family].module(),
            family,
            exact_family(organisation, family),
            _published_workforce(organisation),
        ),
    )


def family_tables(
    organisation: Organisation, family: str, *, published: bool
) -> dict[str, pl.DataFrame]:
    return (published_family if published else exact_family)(organisation, family)


def warm_figures(organisation: Organisation) -> None:
    """Every family's protected tables and the protected WRES, stored (core.warmup)."""
    for family in FAMILIES:
        published_family(organisation, family)
    wres_tables(organisation, published=True)


# --- WRES and Social Care WRES ------------------------------------------------------------------


def _all_families(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    tables: dict[str, pl.DataFrame] = {}
    for family in FAMILIES:
        tables.update(family_tables(organisation, family, published=published))
    return tables


def wres_tables(organisation: Organisation, *, published: bool) -> dict[str, pl.DataFrame]:
    """WRES indicators 1-4 and 9 from the lifecycle families and the newest snapshot's
    workforce tables (protected ones when `published`); 5-8 are marked as from surveys."""
    latest = workforce.latest_snapshot(organisation)
    workforce_tables = (
        workforce.tables_for(organisation, latest, published=published) if latest else {}
    )
    lifecycle = _all_families(organisation, published=published)
    if not lifecycle and not workforce_tables:
        return {}
    survey, source, survey_key = _survey_wres(organisation)
    key = (
        f"lifecycle-wres:{organisation.pk}:{int(published)}:{data_version(organisation)}:"
        f"{survey_key}"
    )
    return _cached(key, lambda: families.wres(lifecycle, workforce_tables, survey, source))


def _survey_wres(organisation: Organisation) -> tuple[dict[str, pl.DataFrame] | None, str, str]:
    """WRES 5-8 and SC-WRES 6-7: the newest survey's published `wres_survey` rows (the same
    for every reader), the source to name, and a key that changes with them."""
    wave, rows = survey_figures.latest_wres(organisation)
    survey = {"wres_survey": pl.DataFrame(rows)} if rows else None
    source = f"staff survey: {wave.title}" if wave is not None else "staff survey"
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
    return survey, source, digest[:16]


# --- the social care workforce ------------------------------------------------------------------


def directorate_names(organisation: Organisation) -> list[str]:
    """Directorates of the organisation and of its newest snapshot, in name order."""
    names = set(
        Directorate.objects.filter(organisation=organisation).values_list("name", flat=True)
    )
    latest = workforce.latest_snapshot(organisation)
    if latest is not None:
        frame = workforce.snapshot_frame(latest)
        if "directorate" in frame.columns:
            names.update(v for v in frame["directorate"].unique().to_list() if v)
    return sorted(names)


def social_care_directorates(organisation: Organisation) -> list[str]:
    """The social care workforce's directorates: the EDI officer's choice, or by default those
    whose name contains "Adult", "Children" or "Social care"."""
    settings = LifecycleSettings.objects.filter(organisation=organisation).first()
    if settings is not None and settings.social_care_directorates is not None:
        return list(settings.social_care_directorates)
    return [d for d in directorate_names(organisation) if SOCIAL_CARE_PATTERN.search(d)]


def social_care_is_default(organisation: Organisation) -> bool:
    settings = LifecycleSettings.objects.filter(organisation=organisation).first()
    return settings is None or settings.social_care_directorates is None


def set_social_care_directorates(
    organisation: Organisation, directorates: Sequence[str] | None, *, user
) -> LifecycleSettings:
    """Choose the social care directorates (None: back to the default rule), audited."""
    from equitable.core import audit
    from equitable.core.models import AuditEvent

    settings, _ = LifecycleSettings.objects.get_or_create(organisation=organisation)
    settings.social_care_directorates = None if directorates is None else sorted(directorates)
    settings.save()
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "lifecycle_settings",
        settings.pk,
        "social care directorates: "
        + ("the default rule" if directorates is None else ", ".join(sorted(directorates))[:400]),
        organisation=organisation,
    )
    return settings


def social_care_wres_tables(
    organisation: Organisation, *, published: bool
) -> dict[str, pl.DataFrame]:
    """The Social Care WRES return (metrics 1-9; 6 and 7 from the newest staff survey with the
    questions marked, for all its respondents, else marked missing) for the
    social care directorates' staff, exact: for the EDI officer and HR analyst, who submit it.

    Not published (`published` gives nothing): the return's figures are the social care
    subset's, and beside the organisation-wide published figures the difference would be the
    other directorates' counts, which no protection of the subset alone can account for. The
    lifecycle pages' directorate breakdowns are the protected view of the same staff."""
    chosen = social_care_directorates(organisation)
    if published or not chosen or not workforce.snapshots_of(organisation):
        return {}
    survey, source, survey_key = _survey_wres(organisation)
    key = f"lifecycle-scwres:{organisation.pk}:{data_version(organisation)}:{survey_key}"
    # The full organisation's records: the library keeps the social care staff's own.
    return _cached(
        key,
        lambda: families.social_care_wres(inputs_for(organisation), chosen, survey, source),
    )
