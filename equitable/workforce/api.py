"""Workforce figures as JSON: the same tables, scoped and protected exactly as the pages show them.

GET /api/workforce/snapshots             the organisation's snapshots, newest first
GET /api/workforce/figures               names and titles of the figures
GET /api/workforce/figures/{name}        one table (?snapshot=YYYY-MM-DD&directorate=…)
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema
from ninja.errors import HttpError

from equitable.core import audit
from equitable.core import roles as R
from equitable.core.api_access import api_organisation
from equitable.core.models import AuditEvent
from equitable.workforce import catalogue, services

router = Router(tags=["workforce"])


class SnapshotOut(Schema):
    snapshot_date: date
    row_count: int
    present_columns: list[str]


class FigureInfo(Schema):
    name: str
    title: str
    section: str


class FigureOut(Schema):
    name: str
    title: str
    snapshot_date: date
    exact: bool
    directorate: str | None
    rows: list[dict[str, Any]]
    notes: list[str]


def _organisation(request):
    return api_organisation(request, R.DASHBOARD_ROLES)


@router.get("/snapshots", response=list[SnapshotOut])
def snapshots(request):
    """Snapshots of your organisation, newest first."""
    organisation = _organisation(request)
    return list(reversed(services.snapshots_of(organisation)))


@router.get("/figures", response=list[FigureInfo])
def figure_list(request):
    """Every figure the dashboards show."""
    _organisation(request)
    return [{"name": f.name, "title": f.title, "section": f.section} for f in catalogue.FIGURES]


@router.get("/figures/{name}", response=FigureOut)
def figure(request, name: str, snapshot: date | None = None, directorate: str | None = None):
    """One figure's table: exact for EDI officers and HR analysts, protected for everyone else
    (a withheld figure is null and its row has `"suppressed": true`)."""
    organisation = _organisation(request)
    spec = catalogue.BY_NAME.get(name)
    if spec is None:
        raise HttpError(404, "No such figure")
    chosen = None
    for candidate in services.snapshots_of(organisation):
        if snapshot is None or candidate.snapshot_date == snapshot:
            chosen = candidate
    if chosen is None:
        raise HttpError(404, "No such snapshot")
    try:
        view = services.dashboard_view(request.auth, organisation, chosen, directorate)
    except PermissionDenied as error:
        raise HttpError(403, "That directorate is not yours") from error
    table = view.tables.get(name)
    if table is None:
        raise HttpError(404, "The extract lacks the columns this figure needs")
    notes = view.tables.get("notes")
    audit.record(
        request.auth,
        AuditEvent.Action.EXPORT,
        "workforce_snapshot",
        chosen.pk,
        f"{name} as json ({'exact' if view.exact else 'protected'})",
    )
    return {
        "name": name,
        "title": spec.title,
        "snapshot_date": chosen.snapshot_date,
        "exact": view.exact,
        "directorate": view.directorate,
        "rows": table.to_dicts(),
        "notes": [r["message"] for r in notes.to_dicts() if r["table"] == name]
        if notes is not None
        else [],
    }
