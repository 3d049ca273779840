"""Dated workforce snapshots, their employee-level rows, remembered mappings and benchmarks.

Employee-level rows live in the database (the one place a council backs up) and are replaced
atomically with their snapshot. They hold no names and no employee number: only a keyed hash of
the council's id (key in the data directory).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Snapshot(models.Model):
    """One HR extract as at a date: the unit of import, replacement and trends."""

    class Status(models.TextChoices):
        READY = "ready", "Ready"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="workforce_snapshots"
    )
    snapshot_date = models.DateField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    row_count = models.PositiveIntegerField(default=0)
    present_columns = models.JSONField(default=list)
    source_filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READY)

    class Meta:
        ordering = ["snapshot_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "snapshot_date"], name="unique_snapshot_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_date:%d %B %Y}"


class SnapshotFigures(models.Model):
    """A snapshot's figures, exact and protected, computed once and read by every web process.

    Protecting a snapshot's tables takes about a second, computing them a few hundred
    milliseconds, and both are the same for every reader, so they are stored once (when the
    snapshot is stored, by the warm-up job, or on first use) rather than per process. Each is
    stored with the key of what it rests on (`exact_key`, `published_key`: the snapshot's import,
    the population benchmark, the threshold and rounding); a figure under an old key is never
    read. Kept apart from `Snapshot` so that listing snapshots, which every page does, never
    reads them."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="figures")
    exact = models.JSONField(null=True, blank=True)
    exact_key = models.CharField(max_length=200, blank=True)
    published = models.JSONField(null=True, blank=True)
    published_key = models.CharField(max_length=200, blank=True)


class SnapshotFrame(models.Model):
    """The snapshot's employee-level rows: the validated frame as one Parquet (LZ4) blob.

    Columnar and compressed, written in one statement and read straight back into polars, so
    imports store over a million rows a second and dashboards load a snapshot in milliseconds
    (docs/decisions.md has the measurements against a row table). Kept apart from `Snapshot` so
    that listing snapshots never reads the blob. Holds no names, no raw ids, no date of birth.
    """

    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="data")
    parquet = models.BinaryField()
    columns = models.JSONField(default=list)


class ColumnMapping(models.Model):
    """The council's own column names and values, mapped to canonical ones, remembered."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="workforce_mapping"
    )
    columns = models.JSONField(default=dict)  # source column -> canonical column
    values = models.JSONField(default=dict)  # canonical column -> {source value: canonical}
    updated_at = models.DateTimeField(auto_now=True)


class PopulationBenchmark(models.Model):
    """Resident population shares by ethnic group, the benchmark for representation."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="population_benchmarks"
    )
    source = models.CharField(max_length=255)
    rows = models.JSONField(default=list)  # [{"ethnicity": …, "percent": …}] as the library gives
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class ImportJob(models.Model):
    """One upload on its way through mapping, validation and storing; its row is the progress.

    Problems may quote cell values, so they are cleared once the job is stored or abandoned.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        VALIDATING = "validating", "Checking"
        INVALID = "invalid", "Problems found"
        VALID = "valid", "Ready to store"
        STORING = "storing", "Storing"
        DONE = "done", "Stored"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="workforce_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    upload_path = models.CharField(max_length=500, blank=True)
    source_filename = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField(default=0)
    snapshot_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    source_columns = models.JSONField(default=list)
    column_mapping = models.JSONField(default=dict)
    value_mapping = models.JSONField(default=dict)
    problems = models.JSONField(default=list)
    problem_count = models.PositiveIntegerField(default=0)
    unmapped_values = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    present_columns = models.JSONField(default=list)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL)
    # How this file is read and what was found on the way: the decimal separator chosen,
    # whether flagged hourly rates were confirmed, where the headers are, how the values were
    # read, how many distinct values could not be placed. Never a cell's value.
    options = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def decimal_comma(self) -> bool:
        return bool(self.options.get("decimal_comma"))

    @property
    def pay_confirmed(self) -> bool:
        return bool(self.options.get("confirm_pay"))

    @property
    def confirmable_count(self) -> int:
        """Problems a person may confirm (hourly rates flagged as implausible)."""
        return sum(1 for problem in self.problems if problem.get("confirmable"))

    @property
    def busy(self) -> bool:
        return self.status in {self.Status.VALIDATING, self.Status.STORING}
