"""Forms of the lifecycle import and of the social care setting (rendered with govuk_field).

The upload is bounded exactly like a workforce extract (`workforce.forms.UploadForm`'s file
check: CSV or XLSX, size limit, not empty); XLSX workbooks are then read through the bounded
reader (`files.limits` via `metrics.reading`). Column and value matching reuse the workforce
forms.
"""

from __future__ import annotations

from django import forms

from equitable.core.forms_govuk import choice_field
from equitable.lifecycle.models import Kind
from equitable.workforce.forms import MappingForm as WorkforceMappingForm
from equitable.workforce.forms import UploadForm as WorkforceUploadForm
from equitable.workforce.forms import ValueMappingForm

__all__ = ["LifecycleMappingForm", "LifecycleUploadForm", "SocialCareForm", "ValueMappingForm"]


class LifecycleUploadForm(forms.Form):
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


class LifecycleMappingForm(WorkforceMappingForm):
    """The workforce column matching, with this kind of file's required columns and without
    the decimal separator (lifecycle files hold no money)."""

    def __init__(self, *args, required: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.REQUIRED = tuple(required)
        del self.fields["decimal_separator"]


class SocialCareForm(forms.Form):
    directorates = forms.MultipleChoiceField(
        label="Directorates of the social care workforce",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Social Care WRES return counts the staff of these directorates.",
    )
    use_default = forms.BooleanField(
        required=False,
        label="Use the default: directorates whose name contains “Adult”, “Children” or "
        "“Social care”",
    )

    def __init__(self, *args, choices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "directorates").choices = [(c, c) for c in choices]

    def chosen(self) -> list[str] | None:
        if self.cleaned_data.get("use_default"):
            return None
        return list(self.cleaned_data.get("directorates") or [])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("use_default") and not cleaned.get("directorates"):
            self.add_error("directorates", "Choose at least one directorate, or use the default")
        return cleaned
