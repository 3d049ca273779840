"""Stored survey waves: responses encrypted at rest, questions, and their bank links.

Why encrypted like incident content: a wave's rows hold each respondent's characteristics
beside their answers and comments; a copy of the database alone must not give them away. The
frame is written as Parquet without key-value metadata, shuffled (the mapping step shuffles),
and sealed with the incident keys (`incidents.crypto`, AES-256-GCM) bound to the survey's id.
"""

from __future__ import annotations

import hashlib
import io
import json
from datetime import date

import polars as pl
from django.db import transaction

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.incidents import crypto, keys
from equitable.metrics import disclosure_control
from equitable.metrics.surveys.model import Question, Responses
from equitable.surveys import bank
from equitable.surveys.models import Survey, SurveyQuestion, SurveyResponses, SurveySettings

RESPONSES_CONTEXT = "survey_responses"


def _context(survey: Survey) -> bytes:
    return crypto.context(RESPONSES_CONTEXT, str(survey.pk))


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def default_threshold(organisation: Organisation) -> int:
    found = SurveySettings.objects.filter(organisation=organisation).first()
    return found.threshold if found is not None else disclosure_control.DEFAULT_THRESHOLD


def store_survey(
    organisation: Organisation,
    *,
    title: str,
    kind: str,
    fieldwork_month: date,
    responses: Responses,
    tool: str,
    user: User | None,
    threshold: int | None = None,
    previous: Survey | None = None,
    invited: int | None = None,
) -> Survey:
    """Store one wave (audited here, so the web, the command line and the demo leave the same
    trace). Its threshold is fixed now and never changes."""
    threshold = disclosure_control.check_threshold(
        threshold if threshold is not None else default_threshold(organisation)
    )
    blob = _parquet(responses.frame)
    with transaction.atomic():
        survey = Survey.objects.create(
            organisation=organisation,
            title=title[:200],
            kind=kind,
            fieldwork_month=fieldwork_month.replace(day=1),
            previous=previous,
            invited=invited,
            respondent_count=responses.frame.height,
            threshold=threshold,
            tool=tool[:30],
            imported_by=user if user is not None and user.is_authenticated else None,
        )
        SurveyResponses.objects.create(
            survey=survey, ciphertext=keys.cipher().encrypt(blob, _context(survey))
        )
        for position, question in enumerate(responses.questions):
            SurveyQuestion.objects.create(
                survey=survey,
                code=question.code,
                position=position,
                text=question.text,
                kind=question.kind,
                theme=question.theme or "",
                scale=question.scale.to_json() if question.scale else None,
                options=list(question.options),
            )
        bank.link_questions(survey)
        survey.data_version = hashlib.sha256(
            blob + json.dumps([q.to_json() for q in responses.questions]).encode()
        ).hexdigest()
        survey.save(update_fields=["data_version"])
    audit.record(
        user,
        AuditEvent.Action.IMPORT,
        "survey",
        survey.pk,
        f"{title[:120]}: {responses.frame.height} responses, {len(responses.questions)} questions",
        organisation=organisation,
    )
    return survey


def questions_of(survey: Survey) -> tuple[Question, ...]:
    return tuple(
        Question.from_json(
            {
                "code": q.code,
                "text": q.text,
                "kind": q.kind,
                "scale": q.scale,
                "options": q.options,
                "theme": q.theme or None,
            }
        )
        for q in survey.questions.order_by("position")
    )


def responses_for(survey: Survey) -> Responses:
    """The wave's responses, decrypted (for the figures only: never shown row by row)."""
    sealed = SurveyResponses.objects.get(survey=survey).ciphertext
    frame = pl.read_parquet(io.BytesIO(keys.cipher().decrypt(bytes(sealed), _context(survey))))
    return Responses(frame, questions_of(survey))


def delete_survey(survey: Survey, *, user: User | None) -> None:
    title, pk, organisation = survey.title, survey.pk, survey.organisation
    survey.delete()
    audit.record(
        user, AuditEvent.Action.DELETE, "survey", pk, title[:120], organisation=organisation
    )
