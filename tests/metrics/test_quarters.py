"""Calendar quarters: both spellings read, each written where it always was."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equitable.metrics.quarters import Quarter


@pytest.mark.parametrize("text", ["2025Q1", "2025-Q1", "2025 q1", "Q1 2025", " 2025/Q1 "])
def test_every_spelling_councils_use_reads_as_the_same_quarter(text):
    assert Quarter.parse(text) == Quarter(2025, 1)


@pytest.mark.parametrize("text", ["", "2025Q5", "2025Q0", "25Q1", "2025-1", "Q 2025", None])
def test_anything_else_is_refused_in_words(text):
    with pytest.raises(ValueError, match="is not a quarter"):
        Quarter.parse(text)


def test_a_quarter_has_its_first_and_last_days_and_both_spellings():
    q4 = Quarter(2024, 4)
    assert (q4.start, q4.end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert (Quarter(2025, 1).start, Quarter(2025, 1).end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert (q4.compact, q4.dashed) == ("2024Q4", "2024-Q4")


def test_neighbours_cross_the_year():
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert [q.dashed for q in Quarter(2025, 2).last(4)] == [
        "2024-Q3",
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    ]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_inside_its_own_quarter(day):
    quarter = Quarter.of(day)
    assert quarter.start <= day <= quarter.end
    assert Quarter.parse(quarter.compact) == Quarter.parse(quarter.dashed) == quarter
