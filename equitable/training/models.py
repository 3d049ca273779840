"""Training records and the recruitment panel list: one current file of each per organisation,
stored as the validated frame in one compressed Parquet blob (as lifecycle records are), with
employee ids only as the snapshots' keyed hash; and the upload waiting for confirmation.

Why the pending upload keeps the validated frame and not the file: the file holds raw employee
ids; once it is validated (on upload) only hashed ids need to wait for the person to confirm.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    RECORDS = "records", "Training records (one row per completion)"
    PANEL = "panel", "Recruitment panel members (one row per person)"


class TrainingFile(models.Model):
    """The current file of one kind: importing another of the same kind replaces it."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="training_files"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    row_count = models.PositiveIntegerField(default=0)
    source_filename = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    parquet = models.BinaryField()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="one_training_file_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.row_count} rows"


class TrainingImport(models.Model):
    """A validated upload waiting for the person to look at its preview and confirm it."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="training_imports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source_filename = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)  # counts per category and mode, date range
    parquet = models.BinaryField()

    class Meta:
        ordering = ["-created_at"]
