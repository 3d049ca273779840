"""Forms of the EqIA register (rendered with the govuk_field macro).

The screening and the full assessment are one small form per characteristic in a Django
formset (`ImpactFormSet`): the rows are the organisation's characteristics in order, so every
error names the characteristic it belongs to.
"""

from __future__ import annotations

from django import forms

from equitable.actions.forms import DATE_ERRORS, DATE_HINT, date_problem
from equitable.eqia.models import Assessment, CharacteristicImpact, Conclusion, ProposalType
from equitable.metrics.eqia import evidence as library

STATUS_ALL = [("", "All statuses"), *Assessment.Status.choices]
TYPE_ALL = [("", "All types"), *ProposalType.choices]
MAX_LIST_BYTES = 2 * 1024 * 1024


class _DatesChecked:
    def _date(self, name: str):
        value = self.cleaned_data.get(name)  # type: ignore[attr-defined]
        problem = date_problem(value) if value is not None else None
        if problem:
            raise forms.ValidationError(problem)
        return value


class AssessmentForm(_DatesChecked, forms.ModelForm):
    """What is proposed, by whom, decided when and by whom. A champion chooses only among
    their own directorates (and cannot file it as corporate)."""

    def __init__(self, *args, directorates=None, corporate_allowed=True, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the organisation's services are offered, so another organisation's id posted
        # by hand is an invalid choice, not a link to figures the reader may not see.
        chosen = self.fields["affected_services"]
        assert isinstance(chosen, forms.ModelMultipleChoiceField)
        chosen.queryset = services if services is not None else chosen.queryset.none()
        chosen.error_messages["invalid_choice"] = (
            "Choose only services your organisation monitors (%(value)s is not one of them)"
        )
        chosen.error_messages["invalid_pk_value"] = "Choose services from the list"
        field = self.fields["directorate"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = directorates
        field.empty_label = "Corporate (no directorate)" if corporate_allowed else None
        field.required = not corporate_allowed
        field.error_messages["required"] = "Choose the directorate"

    class Meta:
        model = Assessment
        fields = [
            "title",
            "proposal_type",
            "summary",
            "owner",
            "directorate",
            "decision_date",
            "decision_maker",
            "review_date",
            "affected_services",
        ]
        widgets = {
            "proposal_type": forms.RadioSelect,
            "affected_services": forms.CheckboxSelectMultiple,
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": "Title of the proposal",
            "proposal_type": "Type of proposal",
            "owner": "Owner (job title)",
            "decision_date": "Decision date (optional)",
            "decision_maker": "Decision-maker (optional)",
            "review_date": "Review date (optional)",
            "summary": "What is proposed (optional)",
            "affected_services": "Services the proposal changes (optional)",
        }
        help_texts = {
            "owner": "A job title or team, for example Head of HR. Not a person's name",
            "decision_maker": "A body or role, for example Cabinet or Director of People",
            "decision_date": DATE_HINT,
            "review_date": DATE_HINT,
            "affected_services": "Their users' or complaints' profile against the borough's "
            "residents is added to the evidence",
        }
        error_messages = {
            "title": {"required": "Enter the title of the proposal"},
            "proposal_type": {"required": "Choose the type of proposal"},
            "owner": {"required": "Enter the owner's job title"},
            "decision_date": DATE_ERRORS,
            "review_date": DATE_ERRORS,
        }

    def clean_decision_date(self):
        return self._date("decision_date")

    def clean_review_date(self):
        return self._date("review_date")


class ScreeningForm(forms.Form):
    needed = forms.TypedChoiceField(
        label="Is a full equality impact assessment needed?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether a full assessment is needed"},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reason for the decision, from the answers below",
        error_messages={"required": "Give the reason for the screening decision"},
    )


class ImpactForm(forms.Form):
    """One characteristic's answers. Impact and size are optional at screening; a negative
    impact needs its size and a mitigation (or the conclusion's justification)."""

    affected = forms.CharField(
        label="Who is affected", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(
        label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    impact = forms.ChoiceField(
        label="Likely impact",
        choices=CharacteristicImpact.Impact.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    size = forms.ChoiceField(
        label="Size of the impact",
        choices=CharacteristicImpact.Size.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    mitigation = forms.CharField(
        label="Mitigation", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, characteristic: str = "", full: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.characteristic = characteristic
        self.full = full

    def clean(self):
        data = super().clean()
        if data.get("impact") == CharacteristicImpact.Impact.NEGATIVE:
            if not data.get("size"):
                self.add_error("size", "Give the size of the negative impact")
            if self.full and not (data.get("mitigation") or "").strip():
                self.add_error(
                    "mitigation", "Say how the negative impact will be mitigated, or why not"
                )
        if self.full and not data.get("impact"):
            self.add_error("impact", "Choose the likely impact")
        return data


class BaseImpactFormSet(forms.BaseFormSet):
    def __init__(self, *args, characteristics: list[str] = (), full: bool = False, **kwargs):  # type: ignore[assignment]
        self.characteristics = list(characteristics)
        self.full = full
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.characteristics):
            kwargs["characteristic"] = self.characteristics[index]
        kwargs["full"] = self.full
        return kwargs

    def total_form_count(self) -> int:
        # Exactly one form per characteristic, whatever the management form says.
        return len(self.characteristics)

    def answers(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms]

    def error_items(self) -> list[tuple[str, str]]:
        items = [("", str(error)) for error in self.non_form_errors()]
        for form in self.forms:
            for name, errors in form.errors.items():
                anchor = form[name].id_for_label if name != "__all__" else ""
                items.extend((anchor, f"{form.characteristic}: {error}") for error in errors)
        return items


ImpactFormSet = forms.formset_factory(
    ImpactForm, formset=BaseImpactFormSet, extra=0, max_num=60, absolute_max=60
)


def impact_formset(data, rows: list[CharacteristicImpact], *, full: bool, prefix: str):
    initial = [
        {
            "affected": row.affected,
            "evidence": row.evidence,
            "impact": row.impact,
            "size": row.size,
            "mitigation": row.mitigation,
        }
        for row in rows
    ]
    # characteristics and full are BaseImpactFormSet's own arguments.
    return ImpactFormSet(  # type: ignore[call-arg]
        data,
        initial=initial,
        characteristics=[row.characteristic for row in rows],
        full=full,
        prefix=prefix,
    )


class ConclusionForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "consultation",
            "aim_discrimination",
            "aim_opportunity",
            "aim_relations",
            "conclusion",
            "justification",
        ]
        widgets = {
            "consultation": forms.Textarea(attrs={"rows": 3}),
            "aim_discrimination": forms.Textarea(attrs={"rows": 3}),
            "aim_opportunity": forms.Textarea(attrs={"rows": 3}),
            "aim_relations": forms.Textarea(attrs={"rows": 3}),
            "conclusion": forms.RadioSelect,
            "justification": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "consultation": "Consultation done (optional)",
            "aim_discrimination": "How does the proposal help eliminate discrimination, "
            "harassment and victimisation?",
            "aim_opportunity": "How does it advance equality of opportunity?",
            "aim_relations": "How does it foster good relations between groups?",
            "conclusion": "Overall conclusion",
            "justification": "Justification (required to continue despite the impact)",
        }
        help_texts = {
            "consultation": "Who was consulted, how, and what changed as a result",
        }
        error_messages = {"conclusion": {"required": "Choose the overall conclusion"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"].required = True
        self.fields["conclusion"].choices = Conclusion.choices  # type: ignore[attr-defined]


class ScopeForm(forms.Form):
    """The workforce in scope: values of the snapshot's columns (all keys must match), and/or
    an uploaded list of employee ids; optionally the list of those proposed for redundancy or
    in a selection pool. The lists' ids are hashed at once and never stored."""

    in_scope_list = forms.FileField(
        label="List of employee ids in scope (optional)",
        required=False,
        help_text="A CSV or text file, one employee id a line (the first column is read)",
    )
    affected_list = forms.FileField(
        label="List of employee ids proposed for redundancy or in a selection pool (optional)",
        required=False,
        help_text="The same format; only those in scope are counted",
    )
    clear_lists = forms.BooleanField(label="Remove the lists stored before", required=False)

    def __init__(
        self, *args, choices: dict[str, list[str]] | None = None, initial_scope=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.scope_columns = []
        initial_scope = initial_scope or {}
        for column in library.SCOPE_COLUMNS:
            values = (choices or {}).get(column) or []
            if not values:
                continue
            name = f"scope_{column}"
            self.fields[name] = forms.MultipleChoiceField(
                label=column.replace("_", " ").capitalize(),
                choices=[(v, v) for v in values],
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=list(initial_scope.get(column, [])),
            )
            self.scope_columns.append(column)
        self.order_fields([f"scope_{c}" for c in self.scope_columns])

    def _read_list(self, name: str) -> list[str] | None:
        from equitable.eqia.evidence import IdListError, read_id_list

        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        if upload.size > MAX_LIST_BYTES:
            raise forms.ValidationError("The list must be smaller than 2 MB")
        raw = upload.read()
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise forms.ValidationError("The list must be a text or CSV file")
        try:
            return read_id_list(text)
        except IdListError as error:
            raise forms.ValidationError(error.problems) from error

    def clean_in_scope_list(self):
        return self._read_list("in_scope_list")

    def clean_affected_list(self):
        return self._read_list("affected_list")

    def scope(self) -> dict[str, tuple[str, ...]]:
        raw = {
            column: self.cleaned_data.get(f"scope_{column}") or [] for column in self.scope_columns
        }
        chosen = {column: values for column, values in raw.items() if values}
        return library.parse_scope(chosen) if chosen else {}


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("sign-off", "Sign off the assessment"), ("return", "Return it for changes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose to sign off the assessment or return it"},
    )


class MitigationActionsForm(forms.Form):
    plan: forms.ModelChoiceField = forms.ModelChoiceField(
        label="Action plan",
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action plan"},
    )
    rows = forms.MultipleChoiceField(
        label="Mitigations to make actions",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one mitigation"},
    )

    def __init__(self, *args, plans=None, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["plan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plans
        self.fields["rows"].choices = [  # type: ignore[attr-defined]
            (
                str(row.pk),
                f"{row.characteristic} ({row.get_stage_display().lower()}): {row.mitigation[:120]}",
            )
            for row in rows
        ]
        self.fields["rows"].initial = [str(row.pk) for row in rows]


class CharacteristicsForm(forms.Form):
    names = forms.CharField(
        label="Additional characteristics",
        help_text="One a line, in the order the forms ask them. The nine protected "
        "characteristics are always asked",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the additional characteristics, one a line"},
    )

    def clean_names(self):
        names = [line.strip() for line in self.cleaned_data["names"].splitlines()]
        names = [n for n in names if n]
        long = [n for n in names if len(n) > 100]
        if long:
            raise forms.ValidationError("Each characteristic is at most 100 characters")
        if len(names) > 20:
            raise forms.ValidationError("At most 20 additional characteristics")
        return names


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=STATUS_ALL, required=False)
    proposal_type = forms.ChoiceField(label="Type", choices=TYPE_ALL, required=False)
    directorate = forms.ChoiceField(label="Directorate", required=False)

    def __init__(self, *args, directorates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["directorate"].choices = [  # type: ignore[attr-defined]
            ("", "All directorates"),
            ("corporate", "Corporate"),
            *((str(d.pk), d.name) for d in directorates),
        ]
