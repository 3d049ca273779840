"""The demo services: 1,200 synthetic complaints over eight quarters with gaps in recording,
adult social care users, and census tables consistent with the demo borough."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from equitable.service_users import demo, services
from equitable.service_users.models import CensusTable, Service

pytestmark = pytest.mark.django_db


def test_demo_loads_through_the_import_and_shows_gaps(org, client_as):
    demo.load_demo(org)
    demo.load_demo(org)  # once only
    assert sorted(Service.objects.filter(organisation=org).values_list("name", flat=True)) == [
        "Adult social care",
        "Complaints",
    ]
    assert CensusTable.objects.filter(organisation=org).count() == 5
    complaints = Service.objects.get(organisation=org, name="Complaints")
    assert complaints.extract.record_count == 1200
    exact = services.service_tables(complaints, published=False)
    quarters = [q for q in exact["quarterly"]["quarter"].to_list()]
    assert quarters == [
        "2023-Q2",
        "2023-Q3",
        "2023-Q4",
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
    ]
    completeness = {
        r["characteristic"]: r["percent_known"] for r in exact["completeness"].to_dicts()
    }
    assert len(completeness) == 9  # all nine characteristics collated
    assert 55 < completeness["ethnicity"] < 80
    assert completeness["pregnancy_maternity"] < 20
    started = time.monotonic()
    response = client_as("board_member").get(reverse("service_users:service", args=[complaints.pk]))
    assert response.status_code == 200
    assert time.monotonic() - started < 30
