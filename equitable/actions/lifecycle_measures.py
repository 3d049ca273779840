"""Computed measures from the employee lifecycle figures: one number per financial year.

Pure (no Django): the inputs are one lifecycle family's tables (`equitable.lifecycle` gives
them exact or protected) as rows, so tests can hand-build them. The workforce measures of
`measures.py` take one value per snapshot; these take one value per financial year ("2024-25",
dated 31 March 2025, the date its snapshot is taken), because recruitment, casework and
movements are counted over a year.

Every measure reads ONE row of ONE table (the Black, Asian and Multi-ethnic row against White)
and a figure already in that row, so that read from the protected tables a measure is exactly a
figure disclosure control has let through, and withheld (None) when that figure is withheld.
Nothing here re-derives a figure from other figures (a share from two counts is the one
exception, and both counts are themselves published in the same row).

Why these rows:
- Relative likelihoods keep the WRES convention of the table they come from (indicator 2:
  White over group; indicator 3: group over White), so the measure is the number a council
  already reports; 1.00 is parity.
- Shares of appointments and of disciplinaries are of people whose ethnicity is known (the
  group and White in the same row): the comparison the relative likelihood makes, and the only
  total the row publishes.
- Two-year rolling windows (casework) are left out: one value per year, so a target's
  trajectory and its RAG read year by year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL, WHITE

Tables = Mapping[str, Sequence[Mapping[str, Any]]]
Row = Mapping[str, Any]

# A single financial year, "2024-25"; a two-year window ("2023-24 to 2024-25") does not match.
SINGLE_YEAR = re.compile(r"^(\d{4})-(\d{2})$")

# What to import before a family can give a value ("Not available yet: import …").
FAMILY_NEEDS = {
    "recruitment": "recruitment applications (one row per application, or counts per stage)",
    "movements": "at least two workforce snapshots a year apart",
    "casework": "casework records (one row per case)",
    "development": "training and development records",
}
NO_FIGURE_TEXT = (
    "No value yet: the imported data give no figure for it in any financial year (the year "
    "had no Black, Asian and Multi-ethnic or no White people in the pool)."
)
WITHHELD = "withheld"
NOT_CALCULABLE = "not calculable"


@dataclass(frozen=True)
class LifecycleMeasure:
    key: str
    name: str
    unit: str
    direction: str
    family: str  # "recruitment", "movements", "casework"
    table: str
    select: Mapping[str, str]  # the row, beyond period and the group: column -> value
    read: Callable[[Row], float | None]
    figures: tuple[str, ...]  # the row's columns the value rests on (None there: withheld)
    definition: str  # one sentence for the docs and the measure page

    @property
    def needs(self) -> str:
        return FAMILY_NEEDS[self.family]

    def table_for(self, directorate: str | None) -> str:
        """A directorate plan reads the directorate breakdown of the same table."""
        return self.table if directorate is None else f"{self.table}_by_directorate"


@dataclass(frozen=True)
class PeriodValue:
    period: str
    on: date  # the period's last day: 31 March
    value: float | None
    state: str = ""  # "" with a value; WITHHELD or NOT_CALCULABLE without


def period_end(period: str) -> date | None:
    """'2024-25' -> 31 March 2025; None for anything but a single financial year."""
    match = SINGLE_YEAR.match(str(period or "").strip())
    if not match:
        return None
    start = int(match[1])
    if (start + 1) % 100 != int(match[2]):
        return None
    return date(start + 1, 3, 31)


# --- readers of one row ----------------------------------------------------------------------


def relative_likelihood(row: Row) -> float | None:
    value = row.get("relative_likelihood")
    return None if value is None else float(value)


def group_rate(row: Row) -> float | None:
    value = row.get("group_rate")
    return None if value is None else float(value)


def share_of_known(row: Row) -> float | None:
    """The group's share of the outcome among the group and White people together, in %:
    group_count / (group_count + reference_count)."""
    group, reference = row.get("group_count"), row.get("reference_count")
    if group is None or reference is None or group + reference == 0:
        return None
    return 100.0 * group / (group + reference)


RELATIVE_LIKELIHOOD_FIGURES = ("relative_likelihood",)
RATE_FIGURES = ("group_rate",)
SHARE_FIGURES = ("group_count", "reference_count")


LIFECYCLE_MEASURES: dict[str, LifecycleMeasure] = {
    m.key: m
    for m in (
        LifecycleMeasure(
            "applicant_success_relative_likelihood",
            "Relative likelihood of White applicants being appointed compared with Black, "
            "Asian and Multi-ethnic applicants (appointed ÷ applied)",
            "ratio",
            "lower",
            "recruitment",
            "recruitment_relative_likelihood",
            {"stage": "applied to appointed", "applicant_type": "All"},
            relative_likelihood,
            RELATIVE_LIKELIHOOD_FIGURES,
            "White applicants' success rate (appointed ÷ applied) over Black, Asian and "
            "Multi-ethnic applicants' (the WRES indicator 2 convention; 1.00 is parity, above 1 "
            "White applicants were more likely to be appointed)",
        ),
        LifecycleMeasure(
            "appointments_black_asian_multi_ethnic_share",
            "% of appointments that went to Black, Asian and Multi-ethnic applicants",
            "%",
            "higher",
            "recruitment",
            "recruitment_relative_likelihood",
            {"stage": "applied to appointed", "applicant_type": "All"},
            share_of_known,
            SHARE_FIGURES,
            "Black, Asian and Multi-ethnic appointees ÷ (Black, Asian and Multi-ethnic + White "
            "appointees), in % (people whose ethnicity is not known are left out)",
        ),
        LifecycleMeasure(
            "disciplinary_black_asian_multi_ethnic_share",
            "% of formal disciplinaries against Black, Asian and Multi-ethnic staff",
            "%",
            "lower",
            "casework",
            "casework_relative_likelihood",
            {"process": "disciplinary"},
            share_of_known,
            SHARE_FIGURES,
            "Black, Asian and Multi-ethnic staff entering a formal disciplinary ÷ (Black, Asian "
            "and Multi-ethnic + White staff entering one), in %",
        ),
        LifecycleMeasure(
            "disciplinary_relative_likelihood",
            "Relative likelihood of Black, Asian and Multi-ethnic staff entering a formal "
            "disciplinary compared with White staff",
            "ratio",
            "lower",
            "casework",
            "casework_relative_likelihood",
            {"process": "disciplinary"},
            relative_likelihood,
            RELATIVE_LIKELIHOOD_FIGURES,
            "Black, Asian and Multi-ethnic staff's rate of entering a formal disciplinary over "
            "White staff's, each of the year's headcount (WRES indicator 3; 1.00 is parity)",
        ),
        LifecycleMeasure(
            "mediation_black_asian_multi_ethnic_rate",
            "% of Black, Asian and Multi-ethnic staff taking part in mediation",
            "%",
            "higher",
            "casework",
            "casework_relative_likelihood",
            {"process": "mediation"},
            group_rate,
            RATE_FIGURES,
            "Black, Asian and Multi-ethnic staff in a mediation case opened in the year ÷ "
            "Black, Asian and Multi-ethnic headcount, in %",
        ),
        LifecycleMeasure(
            "promotion_black_asian_multi_ethnic_rate",
            "% of Black, Asian and Multi-ethnic staff promoted within 12 months",
            "%",
            "higher",
            "movements",
            "promotions",
            {},
            group_rate,
            RATE_FIGURES,
            "Black, Asian and Multi-ethnic staff in a higher pay band a year later ÷ Black, "
            "Asian and Multi-ethnic staff at the start of the year (still employed or not), "
            "in %",
        ),
        LifecycleMeasure(
            "leadership_entry_black_asian_multi_ethnic_rate",
            "% of Black, Asian and Multi-ethnic staff outside the leadership tiers who entered "
            "them within 12 months",
            "%",
            "higher",
            "movements",
            "leadership_entries",
            {},
            group_rate,
            RATE_FIGURES,
            "Black, Asian and Multi-ethnic staff in a leadership tier a year later ÷ Black, "
            "Asian and Multi-ethnic staff outside the tiers at the start of the year, in %",
        ),
    )
}


# --- reading a family's tables --------------------------------------------------------------


def _matches(row: Row, select: Mapping[str, str], directorate: str | None) -> bool:
    if row.get("ethnic_group") != AGGREGATE_LABEL or row.get("reference_group") != WHITE:
        return False
    if directorate is not None and row.get("directorate") != directorate:
        return False
    # A selector column the table does not have (a table with no applicant type) is no filter.
    return all(row.get(column, value) == value for column, value in select.items())


def rows_by_period(
    measure: LifecycleMeasure, tables: Tables, directorate: str | None = None
) -> dict[str, Row]:
    """The measure's row for each single financial year the table holds."""
    found: dict[str, Row] = {}
    for row in tables.get(measure.table_for(directorate)) or ():
        period = str(row.get("period") or "")
        if period_end(period) is not None and _matches(row, measure.select, directorate):
            found.setdefault(period, row)
    return found


def value_of(measure: LifecycleMeasure, row: Row) -> PeriodValue:
    period = str(row["period"])
    on = period_end(period)
    assert on is not None  # rows_by_period keeps single years only
    if any(row.get(figure) is None for figure in measure.figures) and any(
        figure in row for figure in measure.figures
    ):
        # A figure in the row but blank: disclosure control withheld it (then a count it
        # rests on is withheld too), or it is not calculable from the counts shown (nobody in
        # a pool, or a ratio over a rate of 0).
        if _counts_withheld(row):
            return PeriodValue(period, on, None, WITHHELD)
        return PeriodValue(period, on, None, NOT_CALCULABLE)
    value = measure.read(row)
    if value is None:
        return PeriodValue(period, on, None, NOT_CALCULABLE)
    return PeriodValue(period, on, round(value, 2))


COUNT_COLUMNS = ("group_pool", "group_count", "reference_pool", "reference_count")


def _counts_withheld(row: Row) -> bool:
    return any(column in row and row[column] is None for column in COUNT_COLUMNS)


def values(key: str, tables: Tables, directorate: str | None = None) -> list[PeriodValue]:
    """One value per financial year, oldest first; [] when the tables have no such row (the
    family's data are not imported, or the table does not exist)."""
    measure = measure_for(key)
    found = rows_by_period(measure, tables, directorate)
    return sorted((value_of(measure, row) for row in found.values()), key=lambda v: v.on)


def measure_for(key: str) -> LifecycleMeasure:
    if key not in LIFECYCLE_MEASURES:
        raise KeyError(f"no lifecycle measure {key!r}; known: {', '.join(LIFECYCLE_MEASURES)}")
    return LIFECYCLE_MEASURES[key]


def not_available_text(key: str) -> str:
    """What the measure page says before the family's data are imported."""
    measure = measure_for(key)
    return f"Not available yet: import {measure.needs}."


NOT_BY_DIRECTORATE_TEXT = (
    "Not available for a directorate plan: this figure is published for the whole "
    "organisation only."
)


def availability(key: str, tables: Tables, directorate: str | None = None) -> str | None:
    """Why a lifecycle measure has no value: its family's data are not imported, the figure
    is not broken down by directorate, or no year gives it (every year not calculable). None
    when some year has a value (shown, or withheld: the page says withheld)."""
    measure = measure_for(key)
    if not any(tables.values()):
        return not_available_text(key)
    found = rows_by_period(measure, tables, directorate)
    if any(value_of(measure, row).state != NOT_CALCULABLE for row in found.values()):
        return None
    if directorate is not None and not found:
        return NOT_BY_DIRECTORATE_TEXT
    return NO_FIGURE_TEXT
