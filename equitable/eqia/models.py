"""The Equality Impact Assessment (EqIA) register: one row per proposal a council decides on.

An assessment moves through its statuses only by its own methods (`start_full_assessment`,
`submit_for_sign_off`, `sign_off` …), each checking that the move is allowed from where it is,
so the register never holds a signed-off assessment nobody signed, or a closed one that came
back to life. Sign-off is by a second person: whoever submitted it cannot sign it off.

No names are stored: the owner and the decision-maker are a job title and a body or role, and
a workforce scope chosen by an uploaded list keeps only the keyed hashes of the ids
(`equitable.workforce.services.id_hash_key`), the same hashes the stored snapshots carry.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

# The Equality Act 2010's nine protected characteristics (section 4), in the Act's order.
PROTECTED_CHARACTERISTICS = (
    "Age",
    "Disability",
    "Gender reassignment",
    "Marriage and civil partnership",
    "Pregnancy and maternity",
    "Race",
    "Religion or belief",
    "Sex",
    "Sexual orientation",
)
# What councils commonly add (seed 000's council among them); each organisation edits its list.
DEFAULT_ADDITIONAL = ("Care leavers", "Socio-economic disadvantage", "Armed forces community")


class IllegalTransition(Exception):
    """A status change the assessment's current status does not allow; the message says why."""


class SignOffRefused(IllegalTransition):
    """Sign-off by the person who submitted the assessment for it."""


class ProposalType(models.TextChoices):
    RESTRUCTURE = "restructure", "Restructure"
    POLICY = "policy", "Policy"
    SERVICE_CHANGE = "service change", "Service change"
    PROCUREMENT = "procurement", "Procurement"
    BUDGET = "budget decision", "Budget decision"


class Conclusion(models.TextChoices):
    # The four outcomes of the EHRC's guidance on the Public Sector Equality Duty.
    NO_MAJOR_CHANGE = "no major change", "No major change needed"
    ADJUST = "adjust", "Adjust the proposal"
    CONTINUE = "continue", "Continue despite the impact (justified)"
    STOP = "stop", "Stop and rethink the proposal"


class Assessment(models.Model):
    class Status(models.TextChoices):
        SCREENING = "screening", "Screening"
        FULL = "full assessment", "Full assessment"
        CONSULTATION = "consultation", "Consultation"
        # Not in issue 19's list, but sign-off by a second person needs a state between
        # "finished by its author" and "signed off".
        AWAITING_SIGN_OFF = "awaiting sign-off", "Awaiting sign-off"
        SIGNED_OFF = "signed off", "Signed off"
        UNDER_REVIEW = "under review", "Under review"
        CLOSED = "closed", "Closed"

    TAG_CLASSES: dict[str, str] = {
        Status.SCREENING: "govuk-tag--grey",
        Status.FULL: "govuk-tag--blue",
        Status.CONSULTATION: "govuk-tag--light-blue",
        Status.AWAITING_SIGN_OFF: "govuk-tag--yellow",
        Status.SIGNED_OFF: "govuk-tag--green",
        Status.UNDER_REVIEW: "govuk-tag--orange",
        Status.CLOSED: "govuk-tag--grey",
    }
    # Where each status may go (the methods below are the only writers of `status`).
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.SCREENING: (Status.FULL, Status.AWAITING_SIGN_OFF, Status.CLOSED),
        Status.FULL: (Status.CONSULTATION, Status.AWAITING_SIGN_OFF, Status.CLOSED),
        Status.CONSULTATION: (Status.FULL, Status.AWAITING_SIGN_OFF, Status.CLOSED),
        Status.AWAITING_SIGN_OFF: (Status.SIGNED_OFF, Status.SCREENING, Status.FULL),
        Status.SIGNED_OFF: (Status.UNDER_REVIEW, Status.CLOSED),
        Status.UNDER_REVIEW: (Status.FULL, Status.AWAITING_SIGN_OFF, Status.CLOSED),
        Status.CLOSED: (),
    }
    EDITABLE = (Status.SCREENING, Status.FULL, Status.CONSULTATION, Status.UNDER_REVIEW)

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="eqias"
    )
    ref = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    proposal_type = models.CharField(max_length=20, choices=ProposalType.choices)
    summary = models.TextField("What is proposed", blank=True)
    owner = models.CharField(max_length=200, help_text="A job title, not a name")
    directorate = models.ForeignKey(
        "core.Directorate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="eqias",
    )
    decision_date = models.DateField(null=True, blank=True)
    decision_maker = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCREENING)
    review_date = models.DateField(null=True, blank=True)
    # Screening: is a full assessment needed? None until answered.
    full_assessment_needed = models.BooleanField(null=True, blank=True)
    screening_reason = models.TextField(blank=True)
    screened_on = models.DateField(null=True, blank=True)
    consultation = models.TextField(blank=True)
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True)
    justification = models.TextField(blank=True)
    # The Public Sector Equality Duty's three aims (Equality Act 2010, section 149(1)).
    aim_discrimination = models.TextField(blank=True)
    aim_opportunity = models.TextField(blank=True)
    aim_relations = models.TextField(blank=True)
    # Workforce in scope: {canonical column: [values]} and/or keyed hashes of uploaded ids.
    scope_filter = models.JSONField(default=dict, blank=True)
    scope_keys = models.JSONField(default=list, blank=True)
    # Keyed hashes of the people proposed for redundancy or in a selection pool.
    affected_keys = models.JSONField(default=list, blank=True)
    # The monitored services the proposal changes: their users' profile against residents is
    # the evidence a service change needs (issue 19), as the workforce in scope is a
    # restructure's. The form offers only the organisation's own services.
    affected_services = models.ManyToManyField(
        "service_users.Service", blank=True, related_name="eqias"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "ref"], name="unique_eqia_ref")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    @property
    def tag_class(self) -> str:
        return self.TAG_CLASSES.get(self.status, "govuk-tag--grey")

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def has_workforce_scope(self) -> bool:
        return bool(self.scope_filter or self.scope_keys)

    def is_review_overdue(self, on: date) -> bool:
        return (
            self.status == self.Status.SIGNED_OFF
            and self.review_date is not None
            and self.review_date < on
        )

    def clean(self) -> None:
        errors = {}
        if self.conclusion == Conclusion.CONTINUE and not self.justification.strip():
            errors["justification"] = (
                "Give the justification for continuing despite the impact on equality"
            )
        if self.decision_date and self.review_date and self.review_date < self.decision_date:
            errors["review_date"] = "The review date must be on or after the decision date"
        if errors:
            raise ValidationError(errors)

    # --- transitions: the only writers of `status` -----------------------------------------

    def _move(self, to: str) -> None:
        if to not in self.TRANSITIONS[self.status]:
            raise IllegalTransition(
                f"An assessment at “{self.get_status_display()}” cannot move to "
                f"“{self.Status(to).label}”"
            )
        self.status = to

    def record_screening(self, needed: bool, reason: str, on: date) -> None:
        if self.status not in (self.Status.SCREENING, self.Status.UNDER_REVIEW):
            raise IllegalTransition("The screening can be changed only while screening")
        if not reason.strip():
            raise IllegalTransition("Give the reason for the screening decision")
        self.full_assessment_needed = needed
        self.screening_reason = reason
        self.screened_on = self.screened_on or on

    def start_full_assessment(self) -> None:
        if self.status == self.Status.SCREENING and self.full_assessment_needed is not True:
            raise IllegalTransition("The screening must find a full assessment is needed first")
        self._move(self.Status.FULL)

    def start_consultation(self) -> None:
        self._move(self.Status.CONSULTATION)

    def end_consultation(self) -> None:
        if self.status != self.Status.CONSULTATION:
            raise IllegalTransition("The assessment is not in consultation")
        self._move(self.Status.FULL)

    def submission_problems(self) -> list[str]:
        """What must be answered before sign-off, every problem at once."""
        problems = []
        if self.full_assessment_needed is None:
            problems.append("Answer the screening question")
        if self.full_assessment_needed:
            if self.status == self.Status.SCREENING:
                problems.append("Complete the full assessment: the screening says it is needed")
            if not self.conclusion:
                problems.append("Choose the overall conclusion")
            if self.conclusion == Conclusion.CONTINUE and not self.justification.strip():
                problems.append("Give the justification for continuing despite the impact")
            for label, value in (
                ("eliminating discrimination", self.aim_discrimination),
                ("advancing equality of opportunity", self.aim_opportunity),
                ("fostering good relations", self.aim_relations),
            ):
                if not value.strip():
                    problems.append(f"Answer the equality duty's aim of {label}")
        return problems

    def submit_for_sign_off(self, user, at=None) -> None:
        problems = self.submission_problems()
        if problems:
            raise IllegalTransition("; ".join(problems))
        self._move(self.Status.AWAITING_SIGN_OFF)
        self.submitted_by = user
        self.submitted_at = at or timezone.now()

    def sign_off(self, user, at=None) -> None:
        if self.status != self.Status.AWAITING_SIGN_OFF:
            raise IllegalTransition("Only an assessment awaiting sign-off can be signed off")
        if self.submitted_by_id is not None and self.submitted_by_id == user.pk:
            raise SignOffRefused(
                "You submitted this assessment for sign-off, so someone else must sign it off"
            )
        self._move(self.Status.SIGNED_OFF)
        self.signed_off_by = user
        self.signed_off_at = at or timezone.now()

    def return_for_changes(self) -> None:
        if self.status != self.Status.AWAITING_SIGN_OFF:
            raise IllegalTransition("Only an assessment awaiting sign-off can be returned")
        self._move(self.Status.FULL if self.full_assessment_needed else self.Status.SCREENING)
        self.submitted_by = None
        self.submitted_at = None

    def start_review(self) -> None:
        self._move(self.Status.UNDER_REVIEW)
        self.signed_off_by = None
        self.signed_off_at = None

    def close(self) -> None:
        self._move(self.Status.CLOSED)


class CharacteristicImpact(models.Model):
    """One characteristic's answers at one stage (screening or full assessment)."""

    class Stage(models.TextChoices):
        SCREENING = "screening", "Screening"
        FULL = "full", "Full assessment"

    class Impact(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEUTRAL = "neutral", "Neutral"
        NEGATIVE = "negative", "Negative"
        UNKNOWN = "unknown", "Not known yet"

    class Size(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="characteristics"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    characteristic = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    affected = models.TextField("Who is affected", blank=True)
    evidence = models.TextField(blank=True)
    impact = models.CharField(max_length=10, choices=Impact.choices, blank=True)
    size = models.CharField(max_length=10, choices=Size.choices, blank=True)
    mitigation = models.TextField(blank=True)
    # The action a mitigation became ("create actions from mitigations"): made once only.
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["stage", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "stage", "characteristic"],
                name="one_row_per_characteristic_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.characteristic} ({self.get_stage_display()})"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence.strip())


class AdditionalCharacteristic(models.Model):
    """A characteristic the council assesses beyond the nine (care leavers …), edited by the
    EDI officer. Retired ones are kept (`active=False`) so older assessments still name them."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="eqia_characteristics"
    )
    name = models.CharField(max_length=100)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unique_additional_characteristic"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReviewReminderSent(models.Model):
    """One review-date reminder of one assessment to one account on one day (`equitable
    remind` may run more than once a day without anyone getting it twice)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    review_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "recipient", "sent_on"], name="one_eqia_reminder_per_day"
            )
        ]
