"""Forms of the survey import, the mapping step, the bank, indices and settings."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from equitable.metrics.disclosure_control import MINIMUM_THRESHOLD
from equitable.metrics.surveys.model import CHARACTERISTICS, ROLES
from equitable.surveys.models import QuestionBankItem, SurveyKind

ROLE_LABELS = {
    "demographic": "About the respondent (a characteristic)",
    "scaled": "A scaled question (agreement, frequency, yes/no)",
    "choice": "A choice question (no favourable answer)",
    "multiple": "A multiple-choice question (one of its options)",
    "free_text": "Free text (comments)",
    "ignore": "Leave out",
}
SCALE_CHOICES = (
    ("agreement5", "Agreement, 5 points (Strongly agree … Strongly disagree)"),
    ("agreement7", "Agreement, 7 points"),
    ("frequency", "Frequency (Always … Never; Always and Often favourable)"),
    ("experience", "How often something happened (Never favourable)"),
    ("yes", "Yes or no, Yes favourable"),
    ("no", "Yes or no, No favourable (an experience of harm)"),
)


class SurveyUploadForm(forms.Form):
    title = forms.CharField(label="Name of the survey", max_length=200)
    kind = forms.ChoiceField(label="Kind of survey", choices=SurveyKind.choices)
    fieldwork_month = forms.CharField(
        label="Month fieldwork closed",
        help_text="As YYYY-MM, for example 2022-11. Only the month is kept, never a "
        "respondent's time.",
        max_length=7,
    )
    previous = forms.ChoiceField(
        label="Compare with", required=False, choices=(("", "No earlier survey"),)
    )
    export = forms.FileField(
        label="Export (CSV or Excel .xlsx)",
        help_text="One row per respondent, as Microsoft Forms, SmartSurvey, SurveyMonkey, "
        "Qualtrics or Snap export it. IP addresses, e-mails, names and times are dropped.",
    )

    def __init__(self, *args, surveys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].choices = [("", "No earlier survey")] + [
            (str(s.pk), s.title) for s in surveys
        ]

    def clean_fieldwork_month(self) -> date:
        text = self.cleaned_data["fieldwork_month"].strip()
        if not re.fullmatch(r"\d{4}-\d{2}", text):
            raise forms.ValidationError("Enter the month as YYYY-MM, for example 2022-11")
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise forms.ValidationError("Enter a real month, for example 2022-11")
        return date(year, month, 1)


class ColumnForm(forms.Form):
    """One column of the export on the mapping page."""

    role = forms.ChoiceField(
        label="What this column is", choices=[(r, ROLE_LABELS[r]) for r in ROLES]
    )
    characteristic = forms.ChoiceField(
        label="Characteristic",
        required=False,
        choices=[("", "—")] + [(c, c.replace("_", " ").capitalize()) for c in CHARACTERISTICS],
    )
    scale = forms.ChoiceField(label="Scale", required=False, choices=[("", "—"), *SCALE_CHOICES])


class SettingsForm(forms.Form):
    threshold = forms.IntegerField(
        label="Minimum reporting group for new surveys",
        min_value=MINIMUM_THRESHOLD,
        max_value=100,
        help_text=f"Groups with fewer respondents are never shown (never below "
        f"{MINIMUM_THRESHOLD}). A survey keeps the minimum it was imported with.",
    )


class IndexForm(forms.Form):
    name = forms.CharField(label="Name of the index", max_length=120)
    items = forms.ModelMultipleChoiceField(
        label="Questions",
        queryset=QuestionBankItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = QuestionBankItem.objects.filter(
            organisation=organisation, kind="scaled"
        )

    def clean_items(self):
        items = self.cleaned_data["items"]
        if len(items) < 2:
            raise forms.ValidationError("Choose at least two questions")
        return items


class IndicatorForm(forms.Form):
    indicator = forms.ChoiceField(
        label="WRES indicator this question measures",
        required=False,
        choices=QuestionBankItem.Indicator.choices,
    )
