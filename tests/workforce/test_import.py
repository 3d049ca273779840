"""Importing an HR extract: all or nothing, every problem listed, ids hashed, names never stored."""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings

from equitable.cli import main
from equitable.core.models import AuditEvent
from equitable.workforce import services
from equitable.workforce.models import Snapshot, SnapshotFrame
from tests.workforce.conftest import SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db


def test_a_clean_file_is_stored_with_hashed_ids_and_no_names(org, good_csv):
    outcome = services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)

    assert outcome.ok and outcome.problems == []
    snapshot = Snapshot.objects.get(organisation=org)
    assert snapshot.row_count == 112
    frame = services.snapshot_frame(snapshot)
    assert frame.height == 112
    assert "full_name" not in frame.columns
    blob = bytes(SnapshotFrame.objects.get(snapshot=snapshot).parquet)
    assert b"Number1" not in blob and b"E00001" not in blob
    assert set(frame["ethnicity"].unique()) >= {"Indian", "Caribbean"}


def test_the_same_id_hashes_the_same_way_in_every_snapshot(org, tmp_path):
    first = write_csv(tmp_path / "a.csv", extract_rows())
    services.import_file(org, first, snapshot_date=date(2024, 3, 31))
    services.import_file(org, first, snapshot_date=date(2025, 3, 31))
    keys = [
        set(services.snapshot_frame(s)["employee_key"].to_list())
        for s in services.snapshots_of(org)
    ]
    assert keys[0] == keys[1] and len(keys[0]) == 112


def test_a_broken_file_stores_nothing_and_lists_every_problem(org, broken_csv):
    outcome = services.import_file(org, broken_csv, snapshot_date=SNAPSHOT_DATE)

    assert not outcome.ok
    assert Snapshot.objects.count() == 0
    columns = {problem.column for problem in outcome.problems}
    assert {"ethnicity", "hourly_pay", "employee_id"} <= columns
    values = {problem.value for problem in outcome.problems}
    assert "Martian" in values and "lots" in values


def test_reimporting_a_date_needs_confirmation_and_replaces_only_that_snapshot(
    org, good_csv, tmp_path
):
    services.import_file(org, good_csv, snapshot_date=date(2024, 3, 31))
    services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)
    smaller = write_csv(tmp_path / "smaller.csv", extract_rows()[:50])

    with pytest.raises(services.SnapshotExists):
        services.import_file(org, smaller, snapshot_date=SNAPSHOT_DATE)
    assert Snapshot.objects.get(snapshot_date=SNAPSHOT_DATE).row_count == 112

    services.import_file(org, smaller, snapshot_date=SNAPSHOT_DATE, replace=True)
    assert Snapshot.objects.get(snapshot_date=SNAPSHOT_DATE).row_count == 50
    assert Snapshot.objects.get(snapshot_date=date(2024, 3, 31)).row_count == 112


def test_each_import_is_audited_without_personal_values(org, good_csv):
    services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)
    event = AuditEvent.objects.get(action="import")
    assert event.organisation == org
    assert "112 rows" in event.detail
    assert "Indian" not in event.detail


def test_the_id_key_file_is_created_readable_by_the_owner_only():
    path = Path(settings.EQUITABLE_ID_HASH_KEY_FILE)
    path.unlink(missing_ok=True)
    key = services.id_hash_key()
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert services.id_hash_key() == key


def test_the_council_column_names_are_mapped_and_remembered(org, tmp_path):
    header = ["Staff No", "Name", "Ethnic Origin", "Directorate"]
    rows = [
        {
            "Staff No": f"S{i}",
            "Name": "A Person",
            "Ethnic Origin": "Indian",
            "Directorate": "People",
        }
        for i in range(12)
    ]
    path = write_csv(tmp_path / "own.csv", rows, header)
    mapping = {"Staff No": "employee_id", "Name": "", "Ethnic Origin": "ethnicity"}
    outcome = services.import_file(org, path, snapshot_date=SNAPSHOT_DATE, column_mapping=mapping)
    assert outcome.ok
    services.remember_mapping(org, mapping, {})

    suggested = services.suggest_column_mapping(org, header)
    assert suggested == {
        "Staff No": "employee_id",
        "Name": "",
        "Ethnic Origin": "ethnicity",
        "Directorate": "directorate",
    }


def test_the_command_line_imports_and_exits_2_listing_every_problem(
    org, good_csv, broken_csv, capsys, monkeypatch
):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    argv = ["workforce", "import", "--organisation", org.slug, "--snapshot-date", "2025-03-31"]

    assert main([*argv, str(broken_csv)]) == 2
    err = capsys.readouterr().err
    assert "Martian" in err and "lots" in err and "nothing was stored" in err
    assert Snapshot.objects.count() == 0

    assert main([*argv, str(good_csv)]) == 0
    assert "Stored 112 rows" in capsys.readouterr().out
    assert main([*argv, str(good_csv)]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main([*argv, "--replace", str(good_csv)]) == 0


def test_the_command_line_refuses_an_unknown_organisation(db, good_csv, capsys, monkeypatch):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    argv = ["workforce", "import", str(good_csv), "--organisation", "nowhere"]
    assert main([*argv, "--snapshot-date", "2025-03-31"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_snapshot_frames_and_figures_for_serve_other_apps(org, snapshot):
    frames = services.snapshot_frames(org)
    assert [d for d, _ in frames] == [SNAPSHOT_DATE]
    assert services.latest_snapshot(org) == snapshot
    exact = services.figures_for(org, published=False)
    overall = {r["ethnic_group"]: r["count"] for r in exact["representation_overall"]}
    assert overall["Black"] == 15 and overall["Asian"] == 38
    published = services.figures_for(org, published=True)
    assert all("suppressed" in row for row in published["representation_overall"])


def test_figures_for_is_empty_without_data(org):
    assert services.figures_for(org, published=True) == {}


def test_the_stored_blob_round_trips_the_frame_exactly():
    frame = pl.DataFrame(
        {"employee_key": ["00ff" * 8, None], "age": [40, None], "sex": ["Female", None]}
    )
    blob = services.frame_to_parquet(frame)
    assert services.frame_from_parquet(blob).equals(frame)
    assert pl.read_parquet(io.BytesIO(blob)).schema["employee_key"] == pl.Binary


def test_whole_keys_stored_by_earlier_versions_read_as_their_128_bit_prefix():
    """Snapshots stored before keys were truncated still match the people in new ones."""
    whole = "0123456789abcdef" * 4  # 256 bits, as earlier versions stored it
    blob = services.frame_to_parquet(pl.DataFrame({"employee_key": [whole, None]}))
    assert services.frame_from_parquet(blob)["employee_key"].to_list() == [whole[:32], None]


def test_an_excel_extract_imports_like_a_csv(org, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee Number", "Ethnic Group", "Gender"])
    for n in range(20):
        sheet.append([f"X{n}", "Asian or Asian British - Indian", "F" if n % 2 else "M"])
    path = tmp_path / "extract.xlsx"
    workbook.save(path)

    outcome = services.import_file(org, path, snapshot_date=SNAPSHOT_DATE)
    assert outcome.ok, outcome.problems
    frame = services.snapshot_frame(outcome.snapshot)
    assert frame["ethnicity"].unique().to_list() == ["Indian"]
