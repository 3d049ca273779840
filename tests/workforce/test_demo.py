"""The demo workforce: three yearly snapshots, a benchmark, and a rising senior share."""

from __future__ import annotations

import time
from datetime import date

import pytest

from equitable.workforce import services
from equitable.workforce.demo import load_demo

pytestmark = pytest.mark.django_db


def _aggregate_share(rows, **match) -> float:
    for row in rows:
        if row["ethnic_group"] == "Black, Asian and Multi-ethnic" and all(
            row.get(k) == v for k, v in match.items()
        ):
            return row["percent_of_known"]
    raise AssertionError("no aggregate row")


def test_the_demo_loads_three_snapshots_quickly_and_once(org, other_org):
    started = time.perf_counter()
    load_demo(org, employees=1500)
    assert time.perf_counter() - started < 15
    snapshots = services.snapshots_of(org)
    assert [s.snapshot_date for s in snapshots] == [
        date(2023, 3, 31),
        date(2024, 3, 31),
        date(2025, 3, 31),
    ]
    assert all(1300 <= s.row_count <= 1700 for s in snapshots)
    assert services.current_population(org) is not None

    load_demo(org, employees=1500)
    assert len(services.snapshots_of(org)) == 3

    first, last = (services.snapshot_frame(s) for s in (snapshots[0], snapshots[-1]))
    kept = set(first["employee_key"]) & set(last["employee_key"])
    assert 0.6 * first.height < len(kept) < first.height

    top = [
        _aggregate_share(services.figures_for(org, s, published=False)["top_5_percent_earners"])
        for s in snapshots
    ]
    assert top[0] < top[1] < top[2]

    load_demo(other_org, employees=1500)
    other = services.snapshot_frame(services.latest_snapshot(other_org))
    assert other["ethnicity"].to_list() != last["ethnicity"].to_list()  # its own seed
