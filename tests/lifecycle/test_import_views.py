"""The web import: HR analyst and EDI officer only, another council's import is a 404, a bad
file lists every problem by row and column and stores nothing, a clean one is stored."""

from __future__ import annotations

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.cli import main
from equitable.lifecycle.models import LifecycleImport, RecordMapping, RecordSet
from tests.lifecycle.conftest import applications_frame


def _csv(frame: pl.DataFrame, name: str = "applications.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, frame.write_csv().encode(), content_type="text/csv")


def _upload(client, frame: pl.DataFrame, kind: str = "applications"):
    return client.post(reverse("lifecycle:import"), {"kind": kind, "extract": _csv(frame)})


@pytest.mark.parametrize("persona", ["board_member", "champion", "org_admin"])
def test_only_the_import_roles_may_import(client_as, persona):
    assert client_as(persona).get(reverse("lifecycle:import")).status_code == 403


def test_a_clean_file_is_matched_checked_and_stored(client_as, org):
    client = client_as("hr_analyst")
    frame = applications_frame(30).rename({"application_id": "Candidate ref"})
    response = _upload(client, frame)
    job = LifecycleImport.objects.get()
    assert response["Location"] == reverse("lifecycle:import-mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Match the columns" in page and "Candidate ref" in page
    columns = {f"column_{i}": "" for i in range(len(job.source_columns))}
    for index, column in enumerate(job.source_columns):
        columns[f"column_{index}"] = "application_id" if column == "Candidate ref" else column
    response = client.post(reverse("lifecycle:import-mapping", args=[job.pk]), columns)
    job.refresh_from_db()
    assert job.status == LifecycleImport.Status.DONE, job.problems[:3]
    assert job.upload_path == "" and job.problems == []
    stored = RecordSet.objects.get(organisation=org, kind="applications")
    assert stored.row_count == 30
    page = client.get(response["Location"]).content.decode()
    assert "File imported" in page
    remembered = RecordMapping.objects.get(organisation=org, kind="applications")
    assert remembered.columns["Candidate ref"] == "application_id"


def test_a_bad_file_lists_its_problems_by_row_and_column_and_stores_nothing(client_as, org):
    client = client_as("edi_officer")
    frame = applications_frame(12).with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("Martian"))
        .otherwise(pl.col("ethnicity"))
        .alias("ethnicity"),
        pl.when(pl.int_range(pl.len()) == 6)
        .then(pl.lit("not a day"))
        .otherwise(pl.col("date_applied"))
        .alias("date_applied"),
    )
    _upload(client, frame)
    job = LifecycleImport.objects.get()
    mapping = {f"column_{i}": c for i, c in enumerate(job.source_columns)}
    response = client.post(reverse("lifecycle:import-mapping", args=[job.pk]), mapping)
    job.refresh_from_db()
    assert job.status == LifecycleImport.Status.INVALID
    assert {(p["row"], p["column"]) for p in job.problems} >= {
        (5, "ethnicity"),
        (8, "date_applied"),
    }
    assert RecordSet.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Problems in the file" in page and "Nothing has been stored" in page
    assert "match the values we could not place" in page
    csv = client.get(reverse("lifecycle:import-problems-csv", args=[job.pk])).content.decode()
    assert "date_applied" in csv and "Martian" not in csv  # special category value not copied
    # The unplaced value can be matched, and the file is then stored.
    values = client.get(reverse("lifecycle:import-values", args=[job.pk]))
    assert "Martian" in values.content.decode()


def test_another_councils_import_is_not_found(client_as, org):
    client = client_as("hr_analyst")
    _upload(client, applications_frame(5))
    job = LifecycleImport.objects.get()
    other = client_as("other:hr_analyst")
    for name in ("lifecycle:import-job", "lifecycle:import-mapping", "lifecycle:import-values"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    assert other.post(reverse("lifecycle:import-cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.upload_path  # untouched


def test_an_unreadable_file_is_refused_on_the_upload_page(client_as):
    client = client_as("hr_analyst")
    upload = SimpleUploadedFile("jobs.xlsx", b"not a workbook", content_type="application/zip")
    page = client.post(reverse("lifecycle:import"), {"kind": "cases", "extract": upload})
    assert page.status_code == 200
    assert "could not be read" in page.content.decode()
    assert RecordSet.objects.count() == 0


@pytest.fixture
def no_setup(monkeypatch):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)


def test_the_command_line_lists_every_problem_and_exits_2(org, tmp_path, capsys, no_setup):
    broken = tmp_path / "broken.csv"
    applications_frame(6).with_columns(pl.lit("somewhere").alias("stage_reached")).write_csv(broken)
    argv = ["lifecycle-import", "--organisation", org.slug, "--kind", "applications"]
    assert main([*argv, str(broken)]) == 2
    err = capsys.readouterr().err
    assert "nothing was stored" in err
    assert "column stage_reached" in err and "somewhere" in err and "6 rows" in err
    assert RecordSet.objects.count() == 0

    good = tmp_path / "good.csv"
    applications_frame(6).rename({"application_id": "Ref"}).write_csv(good)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"columns": {"Ref": "application_id"}}')
    assert main([*argv, str(good), "--mapping", str(mapping)]) == 0
    assert "Stored 6 rows" in capsys.readouterr().out
    assert RecordSet.objects.get().row_count == 6


def test_the_command_line_refuses_a_bad_mapping_file(org, tmp_path, capsys, no_setup):
    good = tmp_path / "good.csv"
    applications_frame(3).write_csv(good)
    mapping = tmp_path / "mapping.json"
    mapping.write_text("[1, 2]")
    argv = ["lifecycle-import", "--organisation", org.slug, "--kind", "applications"]
    assert main([*argv, str(good), "--mapping", str(mapping)]) == 2
    assert "mapping could not be read" in capsys.readouterr().err
