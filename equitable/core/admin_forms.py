"""Forms of the organisation admin pages: a user's details, the audit-log filter, the logo."""

from __future__ import annotations

from django import forms

from equitable.core.access import organisation_for
from equitable.core.audit_log import object_type_choices, username_choices
from equitable.core.forms import UserAccessForm
from equitable.core.forms_govuk import choice_field
from equitable.core.logos import LOGO_MAX_BYTES
from equitable.core.models import AuditEvent, Organisation, User


class EditUserForm(UserAccessForm):
    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["email"].help_text = "Needed to send a password reset link"

    @classmethod
    def for_user(cls, user: User, data=None) -> EditUserForm:
        initial = {
            "email": user.email,
            "role": user.role,
            "directorates": list(user.directorates.values_list("pk", flat=True)),
        }
        return cls(data, initial=initial, organisation=organisation_for(user))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    """Read from the query string: every field optional, a bad value an error on the form."""

    username = forms.ChoiceField(label="Who", required=False)
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *AuditEvent.Action.choices],
    )
    object_type = forms.ChoiceField(label="What", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter the first date as a real date, like 2025-03-31"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter the last date as a real date, like 2025-03-31"},
    )

    def __init__(self, data, *, organisation: Organisation):
        super().__init__(data)
        choice_field(self, "username").choices = [("", "Anyone"), *username_choices(organisation)]
        choice_field(self, "object_type").choices = [
            ("", "Anything"),
            *object_type_choices(organisation),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The last date must be the same as or after the first")
        return cleaned

    @property
    def filters(self) -> dict:
        """The filters that are valid (an invalid field is ignored, and shown as an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}

    def query_string(self) -> str:
        """The valid filters as a query string, for the next page and the CSV link."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name, value in self.filters.items():
            query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return query.urlencode()


class LogoForm(forms.Form):
    logo = forms.FileField(
        label="Logo (PNG or SVG)",
        help_text=f"At most {LOGO_MAX_BYTES // 1024} KB. It is shown 40 pixels high beside the "
        "organisation's name; a wide logo works best.",
        error_messages={"required": "Choose a PNG or SVG file"},
    )
