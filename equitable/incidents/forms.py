"""Forms of the reporting channel and of case handling."""

from __future__ import annotations

from datetime import date

from django import forms

from equitable.core.models import Directorate, Organisation, User
from equitable.core.roles import CASE_HANDLER_ROLES
from equitable.incidents import attachments as files
from equitable.incidents.models import (
    Characteristic,
    IncidentType,
    Outcome,
    ReportedElsewhere,
    Severity,
    Status,
)
from equitable.incidents.services import NewReport


def month_choices(today: date, months: int = 24) -> list[tuple[str, str]]:
    choices = [("", "I would rather not say")]
    year, month = today.year, today.month
    for _ in range(months):
        choices.append((f"{year:04d}-{month:02d}", date(year, month, 1).strftime("%B %Y")))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return choices


class ReportForm(forms.Form):
    incident_type = forms.ChoiceField(
        label="What kind of incident was it?",
        choices=IncidentType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of incident it was"},
    )
    characteristics = forms.MultipleChoiceField(
        label="Was it about any of these? (choose all that apply)",
        choices=Characteristic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    directorate = forms.ChoiceField(label="Where did it happen? (optional)", required=False)
    happened_month = forms.ChoiceField(
        label="Roughly when did it happen? (optional)", required=False
    )
    what_happened = forms.CharField(
        label="What happened?",
        help_text="Describe what happened in your own words. You do not have to name anyone.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": "Tell us what happened"},
    )
    reported_elsewhere = forms.ChoiceField(
        label="Have you reported this anywhere else?",
        choices=ReportedElsewhere.choices,
        widget=forms.RadioSelect,
        initial=ReportedElsewhere.PREFER_NOT,
        error_messages={"required": "Say whether you have reported it elsewhere"},
    )
    desired_outcome = forms.CharField(
        label="What would you like to happen? (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    website = forms.CharField(required=False, label="Leave this empty")  # honeypot

    def __init__(self, *args, organisation: Organisation, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["directorate"].choices = [("", "I would rather not say")] + [
            (str(d.pk), d.name) for d in Directorate.objects.filter(organisation=organisation)
        ]
        self.fields["happened_month"].choices = month_choices(today)

    def answers(self) -> NewReport:
        data = self.cleaned_data
        month = data.get("happened_month")
        directorate = (
            Directorate.objects.filter(
                organisation=self.organisation, pk=data["directorate"]
            ).first()
            if data.get("directorate")
            else None
        )
        return NewReport(
            incident_type=data["incident_type"],
            characteristics=list(data.get("characteristics") or []),
            directorate=directorate,
            happened_month=date(int(month[:4]), int(month[5:7]), 1) if month else None,
            what_happened=data["what_happened"],
            reported_elsewhere=data["reported_elsewhere"],
            desired_outcome=data.get("desired_outcome") or "",
        )


class PaperReportForm(ReportForm):
    box_emptied = forms.DateField(
        label="Date the box was emptied",
        help_text="Only the week is kept. For example 2026-11-20",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def clean_uploads(uploaded) -> tuple[list[files.CleanFile], list[str]]:
    """Clean every uploaded file; return the clean files and every problem, by file number."""
    problems = files.check_batch([f.size for f in uploaded])
    cleaned = []
    for number, upload in enumerate(uploaded, start=1):
        label = f"File {number}"
        if getattr(upload, "too_large", False):
            problems.append(f"{label} is larger than {files.MAX_FILE_BYTES // (1024 * 1024)} MB")
            continue
        try:
            cleaned.append(files.clean(upload.read(), label=label))
        except files.AttachmentRejected as error:
            problems.append(str(error))
    return cleaned, problems


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label="Your receipt code",
        help_text="28 digits. Spaces and hyphens do not matter.",
        max_length=80,
        error_messages={"required": "Enter your receipt code"},
    )


class FollowUpForm(forms.Form):
    text = forms.CharField(
        label="Add information or answer a question",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": "Write your message"},
    )


class CaseForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    outcome = forms.ChoiceField(
        label="Outcome (when closed)", choices=Outcome.choices, required=False
    )
    category = forms.CharField(label="Category", max_length=100, required=False)
    severity = forms.ChoiceField(label="Severity", choices=Severity.choices, required=False)
    handler = forms.ChoiceField(label="Assigned to", required=False)
    first_response_due = forms.DateField(
        label="First response due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.handlers = User.objects.filter(
            organisation=organisation, role__in=CASE_HANDLER_ROLES, is_active=True
        )
        self.fields["handler"].choices = [("", "Nobody yet")] + [
            (str(u.pk), u.username) for u in self.handlers
        ]

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.CLOSED and not data.get("outcome"):
            self.add_error("outcome", "Choose the outcome when closing a case")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        handler = self.handlers.filter(pk=data["handler"]).first() if data.get("handler") else None
        return {
            "status": data["status"],
            "outcome": data.get("outcome") or "",
            "category": data.get("category") or "",
            "severity": data.get("severity") or "",
            "handler": handler,
            "first_response_due": data.get("first_response_due"),
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Internal note (never shown to the reporter)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Reply to the reporter", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
