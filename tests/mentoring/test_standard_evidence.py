"""The Standard's 2c.1 shows the council's mentoring figures, protected, to every reader."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.mentoring import services
from equitable.standard import services as standard_services
from tests.mentoring.factories import join, make_scheme

pytestmark = pytest.mark.django_db


def test_2c1_shows_people_and_pairs_with_small_counts_withheld(org, client_as):
    scheme = make_scheme(org)
    for i in range(12):
        join(scheme, "mentee", 2, name=f"Testmentee N{i}", seeks=["leadership"])
    for i in range(3):
        join(scheme, "mentor", 5, name=f"Testmentor N{i}", offers=["leadership"], capacity=4)
    services.run_matching(scheme, user=None)
    evidence = services.standard_evidence(org)
    people = {r["role"]: r["count"] for r in evidence["mentoring_people"]}
    assert people == {"mentee": 12, "mentor": None}  # 3 mentors: fewer than the threshold
    assessment = standard_services.start_assessment(org, "2025")
    page = client_as("board_member").get(reverse("standard:category", args=[assessment.pk, "2"]))
    text = page.content.decode()
    assert "From your mentoring schemes, for 2c.1" in text
    assert "Testmentee" not in text and "withheld" in text


def test_no_scheme_no_table(org):
    assert services.standard_evidence(org) == {}
