"""How old a figure is, worked out by hand on quarter boundaries, and the key messages read
from plain text (equitable/actions/report_text.py)."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions import report_text

SNAP = "from the {} snapshot — {} before this report"


@pytest.mark.parametrize(
    ("as_at", "quarter", "expected"),
    [
        # 31 March is the last day of Q1: one quarter before a Q2 report, two before Q3.
        (date(2025, 3, 31), "2025Q2", SNAP.format("31 Mar 2025", "1 quarter")),
        (date(2025, 3, 31), "2025Q3", SNAP.format("31 Mar 2025", "2 quarters")),
        # 1 April is the first day of Q2: inside the quarter, no note.
        (date(2025, 4, 1), "2025Q2", None),
        # The quarter's last day is inside it too.
        (date(2025, 6, 30), "2025Q2", None),
        # Across the year: 31 December 2024 (2024Q4) is one quarter before 2025Q1 …
        (date(2024, 12, 31), "2025Q1", SNAP.format("31 Dec 2024", "1 quarter")),
        # … and 1 January 2024 (2024Q1) four quarters, a year, before it.
        (date(2024, 1, 1), "2025Q1", SNAP.format("1 Jan 2024", "4 quarters")),
        # 30 September 2023 (2023Q3) to 2026Q4: 13 quarters (3 years and a quarter).
        (date(2023, 9, 30), "2026Q4", SNAP.format("30 Sep 2023", "13 quarters")),
        (None, "2025Q1", None),
    ],
)
def test_figure_age_on_quarter_boundaries(as_at, quarter, expected):
    assert report_text.figure_age(as_at, quarter) == expected


def test_a_measure_value_says_it_is_a_value_not_a_snapshot():
    assert (
        report_text.figure_age(date(2024, 12, 31), "2025Q1", source="value")
        == "from the 31 Dec 2024 value — 1 quarter before this report"
    )


def test_key_messages_paragraphs_and_bullets():
    text = (
        "Leadership share rose for the third year.\nIt is still below target.\n\n"
        "- 41 of 68 career conversations held\n* panels in every directorate\n\n"
        "• a second list\n-no space is not a bullet\n"
    )
    assert report_text.key_message_blocks(text) == [
        {
            "kind": "p",
            "text": "Leadership share rose for the third year. It is still below target.",
        },
        {
            "kind": "ul",
            "items": ["41 of 68 career conversations held", "panels in every directorate"],
        },
        {"kind": "ul", "items": ["a second list"]},
        {"kind": "p", "text": "-no space is not a bullet"},
    ]
    assert report_text.key_message_blocks("") == []
    assert report_text.key_message_blocks("\r\n\r\n  \n") == []


def test_key_message_bounds():
    assert report_text.key_message_problems("fine") == []
    too_long = "x" * (report_text.MAX_KEY_MESSAGES + 1)
    assert "3,000 characters or fewer" in report_text.key_message_problems(too_long)[0]
    too_many = "\n".join(["a"] * (report_text.MAX_KEY_MESSAGE_LINES + 1))
    assert "40 lines or fewer" in report_text.key_message_problems(too_many)[0]
    assert "control characters" in report_text.key_message_problems("a\x07b")[0]
