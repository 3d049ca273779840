"""Action plans, measures with targets, and the review recommendations register.

An organisation has one corporate plan (no directorate) and any number of directorate plans,
each plan → themes → objectives → actions and measures. A measure is computed from the workforce
snapshots (its `computed_key` names the figure) or entered by hand; a target on it is a list of
dated values, the trajectory between them is in `trajectory.py`.
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
        return "Corporate" if self.is_corporate else f"{self.directorate.name} directorate"


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
    TAG_CLASSES = {
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


def update_file_path(instance: ProgressUpdate, filename: str) -> str:
    plan = instance.action.objective.theme.plan
    return f"actions/{plan.organisation_id}/{instance.action_id}/{filename}"


class ProgressUpdate(models.Model):
    """A dated note on an action with its evidence: a link, a file or both."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("Date")
    note = models.TextField()
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=update_file_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]


class Measure(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Kind(models.TextChoices):
        COMPUTED = "computed", "Computed from workforce snapshots"
        MANUAL = "manual", "Entered by hand"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="measures")
    ref = models.CharField(max_length=20, blank=True)
    name = models.TextField()
    unit = models.CharField(max_length=20, blank=True, help_text="%, count, ratio …")
    direction = models.CharField(max_length=10, choices=Direction.choices, default="higher")
    source = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MANUAL)
    computed_key = models.CharField(max_length=60, blank=True)
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


class Recommendation(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not started", "Not started"
        IN_PROGRESS = "in progress", "In progress"
        ONGOING = "ongoing", "Ongoing"
        DONE = "done", "Done"

    TAG_CLASSES = {
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
