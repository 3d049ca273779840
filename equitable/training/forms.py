"""The training upload, bounded exactly like a workforce extract (CSV or XLSX, size limit, not
empty; workbooks then read through the bounded reader of `files.limits`)."""

from __future__ import annotations

from django import forms

from equitable.training.models import Kind
from equitable.workforce.forms import UploadForm as WorkforceUploadForm


class TrainingUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file holds"},
    )
    extract = forms.FileField(
        label="File (CSV or Excel .xlsx)",
        help_text="Names and other direct identifiers are never stored; employee ids are "
        "stored only as the same keyed hash as workforce snapshots.",
        error_messages={"required": "Choose the file to upload"},
    )

    clean_extract = WorkforceUploadForm.clean_extract
