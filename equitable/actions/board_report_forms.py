"""Forms of the board report: the quarter's key messages, and issuing (with what a corrected
version corrects). Rendered with the govuk_field macro."""

from __future__ import annotations

from django import forms

from equitable.actions import report_text
from equitable.actions.board_reports import MAX_CORRECTION


class KeyMessagesForm(forms.Form):
    key_messages = forms.CharField(
        label="Key messages for the board",
        required=False,
        strip=True,
        max_length=report_text.MAX_KEY_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=(
            "Plain text. Leave a blank line between paragraphs; start a line with - for a "
            f"bullet point. Up to {report_text.MAX_KEY_MESSAGES:,} characters and "
            f"{report_text.MAX_KEY_MESSAGE_LINES} lines."
        ),
        error_messages={
            "max_length": (
                f"Key messages must be {report_text.MAX_KEY_MESSAGES:,} characters or fewer"
            )
        },
    )

    def clean_key_messages(self) -> str:
        text = self.cleaned_data["key_messages"]
        problems = report_text.key_message_problems(text)
        if problems:
            raise forms.ValidationError(problems)
        return text


class IssueForm(forms.Form):
    """Issuing needs no input, except for a corrected version: what it corrects."""

    correction = forms.CharField(
        label="What this version corrects",
        required=False,
        strip=True,
        max_length=MAX_CORRECTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the report and in the list, for example: the March snapshot was "
        "replaced with the corrected extract.",
        error_messages={"max_length": f"Say it in {MAX_CORRECTION} characters or fewer"},
    )

    def __init__(self, *args, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        if not correcting:
            del self.fields["correction"]

    def clean_correction(self) -> str:
        text = self.cleaned_data["correction"]
        if self.correcting and not text:
            raise forms.ValidationError("Say what this version corrects")
        return text
