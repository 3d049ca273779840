"""Publications: the annual workforce equality report, the pay gap report and the open-data
release an organisation puts on its website, each made from one workforce snapshot.

A publication moves only by its own methods (`approve`, `return_to_draft`, `publish`,
`withdraw`), each checking the move is allowed, so nothing is published that a second person
did not approve, and nothing published changes: its figures, page, PDF and files are stored
when it is published and served as stored ever after (`save` refuses any change to them). A
correction is a new version of the same kind and snapshot, with a note saying what changed;
the earlier version stays listed. A withdrawn publication stays listed, marked withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from equitable.core import roles as R

# Who writes, approves and publishes: the EDI officer and the organisation's admin.
PUBLISHER_ROLES = frozenset({R.Role.EDI_OFFICER, R.Role.ORG_ADMIN})


class IllegalTransition(Exception):
    """A move the publication's status does not allow; the message says why."""


class ApprovalRefused(IllegalTransition):
    """Approval by the author, or by someone who may not approve."""


class Kind(models.TextChoices):
    ANNUAL_REPORT = "annual-report", "Annual workforce equality report"
    PAY_GAP = "pay-gap", "Pay gap report: sex, ethnicity and disability"
    OPEN_DATA = "open-data", "Open data release"


class Publication(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TAG_CLASSES: dict[str, str] = {
        Status.DRAFT: "govuk-tag--grey",
        Status.APPROVED: "govuk-tag--yellow",
        Status.PUBLISHED: "govuk-tag--green",
        Status.WITHDRAWN: "govuk-tag--red",
    }
    # What the public site may show: published versions, and withdrawn ones listed as such.
    PUBLIC = (Status.PUBLISHED, Status.WITHDRAWN)
    # Fields fixed once published (what readers saw must stay what it was).
    FROZEN = (
        "kind",
        "snapshot_date",
        "version",
        "title",
        "narrative",
        "correction_note",
        "tables",
        "accuracy",
        "method",
        "supplements",
        "body_html",
        "pdf",
        "published_at",
    )

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="publications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The snapshot it is made from; the date stays if the snapshot is later deleted.
    snapshot = models.ForeignKey(
        "workforce.Snapshot",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    snapshot_date = models.DateField()
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    narrative = models.TextField(blank=True)
    correction_note = models.TextField("What changed from the previous version", blank=True)
    linked_actions = models.ManyToManyField("actions.Action", blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    # Stored at approval (the released tables, as workforce.services.encode_tables writes them;
    # one sentence per table on what the protection costs; the method note) and frozen at
    # publication with the page body and the PDF.
    tables = models.JSONField(default=dict, blank=True)
    accuracy = models.JSONField(default=dict, blank=True)
    method = models.TextField(blank=True)
    # Figures other apps protect and publish themselves, kept as they were at approval: the
    # lifecycle tables of the report's year and the staff survey panel (annual report only).
    supplements = models.JSONField(default=dict, blank=True)
    body_html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["-snapshot_date", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "snapshot_date", "version"],
                name="one_publication_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            stored = Publication.objects.filter(pk=self.pk).values(*self.FROZEN, "status").first()
            if stored is not None and stored["status"] in self.PUBLIC:
                changed = [
                    name
                    for name in self.FROZEN
                    if _comparable(stored[name]) != _comparable(getattr(self, name))
                ]
                if changed:
                    raise IllegalTransition(
                        "A published publication cannot change (publish a correction as a new "
                        f"version): {', '.join(changed)}"
                    )
        super().save(*args, **kwargs)

    @property
    def tag_class(self) -> str:
        return self.TAG_CLASSES.get(self.status, "govuk-tag--grey")

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC

    @property
    def year(self) -> int:
        """The reporting year: the year of the snapshot date (31 March 2025 → 2025)."""
        return self.snapshot_date.year

    # --- transitions: the only writers of `status` ------------------------------------------

    def approve(self, user, at=None) -> None:
        """A second person approves: never the author; an EDI officer or the organisation's
        admin of the same organisation."""
        if self.status != self.Status.DRAFT:
            raise IllegalTransition("Only a draft can be approved")
        if user.role not in PUBLISHER_ROLES or user.organisation_id != self.organisation_id:
            raise ApprovalRefused(
                "Only another EDI officer or the organisation's admin can approve"
            )
        if self.created_by_id is not None and self.created_by_id == user.pk:
            raise ApprovalRefused("You wrote this publication, so someone else must approve it")
        if self.kind != Kind.OPEN_DATA and not self.narrative.strip():
            raise IllegalTransition("Write the narrative before it is approved")
        if self.version > 1 and not self.correction_note.strip():
            raise IllegalTransition("Say what changed from the previous version")
        self.status = self.Status.APPROVED
        self.approved_by = user
        self.approved_at = at or timezone.now()

    def return_to_draft(self) -> None:
        if self.status != self.Status.APPROVED:
            raise IllegalTransition("Only an approved publication can go back to draft")
        self.status = self.Status.DRAFT
        self.approved_by = None
        self.approved_at = None
        self.tables, self.accuracy, self.method, self.supplements = {}, {}, "", {}

    def publish(self, user, *, body_html: str, pdf: bytes | None, at=None) -> None:
        if self.status != self.Status.APPROVED:
            raise IllegalTransition("Only an approved publication can be published")
        if not self.tables:
            raise IllegalTransition("The approved figures are missing")
        self.status = self.Status.PUBLISHED
        self.published_by = user
        self.published_at = at or timezone.now()
        self.body_html = body_html
        self.pdf = pdf

    def withdraw(self, reason: str, at=None) -> None:
        if self.status != self.Status.PUBLISHED:
            raise IllegalTransition("Only a published publication can be withdrawn")
        if not reason.strip():
            raise IllegalTransition("Say why it is withdrawn")
        self.status = self.Status.WITHDRAWN
        self.withdrawn_at = at or timezone.now()
        self.withdrawal_reason = reason


def _comparable(value):
    return bytes(value) if isinstance(value, memoryview) else value


class PublishedFile(models.Model):
    """One download of a published publication (a CSV, its Table Schema, the JSON), stored at
    publication and served byte for byte as stored."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "name"], name="one_file_per_name")
        ]

    def __str__(self) -> str:
        return self.name
