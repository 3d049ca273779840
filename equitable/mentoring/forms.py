"""Forms of the mentoring schemes (rendered with the govuk_field macro)."""

from __future__ import annotations

from django import forms
from django.core.validators import validate_email

from equitable.mentoring.models import CheckIn, Pair, Participant, Scheme
from equitable.mentoring.services import SignUp
from equitable.metrics.mentoring.scoring import COMPONENT_LABELS, MAX_WEIGHT, Weights
from equitable.metrics.mentoring.synthetic import SLOTS, TOPICS
from equitable.metrics.schema import ETHNIC_GROUP_FULL_NAMES

SLOT_LABELS = {
    "mon-am": "Monday morning",
    "mon-pm": "Monday afternoon",
    "tue-am": "Tuesday morning",
    "tue-pm": "Tuesday afternoon",
    "wed-am": "Wednesday morning",
    "wed-pm": "Wednesday afternoon",
    "thu-am": "Thursday morning",
    "thu-pm": "Thursday afternoon",
    "fri-am": "Friday morning",
}
TOPIC_CHOICES = [(t, t.capitalize()) for t in TOPICS]
NOT_GIVEN = [("", "I would rather not say")]
MAX_CHAIN = 6


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "kind", "description", "open_for_signup", "shared_pool", "retention_days"]
        widgets = {"kind": forms.RadioSelect}

    def clean_retention_days(self):
        days = self.cleaned_data["retention_days"]
        if not 30 <= days <= 3 * 365:
            raise forms.ValidationError("Keep names for between 30 and 1,095 days")
        return days


class SignUpForm(forms.Form):
    """What a person gives to join. Characteristics are asked only after an explicit choice
    to give them, and each may be left as "rather not say"."""

    name = forms.CharField(
        label="Your name", max_length=150, error_messages={"required": "Enter your name"}
    )
    email = forms.EmailField(
        label="Your work e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your work e-mail address",
            "invalid": "Enter an e-mail address like name@council.gov.uk",
        },
    )
    role = forms.ChoiceField(
        label="Do you want to be a mentor or a mentee?",
        choices=[(Participant.Role.MENTEE, "Mentee"), (Participant.Role.MENTOR, "Mentor")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose mentor or mentee"},
    )
    pay_band = forms.ChoiceField(
        label="Your pay band", error_messages={"required": "Choose your pay band"}
    )
    directorate = forms.ChoiceField(
        label="Your directorate", error_messages={"required": "Choose your directorate"}
    )
    capacity = forms.IntegerField(
        label="Mentors: how many mentees could you take?",
        min_value=1,
        max_value=5,
        initial=1,
        required=False,
    )
    offers = forms.MultipleChoiceField(
        label="Mentors: what can you offer?",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    seeks = forms.MultipleChoiceField(
        label="Mentees: what would you like help with?",
        choices=TOPIC_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label="When could you usually meet?",
        choices=[(s, SLOT_LABELS[s]) for s in SLOTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    background_preference = forms.ChoiceField(
        label="Would you prefer someone of the same or a different background?",
        choices=Participant.Background.choices,
        widget=forms.RadioSelect,
        initial=Participant.Background.ANY,
        error_messages={"required": "Choose a background preference, or no preference"},
    )
    other_directorate = forms.ChoiceField(
        label="Would you prefer someone from another directorate?",
        choices=Participant.OtherDirectorate.choices,
        widget=forms.RadioSelect,
        initial=Participant.OtherDirectorate.ANY,
        error_messages={"required": "Choose a directorate preference, or no preference"},
    )
    chain_emails = forms.CharField(
        label="Work e-mail addresses of your line manager and their managers (optional)",
        help_text="One a line. You will never be paired with anyone in your line management chain.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    use_characteristics = forms.BooleanField(
        label="I choose to give some of my characteristics, to be used only in matching",
        help_text="Only the scheme's coordinators could see them. They are never used for any "
        "figure, and are deleted with your name.",
        required=False,
    )
    ethnic_group = forms.ChoiceField(
        label="Ethnic group",
        choices=NOT_GIVEN + [(g, full) for g, full in ETHNIC_GROUP_FULL_NAMES.items()],
        required=False,
    )
    sex = forms.ChoiceField(
        label="Sex", choices=NOT_GIVEN + [("female", "Female"), ("male", "Male")], required=False
    )
    disability = forms.ChoiceField(
        label="Disability",
        choices=NOT_GIVEN + [("disabled", "Disabled"), ("not disabled", "Not disabled")],
        required=False,
    )
    consent = forms.BooleanField(
        label="I agree that my name and work e-mail are kept to introduce me to my match",
        help_text="They are deleted when you leave the scheme, or after the scheme's retention "
        "period once your mentoring ends.",
        error_messages={"required": "Agree to your name and e-mail being kept, to join"},
    )

    def __init__(self, *args, bands=(), directorates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pay_band"].choices = [("", "Choose your pay band")] + [  # type: ignore[attr-defined]
            (b, f"Band {b}" if b.isdigit() else b) for b in bands
        ]
        self.fields["directorate"].choices = [("", "Choose your directorate")] + [  # type: ignore[attr-defined]
            (d, d) for d in directorates
        ]

    def clean_chain_emails(self):
        lines = [line.strip() for line in self.cleaned_data["chain_emails"].splitlines()]
        emails = [line for line in lines if line]
        if len(emails) > MAX_CHAIN:
            raise forms.ValidationError(f"Give at most {MAX_CHAIN} e-mail addresses")
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{email[:60]}” is not an e-mail address: give one address a line"
                ) from None
        return emails

    def clean(self):
        data = super().clean()
        if data.get("role") == Participant.Role.MENTOR:
            if not data.get("capacity"):
                self.add_error("capacity", "Say how many mentees you could take (1 to 5)")
            if not data.get("offers"):
                self.add_error("offers", "Choose at least one thing you can offer")
        if data.get("role") == Participant.Role.MENTEE and not data.get("seeks"):
            self.add_error("seeks", "Choose at least one thing you would like help with")
        return data

    def answers(self) -> SignUp:
        data = self.cleaned_data
        chosen = data.get("use_characteristics")
        return SignUp(
            role=data["role"],
            pay_band=data["pay_band"],
            directorate=data["directorate"],
            capacity=data.get("capacity") or 1,
            offers=list(data.get("offers") or []),
            seeks=list(data.get("seeks") or []),
            availability=list(data.get("availability") or []),
            background_preference=data["background_preference"],
            other_directorate=data["other_directorate"],
            name=data["name"].strip(),
            email=data["email"],
            chain_emails=data["chain_emails"],
            characteristics={c: data.get(c, "") for c in ("ethnic_group", "sex", "disability")}
            if chosen
            else {},
        )


class WeightsForm(forms.Form):
    """How much each part of the score counts (0 leaves it out)."""

    def __init__(self, *args, weights: Weights | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = (weights or Weights()).as_dict()
        for name, label in COMPONENT_LABELS.items():
            self.fields[name] = forms.FloatField(
                label=label,
                min_value=0,
                max_value=MAX_WEIGHT,
                initial=f"{current[name]:g}",
                error_messages={
                    key: f"Give a weight from 0 to {MAX_WEIGHT:g} for “{label.lower()}”"
                    for key in ("required", "invalid", "min_value", "max_value")
                },
                widget=forms.NumberInput(attrs={"step": "0.5"}),
            )

    def weights(self) -> Weights:
        return Weights(**{name: self.cleaned_data[name] for name in COMPONENT_LABELS})


class ChangeMentorForm(forms.Form):
    mentor = forms.ChoiceField(label="Choose another mentor")

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [("", "Choose a mentor")] + [  # type: ignore[attr-defined]
            (str(o["mentor"].pk), f"{o['mentor'].ref}: score {o['score']:.2f}")
            for o in options
            if o["has_place"] and not o["current"]
        ]


class EndPairForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the pair ending?", choices=Pair.EndReason.choices, widget=forms.RadioSelect
    )

    def early(self) -> bool:
        return self.cleaned_data["reason"] != Pair.EndReason.COMPLETED


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["rating", "meetings", "note"]
        widgets = {"rating": forms.RadioSelect}

    def clean_meetings(self):
        meetings = self.cleaned_data["meetings"]
        if meetings > 200:
            raise forms.ValidationError("Give the number of meetings so far (at most 200)")
        return meetings
