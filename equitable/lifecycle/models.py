"""Employee lifecycle records: one current record set per organisation and kind of file
(recruitment applications, application counts, cases, leavers, development), the columns and
values the council's files use, the import in progress, and which directorates are social care.

Like workforce snapshots, a record set is the validated frame as one compressed Parquet blob:
no names, no raw employee ids (only the keyed hashes snapshots use, so events link to staff).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    APPLICATIONS = "applications", "Recruitment applications (one row per application)"
    APPLICATION_COUNTS = "application_counts", "Recruitment counts (per stage and group)"
    CASES = "cases", "Casework (one row per case)"
    LEAVERS = "leavers", "Leavers and their reasons"
    DEVELOPMENT = "development", "Non-mandatory training and development"


class RecordSet(models.Model):
    """The current file of one kind: importing another of the same kind replaces it."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="lifecycle_record_sets"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    row_count = models.PositiveIntegerField(default=0)
    present_columns = models.JSONField(default=list)
    source_filename = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_record_set_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.row_count} rows"


class RecordFrame(models.Model):
    """The record set's rows as one Parquet (LZ4) blob, apart so listing never reads it."""

    record_set = models.OneToOneField(RecordSet, on_delete=models.CASCADE, related_name="data")
    parquet = models.BinaryField()


class RecordMapping(models.Model):
    """The council's own column names and values for one kind of file, remembered."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="lifecycle_mappings"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    columns = models.JSONField(default=dict)  # source column -> canonical column ("" left out)
    values = models.JSONField(default=dict)  # canonical column -> {source value: canonical}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_mapping_per_kind")
        ]


class LifecycleImport(models.Model):
    """One upload between the mapping pages and storing. Problems may quote cell values, so
    they and the file are cleared once the import is stored or cancelled."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        INVALID = "invalid", "Problems found"
        DONE = "done", "Stored"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="lifecycle_imports"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    upload_path = models.CharField(max_length=500, blank=True)
    source_filename = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    stage = models.CharField(max_length=200, blank=True)
    source_columns = models.JSONField(default=list)
    column_mapping = models.JSONField(default=dict)
    value_mapping = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    unmapped_values = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    record_set = models.ForeignKey(RecordSet, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]


class LifecycleSettings(models.Model):
    """Which directorates are the social care workforce (for the Social Care WRES return).

    `social_care_directorates` None: the default rule (a name containing "Adult", "Children"
    or "Social care"); a list: the EDI officer's choice.
    """

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="lifecycle_settings"
    )
    social_care_directorates = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class StoredFigures(models.Model):
    """Protected lifecycle tables kept between requests and processes.

    Protecting a family takes seconds to minutes (a linear programme per withheld cell), so the
    result is stored under the key of everything it rests on (`figures.data_version`) and
    reused by every worker until that changes; older keys of the organisation are deleted when
    a new one is stored. Holds only published (protected) figures."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="lifecycle_figures"
    )
    name = models.CharField(max_length=100)  # the family, or "wres", "scwres"
    key = models.CharField(max_length=64, unique=True)  # SHA-256 of the cache key
    tables = models.JSONField(default=dict)
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "name"])]
