"""Computed measures from programme cohorts: the year's cohorts of the measure's kinds, their
published counts added, withheld when any is."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions import programme_measures as pm
from equitable.actions.programme_measures import CohortRows

AGGREGATE = {"ethnic_group": "Black, Asian and Multi-ethnic", "reference_group": "White"}


def cohort(kind: str, start: date, took_part, eligible, promoted=None, participants=None):
    tables = {
        "participation_by_ethnicity": [
            {"ethnic_group": "Asian", "reference_group": "White", "group_count": 99,
             "group_pool": 99},
            {**AGGREGATE, "group_count": took_part, "group_pool": eligible},
        ],
        "participation_overall": [{"took_part": took_part, "eligible": eligible}],
    }  # fmt: skip
    if participants is not None:
        tables["outcomes"] = [
            {"ethnic_group": "Black, Asian and Multi-ethnic", "horizon_months": months,
             "participants": participants, "participants_promoted": promoted}
            for months in (12, 18, 24)
        ]  # fmt: skip
    return CohortRows(kind, start, tables)


COHORTS = [
    cohort("sponsorship", date(2023, 4, 1), 4, 20, promoted=1, participants=4),
    cohort("mentoring", date(2023, 9, 1), 10, 60, promoted=3, participants=10),
    cohort("sponsorship", date(2024, 4, 1), 5, 22),  # no later snapshot yet: no outcomes
    cohort("talent", date(2024, 4, 1), 12, 48),
]


def test_counts_add_over_the_years_cohorts_of_the_kinds():
    values = pm.values("programme_black_asian_multi_ethnic_sponsored_or_mentored", COHORTS)
    assert [(v.period, v.on, v.value) for v in values] == [
        ("2023-24", date(2024, 3, 31), 14.0),  # 4 sponsored + 10 mentored
        ("2024-25", date(2025, 3, 31), 5.0),
    ]


def test_a_share_is_a_sum_of_counts_over_a_sum_of_counts():
    (value,) = pm.values("programme_sponsorship_progressed_black_asian_multi_ethnic", COHORTS)
    assert (value.period, value.value) == ("2023-24", 25.0)  # 1 of 4
    (later,) = pm.values("programme_progressed_24_months_black_asian_multi_ethnic", COHORTS)
    assert later.value == pytest.approx(100 * 4 / 14, abs=0.01)  # (1 + 3) of (4 + 10)
    (talent,) = pm.values("programme_talent_black_asian_multi_ethnic_participation", COHORTS)
    assert (talent.period, talent.value) == ("2024-25", 25.0)  # 12 of 48


def test_a_withheld_count_withholds_the_years_value():
    withheld = [cohort("sponsorship", date(2023, 4, 1), None, 20), *COHORTS[1:]]
    first = pm.values("programme_black_asian_multi_ethnic_sponsored_or_mentored", withheld)[0]
    assert (first.value, first.state) == (None, pm.WITHHELD)


def test_nobody_eligible_is_not_calculable():
    (value,) = pm.values(
        "programme_reverse_mentoring_leadership_share",
        [cohort("reverse_mentoring", date(2023, 6, 1), 0, 0)],
    )
    assert value.state == pm.NOT_CALCULABLE


def test_an_unknown_key_is_refused():
    with pytest.raises(KeyError, match="no programme measure"):
        pm.values("programme_nothing", COHORTS)
