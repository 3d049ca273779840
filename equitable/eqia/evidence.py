"""The workforce evidence of an assessment: its scope in the stored snapshots, through
`equitable.metrics.eqia.evidence`.

"Before" is the latest snapshot on or before the decision date (the newest when there is no
decision date yet); "after", when one exists, the first snapshot after it: what the workforce
in scope became. Readers with access to personal records (`PERSONAL_DATA_ROLES`) see the exact
tables and their view is audited; everyone else sees `protected_evidence`, one disclosure
control call per snapshot over all of its tables (they are shown together, so their shared
sums must be protected together), at the organisation's threshold.

For a service change the evidence is each linked service's users (or complaints) against the
borough's residents: exactly the tables the service's own page shows this reader, from
`service_users.services.page_tables`, which decides exact or protected and audits an exact
view; nothing is recomputed or protected again here.

Uploaded lists of employee ids are hashed here with the key the snapshots use, and only the
hashes are stored; the problems of a list name its lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from equitable.core import audit
from equitable.core.models import AuditEvent, User
from equitable.eqia.models import Assessment
from equitable.metrics.eqia import evidence as library
from equitable.metrics.extract import _keyed_hashes
from equitable.metrics.prepared import FigureInputError
from equitable.service_users import services as service_users
from equitable.service_users.models import Service
from equitable.workforce import services as workforce
from equitable.workforce.models import Snapshot

MAX_IDS = 50_000
MAX_ID_LENGTH = 50
# The characteristics shown, with their category column and how a heading names them.
SHOWN = (
    ("ethnic_group", "ethnic_group", "Ethnic group"),
    ("ethnicity", "ethnicity", "Ethnicity (detailed)"),
    ("sex", "sex", "Sex"),
    ("disability", "disability", "Disability"),
    ("age_band", "age_band", "Age"),
    ("religion", "religion", "Religion or belief"),
    ("sexual_orientation", "sexual_orientation", "Sexual orientation"),
)
SET_LABELS = {
    "organisation": "Organisation",
    "in_scope": "In scope",
    "after": "In scope after the proposal",
}


class IdListError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_id_list(text: str) -> list[str]:
    """Employee ids, one a line (a CSV's first column; a header line "employee_id" is
    skipped). Raises IdListError listing every problem with its line."""
    problems: list[str] = []
    ids: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.split(",", 1)[0].strip().strip('"').strip()
        if not value or (number == 1 and value.lower().replace(" ", "_") == "employee_id"):
            continue
        if len(value) > MAX_ID_LENGTH:
            problems.append(f"Line {number}: an id is at most {MAX_ID_LENGTH} characters")
        elif value in seen:
            problems.append(f"Line {number}: the same id as line {seen[value]}")
        else:
            seen[value] = number
            ids.append(value)
    if len(ids) > MAX_IDS:
        problems.append(f"The list has {len(ids):,} ids; at most {MAX_IDS:,} are read")
    if not ids and not problems:
        problems.append("The list has no employee ids")
    if problems:
        raise IdListError(problems)
    return ids


def hash_ids(ids: list[str]) -> list[str]:
    """The keyed hashes the stored snapshots carry for these ids (never the ids)."""
    hashed = _keyed_hashes(pl.Series("employee_id", ids, dtype=pl.String), workforce.id_hash_key())
    assert hashed is not None  # no stop event: always finishes
    return hashed.to_list()


def save_scope(
    assessment: Assessment,
    user: User,
    *,
    scope: dict[str, tuple[str, ...]],
    in_scope_ids: list[str] | None,
    affected_ids: list[str] | None,
    clear_lists: bool = False,
) -> None:
    """Store the scope filter and the hashes of the lists given (a list not given is kept,
    unless `clear_lists`); audited with counts only."""
    assessment.scope_filter = {column: list(values) for column, values in scope.items()}
    if clear_lists:
        assessment.scope_keys, assessment.affected_keys = [], []
    if in_scope_ids is not None:
        assessment.scope_keys = hash_ids(in_scope_ids)
    if affected_ids is not None:
        assessment.affected_keys = hash_ids(affected_ids)
    assessment.save()
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "eqia",
        assessment.pk,
        f"workforce scope: {len(scope)} filter column(s), {len(assessment.scope_keys)} listed "
        f"in scope, {len(assessment.affected_keys)} listed as affected",
    )


def snapshots_around(assessment: Assessment) -> tuple[Snapshot | None, Snapshot | None]:
    snapshots = Snapshot.objects.filter(organisation=assessment.organisation)
    if assessment.decision_date is None:
        return snapshots.order_by("-snapshot_date").first(), None
    before = (
        snapshots.filter(snapshot_date__lte=assessment.decision_date)
        .order_by("-snapshot_date")
        .first()
    )
    after = (
        snapshots.filter(snapshot_date__gt=assessment.decision_date)
        .order_by("snapshot_date")
        .first()
    )
    return before, after


@dataclass
class SnapshotEvidence:
    on: date
    tables: dict[str, list[dict]]
    sections: list[dict] = field(default_factory=list)
    likelihoods: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Evidence:
    published: bool
    before: SnapshotEvidence | None = None
    after: SnapshotEvidence | None = None
    problems: list[str] = field(default_factory=list)


def _tables(
    assessment: Assessment, snapshot: Snapshot, *, affected: bool, published: bool
) -> dict[str, pl.DataFrame]:
    frame = workforce.snapshot_frame(snapshot)
    exact = library.evidence_tables(
        frame,
        assessment.scope_filter or None,
        in_scope_keys=assessment.scope_keys or None,
        affected_keys=(assessment.affected_keys or None) if affected else None,
        population=workforce.population_frame(assessment.organisation),
    )
    if not published:
        return exact
    return library.protected_evidence(
        exact, threshold=assessment.organisation.suppression_threshold
    )


def _sections(tables: dict[str, list[dict]]) -> list[dict]:
    """One table per characteristic: each category's count and share in every set shown."""
    residents = {r["ethnic_group"]: r for r in tables.get("residents_by_ethnic_group", [])}
    sections = []
    for name, column, title in SHOWN:
        sets = [s for s in library.SETS if f"{s}_by_{name}" in tables]
        if not sets:
            continue
        by_set = {s: tables[f"{s}_by_{name}"] for s in sets}
        columns = [("category", title, "text")]
        for s in sets:
            columns += [(f"{s}_count", f"{SET_LABELS[s]}: number", "count")]
            columns += [(f"{s}_percent", f"{SET_LABELS[s]}: %", "percent")]
        if name == "ethnic_group" and residents:
            columns += [("residents_percent", "Residents: %", "percent")]
        rows = []
        for position, first in enumerate(by_set[sets[0]]):
            row: dict = {"category": first[column], "suppressed": False}
            for s in sets:
                source = by_set[s][position] if position < len(by_set[s]) else {}
                row[f"{s}_count"] = source.get("count")
                row[f"{s}_percent"] = source.get("percent")
                row["suppressed"] = row["suppressed"] or bool(source.get("suppressed"))
            if name == "ethnic_group" and residents:
                resident = residents.get(first[column]) or {}
                row["residents_percent"] = resident.get("percent")
            rows.append(row)
        sections.append({"title": title, "columns": columns, "rows": rows, "name": name})
    return sections


LIKELIHOODS = (
    ("in_scope_relative_likelihood", "Relative likelihood of being in scope"),
    ("affected_relative_likelihood", "Relative likelihood of being affected"),
)
LIKELIHOOD_COLUMNS = [
    ("ethnic_group", "Group", "text"),
    ("reference_group", "Compared with", "text"),
    ("group_pool", "Staff in group", "count"),
    ("group_count", "Of whom in scope or affected", "count"),
    ("relative_likelihood", "Relative likelihood", "ratio"),
    ("ci_low", "95% interval from", "ratio"),
    ("ci_high", "95% interval to", "ratio"),
]


def _snapshot_evidence(
    assessment: Assessment, snapshot: Snapshot, *, affected: bool, published: bool
) -> SnapshotEvidence:
    frames = _tables(assessment, snapshot, affected=affected, published=published)
    tables = {name: frame.to_dicts() for name, frame in frames.items()}
    likelihoods = [
        {"title": title, "columns": LIKELIHOOD_COLUMNS, "rows": tables[name], "name": name}
        for name, title in LIKELIHOODS
        if name in tables
    ]
    notes = [row["message"] for row in tables.get("evidence_notes", []) if row.get("message")]
    return SnapshotEvidence(
        on=snapshot.snapshot_date,
        tables=tables,
        sections=_sections(tables),
        likelihoods=likelihoods,
        notes=notes,
    )


def evidence_for(assessment: Assessment, user: User) -> Evidence:
    """The before and after evidence as this user may see it; an exact view is audited."""
    published = not user.has_personal_access
    result = Evidence(published=published)
    if not assessment.has_workforce_scope:
        return result
    before, after = snapshots_around(assessment)
    if before is None:
        result.problems.append(
            "There is no workforce snapshot on or before the decision date to draw evidence from"
        )
        return result
    try:
        result.before = _snapshot_evidence(assessment, before, affected=True, published=published)
        if after is not None:
            result.after = _snapshot_evidence(
                assessment, after, affected=False, published=published
            )
    except (library.ScopeError, FigureInputError) as error:  # each lists its problems
        result.problems.extend(error.problems)
        result.before = result.after = None
        return result
    if not published:
        audit.record(
            user,
            AuditEvent.Action.VIEW,
            "eqia_evidence",
            assessment.pk,
            f"exact workforce evidence, snapshot of {before.snapshot_date:%d %b %Y}"
            + (f" and of {after.snapshot_date:%d %b %Y}" if after else ""),
        )
    return result


def scope_choices(assessment: Assessment) -> dict[str, list[str]]:
    """The values each scope column takes in the latest snapshot (the scope form's choices)."""
    snapshot = workforce.latest_snapshot(assessment.organisation)
    if snapshot is None:
        return {}
    frame = workforce.snapshot_frame(snapshot)
    choices = {}
    for column in library.SCOPE_COLUMNS:
        if column in frame.columns:
            values = frame.get_column(column).drop_nulls().cast(pl.String).unique().sort()
            choices[column] = values.to_list()
    return choices


@dataclass
class ServiceEvidence:
    """One linked service's profile as the reader may see it; `has_data` is False until
    the service has an extract (then the page says so rather than showing empty tables)."""

    service: Service
    exact: bool
    has_data: bool
    profiles: list[dict] = field(default_factory=list)
    completeness: list[dict] = field(default_factory=list)


def service_evidence(assessment: Assessment, user: User) -> list[ServiceEvidence]:
    """Each service the assessment changes, by name. Services without an extract are not
    passed to `page_tables`, so no exact view is audited for figures nobody saw."""
    linked = list(assessment.affected_services.order_by("name"))
    if not linked:
        return []
    with_data = service_users.services_with_data(assessment.organisation)
    found = []
    for service in linked:
        if service.pk not in with_data:
            found.append(ServiceEvidence(service, bool(user.has_personal_access), False))
            continue
        tables, exact = service_users.page_tables(service, user)
        found.append(
            ServiceEvidence(
                service,
                exact,
                True,
                profiles=service_users.profiles(tables),
                completeness=service_users.completeness_rows(tables),
            )
        )
    return found
