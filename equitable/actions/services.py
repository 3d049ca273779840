"""Action-plan domain logic: access to plans, the workbook import and export, measure values
(computed from workforce snapshots or lifecycle figures, or entered by hand), RAG against
targets, the projection, and the quarterly board report.

Views, the command line and the demo loader call these functions. Pure computation lives in
`trajectory.py` (RAG, projection), `measures.py` (computed measures from snapshots),
`lifecycle_measures.py` (computed measures from lifecycle figures) and `spreadsheet.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from equitable.actions import lifecycle_measures as lifecycle_computed
from equitable.actions import measures as computed
from equitable.actions import programme_measures as programme_computed
from equitable.actions import report_text, spreadsheet, survey_measures, survey_sources, trajectory
from equitable.actions import training_measures as training_computed
from equitable.actions.models import (
    Action,
    ActionPlan,
    Measure,
    MeasureValue,
    Objective,
    ProgressUpdate,
    Recommendation,
    Target,
    TargetPoint,
    Theme,
)
from equitable.core import audit
from equitable.core import roles as R
from equitable.core.access import organisation_for, require_directorate
from equitable.core.models import AuditEvent, Directorate, Organisation, User
from equitable.incidents import services as incident_services
from equitable.metrics.quarters import Quarter
from equitable.standard import library as standard_library
from equitable.standard import services as standard_services
from equitable.workforce import services as workforce

log = logging.getLogger(__name__)

EDIT_ROLES = R.PROGRAMME_ROLES | {R.Role.CHAMPION}


def today() -> date:
    return timezone.localdate()


# --- access ---------------------------------------------------------------------------------


def plans_for(user: User) -> QuerySet[ActionPlan]:
    return ActionPlan.objects.filter(organisation=organisation_for(user)).select_related(
        "directorate"
    )


def can_edit(user: User, plan: ActionPlan) -> bool:
    if user.role in R.PROGRAMME_ROLES:
        return True
    if user.role == R.Role.CHAMPION and plan.directorate_id is not None:
        return user.directorates.filter(pk=plan.directorate_id).exists()
    return False


def require_edit(user: User, plan: ActionPlan) -> None:
    """Programme roles edit every plan; a champion only their directorate's plans (else 403)."""
    if user.role not in EDIT_ROLES:
        raise PermissionDenied
    require_directorate(user, plan.directorate)


# --- plans ----------------------------------------------------------------------------------


def plan_tree(plan: ActionPlan) -> list[Theme]:
    """Themes with objectives, actions and measures prefetched (one query each)."""
    return list(
        plan.themes.prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=Action.objects.prefetch_related(
                            Prefetch(
                                "updates",
                                queryset=ProgressUpdate.objects.filter(
                                    state=ProgressUpdate.State.CURRENT
                                ),
                            )
                        ),
                    ),
                    Prefetch("measures", queryset=Measure.objects.prefetch_related("targets")),
                ),
            )
        )
    )


def actions_of(organisation: Organisation) -> QuerySet[Action]:
    return Action.objects.filter(objective__theme__plan__organisation=organisation).select_related(
        "objective__theme__plan__directorate"
    )


def plan_counts(plan: ActionPlan, on: date) -> dict[str, int]:
    actions = list(Action.objects.filter(objective__theme__plan=plan))
    return {
        "actions": len(actions),
        "done": sum(a.status == Action.Status.DONE for a in actions),
        "overdue": sum(a.is_overdue(on) for a in actions),
        "at_risk": sum(
            a.status in (Action.Status.AT_RISK, Action.Status.OFF_TRACK) for a in actions
        ),
    }


def set_status(action: Action, status: str, on: date | None = None) -> None:
    """Keep `completed_on` in step with the status: the board report counts completions by it."""
    action.status = status
    if status == Action.Status.DONE:
        action.completed_on = action.completed_on or on or today()
    else:
        action.completed_on = None


# --- progress updates: the action's history ------------------------------------------------


def sync_status(action: Action) -> None:
    """Set the action's status from its updates (the latest current one that reports a
    status), with `completed_on` the date of the update that reported it done and the dropped
    reason the note of the one that dropped it."""
    latest = action.current_updates().exclude(status="").order_by("-on", "-id").first()
    status = action.status_from_updates()
    set_status(action, status)
    if status == Action.Status.DONE and latest is not None and latest.status == status:
        action.completed_on = latest.on
    if status == Action.Status.DROPPED:
        if latest is not None and latest.status == status:
            action.dropped_reason = latest.note[:2000]
    else:
        action.dropped_reason = ""
    action.save(update_fields=["status", "completed_on", "dropped_reason", "updated_at"])


def _evidence(update: ProgressUpdate, upload) -> None:
    if upload:
        update.file = upload
        update.original_name = Path(upload.name).name[:200]


def add_update(action: Action, author: User, data: dict, upload=None) -> ProgressUpdate:
    """One progress update: the note, its evidence and the status it reports, which becomes
    the action's status when it is the latest update (an update back-dated before a later one
    is history and leaves the status alone)."""
    with transaction.atomic():
        update = ProgressUpdate(
            action=action,
            on=data["on"],
            note=data["note"],
            link=data.get("link") or "",
            status=data["status"],
            previous_status=action.status,
            author=author,
        )
        _evidence(update, upload)
        update.save()
        sync_status(action)
        audit.record(
            author,
            AuditEvent.Action.CREATE,
            "progress_update",
            update.pk,
            f"action {_audit_name(action)}: status "
            f"{update.get_status_display().lower() or 'unchanged'}",
        )
    return update


def _audit_name(action: Action) -> str:
    """How the audit log names an action: its plan reference (e.g. SS1-4), which the people
    reading the log know, else its number."""
    return action.ref or f"#{action.pk}"


def correct_update(original: ProgressUpdate, author: User, data: dict, upload=None):
    """A correction: a new update in the original's place. The original stays in the history
    marked corrected (and points at nothing new: the correction `replaces` it), so what was
    first written can always be read again."""
    if not original.is_current:
        raise PermissionDenied("Only a current update can be corrected")
    action = original.action
    with transaction.atomic():
        correction = ProgressUpdate(
            action=action,
            on=data["on"],
            note=data["note"],
            link=data.get("link") or "",
            status=data["status"],
            previous_status=original.previous_status,
            author=author,
            replaces=original,
            file=original.file,
            original_name=original.original_name,
        )
        _evidence(correction, upload)
        correction.save()
        original.state = ProgressUpdate.State.CORRECTED
        original.save(update_fields=["state"])
        sync_status(action)
        audit.record(
            author,
            AuditEvent.Action.CHANGE,
            "progress_update",
            original.pk,
            f"action {_audit_name(action)}: corrected by update {correction.pk}",
        )
    return correction


def withdraw_update(update: ProgressUpdate, user: User, reason: str) -> None:
    """Hide a mistaken update from the current view, keeping it (marked withdrawn, with who,
    when and why) in the history; the action's status goes back to what the remaining updates
    say."""
    if not update.is_current:
        raise PermissionDenied("Only a current update can be withdrawn")
    with transaction.atomic():
        update.state = ProgressUpdate.State.WITHDRAWN
        update.withdrawn_at = timezone.now()
        update.withdrawn_by = user
        update.withdrawn_reason = reason
        update.save(update_fields=["state", "withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        sync_status(update.action)
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "progress_update",
            update.pk,
            f"action {_audit_name(update.action)}: withdrawn",
        )


def update_history(action: Action) -> list[ProgressUpdate]:
    """Every update of the action, current, corrected and withdrawn, newest first, with their
    authors (the status history on the action's page)."""
    return list(
        action.updates.select_related("author", "withdrawn_by", "replaces").order_by("-on", "-id")
    )


# --- recommendations register ---------------------------------------------------------------


def register_filters(organisation: Organisation) -> tuple[list[str], list[str]]:
    """The themes and owners ("who") the register holds, for its filters."""
    items = Recommendation.objects.filter(organisation=organisation)
    themes = sorted({t for t in items.values_list("theme", flat=True) if t})
    owners = sorted({w for w in items.values_list("who", flat=True) if w})
    return themes, owners


def filtered_register(
    organisation: Organisation, *, theme: str = "", status: str = "", who: str = ""
) -> QuerySet[Recommendation]:
    items = Recommendation.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("position", "id"))
    )
    if theme:
        items = items.filter(theme=theme)
    if status:
        items = items.filter(status=status)
    if who:
        items = items.filter(who=who)
    return items


def save_recommendation(form, organisation: Organisation, user: User) -> Recommendation:
    created = form.instance.pk is None
    with transaction.atomic():
        recommendation = form.save(commit=False)
        recommendation.organisation = organisation
        if created:
            last = (
                Recommendation.objects.filter(organisation=organisation)
                .order_by("-position")
                .first()
            )
            recommendation.position = last.position + 1 if last else 0
        recommendation.save()
        form.save_m2m()
        audit.record(
            user,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            "recommendation",
            recommendation.pk,
            f"{len(form.cleaned_data['actions'])} linked actions",
        )
    return recommendation


# --- workbook export and import -------------------------------------------------------------


def workbook_for(organisation: Organisation) -> spreadsheet.PlanWorkbook:
    book = spreadsheet.PlanWorkbook()
    plans = ActionPlan.objects.filter(organisation=organisation).select_related("directorate")
    for plan in plans:
        directorate = plan.directorate.name if plan.directorate else ""
        for theme in plan_tree(plan):
            for objective in theme.objectives.all():
                for action in objective.actions.all():
                    latest = next(iter(action.updates.all()), None)
                    book.actions.append(
                        spreadsheet.ActionRow(
                            plan=plan.title,
                            directorate=directorate,
                            theme=theme.title,
                            objective=objective.text,
                            ref=action.ref,
                            action=action.text,
                            owner=action.owner,
                            strategic_lead=action.strategic_lead,
                            operational_lead=action.operational_lead,
                            start=action.start,
                            due=action.due,
                            status=action.status,
                            dropped_reason=action.dropped_reason,
                            latest_update=(
                                f"{latest.on:%d/%m/%Y}: {latest.note}" if latest else ""
                            ),
                        )
                    )
                for measure in objective.measures.all():
                    book.measures.append(
                        spreadsheet.MeasureRow(
                            plan=plan.title,
                            directorate=directorate,
                            theme=theme.title,
                            objective=objective.text,
                            ref=measure.ref,
                            measure=measure.name,
                            unit=measure.unit,
                            direction=measure.direction,
                            kind=measure.kind,
                            computed_key=measure.computed_key,
                            source=measure.source,
                        )
                    )
    for recommendation in Recommendation.objects.filter(organisation=organisation).prefetch_related(
        "actions"
    ):
        book.recommendations.append(
            spreadsheet.RecommendationRow(
                ref=recommendation.ref,
                theme=recommendation.theme,
                recommendation=recommendation.text,
                response=recommendation.response,
                who=recommendation.who,
                when=recommendation.when,
                status=recommendation.status,
                actions=sorted(a.ref for a in recommendation.actions.all() if a.ref),
            )
        )
    return book


def export_workbook(organisation: Organisation) -> bytes:
    return spreadsheet.write_workbook(workbook_for(organisation))


def computed_keys(organisation: Organisation | None = None) -> set[str]:
    """Every figure a computed measure may take: per snapshot, per lifecycle year and, for an
    organisation, per survey wave (its question bank's questions by group)."""
    keys = set(computed.COMPUTED_MEASURES) | set(lifecycle_computed.LIFECYCLE_MEASURES)
    keys |= set(training_computed.TRAINING_MEASURES)
    keys |= set(programme_computed.PROGRAMME_MEASURES)
    if organisation is not None:
        keys |= survey_sources.survey_keys(organisation)
    return keys


def read_upload(organisation: Organisation, data: bytes) -> spreadsheet.PlanWorkbook:
    """Validate a workbook against this organisation (its directorates, the computed measures
    Equitable knows); raises `spreadsheet.WorkbookRefused` with every problem."""
    return spreadsheet.read_workbook(
        data,
        computed_keys=computed_keys(organisation),
        directorates=list(
            Directorate.objects.filter(organisation=organisation).values_list("name", flat=True)
        ),
    )


_KINDS = ("plans", "actions", "measures", "recommendations")


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_KINDS, 0))

    def lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} new, {self.updated[kind]} changed, "
            f"{self.unchanged[kind]} unchanged"
            for kind in _KINDS
        ]


class _Applier:
    """Writes a validated workbook: adds and updates, never deletes (removing is done in the
    app, so a partial spreadsheet cannot wipe a plan's history)."""

    def __init__(self, organisation: Organisation, summary: ImportSummary, dry_run: bool):
        self.organisation = organisation
        self.summary = summary
        self.dry_run = dry_run
        self.directorates = {
            d.name.casefold(): d for d in Directorate.objects.filter(organisation=organisation)
        }
        self.plans: dict[str, ActionPlan] = {
            p.title: p for p in ActionPlan.objects.filter(organisation=organisation)
        }
        self.themes: dict[tuple[int, str], Theme] = {}
        self.objectives: dict[tuple[int, str], Objective] = {}

    def _count(self, kind: str, created: bool, changed: bool) -> None:
        bucket = "created" if created else "updated" if changed else "unchanged"
        getattr(self.summary, bucket)[kind] += 1

    def plan(self, title: str, directorate_name: str) -> ActionPlan:
        directorate = (
            self.directorates.get(directorate_name.casefold()) if directorate_name else None
        )
        plan = self.plans.get(title)
        if plan is None:
            plan = ActionPlan(organisation=self.organisation, title=title, directorate=directorate)
            plan.save()
            self.plans[title] = plan
            self._count("plans", True, False)
        elif plan.directorate_id != (directorate.pk if directorate else None):
            plan.directorate = directorate
            plan.save()
            self._count("plans", False, True)
        return plan

    def objective(self, plan: ActionPlan, theme_title: str, text: str) -> Objective:
        theme_key = (plan.pk, theme_title)
        if theme_key not in self.themes:
            theme = plan.themes.filter(title=theme_title).first()
            if theme is None:
                theme = Theme.objects.create(
                    plan=plan, title=theme_title, position=plan.themes.count()
                )
            self.themes[theme_key] = theme
        theme = self.themes[theme_key]
        objective_key = (theme.pk, text)
        if objective_key not in self.objectives:
            objective = theme.objectives.filter(text=text).first()
            if objective is None:
                objective = Objective.objects.create(
                    theme=theme, text=text, position=theme.objectives.count()
                )
            self.objectives[objective_key] = objective
        return self.objectives[objective_key]

    def action(self, row: spreadsheet.ActionRow, position: int) -> Action:
        plan = self.plan(row.plan, row.directorate)
        objective = self.objective(plan, row.theme, row.objective)
        existing = Action.objects.filter(objective__theme__plan__organisation=self.organisation)
        action = (
            existing.filter(ref=row.ref).first()
            if row.ref
            else existing.filter(objective=objective, text=row.action).first()
        )
        created = action is None
        action = action or Action(objective=objective)
        before = _action_fields(action)
        action.objective = objective
        action.ref = row.ref
        action.text = row.action
        action.owner = row.owner
        action.strategic_lead = row.strategic_lead
        action.operational_lead = row.operational_lead
        action.start = row.start
        action.due = row.due
        action.dropped_reason = row.dropped_reason
        previous_status = action.status
        if action.status != row.status or created:
            set_status(action, row.status)
        changed = _action_fields(action) != before
        if created:
            action.position = position
        if created or changed:
            action.save()
        if not created and previous_status != action.status:
            # The status follows the latest update, so a status changed in the workbook is
            # recorded as one (without an author: the import does not know who edited it).
            ProgressUpdate.objects.create(
                action=action,
                on=today(),
                note="Status changed in the imported workbook",
                status=action.status,
                previous_status=previous_status,
            )
        self._count("actions", created, changed)
        return action

    def measure(self, row: spreadsheet.MeasureRow, position: int) -> None:
        plan = self.plan(row.plan, row.directorate)
        objective = self.objective(plan, row.theme, row.objective)
        existing = Measure.objects.filter(objective__theme__plan=plan)
        measure = (
            existing.filter(ref=row.ref).first()
            if row.ref
            else existing.filter(objective=objective, name=row.measure).first()
        )
        created = measure is None
        measure = measure or Measure(objective=objective, position=position)
        values = {
            "objective": objective,
            "ref": row.ref,
            "name": row.measure,
            "unit": row.unit,
            "direction": row.direction,
            "kind": row.kind,
            "computed_key": row.computed_key,
            "source": row.source,
        }
        changed = any(getattr(measure, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(measure, key, value)
        if created or changed:
            measure.save()
        self._count("measures", created, changed)

    def recommendation(self, row: spreadsheet.RecommendationRow, position: int) -> None:
        existing = Recommendation.objects.filter(organisation=self.organisation)
        recommendation = (
            existing.filter(ref=row.ref).first()
            if row.ref
            else existing.filter(text=row.recommendation).first()
        )
        created = recommendation is None
        recommendation = recommendation or Recommendation(
            organisation=self.organisation, position=position
        )
        values = {
            "ref": row.ref,
            "theme": row.theme,
            "text": row.recommendation,
            "response": row.response,
            "who": row.who,
            "when": row.when,
            "status": row.status,
        }
        changed = any(getattr(recommendation, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(recommendation, key, value)
        if created or changed:
            recommendation.save()
        linked = set(
            actions_of(self.organisation).filter(ref__in=row.actions).values_list("pk", flat=True)
        )
        current = set(recommendation.actions.values_list("pk", flat=True)) if not created else set()
        if linked != current:
            recommendation.actions.set(linked)
            changed = True
        self._count("recommendations", created, changed)


def _action_fields(action: Action) -> tuple:
    return (
        action.objective_id,
        action.ref,
        action.text,
        action.owner,
        action.strategic_lead,
        action.operational_lead,
        action.start,
        action.due,
        action.status,
        action.dropped_reason,
    )


class _DryRun(Exception):
    pass


def apply_workbook(
    organisation: Organisation, book: spreadsheet.PlanWorkbook, *, dry_run: bool = False
) -> ImportSummary:
    """Write a validated workbook in one transaction; with `dry_run`, only count what would
    change (the confirmation page) and roll back."""
    summary = ImportSummary()
    try:
        with transaction.atomic():
            applier = _Applier(organisation, summary, dry_run)
            for position, action in enumerate(book.actions):
                applier.action(action, position)
            for position, measure in enumerate(book.measures):
                applier.measure(measure, position)
            for position, recommendation in enumerate(book.recommendations):
                applier.recommendation(recommendation, position)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return summary


# --- measure values -------------------------------------------------------------------------


def _snapshot_tables(
    organisation: Organisation, *, published: bool = False
) -> list[tuple[date, dict[str, list[dict]]]]:
    return [
        (snapshot.snapshot_date, workforce.figures_for(organisation, snapshot, published=published))
        for snapshot in workforce.snapshots_of(organisation)
    ]


def on_figures_changed(organisation: Organisation, **_signal: object) -> None:
    """The workforce figures changed (a snapshot, the population, the protection settings):
    computed measures are recomputed now, so every page and the API read one stored value."""
    refresh_computed_values(organisation)


def refresh_computed_values(organisation: Organisation) -> int:
    """Set every computed measure's value for every snapshot (workforce measures) or financial
    year (lifecycle measures), exact and as published (from the protected tables, so a value no
    one outside the EDI and HR teams may see is never shown to them however it is reached).
    Idempotent; returns how many values were written."""
    measures = list(
        Measure.objects.filter(
            objective__theme__plan__organisation=organisation, kind=Measure.Kind.COMPUTED
        ).exclude(computed_key="")
    )
    if not measures:
        return 0
    from_snapshots = [m for m in measures if m.computed_key in computed.COMPUTED_MEASURES]
    from_lifecycle = [
        m for m in measures if m.computed_key in lifecycle_computed.LIFECYCLE_MEASURES
    ]
    from_surveys = [m for m in measures if survey_measures.is_survey_key(m.computed_key)]
    from_training = [m for m in measures if training_computed.is_training_key(m.computed_key)]
    from_programmes = [
        m for m in measures if m.computed_key in programme_computed.PROGRAMME_MEASURES
    ]
    with transaction.atomic():
        # A measure whose key moved between the kinds keeps no value of another kind.
        MeasureValue.objects.filter(measure__in=from_snapshots).exclude(
            origin=MeasureValue.Origin.SNAPSHOT
        ).delete()
        MeasureValue.objects.filter(measure__in=from_lifecycle).exclude(
            origin=MeasureValue.Origin.LIFECYCLE
        ).delete()
        written = _refresh_snapshot_values(organisation, from_snapshots)
        written += _refresh_lifecycle_values(organisation, from_lifecycle)
        written += sum(survey_sources.refresh_measure(m) for m in from_surveys)
        written += _refresh_training_values(organisation, from_training)
        written += _refresh_programme_values(organisation, from_programmes)
    return written


def _refresh_programme_values(organisation: Organisation, measures: list[Measure]) -> int:
    """One value per financial year of the cohorts' starts (dated 31 March), exact and from
    the cohorts' protected tables; stored with the lifecycle origin (a year's figure). A
    directorate plan gets none: the cohorts' figures are the organisation's."""
    if not measures:
        return 0
    from equitable.programmes import services as programmes

    MeasureValue.objects.filter(measure__in=measures).exclude(
        origin=MeasureValue.Origin.LIFECYCLE
    ).delete()
    exact = programmes.cohort_rows(organisation, published=False)
    protected = programmes.cohort_rows(organisation, published=True)
    written = 0
    for measure in measures:
        kept = []
        if measure.plan.directorate is None:
            shown = {
                v.on: v.value for v in programme_computed.values(measure.computed_key, protected)
            }
            for year in programme_computed.values(measure.computed_key, exact):
                if year.value is None:
                    continue
                MeasureValue.objects.update_or_create(
                    measure=measure,
                    on=year.on,
                    defaults={
                        "value": year.value,
                        "published_value": shown.get(year.on),
                        "origin": MeasureValue.Origin.LIFECYCLE,
                    },
                )
                kept.append(year.on)
                written += 1
        MeasureValue.objects.filter(measure=measure).exclude(on__in=kept).delete()
    return written


def _refresh_training_values(organisation: Organisation, measures: list[Measure]) -> int:
    """One value per workforce snapshot, dated as the snapshot (the training records as of
    that day): `value` from the exact tables, `published_value` from the protected ones."""
    if not measures:
        return 0
    from equitable.training import services as training
    from equitable.workforce import services as workforce

    MeasureValue.objects.filter(measure__in=measures).exclude(
        origin=MeasureValue.Origin.SNAPSHOT
    ).delete()
    kept: dict[int, list[date]] = {m.pk: [] for m in measures}
    written = 0
    for snapshot in workforce.snapshots_of(organisation):
        exact = _rows_of(training.tables_for(organisation, snapshot, published=False))
        if not exact:
            continue
        protected = _rows_of(training.tables_for(organisation, snapshot, published=True))
        for measure in measures:
            directorate = _measure_directorate(measure)
            value = training_computed.value(measure.computed_key, exact, directorate)
            if value is None:
                continue
            MeasureValue.objects.update_or_create(
                measure=measure,
                on=snapshot.snapshot_date,
                defaults={
                    "value": value,
                    "published_value": training_computed.value(
                        measure.computed_key, protected, directorate
                    ),
                    "origin": MeasureValue.Origin.SNAPSHOT,
                },
            )
            kept[measure.pk].append(snapshot.snapshot_date)
            written += 1
    for measure in measures:
        MeasureValue.objects.filter(measure=measure).exclude(on__in=kept[measure.pk]).delete()
    return written


def _rows_of(tables) -> dict[str, list[dict]]:
    return {name: frame.to_dicts() for name, frame in tables.items()}


def _refresh_snapshot_values(organisation: Organisation, measures: list[Measure]) -> int:
    if not measures:
        return 0
    written = 0
    exact = _snapshot_tables(organisation)
    protected = dict(_snapshot_tables(organisation, published=True))
    dates = [on for on, _ in exact]
    threshold = organisation.suppression_threshold
    MeasureValue.objects.filter(measure__in=measures, origin=MeasureValue.Origin.SNAPSHOT).exclude(
        on__in=dates
    ).delete()
    for on, tables in exact:
        for measure in measures:
            # Exact for the EDI and HR teams; the protected tables and the threshold
            # decide what everyone else may see.
            value = computed.compute(measure.computed_key, tables)
            if value is None:
                MeasureValue.objects.filter(
                    measure=measure, on=on, origin=MeasureValue.Origin.SNAPSHOT
                ).delete()
                continue
            shown = computed.compute(measure.computed_key, protected[on], threshold)
            MeasureValue.objects.update_or_create(
                measure=measure,
                on=on,
                defaults={
                    "value": value,
                    "published_value": shown,
                    "origin": MeasureValue.Origin.SNAPSHOT,
                },
            )
            written += 1
    return written


def _family_rows(
    organisation: Organisation, family: str, *, published: bool
) -> dict[str, list[dict]]:
    """One lifecycle family's tables as rows ({} before its data are imported)."""
    from equitable.lifecycle import services as lifecycle

    tables = (
        lifecycle.published_family(organisation, family)
        if published
        else lifecycle.exact_family(organisation, family)
    )
    return {name: frame.to_dicts() for name, frame in tables.items()}


def _measure_directorate(measure: Measure) -> str | None:
    """A directorate plan's lifecycle measure reads its directorate's breakdown."""
    directorate = measure.plan.directorate
    return directorate.name if directorate is not None else None


def _refresh_lifecycle_values(organisation: Organisation, measures: list[Measure]) -> int:
    """One value per financial year the family's tables hold, dated 31 March: `value` from
    the exact tables, `published_value` from the protected ones (None where disclosure
    control withheld the figure the measure reads)."""
    if not measures:
        return 0
    families = {lifecycle_computed.measure_for(m.computed_key).family for m in measures}
    exact = {family: _family_rows(organisation, family, published=False) for family in families}
    protected = {family: _family_rows(organisation, family, published=True) for family in families}
    written = 0
    for measure in measures:
        definition = lifecycle_computed.measure_for(measure.computed_key)
        directorate = _measure_directorate(measure)
        shown = {
            v.on: v.value
            for v in lifecycle_computed.values(
                measure.computed_key, protected[definition.family], directorate
            )
        }
        kept = []
        for period in lifecycle_computed.values(
            measure.computed_key, exact[definition.family], directorate
        ):
            if period.value is None:
                continue  # not calculable (nobody in a pool): no value, for anyone
            MeasureValue.objects.update_or_create(
                measure=measure,
                on=period.on,
                defaults={
                    "value": period.value,
                    "published_value": shown.get(period.on),
                    "origin": MeasureValue.Origin.LIFECYCLE,
                },
            )
            kept.append(period.on)
            written += 1
        MeasureValue.objects.filter(measure=measure, origin=MeasureValue.Origin.LIFECYCLE).exclude(
            on__in=kept
        ).delete()
    return written


def lifecycle_availability(measure: Measure) -> str | None:
    """For a lifecycle measure with no value: why ("Not available yet: import casework
    records (one row per case)."); None otherwise. Read from the protected tables: it says
    only whether a row exists."""
    if measure.kind != Measure.Kind.COMPUTED:
        return None
    if measure.computed_key not in lifecycle_computed.LIFECYCLE_MEASURES:
        return None
    if measure.values.exists():
        return None
    definition = lifecycle_computed.measure_for(measure.computed_key)
    tables = _family_rows(measure.plan.organisation, definition.family, published=True)
    return lifecycle_computed.availability(
        measure.computed_key, tables, _measure_directorate(measure)
    )


@dataclass
class MeasureStatus:
    measure: Measure
    target: Target | None
    values: list[MeasureValue]
    periods: list[trajectory.PeriodStatus]
    latest: MeasureValue | None
    expected: float | None
    rag: trajectory.Rag | None
    projection: trajectory.Projection | None = None
    # Values as people without personal-data access see them (protected tables).
    published: bool = False
    # Why no projection is shown when one could be made (it rests on small numbers).
    projection_withheld: str | None = None
    # The newest value held but withheld from this reader by disclosure control, when it is
    # newer than the latest one shown.
    withheld_on: date | None = None

    def value_of(self, value: MeasureValue | None) -> float | None:
        return None if value is None else value.shown(self.published)

    @property
    def latest_value(self) -> float | None:
        return self.value_of(self.latest)


def value_on(values: Iterable[MeasureValue], on: date) -> MeasureValue | None:
    """The latest value dated on or before `on`."""
    earlier = [v for v in values if v.on <= on]
    return max(earlier, key=lambda v: v.on) if earlier else None


def measure_status(
    measure: Measure,
    on: date | None = None,
    *,
    with_projection: bool = False,
    published: bool = False,
) -> MeasureStatus:
    """A measure's values, RAG and projection; `published` gives them as people without
    personal-data access may see them (a withheld value is left out, so RAG and charts rest
    only on what they may read)."""
    on = on or today()
    held = [v for v in measure.values.all() if v.on <= on]
    values = [v for v in held if v.shown(published) is not None]
    withheld = [v.on for v in held if v.shown(published) is None]
    target = measure.targets.prefetch_related("points").first()
    points = target.pure_points() if target else []
    periods = (
        trajectory.rag_by_period(
            [(v.on, v.shown(published)) for v in values],  # type: ignore[misc]
            points,
            measure.direction,
            target.tolerance,
        )
        if target
        else []
    )
    latest = value_on(values, on)
    status = periods[-1] if periods and latest and periods[-1].on == latest.on else None
    result = MeasureStatus(
        measure=measure,
        target=target,
        values=values,
        periods=periods,
        latest=latest,
        expected=status.expected if status else None,
        rag=status.rag if status else None,
        published=published,
    )
    if withheld and (latest is None or max(withheld) > latest.on):
        result.withheld_on = max(withheld)
    if with_projection and target and points:
        result.projection = projection_for(measure, points, published=published)
        if result.projection is None and published and projection_for(measure, points):
            threshold = measure.plan.organisation.suppression_threshold
            result.projection_withheld = (
                "The projection is not shown here: it rests on numbers of leaders, leavers or "
                f"appointments of fewer than {threshold} people."
            )
    return result


def projection_for(
    measure: Measure, points: list[trajectory.TargetPoint], *, published: bool = False
) -> trajectory.Projection | None:
    """The stock-flow projection for a measure whose population can be followed person by
    person (the leadership tiers), from every snapshot held; None otherwise.

    Published (for people without personal-data access) only when every number of people it
    rests on (each group's stock and its leavers, joiners and promotions in each period) is 0
    in a large stock or at least the suppression threshold: the projected path is a function
    of those rates, and a rate of 2 leavers in 12 gives the 2 back."""
    if measure.computed_key not in computed.PROJECTABLE:
        return None
    organisation = measure.plan.organisation
    frames = workforce.snapshot_frames(organisation)
    if len(frames) < 2:
        return None
    final = max(points)
    snapshots = [(on, computed.leadership_members(frame)) for on, frame in frames]
    threshold = organisation.suppression_threshold
    if published and not _flows_publishable(snapshots, threshold):
        return None
    measured, why_not = _movement_rates(frames, snapshots[-1][1])
    if measured is not None and published and not measured.publishable(threshold):
        measured, why_not = None, _MOVEMENTS_WITHHELD.format(threshold=threshold)
    try:
        return trajectory.project(
            snapshots,
            trajectory.TargetPoint(final.on, final.value / 100),
            movements=None if measured is None else measured.rates,
            snapshots_reason=why_not,
        )
    except ValueError as error:
        log.info("no projection for measure %s: %s", measure.pk, error)
        return None


_MOVEMENTS_WITHHELD = (
    "the leavers and appointments of the tiers counted between past snapshots, carried "
    "forward: the movement rates by group rest on numbers of fewer than {threshold} people"
)


@dataclass(frozen=True)
class _MeasuredMovements:
    rates: tuple[trajectory.MovementRates, trajectory.MovementRates]  # group, everyone else
    counts: tuple[int, ...]  # the numbers of people the rates rest on

    def publishable(self, threshold: int) -> bool:
        """Shown without personal-data access only when every count the rates rest on is 0
        or at least the threshold (as for the snapshots' flows)."""
        return not any(0 < count < threshold for count in self.counts)


def _movement_rates(
    frames: list[tuple[date, Any]], newest: dict[str, trajectory.Member]
) -> tuple[_MeasuredMovements | None, str]:
    """The Black, Asian and Multi-ethnic group's and everyone else's yearly rates of entering
    and leaving the tiers from the lifecycle movements (`projection_rates`); or None and why
    the projection uses the snapshots' trend instead."""
    from equitable.metrics.labels import AGGREGATE_LABEL
    from equitable.metrics.lifecycle import movements

    try:
        table = movements.projection_rates(frames)
    except ValueError as error:
        # The movements need snapshots a year apart with the columns they read; the
        # snapshots' own trend still projects. Said on the page, not hidden.
        return None, f"{trajectory.SNAPSHOTS_REASON}: the movements could not be measured ({error})"
    rows = {row["ethnic_group"]: row for row in table.to_dicts()}
    group, everyone = rows.get(AGGREGATE_LABEL), rows.get(movements.ALL_STAFF)
    if group is None or everyone is None:
        return None, trajectory.SNAPSHOTS_REASON
    columns = ("staff_outside_tiers", "tier_entries", "staff_in_tiers", "tier_leavers")
    mine = [int(group[c] or 0) for c in columns]
    rest = [int(everyone[c] or 0) - m for c, m in zip(columns, mine, strict=True)]
    if min(mine[0], mine[2], rest[0], rest[2]) <= 0:
        return None, (
            f"{trajectory.SNAPSHOTS_REASON}: the movements have no staff of one group in or "
            "outside the tiers to measure a rate on"
        )
    pipeline = {True: 0, False: 0}
    for member in newest.values():
        if not member.in_population:
            pipeline[member.in_group] += 1

    def side(counts: list[int], outside_now: int) -> trajectory.MovementRates:
        outside, entries, inside, leavers = counts
        return trajectory.MovementRates(entries / outside, leavers / inside, outside_now)

    rates = (side(mine, pipeline[True]), side(rest, pipeline[False]))
    counts = (*mine, *rest, pipeline[True], pipeline[False])
    return _MeasuredMovements(rates, counts), ""


def _flows_publishable(
    snapshots: list[tuple[date, dict[str, trajectory.Member]]], threshold: int
) -> bool:
    ordered = sorted(snapshots, key=lambda pair: pair[0])
    for (d0, s0), (d1, s1) in zip(ordered, ordered[1:], strict=False):
        period = trajectory.flows_between(d0, s0, d1, s1)
        for side in (period.group, period.others):
            if side.stock_start < threshold or side.stock_end < threshold:
                return False
            counts = (side.leavers, side.joiners, side.promotions_in)
            if any(0 < count < threshold for count in counts):
                return False
    return True


def chart_rows(status: MeasureStatus) -> list[dict]:
    """Rows for the line chart: target trajectory, actual and projection, in % of the unit."""
    rows: list[dict] = []
    if status.target:
        for point in status.target.points.all():
            rows.append({"date": point.on.isoformat(), "value": point.value, "series": "Target"})
    for value in status.values:
        rows.append(
            {"date": value.on.isoformat(), "value": status.value_of(value), "series": "Actual"}
        )
    projection = status.projection
    if projection and status.target:
        last_target = max(p.on for p in status.target.points.all())
        horizon = max(last_target, projection.met_on or last_target) + timedelta(days=1)
        for on, share in projection.path:
            if on > horizon:
                break
            rows.append(
                {"date": on.isoformat(), "value": round(share * 100, 1), "series": "Projection"}
            )
    return rows


def table_rows(status: MeasureStatus) -> list[dict]:
    """One row per date on the chart: target (trajectory), actual, projection and RAG."""
    by_date: dict[str, dict[str, Any]] = {}
    for row in chart_rows(status):
        by_date.setdefault(row["date"], {"date": row["date"]})[row["series"]] = row["value"]
    rags = {p.on.isoformat(): p.rag for p in status.periods}
    points = status.target.pure_points() if status.target else []
    rows = []
    for key in sorted(by_date):
        row = by_date[key]
        expected = trajectory.trajectory_value(points, date.fromisoformat(key)) if points else None
        rag = rags.get(key)
        rows.append(
            {
                "date": date.fromisoformat(key).strftime("%d %b %Y"),
                "target": round(expected, 1) if expected is not None else None,
                "actual": row.get("Actual"),
                "projection": row.get("Projection"),
                "rag": rag.value.capitalize() if rag else None,
            }
        )
    return rows


def measure_chart(status: MeasureStatus):
    from equitable.core.charts import line_chart

    rows = chart_rows(status)
    if not rows:
        return None
    unit = status.measure.unit or "value"
    return line_chart(
        rows,
        x="date",
        y="value",
        series="series",
        series_title="Key",
        title=status.measure.name,
        x_title="Date",
        y_title=unit,
        description=(
            "Target trajectory (dashed), actual values and, where the workforce data allow, the "
            "projection at current rates of joining, leaving and promotion (dashed). "
            "The table beside the chart gives every value."
        ),
        dashed_series=("Target", "Projection"),
    )


def measures_of(organisation: Organisation) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(objective__theme__plan__organisation=organisation)
        .select_related("objective__theme__plan__directorate")
        .prefetch_related("values", "targets__points")
        .order_by(
            "objective__theme__plan__title",
            "objective__theme__position",
            "objective__position",
            "position",
        )
    )


def set_target(
    measure: Measure,
    points: list[tuple[date, float]],
    tolerance: float,
    baseline: tuple[date, float] | None = None,
) -> Target:
    """Replace the measure's target with these dated values (one target per measure), and
    its baseline (the point the trajectory starts from) when one is given."""
    with transaction.atomic():
        target = measure.targets.first() or Target(measure=measure)
        target.tolerance = tolerance
        target.name = target.name or f"Target: {measure.name[:150]}"
        target.save()
        target.points.all().delete()
        rows = [TargetPoint(target=target, on=on, value=value) for on, value in points]
        if baseline is not None:
            rows.insert(
                0, TargetPoint(target=target, on=baseline[0], value=baseline[1], is_baseline=True)
            )
        TargetPoint.objects.bulk_create(rows)
    return target


# --- board report ---------------------------------------------------------------------------

# Years a board report can be about (the report also reads the quarter before: year 1 had none).
QUARTER_YEARS = range(1900, 2101)


def parse_quarter(text: str) -> tuple[date, date]:
    """A board report's quarter, '2025Q1' -> (1 January 2025, 31 March 2025): 1900 to 2100.

    Only the spelling board reports use (their addresses and records hold it)."""
    quarter = Quarter.parse(text)
    if quarter.compact != text.strip().upper():
        raise ValueError(f"{text!r} is not a quarter: write it as 2025Q1 (Q1 = January to March)")
    if quarter.year not in QUARTER_YEARS:
        raise ValueError(
            f"{text!r} is not a year we can report on: choose one from "
            f"{QUARTER_YEARS.start} to {QUARTER_YEARS.stop - 1}"
        )
    return quarter.start, quarter.end


def quarter_of(on: date) -> str:
    """The board report quarter holding `on`, as board reports write it (`2025Q1`)."""
    return Quarter.of(on).compact


def previous_quarter(quarter: str) -> str:
    parse_quarter(quarter)
    return Quarter.parse(quarter).previous().compact


def latest_complete_quarter(on: date | None = None) -> str:
    return previous_quarter(quarter_of(on or today()))


def _headline(organisation: Organisation, start: date, end: date) -> list[dict]:
    """Each computed measure at the quarter's end against the previous quarter's end, from the
    newest snapshot on or before each date, as the board may read it (protected tables)."""
    dated = _snapshot_tables(organisation, published=True)
    # Exact figures only to tell "withheld" from "no data": none of them is shown.
    exact = dict(_snapshot_tables(organisation))
    now = [t for on, t in dated if on <= end]
    before = [t for on, t in dated if on < start]
    now_on = max((on for on, _ in dated if on <= end), default=None)
    before_on = max((on for on, _ in dated if on < start), default=None)
    threshold = organisation.suppression_threshold
    quarter = quarter_of(start)
    rows = []
    for key, definition in computed.COMPUTED_MEASURES.items():
        current = computed.compute(key, now[-1], threshold) if now else None
        previous = computed.compute(key, before[-1], threshold) if before else None
        movement = (
            round(current - previous, 2)
            if current is not None and previous is not None and now_on != before_on
            else None
        )
        rows.append(
            {
                "name": definition.name,
                "withheld": current is None
                and now_on is not None
                and computed.compute(key, exact[now_on]) is not None,
                "previous_withheld": previous is None
                and before_on is not None
                and computed.compute(key, exact[before_on]) is not None,
                "value": current,
                "previous": previous,
                "movement": movement,
                "direction": definition.direction,
                "as_at": now_on,
                "previous_as_at": before_on,
                # A figure from before the quarter says how old it is; last quarter's only
                # when it is older than last quarter.
                "age": report_text.figure_age(now_on, quarter),
                "previous_age": (
                    report_text.figure_age(before_on, quarter)
                    if report_text.figure_age(before_on, previous_quarter(quarter))
                    else None
                ),
            }
        )
    return rows


def board_report(
    organisation: Organisation,
    quarter: str,
    reader: str = R.Role.BOARD_MEMBER,
    *,
    key_messages: str = "",
) -> dict[str, Any]:
    """Everything the quarterly board report shows, as plain data for the HTML and PDF.

    The report is the board's: every figure in it is as a board member may read it (protected
    tables, whoever opens it), and its incident trends follow the rules of /incidents/trends/:
    a `reader` whose role may not read those (org admin, HR analyst, champion) gets the report
    without them and a sentence saying why."""
    start, end = parse_quarter(quarter)
    actions = list(actions_of(organisation))
    targets = []
    for measure in measures_of(organisation).filter(targets__isnull=False).distinct():
        status = measure_status(measure, end, with_projection=True, published=True)
        status.age = report_text.figure_age(  # type: ignore[attr-defined]
            status.latest.on if status.latest else None, quarter, source="value"
        )
        targets.append(status)
    # Plain calls into the other apps: a bug there is a bug in the report, and must show as
    # one (an error), never as a section quietly missing from what the board reads.
    levels = standard_services.current_levels(organisation)
    level_names = standard_library.LEVEL_NAMES
    incidents = None
    incidents_withheld = reader not in R.INCIDENT_TREND_ROLES
    if not incidents_withheld:
        incidents = incident_services.incident_trends(organisation, quarter)

    incident_table = None
    if isinstance(incidents, dict) and incidents.get("trend"):
        incident_table = _pivot_trend(incidents["trend"])

    def by_due(items: list[Action]) -> list[Action]:
        return sorted(items, key=lambda a: (a.due or date.max, a.ref))

    return {
        "organisation": organisation,
        "quarter": quarter,
        "start": start,
        "end": end,
        "previous_quarter": previous_quarter(quarter),
        "headline": _headline(organisation, start, end),
        "targets": targets,
        "due": by_due([a for a in actions if a.due and start <= a.due <= end]),
        "overdue": by_due([a for a in actions if a.is_open() and a.due and a.due < start]),
        "completed": sorted(
            [a for a in actions if a.completed_on and start <= a.completed_on <= end],
            key=lambda a: a.completed_on,
        ),
        "attention": by_due(
            [a for a in actions if a.status in (Action.Status.AT_RISK, Action.Status.OFF_TRACK)]
        ),
        "levels": levels,
        "level_names": level_names,
        "incidents": incidents,
        "incidents_withheld": incidents_withheld,
        "incident_table": incident_table,
        "generated": today(),
        "key_messages": report_text.key_message_blocks(key_messages),
        # Set by `board_reports.issue` for the frozen copy; None on a draft.
        "issued": None,
    }


def _pivot_trend(trend: list[dict]) -> dict[str, Any]:
    """The incidents app's long trend rows ({quarter, type, count}) as one row per type with a
    column per quarter, which a board reads at a glance."""
    quarters = sorted({row["quarter"] for row in trend})
    types: dict[str, dict[str, int | None]] = {}
    for row in trend:
        types.setdefault(row["type"], {})[row["quarter"]] = row["count"]
    return {
        "quarters": quarters,
        "rows": [
            {"type": name, "counts": [counts.get(q) for q in quarters]}
            for name, counts in types.items()
        ],
        "any": any(row["count"] != 0 for row in trend),
    }
