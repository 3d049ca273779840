"""Training compliance as JSON, scoped and protected exactly as the page shows it.

GET /api/training/compliance   the newest snapshot's tables (exact for the EDI officer and HR
                               analyst, protected for board members and champions; champions:
                               the directorate table, their own rows). The overdue list is not
                               in the API: it is personal-level data, viewed and downloaded on
                               its audited page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from ninja import Router, Schema

from equitable.core.api_access import api_organisation
from equitable.metrics.cli import _json_value
from equitable.training import services
from equitable.training.views import TRAINING_ROLES
from equitable.workforce import services as workforce

router = Router(tags=["training"])


class ComplianceOut(Schema):
    as_of: date | None
    exact: bool
    tables: dict[str, list[dict[str, Any]]]


@router.get("/compliance", response=ComplianceOut)
def compliance(request):
    organisation = api_organisation(request, TRAINING_ROLES)
    user = request.auth
    exact = user.has_personal_access
    snapshot = workforce.latest_snapshot(organisation)
    tables = services.tables_for(organisation, snapshot, published=not exact)
    if user.role == "champion":
        own = sorted(user.directorates.values_list("name", flat=True))
        directorates = tables.get("by_directorate")
        tables = (
            {}
            if directorates is None
            else {"by_directorate": directorates.filter(pl.col("directorate").is_in(own))}
        )
    return {
        "as_of": snapshot.snapshot_date if snapshot is not None and tables else None,
        "exact": exact,
        "tables": {
            name: [{k: _json_value(v) for k, v in row.items()} for row in table.to_dicts()]
            for name, table in tables.items()
        },
    }
