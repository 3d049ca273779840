"""Action plans, measures with targets, and the review recommendations register.

An organisation has one corporate plan (no directorate) and any number of directorate plans,
each plan → themes → objectives → actions and measures. A measure is computed from the workforce
snapshots or the lifecycle figures (its `computed_key` names the figure) or entered by hand; a
target on it is a list of dated values, the trajectory between them is in `trajectory.py`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from equitable.actions.trajectory import DEFAULT_TOLERANCE
from equitable.actions.trajectory import TargetPoint as PurePoint


class ActionPlan(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="action_plans"
    )
    directorate = models.ForeignKey(
        "core.Directorate",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="action_plans",
        help_text="Leave blank for the corporate plan",
    )
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("directorate__name").asc(nulls_first=True), "title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="unique_plan_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_corporate(self) -> bool:
        return self.directorate_id is None

    @property
    def scope_label(self) -> str:
        if self.directorate is None:
            return "Corporate"
        return f"{self.directorate.name} directorate"


class Theme(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="objectives")
    text = models.TextField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not started", "Not started"
        ON_TRACK = "on track", "On track"
        AT_RISK = "at risk", "At risk"
        OFF_TRACK = "off track", "Off track"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    # GOV.UK tag colour per status: at risk and off track must stand out.
    TAG_CLASSES: dict[str, str] = {
        Status.NOT_STARTED: "govuk-tag--grey",
        Status.ON_TRACK: "govuk-tag--blue",
        Status.AT_RISK: "govuk-tag--orange",
        Status.OFF_TRACK: "govuk-tag--red",
        Status.DONE: "govuk-tag--green",
        Status.DROPPED: "govuk-tag--grey",
    }
    CLOSED = (Status.DONE, Status.DROPPED)

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=20, blank=True)
    text = models.TextField("Action")
    owner = models.CharField(max_length=200, blank=True, help_text="A team or a role, not a name")
    # The account that gets reminders of the action falling due and overdue (`reminders.py`).
    # Optional: `owner` stays the team or role the plan names; this is who is told.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
        verbose_name="Owner's account",
    )
    strategic_lead = models.CharField(max_length=200, blank=True)
    operational_lead = models.CharField(max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    dropped_reason = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}".strip()

    @property
    def plan(self) -> ActionPlan:
        return self.objective.theme.plan

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.DROPPED and not self.dropped_reason.strip():
            errors["dropped_reason"] = "Say why the action was dropped"
        if self.start and self.due and self.start > self.due:
            errors["due"] = "The due date must be on or after the start date"
        if errors:
            raise ValidationError(errors)

    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    def is_overdue(self, on: date) -> bool:
        return self.is_open() and self.due is not None and self.due < on

    def needs_attention(self, on: date) -> bool:
        return self.is_overdue(on) or self.status in (self.Status.AT_RISK, self.Status.OFF_TRACK)

    @property
    def tag_class(self) -> str:
        return self.TAG_CLASSES.get(self.status, "govuk-tag--grey")

    def current_updates(self) -> models.QuerySet[ProgressUpdate]:
        """The updates people read now: not withdrawn and not replaced by a correction."""
        return self.updates.filter(state=ProgressUpdate.State.CURRENT)

    def status_from_updates(self) -> str:
        """The status the updates give: the latest current update that set one; before any,
        the status the first status update started from (so withdrawing the only update puts
        the action back where it was)."""
        latest = self.current_updates().exclude(status="").order_by("-on", "-id").first()
        if latest is not None:
            return latest.status
        first = self.updates.exclude(status="").order_by("on", "id").first()
        if first is not None and first.previous_status:
            return first.previous_status
        return self.status


def update_file_path(instance: ProgressUpdate, filename: str) -> str:
    plan = instance.action.objective.theme.plan
    return f"actions/{plan.organisation_id}/{instance.action_id}/{filename}"


class ProgressUpdate(models.Model):
    """A dated note on an action with its evidence (a link, a file or both) and, usually, the
    status it reports. Updates are the action's history, so they are never deleted or edited
    in place: a correction is a new update that `replaces` the old one (which becomes
    CORRECTED), and a mistaken one is WITHDRAWN (hidden from the current view, kept and marked
    in the history). The action's status follows the latest CURRENT update
    (`Action.status_from_updates`)."""

    class State(models.TextChoices):
        CURRENT = "current", "Current"
        CORRECTED = "corrected", "Corrected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("Date")
    note = models.TextField()
    # The status this update reports; blank for a note that did not set one (older updates).
    status = models.CharField(max_length=20, choices=Action.Status.choices, blank=True)
    # The action's status before this update, so the history reads "on track → at risk".
    previous_status = models.CharField(max_length=20, choices=Action.Status.choices, blank=True)
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=update_file_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CURRENT)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="corrections"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-on", "-id"]

    @property
    def is_current(self) -> bool:
        return self.state == self.State.CURRENT

    @property
    def status_tag_class(self) -> str:
        return Action.TAG_CLASSES.get(self.status, "govuk-tag--grey")

    @property
    def author_name(self) -> str:
        # No author: a workbook import, the demo, or an account since removed.
        return self.author.get_username() if self.author else "No author recorded"


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Kind(models.TextChoices):
        COMPUTED = "computed", "Computed from workforce, lifecycle or survey data"
        MANUAL = "manual", "Entered by hand"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    ref = models.CharField(max_length=20, blank=True)
    name = models.TextField()
    unit = models.CharField(max_length=20, blank=True, help_text="%, count, ratio …")
    direction = models.CharField(max_length=10, choices=Direction.choices, default="higher")
    source = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    # A workforce or lifecycle figure's key, or a survey question and group
    # ("survey:<group>:<bank code>", `survey_measures`).
    computed_key = models.CharField(max_length=130, blank=True)
    # Shown among the headline figures on everyone's home page (chosen by the EDI team).
    pinned_on_home = models.BooleanField("Pinned on the home page", default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name[:80]

    @property
    def plan(self) -> ActionPlan:
        return self.objective.theme.plan


class MeasureValue(models.Model):
    class Origin(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        SNAPSHOT = "snapshot", "Workforce snapshot"
        # A financial year's lifecycle figure (recruitment, casework, movements), dated 31 March.
        LIFECYCLE = "lifecycle", "Lifecycle figures"
        # A staff survey wave's published % favourable, dated the end of its fieldwork month.
        SURVEY = "survey", "Staff survey"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    on = models.DateField("Date")
    value = models.FloatField()
    # A snapshot value as people without personal-data access may see it: computed from the
    # protected tables (None when disclosure control withholds what it rests on).
    published_value = models.FloatField(null=True, blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "on"], name="one_value_per_measure_date")
        ]

    def shown(self, published: bool) -> float | None:
        """The value for a reader with (published=False) or without personal-data access; a
        value entered by hand is the same for everyone."""
        if not published or self.origin == self.Origin.MANUAL:
            return self.value
        return self.published_value


class Target(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(max_length=200, blank=True)
    tolerance = models.FloatField(
        default=DEFAULT_TOLERANCE,
        help_text="Amber band, in the measure's unit (percentage points for a %)",
    )

    def __str__(self) -> str:
        return self.name or f"Target for {self.measure}"

    def pure_points(self) -> list[PurePoint]:
        return [PurePoint(p.on, p.value) for p in self.points.all()]


class TargetPoint(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="points")
    on = models.DateField("Date")
    value = models.FloatField()
    is_baseline = models.BooleanField(default=False)

    class Meta:
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["target", "on"], name="one_target_point_per_date")
        ]


class ReminderSent(models.Model):
    """One reminder of one action sent to one account on one day: what makes `equitable
    remind` safe to run more than once a day (a scheduler retrying, a person running it by
    hand) without anyone getting the same reminder twice."""

    class Kind(models.TextChoices):
        DUE = "due", "Due soon"
        OVERDUE = "overdue", "Overdue"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    due = models.DateField()  # the due date the reminder was about
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "action_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "recipient", "sent_on"], name="one_reminder_per_action_day"
            )
        ]


class Recommendation(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not started", "Not started"
        IN_PROGRESS = "in progress", "In progress"
        ONGOING = "ongoing", "Ongoing"
        DONE = "done", "Done"

    TAG_CLASSES: dict[str, str] = {
        Status.NOT_STARTED: "govuk-tag--grey",
        Status.IN_PROGRESS: "govuk-tag--blue",
        Status.ONGOING: "govuk-tag--turquoise",
        Status.DONE: "govuk-tag--green",
    }

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="recommendations"
    )
    ref = models.CharField(max_length=20, blank=True)
    theme = models.CharField(max_length=300)
    text = models.TextField("Recommendation")
    response = models.TextField("What have we done", blank=True)
    who = models.CharField(max_length=300, blank=True)
    when = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    actions = models.ManyToManyField(Action, blank=True, related_name="recommendations")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.ref} {self.text[:60]}".strip()

    @property
    def tag_class(self) -> str:
        return self.TAG_CLASSES.get(self.status, "govuk-tag--grey")


class BoardReport(models.Model):
    """One quarter's board report as the EDI officer keeps it: a draft (key messages only; its
    figures follow the live data) until it is issued, then frozen: the PDF bytes, the page's
    HTML and the figures it showed are kept as they were, and it is never edited again. A
    correction is a new issued version; the old one stays, marked superseded."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        SUPERSEDED = "superseded", "Superseded"

    # What an issued report keeps as it was issued (checked on every save).
    FROZEN_FIELDS = (
        "quarter",
        "key_messages",
        "version",
        "pdf_sha256",
        "body_html",
        "incidents_html",
        "figures",
    )

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="board_reports"
    )
    quarter = models.CharField(max_length=6)  # 2025Q1
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    key_messages = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)  # 1, 2 … once issued; 0 for a draft
    correction = models.TextField(blank=True)  # what a corrected version changed
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Frozen when issued: the board's PDF, the page body (without and with the incidents
    # section, which only some roles may read) and the figures shown, as JSON.
    pdf = models.BinaryField(blank=True, default=b"")
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    body_html = models.TextField(blank=True)
    incidents_html = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter"],
                condition=models.Q(status="draft"),
                name="one_board_report_draft_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["organisation", "quarter"],
                condition=models.Q(status="issued"),
                name="one_issued_board_report_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["organisation", "quarter", "version"],
                condition=~models.Q(status="draft"),
                name="one_board_report_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"Board report {self.quarter} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        """An issued report is frozen: only its move to superseded may be saved."""
        if self.pk:
            stored = (
                BoardReport.objects.filter(pk=self.pk).values("status", *self.FROZEN_FIELDS).first()
            )
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [f for f in self.FROZEN_FIELDS if stored[f] != getattr(self, f)]
                if changed or self.status == self.Status.DRAFT:
                    raise ValidationError("An issued board report cannot be changed")
        super().save(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT
