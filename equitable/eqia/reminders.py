"""Reminders of EqIA review dates, sent by `equitable remind` with the action reminders.

A signed-off assessment whose review date falls within the window (or has passed) is reminded
to its creator and the organisation's EDI officers (active accounts with an e-mail address),
once per assessment, account and day (`ReviewReminderSent`), so a second run the same day
sends nothing twice. An assessment under review or closed is not reminded: its review is under
way or no longer needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse

from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User
from equitable.core.roles import Role
from equitable.eqia.models import Assessment, ReviewReminderSent

log = logging.getLogger(__name__)


@dataclass
class ReviewReminder:
    recipient: User
    assessments: list[Assessment] = field(default_factory=list)


@dataclass
class ReviewSummary:
    sent: list[ReviewReminder] = field(default_factory=list)
    already_sent: int = 0
    failed: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> list[str]:
        verb = "Would send" if dry_run else "Sent"
        lines = [
            f"  {verb} to {r.recipient.get_username()}: EqIA review "
            + ", ".join(a.ref for a in r.assessments)
            for r in self.sent
        ]
        if self.already_sent:
            lines.append(f"  {self.already_sent} EqIA review(s) already reminded today")
        lines += [f"  Sending EqIA reminders to {u} failed" for u in self.failed]
        return lines


def due_for_review(organisation: Organisation, on: date, days: int) -> list[Assessment]:
    return list(
        Assessment.objects.filter(
            organisation=organisation,
            status=Assessment.Status.SIGNED_OFF,
            review_date__isnull=False,
            review_date__lte=on + timedelta(days=days),
        )
        .select_related("created_by")
        .order_by("review_date", "ref")
    )


def reminders_due(organisation: Organisation, on: date, days: int) -> tuple[list, int]:
    officers = list(
        User.objects.filter(
            organisation=organisation, role=Role.EDI_OFFICER, is_active=True
        ).exclude(email="")
    )
    sent_today = set(
        ReviewReminderSent.objects.filter(
            sent_on=on, assessment__organisation=organisation
        ).values_list("assessment_id", "recipient_id")
    )
    by_user: dict[int, ReviewReminder] = {}
    already = 0
    for assessment in due_for_review(organisation, on, days):
        recipients = {u.pk: u for u in officers}
        creator = assessment.created_by
        if (
            creator is not None
            and creator.is_active
            and creator.email
            and creator.organisation_id == organisation.pk
        ):
            recipients[creator.pk] = creator
        for user in recipients.values():
            if (assessment.pk, user.pk) in sent_today:
                already += 1
                continue
            by_user.setdefault(user.pk, ReviewReminder(user)).assessments.append(assessment)
    return list(by_user.values()), already


def _body(reminder: ReviewReminder, on: date) -> str:
    site = settings.EQUITABLE_SITE_URL.rstrip("/")
    lines = [f"Hello {reminder.recipient.get_username()},", ""]
    lines.append("These equality impact assessments are due for review:")
    lines.append("")
    for assessment in reminder.assessments:
        due = assessment.review_date
        when = "was due" if due is not None and due < on else "is due"
        lines.append(f"- {assessment.ref}: {assessment.title}")
        lines.append(f"  The review {when} on {assessment.review_date:%d %B %Y}")
        lines.append(f"  {site}{reverse('eqia:assessment', args=[assessment.pk])}")
    lines += ["", "Open the assessment and choose “Start a review” to review it."]
    return "\n".join(lines)


def send_review_reminders(
    organisation: Organisation, *, on: date, days: int, dry_run: bool = False
) -> ReviewSummary:
    reminders, already = reminders_due(organisation, on, days)
    summary = ReviewSummary(already_sent=already)
    if dry_run:
        summary.sent = reminders
        return summary
    for reminder in reminders:
        message = EmailMessage(
            subject=f"Equitable: {len(reminder.assessments)} equality impact assessment(s) "
            "due for review",
            body=_body(reminder, on),
            to=[reminder.recipient.email],
        )
        try:
            with transaction.atomic():
                ReviewReminderSent.objects.bulk_create(
                    ReviewReminderSent(
                        assessment=a,
                        recipient=reminder.recipient,
                        sent_on=on,
                        review_date=a.review_date,
                    )
                    for a in reminder.assessments
                )
                message.send()
        except IntegrityError:
            summary.already_sent += len(reminder.assessments)
            continue
        except OSError as error:
            log.warning("EqIA reminder to %s failed: %s", reminder.recipient, error)
            summary.failed.append(reminder.recipient.get_username())
            continue
        summary.sent.append(reminder)
    if summary.sent:
        audit.record(
            None,
            AuditEvent.Action.CREATE,
            "eqia_reminder",
            "",
            f"{len(summary.sent)} EqIA review reminder e-mail(s)",
            organisation=organisation,
        )
    return summary
