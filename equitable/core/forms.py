from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password

from equitable.core.models import Directorate, Organisation, User
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


class NewUserForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    email = forms.EmailField(label="Work e-mail", required=False)
    role = forms.ChoiceField(
        label="Role", choices=[(r.value, r.label) for r in Role if r != Role.COORDINATOR]
    )
    directorates = forms.ModelMultipleChoiceField(
        label="Directorates (champions only)",
        queryset=Directorate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    password = forms.CharField(label="Initial password", widget=forms.PasswordInput)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["directorates"].queryset = organisation.directorates.all()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.CHAMPION and not cleaned.get("directorates"):
            self.add_error("directorates", "Choose at least one directorate for a champion")
        if cleaned.get("password"):
            try:
                validate_password(cleaned["password"])
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="What the token is for", max_length=100)
