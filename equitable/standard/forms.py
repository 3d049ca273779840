"""Forms of the Standard app (rendered with the govuk_field macro)."""

from __future__ import annotations

from django import forms

from equitable.core.forms_govuk import model_choice_field
from equitable.core.models import Organisation
from equitable.standard.models import CommitmentProgress, StatementAdoption

EMPTY_START = "empty"


class StartAssessmentForm(forms.Form):
    period = forms.CharField(
        label="Period the assessment covers",
        help_text="For example 2024 to 2025",
        max_length=50,
        error_messages={"required": "Enter the period the assessment covers"},
    )
    copy_from = forms.ChoiceField(
        label="How do you want to start?",
        help_text="Copied answers and evidence are each marked for review until someone "
        "confirms them for the new period; the assessment cannot be submitted before.",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose an assessment of your organisation to copy"},
    )

    def __init__(self, *args, assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].choices = [
            (str(a.pk), f"Copy answers and evidence from {a.period}") for a in assessments
        ] + [(EMPTY_START, "Start with empty answers")]
        self.has_previous = bool(assessments)

    def source_pk(self) -> int | None:
        """The assessment to copy (already limited to the organisation's own), or None."""
        value = self.cleaned_data.get("copy_from") or EMPTY_START
        return None if value == EMPTY_START else int(value)


class StatementAdoptionForm(forms.ModelForm):
    class Meta:
        model = StatementAdoption
        fields = ["adopted_on", "adopted_by", "notes"]
        labels = {
            "adopted_on": "Date adopted",
            "adopted_by": "Adopted by",
            "notes": "Notes (optional)",
        }
        help_texts = {"adopted_on": "For example 2023-01-31"}
        error_messages = {
            "adopted_on": {
                "required": "Enter the date the Statement was adopted",
                "invalid": "Enter a real date, for example 2023-01-31",
            },
            "adopted_by": {"required": "Enter who adopted the Statement, for example Full Council"},
        }


class CommitmentProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Progress", choices=CommitmentProgress.Status.choices, widget=forms.RadioSelect
    )
    evidence = forms.CharField(
        label="Evidence", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SharingForm(forms.Form):
    share = forms.ChoiceField(
        label="Share your submitted levels with the London-wide benchmark?",
        choices=[("yes", "Yes, share our submitted levels"), ("no", "No, do not share")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to share your submitted levels"},
    )


class PairingRequestForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Borough to pair with",
        queryset=Organisation.objects.none(),
        empty_label="Choose a borough",
        error_messages={"required": "Choose a borough to pair with"},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        model_choice_field(self, "partner").queryset = Organisation.objects.exclude(
            pk=organisation.pk
        )
