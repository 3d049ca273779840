"""Reminders to action owners: due within N days and overdue, one e-mail per owner, sent once
a day however often it runs, nothing sent on a dry run; `equitable remind` for a scheduler."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from equitable.actions import reminders
from equitable.actions.models import Action, ReminderSent
from equitable.core.models import AuditEvent

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


@pytest.fixture
def owned(corporate, people, users):
    """The corporate action overdue (due 28 Feb), the People action due in 10 days."""
    _, overdue, _ = corporate
    _, soon, _, _ = people
    soon.due = TODAY + timedelta(days=10)
    users["edi_officer"].email = "edi.officer@our.example.org"
    users["edi_officer"].save()
    for action in (overdue, soon):
        action.owner_user = users["edi_officer"]
        action.save()
    return overdue, soon


def test_an_owner_gets_one_email_with_overdue_and_due_soon(org, owned, users):
    overdue, soon = owned
    summary = reminders.send_reminders(org, on=TODAY)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [users["edi_officer"].email]
    assert message.subject == "Equitable: 1 overdue and 1 due soon (actions you own)"
    body = message.body
    assert body.index("Overdue:") < body.index(overdue.ref) < body.index("Due within 14 days:")
    assert soon.ref in body and f"/actions/actions/{soon.pk}/" in body
    assert ReminderSent.objects.filter(sent_on=TODAY).count() == 2
    assert [r.recipient for r in summary.reminders] == [users["edi_officer"]]
    assert AuditEvent.objects.filter(object_type="action_reminder").count() == 1


def test_a_reminder_is_sent_once_a_day(org, owned):
    reminders.send_reminders(org, on=TODAY)
    again = reminders.send_reminders(org, on=TODAY)
    assert len(mail.outbox) == 1
    assert again.reminders == [] and again.already_sent == 2
    reminders.send_reminders(org, on=TODAY + timedelta(days=1))  # a new day: reminded again
    assert len(mail.outbox) == 2


def test_a_dry_run_sends_and_records_nothing(org, owned):
    summary = reminders.send_reminders(org, on=TODAY, dry_run=True)
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert len(summary.reminders) == 1
    assert summary.lines()[1].startswith("  Would send to edi")


def test_the_window_and_closed_actions(org, owned):
    overdue, soon = owned
    summary = reminders.send_reminders(org, on=TODAY, days=5, dry_run=True)
    assert summary.reminders[0].actions == [overdue]  # due in 10 days: outside 5
    Action.objects.filter(pk=overdue.pk).update(status=Action.Status.DONE)
    reminders.send_reminders(org, on=TODAY, days=14)
    assert overdue.ref not in mail.outbox[0].body and soon.ref in mail.outbox[0].body


def test_an_owner_without_an_address_is_reported_not_sent(org, owned, users):
    users["edi_officer"].email = ""
    users["edi_officer"].save()
    summary = reminders.send_reminders(org, on=TODAY)
    assert mail.outbox == []
    assert summary.without_email == [users["edi_officer"].username]
    assert any("has no e-mail address" in line for line in summary.lines())


def test_a_failed_email_is_not_recorded_so_the_next_run_retries(org, owned, monkeypatch):
    def refuse(self, fail_silently=False):
        raise OSError("SMTP unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    summary = reminders.send_reminders(org, on=TODAY)
    assert summary.failed and not ReminderSent.objects.exists()


def test_another_councils_owner_is_never_reminded(org, owned, users):
    overdue, _ = owned
    Action.objects.filter(pk=overdue.pk).update(owner_user=users["other:edi_officer"])
    reminders.send_reminders(org, on=TODAY)
    assert overdue.ref not in mail.outbox[0].body


def test_the_remind_command(org, owned, capsys, monkeypatch):
    from equitable import cli
    from equitable.actions import services

    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    monkeypatch.setattr(services, "today", lambda: TODAY)
    assert cli.main(["remind", "--organisation", org.slug, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would send 1 reminder e-mail(s)" in out and "Dry run" in out
    assert mail.outbox == []
    assert cli.main(["remind", "--organisation", org.slug]) == 0
    assert len(mail.outbox) == 1
    assert cli.main(["remind"]) == 0  # every organisation; already sent today
    assert len(mail.outbox) == 1
    assert "already reminded today" in capsys.readouterr().out
    assert cli.main(["remind", "--days", "-1"]) == 2


def test_the_owners_account_is_chosen_from_this_council(client_as, corporate, users):
    from django.urls import reverse

    _, action, _ = corporate
    client = client_as("edi_officer")
    url = reverse("actions:action-edit", args=[action.pk])
    form = {"text": action.text, "owner": "Resources Team", "due": "2025-02-28"}
    page = client.get(url).content.decode()
    assert 'name="owner_user"' in page and 'name="status"' not in page  # status: via updates
    refused = client.post(url, {**form, "owner_user": str(users["other:edi_officer"].pk)})
    assert refused.status_code == 200
    action.refresh_from_db()
    assert action.owner_user is None
    assert client.post(url, {**form, "owner_user": str(users["champion"].pk)}).status_code == 302
    action.refresh_from_db()
    assert action.owner_user == users["champion"]


@pytest.mark.slow
def test_the_remind_command_runs_from_a_fresh_process(tmp_path):
    """As a scheduler runs it: a new process, Django not set up yet (models import late)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EQUITABLE_"))}
    command = Path(sys.executable).parent / "equitable"
    result = subprocess.run(
        [str(command), "remind", "--data-dir", str(tmp_path), "--dry-run"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was sent or recorded" in result.stdout


def test_the_remind_command_can_leave_the_sending_to_the_job_queue(
    org, owned, capsys, monkeypatch, settings
):
    from equitable import cli
    from equitable.actions import services
    from equitable.core import jobs

    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    monkeypatch.setattr(services, "today", lambda: TODAY)
    assert cli.main(["remind", "--on-queue"]) == 2  # thread mode: no queue to leave it to
    settings.EQUITABLE_JOBS = "queue"
    queued: list[tuple] = []
    monkeypatch.setattr(
        jobs, "submit", lambda name, *args, background: queued.append((name, args, background))
    )
    assert cli.main(["remind", "--organisation", org.slug, "--on-queue", "--days", "7"]) == 0
    assert queued == [("reminders.send", (org.pk, 7), True)]
    assert mail.outbox == []

    reminders.send_on_the_queue(org.pk, 14)  # what the worker runs
    assert len(mail.outbox) == 1
    reminders.send_on_the_queue(org.pk, 14)  # a retry sends nothing twice
    assert len(mail.outbox) == 1


def test_a_reminder_that_failed_on_the_queue_fails_the_task_so_it_is_retried(
    org, owned, monkeypatch
):
    from equitable.actions import services

    monkeypatch.setattr(services, "today", lambda: TODAY)

    def refuse(self, fail_silently=False):
        raise OSError("SMTP unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(RuntimeError, match="could not be sent"):
        reminders.send_on_the_queue(org.pk, 14)
