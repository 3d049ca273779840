"""Measures computed from the staff surveys: choosing the question and group, and the values.

The officer chooses a question of the question bank and a group on the measure page; the
measure then takes, for every wave that asks the question (a confirmed bank link), the wave's
published % favourable for the group (`survey_measures` has the key format and the reading).
Values are recomputed whenever a wave, its links or its threshold change
(`refresh_survey_values`, called by the surveys app) and whenever the computed measures are.

Survey figures are the same for every reader (they are only ever shown protected), so a
value's `published_value` equals its `value`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from equitable.actions import survey_measures
from equitable.actions.models import Measure, MeasureValue
from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.metrics.surveys.model import SCALED
from equitable.surveys import figures as survey_figures
from equitable.surveys.models import QuestionBankItem, Survey, SurveyQuestion


def measurable_items(organisation: Organisation) -> QuerySet[QuestionBankItem]:
    """The bank items a measure may read: asked in at least one wave, with answers that have
    a favourable share."""
    return (
        QuestionBankItem.objects.filter(
            organisation=organisation, kind=SCALED, asked__link_confirmed=True
        )
        .distinct()
        .order_by("theme", "code")
    )


def survey_keys(organisation: Organisation) -> set[str]:
    """Every survey measure key valid for this organisation (for the workbook import)."""
    return {
        survey_measures.SurveySource(group, item.code).key
        for item in measurable_items(organisation)
        for group in survey_measures.GROUPS
    }


def source_of(measure: Measure) -> survey_measures.SurveySource | None:
    if measure.kind != Measure.Kind.COMPUTED or not survey_measures.is_survey_key(
        measure.computed_key
    ):
        return None
    return survey_measures.parse(measure.computed_key)


def item_of(measure: Measure) -> QuestionBankItem | None:
    source = source_of(measure)
    if source is None:
        return None
    return QuestionBankItem.objects.filter(
        organisation=measure.plan.organisation, code=source.item_code
    ).first()


def use_survey_question(
    user: User | None, measure: Measure, item: QuestionBankItem, group: str
) -> int:
    """Make the measure computed from a survey question and group; returns values written."""
    source = survey_measures.SurveySource(group, item.code)
    survey_measures.parse(source.key)  # an unknown group fails here, before anything changes
    with transaction.atomic():
        measure.kind = Measure.Kind.COMPUTED
        measure.computed_key = source.key
        measure.unit = "%"
        measure.source = f"Staff surveys: {item.text[:150]} ({source.group_label})"
        measure.save(update_fields=["kind", "computed_key", "unit", "source"])
        # Values typed in by hand before are replaced by the surveys' own.
        measure.values.all().delete()
        written = refresh_measure(measure)
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "measure",
            measure.pk,
            f"computed from survey question {item.code} ({source.group_label})",
        )
    return written


def stop_survey_question(user: User | None, measure: Measure) -> None:
    """Back to values entered by hand (the survey values go: they were never typed in)."""
    with transaction.atomic():
        measure.kind = Measure.Kind.MANUAL
        measure.computed_key = ""
        measure.save(update_fields=["kind", "computed_key"])
        measure.values.filter(origin=MeasureValue.Origin.SURVEY).delete()
        audit.record(
            user,
            AuditEvent.Action.CHANGE,
            "measure",
            measure.pk,
            "no longer computed from a survey",
        )


def wave_values(measure: Measure) -> list[survey_measures.WaveValue]:
    """The measure's value in every wave asking its question, oldest first (None where the
    wave withholds the group's row, with the reason)."""
    source = source_of(measure)
    if source is None:
        return []
    organisation = measure.plan.organisation
    questions = (
        SurveyQuestion.objects.filter(
            survey__organisation=organisation,
            bank_item__code=source.item_code,
            bank_item__organisation=organisation,
            link_confirmed=True,
        )
        .select_related("survey")
        .order_by("survey__fieldwork_month")
    )
    found = []
    for question in questions:
        survey: Survey = question.survey
        rows = survey_figures.published_table(survey, source.table)
        row = source.row_of(rows.to_dicts() if rows is not None else [], question.code)
        value, why = survey_measures.value_from(row)
        found.append(
            survey_measures.WaveValue(
                survey.title, survey_measures.wave_date(survey.fieldwork_month), value, why
            )
        )
    return found


def refresh_measure(measure: Measure) -> int:
    """Store one value per wave with a published figure; drop the rest."""
    kept = []
    for wave in wave_values(measure):
        if wave.value is None:
            continue
        MeasureValue.objects.update_or_create(
            measure=measure,
            on=wave.on,
            defaults={
                "value": wave.value,
                "published_value": wave.value,
                "origin": MeasureValue.Origin.SURVEY,
                "note": wave.survey,
            },
        )
        kept.append(wave.on)
    measure.values.exclude(on__in=kept).delete()
    return len(kept)


def survey_measures_of(organisation: Organisation) -> list[Measure]:
    return [
        m
        for m in Measure.objects.filter(
            objective__theme__plan__organisation=organisation,
            kind=Measure.Kind.COMPUTED,
            computed_key__startswith=survey_measures.PREFIX,
        ).select_related("objective__theme__plan__organisation")
    ]


def refresh_survey_values(organisation: Organisation) -> int:
    """Recompute every survey measure of the organisation (a wave imported, deleted, relinked
    or protected under another threshold)."""
    written = 0
    with transaction.atomic():
        for measure in survey_measures_of(organisation):
            written += refresh_measure(measure)
    return written


def survey_notes(measure: Measure) -> list[str]:
    """What the measure page says about waves that give no value ("Race Survey 2022:
    withheld: …"), and a question no longer in the bank."""
    source = source_of(measure)
    if source is None:
        return []
    if item_of(measure) is None:
        return [
            f"The question bank has no question {source.item_code!r} any more: choose another "
            "question or enter values by hand."
        ]
    notes = [
        f"{w.survey}: no value ({w.why_withheld})." for w in wave_values(measure) if w.value is None
    ]
    if not notes and not measure.values.exists():
        notes.append("No survey asking this question has been imported yet.")
    return notes


def definition_of(measure: Measure) -> str | None:
    source, item = source_of(measure), item_of(measure)
    if source is None or item is None:
        return None
    return survey_measures.definition(source, item.text)
