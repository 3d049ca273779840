"""Snapshot frames kept in memory are bounded by their size, not their number."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.workforce import services


@pytest.fixture
def empty_cache():
    saved = dict(services._frame_cache)
    services._frame_cache.clear()
    yield services._frame_cache
    services._frame_cache.clear()
    services._frame_cache.update(saved)


def _frame(rows: int) -> pl.DataFrame:
    return pl.DataFrame({"pay": list(range(rows))}, schema={"pay": pl.Int64})  # 8 bytes a row


def test_the_oldest_frames_go_first_once_the_budget_is_passed(empty_cache):
    for snapshot in (1, 2, 3):
        empty_cache[(snapshot, "t")] = _frame(1_000)  # 8,000 bytes each
    services._keep_frames_within(20_000)
    assert list(empty_cache) == [(2, "t"), (3, "t")]


def test_the_newest_frame_stays_even_when_it_alone_is_over_the_budget(empty_cache):
    empty_cache[(1, "t")] = _frame(10)
    empty_cache[(2, "t")] = _frame(10_000)
    services._keep_frames_within(1_000)
    assert list(empty_cache) == [(2, "t")]


def test_a_full_size_snapshot_fits_the_default_budget_several_times():
    from equitable.metrics.synthetic import generate_workforce

    frame = generate_workforce(20_000, 1)
    per_100k = frame.estimated_size() * 5
    assert per_100k * 4 < services.FRAME_CACHE_BYTES
