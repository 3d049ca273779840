"""Response times by quarter, worked by hand (see the module docstring for the formulas).

Six reports, targets 5 working days (7 days from the Monday) and 60 days, on Wednesday
10 June 2026 (this week: Monday 8 June):

| report | received | first response | days | closed | days | |
| A | 5 Jan  | 5 Jan  | 0  | 2 Feb | 28 | both within target |
| B | 12 Jan | 26 Jan | 14 | 6 Apr | 84 | both late |
| C | 2 Feb  | 9 Feb  | 7  | –     |    | still open, 126 days > 60: late |
| D | 30 Mar | –      |    | –     |    | waiting 70 days > 7 and > 60: late for both |
| E | 1 Jun  | –      |    | –     |    | waiting 7 days, not > 7: not yet known |
| F | 8 Jun  | 8 Jun  | 0  | –     |    | open 0 days: not yet known |

2026-Q1 (A–D): first response decided 3 answered + 1 late = 4, within 2 (A, C): 50%, median of
0, 14, 7 = 7. Close: decided 2 + 2 late = 4, within 1 (A): 25%, median of 28, 84 = 56.
Wilson for 2 of 4: z² = 3.8415; centre = (0.5 + 3.8415/8) / (1 + 3.8415/4) = 0.5;
half = 1.96 × √(0.25/4 + 3.8415/64) / 1.9604 = 0.3500, so 15.0% to 85.0%.
2026-Q2 (E, F): first response decided 1 (F), within 1: 100%, Wilson 1 of 1 = 20.7% to 100%,
median 0; close: none decided, no share, no median.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics.response_times import (
    response_times,
    wilson_interval,
    working_days_target,
)

D = date
REPORTS = pl.DataFrame(
    {
        "received": [
            D(2026, 1, 5),
            D(2026, 1, 12),
            D(2026, 2, 2),
            D(2026, 3, 30),
            D(2026, 6, 1),
            D(2026, 6, 8),
        ],
        "first_response": [D(2026, 1, 5), D(2026, 1, 26), D(2026, 2, 9), None, None, D(2026, 6, 8)],
        "closed": [D(2026, 2, 2), D(2026, 4, 6), None, None, None, None],
    },
    schema={"received": pl.Date, "first_response": pl.Date, "closed": pl.Date},
)


def table(**overrides):
    arguments = dict(on=D(2026, 6, 10), first_response_working_days=5, close_days=60)
    arguments.update(overrides)
    return {row["quarter"]: row for row in response_times(REPORTS, **arguments).to_dicts()}


def test_the_hand_worked_example():
    rows = table()
    assert list(rows) == ["2026-Q1", "2026-Q2"]
    q1 = rows["2026-Q1"]
    assert q1["received"] == 4
    assert (q1["first_response_answered"], q1["first_response_waiting"]) == (3, 1)
    assert (q1["first_response_late_waiting"], q1["first_response_decided"]) == (1, 4)
    assert (q1["first_response_within"], q1["first_response_share"]) == (2, 50.0)
    assert q1["first_response_low"] == pytest.approx(15.00, abs=0.01)
    assert q1["first_response_high"] == pytest.approx(85.00, abs=0.01)
    assert q1["first_response_median_days"] == 7
    assert (q1["close_answered"], q1["close_late_waiting"], q1["close_decided"]) == (2, 2, 4)
    assert (q1["close_within"], q1["close_share"], q1["close_median_days"]) == (1, 25.0, 56)
    q2 = rows["2026-Q2"]
    assert (q2["received"], q2["first_response_decided"], q2["first_response_within"]) == (2, 1, 1)
    assert q2["first_response_share"] == 100.0 and q2["first_response_median_days"] == 0
    assert q2["first_response_low"] == pytest.approx(20.65, abs=0.01)
    assert q2["first_response_high"] == 100.0
    assert q2["close_decided"] == 0
    assert q2["close_share"] is None and q2["close_low"] is None
    assert q2["close_median_days"] is None


def test_a_stricter_target_moves_reports_out_of_target():
    # 4 working days end on the Friday of the week of receipt (day 4): C (7 days) is now late.
    q1 = table(first_response_working_days=4)["2026-Q1"]
    assert (q1["first_response_within"], q1["first_response_decided"]) == (1, 4)
    # A longer closing target of 90 days: B (84) is within, and D (70 days open) not yet late.
    q1 = table(close_days=90)["2026-Q1"]
    assert (q1["close_within"], q1["close_late_waiting"], q1["close_decided"]) == (2, 1, 3)


def test_working_day_targets_from_a_monday():
    assert [working_days_target(n) for n in (0, 1, 4, 5, 6, 10, 20)] == [0, 1, 4, 7, 8, 14, 28]
    with pytest.raises(ValueError):
        working_days_target(-1)


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and high == pytest.approx(27.75, abs=0.01)
    low, high = wilson_interval(10, 10)
    assert low == pytest.approx(72.25, abs=0.01) and high == 100.0
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_no_reports_gives_an_empty_table_with_every_column():
    empty = REPORTS.head(0)
    result = response_times(empty, on=D(2026, 6, 10), first_response_working_days=5, close_days=60)
    assert result.is_empty() and "first_response_share" in result.columns


def test_bad_input_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match="Missing columns: closed"):
        response_times(
            REPORTS.drop("closed"), on=D(2026, 6, 10), first_response_working_days=5, close_days=60
        )
    with pytest.raises(ValueError, match="cannot be negative"):
        response_times(REPORTS, on=D(2026, 6, 10), first_response_working_days=5, close_days=-1)
