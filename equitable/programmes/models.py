"""Development programmes (mentoring, sponsorship, talent programmes …), their cohorts, and
who each cohort lists, by the employee's keyed id only.

Why keyed ids and no names: a participant's characteristics and later career come from the
workforce snapshots, linked by the same keyed hash (`workforce.services.id_hash_key`), so the
figures need nothing else about a person and nothing else is kept.
"""

from __future__ import annotations

from django.db import models

from equitable.metrics.programmes.figures import Eligibility


class Programme(models.Model):
    class Kind(models.TextChoices):
        MENTORING = "mentoring", "Mentoring"
        REVERSE_MENTORING = "reverse_mentoring", "Reverse mentoring"
        SPONSORSHIP = "sponsorship", "Sponsorship"
        TALENT = "talent", "Talent programme"
        BLACK_ON_BOARD = "black_on_board", "Black on Board"
        APPRENTICESHIP = "apprenticeship", "Apprenticeship"
        SECONDMENT = "secondment", "Secondment"
        ACTING_UP = "acting_up", "Acting up"
        PROJECT = "project", "Project opportunity"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_programme_per_name")
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """One intake of a programme. Eligibility lists left empty restrict nothing."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    pay_bands = models.JSONField(default=list, blank=True)
    grades = models.JSONField(default=list, blank=True)
    directorates = models.JSONField(default=list, blank=True)
    leadership_tiers = models.JSONField(default=list, blank=True)
    places = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="one_cohort_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.programme.name}: {self.name}"

    @property
    def organisation(self):
        return self.programme.organisation

    @property
    def eligibility(self) -> Eligibility:
        return Eligibility(
            pay_bands=tuple(self.pay_bands),
            grades=tuple(self.grades),
            directorates=tuple(self.directorates),
            leadership_tiers=tuple(self.leadership_tiers),
        )


class Participant(models.Model):
    """Someone a cohort lists, as the keyed hash of their employee id, with their status."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        SELECTED = "selected", "Selected"
        PARTICIPANT = "participant", "Taking part"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrew"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participants")
    employee_key = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "employee_key"], name="one_listing_per_cohort"
            )
        ]
