"""The canonical workforce extract: its columns, the values each may hold, and the frame that
ingestion hands to the figures.

Ethnicity follows the ONS 2021 Census classification for England and Wales: 19 detailed tick
boxes under 5 high-level groups (ONS ethnic group classification, table TS021,
https://www.ons.gov.uk/datasets/TS021/editions/2021/versions/2). Every characteristic also
distinguishes "Prefer not to say" (the person declined) from "Not known" (blank or never asked),
because disclosure rates report the two separately.

This module is plain data: no polars work happens at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_KNOWN = "Not known"
UNDISCLOSED = (PREFER_NOT_TO_SAY, NOT_KNOWN)

# --- ethnicity -------------------------------------------------------------------------------

ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
ETHNIC_GROUP_FULL_NAMES = {
    "Asian": "Asian, Asian British or Asian Welsh",
    "Black": "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed": "Mixed or Multiple ethnic groups",
    "White": "White",
    "Other": "Other ethnic group",
}
UNKNOWN = "Unknown"  # the ethnic_group of everyone whose ethnicity is not known or not given
# Every known group except White: the seeds' own term (never "BAME").
AGGREGATE_MINORITY = "Black, Asian and Multi-ethnic"
WHITE_BRITISH_CATEGORY = "English, Welsh, Scottish, Northern Irish or British"

# The 19 detailed categories in ONS code order (1-19), each with its high-level group.
ETHNICITY_DETAILED: dict[str, str] = {
    "Bangladeshi": "Asian",
    "Chinese": "Asian",
    "Indian": "Asian",
    "Pakistani": "Asian",
    "Other Asian": "Asian",
    "African": "Black",
    "Caribbean": "Black",
    "Other Black": "Black",
    "White and Asian": "Mixed",
    "White and Black African": "Mixed",
    "White and Black Caribbean": "Mixed",
    "Other Mixed or Multiple ethnic groups": "Mixed",
    WHITE_BRITISH_CATEGORY: "White",
    "Irish": "White",
    "Gypsy or Irish Traveller": "White",
    "Roma": "White",
    "Other White": "White",
    "Arab": "Other",
    "Any other ethnic group": "Other",
}
# A high-level group given without its detailed category ("Asian", "C3 White Unspecified"): the
# person belongs to the group in every table, and in the detailed table to this category of it.
GROUP_ONLY_SUFFIX = " (category not given)"
ETHNICITY_GROUP_ONLY: dict[str, str] = {f"{g}{GROUP_ONLY_SUFFIX}": g for g in ETHNIC_GROUPS}
GROUP_ONLY_OF = {group: name for name, group in ETHNICITY_GROUP_ONLY.items()}
# Every value the validated frame's `ethnicity` may hold, each group's categories together (its
# ONS categories in ONS order, then its "category not given"), then the two undisclosed values.
ETHNICITY_VALUES = (
    *(
        name
        for group in ETHNIC_GROUPS
        for name in (
            *(n for n, g in ETHNICITY_DETAILED.items() if g == group),
            GROUP_ONLY_OF[group],
        )
    ),
    *UNDISCLOSED,
)
ETHNICITY_TO_GROUP = {
    **ETHNICITY_DETAILED,
    **ETHNICITY_GROUP_ONLY,
    PREFER_NOT_TO_SAY: UNKNOWN,
    NOT_KNOWN: UNKNOWN,
}

# --- other characteristics -------------------------------------------------------------------

SEX_VALUES = ("Female", "Male", *UNDISCLOSED)
DISABILITY_VALUES = ("Disabled", "Not disabled", *UNDISCLOSED)
# ONS Census 2021 sexual orientation (TS077 categories; the write-in answers grouped as "other").
SEXUAL_ORIENTATION_VALUES = (
    "Straight or Heterosexual",
    "Gay or Lesbian",
    "Bisexual",
    "Other sexual orientation",
    *UNDISCLOSED,
)
# ONS Census 2021 religion (TS030 categories).
RELIGION_VALUES = (
    "No religion",
    "Christian",
    "Buddhist",
    "Hindu",
    "Jewish",
    "Muslim",
    "Sikh",
    "Other religion",
    *UNDISCLOSED,
)
# The accepted values of every characteristic with a fixed vocabulary: the one table that
# imports classify into, value mappings offer and the figures count in.
CHARACTERISTIC_VALUES: dict[str, tuple[str, ...]] = {
    "ethnicity": ETHNICITY_VALUES,
    "sex": SEX_VALUES,
    "disability": DISABILITY_VALUES,
    "sexual_orientation": SEXUAL_ORIENTATION_VALUES,
    "religion": RELIGION_VALUES,
}

# --- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical input column: what it holds and the header names councils use for it."""

    kind: str  # "id", "category", "text", "number", "integer", "date"
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()


CANONICAL_COLUMNS: dict[str, ColumnSpec] = {
    "employee_id": ColumnSpec(
        "id",
        "The council's own employee or assignment number; stored only as a keyed hash.",
        required=True,
        aliases=(
            "employee number",
            "employee no",
            "staff id",
            "staff number",
            "person id",
            "person number",
            "assignment number",
            "payroll number",
            "emp id",
            "id",
        ),
    ),
    "ethnicity": ColumnSpec(
        "category",
        "ONS 2021 detailed ethnic group (or a recognised variant, or a high-level group).",
        required=True,
        aliases=("ethnic group", "ethnic origin", "ethnicity code", "ethnic code"),
    ),
    "sex": ColumnSpec("category", "Female or Male.", aliases=("gender", "legal sex")),
    "disability": ColumnSpec(
        "category",
        "Disabled or Not disabled.",
        aliases=("disabled", "disability status", "disability flag", "disabled flag"),
    ),
    "pay_band": ColumnSpec("text", "Pay band, e.g. 1 to 6.", aliases=("band", "payband")),
    "grade": ColumnSpec("text", "Grade, e.g. G4 or MG2.", aliases=("pay grade", "salary grade")),
    "directorate": ColumnSpec("text", "Directorate.", aliases=("department",)),
    "division": ColumnSpec(
        "text", "Division or service within the directorate.", aliases=("service", "service area")
    ),
    "leadership_tier": ColumnSpec(
        "text",
        "Leadership group, e.g. Corporate Strategic Board; blank for everyone else.",
        aliases=("leadership group", "tier"),
    ),
    "fte": ColumnSpec(
        "number",
        "Full-time equivalent, above 0 and at most 2.",
        aliases=("full time equivalent", "wte", "contracted wte", "contracted fte"),
    ),
    "weekly_hours": ColumnSpec(
        "number",
        "Contracted hours a week, above 0 and at most 100.",
        aliases=("hours", "contracted hours", "weekly hours"),
    ),
    "hourly_pay": ColumnSpec(
        "number",
        "Ordinary hourly pay in pounds (the pay measure).",
        aliases=("hourly rate", "hourly pay rate"),
    ),
    "annual_salary": ColumnSpec(
        "number",
        "Full-time equivalent annual salary in pounds.",
        aliases=("salary", "fte salary", "annual pay"),
    ),
    "bonus_pay": ColumnSpec(
        "number", "Bonus paid in the 12 months to the snapshot date.", aliases=("bonus",)
    ),
    "date_of_birth": ColumnSpec(
        "date",
        "Date of birth; only the age at the snapshot is kept.",
        aliases=("dob", "birth date"),
    ),
    "age": ColumnSpec("integer", "Age in whole years at the snapshot date."),
    "sexual_orientation": ColumnSpec(
        "category", "ONS 2021 sexual orientation.", aliases=("sexuality",)
    ),
    "religion": ColumnSpec(
        "category",
        "ONS 2021 religion.",
        aliases=("religion or belief", "religious belief", "religion belief"),
    ),
    "start_date": ColumnSpec(
        "date",
        "Start date of continuous service.",
        aliases=("date started", "hire date", "service start date", "continuous service date"),
    ),
    "contract_type": ColumnSpec(
        "text", "e.g. Permanent, Fixed term.", aliases=("contract", "employment type")
    ),
}
REQUIRED_COLUMNS = tuple(name for name, spec in CANONICAL_COLUMNS.items() if spec.required)

# Headers that probably hold a canonical column but are not matched to it on their own, because
# their meaning varies between systems (which organisation level is the directorate?) or the
# file may have a better column (an actual, pro-rata salary beside the full-time one). A column
# with one of these headers that is left out is named with the column it looks like, so that
# nothing is dropped without a word (matched after normalising, like the aliases).
LIKELY_HEADERS: dict[str, str] = {
    # NHS ESR organisation levels: L3 is usually the directorate, lower levels its parts.
    "org l3": "directorate",
    "org level 3": "directorate",
    "organisation l3": "directorate",
    "organisation level 3": "directorate",
    "org l4": "division",
    "org level 4": "division",
    "organisation l4": "division",
    "organisation level 4": "division",
    "org l5": "division",
    "org l6": "division",
    "organisation level 5": "division",
    "organisation level 6": "division",
    "directorate name": "directorate",
    "department name": "directorate",
    "dept": "directorate",
    "dept name": "directorate",
    "assignment category": "contract_type",
    "employee category": "contract_type",
    "contract status": "contract_type",
    "actual salary": "annual_salary",
    "basic salary": "annual_salary",
    "annual basic salary": "annual_salary",
    "total base pay annualized": "annual_salary",
    "hourly wage": "hourly_pay",
    "rate per hour": "hourly_pay",
    "ethnic category": "ethnicity",
    "ethnicity description": "ethnicity",
    "ethnic origin description": "ethnicity",
    "disability category": "disability",
    "disability type": "disability",
    "latest start date": "start_date",
    "nhs start date": "start_date",
    "date joined": "start_date",
    "bonus amount": "bonus_pay",
    "bonus paid": "bonus_pay",
    "scheduled weekly hours": "weekly_hours",
    "contracted hours per week": "weekly_hours",
    "legal gender": "sex",
    "sexual orientation description": "sexual_orientation",
    "religion description": "religion",
    "age at snapshot": "age",
}

# Headers that hold direct identifiers: dropped on reading, never stored (matched after
# normalising: lower case, letters and digits only).
DIRECT_IDENTIFIER_HEADERS = (
    "name",
    "full name",
    "fullname",
    "employee name",
    "forename",
    "forenames",
    "first name",
    "firstname",
    "given name",
    "middle name",
    "surname",
    "last name",
    "lastname",
    "family name",
    "preferred name",
    "known as",
    "title",
    "email",
    "e mail",
    "email address",
    "work email",
    "personal email",
    "ni number",
    "ni no",
    "nino",
    "national insurance",
    "national insurance number",
    "address",
    "home address",
    "address line 1",
    "address line 2",
    "address 1",
    "address 2",
    "street",
    "town",
    "postcode",
    "post code",
    "phone",
    "telephone",
    "mobile",
    "phone number",
    "mobile number",
    "passport number",
    "nhs number",
    "bank account",
    "sort code",
)

# --- the validated frame ---------------------------------------------------------------------

FRAME_SCHEMA: dict[str, pl.DataType] = {
    "employee_key": pl.String(),
    "ethnicity": pl.String(),
    "ethnic_group": pl.String(),
    "white_british": pl.Boolean(),
    "sex": pl.String(),
    "disability": pl.String(),
    "sexual_orientation": pl.String(),
    "religion": pl.String(),
    "pay_band": pl.String(),
    "grade": pl.String(),
    "directorate": pl.String(),
    "division": pl.String(),
    "leadership_tier": pl.String(),
    "contract_type": pl.String(),
    "fte": pl.Float64(),
    "weekly_hours": pl.Float64(),
    "hourly_pay": pl.Float64(),
    "annual_salary": pl.Float64(),
    "bonus_pay": pl.Float64(),
    "age": pl.Int32(),
    "start_date": pl.Date(),
}

# 52.143 weeks a year = 365 / 7, rounded to three places (note: 365.25 / 7 would be 52.179).
WEEKS_PER_YEAR = 52.143


def empty_frame() -> pl.DataFrame:
    """A frame with every contract column and no rows."""
    return pl.DataFrame(schema=FRAME_SCHEMA)
