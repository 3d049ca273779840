"""Self-assessments against the Standard, evidence, the Anti-Racist Statement, and sharing.

Why the Standard is not in the database: it is a published document, versioned as a data file
(`data/<id>-<version>.yaml`). An assessment stores the id and version it was made against, and
responses store criterion ids, so a newer version never changes an old assessment's score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from equitable.standard import library as lib


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="assessments"
    )
    standard_id = models.CharField(max_length=50, default=lib.DEFAULT_STANDARD_ID)
    standard_version = models.CharField(max_length=30)
    period = models.CharField(max_length=50, help_text="For example 2024 to 2025")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The assessment this one was copied forward from (services.copy_forward); its answers
    # arrive marked `needs_review` until someone confirms them for the new period.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "standard_id", "period"], name="one_assessment_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} self-assessment"

    @property
    def standard(self) -> lib.Standard:
        return lib.get_standard(self.standard_id, self.standard_version)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Response(models.Model):
    """The level reached on one criterion, with its evidence, owner and next steps."""

    class Level(models.TextChoices):
        NONE = "none", "None"
        DEVELOPING = "developing", "Developing"
        ESTABLISHED = "established", "Established"
        LEADING = "leading", "Leading"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="responses")
    criterion_id = models.CharField(max_length=10)
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.NONE)
    evidence_notes = models.TextField(blank=True)
    links = models.TextField(blank=True, help_text="One web address per line")
    owner = models.CharField(max_length=200, blank=True, help_text="Team or role, not a name")
    next_steps = models.TextField(blank=True)
    suggested_level = models.CharField(max_length=12, blank=True)
    suggestion_figure = models.CharField(max_length=300, blank=True)
    overruled_reason = models.TextField(blank=True)
    # Copied forward from the previous period and not yet confirmed as still true: shown as
    # "For review" and blocks submission until confirmed (services.confirm_reviewed).
    needs_review = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion_id"], name="one_response_per_criterion"
            )
        ]

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"standard/{instance.assessment.organisation_id}/{instance.assessment_id}/{filename}"


class EvidenceFile(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence_files"
    )
    criterion_id = models.CharField(max_length=10)
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["criterion_id", "uploaded_at"]


class StatementAdoption(models.Model):
    """The organisation's public adoption of the London Local Government Anti-Racist Statement."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="statement_adoption"
    )
    adopted_on = models.DateField()
    adopted_by = models.CharField(
        max_length=200, help_text="The body or office that adopted it, e.g. Full Council"
    )
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now=True)


class CommitmentProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="commitment_progress"
    )
    commitment_id = models.CharField(max_length=30)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "commitment_id"], name="one_progress_per_commitment"
            )
        ]


class BenchmarkingConsent(models.Model):
    """An organisation's choice to share its submitted levels for London-wide benchmarking."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="benchmarking_consent"
    )
    opted_in = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Pairing(models.Model):
    """Two boroughs that see each other's submitted assessments; active only once both agree.

    `organisation` asked (and so agreed); `partner` agrees by accepting.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for the other borough"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="pairings_requested"
    )
    partner = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="pairings_received"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(organisation=models.F("partner")), name="pair_with_another"
            )
        ]

    def other(self, organisation):
        return self.partner if self.organisation_id == organisation.pk else self.organisation
