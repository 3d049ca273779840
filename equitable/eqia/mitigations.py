"""Mitigations become actions in an action plan, so they are followed up with the rest of the
programme (owner, due date, progress updates, reminders) instead of staying in a document.

Each mitigation becomes one action under the plan's theme "Equality impact assessments" and an
objective per assessment; the row remembers its action, so doing it twice makes nothing twice.
The actions app has no service that creates a single action (its workbook import builds whole
plans), so this is the one place outside it that does, through its models.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from equitable.actions import services as actions
from equitable.actions.models import Action, ActionPlan, Objective, Theme
from equitable.core import audit
from equitable.core.models import AuditEvent, User
from equitable.eqia.models import Assessment, CharacteristicImpact
from equitable.eqia.services import latest_stage, require_edit

THEME_TITLE = "Equality impact assessments"


def pending(assessment: Assessment) -> list[CharacteristicImpact]:
    """Rows of the latest stage (the full assessment when there is one: it supersedes the
    screening's answers) with a mitigation not yet turned into an action."""
    rows = assessment.characteristics.filter(
        action__isnull=True, stage=latest_stage(assessment)
    ).order_by("position", "id")
    return [row for row in rows if row.mitigation.strip()]


def done(assessment: Assessment) -> list[CharacteristicImpact]:
    return list(
        assessment.characteristics.filter(action__isnull=False).select_related(
            "action__objective__theme__plan"
        )
    )


def plans_for(user: User) -> QuerySet[ActionPlan]:
    """The plans this user may add actions to: a champion only their directorate's."""
    plans = actions.plans_for(user)
    return plans.filter(pk__in=[p.pk for p in plans if actions.can_edit(user, p)])


def create_actions(
    assessment: Assessment,
    plan: ActionPlan,
    rows: list[CharacteristicImpact],
    user: User,
) -> list[Action]:
    require_edit(user, assessment)
    if plan.organisation_id != assessment.organisation_id:
        raise PermissionDenied
    actions.require_edit(user, plan)
    created: list[Action] = []
    with transaction.atomic():
        theme = plan.themes.filter(title=THEME_TITLE).first()
        if theme is None:
            position = plan.themes.count()
            theme = Theme.objects.create(plan=plan, title=THEME_TITLE, position=position)
        objective_text = f"Mitigate the impacts found by {assessment.ref}: {assessment.title}"
        objective, _ = Objective.objects.get_or_create(
            theme=theme, text=objective_text, defaults={"position": theme.objectives.count()}
        )
        for row in rows:
            if row.action_id is not None or row.assessment_id != assessment.pk:
                continue
            number = assessment.characteristics.filter(action__isnull=False).count() + 1
            action = Action.objects.create(
                objective=objective,
                ref=f"{assessment.ref}-{number}"[:20],
                text=f"{row.characteristic}: {row.mitigation.strip()}",
                owner=assessment.owner,
                due=assessment.review_date,
                position=objective.actions.count(),
            )
            row.action = action
            row.save(update_fields=["action"])
            created.append(action)
            audit.record(
                user,
                AuditEvent.Action.CREATE,
                "action",
                action.pk,
                f"from the mitigations of {assessment.ref}",
            )
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "eqia",
            assessment.pk,
            f"{len(created)} mitigation(s) made actions in plan {plan.pk}",
        )
    return created
