"""Forms of the programme register: a programme, a cohort with its eligibility, ids typed
one per line, and a list file (bounded as workforce extracts are)."""

from __future__ import annotations

from django import forms

from equitable.programmes.models import Cohort, Participant, Programme
from equitable.workforce.forms import UploadForm as WorkforceUploadForm

DATE_HINT = "For example 2025-04-01"
DATE_ERRORS = {"invalid": "Enter a real date, for example 2025-04-01"}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["name", "kind", "description"]
        labels = {"name": "Name of the programme", "kind": "Kind of programme"}
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "name": {"required": "Enter the name of the programme"},
            "kind": {"required": "Choose the kind of programme"},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Programme.objects.filter(organisation=self.organisation, name__iexact=name).exists():
            raise forms.ValidationError("There is already a programme of that name")
        return name


def _listed(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class CohortForm(forms.Form):
    name = forms.CharField(
        label="Name of the cohort",
        help_text="For example 2024-25 or Cohort 2",
        max_length=120,
        error_messages={"required": "Enter the name of the cohort"},
    )
    start_date = forms.DateField(
        label="Start date",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date the cohort starts", **DATE_ERRORS},
    )
    end_date = forms.DateField(
        label="End date (optional)", help_text=DATE_HINT, required=False, error_messages=DATE_ERRORS
    )
    pay_bands = forms.CharField(
        label="Pay bands eligible (optional)",
        help_text="As the workforce extract writes them, separated by commas, for example 4, 5. "
        "Leave blank for every band.",
        required=False,
        max_length=300,
    )
    grades = forms.CharField(
        label="Grades eligible (optional)",
        help_text="Separated by commas, for example G8, G9, G10, G11. Leave blank for every grade.",
        required=False,
        max_length=300,
    )
    leadership_tiers = forms.CharField(
        label="Leadership tiers eligible (optional)",
        help_text="As the workforce extract writes them, separated by commas, for example "
        "Corporate Leadership Group. Leave blank for everyone.",
        required=False,
        max_length=300,
    )
    directorates = forms.MultipleChoiceField(
        label="Directorates eligible (optional)",
        help_text="Leave every box clear for every directorate.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.IntegerField(
        label="Places (optional)",
        required=False,
        min_value=1,
        max_value=100_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter a whole number of places, like 12",
            "min_value": "Enter at least 1 place, or leave it blank",
            "max_value": "Enter fewer than 100,000 places",
        },
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        names = programme.organisation.directorates.values_list("name", flat=True)
        choices = [(name, name) for name in names]
        self.fields["directorates"].choices = choices  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Cohort.objects.filter(programme=self.programme, name__iexact=name).exists():
            raise forms.ValidationError("This programme already has a cohort of that name")
        return name

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        return data

    def save(self) -> Cohort:
        data = self.cleaned_data
        return Cohort.objects.create(
            programme=self.programme,
            name=data["name"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            pay_bands=_listed(data.get("pay_bands") or ""),
            grades=_listed(data.get("grades") or ""),
            directorates=list(data.get("directorates") or []),
            leadership_tiers=_listed(data.get("leadership_tiers") or ""),
            places=data.get("places"),
        )


class EnterIdsForm(forms.Form):
    ids = forms.CharField(
        label="Employee ids",
        help_text="One per line, as the workforce extract writes them. No names.",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off"}),
        max_length=200_000,
        error_messages={"required": "Enter at least one employee id"},
    )
    status = forms.ChoiceField(
        label="Status of everyone entered",
        choices=Participant.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the people entered"},
    )


class ListFileForm(forms.Form):
    extract = forms.FileField(
        label="File (CSV or Excel .xlsx)",
        help_text="Columns employee_id and status (applied, selected, participant, completed "
        "or withdrawn). The file replaces the cohort's list. No names.",
        error_messages={"required": "Choose the file to upload"},
    )

    clean_extract = WorkforceUploadForm.clean_extract
