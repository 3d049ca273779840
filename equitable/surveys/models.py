"""Staff surveys: waves, their encrypted responses, questions, the question bank, indices.

What is stored and why:
* A `Survey` is one wave (the 2020 Race Survey, a pulse survey). It keeps the month fieldwork
  closed, never a respondent's time; its `threshold` (the minimum reporting group) is fixed
  when it is imported, so nobody can lower it afterwards to expose people (Glint's rule).
* `SurveyResponses` holds the validated respondent rows as one Parquet blob encrypted with the
  incident keys (AES-256-GCM, `incidents.crypto`), shuffled, with no respondent id, no time and
  nothing linking to an employee id. Nobody sees rows one by one: every figure is protected.
* A pending `SurveyUpload` holds the raw export encrypted until it is mapped (an export may hold
  IP addresses and e-mails; they are dropped on read and never stored decrypted); its file name
  is not kept (tools put the download time in it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SurveyKind(models.TextChoices):
    RACE = "race", "Race survey"
    PULSE = "pulse", "Pulse survey"
    ANNUAL = "annual", "Annual staff survey"
    OTHER = "other", "Other survey"


class Survey(models.Model):
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=SurveyKind.choices, default=SurveyKind.OTHER)
    # The first day of the month fieldwork closed (month precision only).
    fieldwork_month = models.DateField()
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="followed_by"
    )
    invited = models.PositiveIntegerField(null=True, blank=True)
    respondent_count = models.PositiveIntegerField(default=0)
    threshold = models.PositiveSmallIntegerField(default=10)
    show_comments = models.BooleanField(default=True)
    tool = models.CharField(max_length=30, blank=True)
    # Changes whenever the responses or questions change (keys the stored figures).
    data_version = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-fieldwork_month", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyResponses(models.Model):
    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="responses")
    ciphertext = models.BinaryField()


class QuestionBankItem(models.Model):
    """One question as the organisation asks it across waves (wording may change a little)."""

    class Indicator(models.TextChoices):
        NONE = "", "No indicator"
        WRES_5 = "wres5", "WRES 5: harassment, bullying or abuse from the public"
        WRES_6 = "wres6", "WRES 6: harassment, bullying or abuse from staff"
        WRES_7 = "wres7", "WRES 7: equal opportunities for career progression"
        WRES_8 = "wres8", "WRES 8: discrimination from a manager or colleague"
        SCWRES_6 = "scwres6", "Social Care WRES 6: harassment, bullying or abuse from the public"
        SCWRES_7 = (
            "scwres7",
            "Social Care WRES 7: harassment, bullying or abuse from colleagues or managers",
        )

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="survey_bank"
    )
    code = models.SlugField(max_length=60)
    text = models.TextField()
    theme = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=20)
    indicator = models.CharField(
        max_length=10, choices=Indicator.choices, blank=True, default=Indicator.NONE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="survey_bank_code")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyQuestion(models.Model):
    """A question of one wave. `code` names its column in the responses."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=60)
    position = models.PositiveIntegerField(default=0)
    text = models.TextField()
    kind = models.CharField(max_length=20)
    theme = models.CharField(max_length=100, blank=True)
    scale = models.JSONField(null=True, blank=True)
    options = models.JSONField(default=list, blank=True)
    bank_item = models.ForeignKey(
        QuestionBankItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="asked"
    )
    # A suggested link (similar wording) waits for the officer to confirm it.
    link_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_question_code")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyIndex(models.Model):
    """An index the officer defines as the mean of several items (psychological safety)."""

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="survey_indices"
    )
    name = models.CharField(max_length=120)
    items = models.ManyToManyField(QuestionBankItem, related_name="indices")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SurveyMappingMemory(models.Model):
    """The organisation's last mapping of each column header, so the next wave maps in one
    step: {column key: ColumnMapping JSON}."""

    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="survey_mapping_memory"
    )
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)


class SurveySettings(models.Model):
    organisation = models.OneToOneField(
        "core.Organisation", on_delete=models.CASCADE, related_name="survey_settings"
    )
    # The minimum reporting group for new waves (never below 5).
    threshold = models.PositiveSmallIntegerField(default=10)
    updated_at = models.DateTimeField(auto_now=True)


class SurveyUpload(models.Model):
    """An export waiting to be mapped and imported."""

    class Status(models.TextChoices):
        MAPPING = "mapping", "Waiting for the mapping"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Could not be imported"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="survey_uploads"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MAPPING)
    tool = models.CharField(max_length=30, blank=True)
    # The raw export, encrypted; emptied once imported, failed or cancelled.
    ciphertext = models.BinaryField(null=True, blank=True)
    # The survey's details as typed on the upload form.
    details = models.JSONField(default=dict)
    mapping = models.JSONField(null=True, blank=True)
    problems = models.JSONField(default=list)
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]


class StoredSurveyFigures(models.Model):
    """Protected survey tables kept between requests and processes (only protected figures:
    nobody sees exact survey counts)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="stored_figures")
    key = models.CharField(max_length=64, unique=True)
    tables = models.JSONField(default=dict)
    stored_at = models.DateTimeField(auto_now_add=True)
