"""Sample URL parameters for the action-plan views (see tests/matrix_support.py).

Objects are in the People directorate's plan, so a champion (allowed to edit it) gets 200."""

from tests.actions.factories import make_plan

NOT_OBJECT_SCOPED = {"actions:board-report", "actions:board-report-pdf"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from datetime import date

    from django.core.files.base import ContentFile

    from equitable.actions.models import ProgressUpdate

    directorate = org.directorates.get(name="People")
    plan, action, measure = make_plan(org, "People plan (matrix)", directorate, ref_prefix="MX")
    update = ProgressUpdate.objects.create(action=action, on=date(2025, 1, 10), note="Started")
    update.file.save("evidence.txt", ContentFile(b"evidence"), save=True)
    return {
        "actions:plan": {"pk": plan.pk},
        "actions:action": {"pk": action.pk},
        "actions:action-edit": {"pk": action.pk},
        "actions:update-new": {"pk": action.pk},
        "actions:update-file": {"pk": update.pk},
        "actions:measure": {"pk": measure.pk},
        "actions:measure-value-new": {"pk": measure.pk},
        "actions:measure-target": {"pk": measure.pk},
        "actions:board-report": {"quarter": "2025Q1"},
        "actions:board-report-pdf": {"quarter": "2025Q1"},
    }
