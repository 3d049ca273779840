"""The Standard's JSON API: the Standard for everyone signed in, assessments scoped by council."""

from __future__ import annotations

import pytest

from equitable.standard import services
from equitable.standard.models import Response
from tests.standard.helpers import WORKED_EXAMPLE

pytestmark = pytest.mark.django_db


def test_the_standard_is_served_to_any_signed_in_role(client_as, client):
    assert client.get("/api/standard/").status_code == 401
    shown = client_as("coordinator").get("/api/standard/").json()
    assert [c["id"] for c in shown["categories"]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert client_as("coordinator").get("/api/standard/?version=1999").status_code == 404


def test_assessments_are_scoped_to_the_organisation(client_as, org):
    assessment = services.start_assessment(org, "2025")
    for criterion_id, level in WORKED_EXAMPLE.items():
        Response.objects.create(assessment=assessment, criterion_id=criterion_id, level=level)
    listed = client_as("board_member").get("/api/standard/assessments").json()
    assert listed == [
        {
            "id": assessment.pk,
            "period": "2025",
            "standard": "celc-tri",
            "version": "2022",
            "status": "draft",
            "points": 15,
            "max_points": 190,
            "level": "developing",
        }
    ]
    detail = client_as("board_member").get(f"/api/standard/assessments/{assessment.pk}").json()
    assert (
        detail["categories"][0]["points"] == 15
        and detail["categories"][0]["level"] == "established"
    )
    assert detail["responses"]["1.6"]["level"] == "leading"
    assert (
        client_as("other:board_member")
        .get(f"/api/standard/assessments/{assessment.pk}")
        .status_code
        == 404
    )
    assert client_as("coordinator").get("/api/standard/assessments").status_code == 403
