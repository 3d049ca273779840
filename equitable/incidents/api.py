"""Incident trends as JSON (protected counts only; report content is never in the API).

GET /api/incidents/trends?quarter=2026-Q3    quarterly counts for board members and EDI officers
"""

from __future__ import annotations

from ninja import Router
from ninja.errors import HttpError

from equitable.core import roles as R
from equitable.core.api_access import api_organisation
from equitable.incidents import services
from equitable.metrics.quarters import Quarter

router = Router(tags=["incidents"])


@router.get("/trends")
def trends(request, quarter: str = ""):
    """Protected counts by type, characteristic and directorate, and the 12-month trend."""
    organisation = api_organisation(request, R.INCIDENT_TREND_ROLES)
    try:
        chosen = Quarter.parse(quarter) if quarter else Quarter.of(services.today())
    except ValueError as error:
        raise HttpError(422, str(error)) from error
    return services.incident_trends(organisation, chosen.dashed)
