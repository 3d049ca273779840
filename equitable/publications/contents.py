"""What each kind of publication shows: its sections and the figure tables in each.

Pure data over the names `metrics.figures.compute_all` gives its tables, so the page, the PDF,
the downloads and the tests read one list. The pay gap report follows the statutory shape of
gender pay gap reporting (the Equality Act 2010 (Specific Duties and Public Authorities)
Regulations 2017), which the ethnicity and disability pay gap reporting announced in March
2026 repeats: mean and median hourly pay gap, mean and median bonus gap, the proportion of
each group receiving a bonus, and the pay quarters; for ethnicity both references the guidance
names (White British, and White) and the number who did not say.
"""

from __future__ import annotations

from dataclasses import dataclass

from equitable.publications.models import Kind


@dataclass(frozen=True)
class Section:
    title: str
    summary: str
    tables: tuple[str, ...]


ANNUAL_REPORT = (
    Section(
        "Representation against residents",
        "The ethnicity of our staff beside the borough's residents (Census 2021), overall and "
        "in the ONS 2021 detailed categories.",
        ("representation_overall", "representation_detailed_overall"),
    ),
    Section(
        "Representation by directorate, pay band and leadership tier",
        "Where staff of each ethnic group work and how senior their roles are.",
        (
            "representation_by_directorate",
            "representation_by_pay_band",
            "representation_by_leadership_tier",
            "representation_in_leadership_tiers",
        ),
    ),
    Section(
        "The top 5% of earners",
        "Who is among the highest paid 5% of staff by hourly pay.",
        (
            "top_5_percent_earners",
            "top_5_percent_earners_by_sex",
            "top_5_percent_earners_by_disability",
        ),
    ),
    Section(
        "Disclosure",
        "How many staff have told us their ethnicity, disability, religion and sexual orientation.",
        ("disclosure", "disclosure_by_directorate"),
    ),
    Section(
        "Pay gaps",
        "Mean and median hourly pay gaps by ethnicity, sex and disability.",
        ("pay_gap_ethnicity", "pay_gap_sex", "pay_gap_disability"),
    ),
)

PAY_GAP = (
    Section(
        "Gender pay gap",
        "Mean and median hourly pay gap of women against men, the bonus gaps, the share of each "
        "sex receiving a bonus, and the pay quarters.",
        ("pay_gap_sex", "bonus_gap_sex", "pay_quartiles_sex"),
    ),
    Section(
        "Ethnicity pay gap",
        "The same figures by ethnic group, against White British staff and against White staff "
        "(the two references the government's guidance names), with the number of staff whose "
        "ethnicity we do not know. Groups are reported only with at least 10 employees.",
        ("pay_gap_ethnicity", "bonus_gap_ethnicity", "pay_quartiles_ethnicity", "disclosure"),
    ),
    Section(
        "Disability pay gap",
        "The same figures for disabled staff against staff who are not disabled.",
        ("pay_gap_disability", "bonus_gap_disability", "pay_quartiles_disability"),
    ),
)

OPEN_DATA = (
    Section(
        "Open data",
        "Every table of this snapshot's annual report and pay gap report, as data.",
        tuple(
            dict.fromkeys(name for section in ANNUAL_REPORT + PAY_GAP for name in section.tables)
        ),
    ),
)


@dataclass(frozen=True)
class LifecycleTable:
    """One lifecycle table in the annual report: the rows of the report's year, each ethnic
    group against White staff (the lifecycle app's protected figures)."""

    family: str
    table: str
    title: str
    summary: str
    rows: tuple[tuple[str, str], ...] = ()  # (column, value) the rows must have


LIFECYCLE = (
    LifecycleTable(
        "recruitment",
        "recruitment_relative_likelihood",
        "Appointment from shortlisting",
        "How likely shortlisted applicants of each ethnic group were to be appointed, against "
        "White applicants (WRES indicator 2).",
        (("applicant_type", "All"), ("stage", "shortlisted to appointed")),
    ),
    LifecycleTable(
        "movements",
        "promotions",
        "Promotions",
        "How likely staff of each ethnic group were to be promoted in the year, against White staff.",
    ),
    LifecycleTable(
        "movements",
        "leavers_relative_likelihood",
        "Leaving",
        "How likely staff of each ethnic group were to leave in the year, against White staff.",
    ),
    LifecycleTable(
        "casework",
        "casework_relative_likelihood",
        "Entering a formal process",
        "How likely staff of each ethnic group were to enter any formal process (disciplinary, "
        "grievance, capability …), against White staff (WRES indicator 3).",
        (("process", "any formal process"),),
    ),
    LifecycleTable(
        "development",
        "development_relative_likelihood",
        "Non-mandatory training",
        "How likely staff of each ethnic group were to access non-mandatory training or CPD, "
        "against White staff (WRES indicator 4).",
    ),
)
LIFECYCLE_GROUPS = ("Asian", "Black", "Mixed", "Other", "Black, Asian and Multi-ethnic")
LIFECYCLE_COLUMNS = (
    "ethnic_group",
    "group_pool",
    "group_count",
    "group_rate",
    "reference_rate",
    "relative_likelihood",
    "ci_low",
    "ci_high",
    "reading",
)


def lifecycle_period(snapshot_year: int) -> str:
    """The lifecycle year ending at a 31 March snapshot: 2025 → "2024-25"."""
    return f"{snapshot_year - 1}-{snapshot_year % 100:02d}"


SECTIONS: dict[str, tuple[Section, ...]] = {
    Kind.ANNUAL_REPORT: ANNUAL_REPORT,
    Kind.PAY_GAP: PAY_GAP,
    Kind.OPEN_DATA: OPEN_DATA,
}


def tables_of(kind: str) -> tuple[str, ...]:
    """Every table a publication of this kind shows, each once, in order."""
    return tuple(dict.fromkeys(name for section in SECTIONS[kind] for name in section.tables))


def default_title(kind: str, organisation_name: str, year: int) -> str:
    words = {
        Kind.ANNUAL_REPORT: "workforce equality report",
        Kind.PAY_GAP: "pay gap report",
        Kind.OPEN_DATA: "workforce open data",
    }[Kind(kind)]
    return f"{organisation_name} {words} {year}"
