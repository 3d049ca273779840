"""The acceptance test for publication: attack protected tables by differencing.

For every withheld cell a linear programme finds the smallest and largest value it can take
given every published count, every total a published percentage or the disclosure table gives
away, the aggregate row and overall = sum of directorates. A cell whose range holds a single
whole number is disclosed; none may be.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.metrics.attack import audit, differencing_attack, feasible_range, is_pinned
from equitable.metrics.disclosure_control import protect
from equitable.metrics.extract import validate_extract
from equitable.metrics.figures import compute_all
from equitable.metrics.population import demo_population
from equitable.metrics.synthetic import generate_workforce
from tests.metrics.disclosure_support import (
    GROUPS,
    intruder_view,
    true_values,
    workforce_tables,
)

# A council with one tiny directorate and small cells throughout (the Harrow-like mix of seed 000:
# many Asian staff, few Mixed, several people who did not say).
COUNCIL = {
    "Adults": {"Asian": 120, "Black": 45, "Mixed": 8, "White": 160, "Other": 12, "Unknown": 3},
    "Children": {"Asian": 60, "Black": 30, "Mixed": 0, "White": 90, "Other": 4, "Unknown": 15},
    "Place": {"Asian": 40, "Black": 5, "Mixed": 11, "White": 70, "Other": 9, "Unknown": 20},
    "Resources": {"Asian": 33, "Black": 14, "Mixed": 2, "White": 41, "Other": 0, "Unknown": 7},
    "Chief Executive": {"Asian": 2, "Black": 0, "Mixed": 0, "White": 4, "Other": 0, "Unknown": 0},
}


def attack(tables: dict[str, pl.DataFrame], published: dict[str, pl.DataFrame]):
    """Attack every withheld count, zeros included, and every total the intruder cannot read
    that is itself withheld: a small total, or any total of a row withheld whole (a total of 10
    or more in a row that is shown may be worked out: it is not sensitive)."""
    values, constraints = intruder_view(published)
    truth = true_values(tables)
    targets = [
        cell
        for cell, value in values.items()
        if value is None
        and (
            cell in truth
            or 0 < total_value(tables, cell) < 10
            or 0 < total_value(tables, (cell[0], "total")) < 10
        )
    ]
    return differencing_attack(values, constraints, targets=targets), values, truth


def test_protected_council_tables_resist_the_attack():
    tables = workforce_tables(COUNCIL)
    published = protect(tables)
    pinned, values, truth = attack(tables, published)
    assert pinned == []
    withheld = [cell for cell, value in values.items() if value is None and cell in truth]
    assert len(withheld) >= 10  # the attack had plenty to work on
    # Every count under 10 was withheld; true zeros were shown, except in the tiny directorate.
    for cell, value in truth.items():
        if 0 < value < 10:
            assert values[cell] is None, cell
    assert values[("Children", "Mixed")] == 0
    assert values[("Chief Executive", "Black")] is None


def test_withheld_zeros_cannot_be_pinned_by_non_negativity():
    """Two directorates of fewer than 10 people, all White, are withheld whole. Every other
    Asian (Black, Mixed...) count is shown, so the overall count minus the shown ones leaves 0
    for the two withheld zeros: with non-negativity each is exactly 0, and "nobody in the Chief
    Executive's office is Asian" is read off. A shown non-zero count in each such column is
    withheld too, so the two zeros could be more."""
    large = {"Asian": 120, "Black": 45, "Mixed": 12, "White": 160, "Other": 12, "Unknown": 30}
    council = {
        "Adults": large,
        "Children": {group: count // 2 + 10 for group, count in large.items()},
        "Chief Executive": {"White": 5},
        "Board": {"White": 4},
    }
    tables = workforce_tables(council)
    values, constraints = intruder_view(primary_and_group_only(tables))
    zeros = [("Chief Executive", "Asian"), ("Board", "Asian")]
    assert all(values[cell] is None for cell in zeros)
    # What the gap was: with only the small rows withheld, both zeros are pinned at 0.
    assert {p.cell for p in differencing_attack(values, constraints, targets=zeros)} == set(zeros)
    published = protect(tables)
    pinned, values, truth = attack(tables, published)
    assert pinned == []
    assert all(values[cell] is None for cell in zeros)
    assert audit(tables) == []


def primary_and_group_only(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Withhold only the rows of fewer than 10 people (as `protect` does before its secondary
    suppression): every other count, percentage and total stays."""
    frame = tables["representation_by_directorate"]
    small = frame.group_by("directorate").agg(
        (pl.col("count").filter(pl.col("ethnic_group").is_in(GROUPS)).sum() < 10).alias("small")
    )
    withheld = frame.join(small, on="directorate")["small"]
    figures = ("count", "percent", "percent_of_known", "gap_pp", "representation_ratio")
    return {
        **tables,
        "representation_by_directorate": frame.with_columns(
            [pl.when(withheld).then(None).otherwise(pl.col(c)).alias(c) for c in figures]
        ),
    }


def test_primary_suppression_alone_is_attackable():
    """Without complementary cells the withheld counts come straight back (so the attack is
    real): blank only the counts under 10 and their percentages."""
    tables = workforce_tables(COUNCIL)
    primary_only = {
        name: frame.with_columns(
            [
                pl.when((pl.col("count") > 0) & (pl.col("count") < 10))
                .then(None)
                .otherwise(pl.col(c))
                .alias(c)
                for c in ("count", "percent", "percent_of_known", "gap_pp", "representation_ratio")
            ]
        )
        if "count" in frame.columns
        else frame
        for name, frame in tables.items()
    }
    pinned, _, truth = attack(tables, primary_only)
    recovered = {p.cell: round(p.low) for p in pinned}
    assert recovered[("Adults", "Mixed")] == 8
    assert recovered[("Adults", "Unknown")] == 3
    assert recovered[("Place", "Black")] == 5
    assert all(truth[cell] == value for cell, value in recovered.items() if cell in truth)


def test_the_libraries_own_audit_agrees():
    assert audit(workforce_tables(COUNCIL)) == []


def test_feasible_range_on_a_hand_worked_table():
    """Row a + b = 12 with b shown as 9: a is pinned at 3. With b withheld too and a column
    a + c = 5 (c shown 5 - a unknown), a lies in [0, 5]."""
    published = {"a": None, "b": 9, "row": 12}
    assert differencing_attack(published, [("row", ["a", "b"])])[0].low == 3
    published = {"a": None, "b": None, "row": 12, "c": None, "column": 5}
    low, high = feasible_range(published, [("row", ["a", "b"]), ("column", ["a", "c"])], "a")
    assert (low, high) == (0, 5)
    assert differencing_attack(published, [("row", ["a", "b"]), ("column", ["a", "c"])]) == []


def test_rounded_totals_leave_a_range():
    """Published values known only to the nearest 5 (slack 2.5) widen the range."""
    published = {"a": None, "b": 10, "row": 15}
    low, high = feasible_range(published, [("row", ["a", "b"])], "a", slack=2.5)
    assert (low, high) == (0, 10)
    assert not is_pinned(low, high)
    assert is_pinned(3.0, 3.0) and is_pinned(2.6, 3.4) and not is_pinned(3.0, 4.0)


def total_value(tables: dict[str, pl.DataFrame], cell: tuple) -> int:
    key, label = cell
    frame = tables["representation_overall" if key == "all" else "representation_by_directorate"]
    if key != "all":
        frame = frame.filter(pl.col("directorate") == key)
    groups = GROUPS if label == "total" else tuple(g for g in GROUPS if g != "Unknown")
    return frame.filter(pl.col("ethnic_group").is_in(groups))["count"].sum()


small_counts = st.one_of(st.integers(0, 12), st.integers(0, 60))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.lists(
        st.fixed_dictionaries({group: small_counts for group in GROUPS}),
        min_size=2,
        max_size=5,
    )
)
def test_random_small_tables_resist_the_attack(rows):
    by_directorate = {f"Directorate {i}": counts for i, counts in enumerate(rows)}
    if sum(sum(c.values()) for c in rows) == 0:
        return
    tables = workforce_tables(by_directorate)
    published = protect(tables)
    pinned, _, _ = attack(tables, published)
    assert pinned == []


@pytest.mark.slow
def test_every_figure_for_a_synthetic_council_resists_the_audit():
    """The whole output of `compute_all` for 1,500 synthetic staff (small grades, bands and
    tiers, detailed categories, quartiles, disclosure rates): nothing withheld, zeros included,
    can be worked out (two leadership tiers withheld whole, both without Asian staff, once
    left the Asian column with 0 over for them), and rounding to 5 leaves only multiples of
    5."""
    raw = generate_workforce(1_500, seed=11)
    result = validate_extract(raw, snapshot_date=date(2025, 3, 31), id_key=b"k" * 32)
    tables = compute_all(result.frame, demo_population(), decimals=2)
    assert audit(tables) == []
    published = protect(tables)
    assert "suppressed" in published["representation_by_grade"].columns
    assert published["representation_by_grade"]["suppressed"].any()
    rounded = protect(tables, round_to=5)
    for name, frame in rounded.items():
        if "count" in frame.columns and frame["count"].dtype.is_integer():
            assert all(value % 5 == 0 for value in frame["count"].drop_nulls()), name
