"""The home page's dashboard: where the organisation stands, as this person may see it.

Every panel is read from the owning app's services (nothing is computed anew here):
* headline figures: the newest workforce snapshot against the one before, read from the same
  tables as the workforce pages (`workforce.services.figures_for`: exact for personal-data
  roles, protected by disclosure control for everyone else) with the same readers as the
  computed measures (`actions.measures`), plus the measures the organisation pinned;
* targets and actions: `actions.summary` (a champion's home shows their directorates' plans);
* incident reports waiting for a first response: `incidents.summary`, for case handlers only;
* the Standard's levels: `standard.services.current_levels`;
* imports: the latest import jobs and snapshot, for the roles that import.

Which panels a role gets is decided here, once (`dashboard_for`); the template only lays out
what it is given, so a panel a role may not see is never in the page at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from equitable.actions import measures as computed
from equitable.actions import summary as action_summary
from equitable.core import roles as R
from equitable.core.models import Organisation, User
from equitable.core.numbers import round_half_up
from equitable.incidents import summary as incident_summary
from equitable.standard import library as standard_library
from equitable.standard import services as standard_services
from equitable.workforce import services as workforce
from equitable.workforce.models import ImportJob, Snapshot

Tables = Mapping[str, list[dict]]
# Import jobs listed on the home page; older ones are on the import page.
RECENT_IMPORTS = 5
# Actions listed per urgency on the home page; the plan pages list them all.
ACTIONS_LISTED = 5
PROBLEM_STATUSES = (ImportJob.Status.INVALID, ImportJob.Status.FAILED)


@dataclass(frozen=True)
class HeadlineDefinition:
    key: str
    name: str
    direction: str  # "higher" or "lower" is better
    table: str  # the workforce figure page that shows it in full
    read: Callable[[Tables, int], float | None]


HEADLINES: tuple[HeadlineDefinition, ...] = (
    HeadlineDefinition(
        "leadership",
        "Black, Asian and Multi-ethnic staff in the leadership tiers",
        "higher",
        "representation_in_leadership_tiers",
        computed.reader("leadership_black_asian_multi_ethnic_share"),
    ),
    HeadlineDefinition(
        "top_5_percent",
        "Black, Asian and Multi-ethnic staff among the top 5% of earners",
        "higher",
        "top_5_percent_earners",
        computed.top_5_percent_share,
    ),
    HeadlineDefinition(
        "unknown_ethnicity",
        "Staff whose ethnicity is not known or not disclosed",
        "lower",
        "disclosure",
        computed.reader("unknown_ethnicity_rate"),
    ),
    HeadlineDefinition(
        "pay_gap",
        "Median ethnicity pay gap (Black, Asian and Multi-ethnic compared with White)",
        "lower",
        "pay_gap_ethnicity",
        computed.reader("ethnicity_median_pay_gap"),
    ),
)


def short_date(value: date) -> str:
    """31 Mar 2025: the date in a movement sentence."""
    return f"{value.day} {value:%b %Y}"


def movement_words(
    movement: float | None, direction: str, since: date | None, unit: str = "%"
) -> str | None:
    """ "+1.2 points since 31 Mar 2025 (better)": the change in words, never colour alone.
    Percentages move in (percentage) points; other units in their own unit."""
    if movement is None or since is None:
        return None
    shown = round_half_up(movement, 1)
    if shown == 0:
        return f"No change since {short_date(since)}"
    better = (shown > 0) == (direction == "higher")
    amount = f"{abs(shown):,.1f}"
    what = "points" if unit == "%" else (unit or "").strip()
    sign = "+" if shown > 0 else "-"
    return (
        f"{sign}{amount}{' ' + what if what else ''} since {short_date(since)} "
        f"({'better' if better else 'worse'})"
    )


def movement_between(current: float | None, previous: float | None) -> float | None:
    """current − previous, to 2 places (the values are stored to 2): None unless both are
    shown, so a movement never rests on a withheld value."""
    if current is None or previous is None:
        return None
    return round_half_up(current - previous, 2)


@dataclass
class Headline:
    key: str
    name: str
    unit: str
    direction: str
    value: float | None
    previous: float | None
    movement: float | None
    as_at: date | None
    previous_as_at: date | None
    withheld: bool  # held but withheld from this reader by disclosure control ([c])
    href: str | None

    @property
    def movement_text(self) -> str | None:
        return movement_words(self.movement, self.direction, self.previous_as_at, self.unit)


def _figure_url(table: str) -> str:
    from django.urls import reverse

    return reverse("workforce:figure", args=[table])


def _read(definition: HeadlineDefinition, tables: Tables | None, threshold: int) -> float | None:
    return definition.read(tables, threshold) if tables is not None else None


def workforce_headlines(
    organisation: Organisation, user: User, snapshots: list[Snapshot]
) -> list[Headline]:
    """The headline figures of the newest snapshot and their movement since the one before.

    Exact (threshold 0) for personal-data roles; for everyone else from the protected tables
    the workforce pages show them, with the organisation's threshold, so a share of a small
    population is withheld here exactly as it is there."""
    if not snapshots:
        return []
    exact = user.has_personal_access
    threshold = 0 if exact else organisation.suppression_threshold
    newest = snapshots[-1]
    before = snapshots[-2] if len(snapshots) > 1 else None
    now = workforce.figures_for(organisation, newest, published=not exact)
    then = workforce.figures_for(organisation, before, published=not exact) if before else None
    # Only to tell "withheld" from "not in this extract": no exact value is shown.
    exact_now = now if exact else workforce.figures_for(organisation, newest, published=False)
    headlines = []
    for definition in HEADLINES:
        value = _read(definition, now, threshold)
        previous = _read(definition, then, threshold)
        headlines.append(
            Headline(
                key=definition.key,
                name=definition.name,
                unit="%",
                direction=definition.direction,
                value=value,
                previous=previous,
                movement=movement_between(value, previous),
                as_at=newest.snapshot_date,
                previous_as_at=before.snapshot_date if before else None,
                withheld=value is None and _read(definition, exact_now, 0) is not None,
                href=_figure_url(definition.table),
            )
        )
    return headlines


def pinned_headlines(organisation: Organisation, user: User) -> list[Headline]:
    """The measures the organisation pinned, their latest value (protected where it must be)
    and the movement since the value before it."""
    from django.urls import reverse

    rows = []
    for status in action_summary.pinned_statuses(organisation, user):
        shown = status.values  # only the values this reader may see, oldest first
        latest = status.latest
        previous = next((v for v in reversed(shown) if latest and v.on < latest.on), None)
        value = status.value_of(latest)
        before = status.value_of(previous)
        rows.append(
            Headline(
                key=f"measure-{status.measure.pk}",
                name=status.measure.name,
                unit=status.measure.unit,
                direction=status.measure.direction,
                value=value,
                previous=before,
                movement=movement_between(value, before),
                as_at=latest.on if latest else None,
                previous_as_at=previous.on if previous else None,
                withheld=status.withheld_on is not None,
                href=reverse("actions:measure", args=[status.measure.pk]),
            )
        )
    return rows


@dataclass
class ImportState:
    latest_snapshot: Snapshot | None
    snapshot_count: int
    jobs: list[ImportJob]
    problem_jobs: int  # of the jobs listed


def import_state(organisation: Organisation, snapshots: list[Snapshot]) -> ImportState:
    jobs = list(ImportJob.objects.filter(organisation=organisation)[:RECENT_IMPORTS])
    return ImportState(
        latest_snapshot=snapshots[-1] if snapshots else None,
        snapshot_count=len(snapshots),
        jobs=jobs,
        problem_jobs=sum(job.status in PROBLEM_STATUSES for job in jobs),
    )


@dataclass
class Dashboard:
    organisation: Organisation | None
    exact: bool  # figures are exact (personal-data roles), not protected
    threshold: int
    can_import: bool
    can_manage_pins: bool
    snapshot: Snapshot | None = None
    previous_snapshot: Snapshot | None = None
    headlines: list[Headline] = field(default_factory=list)
    pinned: list[Headline] = field(default_factory=list)
    targets: list[Any] | None = None  # actions.services.MeasureStatus
    actions: action_summary.ActionSummary | None = None
    incidents: incident_summary.ResponseSummary | None = None
    levels: list[dict] | None = None
    levels_assessment: Any = None
    level_names: dict[str, str] = field(default_factory=dict)
    imports: ImportState | None = None
    champion_directorates: list[str] = field(default_factory=list)

    @property
    def any_withheld(self) -> bool:
        return any(h.withheld for h in self.headlines + self.pinned) or any(
            t.withheld_on for t in self.targets or []
        )


def dashboard_for(user: User) -> Dashboard:
    """Every panel this person's role may see on the home page, filled in.

    The London-wide coordinator belongs to no organisation: their home has no panels (the
    template links to the London-wide benchmarking instead)."""
    organisation = user.organisation
    if organisation is None or user.role == R.Role.COORDINATOR:
        return Dashboard(None, False, 0, False, False)
    role = user.role
    snapshots = workforce.snapshots_of(organisation)
    board = Dashboard(
        organisation=organisation,
        exact=user.has_personal_access,
        threshold=organisation.suppression_threshold,
        can_import=role in R.IMPORT_ROLES,
        can_manage_pins=role in R.PROGRAMME_ROLES,
        snapshot=snapshots[-1] if snapshots else None,
        previous_snapshot=snapshots[-2] if len(snapshots) > 1 else None,
    )
    if role in R.DASHBOARD_ROLES:
        board.headlines = workforce_headlines(organisation, user, snapshots)
        board.pinned = pinned_headlines(organisation, user)
        board.targets = action_summary.target_statuses(organisation, user)
        board.actions = action_summary.action_summary(organisation, user)
        if role == R.Role.CHAMPION:
            board.champion_directorates = list(user.directorates.values_list("name", flat=True))
    if role in R.CASE_HANDLER_ROLES:
        board.incidents = incident_summary.response_summary(organisation)
    board.levels = standard_services.current_levels(organisation)
    board.levels_assessment = standard_services.latest_submitted(organisation)
    board.level_names = standard_library.LEVEL_NAMES
    if role in R.IMPORT_ROLES:
        board.imports = import_state(organisation, snapshots)
    return board
