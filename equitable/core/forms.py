from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password

from equitable.core.forms_govuk import model_choice_field
from equitable.core.models import (
    API_TOKEN_LIFETIMES,
    DEFAULT_API_TOKEN_DAYS,
    Directorate,
    Organisation,
    User,
)
from equitable.core.roles import Role


class SignInForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    password = forms.CharField(label="Password", widget=forms.PasswordInput)


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "brand_colour",
            "standard_weekly_hours",
            "suppression_threshold",
            "round_counts_to_5",
            "report_retention_days",
        ]
        labels = {
            "brand_colour": "Header colour (#rrggbb)",
            "standard_weekly_hours": "Standard full-time weekly hours",
            "suppression_threshold": "Smallest count shown outside the EDI and HR teams",
            "round_counts_to_5": "Round published counts to the nearest 5",
            "report_retention_days": "Days to keep closed incident reports",
        }


class UserAccessForm(forms.Form):
    """What a user may see: e-mail, role and (for champions) directorates. Shared by adding a
    user and editing one, so both apply the same rules."""

    email = forms.EmailField(
        label="Work e-mail",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an e-mail address, like name@council.gov.uk"},
    )
    role = forms.ChoiceField(
        label="Role", choices=[(r.value, r.label) for r in Role if r != Role.COORDINATOR]
    )
    directorates = forms.ModelMultipleChoiceField(
        label="Directorates (champions only)",
        queryset=Directorate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        model_choice_field(self, "directorates").queryset = organisation.directorates.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.CHAMPION and not cleaned.get("directorates"):
            self.add_error("directorates", "Choose at least one directorate for a champion")
        return cleaned


class NewUserForm(UserAccessForm):
    # The model's own rules, checked here so that a bad name is an error on the form, not a
    # failure when the user is saved ("bad user" has a space).
    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[User.username_validator],
        help_text="Letters, numbers and @ . + - _ only, no spaces; for example jo.bloggs",
        error_messages={
            "required": "Enter a username",
            "max_length": "The username must be 150 characters or fewer",
        },
    )
    password = forms.CharField(label="Initial password", widget=forms.PasswordInput)
    field_order = ["username", "email", "role", "directorates", "password"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            try:
                validate_password(cleaned["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        error_messages={"required": "Say what the token is for, like “quarterly figures script”"},
    )
    days = forms.TypedChoiceField(
        label="How long it works",
        choices=[(days, f"{days} days") for days in API_TOKEN_LIFETIMES],
        coerce=int,
        initial=DEFAULT_API_TOKEN_DAYS,
        required=False,
        empty_value=DEFAULT_API_TOKEN_DAYS,  # type: ignore[arg-type]  # any value; stubs say str
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how long the token works from the list"},
    )
