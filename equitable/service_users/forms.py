"""Forms of the service register, the extract upload and the census tables (govuk_field).

Uploads are bounded as workforce extracts are (`workforce.forms.UploadForm.clean_extract`: CSV
or XLSX, the import size limit, not empty); XLSX is then read through the bounded reader."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings

from equitable.service_users.models import CensusTable, Service
from equitable.workforce.forms import UploadForm as WorkforceUploadForm


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "kind", "description"]
        labels = {"name": "Name of the service", "kind": "What its files hold"}
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": "Enter the name of the service"},
            "kind": {"required": "Choose what the service's files hold"},
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Service.objects.filter(organisation=self.organisation, name__iexact=name).exists():
            raise forms.ValidationError("There is already a service of that name")
        return name


class ExtractForm(forms.Form):
    extract = forms.FileField(
        label="File (CSV or Excel .xlsx)",
        help_text="One row per person or case, or counts per characteristic value. Names, "
        "addresses, e-mail addresses and phone numbers are never read or stored.",
        error_messages={"required": "Choose the file to upload"},
    )

    clean_extract = WorkforceUploadForm.clean_extract


class CensusForm(forms.Form):
    characteristic = forms.ChoiceField(
        label="Census table",
        choices=CensusTable.Characteristic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which census table the file is"},
    )
    local_authority = forms.CharField(
        label="Local authority (name or code)",
        required=False,
        max_length=100,
        help_text="Needed when the file lists more than one area (a Nomis bulk file).",
    )
    table = forms.FileField(
        label="File (CSV)", error_messages={"required": "Choose the file to upload"}
    )

    def clean_table(self):
        upload = self.cleaned_data["table"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("The census table must be a CSV file")
        if upload.size > settings.EQUITABLE_MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is too large for a census table")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload
