"""Computed measures from the staff surveys: one question of the question bank, one group.

A survey measure's `computed_key` names both, `survey:<group>:<bank item code>` (for example
`survey:black-asian-multi-ethnic:q8`), so a plan exported to a workbook and imported again
keeps its source, and a measure page can say which question it reads. Its value for a wave is
the wave's PUBLISHED % favourable for that question and group (survey figures are only ever
shown protected, to everyone: docs/decisions.md 29), dated the last day of the fieldwork
month; a wave that withholds the group's row gives no value, and the measure page says so.

Pure (no Django): parsing, the groups a measure may read, and which published row a group is.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL, ETHNIC_GROUPS

PREFIX = "survey:"
ALL_RESPONDENTS = "all"

# Group key -> (label, the published table holding its row, that table's group column).
GROUPS: dict[str, tuple[str, str, str | None]] = {
    ALL_RESPONDENTS: ("All respondents", "results_overall", None),
    "black-asian-multi-ethnic": (
        AGGREGATE_LABEL,
        "results_by_ethnic_group",
        "ethnic_group",
    ),
    **{
        group.lower(): (group, "results_by_ethnic_group", "ethnic_group") for group in ETHNIC_GROUPS
    },
}
GROUP_NAMES = {key: label for key, (label, _, _) in GROUPS.items()}


@dataclass(frozen=True)
class SurveySource:
    group: str  # a key of GROUPS
    item_code: str  # the question bank item's code

    @property
    def key(self) -> str:
        return f"{PREFIX}{self.group}:{self.item_code}"

    @property
    def group_label(self) -> str:
        return GROUP_NAMES[self.group]

    @property
    def table(self) -> str:
        return GROUPS[self.group][1]

    def row_of(self, rows: Sequence[Mapping[str, Any]], question: str) -> Mapping[str, Any] | None:
        """The published row of this group for one question of a wave (None: not published)."""
        _, _, column = GROUPS[self.group]
        for row in rows:
            if row.get("question") != question:
                continue
            if column is None or row.get(column) == self.group_label:
                return row
        return None


def is_survey_key(key: str) -> bool:
    return key.startswith(PREFIX)


def parse(key: str) -> SurveySource:
    """`survey:<group>:<item code>` -> its source; ValueError saying what is wrong."""
    if not is_survey_key(key):
        raise ValueError(f"{key!r} is not a survey measure key")
    group, _, code = key[len(PREFIX) :].partition(":")
    if group not in GROUPS:
        raise ValueError(
            f"{group!r} is not a group a survey measure can read; use one of: " + ", ".join(GROUPS)
        )
    if not code:
        raise ValueError("a survey measure key ends with the question bank code")
    return SurveySource(group, code)


def wave_date(fieldwork_month: date) -> date:
    """A wave's value is dated the last day of its fieldwork month."""
    last = calendar.monthrange(fieldwork_month.year, fieldwork_month.month)[1]
    return fieldwork_month.replace(day=last)


@dataclass(frozen=True)
class WaveValue:
    survey: str  # the wave's title
    on: date
    value: float | None
    why_withheld: str = ""  # with value None: the reason the published row gives


def value_from(row: Mapping[str, Any] | None) -> tuple[float | None, str]:
    """The % favourable a published row shows, or None and why not."""
    if row is None:
        return None, "the group has no published result for this question in this wave"
    if row.get("suppressed") or row.get("percent_favourable") is None:
        reason = str(row.get("why_withheld") or "withheld to protect respondents")
        return None, reason
    return round(float(row["percent_favourable"]), 1), ""


def definition(source: SurveySource, question_text: str) -> str:
    """One sentence for the measure page: what the number is."""
    who = "respondents" if source.group == ALL_RESPONDENTS else f"{source.group_label} respondents"
    return (
        f"% of {who} answering favourably to “{question_text}” (favourable answers ÷ "
        "answers other than don't know or prefer not to say), as published for each wave"
    )
