"""The assessment as an accessible PDF (tagged, with its language and title), for the
decision-maker's papers: as the board report does, WeasyPrint renders a print template with
`pdf_tags=True`, Arial and no images, so screen readers read it in order.

The workforce and service-user evidence in it is what the reader may see on the page: exact for the roles with
access to personal records, protected for everyone else.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from equitable.core import audit
from equitable.core.models import AuditEvent, User
from equitable.eqia import evidence, mitigations, services
from equitable.eqia.models import Assessment, CharacteristicImpact


def context(assessment: Assessment, user: User) -> dict:
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "screening_rows": services.rows_for(assessment, CharacteristicImpact.Stage.SCREENING),
        "full_rows": services.rows_for(assessment, CharacteristicImpact.Stage.FULL)
        if assessment.full_assessment_needed
        else [],
        "evidence": evidence.evidence_for(assessment, user),
        "service_evidence": evidence.service_evidence(assessment, user),
        "actions_made": mitigations.done(assessment),
        "today": services.today(),
    }


def render(assessment: Assessment, user: User) -> bytes:
    """The PDF for `user`; its export is audited (with exact figures, it carries small counts)."""
    from weasyprint import HTML

    html = render_to_string("eqia/assessment_pdf.html", context(assessment, user))
    content = HTML(string=html).write_pdf(pdf_tags=True)
    audit.record(
        user,
        AuditEvent.Action.EXPORT,
        "eqia",
        assessment.pk,
        "PDF" + (" with exact workforce evidence" if user.has_personal_access else ""),
    )
    return content


def document(job) -> tuple[bytes, str]:
    """The assessment's PDF for the person who asked (core.documents)."""
    from equitable.core.access import get_for_user

    assessment = get_for_user(
        Assessment.objects.select_related(
            "directorate", "organisation", "signed_off_by", "submitted_by", "created_by"
        ),
        job.requested_by,
        job.arguments["pk"],
    )
    return render(assessment, job.requested_by), f"{assessment.ref.lower()}.pdf"
