"""Programmes, cohorts and their lists: entering and importing people by employee id, and the
cohort's figures (exact, or protected together for people without personal-data access).

Why ids are checked against the start snapshot: a cohort's figures read each person's
characteristics from the snapshot on or before its start, so an id it does not hold (a typing
slip, someone who joined later) would count in nothing; it is refused, with its row, so the
list and the figures agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import polars as pl
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.signals import figures_changed
from equitable.files.limits import UnsafeFile
from equitable.metrics.disclosure_control import protect
from equitable.metrics.extract import _keyed_hashes
from equitable.metrics.programmes import figures as programme_figures
from equitable.metrics.programmes.figures import CohortFigures
from equitable.metrics.reading import ExtractReadError, header_key, read_source
from equitable.programmes.models import Cohort, Participant, Programme
from equitable.workforce import services as workforce

READ_ROLES = R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION}
EDIT_ROLES = R.IMPORT_ROLES
STATUS_VALUES = tuple(Participant.Status.values)
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a list, by its row (line) and column; never the id itself."""

    row: int | None
    column: str
    message: str


# --- keyed ids and the start snapshot ---------------------------------------------------------


def keyed_ids(ids: list[str]) -> list[str]:
    """Each employee id as the workforce snapshots keep it (the same keyed hash)."""
    hashed = _keyed_hashes(pl.Series(ids, dtype=pl.String), workforce.id_hash_key())
    assert hashed is not None
    return hashed.to_list()


def start_of(cohort: Cohort) -> tuple[date, pl.DataFrame] | None:
    """The workforce snapshot on or before the cohort's start, with its frame."""
    before = [
        s
        for s in workforce.snapshots_of(cohort.organisation)
        if s.snapshot_date <= cohort.start_date
    ]
    if not before:
        return None
    snapshot = before[-1]
    return snapshot.snapshot_date, workforce.snapshot_frame(snapshot)


def _checked(
    cohort: Cohort,
    rows: list[tuple[int, str | None, str | None]],
    id_column: str,
    status_column: str,
) -> tuple[list[tuple[str, str]], list[Problem]]:
    """(keyed id, status) per row, or every problem: blank or repeated ids, unknown statuses,
    ids the start snapshot does not hold."""
    problems: list[Problem] = []
    start = start_of(cohort)
    if start is None:
        return [], [
            Problem(
                None,
                id_column,
                f"no workforce snapshot is dated on or before the cohort's start "
                f"({cohort.start_date:%d/%m/%Y}): import one first",
            )
        ]
    start_date, frame = start
    known = set(frame["employee_key"].to_list())
    seen: dict[str, int] = {}
    ids = [
        (row, (value or "").strip(), (status or "").strip().lower()) for row, value, status in rows
    ]
    hashed = keyed_ids([value for _, value, _ in ids])
    listed: list[tuple[str, str]] = []
    for (row, value, status), key in zip(ids, hashed, strict=True):
        if not value:
            problems.append(Problem(row, id_column, "no employee id"))
            continue
        if status not in STATUS_VALUES:
            problems.append(
                Problem(row, status_column, f"status must be one of {', '.join(STATUS_VALUES)}")
            )
        if key in seen:
            problems.append(Problem(row, id_column, f"the same employee id as row {seen[key]}"))
            continue
        seen[key] = row
        if key not in known:
            problems.append(
                Problem(
                    row,
                    id_column,
                    f"not in the workforce snapshot of {start_date:%d/%m/%Y} "
                    "(the last one on or before the cohort's start)",
                )
            )
        listed.append((key, status))
    return listed, problems[:MAX_PROBLEMS]


def _store(cohort: Cohort, listed: list[tuple[str, str]], *, replace: bool) -> None:
    with transaction.atomic():
        if replace:
            cohort.participants.all().delete()
        existing = {p.employee_key: p for p in cohort.participants.all()}
        new = []
        for key, status in listed:
            participant = existing.get(key)
            if participant is None:
                new.append(Participant(cohort=cohort, employee_key=key, status=status))
            elif participant.status != status:
                participant.status = status
                participant.save(update_fields=["status", "updated_at"])
        Participant.objects.bulk_create(new)
    # The action plan's programme measures read the lists.
    figures_changed.send(sender=Cohort, organisation=cohort.organisation)


def enter_ids(cohort: Cohort, text: str, status: str, *, user: User | None) -> list[Problem]:
    """Add (or update) the ids typed one per line with one status; nothing when any line
    has a problem."""
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)]
    rows: list[tuple[int, str | None, str | None]] = [
        (number, line, status) for number, line in lines if line.strip()
    ]
    if not rows:
        return [Problem(None, "employee ids", "enter at least one employee id")]
    listed, problems = _checked(cohort, rows, "employee ids", "status")
    if problems:
        return problems
    _store(cohort, listed, replace=False)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "programme_cohort",
        cohort.pk,
        f"{len(listed)} people entered as {status}",
        organisation=cohort.organisation,
    )
    return []


def import_list(cohort: Cohort, data: bytes, filename: str, *, user: User | None) -> list[Problem]:
    """Replace the cohort's list with a CSV or XLSX file (columns employee_id and status),
    all or nothing."""
    try:
        source = read_source(data, filename.lower())
    except (ExtractReadError, UnsafeFile) as error:
        return [Problem(None, "file", str(error))]
    headers = {header_key(name): name for name in source.frame.columns}
    wanted: dict[str, str | None] = {"employee_id": None, "status": None}
    for canonical in wanted:
        wanted[canonical] = headers.get(header_key(canonical))
    missing = [name for name, found in wanted.items() if found is None]
    if missing:
        return [Problem(None, name, "the file has no such column") for name in missing]
    first = source.first_data_row
    id_column, status_column = wanted["employee_id"], wanted["status"]
    assert id_column is not None and status_column is not None
    rows = [
        (first + index, value, status)
        for index, (value, status) in enumerate(
            source.frame.select(id_column, status_column).iter_rows()
        )
        if (value or "").strip() or (status or "").strip()
    ]
    if not rows:
        return [Problem(None, "employee_id", "the file lists nobody")]
    listed, problems = _checked(cohort, rows, "employee_id", "status")
    if problems:
        return problems
    _store(cohort, listed, replace=True)
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "programme_cohort",
        cohort.pk,
        f"list of {len(listed)} people imported from {filename[:80]}",
        organisation=cohort.organisation,
    )
    return []


def clear_list(cohort: Cohort, *, user: User | None) -> int:
    count, _ = cohort.participants.all().delete()
    figures_changed.send(sender=Cohort, organisation=cohort.organisation)
    audit.record(
        user,
        AuditEvent.Action.DELETE,
        "programme_cohort",
        cohort.pk,
        f"list of {count} people removed",
        organisation=cohort.organisation,
    )
    return count


# --- figures -------------------------------------------------------------------------------------


def listed_frame(cohort: Cohort) -> pl.DataFrame:
    rows = list(cohort.participants.values_list("employee_key", "status"))
    return pl.DataFrame(rows, schema={"employee_key": pl.String, "status": pl.String}, orient="row")


def exact_figures(cohort: Cohort) -> CohortFigures:
    return programme_figures.cohort_figures(
        workforce.snapshot_frames(cohort.organisation),
        listed_frame(cohort),
        start=cohort.start_date,
        eligibility=cohort.eligibility,
    )


def _version(cohort: Cohort) -> str:
    """What a cohort's protected tables depend on: its own fields, its list, the snapshots
    and the organisation's protection settings."""
    listed = cohort.participants.aggregate(count=Count("id"), changed=Max("updated_at"))
    snapshots = [
        (s.pk, str(s.snapshot_date), str(s.imported_at))
        for s in workforce.snapshots_of(cohort.organisation)
    ]
    organisation = cohort.organisation
    parts = (
        cohort.pk,
        cohort.start_date,
        cohort.pay_bands,
        cohort.grades,
        cohort.directorates,
        cohort.leadership_tiers,
        listed,
        snapshots,
        organisation.suppression_threshold,
        organisation.round_counts_to_5,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def protected_for(cohort: Cohort, figures: CohortFigures) -> dict[str, pl.DataFrame]:
    """The cohort's protected tables, kept in Django's cache by what they depend on
    (protecting a cohort's dozen tables takes about a second)."""
    key = f"programme-figures:{_version(cohort)}"
    found = cache.get(key)
    if found is None:
        found = protected(figures, cohort.organisation)
        cache.set(key, found, timeout=24 * 3600)
    return found


def protected(figures: CohortFigures, organisation: Organisation) -> dict[str, pl.DataFrame]:
    if not figures.tables:
        return {}
    return protect(
        figures.tables,
        layouts=figures.layouts,
        threshold=organisation.suppression_threshold,
        round_to=5 if organisation.round_counts_to_5 else None,
    )


def own_directorates(user: User) -> list[str] | None:
    if user.role != R.Role.CHAMPION:
        return None
    return list(user.directorates.values_list("name", flat=True))


def page_tables(cohort: Cohort, user: User) -> tuple[dict[str, pl.DataFrame], bool, CohortFigures]:
    """(tables, exact, figures) as `user` may see them: exact for personal-data roles (the
    view audited), else protected together; a champion sees only the participation rows of
    their own directorates (protected with every other table, then chosen)."""
    figures = exact_figures(cohort)
    exact = bool(user.has_personal_access)
    if exact:
        if figures.tables:
            audit.record(
                user,
                AuditEvent.Action.VIEW,
                "programme_figures",
                cohort.pk,
                f"exact figures: {str(cohort)[:100]}",
                organisation=cohort.organisation,
            )
        return figures.tables, True, figures
    tables = protected_for(cohort, figures)
    own = own_directorates(user)
    if own is not None:
        by_directorate = tables.get("participation_by_directorate")
        tables = (
            {}
            if by_directorate is None
            else {
                "participation_by_directorate": by_directorate.filter(
                    pl.col("directorate").is_in(own)
                )
            }
        )
    return tables, False, figures


def programmes_for(organisation: Organisation):
    return Programme.objects.filter(organisation=organisation).prefetch_related("cohorts")


def cohort_rows(organisation: Organisation, *, published: bool) -> list:
    """Every cohort's kind, start and tables as rows (exact, or protected cohort by cohort),
    for the action plan's computed measures (`actions.programme_measures`)."""
    from equitable.actions.programme_measures import CohortRows

    found = []
    for cohort in Cohort.objects.filter(programme__organisation=organisation).select_related(
        "programme"
    ):
        if not cohort.participants.exists():
            continue
        figures = exact_figures(cohort)
        tables = protected_for(cohort, figures) if published else figures.tables
        found.append(
            CohortRows(
                cohort.programme.kind,
                cohort.start_date,
                {name: frame.to_dicts() for name, frame in tables.items()},
            )
        )
    return found
