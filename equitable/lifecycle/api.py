"""Lifecycle figures as JSON, scoped and protected exactly as the pages show them.

GET /api/lifecycle/families                   the families, whether each has data, its tables
GET /api/lifecycle/{family}/tables/{name}     one table (exact for the EDI officer and HR
                                              analyst, protected for others; champions: the
                                              `_by_directorate` tables, their own rows)
GET /api/lifecycle/wres                       the WRES report's tables
GET /api/lifecycle/social-care-wres           the Social Care WRES return's tables
"""

from __future__ import annotations

from typing import Any

import polars as pl
from ninja import Router, Schema
from ninja.errors import HttpError

from equitable.core import audit
from equitable.core.api_access import api_organisation
from equitable.core.models import AuditEvent
from equitable.lifecycle import catalogue, figures
from equitable.lifecycle.views import LIFECYCLE_ROLES, REPORT_ROLES

router = Router(tags=["lifecycle"])


class FamilyInfo(Schema):
    name: str
    title: str
    available: bool
    tables: list[str]


class TableOut(Schema):
    family: str
    name: str
    title: str
    exact: bool
    rows: list[dict[str, Any]]


class ReportOut(Schema):
    exact: bool
    tables: dict[str, list[dict[str, Any]]]


def _scoped(request, family: str) -> tuple[dict[str, pl.DataFrame], bool]:
    organisation = api_organisation(request, LIFECYCLE_ROLES)
    user = request.auth
    exact = user.has_personal_access
    tables = figures.family_tables(organisation, family, published=not exact)
    if user.role == "champion":
        own = sorted(user.directorates.values_list("name", flat=True))
        tables = {
            name: table.filter(pl.col("directorate").is_in(own))
            for name, table in tables.items()
            if name.endswith("_by_directorate") and "directorate" in table.columns
        }
    return tables, exact


@router.get("/families", response=list[FamilyInfo])
def family_list(request):
    """Every lifecycle family, whether it has data and the tables you may read."""
    organisation = api_organisation(request, LIFECYCLE_ROLES)
    result = []
    for name, spec in figures.FAMILIES.items():
        tables, _ = _scoped(request, name)
        result.append(
            {
                "name": name,
                "title": spec.title,
                "available": figures.has_data(organisation, name),
                "tables": list(tables),
            }
        )
    return result


@router.get("/{family}/tables/{name}", response=TableOut)
def table(request, family: str, name: str):
    """One table of a family: a withheld figure is null and its row has `"suppressed": true`."""
    if family not in figures.FAMILIES:
        raise HttpError(404, "No such family")
    tables, exact = _scoped(request, family)
    if name not in tables:
        raise HttpError(404, "No such table (or no data for it yet)")
    audit.record(
        request.auth,
        AuditEvent.Action.EXPORT,
        "lifecycle_figures",
        family,
        f"{name} as json ({'exact' if exact else 'protected'})",
    )
    return {
        "family": family,
        "name": name,
        "title": catalogue.table_title(name),
        "exact": exact,
        "rows": tables[name].to_dicts(),
    }


def _report(request, compute, what: str):
    organisation = api_organisation(request, REPORT_ROLES)
    exact = request.auth.has_personal_access
    tables = compute(organisation, published=not exact)
    audit.record(
        request.auth,
        AuditEvent.Action.EXPORT,
        "lifecycle_figures",
        what,
        f"{what} as json ({'exact' if exact else 'protected'})",
    )
    return {"exact": exact, "tables": {n: t.to_dicts() for n, t in tables.items()}}


@router.get("/wres", response=ReportOut)
def wres(request):
    """The WRES indicators 1-4 and 9 (5-8 come from staff surveys)."""
    return _report(request, figures.wres_tables, "wres")


@router.get("/social-care-wres", response=ReportOut)
def social_care_wres(request):
    """The Social Care WRES return for the social care directorates."""
    return _report(request, figures.social_care_wres_tables, "social-care-wres")
