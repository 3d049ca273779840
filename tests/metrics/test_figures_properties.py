"""compute_all against a naive pure-Python reference on random small workforces.

The reference is written the slow, obvious way (lists, `statistics`, `Fraction`), sharing no
code with the library, so an optimisation in the library (codes, cells, one sort, block
tables) that changes any figure shows up here. Pay comes from a handful of rates so that ties
across quarter and top-5% boundaries are common.
"""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equitable.metrics.figures import compute_all
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ETHNICITY_TO_GROUP,
    QUARTILES,
    SEX_VALUES,
)
from equitable.metrics.paygap import CellDistribution
from equitable.metrics.prepared import N_CELLS
from tests.metrics.frames import workforce

ETHNICITIES = [
    "Indian",
    "Chinese",
    "African",
    "White and Asian",
    "English, Welsh, Scottish, Northern Irish or British",
    "Irish",
    "Arab",
    "Prefer not to say",
    "Not known",
]
RATES = [5.0, 7.5, 10.0, 12.25, 20.0, 31.5]

person = st.fixed_dictionaries(
    {
        "ethnicity": st.sampled_from(ETHNICITIES),
        "sex": st.sampled_from(SEX_VALUES),
        "pay_band": st.sampled_from(["1", "2", "10", None]),
        "hourly_pay": st.one_of(st.sampled_from(RATES), st.none()),
        "bonus_pay": st.sampled_from([0.0, 0.0, 100.0, 250.5, 1000.0]),
    }
)
people = st.lists(person, min_size=1, max_size=60)


def frame_of(rows):
    return workforce(**{key: [row[key] for row in rows] for key in rows[0]})


def group_of(row):
    return ETHNICITY_TO_GROUP[row["ethnicity"]]


def in_group(row, label):
    group = group_of(row)
    if label == AGGREGATE_LABEL:
        return group not in ("White", "Unknown")
    return group == label


# --- the naive reference ---------------------------------------------------------------------


def naive_quartile_sizes(n):
    """Extras go to lower, then upper middle, then lower middle (gov.uk guidance)."""
    sizes = [n // 4] * 4
    for quarter in [0, 2, 1][: n % 4]:
        sizes[quarter] += 1
    return sizes


def naive_quartiles(rows, key):
    """Regulation 13 spelt out: rank, cut, then share each tied block quarter by quarter."""
    paid = sorted((r for r in rows if r["hourly_pay"] is not None), key=lambda r: r["hourly_pay"])
    sizes = naive_quartile_sizes(len(paid))
    quarter_of_position = [q for q, size in enumerate(sizes) for _ in range(size)]
    result = [dict() for _ in range(4)]
    i = 0
    while i < len(paid):
        j = i
        while j < len(paid) and paid[j]["hourly_pay"] == paid[i]["hourly_pay"]:
            j += 1
        block = paid[i:j]
        places = [quarter_of_position[i:j].count(q) for q in range(4)]
        labels = sorted({r[key] for r in block}, key=lambda v: KEY_ORDER[key].index(v))
        remaining = {v: sum(1 for r in block if r[key] == v) for v in labels}
        left = len(block)
        for q in range(4):
            if places[q] == 0:
                continue
            quotas = {v: Fraction(places[q] * remaining[v], left) for v in labels}
            taken = {v: math.floor(quotas[v]) for v in labels}
            spare = places[q] - sum(taken.values())
            ranked = sorted(
                labels,
                key=lambda v: (-(quotas[v] - taken[v]), -remaining[v], KEY_ORDER[key].index(v)),
            )
            for v in ranked[:spare]:
                taken[v] += 1
            for v in labels:
                result[q][v] = result[q].get(v, 0) + taken[v]
                remaining[v] -= taken[v]
            left -= places[q]
        i = j
    return result


KEY_ORDER = {
    "sex": list(SEX_VALUES),
    "group": ["Asian", "Black", "Mixed", "White", "Other", "Unknown"],
}


def naive_top_5_percent(rows):
    paid = sorted((r["hourly_pay"] for r in rows if r["hourly_pay"] is not None), reverse=True)
    if not paid:
        return []
    nominal = math.ceil(Fraction(5, 100) * len(paid))
    boundary = paid[nominal - 1]
    return [r for r in rows if r["hourly_pay"] is not None and r["hourly_pay"] >= boundary]


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(people)
def test_counts_and_shares_match_the_reference(rows):
    tables = compute_all(frame_of(rows), present_columns={"ethnicity", "pay_band"})
    for row in tables["representation_overall"].iter_rows(named=True):
        expected = sum(1 for r in rows if in_group(r, row["ethnic_group"]))
        assert row["count"] == expected
        assert row["percent"] == pytest.approx(100 * expected / len(rows))
    for row in tables["representation_by_pay_band"].iter_rows(named=True):
        band = None if row["pay_band"] == "Not recorded" else row["pay_band"]
        expected = sum(
            1 for r in rows if r["pay_band"] == band and in_group(r, row["ethnic_group"])
        )
        assert row["count"] == expected
    disclosure = tables["disclosure"].filter(characteristic="ethnicity").row(0, named=True)
    assert disclosure["known"] == sum(1 for r in rows if group_of(r) != "Unknown")


@settings(max_examples=60, deadline=None)
@given(people)
def test_means_medians_and_gaps_match_the_reference(rows):
    tables = compute_all(
        frame_of(rows), present_columns={"ethnicity", "sex", "pay_band", "hourly_pay", "bonus_pay"}
    )
    white = [
        r["hourly_pay"] for r in rows if group_of(r) == "White" and r["hourly_pay"] is not None
    ]
    for row in tables["pay_gap_ethnicity"].filter(grouping="wres").iter_rows(named=True):
        pay = [
            r["hourly_pay"]
            for r in rows
            if in_group(r, row["ethnic_group"]) and r["hourly_pay"] is not None
        ]
        assert row["count"] == len(pay)
        assert row["reference_count"] == len(white)
        if pay:
            assert row["mean_hourly_pay"] == pytest.approx(statistics.mean(pay))
            assert row["median_hourly_pay"] == statistics.median(pay)
        else:
            assert row["mean_hourly_pay"] is None
        if pay and white:
            ref = statistics.median(white)
            assert row["median_gap_percent"] == pytest.approx(
                100 * (ref - statistics.median(pay)) / ref
            )
        else:
            assert row["median_gap_percent"] is None
    sex = tables["pay_gap_sex"].row(0, named=True)
    women = [r["hourly_pay"] for r in rows if r["sex"] == "Female" and r["hourly_pay"] is not None]
    men = [r["hourly_pay"] for r in rows if r["sex"] == "Male" and r["hourly_pay"] is not None]
    if women and men:
        expected = 100 * (statistics.mean(men) - statistics.mean(women)) / statistics.mean(men)
        assert sex["mean_gap_percent"] == pytest.approx(expected)
    bonus = tables["bonus_gap_sex"].row(0, named=True)
    paid_women = [r["bonus_pay"] for r in rows if r["sex"] == "Female" and r["bonus_pay"] > 0]
    assert bonus["bonus_count"] == len(paid_women)
    assert bonus["count"] == sum(1 for r in rows if r["sex"] == "Female")
    if paid_women:
        assert bonus["median_bonus"] == statistics.median(paid_women)


@settings(max_examples=80, deadline=None)
@given(people)
def test_quartiles_match_the_reference(rows):
    tables = compute_all(frame_of(rows), present_columns={"ethnicity", "sex", "hourly_pay"})
    n_paid = sum(1 for r in rows if r["hourly_pay"] is not None)
    for key, table_name, column in (
        ("sex", "pay_quartiles_sex", "sex"),
        ("group", "pay_quartiles_ethnicity", "ethnic_group"),
    ):
        keyed = [dict(r, group=group_of(r)) for r in rows]
        expected = naive_quartiles(keyed, key)
        table = tables[table_name]
        for q, quartile in enumerate(QUARTILES):
            part = table.filter(quartile=quartile)
            assert part["total"][0] == naive_quartile_sizes(n_paid)[q]
            for row in part.iter_rows(named=True):
                if row[column] == AGGREGATE_LABEL:
                    continue
                assert row["count"] == expected[q].get(row[column], 0), (quartile, row[column])


@settings(max_examples=60, deadline=None)
@given(people)
def test_top_5_percent_matches_the_reference(rows):
    tables = compute_all(frame_of(rows), present_columns={"ethnicity", "sex", "hourly_pay"})
    top = naive_top_5_percent(rows)
    for row in tables["top_5_percent_earners"].iter_rows(named=True):
        assert row["count"] == sum(1 for r in top if in_group(r, row["ethnic_group"]))
        assert row["total"] == len(top)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(RATES), st.integers(0, 5)), min_size=1, max_size=80),
    st.integers(1, 9),
    st.sets(st.integers(0, 5), min_size=1),
)
def test_block_table_medians_match_a_plain_median(people, block, chosen_cells):
    """Tiny blocks force the median search across many blocks (the library uses ~512)."""
    people.sort()
    values = np.array([pay for pay, _ in people])
    cells = np.array([cell for _, cell in people], dtype=np.int16)
    mask = np.zeros(N_CELLS, dtype=bool)
    mask[list(chosen_cells)] = True
    summary = CellDistribution(values, cells, block=block).summary(mask)
    chosen = [pay for pay, cell in people if cell in chosen_cells]
    assert summary.count == len(chosen)
    if chosen:
        assert summary.median == statistics.median(chosen)
        assert summary.mean == pytest.approx(statistics.mean(chosen))
    else:
        assert summary.median is None


def test_invariants_on_the_ingestion_pipelines_synthetic_extract():
    """Raw synthetic extract -> ingestion's validator -> every figure; totals must add up."""
    from datetime import date

    from equitable.metrics.figures import FIGURE_REQUIREMENTS
    from equitable.metrics.quartiles import quartile_sizes

    extract = pytest.importorskip("equitable.metrics.extract")
    synthetic = pytest.importorskip("equitable.metrics.synthetic")
    raw = synthetic.generate_workforce(3000, 7)
    result = extract.validate_extract(raw, snapshot_date=date(2026, 3, 31), id_key=b"test")
    assert result.ok, result.problems[:3]
    frame = result.frame
    tables = compute_all(frame, present_columns=result.present_columns)
    assert set(FIGURE_REQUIREMENTS) <= set(tables)
    n_paid = frame["hourly_pay"].drop_nulls().len()
    for name, column in (
        ("pay_quartiles_ethnicity", "ethnic_group"),
        ("pay_quartiles_sex", "sex"),
        ("pay_quartiles_disability", "disability"),
    ):
        parts = tables[name].filter(pl.col(column) != AGGREGATE_LABEL)
        sizes = parts.group_by("quartile").agg(pl.col("count").sum(), pl.col("total").first())
        by_quartile = {row["quartile"]: row for row in sizes.iter_rows(named=True)}
        for quartile, size in zip(QUARTILES, quartile_sizes(n_paid), strict=True):
            assert by_quartile[quartile]["count"] == size == by_quartile[quartile]["total"]
    directorates = tables["representation_by_directorate"].filter(
        pl.col("ethnic_group") != AGGREGATE_LABEL
    )
    assert directorates["count"].sum() == frame.height
    assert set(tables["disclosure"]["total"].to_list()) == {frame.height}
