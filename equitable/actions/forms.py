"""Forms of the action-plan app (rendered with the govuk_field macro)."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

from django import forms

from equitable.actions import survey_measures
from equitable.actions.models import Action, MeasureValue, ProgressUpdate, Recommendation
from equitable.core.forms_govuk import model_choice_field

DATE_HINT = "For example 2025-03-31"
DATE_ERRORS = {"invalid": "Enter a real date, for example 2025-03-31"}
EVIDENCE_TYPES = {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".csv", ".txt", ".png", ".jpg"}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class ActionForm(forms.ModelForm):
    """What the action is, who owns it and when it is due. Its status is not here: it changes
    only through a progress update (`ProgressUpdateForm`), so every change has an author, a
    date and a note in the action's history."""

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        from equitable.core.models import User

        owner = self.fields["owner_user"]
        owner.queryset = User.objects.filter(organisation=organisation, is_active=True).order_by(
            "username"
        )
        owner.label_from_instance = lambda user: f"{user.get_username()} ({user.role_label})"
        owner.empty_label = "No reminders"

    class Meta:
        model = Action
        fields = [
            "text",
            "owner",
            "owner_user",
            "strategic_lead",
            "operational_lead",
            "start",
            "due",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "owner": "Owner (team or role)",
            "owner_user": "Send reminders to (optional)",
            "start": "Start date (optional)",
            "due": "Due date (optional)",
        }
        help_texts = {
            "owner_user": "The account that is e-mailed when the action is due within 14 days "
            "and when it is overdue",
            "start": DATE_HINT,
            "due": DATE_HINT,
        }
        error_messages = {
            "text": {"required": "Enter the action"},
            "start": DATE_ERRORS,
            "due": DATE_ERRORS,
        }


class ProgressUpdateForm(forms.ModelForm):
    """One submit: the action's status as of the update's date and what has happened (the
    note), with optional evidence. Also the form of a correction, pre-filled from the update
    it corrects."""

    status = forms.ChoiceField(
        label="Status",
        choices=Action.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the action"},
    )
    link = forms.URLField(
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )

    class Meta:
        model = ProgressUpdate
        fields = ["status", "on", "note", "link", "file"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
        labels = {
            "on": "Date of the update",
            "note": "What has happened",
            "file": "Evidence file (optional)",
        }
        help_texts = {
            "on": DATE_HINT,
            "note": "For a dropped action, say why it was dropped",
            "file": "PDF, Word, Excel, PowerPoint, CSV, text or an image, up to 10 MB",
        }
        error_messages = {
            "on": {"required": "Enter the date of the update", **DATE_ERRORS},
            "note": {"required": "Say what has happened"},
        }

    def clean_on(self):
        on = self.cleaned_data["on"]
        problem = date_problem(on)
        if problem:
            raise forms.ValidationError(problem)
        return on

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


class WithdrawUpdateForm(forms.Form):
    reason = forms.CharField(
        label="Why is this update withdrawn?",
        help_text="For example: entered on the wrong action. The update stays in the history, "
        "marked withdrawn, with this reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the update is withdrawn"},
    )


class RecommendationForm(forms.ModelForm):
    """A recommendation of the register and the actions that deliver it (any of the
    organisation's actions, by reference)."""

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        actions = self.fields["actions"]
        actions.queryset = Action.objects.filter(
            objective__theme__plan__organisation=organisation
        ).order_by("objective__theme__plan__title", "position", "id")
        actions.label_from_instance = lambda a: (
            f"{a.ref or 'Action'}: {a.text[:90]}{'…' if len(a.text) > 90 else ''}"
        )

    class Meta:
        model = Recommendation
        fields = ["ref", "theme", "text", "response", "who", "when", "status", "actions"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 5}),
            "status": forms.RadioSelect,
            "actions": forms.CheckboxSelectMultiple,
        }
        labels = {
            "ref": "Reference (optional)",
            "response": "What have we done (optional)",
            "who": "Who (owner: team or role, optional)",
            "when": "When (optional)",
            "actions": "Actions that deliver it (optional)",
        }
        help_texts = {"when": "As the review puts it, for example December 2021"}
        error_messages = {
            "theme": {"required": "Enter the theme"},
            "text": {"required": "Enter the recommendation"},
        }


class RecommendationFilterForm(forms.Form):
    """The register's filters (GET): theme, status and owner ("who"), each from the values
    the register holds."""

    theme = forms.ChoiceField(label="Theme", required=False)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Recommendation.Status.choices]
    )
    who = forms.ChoiceField(label="Owner", required=False)

    def __init__(self, *args, themes=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *((t, t) for t in themes)]
        self.fields["who"].choices = [("", "Any owner"), *((o, o) for o in owners)]


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


class TargetSettingsForm(forms.Form):
    """The parts of a target that are not its rows: the amber tolerance and an optional
    baseline (where the trajectory starts: today's value and date, say)."""

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
    baseline_on = forms.DateField(
        label="Baseline date (optional)",
        help_text=DATE_HINT,
        required=False,
        error_messages=DATE_ERRORS,
    )
    baseline_value = forms.FloatField(
        label="Baseline value (optional)",
        required=False,
        widget=forms.TextInput,
        error_messages={"invalid": "Enter a number, like 54 or 54.5"},
    )

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean(self):
        data = super().clean()
        on, value = data.get("baseline_on"), data.get("baseline_value")
        if on is not None and date_problem(on):
            self.add_error("baseline_on", date_problem(on))
        if value is not None and value_problem(value, self.unit):
            self.add_error("baseline_value", value_problem(value, self.unit))
        if on is not None and value is None and "baseline_value" not in self.errors:
            self.add_error("baseline_value", "Enter the baseline value, or clear its date")
        if value is not None and on is None and "baseline_on" not in self.errors:
            self.add_error("baseline_on", "Enter the baseline date, or clear its value")
        return data


class TargetRowForm(forms.Form):
    """One row of a target: the value to reach by a date. Both fields are optional here so
    that a blank row is simply skipped; a half-filled row is an error naming its row."""

    on = forms.DateField(label="Date", required=False, error_messages=DATE_ERRORS)
    value = forms.FloatField(
        label="Value",
        required=False,
        widget=forms.TextInput,  # GOV.UK: no type=number (it alters what people type)
        error_messages={"invalid": "Enter a number, like 50"},
    )

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    @property
    def row(self) -> int:
        return int(self.prefix.rsplit("-", 1)[-1]) + 1 if self.prefix else 1

    def clean(self):
        data = super().clean()
        on, value = data.get("on"), data.get("value")
        if on is None and value is None and not self.errors:
            data["blank"] = True
            return data
        if on is None and "on" not in self.errors:
            self.add_error("on", "Enter the date")
        if value is None and "value" not in self.errors:
            self.add_error("value", "Enter the value")
        if on is not None and date_problem(on):
            self.add_error("on", date_problem(on))
        if value is not None and value_problem(value, self.unit):
            self.add_error("value", value_problem(value, self.unit))
        return data


class BaseTargetRowFormSet(forms.BaseFormSet):
    """The rows together: at least one, each date once, in date order, all after the
    baseline. Problems are put on the row they concern so the page can name it."""

    def __init__(self, *args, unit: str = "", baseline_on: date | None = None, **kwargs):
        kwargs.setdefault("form_kwargs", {})["unit"] = unit
        super().__init__(*args, **kwargs)
        self.baseline_on = baseline_on

    def clean(self):
        # Rows with their own errors are left out of the checks across rows, so one submit
        # lists every problem.
        previous: tuple[int, date] | None = None
        seen: dict[date, int] = {}
        for form in self.forms:
            # A blank row: marked so by the row's clean, or an untouched extra row (not cleaned)
            if form.errors or form.cleaned_data.get("blank") or form.cleaned_data.get("on") is None:
                continue
            on = form.cleaned_data["on"]
            if self.baseline_on and on <= self.baseline_on:
                form.add_error(
                    "on", f"The date must be after the baseline date ({self.baseline_on:%d %b %Y})"
                )
            elif on in seen:
                form.add_error("on", f"{on:%d %b %Y} is already in row {seen[on]}")
            elif previous and on < previous[1]:
                form.add_error(
                    "on",
                    f"Put the rows in date order: this date is before row {previous[0]}'s "
                    f"({previous[1]:%d %b %Y})",
                )
            seen.setdefault(on, form.row)
            previous = (form.row, on)
        if not self.points() and not any(form.errors for form in self.forms):
            raise forms.ValidationError("Enter at least one date and value")

    def points(self) -> list[tuple[date, float]]:
        return [
            (form.cleaned_data["on"], form.cleaned_data["value"])
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and not form.cleaned_data.get("blank")
            and form.cleaned_data.get("on") is not None
            and form.cleaned_data.get("value") is not None
        ]

    def error_items(self) -> list[tuple[str, str]]:
        """(anchor id, message) for every problem, each naming its row."""
        items = [("", str(error)) for error in self.non_form_errors()]
        for form in self.forms:
            for name, errors in form.errors.items():
                anchor = form[name].id_for_label if name != "__all__" else ""
                items.extend((anchor, f"Row {form.row}: {error}") for error in errors)
        return items


TARGET_EXTRA_ROWS = 3
TargetRowFormSet = forms.formset_factory(
    TargetRowForm,
    formset=BaseTargetRowFormSet,
    extra=TARGET_EXTRA_ROWS,
    max_num=40,
    absolute_max=40,
    validate_max=True,
)


class ErrorSummary:
    """Several forms' errors (a form and a formset) in the shape the layout's error summary
    reads from `error_form`: `.errors` by anchor id, and `[anchor].id_for_label`."""

    def __init__(self, items: list[tuple[str, str]]):
        self._errors: dict[str, list[str]] = {}
        for anchor, message in items:
            self._errors.setdefault(anchor or "__all__", []).append(message)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors

    def __getitem__(self, name: str):
        from types import SimpleNamespace

        return SimpleNamespace(id_for_label=name)

    @classmethod
    def of_form(cls, form: forms.Form) -> list[tuple[str, str]]:
        return [
            (form[name].id_for_label if name != "__all__" else "", str(error))
            for name, errors in form.errors.items()
            for error in errors
        ]


class SurveySourceForm(forms.Form):
    """Compute a measure from a staff survey question: which question and whose answers."""

    item: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Survey question",
        help_text="From the question bank: every wave that asks it gives a value",
        queryset=None,
        empty_label="Choose a question",
        error_messages={
            "required": "Choose the survey question the measure takes",
            "invalid_choice": "Choose one of the questions listed",
        },
    )
    group = forms.ChoiceField(
        label="Group",
        choices=list(survey_measures.GROUP_NAMES.items()),
        error_messages={
            "required": "Choose whose answers the measure takes",
            "invalid_choice": "Choose one of the groups listed",
        },
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "item")
        field.queryset = items
        field.label_from_instance = _item_label  # type: ignore[method-assign]


def _item_label(item) -> str:
    return f"{item.text} ({item.theme})" if item.theme else item.text
