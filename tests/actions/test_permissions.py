"""Who may see and change plans: programme roles everything, a directorate champion only their
directorate's plans (403 elsewhere), board members read only, another council nothing (404)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from equitable.actions.models import Action, MeasureValue, ProgressUpdate
from tests.actions.factories import target_post

pytestmark = pytest.mark.django_db

EDIT_FORM = {
    "text": "Diverse interview panels for every senior post",
    "owner": "Resources Team",
    "strategic_lead": "Director of HR",
    "operational_lead": "Head of Recruitment",
    "start": "2024-04-01",
    "due": "2025-06-30",
}
UPDATE_FORM = {"status": "done", "on": "2025-03-01", "note": "Panels in place"}


def test_champion_edits_their_directorates_action(client_as, people):
    _, action, _, _ = people
    client = client_as("champion")
    assert client.get(reverse("actions:action-edit", args=[action.pk])).status_code == 200
    response = client.post(reverse("actions:action-edit", args=[action.pk]), EDIT_FORM)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.due == date(2025, 6, 30)
    # The status changes only through a progress update (one form: status and note).
    response = client.post(reverse("actions:update-new", args=[action.pk]), UPDATE_FORM)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_on == date(2025, 3, 1)  # the date of the update that said done


def test_champion_cannot_edit_or_update_the_corporate_plan(client_as, corporate, people):
    _, action, measure = corporate
    client = client_as("champion")
    for name, form in (("actions:action-edit", EDIT_FORM), ("actions:update-new", UPDATE_FORM)):
        assert client.get(reverse(name, args=[action.pk])).status_code == 403
        assert client.post(reverse(name, args=[action.pk]), form).status_code == 403
    response = client.post(
        reverse("actions:measure-value-new", args=[measure.pk]), {"on": "2025-03-31", "value": "1"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_champion_reads_the_corporate_plan_without_edit_buttons(client_as, corporate):
    plan, action, _ = corporate
    client = client_as("champion")
    assert client.get(reverse("actions:plan", args=[plan.pk])).status_code == 200
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    assert "Edit the action" not in page


def test_board_member_reads_but_cannot_edit(client_as, people):
    plan, action, _, _ = people
    client = client_as("board_member")
    assert client.get(reverse("actions:plan", args=[plan.pk])).status_code == 200
    assert (
        client.post(reverse("actions:action-edit", args=[action.pk]), EDIT_FORM).status_code == 403
    )
    assert client.get(reverse("actions:export")).status_code == 403


def test_edi_officer_edits_any_plan(client_as, corporate):
    _, action, _ = corporate
    response = client_as("edi_officer").post(
        reverse("actions:action-edit", args=[action.pk]), EDIT_FORM
    )
    assert response.status_code == 302


def test_another_council_gets_404(client_as, corporate):
    plan, action, measure = corporate
    client = client_as("other:edi_officer")
    assert client.get(reverse("actions:plan", args=[plan.pk])).status_code == 404
    assert (
        client.post(reverse("actions:action-edit", args=[action.pk]), EDIT_FORM).status_code == 404
    )
    assert client.get(reverse("actions:measure", args=[measure.pk])).status_code == 404


def test_dropping_an_action_needs_a_reason(client_as, corporate):
    _, action, _ = corporate
    form = {**UPDATE_FORM, "status": "dropped", "note": ""}
    response = client_as("edi_officer").post(reverse("actions:update-new", args=[action.pk]), form)
    assert response.status_code == 200
    assert "Say what has happened" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK
    form = {**UPDATE_FORM, "status": "dropped", "note": "Replaced by the new panel policy"}
    client_as("edi_officer").post(reverse("actions:update-new", args=[action.pk]), form)
    action.refresh_from_db()
    assert action.status == Action.Status.DROPPED
    assert action.dropped_reason == "Replaced by the new panel policy"


def test_progress_update_with_a_file_and_its_download(client_as, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, action, _, _ = people
    client = client_as("champion")
    response = client.post(
        reverse("actions:update-new", args=[action.pk]),
        {
            "status": "on track",
            "on": "2025-03-01",
            "note": "Guidance published",
            "link": "https://intranet.example.org/panels",
            "file": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
        },
    )
    assert response.status_code == 302
    update = action.updates.get(note="Guidance published")
    assert update.original_name == "minutes.pdf"
    download = client_as("board_member").get(reverse("actions:update-file", args=[update.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_progress_update_refuses_an_unknown_file_type(client_as, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, action, _, _ = people
    response = client_as("champion").post(
        reverse("actions:update-new", args=[action.pk]),
        {
            "status": "on track",
            "on": "2025-03-01",
            "note": "x",
            "file": SimpleUploadedFile("run.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert "must be a PDF" in response.content.decode()


def test_champion_enters_a_value_on_their_plans_measure(client_as, people):
    _, _, measure, _ = people
    response = client_as("champion").post(
        reverse("actions:measure-value-new", args=[measure.pk]),
        {"on": "2025-03-31", "value": "47.5", "note": "Pulse survey"},
    )
    assert response.status_code == 302
    assert MeasureValue.objects.get(measure=measure, on=date(2025, 3, 31)).value == 47.5


def test_plan_page_makes_overdue_actions_stand_out(client_as, corporate):
    plan, action, _ = corporate  # due 28 February 2025, on track, so overdue after that date
    page = client_as("edi_officer").get(reverse("actions:plan", args=[plan.pk])).content.decode()
    assert 'govuk-tag--red">Overdue' in page
    assert "1 action overdue, at risk or off track" in page


def test_setting_a_target_replaces_its_points(client_as, people):
    _, _, measure, _ = people
    client = client_as("champion")
    page = client.get(reverse("actions:measure-target", args=[measure.pk])).content.decode()
    assert 'name="rows-0-on" type="text" value="2023-12-31"' in page  # current rows, to edit
    assert 'name="rows-1-value" type="text" value="50"' in page
    response = client.post(
        reverse("actions:measure-target", args=[measure.pk]),
        target_post([("2024-12-31", "40"), ("", ""), ("2025-12-31", "50")], tolerance="3"),
    )
    assert response.status_code == 302
    target = measure.targets.get()
    assert [(p.on, p.value) for p in target.points.all()] == [
        (date(2024, 12, 31), 40),
        (date(2025, 12, 31), 50),
    ]
    assert target.tolerance == 3


def test_a_target_with_bad_rows_is_refused_naming_each(client_as, people):
    _, _, measure, _ = people
    response = client_as("edi_officer").post(
        reverse("actions:measure-target", args=[measure.pk]),
        target_post(
            [("2025-12-31", "50"), ("by 2026", "60"), ("2025-12-31", "55"), ("", "70")],
            tolerance="-1",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Row 2: Enter a real date" in page
    assert "Row 4: Enter the date" in page
    assert "The tolerance cannot be negative" in page
    assert [p.value for p in measure.targets.get().points.all()] == [30, 50]  # unchanged


def test_champion_cannot_set_a_corporate_target(client_as, corporate):
    _, _, measure = corporate
    response = client_as("champion").post(
        reverse("actions:measure-target", args=[measure.pk]),
        target_post([("2025-12-31", "1")]),
    )
    assert response.status_code == 403
