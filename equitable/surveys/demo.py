"""The demo council's staff surveys: the Race Survey 2020, its 2022 follow-up and two pulse
surveys, imported through the real reader and mapping from the exports the tools write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from equitable.core.models import Directorate, Organisation
from equitable.metrics.surveys import synthetic
from equitable.surveys import bank, imports
from equitable.surveys.models import QuestionBankItem, Survey, SurveyKind, SurveyQuestion

# Bank items (by the synthetic question) that carry a WRES indicator.
INDICATORS = {"Q13": "wres6", "Q5": "wres7", "Q11": "wres8", "Q12": "wres5"}
SAFETY_INDEX = ("Q1", "Q2", "Q3")


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Import the four waves once (demo-borough only: see core/demo.py)."""
    if Survey.objects.filter(organisation=organisation).exists():
        return
    directorates = list(
        Directorate.objects.filter(organisation=organisation).values_list("name", flat=True)
    ) or ["People"]
    previous = None
    for wave, data, filename in synthetic.demo_exports(directorates):
        year, month = (int(p) for p in wave.month.split("-"))
        survey = imports.import_export(
            organisation,
            data,
            filename,
            title=wave.title,
            kind=SurveyKind.PULSE if wave.pulse else SurveyKind.RACE,
            fieldwork_month=date(year, month, 1),
            user=None,
            previous=previous,
        )
        # The officer confirms the suggested links (the 2022 wording is the same).
        SurveyQuestion.objects.filter(survey=survey, link_confirmed=False).update(
            link_confirmed=True
        )
        previous = survey
    texts = {q.code: q.text for q in synthetic.QUESTIONS}
    items = {i.text: i for i in QuestionBankItem.objects.filter(organisation=organisation)}
    for code, indicator in INDICATORS.items():
        item = items.get(texts[code])
        if item is not None:
            bank.set_indicator(item, indicator, user=None)
    safety = [items[texts[c]] for c in SAFETY_INDEX if texts[c] in items]
    if len(safety) >= 2:
        bank.create_index(organisation, "Psychological safety", safety, user=None)
    progress(f"{organisation.name}: {len(synthetic.WAVES)} staff surveys imported")
