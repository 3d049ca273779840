"""Levels suggested from workforce figures, for the criteria the data can answer.

Pure (no Django): `suggest_from_figures(figures)` takes plain numbers, so it is tested with
hand-built figures; `equitable.standard.services.suggest_levels(organisation)` feeds it from the
workforce app. The assessor may always overrule a suggestion, giving a reason.

Figures (every key optional; a missing one means no suggestion for its criterion):
- `unknown_ethnicity_percent`: share of staff whose ethnicity is unknown or not disclosed, in %.
- `ethnicity_pay_gap_percent`: median hourly pay gap between White staff and Black, Asian and
  Multi-ethnic staff, in % of White staff's pay (positive: Black, Asian and Multi-ethnic staff
  are paid less).
- `representation_by_level`: one entry per level of the organisation (e.g. pay band) with
  `level`, `workforce_percent` (Black, Asian and Multi-ethnic share of staff at that level) and
  `community_percent` (their share of the local working-age population).
- `as_of`: the snapshot date the figures describe, shown beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# 3.3: "the percentage of 'unknown or non-disclosed' ethnicity is less than 10% [established] /
# less than 5% [leading] of the organisation".
UNKNOWN_ESTABLISHED_BELOW = 10.0
UNKNOWN_LEADING_BELOW = 5.0

# 2d.1: the Standard gives no tolerance for "no ethnicity pay gap"; we read a median gap under
# one percentage point (or in favour of Black, Asian and Multi-ethnic staff) as no gap.
NO_PAY_GAP_BELOW = 1.0

# 2a.8: a level "reflects the local community" when the Black, Asian and Multi-ethnic share of
# its staff is no more than this many percentage points below the community's share.
REFLECTS_WITHIN_POINTS = 5.0


@dataclass(frozen=True)
class Suggestion:
    level: str
    figure_text: str
    reason: str
    source: str = "workforce data"  # "From your <source>:" beside the suggestion


def _as_of(figures: Mapping[str, Any]) -> str:
    return f" (workforce snapshot {figures['as_of']})" if figures.get("as_of") else ""


def suggest_disclosure(unknown_percent: float, as_of: str = "") -> Suggestion:
    """3.3 from the share of unknown or undisclosed ethnicity."""
    figure = f"Ethnicity unknown or not disclosed: {unknown_percent:.1f}% of staff{as_of}"
    if unknown_percent < UNKNOWN_LEADING_BELOW:
        return Suggestion(
            "leading", figure, "Less than 5% of staff have unknown or undisclosed ethnicity."
        )
    if unknown_percent < UNKNOWN_ESTABLISHED_BELOW:
        return Suggestion(
            "established",
            figure,
            "Less than 10% (but not less than 5%) of staff have unknown or undisclosed ethnicity.",
        )
    return Suggestion(
        "none",
        figure,
        "10% or more of staff have unknown or undisclosed ethnicity; the row needs less than 10%.",
    )


def suggest_pay_gap(gap_percent: float, as_of: str = "") -> Suggestion:
    """2d.1 from the median ethnicity pay gap. Established ("measures have been introduced to
    close the ethnicity pay gap") is about actions, which figures cannot show."""
    figure = f"Median ethnicity pay gap: {gap_percent:.1f}%{as_of}"
    if gap_percent < NO_PAY_GAP_BELOW:
        return Suggestion(
            "leading", figure, "Pay data shows no ethnicity pay gap (median gap under 1%)."
        )
    return Suggestion(
        "developing",
        figure,
        "Pay data shows an ethnicity pay gap. If measures have been introduced to close it, "
        "choose established and describe them.",
    )


def suggest_representation(levels: list[Mapping[str, Any]], as_of: str = "") -> Suggestion | None:
    """2a.8 from the Black, Asian and Multi-ethnic share at each level against the community."""
    usable = [
        row
        for row in levels
        if row.get("workforce_percent") is not None and row.get("community_percent") is not None
    ]
    if not usable:
        return None
    reflecting = [
        row["level"]
        for row in usable
        if row["workforce_percent"] >= row["community_percent"] - REFLECTS_WITHIN_POINTS
    ]
    community = usable[0]["community_percent"]
    figure = (
        f"Black, Asian and Multi-ethnic staff reflect the community ({community:.0f}%) at "
        f"{len(reflecting)} of {len(usable)} levels{as_of}"
    )
    if len(reflecting) == len(usable):
        return Suggestion(
            "leading", figure, "The workforce reflects the local community at all levels."
        )
    if reflecting:
        return Suggestion(
            "established",
            figure,
            f"The workforce reflects the local community at some levels: {', '.join(map(str, reflecting))}.",
        )
    return Suggestion(
        "developing", figure, "The workforce does not reflect the local community at any level."
    )


def suggest_from_figures(figures: Mapping[str, Any]) -> dict[str, Suggestion]:
    """Suggested levels by criterion id, for the figures present."""
    as_of = _as_of(figures)
    suggestions: dict[str, Suggestion] = {}
    if figures.get("unknown_ethnicity_percent") is not None:
        suggestions["3.3"] = suggest_disclosure(float(figures["unknown_ethnicity_percent"]), as_of)
    if figures.get("ethnicity_pay_gap_percent") is not None:
        suggestions["2d.1"] = suggest_pay_gap(float(figures["ethnicity_pay_gap_percent"]), as_of)
    representation = suggest_representation(
        list(figures.get("representation_by_level") or []), as_of
    )
    if representation is not None:
        suggestions["2a.8"] = representation
    return suggestions


BAME_GROUP = "Black, Asian and Multi-ethnic"
LEVEL_TABLES = (
    ("representation_by_pay_band", "pay_band", "Pay band"),
    ("representation_by_grade", "grade", "Grade"),
    ("representation_by_leadership_tier", "leadership_tier", "Tier"),
)


def figures_from_tables(
    tables: Mapping[str, list[dict]],
    population: Sequence[Mapping[str, Any]] | None = None,
    as_of: str = "",
    min_count: int = 0,
) -> dict[str, Any]:
    """The figures above, read from the workforce app's `compute_all` tables (as row dicts).

    - unknown ethnicity: 100 − `disclosure.percent_known` for the ethnicity row;
    - pay gap: `pay_gap_ethnicity`, grouping "wres", group "Black, Asian and Multi-ethnic",
      `median_gap_percent` (against White staff);
    - representation: the first of pay band, grade or leadership tier tables, the Black, Asian
      and Multi-ethnic `percent_of_known` per level, against the resident population's share of
      groups other than White (`population` rows with `ethnic_group` and `percent`).
    A value withheld by disclosure control (None) gives no figure, and so does a figure about
    fewer than `min_count` people (the organisation's suppression threshold): the suggestions
    are shown to every role that reads the assessment.
    """

    def enough(*counts: Any) -> bool:
        return all(count is not None and count >= min_count for count in counts)

    figures: dict[str, Any] = {"as_of": as_of} if as_of else {}
    for row in tables.get("disclosure", []):
        if (
            row.get("characteristic") == "ethnicity"
            and row.get("percent_known") is not None
            and enough(row.get("total", min_count))
        ):
            figures["unknown_ethnicity_percent"] = round(100.0 - float(row["percent_known"]), 2)
    for row in tables.get("pay_gap_ethnicity", []):
        if (
            row.get("grouping") == "wres"
            and row.get("ethnic_group") == BAME_GROUP
            and row.get("median_gap_percent") is not None
            and enough(row.get("count", min_count), row.get("reference_count", min_count))
        ):
            figures["ethnicity_pay_gap_percent"] = float(row["median_gap_percent"])
    community = _community_share(population)
    if community is not None:
        for table, column, label in LEVEL_TABLES:
            rows = [
                r
                for r in tables.get(table, [])
                if r.get("ethnic_group") == BAME_GROUP and enough(r.get("total", min_count))
            ]
            if rows:
                figures["representation_by_level"] = [
                    {
                        "level": f"{label} {r.get(column)}",
                        "workforce_percent": r.get("percent_of_known"),
                        "community_percent": community,
                    }
                    for r in rows
                ]
                break
    return figures


def _community_share(population: Sequence[Mapping[str, Any]] | None) -> float | None:
    """Share of residents in groups other than White, in % of residents with a group."""
    if not population:
        return None
    by_group: dict[str, float] = {}
    for row in population:
        if row.get("ethnic_group") and row.get("percent") is not None:
            by_group[row["ethnic_group"]] = by_group.get(row["ethnic_group"], 0.0) + float(
                row["percent"]
            )
    total = sum(by_group.values())
    if total <= 0 or "White" not in by_group:
        return None
    return 100.0 * (total - by_group["White"]) / total


# --- 3.1, 3.4 and 3.6 from what the organisation has published (publications app) ----------


@dataclass(frozen=True)
class PublishedEvidence:
    """What the organisation published in the 12 months to the day of the suggestion."""

    annual_report_on: str | None = None  # date published, as people write it
    pay_gap_report_on: str | None = None
    annual_report_links_actions: bool = False
    pay_gap_report_links_actions: bool = False
    annual_report_has_lifecycle: bool = False
    councils_compared: int = 0  # other councils whose published figures sit beside ours


PUBLISHED_SOURCE = "publications"


def suggest_from_publications(evidence: PublishedEvidence) -> dict[str, Suggestion]:
    """3.1 from the annual report, 3.4 from the pay gap report, 3.6 from lifecycle figures in
    the annual report; nothing published in the last year: no suggestion (the other evidence
    stands)."""
    out: dict[str, Suggestion] = {}
    if evidence.annual_report_on:
        figure = f"Annual workforce equality report published {evidence.annual_report_on}"
        if evidence.councils_compared and evidence.annual_report_links_actions:
            out["3.1"] = Suggestion(
                "leading",
                f"{figure}; compared with {evidence.councils_compared} other "
                f"council{'s' if evidence.councils_compared != 1 else ''}",
                "Published in the last year, with actions, and its figures are compared with "
                "other councils' published figures on the public index.",
                PUBLISHED_SOURCE,
            )
        elif evidence.annual_report_links_actions:
            out["3.1"] = Suggestion(
                "established",
                figure,
                "Published in the last year, with the actions that address the gaps; no other "
                "council's published figures to compare with yet.",
                PUBLISHED_SOURCE,
            )
        else:
            out["3.1"] = Suggestion(
                "developing",
                figure,
                "Published in the last year, but it links no actions (established asks for "
                "actions to close the gaps).",
                PUBLISHED_SOURCE,
            )
        if evidence.annual_report_has_lifecycle:
            out["3.6"] = Suggestion(
                "leading" if evidence.annual_report_links_actions else "established",
                f"{figure}, with employee lifecycle figures",
                "Lifecycle figures published in the last year"
                + (", with actions." if evidence.annual_report_links_actions else "."),
                PUBLISHED_SOURCE,
            )
    if evidence.pay_gap_report_on:
        figure = f"Pay gap report (ethnicity) published {evidence.pay_gap_report_on}"
        out["3.4"] = (
            Suggestion(
                "leading",
                figure,
                "An ethnicity pay gap report published in the last year, with the actions to "
                "narrow the gap.",
                PUBLISHED_SOURCE,
            )
            if evidence.pay_gap_report_links_actions
            else Suggestion(
                "established",
                figure,
                "Ethnicity pay data published in the last year, but the report links no actions "
                "(leading asks for them).",
                PUBLISHED_SOURCE,
            )
        )
    return out
