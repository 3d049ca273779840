"""The services a council monitors (complaints, sign-ups, adult social care users), each with
its current extract as counts, and the borough's Census 2021 tables.

Why counts and not the rows: every figure is a count per value, and a file of one row per case
carries case references and dates nobody needs afterwards. The validated counts (service,
quarter, characteristic, value, count) are stored as one Parquet blob, like workforce
snapshots; names, addresses, e-mails and phone numbers are dropped unread at import.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Service(models.Model):
    class Kind(models.TextChoices):
        USERS = "users", "Service users"
        COMPLAINTS = "complaints", "Complaints"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="monitored_services"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.USERS)
    description = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_service_per_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def records_word(self) -> str:
        return "complaints" if self.kind == self.Kind.COMPLAINTS else "service users"


class ServiceExtract(models.Model):
    """The service's current extract: importing another replaces it (each file covers every
    quarter it has rows for)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="extract")
    shape = models.CharField(max_length=20)  # "records" or "counts"
    row_count = models.PositiveIntegerField(default=0)
    record_count = models.PositiveIntegerField(default=0)
    characteristics = models.JSONField(default=list)
    source_filename = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    parquet = models.BinaryField()


class CensusTable(models.Model):
    """One Census 2021 table of the borough (sex, age, disability, religion, sexual
    orientation); ethnic group is the workforce benchmark (TS021)."""

    class Characteristic(models.TextChoices):
        SEX = "sex", "Sex (TS008)"
        AGE = "age", "Age (TS007A)"
        DISABILITY = "disability", "Disability (TS038)"
        RELIGION = "religion", "Religion (TS030)"
        SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation (TS077)"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="census_tables"
    )
    characteristic = models.CharField(max_length=30, choices=Characteristic.choices)
    rows = models.JSONField(default=list)  # [{characteristic, value, count, percent}]
    source_filename = models.CharField(max_length=255, blank=True)
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["characteristic"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "characteristic"], name="one_census_table_per_kind"
            )
        ]


class ServiceMapping(models.Model):
    """A council's own headers and values for one kind of service file, remembered after a
    file maps cleanly, so the next quarter's file from the same system is stored in one step.

    Per kind (users or complaints) rather than per service: the same case system exports
    every service's file with the same headers."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="service_mappings"
    )
    kind = models.CharField(max_length=20, choices=Service.Kind.choices)
    columns = models.JSONField(default=dict)  # source header -> canonical column ("" not used)
    values = models.JSONField(default=dict)  # canonical column -> {source value: canonical}
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="one_service_mapping_per_kind"
            )
        ]


class ServiceImport(models.Model):
    """One upload waiting on the mapping page. The file is kept (owner-only) only while the
    import waits, and deleted when it is stored, refused or cancelled; no problem text or cell
    value is kept here."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for the mapping"
        DONE = "done", "Stored"
        REFUSED = "refused", "Refused"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="service_imports"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    upload_path = models.CharField(max_length=500, blank=True)
    source_filename = models.CharField(max_length=255)
    source_columns = models.JSONField(default=list)
    column_mapping = models.JSONField(default=dict)
    value_mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)

    class Meta:
        ordering = ["-created_at", "-id"]
