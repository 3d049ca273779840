"""Forms of the import flow and the population benchmark (rendered with the govuk_field macro)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings

from equitable.metrics.labels import DETAILED_ETHNICITIES, ETHNIC_GROUPS
from equitable.metrics.population import CENSUS_GROUP_NAMES

ALLOWED_SUFFIXES = (".csv", ".xlsx")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class UploadForm(forms.Form):
    extract = forms.FileField(
        label="HR extract (CSV or Excel .xlsx)",
        help_text="One row per employee. Names and other direct identifiers are never stored.",
    )
    snapshot_date = forms.DateField(
        label="Snapshot date",
        input_formats=DATE_FORMATS,
        help_text="The date the extract describes, for example 2025-03-31 or 31/03/2025",
        error_messages={"invalid": "Enter the snapshot date as 2025-03-31 or 31/03/2025"},
    )

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if Path(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("The extract must be a CSV or an Excel (.xlsx) file")
        limit = settings.EQUITABLE_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is larger than {limit // (1024 * 1024)} MB; split it or ask your "
                "administrator to raise EQUITABLE_MAX_IMPORT_BYTES"
            )
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload


LEAVE_OUT = ""


POINT, COMMA = "point", "comma"


class MappingForm(forms.Form):
    """One select per column of the file: which canonical column it is, or left out; and how
    the file writes decimals.

    `hints` maps a column to a sentence shown under its select ("Looks like disability").
    """

    REQUIRED: tuple[str, ...] = ("employee_id", "ethnicity")

    decimal_separator = forms.ChoiceField(
        label="How does this file write decimals?",
        choices=[
            (POINT, "With a point: 12.50, and 1,250.00 for thousands"),
            (COMMA, "With a comma: 12,50, and 1.250,00 for thousands"),
        ],
        initial=POINT,
        required=False,  # not chosen: a point
        widget=forms.RadioSelect,
        help_text="Numbers such as 12,50 are refused unless you choose the comma here",
    )

    def __init__(self, *args, source_columns, canonical, initial_mapping, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_columns = list(source_columns)
        choices = [(LEAVE_OUT, "Leave out (not stored)")] + [(c, c) for c in canonical]
        hints = hints or {}
        for index, column in enumerate(self.source_columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial=initial_mapping.get(column, LEAVE_OUT),
                help_text=hints.get(column, ""),
            )
        # The decimal choice after the columns, in the order the page asks.
        self.order_fields(
            [*(f"column_{i}" for i in range(len(self.source_columns))), "decimal_separator"]
        )

    def decimal_comma(self) -> bool:
        return self.cleaned_data.get("decimal_separator") == COMMA

    def mapping(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(f"column_{index}") or LEAVE_OUT
            for index, column in enumerate(self.source_columns)
        }

    def clean(self):
        cleaned = super().clean()
        chosen: dict[str, str] = {}
        for index, column in enumerate(self.source_columns):
            target = cleaned.get(f"column_{index}")
            if not target:
                continue
            if target in chosen:
                self.add_error(
                    f"column_{index}",
                    f"{column!r} and {chosen[target]!r} are both mapped to {target}; choose one",
                )
            chosen[target] = column
        for required in self.REQUIRED:
            if required not in chosen:
                self.add_error(None, f"Choose the column that holds {required} (it is required)")
        return cleaned


class ValueMappingForm(forms.Form):
    """One select per value the importer could not place: which canonical value it means.

    `suggest(column, value)` gives a `classification.Suggestion`: a value found by meaning
    (pre-selected, with the reason under the select) or none, and then the select starts empty
    and says why there is no suggestion, so nothing is filled in by guesswork.
    """

    def __init__(self, *args, unmapped: dict[str, list[str]], vocabularies, suggest=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.keys: list[tuple[str, str, str]] = []
        for column, values in unmapped.items():
            choices = [("", "Choose a value")] + [(v, v) for v in vocabularies(column)]
            for value in values:
                name = f"value_{len(self.keys)}"
                self.keys.append((name, column, value))
                hint = suggest(column, value) if suggest is not None else None
                help_text = ""
                if hint is not None:
                    help_text = (
                        f"Suggested: “{hint.value}” ({hint.reason}); check it"
                        if hint.value is not None
                        else f"No suggestion: {hint.reason}"
                    )
                self.fields[name] = forms.ChoiceField(
                    label=f"{column}: “{value}”",
                    choices=choices,
                    initial=hint.value if hint is not None and hint.value else "",
                    help_text=help_text,
                    error_messages={"required": f"Choose what “{value}” means in {column}"},
                )

    def value_mapping(self) -> dict[str, dict[str, str]]:
        mapping: dict[str, dict[str, str]] = {}
        for name, column, value in self.keys:
            mapping.setdefault(column, {})[value] = self.cleaned_data[name]
        return mapping


class ConfirmPayForm(forms.Form):
    """A person confirms the hourly rates the check flagged (below the legal minimum, or far
    from the rest of the file) after looking at each of them."""

    confirm = forms.BooleanField(
        label="I have checked these hourly rates and they are right",
        error_messages={
            "required": "Tick the box to confirm the hourly rates, or correct the file"
        },
    )


class ConfirmForm(forms.Form):
    """Store the checked extract: replacing a snapshot of the same date, and storing an extract
    that looks unrelated to the snapshot before it (`metrics.continuity`), each need a tick."""

    replace = forms.BooleanField(
        required=False, label="Yes, replace the existing snapshot of this date"
    )
    unrelated = forms.BooleanField(
        required=False,
        label="I have checked: this extract is of the same organisation, with the same "
        "employee ids, and the change is real",
    )

    def __init__(self, *args, date_taken: bool, unrelated: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.date_taken = date_taken
        self.looks_unrelated = unrelated

    def clean(self):
        cleaned = super().clean()
        if self.date_taken and not cleaned.get("replace"):
            self.add_error(
                "replace",
                "A snapshot of this date exists: confirm that it should be replaced",
            )
        if self.looks_unrelated and not cleaned.get("unrelated"):
            self.add_error(
                "unrelated",
                "The extract looks unrelated to the snapshot before it: check it, then tick "
                "the box to store it anyway, or upload the right file",
            )
        return cleaned


# A TS021 file for every local authority of England and Wales is under 100 KB; one area is a
# few hundred bytes. Anything much larger is not the table asked for.
MAX_POPULATION_BYTES = 5 * 1024 * 1024


class NomisPopulationForm(forms.Form):
    """A Census 2021 TS021 CSV: the Nomis bulk file or one row per category
    (`metrics.population.read_population_file`)."""

    census_file = forms.FileField(
        label="Census 2021 table TS021 (CSV)",
        help_text="The Nomis bulk file census2021-ts021-ltla.csv, or a table with one row per "
        "ethnic category (the ONS download of TS021, or two columns: ethnicity, count)",
    )
    local_authority = forms.CharField(
        label="Local authority",
        max_length=200,
        required=False,
        help_text="Its name or code as in the file, for example Harrow or E09000015; not "
        "needed when the file has one area only",
    )

    def clean_census_file(self):
        upload = self.cleaned_data["census_file"]
        if Path(upload.name).suffix.lower() != ".csv":
            raise forms.ValidationError("The census file must be a CSV file (.csv)")
        if upload.size > MAX_POPULATION_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_POPULATION_BYTES // (1024 * 1024)} MB: use the "
                "local authority file (census2021-ts021-ltla.csv), not the small-area ones"
            )
        return upload


class DetailedPopulationForm(forms.Form):
    """Residents in each of the 19 ONS 2021 categories, as counts; the five groups are their
    sums (`metrics.population.population_from_counts`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for index, (ethnicity, _) in enumerate(DETAILED_ETHNICITIES):
            self.fields[f"category_{index}"] = forms.IntegerField(
                label=ethnicity,
                min_value=0,
                max_value=100_000_000,
                error_messages={
                    "required": f"Enter the number of {ethnicity} residents (0 if none)",
                    "invalid": f"Enter the number of {ethnicity} residents as a whole number",
                    "min_value": f"The number of {ethnicity} residents cannot be negative",
                },
            )

    def groups(self) -> list[tuple[str, list]]:
        """The fields under their high-level group's ONS name, for fieldsets."""
        return [
            (
                CENSUS_GROUP_NAMES[group],
                [
                    self[f"category_{i}"]
                    for i, (_, g) in enumerate(DETAILED_ETHNICITIES)
                    if g == group
                ],
            )
            for group in ETHNIC_GROUPS
        ]

    def counts(self) -> dict[str, int]:
        return {
            ethnicity: self.cleaned_data[f"category_{index}"]
            for index, (ethnicity, _) in enumerate(DETAILED_ETHNICITIES)
        }


class HandPopulationForm(forms.Form):
    """Percentages of the resident population in the five ONS high-level groups."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group in ETHNIC_GROUPS:
            self.fields[group] = forms.DecimalField(
                label=f"{group} (%)",
                min_value=0,
                max_value=100,
                decimal_places=2,
                error_messages={"required": f"Enter the {group} percentage (0 if none)"},
            )

    def percentages(self) -> dict[str, float]:
        return {group: float(self.cleaned_data[group]) for group in ETHNIC_GROUPS}

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(group) for group in ETHNIC_GROUPS]
        if all(v is not None for v in values):
            total = float(sum(values))
            if abs(total - 100) > 0.5:
                self.add_error(
                    None, f"The percentages add up to {total:g}; they must add up to 100"
                )
        return cleaned
