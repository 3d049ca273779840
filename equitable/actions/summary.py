"""What the home page needs from the action plans: a person's actions by urgency, every target
with its RAG, and the measures the organisation pinned.

Why a module of its own rather than more of services.py: these are read-only summaries for one
page (core/dashboard.py), built only from the services' own functions (`measure_status`,
`actions_of`, `measures_of`), so a figure on the home page is the figure on the plan's pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from equitable.actions import services
from equitable.actions.models import Action, Measure
from equitable.core.models import Organisation, User
from equitable.core.roles import Role

# "Due soon" on the home page: the next 30 days, today included.
DUE_SOON_DAYS = 30


def _own_directorates(queryset: QuerySet, user: User, field: str) -> QuerySet:
    """A champion's home shows their directorates' plans only (the corporate plan is everyone's
    and has its own page); everyone else sees the whole organisation's."""
    if user.role == Role.CHAMPION:
        return queryset.filter(**{f"{field}__in": user.directorates.all()})
    return queryset


@dataclass
class ActionSummary:
    overdue: list[Action]
    due_soon: list[Action]
    at_risk: list[Action]
    open_count: int
    on: date
    due_until: date


def action_summary(organisation: Organisation, user: User, on: date | None = None) -> ActionSummary:
    """Open actions that are overdue, due in the next DUE_SOON_DAYS days, or at risk or off
    track (an action can be in more than one list), each sorted by due date."""
    on = on or services.today()
    until = on + timedelta(days=DUE_SOON_DAYS)
    actions = _own_directorates(
        services.actions_of(organisation), user, "objective__theme__plan__directorate"
    )
    open_actions = [a for a in actions if a.is_open()]

    def by_due(items: list[Action]) -> list[Action]:
        return sorted(items, key=lambda a: (a.due or date.max, a.ref, a.pk))

    return ActionSummary(
        overdue=by_due([a for a in open_actions if a.is_overdue(on)]),
        due_soon=by_due([a for a in open_actions if a.due and on <= a.due <= until]),
        at_risk=by_due(
            [
                a
                for a in open_actions
                if a.status in (Action.Status.AT_RISK, Action.Status.OFF_TRACK)
            ]
        ),
        open_count=len(open_actions),
        on=on,
        due_until=until,
    )


def target_statuses(
    organisation: Organisation, user: User, on: date | None = None
) -> list[services.MeasureStatus]:
    """Every measure with a target, with its latest value and RAG as this person may read them
    (protected values for anyone without personal-data access)."""
    measures = _own_directorates(
        services.measures_of(organisation).filter(targets__isnull=False).distinct(),
        user,
        "objective__theme__plan__directorate",
    )
    published = not user.has_personal_access
    return [services.measure_status(m, on, published=published) for m in measures]


def pinned_statuses(
    organisation: Organisation, user: User, on: date | None = None
) -> list[services.MeasureStatus]:
    """The measures the organisation pinned on the home page (every role sees the same ones,
    protected for anyone without personal-data access)."""
    published = not user.has_personal_access
    measures = services.measures_of(organisation).filter(pinned_on_home=True)
    return [services.measure_status(m, on, published=published) for m in measures]


def pinnable_measures(organisation: Organisation) -> QuerySet[Measure]:
    return services.measures_of(organisation)


def set_pinned(organisation: Organisation, pinned_ids: set[int]) -> tuple[int, int]:
    """Pin exactly these measures of the organisation; returns (pinned, unpinned) counts of
    changes. Ids of other organisations' measures are ignored (the queryset is scoped)."""
    measures = Measure.objects.filter(objective__theme__plan__organisation=organisation)
    pinned = measures.filter(pk__in=pinned_ids, pinned_on_home=False).update(pinned_on_home=True)
    unpinned = (
        measures.exclude(pk__in=pinned_ids).filter(pinned_on_home=True).update(pinned_on_home=False)
    )
    return pinned, unpinned
