"""The demo lifecycle records: stored once per organisation, linked to the demo snapshots, with
the disparity the synthetic data is built to show."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.lifecycle import services
from equitable.lifecycle.demo import load_demo
from equitable.workforce import demo as workforce_demo
from equitable.workforce import services as workforce

pytestmark = pytest.mark.django_db


def test_the_demo_stores_four_record_sets_linked_to_the_snapshots_once(org):
    workforce_demo.load_demo(org, employees=800)
    load_demo(org, employees=800)
    sets = services.record_sets(org)
    assert set(sets) == {"applications", "cases", "leavers", "development"}
    snapshots = workforce.snapshot_frames(org)
    keys = pl.concat([frame.select("employee_key") for _, frame in snapshots]).unique()
    for kind in ("cases", "leavers", "development"):
        frame = services.records_frame(org, kind)
        assert frame is not None and frame.height > 0
        unlinked = frame.join(keys, on="employee_key", how="anti")
        assert unlinked.height == 0, kind
    leavers = services.records_frame(org, "leavers")
    first, second = snapshots[0][1], snapshots[1][1]
    left = first.join(second.select("employee_key"), on="employee_key", how="anti")
    assert leavers.filter(pl.col("leaving_date") <= snapshots[1][0]).height == left.height

    rl = services.exact_family(org, "recruitment")["recruitment_relative_likelihood"]
    row = rl.filter(
        pl.col("stage") == "shortlisted to appointed",
        pl.col("applicant_type") == "All",
        pl.col("ethnic_group") == "Black, Asian and Multi-ethnic",
    )
    assert row.height == 3 and (row["relative_likelihood"] > 1).all()

    load_demo(org, employees=800)  # loaded once: nothing replaced
    assert services.record_sets(org)["applications"].pk == sets["applications"].pk


def test_without_snapshots_the_demo_stores_nothing(org):
    load_demo(org)
    assert services.record_sets(org) == {}
