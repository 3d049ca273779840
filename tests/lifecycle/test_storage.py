"""Stored record sets: one current set per kind, replaced with an audit entry, ids only as the
snapshots' keyed hashes, and nothing stored from a file with problems."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.core.models import AuditEvent
from equitable.lifecycle import imports, services
from equitable.lifecycle.models import RecordFrame, RecordSet
from equitable.workforce import services as workforce
from tests.lifecycle.conftest import applications_frame, staff_frame, store_snapshot


def _validated(org, frame: pl.DataFrame, kind: str = "applications") -> pl.DataFrame:
    result = imports.validate_file(org, kind, frame)
    assert result.ok, result.problems[:5]
    return result.frame


def test_a_stored_record_set_reads_back_and_is_audited(org, users):
    frame = _validated(org, applications_frame(20))
    stored = services.store_records(
        org, "applications", frame, user=users["hr_analyst"], source_filename="jobs.csv"
    )
    assert stored.row_count == 20 and stored.source_filename == "jobs.csv"
    assert stored.imported_by == users["hr_analyst"]
    read = services.records_frame(org, "applications")
    assert read.equals(frame)
    event = AuditEvent.objects.get(object_type="lifecycle_records")
    assert event.action == AuditEvent.Action.IMPORT and event.user == users["hr_analyst"]
    assert event.detail == "applications: 20 rows from jobs.csv"
    assert event.organisation == org


def test_storing_again_replaces_the_set_and_says_what_it_replaced(org):
    services.store_records(
        org,
        "applications",
        _validated(org, applications_frame(20)),
        user=None,
        source_filename="first.csv",
    )
    services.store_records(
        org,
        "applications",
        _validated(org, applications_frame(12)),
        user=None,
        source_filename="second.csv",
    )
    assert RecordSet.objects.filter(organisation=org).count() == 1
    assert RecordFrame.objects.count() == 1
    assert services.records_frame(org, "applications").height == 12
    latest = AuditEvent.objects.filter(object_type="lifecycle_records").order_by("-id").first()
    assert "replacing 20 rows from first.csv" in latest.detail


def test_replacing_only_when_asked(org):
    frame = _validated(org, applications_frame(20))
    services.store_records(org, "applications", frame, user=None, source_filename="a.csv")
    with pytest.raises(services.RecordSetExists):
        services.store_records(
            org, "applications", frame.head(3), user=None, source_filename="b.csv", replace=False
        )
    assert services.records_frame(org, "applications").height == 20


def test_raw_employee_ids_and_unknown_kinds_are_refused(org):
    with pytest.raises(ValueError, match="raw employee ids"):
        services.store_records(
            org, "cases", pl.DataFrame({"employee_id": ["E1"]}), user=None, source_filename="x"
        )
    with pytest.raises(ValueError, match="not a kind"):
        services.store_records(org, "surveys", pl.DataFrame(), user=None, source_filename="x")
    assert services.records_frame(org, "cases") is None


def test_employee_ids_are_stored_as_the_snapshots_keyed_hashes(org):
    store_snapshot(org, date(2025, 3, 31), staff_frame(30))
    records = pl.DataFrame(
        {"employee_id": ["E0003", "E0007"], "date": ["2024-09-01", "2024-10-01"]}
    )
    frame = _validated(org, records, "development")
    stored = services.store_records(
        org, "development", frame, user=None, source_filename="training.csv"
    )
    kept = services.records_frame(org, "development")
    assert "employee_id" not in kept.columns
    snapshot = workforce.snapshot_frame(workforce.latest_snapshot(org))
    by_position = snapshot["employee_key"].to_list()
    assert kept["employee_key"].to_list() == [by_position[3], by_position[7]]
    blob = bytes(RecordFrame.objects.get(record_set=stored).parquet)
    assert b"E0003" not in blob and b"E0007" not in blob


def test_a_file_with_problems_stores_nothing_and_lists_each_by_row_and_column(org, tmp_path):
    frame = applications_frame(10).with_columns(
        pl.when(pl.int_range(pl.len()) == 2)
        .then(pl.lit("sent to the moon"))
        .otherwise(pl.col("stage_reached"))
        .alias("stage_reached"),
        pl.when(pl.int_range(pl.len()) == 5)
        .then(pl.lit("yesterday"))
        .otherwise(pl.col("date_applied"))
        .alias("date_applied"),
    )
    path = tmp_path / "broken.csv"
    frame.write_csv(path)
    outcome = imports.import_file(org, "applications", path)
    assert not outcome.ok
    where = {(p.row, p.column) for p in outcome.problems}
    assert (4, "stage_reached") in where and (7, "date_applied") in where
    assert RecordSet.objects.count() == 0
    refused = AuditEvent.objects.get(object_type="lifecycle_import")
    assert "nothing stored" in refused.detail and "moon" not in refused.detail
