"""The Standard and self-assessments as JSON, scoped exactly like the pages.

GET /api/standard/                        the newest Standard: categories, criteria, ranges
GET /api/standard/assessments             your organisation's assessments with overall result
GET /api/standard/assessments/{id}        one assessment: per category points, level; responses
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema
from ninja.errors import HttpError

from equitable.core import roles as R
from equitable.core.api_access import api_organisation, require_roles
from equitable.standard import library as lib
from equitable.standard import services
from equitable.standard.models import Assessment

router = Router(tags=["standard"])


class AssessmentOut(Schema):
    id: int
    period: str
    standard: str
    version: str
    status: str
    points: int
    max_points: int
    level: str


def _organisation(request):
    return api_organisation(request, R.DASHBOARD_ROLES)


@router.get("/", response=dict[str, Any])
def standard(request, version: str | None = None):
    """The encoded Standard with published and derived score ranges."""
    require_roles(request, R.ALL_ROLES)
    try:
        return lib.describe(lib.get_standard(version=version))
    except LookupError as error:
        raise HttpError(404, str(error)) from error


@router.get("/assessments", response=list[AssessmentOut])
def assessments(request):
    """Your organisation's assessments, newest first."""
    organisation = _organisation(request)
    rows = []
    for assessment in Assessment.objects.filter(organisation=organisation):
        result = services.result_of(assessment)
        rows.append(
            {
                "id": assessment.pk,
                "period": assessment.period,
                "standard": assessment.standard_id,
                "version": assessment.standard_version,
                "status": assessment.status,
                "points": result.points,
                "max_points": result.max_points,
                "level": result.level,
            }
        )
    return rows


@router.get("/assessments/{assessment_id}", response=dict[str, Any])
def assessment(request, assessment_id: int):
    """One assessment's result per category and its responses (levels, owners, next steps)."""
    organisation = _organisation(request)
    found = Assessment.objects.filter(organisation=organisation, pk=assessment_id).first()
    if found is None:
        raise HttpError(404, "No such assessment")
    result = services.result_of(found).as_dict()
    result["period"] = found.period
    result["status"] = found.status
    result["responses"] = {
        r.criterion_id: {
            "level": r.level,
            "owner": r.owner,
            "next_steps": r.next_steps,
            "evidence": r.evidence_notes,
        }
        for r in found.responses.all()
    }
    return result
