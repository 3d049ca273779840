"""Sample URL parameters for the action-plan views (see tests/matrix_support.py).

Objects are in the People directorate's plan, so a champion (allowed to edit it) gets 200."""

from tests.actions.factories import make_plan

NOT_OBJECT_SCOPED = {
    "actions:board-report",
    "actions:board-report-pdf",
    "actions:board-report-messages",
    "actions:board-report-issue",
}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from datetime import date

    from django.core.files.base import ContentFile

    from equitable.actions.models import BoardReport, ProgressUpdate, Recommendation

    directorate = org.directorates.get(name="People")
    plan, action, measure = make_plan(org, "People plan (matrix)", directorate, ref_prefix="MX")
    update = ProgressUpdate.objects.create(action=action, on=date(2025, 1, 10), note="Started")
    update.file.save("evidence.txt", ContentFile(b"evidence"), save=True)
    recommendation = Recommendation.objects.create(
        organisation=org, ref="MX-R1", theme="Recruitment", text="Diverse panels"
    )
    recommendation.actions.add(action)
    # An issued report stored as issuing leaves it (bytes and body), without rendering a PDF.
    issued = BoardReport.objects.create(
        organisation=org,
        quarter="2024Q4",
        status=BoardReport.Status.ISSUED,
        version=1,
        pdf=b"%PDF-1.7 matrix sample",
        body_html="<h2>Headline figures</h2>",
    )
    return {
        "actions:plan": {"pk": plan.pk},
        "actions:action": {"pk": action.pk},
        "actions:action-edit": {"pk": action.pk},
        "actions:update-new": {"pk": action.pk},
        "actions:update-file": {"pk": update.pk},
        "actions:update-correct": {"pk": update.pk},
        "actions:update-withdraw": {"pk": update.pk},
        "actions:recommendation": {"pk": recommendation.pk},
        "actions:recommendation-edit": {"pk": recommendation.pk},
        "actions:measure": {"pk": measure.pk},
        "actions:measure-value-new": {"pk": measure.pk},
        "actions:measure-survey": {"pk": measure.pk},
        "actions:measure-target": {"pk": measure.pk},
        "actions:board-report": {"quarter": "2025Q1"},
        "actions:board-report-pdf": {"quarter": "2025Q1"},
        "actions:board-report-messages": {"quarter": "2025Q1"},
        "actions:board-report-issue": {"quarter": "2025Q1"},
        "actions:board-report-issued": {"pk": issued.pk},
        "actions:board-report-issued-pdf": {"pk": issued.pk},
    }
