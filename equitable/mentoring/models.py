"""Mentoring schemes: who signed up, how they were matched, how each pair is going.

What a person says for matching (band, directorate, topics, preferences) sits on
`Participant`, under a reference (`ref`) and never a name. Their name, work e-mail, the e-mails
of their line management chain and any characteristics they chose to give sit apart, sealed in
`PersonalDetails` (the incident keys, AES-256-GCM, bound to the participant's id): only the
scheme's coordinators open it, every opening is audited, and it is deleted when the person
leaves the scheme or their retention period ends (`equitable mentoring-purge`). No figure reads
it: the Standard's evidence counts participants and pairs only.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_ref() -> str:
    return "P-" + secrets.token_hex(4).upper()


class Scheme(models.Model):
    class Kind(models.TextChoices):
        MENTORING = "mentoring", "Mentoring"
        REVERSE = "reverse", "Reverse mentoring"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="mentoring_schemes"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MENTORING)
    description = models.TextField(blank=True)
    # The open sign-up link's secret: whoever has the link can sign up, nobody can guess it.
    signup_token = models.CharField(max_length=64, unique=True, default=new_token)
    open_for_signup = models.BooleanField(default=True)
    # Schemes that opt in share one pool with every other opted-in scheme of the same kind.
    shared_pool = models.BooleanField(
        "Share the pool with other councils",
        default=False,
        help_text="Mentees may be matched with mentors of other councils that share, and the "
        "other way round. Other councils see your people only as anonymous entries until a "
        "pair is confirmed.",
    )
    retention_days = models.PositiveIntegerField(
        "Days to keep names after a person's last pair ends",
        default=365,
        help_text="Names and e-mails are deleted at once when a person leaves the scheme.",
    )
    weights = models.JSONField(default=dict, blank=True)
    band_order = models.JSONField(default=list, blank=True)
    last_matched_at = models.DateTimeField(null=True, blank=True)
    optimum_total = models.FloatField(null=True, blank=True)
    greedy_total = models.FloatField(null=True, blank=True)
    greedy_pairs = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def reverse(self) -> bool:
        return self.kind == self.Kind.REVERSE

    def pool_schemes(self) -> models.QuerySet[Scheme]:
        """The schemes whose people this scheme's mentees may be matched with."""
        if not self.shared_pool:
            return Scheme.objects.filter(pk=self.pk)
        return Scheme.objects.filter(
            models.Q(pk=self.pk) | models.Q(shared_pool=True, kind=self.kind)
        )


class Participant(models.Model):
    class Role(models.TextChoices):
        MENTEE = "mentee", "Mentee"
        MENTOR = "mentor", "Mentor"

    class Background(models.TextChoices):
        ANY = "any", "No preference"
        SAME = "same", "Someone of the same background"
        DIFFERENT = "different", "Someone of a different background"

    class OtherDirectorate(models.TextChoices):
        ANY = "any", "No preference"
        YES = "yes", "Someone from another directorate"
        NO = "no", "Someone from my own directorate"

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="mentoring_participants"
    )
    ref = models.CharField(max_length=12, unique=True, default=new_ref)
    role = models.CharField(max_length=10, choices=Role.choices)
    pay_band = models.CharField(max_length=20)
    directorate = models.CharField(max_length=100)
    capacity = models.PositiveSmallIntegerField(default=1)
    offers = models.JSONField(default=list, blank=True)
    seeks = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    background_preference = models.CharField(
        max_length=10, choices=Background.choices, default=Background.ANY
    )
    other_directorate = models.CharField(
        max_length=5, choices=OtherDirectorate.choices, default=OtherDirectorate.ANY
    )
    gave_characteristics = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("role", "ref")

    def __str__(self) -> str:
        return self.ref

    @property
    def active(self) -> bool:
        return self.left_at is None


class PersonalDetails(models.Model):
    """Name, work e-mail, line chain e-mails and chosen characteristics, sealed (see the
    module docstring); `purge_after` is set when the person's last pair ends."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="personal"
    )
    ciphertext = models.BinaryField()
    purge_after = models.DateField(null=True, blank=True)


class Pair(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        COMPLETED = "completed", "Completed as planned"
        NO_TIME = "no time", "Not enough time"
        NOT_A_GOOD_FIT = "not a good fit", "Not a good fit"
        LEFT = "left the council", "One of them left the council"
        OTHER = "other", "Other"

    TAG_CLASSES = {
        Status.PROPOSED: "govuk-tag--yellow",
        Status.CONFIRMED: "govuk-tag--green",
        Status.ENDED: "govuk-tag--grey",
    }

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="pairs")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="mentoring_pairs"
    )
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="as_mentee")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="as_mentor")
    score = models.FloatField()
    explanation = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    ended_early = models.BooleanField(default=False)

    class Meta:
        ordering = ("mentee__ref",)

    def __str__(self) -> str:
        return f"{self.mentee.ref} with {self.mentor.ref}"

    @property
    def tag_class(self) -> str:
        return self.TAG_CLASSES[self.Status(self.status)]

    def confirm(self) -> None:
        if self.status != self.Status.PROPOSED:
            raise ValueError("only a proposed pair can be confirmed")
        self.status = self.Status.CONFIRMED
        self.confirmed_at = timezone.now()
        self.save(update_fields=["status", "confirmed_at"])

    def end(self, reason: str, *, early: bool) -> None:
        if self.status != self.Status.CONFIRMED:
            raise ValueError("only a confirmed pair can end")
        self.status = self.Status.ENDED
        self.ended_at = timezone.now()
        self.end_reason = reason
        self.ended_early = early
        self.save(update_fields=["status", "ended_at", "end_reason", "ended_early"])
        keep_until = (self.ended_at + timedelta(days=self.scheme.retention_days)).date()
        PersonalDetails.objects.filter(participant__in=[self.mentee, self.mentor]).update(
            purge_after=keep_until
        )


class CheckIn(models.Model):
    """A check-in point of a confirmed pair: how it is going, in a few words."""

    class Rating(models.IntegerChoices):
        POOR = 1, "Not working"
        FAIR = 2, "Some value"
        GOOD = 3, "Going well"
        GREAT = 4, "Going very well"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="check_ins")
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="mentoring_check_ins"
    )
    on = models.DateField(default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    meetings = models.PositiveSmallIntegerField("Meetings so far", default=0)
    note = models.CharField(
        max_length=500, blank=True, help_text="What the pair said, without personal details"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ("-on", "-id")
