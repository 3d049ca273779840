"""The synthetic lifecycle records: deterministic, valid as uploads, and consistent with the
snapshots they are made from."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.lifecycle import casework, development, movements, recruitment, synthetic
from equitable.metrics.lifecycle.records import validate_records

SPECS = {
    "applications": recruitment.APPLICATIONS,
    "cases": casework.CASES,
    "leavers": movements.LEAVERS,
    "development": development.DEVELOPMENT,
}


@pytest.fixture(scope="module")
def snapshots():
    return synthetic.generate_snapshots(4000, 9)


@pytest.fixture(scope="module")
def records(snapshots):
    return synthetic.generate_lifecycle(snapshots, 9)


def test_the_same_seed_gives_the_same_records(snapshots, records):
    again = synthetic.generate_lifecycle(synthetic.generate_snapshots(4000, 9), 9)
    for kind in SPECS:
        assert getattr(again, kind).equals(getattr(records, kind)), kind
    other = synthetic.generate_lifecycle(snapshots, 10)
    assert not other.applications.equals(records.applications)


@pytest.mark.parametrize("kind", list(SPECS))
def test_every_file_passes_the_upload_validation(records, kind):
    result = validate_records(getattr(records, kind), SPECS[kind], id_key=b"k")
    assert result.ok, result.problems[:3]


def test_leavers_are_exactly_the_people_gone_from_the_next_snapshot(snapshots, records):
    (_, first), (second_date, second) = snapshots[0], snapshots[1]
    gone = set(first["employee_id"]) - set(second["employee_id"])
    in_year = records.leavers.filter(pl.col("leaving_date") <= second_date)
    assert set(in_year["employee_id"]) == gone
    dismissed = set(in_year.filter(pl.col("reason") == "dismissal")["employee_id"])
    dismissals = records.cases.filter(pl.col("outcome") == "dismissal")
    assert dismissed <= set(dismissals["employee_id"])


def test_external_appointments_are_the_starters(snapshots, records):
    (_, first), (_, second) = snapshots[0], snapshots[1]
    starters = len(set(second["employee_id"]) - set(first["employee_id"]))
    appointed = records.applications.filter(
        pl.col("stage_reached") == "appointed",
        pl.col("internal") == "no",
        pl.col("vacancy_id").str.starts_with("V2-"),
    )
    assert appointed.height == starters
    assert (
        records.applications["vacancy_id"].n_unique()
        == records.applications.filter(pl.col("stage_reached") == "appointed").height
    )  # one appointment per vacancy


def test_white_shortlisted_applicants_are_about_1_6_times_as_likely_to_be_appointed(records):
    shortlisted = records.applications.filter(
        pl.col("stage_reached").is_in(["shortlisted", "interviewed", "offered", "appointed"]),
        pl.col("withdrawn") == "no",
    ).with_columns(
        white=pl.col("ethnicity").is_in(
            [
                "English, Welsh, Scottish, Northern Irish or British",
                "Irish",
                "Other White",
                "Gypsy or Irish Traveller",
                "Roma",
            ]
        ),
        undisclosed=pl.col("ethnicity").is_in(["Prefer not to say", "Not known"]),
    )
    rates = (
        shortlisted.filter(~pl.col("undisclosed"))
        .group_by("white")
        .agg((pl.col("stage_reached") == "appointed").mean().alias("rate"))
    )
    rate = dict(rates.iter_rows())
    assert 1.4 < rate[True] / rate[False] < 1.8


def test_the_benchmark_inputs_have_exactly_the_applications_asked_for():
    inputs = synthetic.benchmark_inputs(3, employees=2000, applications=30_000)
    assert inputs.records.applications.height == 30_000
    assert [frame.height for _, frame in inputs.snapshots] == [2000, 2000, 2000]


def test_snapshots_are_needed():
    with pytest.raises(ValueError, match="at least one snapshot"):
        synthetic.generate_applications([], 1)
