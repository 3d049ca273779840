"""The question bank: one item per question the organisation asks across waves.

Why a bank: trends compare like with like only when the same question is matched across waves,
and wording drifts ("I feel able to speak up" → "I feel safe to speak up"). A new wave's
question joins the item with the same code, or is suggested for the item whose wording is
nearly the same (difflib ratio of at least 0.8) and waits for the officer to confirm the link,
or starts an item of its own.
"""

from __future__ import annotations

import difflib
import re

from django.db import transaction

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.surveys.models import QuestionBankItem, Survey, SurveyIndex, SurveyQuestion

SIMILAR = 0.8


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text.lower()).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _normal(a), _normal(b)).ratio()


def _unique_code(organisation: Organisation, code: str) -> str:
    base, n, candidate = code[:55] or "q", 2, code[:55] or "q"
    while QuestionBankItem.objects.filter(organisation=organisation, code=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def link_questions(survey: Survey) -> None:
    """Give every question of a new wave its bank item (see the module docstring)."""
    organisation = survey.organisation
    items = list(QuestionBankItem.objects.filter(organisation=organisation))
    by_code = {item.code: item for item in items}
    taken: set[int] = set()  # one question of a wave per item
    for question in survey.questions.all():
        same = by_code.get(question.code)
        if same is not None and same.kind == question.kind and same.pk not in taken:
            question.bank_item, question.link_confirmed = same, True
        else:
            best = max(
                (i for i in items if i.kind == question.kind and i.pk not in taken),
                key=lambda i: similarity(i.text, question.text),
                default=None,
            )
            if best is not None and similarity(best.text, question.text) >= SIMILAR:
                question.bank_item, question.link_confirmed = best, False
            else:
                item = QuestionBankItem.objects.create(
                    organisation=organisation,
                    code=_unique_code(organisation, question.code),
                    text=question.text,
                    theme=question.theme,
                    kind=question.kind,
                )
                items.append(item)
                by_code[item.code] = item
                question.bank_item, question.link_confirmed = item, True
        assert question.bank_item is not None
        taken.add(question.bank_item.pk)
        question.save(update_fields=["bank_item", "link_confirmed"])


def confirm_link(question: SurveyQuestion, *, user: User | None) -> None:
    question.link_confirmed = True
    question.save(update_fields=["link_confirmed"])
    _changed(question.survey)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "survey_bank",
        question.bank_item_id,
        f"linked {question.code} of survey {question.survey_id}",
        organisation=question.survey.organisation,
    )


def unlink(question: SurveyQuestion, *, user: User | None) -> QuestionBankItem:
    """The question becomes an item of its own."""
    organisation = question.survey.organisation
    with transaction.atomic():
        item = QuestionBankItem.objects.create(
            organisation=organisation,
            code=_unique_code(organisation, question.code),
            text=question.text,
            theme=question.theme,
            kind=question.kind,
        )
        question.bank_item, question.link_confirmed = item, True
        question.save(update_fields=["bank_item", "link_confirmed"])
    _changed(question.survey)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "survey_bank",
        item.pk,
        f"unlinked {question.code} of survey {question.survey_id}",
        organisation=organisation,
    )
    return item


def set_indicator(item: QuestionBankItem, indicator: str, *, user: User | None) -> None:
    """The WRES or Social Care WRES indicator a bank item measures (one item per indicator)."""
    if indicator:
        QuestionBankItem.objects.filter(
            organisation=item.organisation, indicator=indicator
        ).exclude(pk=item.pk).update(indicator="")
    item.indicator = indicator
    item.save(update_fields=["indicator"])
    for survey in Survey.objects.filter(organisation=item.organisation):
        _changed(survey)
    audit.record(
        user,
        AuditEvent.Action.CHANGE,
        "survey_bank",
        item.pk,
        f"indicator {indicator or 'none'}",
        organisation=item.organisation,
    )


def create_index(
    organisation: Organisation, name: str, items: list[QuestionBankItem], *, user: User | None
) -> SurveyIndex:
    index = SurveyIndex.objects.create(organisation=organisation, name=name[:120])
    index.items.set(items)
    for survey in Survey.objects.filter(organisation=organisation):
        _changed(survey)
    audit.record(
        user,
        AuditEvent.Action.CREATE,
        "survey_index",
        index.pk,
        f"{name[:80]}: {len(items)} questions",
        organisation=organisation,
    )
    return index


def _changed(survey: Survey) -> None:
    """The stored figures rest on the links, indicators and indices: forget them."""
    survey.stored_figures.all().delete()
    for later in survey.followed_by.all():
        later.stored_figures.all().delete()


def matched_previous_codes(survey: Survey) -> dict[str, str]:
    """Previous wave's question code -> this wave's, through confirmed bank links."""
    previous = survey.previous
    if previous is None:
        return {}
    now = {
        q.bank_item_id: q.code
        for q in survey.questions.filter(link_confirmed=True, bank_item__isnull=False)
    }
    return {
        q.code: now[q.bank_item_id]
        for q in previous.questions.filter(link_confirmed=True, bank_item__isnull=False)
        if q.bank_item_id in now
    }


def indices_for(survey: Survey) -> dict[str, list[str]]:
    codes = {q.bank_item_id: q.code for q in survey.questions.filter(bank_item__isnull=False)}
    found = {}
    for index in SurveyIndex.objects.filter(organisation=survey.organisation).prefetch_related(
        "items"
    ):
        members = [codes[i.pk] for i in index.items.all() if i.pk in codes]
        if len(members) >= 2:
            found[index.name] = members
    return found


def indicators_for(survey: Survey) -> dict[str, str]:
    return {
        q.bank_item.indicator: q.code
        for q in survey.questions.select_related("bank_item").filter(bank_item__isnull=False)
        if q.bank_item is not None and q.bank_item.indicator
    }
