"""The one computation behind every lifecycle figure: rates per group and relative likelihoods
against a reference group, with their intervals and readings."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equitable.metrics.disclosure_control import protect
from equitable.metrics.layout import fixed
from equitable.metrics.lifecycle.comparisons import (
    GROUP_OVER_REFERENCE,
    REFERENCE_OVER_GROUP,
    compare,
    comparison_layout,
)

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"


def _people(spec: list[tuple[str, str, int, int]]) -> pl.DataFrame:
    """(ethnicity, sex, pool, outcome) → one row per person."""
    rows = []
    for ethnicity, sex, pool, outcome in spec:
        rows += [
            {
                "ethnicity": ethnicity,
                "sex": sex,
                "disability": "Not known",
                "in_pool": True,
                "hit": i < outcome,
            }
            for i in range(pool)
        ]
    return pl.DataFrame(rows)


def _row(table: pl.DataFrame, **where) -> dict:
    found = table.filter(*(pl.col(c) == v for c, v in where.items()))
    assert found.height == 1, where
    return found.row(0, named=True)


def test_wres_indicator_2_from_counts_is_the_reference_rate_over_the_group_rate():
    # T11: White 50 of 200 appointed from shortlisting, Indian (Asian) 45 of 300; the
    # 20 of unknown ethnicity are left out of both sides.
    frame = _people(
        [
            (WHITE_BRITISH, "Female", 200, 50),
            ("Indian", "Female", 300, 45),
            ("Not known", "Male", 20, 5),
        ]
    )
    table = compare(
        frame,
        pool=pl.col("in_pool"),
        outcome=pl.col("hit"),
        characteristic="ethnicity",
        direction=REFERENCE_OVER_GROUP,
        subject="applicants",
        outcome_phrase="be appointed from shortlisting",
    )
    aggregate = _row(table, ethnic_group="Black, Asian and Multi-ethnic")
    assert (aggregate["group_pool"], aggregate["group_count"]) == (300, 45)
    assert (aggregate["reference_pool"], aggregate["reference_count"]) == (200, 50)
    assert aggregate["group_rate"] == pytest.approx(15.0)
    assert aggregate["relative_likelihood"] == pytest.approx(1.6667, abs=1e-4)
    assert aggregate["ci_low"] == pytest.approx(1.1619, abs=1e-3)
    assert aggregate["reading"].startswith(
        "White applicants were 1.67 times as likely as Black, Asian and Multi-ethnic applicants"
    )
    assert _row(table, ethnic_group="Indian")["relative_likelihood"] == pytest.approx(
        1.6667, abs=1e-4
    )
    nobody = _row(table, ethnic_group="Black")
    assert nobody["group_pool"] == 0 and nobody["relative_likelihood"] is None
    assert nobody["reading"].startswith("Not calculable")


def test_ethnicity_by_sex_compares_with_white_people_of_the_same_sex():
    frame = _people(
        [
            (WHITE_BRITISH, "Female", 100, 10),
            (WHITE_BRITISH, "Male", 100, 20),
            ("Caribbean", "Female", 50, 10),
        ]
    )
    table = compare(
        frame,
        pool=pl.col("in_pool"),
        outcome=pl.col("hit"),
        characteristic="ethnicity_by_sex",
        direction=GROUP_OVER_REFERENCE,
    )
    women = _row(table, ethnic_group="Black", sex="Female")
    assert women["reference_group"] == "White female"
    assert women["relative_likelihood"] == pytest.approx(0.2 / 0.1)


def test_an_unknown_characteristic_is_refused():
    with pytest.raises(ValueError, match="not one of"):
        compare(
            _people([]),
            pool=pl.lit(True),
            outcome=pl.lit(True),
            characteristic="religion",
            direction=GROUP_OVER_REFERENCE,
        )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Indian", "African", WHITE_BRITISH, "Irish", "Not known"]),
            st.booleans(),
            st.booleans(),
        ),
        max_size=60,
    )
)
def test_counts_agree_with_a_naive_count(people):
    frame = pl.DataFrame(
        {
            "ethnicity": [p[0] for p in people],
            "sex": ["Female"] * len(people),
            "disability": ["Not known"] * len(people),
            "in_pool": [p[1] for p in people],
            "hit": [p[1] and p[2] for p in people],
        },
        schema={
            "ethnicity": pl.String,
            "sex": pl.String,
            "disability": pl.String,
            "in_pool": pl.Boolean,
            "hit": pl.Boolean,
        },
    )
    table = compare(
        frame,
        pool=pl.col("in_pool"),
        outcome=pl.col("hit"),
        characteristic="ethnicity",
        direction=GROUP_OVER_REFERENCE,
    )
    white = {WHITE_BRITISH, "Irish"}
    minority = {"Indian", "African"}
    row = _row(table, ethnic_group="Black, Asian and Multi-ethnic")
    assert row["group_pool"] == sum(1 for e, pool, _ in people if pool and e in minority)
    assert row["group_count"] == sum(1 for e, pool, hit in people if pool and hit and e in minority)
    assert row["reference_pool"] == sum(1 for e, pool, _ in people if pool and e in white)


def test_published_comparisons_withhold_small_counts_and_every_figure_resting_on_them():
    frame = _people(
        [
            (WHITE_BRITISH, "Female", 200, 50),
            ("Indian", "Female", 300, 45),
            ("African", "Male", 30, 3),
        ]
    )
    table = compare(
        frame,
        pool=pl.col("in_pool"),
        outcome=pl.col("hit"),
        characteristic="ethnicity",
        direction=REFERENCE_OVER_GROUP,
    )
    layout = comparison_layout(
        "ethnicity",
        pool=[
            fixed(
                {
                    "dataset": frozenset({"applications"}),
                    "stage": frozenset({"shortlisted", "appointed"}),
                }
            )
        ],
        outcome=[
            fixed({"dataset": frozenset({"applications"}), "stage": frozenset({"appointed"})})
        ],
        direction=REFERENCE_OVER_GROUP,
    )
    published = protect({"rl": table}, layouts={"rl": layout})["rl"]
    african = _row(published, ethnic_group="African")
    assert african["group_count"] is None
    assert african["relative_likelihood"] is None and african["reading"] is None
    assert african["suppressed"]
    # Black (the African 3) and the aggregate minus Asian would give the 3 away: withheld too.
    black = _row(published, ethnic_group="Black")
    aggregate = _row(published, ethnic_group="Black, Asian and Multi-ethnic")
    asian = _row(published, ethnic_group="Asian")
    shown = [r["group_count"] for r in (black, aggregate, asian)]
    assert shown.count(None) >= 2


def test_a_blank_sex_or_disability_still_counts_the_person_in_their_ethnic_group():
    frame = pl.DataFrame(
        {
            "ethnicity": ["Indian"] * 6 + [WHITE_BRITISH] * 6,
            "sex": [None] * 12,
            "disability": [None] * 12,
            "in_pool": [True] * 12,
            "hit": [True] * 12,
        },
        schema={
            "ethnicity": pl.String,
            "sex": pl.String,
            "disability": pl.String,
            "in_pool": pl.Boolean,
            "hit": pl.Boolean,
        },
    )
    table = compare(
        frame,
        pool=pl.col("in_pool"),
        outcome=pl.col("hit"),
        characteristic="ethnicity",
        direction=GROUP_OVER_REFERENCE,
    )
    assert _row(table, ethnic_group="Asian")["group_pool"] == 6
