"""Organisations, directorates, people, API tokens and the audit log.

Why a custom user model holds one organisation and one role: councils give each officer one job
in the programme, and scoping every query by `user.organisation` is then a single filter.
The London-wide coordinator belongs to no council.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from equitable.core.roles import Role

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hex digits")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(colour: str) -> float:
    """WCAG 2.2 contrast ratio of white header text on this colour."""
    return 1.05 / (_luminance(colour) + 0.05)


def validate_header_colour(colour: str) -> None:
    hex_colour(colour)
    if contrast_with_white(colour) < 4.5:
        raise ValidationError(
            "White text on this colour has a contrast below 4.5:1 (WCAG 2.2 AA); choose a darker colour"
        )


class Organisation(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    brand_colour = models.CharField(
        max_length=7, default="#1d4f76", validators=[validate_header_colour]
    )
    standard_weekly_hours = models.DecimalField(
        max_digits=5, decimal_places=2, default=36, validators=[MinValueValidator(1)]
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(5)],
        help_text="Counts below this are suppressed in anything shown without personal-data access",
    )
    round_counts_to_5 = models.BooleanField(default=False)
    report_retention_days = models.PositiveIntegerField(
        default=365, help_text="Closed incident reports are deleted this many days after closing"
    )
    # Whether there is a logo (its bytes are in OrganisationLogo, so that loading the
    # organisation for every page's header never reads them) and when it last changed.
    logo_content_type = models.CharField(max_length=20, blank=True, editable=False)
    logo_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_content_type)

    @property
    def logo_version(self) -> str:
        """Changes whenever the logo does, so the header's URL can be cached for long."""
        return f"{self.logo_updated_at:%Y%m%d%H%M%S%f}" if self.logo_updated_at else "0"


class OrganisationLogo(models.Model):
    """The logo shown in the header beside the organisation's name.

    The bytes were cleaned by core/logos.py before they were stored (PNG re-encoded without
    metadata, SVG reduced to an allow-list of elements and attributes), so serving them is
    safe. Kept in the database rather than uploads/ so one backup holds everything shown.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="logo")
    content = models.BinaryField()
    content_type = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)


class Directorate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="directorates"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_directorate")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. We keep a username and e-mail only: no names are needed."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    directorates = models.ManyToManyField(Directorate, blank=True, related_name="champions")
    external_subject = models.CharField(
        max_length=255, blank=True, help_text="Subject claim from single sign-on, when used"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="coordinator", organisation__isnull=True)
                | (~models.Q(role="coordinator") & models.Q(organisation__isnull=False))
                | models.Q(is_superuser=True),
                name="coordinator_has_no_organisation",
            )
        ]

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    def has_role(self, roles) -> bool:
        return self.is_authenticated and self.role in roles

    @property
    def has_personal_access(self) -> bool:
        """Exact figures and small counts (EDI officer, HR analyst); everyone else reads only
        what disclosure control lets through."""
        from equitable.core.roles import PERSONAL_DATA_ROLES

        return self.is_authenticated and self.role in PERSONAL_DATA_ROLES


class FailedSignIn(models.Model):
    """Counts failed sign-ins per username, for lockout. Holds no address or device details."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)


API_TOKEN_LIFETIMES = (30, 90, 180, 365)  # days a new token may be given
DEFAULT_API_TOKEN_DAYS = 90


def default_token_expiry():
    return timezone.now() + timedelta(days=DEFAULT_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once.

    Why it expires and can be revoked: a token copied into a script outlives the reason it was
    made (a leaver's laptop, a finished analysis). It works until `expires_at` (at most a year
    after it was made) or until its owner revokes it, whichever comes first; the row stays, so
    the owner's list and the audit log still show what it was.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_token_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(
        cls, user: User, name: str, *, days: int = DEFAULT_API_TOKEN_DAYS
    ) -> tuple[ApiToken, str]:
        if days not in API_TOKEN_LIFETIMES:
            raise ValueError(f"a token lasts one of {API_TOKEN_LIFETIMES} days, not {days}")
        token = "eq_" + secrets.token_urlsafe(32)
        return cls.objects.create(
            user=user,
            name=name,
            prefix=token[3:11],
            token_hash=cls.hash(token),
            expires_at=timezone.now() + timedelta(days=days),
        ), token

    @classmethod
    def find_usable(cls, token: str) -> ApiToken | None:
        """The live token with this value (not revoked, not expired, owner active), or None."""
        return (
            cls.objects.select_related("user", "user__organisation")
            .filter(
                token_hash=cls.hash(token),
                user__is_active=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .first()
        )

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class AuditEvent(models.Model):
    """Who viewed or exported personal-level data and who changed what.

    Append-only from the application: `save` refuses updates and `delete` refuses. The detail
    never carries personal values (no ethnicity, no report text), only what was touched.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        EXPORT = "export", "Exported"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        IMPORT = "import", "Imported"
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=100, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class DocumentJob(models.Model):
    """A document someone asked for (a board report, assessment or EqIA as PDF), made by the
    job queue's workers when jobs run there (`core.documents`), so that a web process never
    spends seconds of a request on layout.

    The finished file waits here for the person who asked, and only them, for an hour
    (`documents.KEPT_FOR`), then is deleted: it holds what its page showed them."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        MAKING = "making", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="document_jobs"
    )
    requested_by = models.ForeignKey(
        "core.User", on_delete=models.CASCADE, related_name="document_jobs"
    )
    kind = models.CharField(max_length=60)
    arguments = models.JSONField(default=dict)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(max_length=300, blank=True)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.READY, self.Status.FAILED}

    def start_making(self) -> None:
        self.status = self.Status.MAKING
        self.save(update_fields=["status"])

    def make_ready(self, content: bytes, filename: str) -> None:
        self.status = self.Status.READY
        self.content = content
        self.filename = filename[:200]
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "content", "filename", "finished_at"])

    def make_failed(self, message: str) -> None:
        self.status = self.Status.FAILED
        self.message = message[:300]
        self.content = None
        self.finished_at = timezone.now()
        self.save(update_fields=["status", "message", "content", "finished_at"])
