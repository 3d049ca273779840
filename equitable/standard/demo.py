"""Demo content: two years of self-assessment, the Statement, sharing and a pairing.

Levels are chosen deterministically from the organisation's slug so that the two demo boroughs
differ, and the later year improves on the earlier one. Suggestions from the demo workforce
figures show on categories 2 and 3.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta

from django.utils import timezone

from equitable.core.models import Organisation
from equitable.standard import library as lib
from equitable.standard.models import (
    Assessment,
    CommitmentProgress,
    Pairing,
    Response,
    StatementAdoption,
)
from equitable.standard.services import set_sharing

PERIODS = (("2022 to 2023", True), ("2023 to 2024", True), ("2024 to 2025", False))


def _levels(organisation: Organisation, year: int) -> dict[str, str]:
    standard = lib.get_standard()
    levels = {}
    for criterion in standard.criteria.values():
        digest = hashlib.sha256(f"{organisation.slug}:{criterion.id}".encode()).digest()[0]
        reach = min(len(criterion.offered), (digest % 3) + year)  # later years reach further
        levels[criterion.id] = criterion.offered[reach - 1] if reach > 0 else "none"
    return levels


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    pair: bool = True,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    if Assessment.objects.filter(organisation=organisation).exists():
        return
    standard = lib.get_standard()
    for year, (period, submitted) in enumerate(PERIODS):
        assessment = Assessment.objects.create(
            organisation=organisation,
            standard_id=standard.id,
            standard_version=standard.version,
            period=period,
            status=Assessment.Status.SUBMITTED if submitted else Assessment.Status.DRAFT,
            submitted_at=timezone.now() - timedelta(days=365 * (len(PERIODS) - year))
            if submitted
            else None,
        )
        Response.objects.bulk_create(
            Response(
                assessment=assessment,
                criterion_id=criterion_id,
                level=level,
                owner="EDI team" if level != "none" else "",
                next_steps="" if level == "leading" else "Review at the next EDI board",
            )
            for criterion_id, level in _levels(organisation, year).items()
        )
    StatementAdoption.objects.create(
        organisation=organisation, adopted_on=date(2023, 3, 1), adopted_by="Full Council"
    )
    for commitment in standard.commitments[:4]:
        CommitmentProgress.objects.create(
            organisation=organisation,
            commitment_id=commitment["id"],
            status=CommitmentProgress.Status.IN_PROGRESS,
            evidence="Reported to the EDI board quarterly",
        )
    set_sharing(organisation, True, None)
    partner = (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(assessments__isnull=False)
        .order_by("pk")
        .first()
    )
    if pair and partner is not None:
        Pairing.objects.create(
            organisation=partner,
            partner=organisation,
            status=Pairing.Status.ACTIVE,
            answered_at=timezone.now(),
        )
    progress(f"standard: {organisation.name} assessments loaded")
