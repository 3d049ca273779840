"""Sample URL parameters for the incident views (see tests/matrix_support.py)."""

from equitable.incidents import services
from equitable.incidents.attachments import CleanFile
from equitable.incidents.models import SupportContact

NOT_OBJECT_SCOPED = {"report:form"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    report, _ = services.submit_report(
        org,
        services.NewReport(
            incident_type="bullying",
            characteristics=["race"],
            directorate=org.directorates.filter(name="People").first(),
            happened_month=None,
            what_happened="matrix sample",
            reported_elsewhere="no",
            desired_outcome="",
        ),
        [CleanFile(b"notes", "text/plain; charset=utf-8", "txt")],
        source="paper",
    )
    attachment = report.attachments.first()
    contact = SupportContact.objects.create(
        organisation=org, kind="eap", name="Matrix EAP", phone="0800 000 0000"
    )
    return {
        "incidents:contact": {"pk": contact.pk},
        "incidents:contact-delete": {"pk": contact.pk},
        "report:form": {"slug": org.slug},
        "incidents:detail": {"pk": report.pk},
        "incidents:update": {"pk": report.pk},
        "incidents:note": {"pk": report.pk},
        "incidents:reply": {"pk": report.pk},
        "incidents:attachment": {"pk": attachment.pk},
    }
