"""Forms of the publications pages (rendered with the govuk_field macro)."""

from __future__ import annotations

from django import forms

from equitable.publications.models import Kind, Publication


class NewPublicationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to publish",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to publish"},
    )
    snapshot: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Workforce snapshot",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choose the snapshot",
            "invalid_choice": "Choose one of your organisation's snapshots",
        },
    )

    def __init__(self, *args, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["snapshot"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = snapshots
        field.label_from_instance = lambda s: f"{s.snapshot_date:%-d %B %Y}"  # type: ignore[method-assign]


class DraftForm(forms.ModelForm):
    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["linked_actions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = actions
        field.required = False
        field.label = "Actions the report links to"
        field.help_text = "The actions of the plan that answer what the figures show"
        field.label_from_instance = lambda a: f"{a.ref} {a.text[:90]}".strip()  # type: ignore[method-assign]
        field.error_messages["invalid_choice"] = "Choose actions of your organisation's plan"
        self.fields["title"].error_messages["required"] = "Enter the title"
        self.fields["narrative"].help_text = (
            "What the figures show and what the organisation is doing about them. Separate "
            "paragraphs with a blank line."
        )
        if self.instance.version == 1:
            del self.fields["correction_note"]

    class Meta:
        model = Publication
        fields = ["title", "narrative", "correction_note", "linked_actions"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 10}),
            "correction_note": forms.Textarea(attrs={"rows": 3}),
            "linked_actions": forms.CheckboxSelectMultiple,
        }


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is it withdrawn?",
        help_text="Shown on the public site beside the withdrawn publication",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Say why it is withdrawn"},
    )
