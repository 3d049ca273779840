"""Levels suggested for 2a.1, 2a.5, 2e.2 and 3.6 from the employee lifecycle data held.

Pure (no Django): `lifecycle_evidence(families, window_end)` reads the lifecycle families'
PROTECTED tables (as rows) and `suggest_from_lifecycle(evidence)` turns what they show into
suggestions, each with its rule beside it, as `suggestions.py` does for the workforce figures.
`equitable.standard.services.suggest_levels` feeds them. The assessor may always overrule a
suggestion, giving a reason.

What data can and cannot show. Presence and content of the data show that it is collected, at
which recruitment stages, how recently, and whether a figure shows a disparity. They cannot
show that the analysis is *used* to support diversity initiatives, that it is published on the
website, or that it has a positive impact: a suggestion never goes beyond what the data show,
and its reason says what the assessor must judge.

"The last 12 months": the 12 months up to `window_end` (the end of the period assessed: "2024
to 2025" ends on 31 March 2025; today when the period is not a financial year). A family's
data are *recent* when one of its single financial years overlaps that window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL, WHITE
from equitable.standard.suggestions import Suggestion

Rows = Sequence[Mapping[str, Any]]
Tables = Mapping[str, Rows]

FAMILIES = ("recruitment", "movements", "casework", "development")
FAMILY_NAMES = {
    "recruitment": "recruitment",
    "movements": "movements (starters, leavers, promotions)",
    "casework": "casework (formal processes)",
    "development": "training and development",
}
STAGES = ("applied", "longlisted", "shortlisted", "interviewed", "offered", "appointed")
SOURCE = "lifecycle data"
CRITERIA = ("2a.1", "2a.5", "2e.2", "3.6")  # the criteria these suggestions answer

SINGLE_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
TWO_YEARS = re.compile(r"^(\d{4})-(\d{2}) to (\d{4})-(\d{2})$")

# Figures read for 2e.2: the table, the rows (beyond the Black, Asian and Multi-ethnic group
# against White), and which side of 1 means a disparity against Black, Asian and Multi-ethnic
# people: "above" when the ratio is stated White over group for a good outcome (WRES 2, 4) or
# group over White for a bad one (WRES 3, leaving); "below" for group over White of a good one.
ADVERSE_FIGURES: tuple[tuple[str, Mapping[str, str], str, str], ...] = (
    (
        "recruitment_relative_likelihood",
        {"stage": "applied to appointed", "applicant_type": "All"},
        "above",
        "appointment of applicants",
    ),
    ("casework_relative_likelihood", {"process": "disciplinary"}, "above", "formal disciplinaries"),
    ("casework_relative_likelihood", {"process": "capability"}, "above", "formal capability"),
    ("development_relative_likelihood", {}, "above", "non-mandatory training"),
    ("promotions", {}, "below", "promotion"),
    ("leavers_relative_likelihood", {}, "above", "leaving"),
)


def financial_year_span(period: str) -> tuple[date, date] | None:
    """'2024-25' -> (1 April 2024, 31 March 2025); a two-year window '2023-24 to 2024-25'
    -> (1 April 2023, 31 March 2025); None for anything else."""
    text = str(period or "").strip()
    single = SINGLE_YEAR.match(text)
    if single:
        return date(int(single[1]), 4, 1), date(int(single[1]) + 1, 3, 31)
    window = TWO_YEARS.match(text)
    if window:
        return date(int(window[1]), 4, 1), date(int(window[3]) + 1, 3, 31)
    return None


def assessment_window_end(period: str, today: date) -> date:
    """The last day of an assessment period written "2024 to 2025", "2024-25" or
    "2024/25" (31 March 2025, the financial year); today for any other wording."""
    match = re.match(r"^\s*(\d{4})\s*(?:to|-|/|–)\s*(\d{2}|\d{4})\s*$", period or "")
    if not match:
        return today
    start, end = int(match[1]), int(match[2])
    end = end if end >= 1000 else (start // 100) * 100 + end
    if end != start + 1:
        return today
    return date(end, 3, 31)


def _recent(period: str, window_end: date) -> bool:
    """A single financial year that overlaps the 12 months up to `window_end`."""
    if not SINGLE_YEAR.match(str(period or "").strip()):
        return False
    span = financial_year_span(period)
    assert span is not None
    window_start = window_end - timedelta(days=365)
    return span[0] <= window_end and span[1] > window_start


def _periods(tables: Tables) -> set[str]:
    return {
        str(row["period"])
        for rows in tables.values()
        for row in rows
        if row.get("period") is not None and SINGLE_YEAR.match(str(row["period"]))
    }


@dataclass(frozen=True)
class LifecycleEvidence:
    """What the lifecycle data show, reduced to what the four criteria ask."""

    window_end: date
    held: frozenset[str]  # families with any data
    recent: frozenset[str]  # families with a financial year overlapping the window
    recent_periods: Mapping[str, str]  # family -> its newest recent financial year
    recruitment_stages: frozenset[str]  # stages with applicants in the newest recent year
    disparities: tuple[str, ...]  # figures of the newest recent years showing a disparity

    @property
    def window_text(self) -> str:
        return f"the 12 months to {self.window_end:%-d %B %Y}"


def _stages_present(rows: Rows, period: str) -> frozenset[str]:
    """Stages anyone reached in the year: a count above zero in the published stages table
    (a withheld count says nothing, but the stage's other rows usually do)."""
    present = set()
    for row in rows:
        if str(row.get("period")) != period or row.get("stage") not in STAGES:
            continue
        if row.get("applicant_type", "All") != "All":
            continue
        counts = [row.get(c) for c in ("reached", "stage_total")]
        if any(isinstance(c, int | float) and c > 0 for c in counts):
            present.add(str(row["stage"]))
    return frozenset(present)


def _disparities(tables: Tables, period: str) -> list[str]:
    """The figures of the year (organisation-wide rows) whose 95% interval lies wholly on the
    side of 1 that is adverse to Black, Asian and Multi-ethnic people."""
    found = []
    for table, select, adverse, label in ADVERSE_FIGURES:
        for row in tables.get(table) or ():
            if (
                str(row.get("period")) != period
                or row.get("ethnic_group") != AGGREGATE_LABEL
                or row.get("reference_group") != WHITE
                or any(row.get(column, value) != value for column, value in select.items())
                or any(row.get(c) is not None for c in ("directorate", "pay_band"))
            ):
                continue
            low, high = row.get("ci_low"), row.get("ci_high")
            if low is None or high is None:
                continue  # withheld or not calculable: shows nothing either way
            if (adverse == "above" and low > 1) or (adverse == "below" and high < 1):
                found.append(f"{label} ({period})")
                break  # one row per figure is enough (e.g. all applicants, not each stage)
    return found


def lifecycle_evidence(families: Mapping[str, Tables], window_end: date) -> LifecycleEvidence:
    """Read the protected tables of each lifecycle family (family -> table -> rows)."""
    held, recent = set(), set()
    newest: dict[str, str] = {}
    for family in FAMILIES:
        tables = families.get(family) or {}
        periods = _periods(tables)
        if not any(tables.values()):
            continue
        held.add(family)
        in_window = sorted(p for p in periods if _recent(p, window_end))
        if in_window:
            recent.add(family)
            newest[family] = in_window[-1]
    stages: frozenset[str] = frozenset()
    if "recruitment" in newest:
        stages = _stages_present(
            (families["recruitment"] or {}).get("recruitment_stages") or (), newest["recruitment"]
        )
    disparities: list[str] = []
    for family, period in newest.items():
        disparities += _disparities(families[family], period)
    return LifecycleEvidence(
        window_end=window_end,
        held=frozenset(held),
        recent=frozenset(recent),
        recent_periods=newest,
        recruitment_stages=stages,
        disparities=tuple(disparities),
    )


# --- the suggestions ------------------------------------------------------------------------


def _names(families: Iterable[str]) -> str:
    chosen = [FAMILY_NAMES[f] for f in FAMILIES if f in set(families)]
    if not chosen:
        return "none"
    return chosen[0] if len(chosen) == 1 else ", ".join(chosen[:-1]) + " and " + chosen[-1]


def suggest_recruitment_stages(evidence: LifecycleEvidence) -> Suggestion | None:
    """2a.1. Established: recruitment data of the last 12 months with at least the
    shortlisted and appointed stages (Equitable analyses every stage it has). Leading adds the
    assessment process: the interviewed stage as well. Data collected but without both stages,
    or older than 12 months: developing (collected, not analysed at each stage)."""
    if "recruitment" not in evidence.held:
        return None
    if "recruitment" not in evidence.recent:
        return Suggestion(
            "developing",
            f"Recruitment data held, none for {evidence.window_text}",
            "Recruitment data is collected but there is none for the last 12 months to "
            "analyse at each stage: developing. Import the year's applications to analyse it.",
            SOURCE,
        )
    period = evidence.recent_periods["recruitment"]
    stages = [s for s in STAGES if s in evidence.recruitment_stages]
    figure = f"Recruitment data for {period} with the stages {', '.join(stages) or 'none'}"
    if not {"shortlisted", "appointed"} <= evidence.recruitment_stages:
        missing = [s for s in ("shortlisted", "appointed") if s not in evidence.recruitment_stages]
        return Suggestion(
            "developing",
            figure,
            "Rule: established needs recruitment data of the last 12 months with at least the "
            f"shortlisted and appointed stages; this data has no {' or '.join(missing)} stage, "
            "so it cannot be analysed at each stage: developing.",
            SOURCE,
        )
    used = (
        " The criterion also asks that the analysis is used to support diversity initiatives: "
        "if it is not, choose developing."
    )
    if "interviewed" in evidence.recruitment_stages:
        return Suggestion(
            "leading",
            figure,
            "Rule: recruitment data of the last 12 months with the shortlisted, interviewed "
            "and appointed stages is analysed at each stage, the assessment process (interview) "
            "included: leading." + used,
            SOURCE,
        )
    return Suggestion(
        "established",
        figure,
        "Rule: recruitment data of the last 12 months with at least the shortlisted and "
        "appointed stages is analysed at each stage: established. Leading also needs the "
        "assessment process: add the interviewed stage." + used,
        SOURCE,
    )


def suggest_longlist_review(evidence: LifecycleEvidence) -> Suggestion | None:
    """2a.5 (established only). Established: recruitment data of the last 12 months with a
    longlisted and an appointed stage, so appointments' make-up is compared with the
    longlist's. Otherwise none."""
    if "recruitment" not in evidence.held:
        return None
    stages = evidence.recruitment_stages if "recruitment" in evidence.recent else frozenset()
    if {"longlisted", "appointed"} <= stages:
        period = evidence.recent_periods["recruitment"]
        return Suggestion(
            "established",
            f"Appointments compared with the longlist for {period}",
            "Rule: recruitment data of the last 12 months with the longlisted and appointed "
            "stages gives the annual comparison of appointments' diversity make-up against the "
            "longlist: established. The criterion also asks for a review against recruitment "
            "targets: if there is none, choose none.",
            SOURCE,
        )
    if "recruitment" not in evidence.recent:
        figure = f"No recruitment data for {evidence.window_text}"
    else:
        figure = f"Recruitment data for {evidence.recent_periods['recruitment']} with no " + (
            "longlisted stage" if "longlisted" not in stages else "appointed stage"
        )
    return Suggestion(
        "none",
        figure,
        "Rule: established needs recruitment data of the last 12 months with the longlisted "
        "and appointed stages, so appointments can be compared with the longlist.",
        SOURCE,
    )


def suggest_lifecycle_impact(evidence: LifecycleEvidence) -> Suggestion | None:
    """2e.2. Established: all four areas (recruitment, movements, casework, development) have
    data in the last 12 months and none of their figures shows a disparity against Black,
    Asian and Multi-ethnic staff beyond chance (the 95% interval of the relative likelihood
    all on the adverse side of 1). Some areas, or a disparity: developing. Leading (a positive
    impact on the whole organisation) is beyond what the figures show."""
    if not evidence.held:
        return None
    recent = evidence.recent
    figure = (
        f"Lifecycle data for {evidence.window_text}: {len(recent)} of 4 areas ({_names(recent)})"
    )
    if not recent:
        return Suggestion(
            "none",
            figure,
            "Rule: developing needs lifecycle data of the last 12 months; the data held is older.",
            SOURCE,
        )
    if len(recent) < len(FAMILIES):
        missing = _names(set(FAMILIES) - set(recent))
        return Suggestion(
            "developing",
            figure,
            "Rule: data captured from some areas of the employee lifecycle is developing; "
            f"established needs all four areas of the last 12 months (missing: {missing}) "
            "with no disparity against Black, Asian and Multi-ethnic staff.",
            SOURCE,
        )
    if evidence.disparities:
        return Suggestion(
            "developing",
            figure + "; disparities in " + ", ".join(evidence.disparities),
            "Rule: established needs the data to show no negative impact, but these figures "
            "show a disparity against Black, Asian and Multi-ethnic staff beyond what chance "
            "alone would give (95% interval wholly on one side of 1): developing.",
            SOURCE,
        )
    return Suggestion(
        "established",
        figure + "; no disparity beyond chance",
        "Rule: all four areas have data of the last 12 months and no figure shows a disparity "
        "against Black, Asian and Multi-ethnic staff beyond what chance alone would give "
        "(a figure withheld for small numbers shows nothing either way): established. Leading (a positive impact on them and the whole organisation) is for "
        "you to show.",
        SOURCE,
    )


def suggest_lifecycle_capture(evidence: LifecycleEvidence) -> Suggestion | None:
    """3.6. Developing: data from at least two of the four areas of the employee lifecycle in
    the last 12 months (processes and systems that capture it). Established (published on the
    website) and leading (annual reports with actions) are about publication, which the data
    cannot show."""
    if not evidence.held:
        return None
    recent = evidence.recent
    figure = (
        f"Lifecycle data for {evidence.window_text}: {len(recent)} of 4 areas ({_names(recent)})"
    )
    if len(recent) >= 2:
        return Suggestion(
            "developing",
            figure,
            "Rule: data captured from at least two of the four areas of the employee lifecycle "
            "(recruitment, movements, casework, development) in the last 12 months: developing. "
            "If you publish it on your website choose established; with annual reports and "
            "actions, leading.",
            SOURCE,
        )
    return Suggestion(
        "none",
        figure,
        "Rule: developing needs data captured from at least two of the four areas of the "
        "employee lifecycle in the last 12 months.",
        SOURCE,
    )


def suggest_from_lifecycle(evidence: LifecycleEvidence) -> dict[str, Suggestion]:
    """Suggested levels by criterion id, for the criteria the lifecycle data can answer."""
    found = {
        "2a.1": suggest_recruitment_stages(evidence),
        "2a.5": suggest_longlist_review(evidence),
        "2e.2": suggest_lifecycle_impact(evidence),
        "3.6": suggest_lifecycle_capture(evidence),
    }
    return {cid: suggestion for cid, suggestion in found.items() if suggestion is not None}
