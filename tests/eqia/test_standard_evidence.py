"""The register's quality measures sit beside the Standard's 1.2 and 4.2, and only there."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone

from equitable.eqia import quality
from equitable.eqia.models import Assessment
from equitable.standard import services as standard
from tests.eqia.factories import make_assessment


def _section(page: str, criterion: str) -> str:
    match = re.search(
        rf'<section[^>]*aria-labelledby="heading-{re.escape(criterion)}">(.*?)</section>',
        page,
        re.S,
    )
    assert match, f"no section for {criterion}"
    return match[1]


def test_the_measures_beside_1_2_and_4_2(org, client_as):
    make_assessment(
        org,
        status=Assessment.Status.SIGNED_OFF,
        decision_date=date(2024, 6, 30),
        screened_on=date(2024, 3, 1),
        signed_off_at=timezone.make_aware(timezone.datetime(2024, 6, 1, 12)),
    )
    make_assessment(org, decision_date=date(2024, 7, 31))  # decided, never screened
    measures = {m["measure"]: m for m in quality.measures_for(org, date(2025, 1, 1))}
    assert (measures["screened_before_decision"]["numerator"],) == (1,)
    assert measures["signed_off_on_time"]["denominator"] == 2

    assessment = standard.start_assessment(org, "2024 to 2025")
    client = client_as("board_member")
    page = client.get(reverse("standard:category", args=[assessment.pk, "1"])).content.decode()
    beside = _section(page, "1.2")
    assert "From the equality impact assessment register, for 1.2" in beside
    assert "Screened before the decision" in beside and "1 of 2" in beside
    assert "equality impact assessment register" not in _section(page, "1.1")
    page4 = client.get(reverse("standard:category", args=[assessment.pk, "4"])).content.decode()
    assert "Signed off by the decision date" in _section(page4, "4.2")
