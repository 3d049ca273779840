"""Incident trends as JSON (protected counts only; report content is never in the API).

GET /api/incidents/trends?quarter=2026-Q3    quarterly counts for board members and EDI officers
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from ninja import Router
from ninja.errors import HttpError

from equitable.api import require_roles
from equitable.core import roles as R
from equitable.core.access import organisation_for
from equitable.incidents import services
from equitable.incidents.dates import parse_quarter, quarter_of

router = Router(tags=["incidents"])
TREND_ROLES = R.CASE_HANDLER_ROLES | {R.Role.BOARD_MEMBER}


@router.get("/trends")
def trends(request, quarter: str = ""):
    """Protected counts by type, characteristic and directorate, and the 12-month trend."""
    require_roles(request, TREND_ROLES)
    try:
        organisation = organisation_for(request.auth)
    except PermissionDenied as error:
        raise HttpError(403, "This needs an organisation") from error
    quarter = quarter or quarter_of(services.today())
    try:
        parse_quarter(quarter)
    except ValueError as error:
        raise HttpError(422, str(error)) from error
    return services.incident_trends(organisation, quarter)
