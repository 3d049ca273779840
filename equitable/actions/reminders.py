"""E-mail reminders to action owners: actions falling due within the next N days (14 by
default) and actions overdue, one e-mail per owner listing both.

Run daily by a scheduler (`equitable remind`, see docs/actions.md "Reminders"). Safe to run
again the same day: every reminder sent is recorded (`ReminderSent`, one per action, account
and day) and an action already reminded today is left out, so a retry or a second run sends
nothing twice. Only actions with an owner's account (`Action.owner_user`) with an e-mail
address get reminders; the others are counted so the run can say who was missed and why.

Sending goes through Django's e-mail (the console in the demo, SMTP when EQUITABLE_SMTP_HOST
is set, `mail.outbox` in tests).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse

from equitable.actions.models import Action, ReminderSent
from equitable.core import audit
from equitable.core.models import AuditEvent, Organisation, User

log = logging.getLogger(__name__)

DEFAULT_DAYS = 14
MAX_DAYS = 366  # also in cli.py (MAX_REMINDER_DAYS), which checks --days before set-up


@dataclass
class Reminder:
    """One e-mail: what one owner is reminded of today."""

    recipient: User
    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)

    @property
    def actions(self) -> list[Action]:
        return [*self.overdue, *self.due_soon]

    def subject(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} due soon")
        noun = "action" if len(self.actions) == 1 else "actions"
        return f"Equitable: {' and '.join(parts)} ({noun} you own)"


@dataclass
class RunSummary:
    organisation: Organisation
    on: date
    days: int
    dry_run: bool
    reminders: list[Reminder] = field(default_factory=list)
    already_sent: int = 0  # actions left out: reminded earlier today
    without_email: list[str] = field(default_factory=list)  # usernames with no address
    failed: list[str] = field(default_factory=list)  # usernames whose e-mail failed

    def lines(self) -> list[str]:
        verb = "Would send" if self.dry_run else "Sent"
        lines = [
            f"{self.organisation.name}: {verb.lower()} {len(self.reminders)} reminder e-mail(s) "
            f"({self.on:%d %b %Y}, actions due within {self.days} days or overdue)"
        ]
        for reminder in self.reminders:
            refs = ", ".join(a.ref or f"#{a.pk}" for a in reminder.actions)
            lines.append(f"  {verb} to {reminder.recipient.get_username()}: {refs}")
        if self.already_sent:
            lines.append(f"  {self.already_sent} action(s) already reminded today: not sent again")
        for username in self.without_email:
            lines.append(f"  {username} has no e-mail address: no reminder")
        for username in self.failed:
            lines.append(f"  Sending to {username} failed: it will be tried on the next run")
        return lines


def _window(on: date, days: int) -> date:
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"The number of days must be from 0 to {MAX_DAYS}")
    return on + timedelta(days=days)


def reminders_due(
    organisation: Organisation, on: date, days: int = DEFAULT_DAYS
) -> tuple[list[Reminder], int, list[str]]:
    """Who is reminded of what on `on`: open actions with an owner's account (of this
    organisation, active) due by `on + days`, less those already reminded today. Returns the
    reminders, the count left out as already sent, and owners without an e-mail address."""
    last_day = _window(on, days)
    actions = (
        Action.objects.filter(
            objective__theme__plan__organisation=organisation,
            owner_user__organisation=organisation,
            owner_user__is_active=True,
            due__isnull=False,
            due__lte=last_day,
        )
        .exclude(status__in=Action.CLOSED)
        .select_related("owner_user", "objective__theme__plan")
        .order_by("due", "ref", "id")
    )
    sent_today = set(
        ReminderSent.objects.filter(
            sent_on=on, action__objective__theme__plan__organisation=organisation
        ).values_list("action_id", "recipient_id")
    )
    by_owner: dict[int, Reminder] = {}
    already, without_email = 0, set()
    for action in actions:
        owner = action.owner_user
        if owner is None:  # the query asks for an owner; the type cannot know it
            continue
        if (action.pk, owner.pk) in sent_today:
            already += 1
            continue
        if not owner.email:
            without_email.add(owner.get_username())
            continue
        reminder = by_owner.setdefault(owner.pk, Reminder(recipient=owner))
        (reminder.overdue if action.is_overdue(on) else reminder.due_soon).append(action)
    return list(by_owner.values()), already, sorted(without_email)


def _body(reminder: Reminder, on: date, days: int) -> str:
    site = settings.EQUITABLE_SITE_URL.rstrip("/")
    lines = [f"Hello {reminder.recipient.get_username()},", ""]

    def section(title: str, actions: list[Action]) -> None:
        if not actions:
            return
        lines.extend([title, ""])
        for action in actions:
            text = action.text if len(action.text) <= 120 else action.text[:119] + "…"
            lines.append(f"- {action.ref or 'Action'}: {text}")
            lines.append(f"  Due {action.due:%d %B %Y}; status: {action.get_status_display()}")
            lines.append(f"  {site}{reverse('actions:action', args=[action.pk])}")
        lines.append("")

    section("Overdue:", reminder.overdue)
    section(f"Due within {days} days:", reminder.due_soon)
    lines.extend(
        [
            "To record progress, open the action and choose “Update progress”: one form sets "
            "the status and adds the note.",
            "",
            f"You get this because you are the owner of these actions in Equitable "
            f"({on:%d %B %Y}). Ask your EDI team to change the owner if that is wrong.",
        ]
    )
    return "\n".join(lines)


def send_reminders(
    organisation: Organisation,
    *,
    on: date,
    days: int = DEFAULT_DAYS,
    dry_run: bool = False,
) -> RunSummary:
    """E-mail each owner their overdue and soon-due actions and record what was sent (nothing
    is sent or recorded on a dry run). An owner whose e-mail fails is not recorded, so the
    next run tries again."""
    reminders, already, without_email = reminders_due(organisation, on, days)
    summary = RunSummary(
        organisation=organisation,
        on=on,
        days=days,
        dry_run=dry_run,
        already_sent=already,
        without_email=without_email,
    )
    if dry_run:
        summary.reminders = reminders
        return summary
    for reminder in reminders:
        message = EmailMessage(
            subject=reminder.subject(),
            body=_body(reminder, on, days),
            to=[reminder.recipient.email],
        )
        try:
            with transaction.atomic():
                # Recorded first, inside the transaction: a second run racing this one fails
                # on the unique constraint instead of sending the same reminder again.
                ReminderSent.objects.bulk_create(
                    ReminderSent(
                        action=action,
                        recipient=reminder.recipient,
                        kind=ReminderSent.Kind.OVERDUE
                        if action.is_overdue(on)
                        else ReminderSent.Kind.DUE,
                        sent_on=on,
                        due=action.due or on,
                    )
                    for action in reminder.actions
                )
                message.send()
        except IntegrityError:
            summary.already_sent += len(reminder.actions)
            continue
        except OSError as error:  # SMTP refused or unreachable: the records roll back
            log.warning("Reminder to %s failed: %s", reminder.recipient.get_username(), error)
            summary.failed.append(reminder.recipient.get_username())
            continue
        summary.reminders.append(reminder)
    if summary.reminders:
        audit.record(
            None,
            AuditEvent.Action.CREATE,
            "action_reminder",
            "",
            f"{len(summary.reminders)} reminder e-mail(s) about "
            f"{sum(len(r.actions) for r in summary.reminders)} action(s)",
            organisation=organisation,
        )
    return summary


def send_every_reminder(
    organisation: Organisation, *, days: int, dry_run: bool = False
) -> tuple[list[str], bool]:
    """Actions due and overdue, and equality impact assessments due for review
    (equitable/eqia/reminders.py): the lines to report, and whether any e-mail failed."""
    from equitable.actions import services
    from equitable.eqia import reminders as eqia_reminders

    summary = send_reminders(organisation, on=services.today(), days=days, dry_run=dry_run)
    reviews = eqia_reminders.send_review_reminders(
        organisation, on=services.today(), days=days, dry_run=dry_run
    )
    lines = [*summary.lines(), *reviews.lines(dry_run)]
    return lines, bool(summary.failed) or bool(reviews.failed)


def send_on_the_queue(organisation_pk: int, days: int) -> None:
    """The queue's task "reminders.send". Safe to run again: a reminder goes once per action,
    person and day. A failed e-mail fails the task, so the queue tries it again."""
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if organisation is None:
        return
    lines, failed = send_every_reminder(organisation, days=days)
    for line in lines:
        log.info("%s: %s", organisation.slug, line)
    if failed:
        raise RuntimeError(f"some reminders of {organisation.slug} could not be sent")


def reminders_given_up(organisation_pk: int, days: int) -> None:
    log.warning(
        "reminders of organisation %s (%s days) given up; the next daily run tries again",
        organisation_pk,
        days,
    )
