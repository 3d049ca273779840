"""Anonymous Dignity at Work reports, the conversation with the reporter, and trend counts.

What a report row holds (docs/incidents.md says the same in plain words):
* the structured answers needed for trends, in clear: type, protected characteristics,
  directorate, the month it happened, the week it was received, online or paper;
* everything the reporter wrote, the team's replies, internal notes and attachments, encrypted by
  the application (incidents/crypto.py, AES-256-GCM, no timestamp) with a key that is not in
  the database;
* the receipt as a lookup part and an Argon2id hash of its secret part (incidents/receipts.py);
* nothing about the reporter's device or connection: no address, user agent, cookie, account or
  exact time. Dates are coarsened to the Monday of the week (received, messages, notes, closed).

`TrendCount` is the aggregate that survives when closed reports are deleted after the
organisation's retention period (`Organisation.report_retention_days`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from equitable.core.models import Directorate, Organisation


class IncidentType(models.TextChoices):
    BULLYING = "bullying", "Bullying"
    HARASSMENT = "harassment", "Harassment"
    RACISM = "racism", "Racism"
    MICROAGGRESSION = "microaggression", "Microaggression"
    DISCRIMINATION = "discrimination", "Discrimination on another protected characteristic"
    VICTIMISATION = "victimisation", "Victimisation"
    OTHER = "other", "Something else"


class Characteristic(models.TextChoices):
    RACE = "race", "Race, ethnicity or nationality"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    DISABILITY = "disability", "Disability"
    AGE = "age", "Age"
    PREGNANCY = "pregnancy", "Pregnancy or maternity"
    MARRIAGE = "marriage", "Marriage or civil partnership"
    NOT_SURE = "not_sure", "Not sure or none"


class Source(models.TextChoices):
    ONLINE = "online", "Online form"
    PAPER = "paper", "Paper (incident reporting box)"


class ReportedElsewhere(models.TextChoices):
    NO = "no", "No"
    MANAGER = "manager", "Yes, to a manager"
    HR = "hr", "Yes, to HR"
    UNION = "union", "Yes, to a trade union"
    OTHER = "other", "Yes, somewhere else"
    PREFER_NOT = "prefer_not", "Prefer not to say"


class Status(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    UNDER_REVIEW = "under_review", "Under review"
    REFERRED = "referred", "Referred"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    NONE = "", "Not closed"
    RESOLVED = "resolved", "Resolved"
    ACTION_TAKEN = "action_taken", "Action taken"
    REFERRED_FORMAL = "referred_formal", "Referred to a formal process"
    NO_FURTHER_ACTION = "no_further_action", "No further action possible"
    WITHDRAWN = "withdrawn", "Withdrawn by the reporter"


class Severity(models.TextChoices):
    NOT_SET = "", "Not set"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Report(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # Fixed at creation: every encrypted value of the report is bound to it (crypto.context).
    reference = models.CharField(max_length=12, unique=True, help_text="Non-secret case reference")
    submitted_week = models.DateField(help_text="Monday of the week it was received")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    incident_type = models.CharField(max_length=20, choices=IncidentType.choices)
    characteristics = models.JSONField(default=list, blank=True)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    happened_month = models.DateField(null=True, blank=True, help_text="First day of the month")
    what_happened = models.BinaryField()
    reported_elsewhere = models.CharField(
        max_length=12, choices=ReportedElsewhere.choices, default=ReportedElsewhere.PREFER_NOT
    )
    desired_outcome = models.BinaryField(blank=True, default=b"")
    receipt_lookup = models.CharField(max_length=8, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.NEW)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default="", blank=True)
    category = models.CharField(max_length=100, blank=True)
    severity = models.CharField(max_length=6, choices=Severity.choices, default="", blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_due = models.DateField(null=True, blank=True)
    # The Monday of the week the team first responded: its first reply to the reporter, or the
    # first move out of "New" (a paper report has no receipt, so it can only be acknowledged).
    # Set once (services.update_case, services.add_message); the response-time measures read it.
    first_response_week = models.DateField(null=True, blank=True)
    closed_at = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_week", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def type_label(self) -> str:
        return IncidentType(self.incident_type).label

    @property
    def characteristic_labels(self) -> list[str]:
        return [Characteristic(c).label for c in self.characteristics]


class Sender(models.TextChoices):
    REPORTER = "reporter", "Reporter"
    TEAM = "team", "EDI team"


class Message(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    body = models.BinaryField()
    week = models.DateField()

    class Meta:
        ordering = ["id"]


class InternalNote(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.BinaryField()
    created_on = models.DateField()

    class Meta:
        ordering = ["id"]


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    sender = models.CharField(max_length=10, choices=Sender.choices, default=Sender.REPORTER)
    content = models.BinaryField()
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    @property
    def filename(self) -> str:
        return f"{self.report.reference}-attachment-{self.pk}.{self.extension}"


class TrendCount(models.Model):
    """Reports received per quarter, type, directorate and characteristic; kept after deletion.

    Each report adds 1 to the row with characteristic "*" (so per type and per directorate the
    "*" rows count reports once) and 1 to the row of each characteristic it names (so a report
    naming race and religion counts under both). Read with Sum: rows are never updated in place
    by anything but an increment, so duplicates from concurrent first increments stay correct.
    """

    ALL = "*"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7, db_index=True)  # "2026-Q3"
    incident_type = models.CharField(max_length=20, choices=IncidentType.choices)
    characteristic = models.CharField(max_length=20)
    directorate = models.ForeignKey(
        Directorate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    count = models.PositiveIntegerField(default=0)


class IncidentSettings(models.Model):
    """The organisation's response targets for Dignity at Work reports.

    Why a row of its own and not fields on Organisation: the incidents app owns its policy, and
    an organisation without a row simply has the defaults (`for_organisation`). The targets are
    what the response-time measures compare against (metrics/response_times.py) and what the
    first-response due date of a new report is set from.
    """

    DEFAULT_FIRST_RESPONSE_WORKING_DAYS = 5
    DEFAULT_CLOSE_DAYS = 60

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="incident_settings"
    )
    first_response_working_days = models.PositiveSmallIntegerField(
        default=DEFAULT_FIRST_RESPONSE_WORKING_DAYS,
        help_text="Working days from receipt to the team's first reply",
    )
    close_days = models.PositiveSmallIntegerField(
        default=DEFAULT_CLOSE_DAYS, help_text="Calendar days from receipt to closing the case"
    )

    @classmethod
    def for_organisation(cls, organisation: Organisation) -> IncidentSettings:
        """The saved targets, or the defaults (unsaved) when none were set."""
        found = cls.objects.filter(organisation=organisation).first()
        return found or cls(organisation=organisation)


class SupportContact(models.Model):
    """Support signposted on the report form and the confirmation page: the employee assistance
    programme, trade unions, the Freedom to Speak Up guardian or whistleblowing route.

    Set per organisation by the EDI officer or the organisation admin. Only public contact
    details of services (never a member of staff's personal details): a name, what it offers,
    an optional phone number and web address. Shown escaped; the address must be https.
    """

    class Kind(models.TextChoices):
        EAP = "eap", "Employee assistance programme"
        UNION = "union", "Trade union"
        SPEAK_UP = "speak_up", "Freedom to Speak Up"
        WHISTLEBLOWING = "whistleblowing", "Whistleblowing"
        OTHER = "other", "Other support"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return self.Kind(self.kind).label
