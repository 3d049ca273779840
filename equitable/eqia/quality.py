"""The register's quality measures for an organisation (the register page, the Standard's 1.2
and 4.2): the register's rows as a frame for `equitable.metrics.eqia.quality`.

Closed assessments count: a proposal that was assessed and then closed was still assessed (or
not) before its decision.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from django.utils import timezone

from equitable.core.models import Organisation
from equitable.eqia import services
from equitable.eqia.models import Assessment
from equitable.metrics.eqia.quality import INPUT_SCHEMA, quality_measures

# The Standard's criteria the measures are evidence for: 1.2 ("understanding of the risk and
# impact of organisational decisions on diverse communities"), 3.5 ("organisational data is
# robust enough to use for Equality Impact Assessments": beside the services' data
# completeness) and 4.2 ("evidence change in ways of working"), as issue 19 asks.
CRITERIA = ("1.2", "3.5", "4.2")
DATA_CRITERION = "3.5"


def register_frame(organisation: Organisation) -> pl.DataFrame:
    assessments = list(
        Assessment.objects.filter(organisation=organisation).prefetch_related("characteristics")
    )
    expected = len(services.characteristic_names(organisation))
    rows = []
    for assessment in assessments:
        stage = services.latest_stage(assessment)
        answered = [r for r in assessment.characteristics.all() if r.stage == stage]
        with_evidence = sum(r.has_evidence for r in answered)
        rows.append(
            {
                "decision_date": assessment.decision_date,
                "screened_on": assessment.screened_on,
                "signed_off_on": timezone.localdate(assessment.signed_off_at)
                if assessment.signed_off_at
                else None,
                # Every characteristic assessed now, whether answered or not: a blank one lacks
                # evidence too.
                "characteristics": max(expected, len(answered)),
                "with_evidence": with_evidence,
            }
        )
    return pl.DataFrame(rows, schema=INPUT_SCHEMA)


def measures_for(organisation: Organisation, on: date | None = None) -> list[dict]:
    return quality_measures(register_frame(organisation), on or services.today()).to_dicts()
