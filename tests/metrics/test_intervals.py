"""Confidence intervals and their plain reading, checked against hand arithmetic."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from equitable.metrics import intervals


def test_wilson_interval_matches_the_hand_worked_five_of_twenty():
    # p = 0.25, z² = 3.8415, 1 + z²/n = 1.19207, centre = (0.25 + 0.09604) / 1.19207 = 0.29028,
    # half = 1.96 √(0.009375 + 0.0024009) / 1.19207 = 0.17842 → 0.1119 to 0.4687.
    low, high = intervals.wilson_interval(5, 20)
    assert low == pytest.approx(0.11186, abs=5e-5)
    assert high == pytest.approx(0.46870, abs=5e-5)


def test_wilson_interval_ends_exactly_at_zero_and_one_and_refuses_impossible_counts():
    assert intervals.wilson_interval(0, 0) is None
    assert intervals.wilson_interval(0, 12)[0] == 0.0
    assert intervals.wilson_interval(12, 12)[1] == 1.0
    with pytest.raises(ValueError, match="between 0 and the total"):
        intervals.wilson_interval(13, 12)


def test_katz_interval_for_the_constructed_wres_indicator_2():
    # T11: White 50 of 200 shortlisted appointed, Black, Asian and Multi-ethnic 45 of 300.
    # RR = 0.25 / 0.15 = 1.6667; se = √(1/50 − 1/200 + 1/45 − 1/300) = 0.18409;
    # exp(ln 1.6667 ± 1.96 × 0.18409) = 1.1619 to 2.3908.
    assert intervals.relative_likelihood(50, 200, 45, 300) == pytest.approx(1.6667, abs=1e-4)
    low, high = intervals.katz_interval(50, 200, 45, 300)
    assert low == pytest.approx(1.1619, abs=1e-3)
    assert high == pytest.approx(2.3908, abs=1e-3)


def test_a_zero_count_gets_the_haldane_anscombe_interval_and_a_zero_reference_none():
    # 0 of 10 against 5 of 10: the interval uses 0.5/11 against 5.5/11 = 0.0909,
    # se = √(2 − 1/11 + 1/5.5 − 1/11) = √2 → 0.0909 × exp(∓2.7718) = 0.00569 to 1.4535.
    assert intervals.relative_likelihood(0, 10, 5, 10) == 0.0
    low, high = intervals.katz_interval(0, 10, 5, 10)
    assert low == pytest.approx(0.005687, rel=1e-3)
    assert high == pytest.approx(1.4535, rel=1e-3)
    assert intervals.relative_likelihood(5, 10, 0, 10) is None
    assert intervals.katz_interval(5, 10, 0, 10) is None


@given(
    st.integers(0, 400),
    st.integers(1, 400),
    st.integers(0, 400),
    st.integers(1, 400),
)
def test_the_polars_expressions_agree_with_the_scalar_functions(k1, n1, k2, n2):
    k1, k2 = min(k1, n1), min(k2, n2)
    frame = pl.DataFrame({"k1": [k1], "n1": [n1], "k2": [k2], "n2": [n2]})
    ratio, low, high = intervals.relative_likelihood_exprs(
        pl.col("k1"), pl.col("n1"), pl.col("k2"), pl.col("n2")
    )
    wilson_low, wilson_high = intervals.wilson_exprs(pl.col("k1"), pl.col("n1"))
    row = frame.select(
        ratio.alias("r"),
        low.alias("l"),
        high.alias("h"),
        wilson_low.alias("wl"),
        wilson_high.alias("wh"),
    ).row(0, named=True)
    expected = intervals.relative_likelihood(k1, n1, k2, n2)
    katz = intervals.katz_interval(k1, n1, k2, n2)
    if expected is None:
        assert row["r"] is None and katz is None
    else:
        assert row["r"] == pytest.approx(expected)
        assert (row["l"], row["h"]) == pytest.approx(katz)
        assert row["l"] <= expected <= row["h"] or math.isclose(expected, 0.0)
    assert (row["wl"], row["wh"]) == pytest.approx(intervals.wilson_interval(k1, n1))


def test_the_reading_names_the_more_likely_group_and_says_when_chance_explains_it():
    assert intervals.reading(
        1.6,
        1.2,
        2.1,
        subject="White applicants",
        other="Asian applicants",
        outcome="be appointed from shortlisting",
    ) == (
        "White applicants were 1.6 times as likely as Asian applicants to be appointed from "
        "shortlisting (95% CI 1.2 to 2.1)."
    )
    # 0.5 (0.25 to 1.0): the other group is twice as likely, interval 1 to 4, spans parity.
    assert intervals.reading(
        0.5, 0.25, 1.0, subject="Black staff", other="White staff", outcome="leave"
    ) == (
        "White staff were 2 times as likely as Black staff to leave (95% CI 1 to 4); "
        "the difference is within what chance alone would give."
    )


def test_the_reading_of_a_ratio_that_cannot_be_calculated_says_why():
    text = intervals.reading(
        None,
        None,
        None,
        subject="Mixed staff",
        other="White staff",
        outcome="enter a formal disciplinary",
    )
    assert (
        text
        == "Not calculable: no White staff entered a formal disciplinary, so there is no rate to compare with."
    )
    assert "discrimination" not in text
