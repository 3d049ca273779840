"""The continuity check between a new extract and the snapshot before it, worked by hand."""

from __future__ import annotations

from equitable.metrics import continuity


def test_overlap_shares_and_headcount_change_by_hand():
    # P = {a, b, c, d}, N = {c, d, e}: |N ∩ P| = 2, seen before 2/3, still here 2/4,
    # headcount change (3 − 4) / 4 = −25%: within both thresholds.
    check = continuity.compare(["a", "b", "c", "d"], ["c", "d", "e", None, ""])
    assert (check.previous_headcount, check.headcount, check.in_both) == (4, 3, 2)
    assert check.seen_before == 2 / 3
    assert check.still_here == 0.5
    assert check.headcount_change == -0.25
    assert not check.looks_unrelated and check.reasons == []


def test_fewer_than_half_seen_before_looks_unrelated():
    previous = [f"p{i}" for i in range(10)]
    new = previous[:4] + [f"n{i}" for i in range(6)]  # 4 of 10 seen before: 40% < 50%
    check = continuity.compare(previous, new)
    assert check.seen_before == 0.4
    assert check.looks_unrelated
    assert check.reasons == [
        "only 40% of its employee ids were in the previous snapshot (below 50%)"
    ]


def test_the_thresholds_themselves_do_not_warn():
    previous = [f"p{i}" for i in range(10)]
    half = continuity.compare(previous, previous[:5] + ["x1", "x2", "x3", "x4", "x5"])
    assert half.seen_before == 0.5 and not half.looks_unrelated
    grown = continuity.compare(previous, previous + ["x1", "x2", "x3"])  # exactly +30%
    assert grown.headcount_change == 0.3 and not grown.looks_unrelated


def test_a_headcount_change_above_30_percent_looks_unrelated_even_with_every_id_seen():
    previous = [f"p{i}" for i in range(20)]
    check = continuity.compare(previous, previous[:13])  # 20 → 13: −35%, all seen before
    assert check.seen_before == 1.0
    assert check.reasons == ["the headcount changes by -35% (20 to 13; more than 30% either way)"]


def test_an_empty_previous_snapshot_gives_no_shares():
    check = continuity.compare([], ["a"])
    assert check.still_here is None and check.headcount_change is None
    assert check.seen_before == 0.0 and check.looks_unrelated
