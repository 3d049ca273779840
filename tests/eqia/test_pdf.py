"""The assessment as a tagged PDF, with the evidence its reader may see."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from equitable.eqia import evidence, pdf
from equitable.eqia.models import Assessment
from tests.eqia.factories import add_mitigation, make_assessment, staff_frame, store_snapshot


def test_the_pdf_renders_with_workforce_evidence(org, users):
    store_snapshot(org, date(2024, 3, 31), staff_frame(80))
    assessment = make_assessment(
        org,
        status=Assessment.Status.FULL,
        full_assessment_needed=True,
        screening_reason="A restructure",
        decision_date=date(2024, 9, 30),
        scope_filter={"directorate": ["People"]},
    )
    add_mitigation(assessment)
    context = pdf.context(assessment, users["board_member"])
    assert context["evidence"].published and context["evidence"].before is not None
    content = pdf.render(assessment, users["board_member"])
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Equality impact assessment EQIA-001: Business Support restructure" in text
    assert "Workforce evidence: snapshot of 31 March 2024" in text
    assert "[c]" in text  # the board member's copy is protected


def test_the_pdf_of_an_assessment_without_scope_says_so_plainly(org, users):
    assessment = make_assessment(org)
    assert evidence.evidence_for(assessment, users["edi_officer"]).before is None
    assert pdf.render(assessment, users["edi_officer"]).startswith(b"%PDF")
