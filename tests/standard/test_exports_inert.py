"""The criteria workbook is inert: evidence notes, owners and next steps that start with "=",
"+", "-", "@", a tab or a carriage return are text, and the points are numbers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.standard import services
from equitable.standard.models import Response
from tests.files.inert import DANGEROUS, assert_inert_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def dangerous_assessment(org):
    assessment = services.start_assessment(org, "2024 to 2025")
    for n, text in enumerate(DANGEROUS, start=1):
        Response.objects.create(
            assessment=assessment,
            criterion_id=f"1.{n}",
            level="established",
            evidence_notes=text,
            owner=text,
            next_steps=text,
        )
    return assessment


def test_the_criteria_workbook_has_no_formula_and_numeric_points(client_as, dangerous_assessment):
    response = client_as("edi_officer").get(
        reverse("standard:export-xlsx", args=[dangerous_assessment.pk])
    )
    workbook = assert_inert_xlsx(response.content)
    rows = {row[0]: row for row in workbook["Criteria"].iter_rows(min_row=2, values_only=True)}
    assert rows["1.1"][5] == "'" + DANGEROUS[0]  # evidence, shown as the text typed
    assert rows["1.4"][8] == "'" + DANGEROUS[3]  # owner
    assert rows["1.3"][9] == "'" + DANGEROUS[2]  # next steps
    points = workbook["Criteria"]["D2"]
    assert points.data_type == "n" and points.value == 2
    summary = list(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(row[2], int) for row in summary)
