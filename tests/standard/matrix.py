"""Sample URL parameters for the Standard app's views (see tests/matrix_support.py)."""

from django.core.files.base import ContentFile

from tests.conftest import make_organisation

NOT_OBJECT_SCOPED: set[str] = set()
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.standard import services
    from equitable.standard.models import EvidenceFile, Pairing

    assessment = services.start_assessment(org, "Matrix period")
    evidence = EvidenceFile.objects.create(
        assessment=assessment,
        criterion_id="1.1",
        file=ContentFile(b"evidence", name="evidence.txt"),
        original_name="evidence.txt",
    )
    partner = make_organisation("matrix-partner", "Matrix Partner Borough")
    asked_us = Pairing.objects.create(organisation=partner, partner=org)
    active = Pairing.objects.create(organisation=org, partner=partner, status=Pairing.Status.ACTIVE)
    by_assessment = {"pk": assessment.pk}
    return {
        "standard:assessment": by_assessment,
        "standard:category": {"pk": assessment.pk, "category_id": "2"},
        "standard:submit": by_assessment,
        "standard:reopen": by_assessment,
        "standard:export-pdf": by_assessment,
        "standard:export-xlsx": by_assessment,
        "standard:evidence-file": {"pk": evidence.pk},
        "standard:pairing-answer": {"pk": asked_us.pk},
        "standard:paired": {"pk": active.pk},
    }
