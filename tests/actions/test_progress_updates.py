"""The action workflow: one form sets the status and adds the note; every update shows its
author and date; the status history is on the action's page; a mistaken update can be
corrected (the original kept, marked corrected) or withdrawn (hidden, kept, marked withdrawn);
the status follows the latest current update; every change is audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from equitable.actions import services
from equitable.actions.models import Action, ProgressUpdate
from equitable.core.models import AuditEvent

pytestmark = pytest.mark.django_db
HISTORY = '<h2 class="govuk-heading-m">Status history</h2>'


def _update(client, action, **fields):
    data = {"status": "on track", "on": "2025-03-01", "note": "Panels trained", **fields}
    return client.post(reverse("actions:update-new", args=[action.pk]), data)


def test_one_submit_sets_the_status_and_adds_the_note_with_its_author(client_as, people, users):
    _, action, _, _ = people
    client = client_as("champion")
    page = client.get(reverse("actions:update-new", args=[action.pk])).content.decode()
    assert 'name="status"' in page and 'name="note"' in page  # one form, both
    response = _update(client, action, status="at risk", note="Two panels short of members")
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.AT_RISK
    update = action.updates.get(note="Two panels short of members")
    assert update.author == users["champion"]
    assert (update.status, update.previous_status) == ("at risk", "on track")
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    assert f"By {users['champion'].username}" in page
    assert "01 Mar 2025" in page
    assert "Status history" in page and "On track → At risk" in page
    event = AuditEvent.objects.get(object_type="progress_update", object_id=str(update.pk))
    assert event.action == AuditEvent.Action.CREATE and event.user == users["champion"]


def test_an_update_without_a_status_or_note_is_refused(client_as, people):
    _, action, _, _ = people
    response = _update(client_as("edi_officer"), action, status="", note="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the status of the action" in page
    assert "Say what has happened" in page
    assert action.updates.count() == 1  # only the fixture's


def test_a_back_dated_update_does_not_change_the_current_status(client_as, people):
    _, action, _, _ = people
    client = client_as("edi_officer")
    _update(client, action, status="at risk", on="2025-03-01")
    _update(client, action, status="done", on="2024-06-01", note="An old note")
    action.refresh_from_db()
    assert action.status == Action.Status.AT_RISK  # the latest by date wins


def test_a_correction_replaces_the_update_and_keeps_the_original(client_as, people, users):
    _, action, _, _ = people
    client = client_as("champion")
    _update(client, action, status="done", note="All 68 panels trained")
    mistaken = action.updates.get(note="All 68 panels trained")
    url = reverse("actions:update-correct", args=[mistaken.pk])
    form = client.get(url).content.decode()
    assert "All 68 panels trained" in form  # pre-filled from the original
    response = client.post(
        url, {"status": "on track", "on": "2025-03-01", "note": "41 of 68 panels trained"}
    )
    assert response.status_code == 302
    mistaken.refresh_from_db()
    assert mistaken.state == ProgressUpdate.State.CORRECTED
    correction = mistaken.corrections.get()
    assert correction.note == "41 of 68 panels trained" and correction.author == users["champion"]
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK and action.completed_on is None
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    current = page.split(HISTORY)[0]
    assert "41 of 68 panels trained" in current and "All 68 panels trained" not in current
    assert "Corrected" in page.split(HISTORY)[1]  # the original, in the history
    assert AuditEvent.objects.filter(
        object_type="progress_update", object_id=str(mistaken.pk), action="change"
    ).exists()
    # A corrected update cannot be corrected or withdrawn again.
    again = client.post(url, {"status": "done", "on": "2025-03-01", "note": "x"})
    assert again.status_code == 302
    assert mistaken.corrections.count() == 1


def test_a_withdrawn_update_is_not_counted_but_kept_marked(client_as, people, users):
    _, action, _, _ = people
    client = client_as("edi_officer")
    _update(client, action, status="on track", on="2025-02-01", note="On course")
    _update(client, action, status="done", on="2025-03-01", note="Wrong action")
    wrong = action.updates.get(note="Wrong action")
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    url = reverse("actions:update-withdraw", args=[wrong.pk])
    refused = client.post(url, {"reason": ""})
    assert (
        refused.status_code == 200 and "Say why the update is withdrawn" in refused.content.decode()
    )
    response = client.post(url, {"reason": "Entered on the wrong action"})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.state == ProgressUpdate.State.WITHDRAWN
    assert wrong.withdrawn_by == users["edi_officer"] and wrong.withdrawn_at is not None
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK  # the withdrawn update does not count
    assert action.completed_on is None
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    current, history = page.split(HISTORY)
    assert "Wrong action" not in current
    assert "Withdrawn" in history and "Entered on the wrong action" in history
    assert AuditEvent.objects.filter(
        object_type="progress_update", object_id=str(wrong.pk), detail__contains="withdrawn"
    ).exists()


def test_withdrawing_the_only_status_update_restores_the_status_before_it(people, users):
    _, action, _, _ = people
    update = services.add_update(
        action, users["champion"], {"on": date(2025, 3, 1), "status": "off track", "note": "x"}
    )
    assert action.status == Action.Status.OFF_TRACK
    services.withdraw_update(update, users["edi_officer"], "mistake")
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK


def test_a_champion_cannot_touch_another_directorates_updates(client_as, corporate, users):
    _, action, _ = corporate
    update = services.add_update(
        action, users["edi_officer"], {"on": date(2025, 3, 1), "status": "at risk", "note": "x"}
    )
    client = client_as("champion")
    data = {"status": "done", "on": "2025-03-02", "note": "Done"}
    assert _update(client, action, **data).status_code == 403
    for name in ("actions:update-correct", "actions:update-withdraw"):
        url = reverse(name, args=[update.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {**data, "reason": "no"}).status_code == 403
    update.refresh_from_db()
    action.refresh_from_db()
    assert update.is_current and action.status == Action.Status.AT_RISK


def test_a_board_member_reads_the_history_but_cannot_correct(client_as, people):
    _, action, _, update = people
    client = client_as("board_member")
    page = client.get(reverse("actions:action", args=[action.pk])).content.decode()
    assert "Status history" in page and "Withdraw" not in page
    assert client.get(reverse("actions:update-correct", args=[update.pk])).status_code == 403


def test_another_councils_update_is_not_found(client_as, people):
    _, _, _, update = people
    client = client_as("other:edi_officer")
    assert client.get(reverse("actions:update-correct", args=[update.pk])).status_code == 404
    assert client.get(reverse("actions:update-withdraw", args=[update.pk])).status_code == 404


def test_a_status_changed_by_the_workbook_is_recorded_as_an_update(org, corporate):
    _, action, _ = corporate
    book = services.workbook_for(org)
    for row in book.actions:
        if row.ref == action.ref:
            row.status = "at risk"
    services.apply_workbook(org, book)
    action.refresh_from_db()
    assert action.status == Action.Status.AT_RISK
    update = action.updates.get()
    assert (update.previous_status, update.status, update.author) == ("on track", "at risk", None)
