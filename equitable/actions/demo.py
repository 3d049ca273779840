"""Demo content: seed 000's Race Equality Action Plan (Annex B) and the race review register
(Annex A), transcribed in `data/*.yaml`, with invented statuses, updates and survey values, the
25/35/45/50% target on the leadership tiers, and a small People directorate plan so that the
directorate champion has a plan of their own to keep up to date.

Progress updates carry their authors and statuses (a history on every action page, with one
correction and one withdrawal in the People plan), action owners have accounts for reminders,
and the register's recommendations link to the actions that deliver them.

`equitable demo` calls `load_demo(organisation, ...)` after the workforce app has loaded its
snapshots, so the computed measures take their values from those snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

from equitable.actions import demo_data, services, survey_sources
from equitable.actions.models import (
    Action,
    ActionPlan,
    Measure,
    MeasureValue,
    ProgressUpdate,
    Target,
    TargetPoint,
)
from equitable.actions.spreadsheet import ActionRow, PlanWorkbook
from equitable.core.models import Organisation, User
from equitable.metrics.surveys import synthetic as synthetic_surveys
from equitable.surveys.models import QuestionBankItem

DEMO_SLUG = "demo-borough"
PEOPLE_PLAN = "People directorate race equality plan"
PEOPLE_ACTIONS = [
    # (ref, action, owner, due, status, update)
    (
        "PPL-1",
        "Advertise every People directorate vacancy at grade MG1 and above through at least one "
        "community and one professional network for Black, Asian and Multi-ethnic staff",
        "People directorate management team",
        date(2025, 6, 30),
        "on track",
        "Adverts now go to the London Black Social Workers network and the Xcite programme.",
    ),
    (
        "PPL-2",
        "Offer every Black, Asian and Multi-ethnic practitioner at G9-G11 a career conversation "
        "with a service manager outside their line",
        "Heads of Service, People",
        date(2025, 3, 31),
        "at risk",
        "41 of 68 conversations held; social care teams short of managers this winter.",
    ),
    (
        "PPL-3",
        "Check every People directorate restructure with an Equality Impact Assessment before "
        "consultation",
        "People directorate business partner",
        date(2024, 12, 31),
        "off track",
        "Early help restructure went to consultation before its assessment was signed off.",
    ),
]


DEMO_PINNED = ("SS1-M1", "SS1-M4")
# Measures the officer has pointed at a survey question: (synthetic question, group).
DEMO_SURVEY_MEASURES = {
    "SS1-M1": ("Q7", "all"),  # aware of the Dignity at Work policy
    "SS1-M5": ("Q8", "black-asian-multi-ethnic"),  # confident reporting racism
}


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Called by `equitable demo` for each demo council; only Demo Borough carries the plan."""
    if organisation.slug != DEMO_SLUG:
        return
    load_demo_actions(organisation)
    progress(f"{organisation.name}: action plan, register and targets")


def load_demo_actions(organisation: Organisation) -> None:
    """Load the transcribed plan and register once (an organisation with plans is left alone)."""
    if ActionPlan.objects.filter(organisation=organisation).exists():
        return
    with transaction.atomic():
        services.apply_workbook(organisation, demo_data.demo_workbook())
        _apply_extras(organisation)
        _people_plan(organisation)
        # Two survey measures among everyone's headline figures on the home page.
        Measure.objects.filter(
            objective__theme__plan__organisation=organisation, ref__in=DEMO_PINNED
        ).update(pinned_on_home=True)
    services.refresh_computed_values(organisation)
    _survey_measures(organisation)


def _survey_measures(organisation: Organisation) -> None:
    """Point the plan's survey measures at the demo's survey questions (when the surveys are
    loaded: they come before the action plan in `core.demo.DEMO_APPS`)."""
    texts = {q.code: q.text for q in synthetic_surveys.QUESTIONS}
    for ref, (question, group) in DEMO_SURVEY_MEASURES.items():
        item = QuestionBankItem.objects.filter(
            organisation=organisation, text=texts[question]
        ).first()
        measure = Measure.objects.filter(
            objective__theme__plan__organisation=organisation, ref=ref
        ).first()
        if item is not None and measure is not None:
            survey_sources.use_survey_question(None, measure, item, group)


def _demo_user(organisation: Organisation, username: str) -> User | None:
    return User.objects.filter(organisation=organisation, username=username).first()


def _status_trail(status: str, count: int) -> list[str]:
    """The statuses a run of `count` updates reported, ending at the action's status: the
    earlier ones "on track" (an action is rarely reported at risk from its first update)."""
    if count == 0:
        return []
    if status == Action.Status.NOT_STARTED:
        return [status] * count
    return [Action.Status.ON_TRACK] * (count - 1) + [status]


def _apply_extras(organisation: Organisation) -> None:
    extras = demo_data.plan_extras()
    actions = {a.ref: a for a in services.actions_of(organisation)}
    for ref, completed in extras.completed.items():
        Action.objects.filter(pk=actions[ref].pk).update(completed_on=completed)
    # The corporate plan's updates were written by the EDI officer; each reports a status, the
    # last one the action's own, so the action page shows a status history with its authors.
    officer = _demo_user(organisation, "edi.officer")
    rows = []
    for ref, updates in extras.updates.items():
        action = actions[ref]
        ordered = sorted(updates, key=lambda u: u.on)
        previous: str = Action.Status.NOT_STARTED
        for update, status in zip(ordered, _status_trail(action.status, len(ordered)), strict=True):
            rows.append(
                ProgressUpdate(
                    action=action,
                    on=update.on,
                    note=update.note,
                    link=update.link,
                    status=status,
                    previous_status=previous,
                    author=officer,
                )
            )
            previous = status
    ProgressUpdate.objects.bulk_create(rows)
    # Reminders of the open corporate actions go to the EDI officer.
    if officer is not None:
        Action.objects.filter(pk__in=[a.pk for a in actions.values() if a.is_open()]).update(
            owner_user=officer
        )
    measures = {
        m.ref: m for m in Measure.objects.filter(objective__theme__plan__organisation=organisation)
    }
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=measures[ref], on=on, value=value, origin=MeasureValue.Origin.MANUAL)
        for ref, values in extras.measure_values.items()
        for on, value in values
    )
    for ref, (points, tolerance) in extras.targets.items():
        measure = measures[ref]
        target = Target.objects.create(
            measure=measure,
            name=f"Target: {measure.name[:150]}",
            tolerance=tolerance if tolerance is not None else 5.0,
        )
        TargetPoint.objects.bulk_create(
            TargetPoint(target=target, on=p.on, value=p.value) for p in points
        )


def _people_plan(organisation: Organisation) -> None:
    directorate = organisation.directorates.filter(name="People").first()
    if directorate is None:
        return
    book = PlanWorkbook(
        actions=[
            ActionRow(
                plan=PEOPLE_PLAN,
                directorate=directorate.name,
                theme="Recruitment and retention",
                objective=(
                    "Each Directorate to increase in the number of Black, Asian and Multi-ethnic "
                    "staff within their services areas to adequately represent the community "
                    "that we serve."
                ),
                ref=ref,
                action=text,
                owner=owner,
                strategic_lead="Corporate Director, People",
                operational_lead="People directorate EDI champion",
                start=date(2024, 4, 1),
                due=due,
                status=status,
            )
            for ref, text, owner, due, status, _ in PEOPLE_ACTIONS
        ]
    )
    services.apply_workbook(organisation, book)
    actions = {a.ref: a for a in services.actions_of(organisation).filter(ref__startswith="PPL-")}
    champion = _demo_user(organisation, "champion.people")
    officer = _demo_user(organisation, "edi.officer")
    if champion is None or officer is None:
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(action=actions[ref], on=date(2025, 2, 20), note=note, status=status)
            for ref, _, _, _, status, note in PEOPLE_ACTIONS
        )
        return
    # The champion keeps the plan up to date through the one update form, so each action has
    # a history: earlier updates, one corrected (a typo in a count) and one withdrawn (entered
    # on the wrong action), all kept and marked.
    Action.objects.filter(pk__in=[a.pk for a in actions.values()]).update(owner_user=champion)
    for action in actions.values():
        action.refresh_from_db()
        action.status = Action.Status.NOT_STARTED
        action.save(update_fields=["status"])
    history = {
        "PPL-1": [(date(2024, 10, 1), "on track", "Vacancy template now names the networks.")],
        "PPL-2": [
            (date(2024, 11, 15), "on track", "Offer sent to 68 practitioners; 12 held so far."),
        ],
        "PPL-3": [
            (date(2024, 9, 30), "on track", "Assessment template agreed with HR partners."),
        ],
    }
    for ref, _, _, _, status, note in PEOPLE_ACTIONS:
        action = actions[ref]
        for on, earlier_status, earlier_note in history[ref]:
            services.add_update(
                action, champion, {"on": on, "status": earlier_status, "note": earlier_note}
            )
        if ref == "PPL-3":
            mistaken = services.add_update(
                action,
                champion,
                {"on": date(2025, 1, 15), "status": "done", "note": "All restructures assessed."},
            )
            services.withdraw_update(
                mistaken,
                officer,
                "Entered on the wrong action: the early help restructure was not assessed",
            )
        if ref == "PPL-2":
            typo = services.add_update(
                action,
                champion,
                {"on": date(2025, 2, 20), "status": status, "note": note.replace("68", "86")},
            )
            services.correct_update(
                typo, champion, {"on": date(2025, 2, 20), "status": status, "note": note}
            )
        else:
            services.add_update(
                action, champion, {"on": date(2025, 2, 20), "status": status, "note": note}
            )
