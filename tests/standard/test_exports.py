"""The assessment as PDF (rendered, text checked with pypdf) and as XLSX (one row per criterion)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from equitable.standard import services
from equitable.standard.models import Response, StatementAdoption
from tests.standard.helpers import WORKED_EXAMPLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(org):
    assessment = services.start_assessment(org, "2024 to 2025")
    for criterion_id, level in WORKED_EXAMPLE.items():
        Response.objects.create(
            assessment=assessment,
            criterion_id=criterion_id,
            level=level,
            evidence_notes=f"Evidence for {criterion_id}",
            owner="Chief Executive's office" if criterion_id == "1.1" else "",
            next_steps="Set up leadership meetings on EDI" if criterion_id == "1.7" else "",
        )
    return assessment


@pytest.mark.slow
def test_the_pdf_is_a_report_to_sign(client_as, assessment, org):
    StatementAdoption.objects.create(
        organisation=org, adopted_on="2023-01-31", adopted_by="Full Council"
    )
    response = client_as("board_member").get(reverse("standard:export-pdf", args=[assessment.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Our Borough: Tackling Racial Inequality Standard self-assessment" in text
    assert "Overall: 15 of 190 points, Developing." in text
    assert "1. Strategic Leadership and Management 15 22 Established" in text
    assert "Anti-Racist Statement adopted 31 January 2023 by Full Council" in text
    assert "Evidence: Evidence for 1.1" in text
    assert "Next level (Leading): Senior leaders personally challenge race inequalities" in text
    assert "Category 2 (Employee Lifecycle): developing: published 0–36, derived 0–38" in text
    assert "Chief Executive" in text and "Signature" in text
    assert len(reader.pages) > 3


def test_the_xlsx_has_one_row_per_criterion(client_as, assessment):
    response = client_as("champion").get(reverse("standard:export-xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Criteria"].iter_rows(values_only=True))
    assert rows[0][:5] == (
        "Criterion",
        "Category",
        "Level reached",
        "Points",
        "Text of the level reached",
    )
    assert len(rows) == 1 + 69
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["1.1"][1:4] == ("1 Strategic Leadership and Management", "Established", 2)
    assert by_id["1.1"][4].startswith("A senior 'race' champion is appointed")
    assert by_id["1.1"][5] == "Evidence for 1.1" and by_id["1.1"][8] == "Chief Executive's office"
    assert (
        by_id["1.7"][2:4] == ("None", 0) and by_id["1.7"][9] == "Set up leadership meetings on EDI"
    )
    assert by_id["2a.1"][1] == "2 Employee Lifecycle: Recruitment"
    summary = list(workbook["Summary"].iter_rows(values_only=True))
    assert summary[1] == ("1", "Strategic Leadership and Management", 15, 22, "Established")
    assert summary[-1] == ("Overall", None, 15, 190, "Developing")


def test_exports_are_audited_and_scoped(client_as, assessment):
    client_as("edi_officer").get(reverse("standard:export-xlsx", args=[assessment.pk]))
    from equitable.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_type="assessment").count() == 1
    other = client_as("other:edi_officer")
    assert other.get(reverse("standard:export-xlsx", args=[assessment.pk])).status_code == 404
    assert other.get(reverse("standard:export-pdf", args=[assessment.pk])).status_code == 404
