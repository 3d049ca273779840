"""Forms of the reporting channel and of case handling."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from django import forms

from equitable.core.forms_govuk import choice_field
from equitable.core.models import Directorate, Organisation, User
from equitable.core.roles import CASE_HANDLER_ROLES
from equitable.incidents import attachments as files
from equitable.incidents.models import (
    Characteristic,
    IncidentSettings,
    IncidentType,
    Outcome,
    ReportedElsewhere,
    Severity,
    Status,
    SupportContact,
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
        choice_field(self, "directorate").choices = [("", "I would rather not say")] + [
            (str(d.pk), d.name) for d in Directorate.objects.filter(organisation=organisation)
        ]
        choice_field(self, "happened_month").choices = month_choices(today)

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
        choice_field(self, "handler").choices = [("", "Nobody yet")] + [
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


class TargetsForm(forms.ModelForm):
    """The organisation's response targets (metrics/response_times.py compares against them)."""

    class Meta:
        model = IncidentSettings
        fields = ["first_response_working_days", "close_days"]
        labels = {
            "first_response_working_days": "First response within (working days)",
            "close_days": "Close the case within (calendar days)",
        }
        help_texts = {
            "first_response_working_days": "From the week a report is received to the team's "
            "first reply or acknowledgement. For example 5",
            "close_days": "From the week a report is received to closing it. For example 60",
        }
        error_messages = {
            "first_response_working_days": {
                "required": "Enter the first-response target in working days",
                "invalid": "Enter the first-response target as a whole number of working days",
            },
            "close_days": {
                "required": "Enter the closing target in days",
                "invalid": "Enter the closing target as a whole number of days",
            },
        }

    def clean_first_response_working_days(self):
        value = self.cleaned_data["first_response_working_days"]
        if not 1 <= value <= 30:
            raise forms.ValidationError("Enter a first-response target from 1 to 30 working days")
        return value

    def clean_close_days(self):
        value = self.cleaned_data["close_days"]
        if not 1 <= value <= 365:
            raise forms.ValidationError("Enter a closing target from 1 to 365 days")
        return value


_PHONE = re.compile(r"^[0-9 +()\-]{3,40}$")


class SupportContactForm(forms.ModelForm):
    """A support service signposted to reporters. Only https addresses on a real host: the link
    is shown on the anonymous channel, so no javascript:, data: or plain-http links."""

    url = forms.URLField(
        label="Web address (optional)",
        help_text="Starting https://",
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address starting https://, for example https://example.org"
        },
    )

    class Meta:
        model = SupportContact
        fields = ["kind", "name", "description", "phone", "url"]
        labels = {
            "kind": "Kind of support",
            "name": "Name of the service",
            "description": "What it offers (optional)",
            "phone": "Phone number (optional)",
        }
        help_texts = {
            "name": "For example Employee Assistance Programme (Health Assured)",
            "description": "For example Free, confidential counselling, 24 hours a day",
            "phone": "For example 0800 030 5182",
        }
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Choose the kind of support"},
            "name": {"required": "Enter the name of the service"},
        }

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not _PHONE.match(phone):
            raise forms.ValidationError(
                "Enter a phone number using digits, spaces, +, brackets or hyphens"
            )
        return phone

    def clean_url(self):
        url = self.cleaned_data["url"].strip()
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https" or not parts.hostname:
                raise forms.ValidationError(
                    "Enter a web address starting https://, for example https://example.org"
                )
        return url

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("phone") or data.get("url")):
            self.add_error("phone", "Enter a phone number or a web address, so people can reach it")
        return data
