"""Review-date reminders: to the EDI officers and the creator, once a day, only for signed-off
assessments whose review falls due."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from equitable.core.models import AuditEvent
from equitable.eqia import reminders
from equitable.eqia.models import Assessment, ReviewReminderSent
from tests.eqia.factories import make_assessment

TODAY = date(2025, 6, 2)
S = Assessment.Status


@pytest.fixture
def due(org, users):
    for user in users.values():
        user.email = f"{user.username}@example.org"
        user.save()
    return make_assessment(
        org, status=S.SIGNED_OFF, review_date=date(2025, 6, 10), created_by=users["champion"]
    )


def test_the_officer_and_the_creator_are_reminded_once_a_day(org, users, due):
    make_assessment(org, status=S.SIGNED_OFF, review_date=date(2025, 9, 1))  # outside 14 days
    make_assessment(org, status=S.UNDER_REVIEW, review_date=date(2025, 5, 1))  # under way
    summary = reminders.send_review_reminders(org, on=TODAY, days=14)
    assert sorted(r.recipient.username for r in summary.sent) == ["champion", "edi_officer"]
    assert len(mail.outbox) == 2
    assert due.ref in mail.outbox[0].body and "10 June 2025" in mail.outbox[0].body
    assert ReviewReminderSent.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="eqia_reminder").count() == 1
    again = reminders.send_review_reminders(org, on=TODAY, days=14)
    assert again.sent == [] and again.already_sent == 2
    assert len(mail.outbox) == 2


def test_a_dry_run_sends_and_records_nothing(org, due):
    summary = reminders.send_review_reminders(org, on=TODAY, days=14, dry_run=True)
    assert len(summary.sent) == 2
    assert mail.outbox == [] and not ReviewReminderSent.objects.exists()


def test_another_councils_officers_are_never_reminded(org, users, due):
    reminders.send_review_reminders(org, on=TODAY, days=14)
    assert "other-edi_officer@example.org" not in [m.to[0] for m in mail.outbox]


def test_the_remind_command_sends_review_reminders_too(org, due, capsys, monkeypatch):
    from equitable import cli
    from equitable.actions import services

    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    monkeypatch.setattr(services, "today", lambda: TODAY)
    assert cli.main(["remind", "--organisation", org.slug]) == 0
    out = capsys.readouterr().out
    assert f"EqIA review {due.ref}" in out
    assert len(mail.outbox) == 2
