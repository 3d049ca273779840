"""The demo loader gives both demo boroughs assessments, sharing and an active pairing."""

from __future__ import annotations

import pytest

from equitable.standard import demo, services
from equitable.standard.models import Assessment, Pairing

pytestmark = pytest.mark.django_db


def test_demo_content_is_loaded_once_and_pairs_the_boroughs(org, other_org):
    demo.load_demo(org)
    demo.load_demo(other_org)
    demo.load_demo(org)  # idempotent
    assert Assessment.objects.filter(organisation=org).count() == 3
    assert services.latest_submitted(org).period == "2023 to 2024"
    assert services.is_sharing(org) and services.is_sharing(other_org)
    pairing = Pairing.objects.get()
    assert pairing.status == Pairing.Status.ACTIVE
    assert services.active_pairing(org, pairing.pk) == pairing
    earlier, later = (result for _, result in services.history(org))
    assert later.points >= earlier.points  # the demo improves year on year
    levels = services.current_levels(org)
    assert [row["category"] for row in levels] == ["1", "2", "3", "4", "5", "6", "7"]
    assert services.distribution()["boroughs"] == 2


def test_current_levels_is_none_without_a_submitted_assessment(org):
    services.start_assessment(org, "draft only")
    assert services.current_levels(org) is None
