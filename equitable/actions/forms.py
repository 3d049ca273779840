"""Forms of the action-plan app (rendered with the govuk_field macro)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from django import forms

from equitable.actions.models import Action, MeasureValue, ProgressUpdate

DATE_HINT = "For example 2025-03-31"
DATE_ERRORS = {"invalid": "Enter a real date, for example 2025-03-31"}
EVIDENCE_TYPES = {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".csv", ".txt", ".png", ".jpg"}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "text",
            "owner",
            "strategic_lead",
            "operational_lead",
            "start",
            "due",
            "status",
            "dropped_reason",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "dropped_reason": forms.Textarea(attrs={"rows": 2}),
            "status": forms.RadioSelect,
        }
        labels = {
            "owner": "Owner (team or role)",
            "start": "Start date (optional)",
            "due": "Due date (optional)",
            "dropped_reason": "Why was it dropped?",
        }
        help_texts = {
            "start": DATE_HINT,
            "due": DATE_HINT,
            "dropped_reason": "Only for a dropped action",
        }
        error_messages = {
            "text": {"required": "Enter the action"},
            "start": DATE_ERRORS,
            "due": DATE_ERRORS,
        }


class ProgressUpdateForm(forms.ModelForm):
    link = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )

    class Meta:
        model = ProgressUpdate
        fields = ["on", "note", "link", "file"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
        labels = {"file": "Evidence file (optional)"}
        help_texts = {
            "on": DATE_HINT,
            "file": "PDF, Word, Excel, PowerPoint, CSV, text or an image, up to 10 MB",
        }
        error_messages = {
            "on": {"required": "Enter the date of the update", **DATE_ERRORS},
            "note": {"required": "Say what has happened"},
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if Path(upload.name).suffix.lower() not in EVIDENCE_TYPES:
            raise forms.ValidationError(
                "The file must be a PDF, Word, Excel, PowerPoint, CSV, text or image file"
            )
        if upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB")
        return upload


# Bounds on what a measure or a target can hold: a value a council could mean, a date a plan
# could name. Past them the charts, projections and board report have nothing sensible to show.
VALUE_LIMIT = 1_000_000_000
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
PERCENT_UNITS = {"%", "percent", "percentage"}
NON_NEGATIVE_UNITS = {"count", "number", "people", "staff", "ratio"}


def value_problem(value: float, unit: str = "") -> str | None:
    """Why `value` cannot be a value of a measure in `unit`, or None. A percentage may be a
    share (0 to 100) or a gap (which can be negative), so it is held to -100 to 100."""
    if not math.isfinite(value):
        return "Enter a number, like 54 or 54.5"
    if abs(value) > VALUE_LIMIT:
        return "Enter a number between -1,000,000,000 and 1,000,000,000"
    kind = unit.strip().lower()
    if kind in PERCENT_UNITS and not -100 <= value <= 100:
        return "A percentage must be between -100 and 100"
    if kind in NON_NEGATIVE_UNITS and value < 0:
        return f"A {kind} cannot be negative"
    return None


def date_problem(on: date) -> str | None:
    if not EARLIEST_DATE <= on <= LATEST_DATE:
        return f"Enter a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}"
    return None


class MeasureValueForm(forms.ModelForm):
    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_value(self):
        value = self.cleaned_data["value"]
        problem = value_problem(value, self.unit)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_on(self):
        on = self.cleaned_data["on"]
        problem = date_problem(on)
        if problem:
            raise forms.ValidationError(problem)
        return on

    class Meta:
        model = MeasureValue
        fields = ["on", "value", "note"]
        labels = {"on": "Date", "value": "Value", "note": "Note (optional)"}
        help_texts = {"on": DATE_HINT}
        error_messages = {
            "on": {"required": "Enter the date the value applies to", **DATE_ERRORS},
            "value": {"required": "Enter the value", "invalid": "Enter a number, like 54 or 54.5"},
        }


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label="Excel workbook (.xlsx)",
        help_text="The layout of the exported workbook: sheets Action plan, Recommendations and "
        "(optionally) Measures",
        error_messages={"required": "Choose the workbook to import"},
    )


class QuarterForm(forms.Form):
    quarter = forms.RegexField(
        regex=r"^[0-9]{4}Q[1-4]$",
        label="Quarter",
        help_text="For example 2025Q1 (January to March 2025)",
        error_messages={
            "required": "Enter the quarter",
            "invalid": "Enter the quarter as a year, Q and 1 to 4, like 2025Q1",
        },
    )

    def clean_quarter(self):
        from equitable.actions.services import QUARTER_YEARS

        quarter = self.cleaned_data["quarter"]
        if int(quarter[:4]) not in QUARTER_YEARS:
            raise forms.ValidationError(
                f"Enter a year from {QUARTER_YEARS.start} to {QUARTER_YEARS.stop - 1}"
            )
        return quarter


class TargetForm(forms.Form):
    """A target as lines of "date value", the way a plan states it ("50% by 2025")."""

    points = forms.CharField(
        label="Target values",
        help_text="One per line: the date, a space and the value, like 2025-12-31 50",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least one date and value"},
    )
    tolerance = forms.FloatField(
        label="Amber tolerance",
        help_text="How far behind the trajectory still counts as amber, in the measure's unit "
        "(percentage points for a %)",
        min_value=0,
        max_value=VALUE_LIMIT,
        initial=5,
        error_messages={
            "required": "Enter the tolerance, for example 5",
            "invalid": "Enter a number, like 5",
            "min_value": "The tolerance cannot be negative",
            "max_value": "Enter a tolerance below 1,000,000,000",
        },
    )

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_points(self):
        points, problems = {}, []
        for number, line in enumerate(self.cleaned_data["points"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.replace("%", " ").split()
            try:
                on = date.fromisoformat(parts[0])
                value = float(parts[1])
                if len(parts) != 2:
                    raise ValueError
            except (ValueError, IndexError):
                problems.append(f"line {number} (“{line.strip()[:40]}”)")
                continue
            problem = date_problem(on) or value_problem(value, self.unit)
            if problem:
                problems.append(f"line {number}: {problem[0].lower()}{problem[1:]}")
                continue
            if on in points:
                problems.append(f"line {number}: {on:%Y-%m-%d} is given twice")
            points[on] = value
        if problems:
            more = f"; and {len(problems) - 10:,} more lines" if len(problems) > 10 else ""
            raise forms.ValidationError(
                "Write each line as a date and a value, like 2025-12-31 50: check "
                + "; ".join(problems[:10])
                + more
            )
        if not points:
            raise forms.ValidationError("Enter at least one date and value")
        return sorted(points.items())
