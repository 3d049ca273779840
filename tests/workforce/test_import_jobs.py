"""An import job's file (a plaintext HR extract) lives only while the job waits for its user:
whatever way the job ends it is deleted at once, and a server that was killed mid-import
fails its half-done jobs and deletes their files when it starts again."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.runtime import recover_interrupted_work
from equitable.metrics.extract import Problem
from equitable.workforce import services
from equitable.workforce.models import ImportJob, Snapshot
from tests.workforce.conftest import SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db


def started(org, user, path: Path, status=ImportJob.Status.UPLOADED, **fields) -> ImportJob:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    job = services.start_job(org, user, upload, snapshot_date=SNAPSHOT_DATE)
    ImportJob.objects.filter(pk=job.pk).update(status=status, **fields)
    job.refresh_from_db()
    assert Path(job.upload_path).exists()
    return job


def test_a_restart_fails_the_jobs_a_killed_server_left_and_deletes_their_files(
    org, users, good_csv, tmp_path, client_as
):
    storing = started(
        org, users["hr_analyst"], good_csv, ImportJob.Status.STORING, progress=60, stage="Storing"
    )
    checking = started(
        org, users["edi_officer"], good_csv, ImportJob.Status.VALIDATING, progress=40
    )
    waiting = started(org, users["org_admin"], good_csv, ImportJob.Status.VALID)
    orphan = services.uploads_dir() / "written-before-the-job-was-recorded.csv"
    orphan.write_bytes(good_csv.read_bytes())
    spooled = Path(settings.FILE_UPLOAD_TEMP_DIR) / "tmp1234.upload.csv"
    spooled.write_bytes(good_csv.read_bytes())
    files = {job.pk: Path(job.upload_path) for job in (storing, checking, waiting)}

    recover_interrupted_work()

    for job, message in [
        (storing, "The server stopped while the snapshot was being stored"),
        (checking, "The server stopped while the file was being checked"),
    ]:
        job.refresh_from_db()
        assert (job.status, job.stage, job.upload_path) == (ImportJob.Status.FAILED, message, "")
        assert not files[job.pk].exists()
    waiting.refresh_from_db()
    assert waiting.status == ImportJob.Status.VALID and files[waiting.pk].exists()
    assert not orphan.exists() and not spooled.exists()
    page = client_as("hr_analyst").get(reverse("workforce:import-job", args=[storing.pk]))
    html = page.content.decode()
    assert "The import stopped" in html and "snapshot was being stored" in html
    assert 'http-equiv="refresh"' not in html  # no more "Storing… 60%" for ever
    assert Snapshot.objects.count() == 0


def test_serve_and_demo_clear_up_before_serving(org, users, good_csv, monkeypatch):
    from equitable.core import commands, runtime

    for name in ("setup_django", "migrate", "collect_static"):
        monkeypatch.setattr(runtime, name, lambda *args, **kwargs: None)
    monkeypatch.setattr(commands, "_serve", lambda *args, **kwargs: 0)
    job = started(org, users["hr_analyst"], good_csv, ImportJob.Status.STORING)

    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    args = parser.parse_args(["serve", "--port", "0"])
    assert args.func(args) == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.upload_path


def test_storing_deletes_the_file(org, users, good_csv):
    job = started(org, users["hr_analyst"], good_csv, ImportJob.Status.VALID)
    path = Path(job.upload_path)
    services.start_storing(job, replace=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not path.exists() and job.upload_path == ""


def test_a_refusal_when_storing_ends_the_job_and_deletes_the_file(
    org, users, good_csv, monkeypatch, client_as
):
    job = started(org, users["hr_analyst"], good_csv, ImportJob.Status.VALID)
    path = Path(job.upload_path)
    refused = services.ImportOutcome(
        snapshot=None, problems=[], unmapped_values={}, row_count=0, present_columns=[]
    )
    refused.problems.append(Problem(row=3, column="ethnicity", value="?", message="unknown"))
    monkeypatch.setattr(services, "import_file", lambda *args, **kwargs: refused)
    services.start_storing(job, replace=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and job.problem_count == 1
    assert not path.exists() and job.upload_path == ""
    client = client_as("hr_analyst")
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert reverse("workforce:import-mapping", args=[job.pk]) not in page  # nothing to re-check
    response = client.get(reverse("workforce:import-mapping", args=[job.pk]))
    assert response.status_code == 302


def test_an_unexpected_error_fails_the_job_deletes_the_file_and_is_not_hidden(
    org, users, good_csv, monkeypatch
):
    job = started(org, users["hr_analyst"], good_csv, ImportJob.Status.VALIDATING)
    path = Path(job.upload_path)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the checks")

    monkeypatch.setattr(services, "validate_file", broken)
    with pytest.raises(RuntimeError, match="a bug in the checks"):
        services.start_validation(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.stage == "The import stopped because of an unexpected error"
    assert not path.exists()


def test_an_unreadable_upload_leaves_no_file(org, users, tmp_path):
    def workbooks() -> set:
        # Only workbooks: another test's background CSV job may come and go meanwhile.
        return set(services.uploads_dir().glob("*.xlsx"))

    before = workbooks()
    upload = SimpleUploadedFile("extract.xlsx", b"PK\x03\x04 not a workbook")
    job = services.start_job(org, users["hr_analyst"], upload, snapshot_date=SNAPSHOT_DATE)
    assert job.status == ImportJob.Status.FAILED and job.upload_path == ""
    assert workbooks() == before


def test_a_new_upload_for_the_same_date_replaces_the_one_left_waiting(org, users, tmp_path):
    first = started(
        org,
        users["hr_analyst"],
        write_csv(tmp_path / "a.csv", extract_rows()),
        ImportJob.Status.INVALID,
    )
    colleague = started(org, users["edi_officer"], write_csv(tmp_path / "b.csv", extract_rows()))
    first_file, colleague_file = Path(first.upload_path), Path(colleague.upload_path)
    started(org, users["hr_analyst"], write_csv(tmp_path / "c.csv", extract_rows()))
    assert not ImportJob.objects.filter(pk=first.pk).exists() and not first_file.exists()
    assert colleague_file.exists()  # someone else's job is theirs to finish
