"""Survey figures as JSON: the same protected tables as the pages, for every role.

GET /api/surveys/                      the organisation's waves
GET /api/surveys/{id}/tables           every protected table of a wave
GET /api/surveys/{id}/tables/{name}    one protected table

Nobody, the EDI officer included, gets exact survey counts (docs/decisions.md), so there is no
"exact" switch here, unlike the lifecycle API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from equitable.core import audit
from equitable.core.api_access import api_organisation
from equitable.core.models import AuditEvent
from equitable.surveys import figures
from equitable.surveys.models import Survey
from equitable.surveys.views import SURVEY_ROLES

router = Router(tags=["surveys"])


class SurveyOut(Schema):
    id: int
    title: str
    kind: str
    fieldwork_month: date
    previous_id: int | None
    threshold: int


class TablesOut(Schema):
    survey: int
    protected: bool
    tables: dict[str, list[dict[str, Any]]]


class TableOut(Schema):
    survey: int
    name: str
    protected: bool
    rows: list[dict[str, Any]]


def _survey(request, pk: int) -> Survey:
    organisation = api_organisation(request, SURVEY_ROLES)
    survey = Survey.objects.filter(organisation=organisation, pk=pk).first()
    if survey is None:
        raise HttpError(404, "Not found")
    return survey


@router.get("/", response=list[SurveyOut])
def survey_list(request):
    """The organisation's survey waves, newest first."""
    organisation = api_organisation(request, SURVEY_ROLES)
    return [
        {
            "id": s.pk,
            "title": s.title,
            "kind": s.kind,
            "fieldwork_month": s.fieldwork_month,
            "previous_id": s.previous_id,
            "threshold": s.threshold,
        }
        for s in figures.surveys_for(organisation)
    ]


@router.get("/{pk}/tables", response=TablesOut)
def survey_tables(request, pk: int):
    """Every protected table of one wave (withheld cells null, `why_withheld` says why)."""
    survey = _survey(request, pk)
    tables = figures.published_tables(survey)
    audit.record(request.auth, AuditEvent.Action.EXPORT, "survey_figures", survey.pk, "api")
    return {
        "survey": survey.pk,
        "protected": True,
        "tables": {name: table.to_dicts() for name, table in tables.items()},
    }


@router.get("/{pk}/tables/{name}", response=TableOut)
def survey_table(request, pk: int, name: str):
    """One protected table of one wave."""
    survey = _survey(request, pk)
    table = figures.published_tables(survey).get(name)
    if table is None:
        raise HttpError(404, "No such table for this survey")
    return {"survey": survey.pk, "name": name, "protected": True, "rows": table.to_dicts()}
