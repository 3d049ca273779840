"""The import pages: upload, match columns, see every problem, confirm, replace, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.workforce.models import ImportJob, Snapshot
from tests.workforce.conftest import extract_rows, write_csv

pytestmark = pytest.mark.django_db


def upload(client, path: Path, snapshot_date="2025-03-31"):
    with open(path, "rb") as handle:
        return client.post(
            reverse("workforce:import"),
            {"extract": handle, "snapshot_date": snapshot_date},
        )


def mapping_post(job: ImportJob, **overrides) -> dict:
    data = {}
    for index, column in enumerate(job.source_columns):
        data[f"column_{index}"] = overrides.get(column, job.column_mapping.get(column, ""))
    return data


def import_through_pages(client, path: Path) -> ImportJob:
    response = upload(client, path)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("pk")
    response = client.post(reverse("workforce:import-mapping", args=[job.pk]), mapping_post(job))
    assert response.status_code == 302
    job.refresh_from_db()
    return job


def test_a_clean_upload_is_checked_then_stored_on_confirmation(client_as, good_csv):
    client = client_as("hr_analyst")
    job = import_through_pages(client, good_csv)

    assert job.status == ImportJob.Status.VALID
    uploaded = Path(job.upload_path)
    assert uploaded.exists() and uploaded.parent.name == "imports"
    assert job.column_mapping.get("full_name", "") == ""  # names are left out
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "ready to store" in page and "full_name" in page
    assert Snapshot.objects.count() == 0

    response = client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Snapshot.objects.get().row_count == 112
    assert not uploaded.exists()
    assert AuditEvent.objects.filter(action="import", username="hr_analyst").exists()


def test_a_broken_upload_lists_every_problem_and_stores_nothing(client_as, broken_csv):
    client = client_as("edi_officer")
    job = import_through_pages(client, broken_csv)

    assert job.status == ImportJob.Status.INVALID
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "govuk-error-summary" in page
    assert "Martian" in page and "lots" in page
    assert "Nothing has been stored" in page
    assert Snapshot.objects.count() == 0
    refused = AuditEvent.objects.get(action="import", object_type="workforce_import")
    assert "nothing stored" in refused.detail and "Martian" not in refused.detail
    response = client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert Snapshot.objects.count() == 0 and response.status_code == 302


def test_many_identical_problems_are_one_group_with_its_count(client_as, tmp_path):
    rows = extract_rows()
    for row in rows:
        row["hourly_pay"] = "unknown"
    path = write_csv(tmp_path / "many.csv", rows)
    client = client_as("hr_analyst")
    job = import_through_pages(client, path)
    assert job.problem_count == 112
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    # 112 rows, 2 to 113, in one group listing its first 20 rows (tests/workforce/
    # test_snapshots.py checks the grouping by hand).
    assert "Not a number — 112 rows: rows 2–113, column hourly_pay" in page
    assert page.count('<td class="govuk-table__cell govuk-table__cell--numeric">') == 20
    assert "The first 20 of 112" in page


def test_replacing_a_snapshot_needs_explicit_confirmation(client_as, good_csv, snapshot):
    client = client_as("hr_analyst")
    job = import_through_pages(client, good_csv)
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "already exists" in page

    response = client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert response.status_code == 200
    assert "confirm that it should be replaced" in response.content.decode()
    assert Snapshot.objects.get().pk == snapshot.pk

    client.post(reverse("workforce:import-confirm", args=[job.pk]), {"replace": "on"})
    assert Snapshot.objects.get().pk != snapshot.pk


def test_the_mapping_step_is_prefilled_from_the_remembered_mapping(client_as, tmp_path):
    header = ["Staff No", "Ethnic Origin", "Surname"]
    rows = [{"Staff No": f"S{i}", "Ethnic Origin": "Irish", "Surname": "X"} for i in range(15)]
    path = write_csv(tmp_path / "own.csv", rows, header)
    client = client_as("hr_analyst")
    upload(client, path)
    job = ImportJob.objects.latest("pk")
    client.post(
        reverse("workforce:import-mapping", args=[job.pk]),
        mapping_post(job, **{"Staff No": "employee_id", "Ethnic Origin": "ethnicity"}),
    )
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE

    upload(client, path, snapshot_date="2026-03-31")
    second = ImportJob.objects.latest("pk")
    assert second.column_mapping == {
        "Staff No": "employee_id",
        "Ethnic Origin": "ethnicity",
        "Surname": "",
    }


def test_the_mapping_needs_an_id_and_ethnicity_and_no_duplicates(client_as, good_csv):
    client = client_as("hr_analyst")
    upload(client, good_csv)
    job = ImportJob.objects.latest("pk")
    data = mapping_post(job, employee_id="", full_name="ethnicity")
    response = client.post(reverse("workforce:import-mapping", args=[job.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "employee_id (it is required)" in html
    assert "both mapped to ethnicity" in html


def test_an_upload_must_be_csv_or_xlsx_and_within_the_size_limit(client_as, settings):
    client = client_as("hr_analyst")
    response = client.post(
        reverse("workforce:import"),
        {"extract": SimpleUploadedFile("x.pdf", b"%PDF"), "snapshot_date": "2025-03-31"},
    )
    assert "must be a CSV or an Excel" in response.content.decode()
    settings.EQUITABLE_MAX_IMPORT_BYTES = 10
    response = client.post(
        reverse("workforce:import"),
        {"extract": SimpleUploadedFile("x.csv", b"a,b\n1,2\n3,4\n"), "snapshot_date": "2025-03-31"},
    )
    assert "larger than" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_cancelling_deletes_the_uploaded_file(client_as, good_csv):
    client = client_as("hr_analyst")
    upload(client, good_csv)
    job = ImportJob.objects.latest("pk")
    stored = Path(job.upload_path)
    assert stored.exists()
    client.post(reverse("workforce:import-cancel", args=[job.pk]))
    assert not stored.exists()


def test_a_running_job_shows_progress_and_refreshes_itself(client_as, good_csv):
    client = client_as("hr_analyst")
    upload(client, good_csv)
    job = ImportJob.objects.latest("pk")
    ImportJob.objects.filter(pk=job.pk).update(status="validating", progress=40, stage="Checking")
    html = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress id="import-progress"' in html and 'value="40"' in html


def test_another_council_cannot_see_our_import(client_as, good_csv):
    upload(client_as("hr_analyst"), good_csv)
    job = ImportJob.objects.latest("pk")
    response = client_as("other:hr_analyst").get(reverse("workforce:import-job", args=[job.pk]))
    assert response.status_code == 404


def test_board_members_cannot_import(client_as):
    assert client_as("board_member").get(reverse("workforce:import")).status_code == 403


def test_population_entered_by_hand_must_add_up(client_as):
    client = client_as("edi_officer")
    data = {"source": "hand", "hand-Asian": "30", "hand-Black": "10", "hand-Mixed": "5"}
    data |= {"hand-White": "40", "hand-Other": "5"}
    response = client.post(reverse("workforce:population"), data)
    assert response.status_code == 200
    assert "add up to 90" in response.content.decode()
    data["hand-White"] = "50"
    response = client.post(reverse("workforce:population"), data)
    assert response.status_code == 302
    page = client.get(reverse("workforce:population")).content.decode()
    assert "entered by hand" in page


def test_unplaced_values_can_be_matched_and_are_remembered(client_as, tmp_path, org):
    rows = extract_rows()
    rows[4]["ethnicity"] = "Martian"
    path = write_csv(tmp_path / "martian.csv", rows)
    client = client_as("hr_analyst")
    job = import_through_pages(client, path)
    assert job.status == ImportJob.Status.INVALID
    assert job.unmapped_values == {"ethnicity": ["Martian"]}

    page = client.get(reverse("workforce:import-values", args=[job.pk])).content.decode()
    assert "Martian" in page
    client.post(
        reverse("workforce:import-values", args=[job.pk]), {"value_0": "Any other ethnic group"}
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    from equitable.workforce.services import remembered_mapping

    assert remembered_mapping(org).values["ethnicity"] == {"Martian": "Any other ethnic group"}


def _wait_for_background_work(job: ImportJob) -> None:
    """Wait for the job's thread to end, then read the job. The test database is SQLite in
    memory with a shared cache, where reading a table while another connection writes it fails
    at once ("table is locked") instead of waiting as the file database of the demo and
    production does (WAL, busy timeout); so the test does not poll while the thread works."""
    import threading

    for thread in threading.enumerate():
        if thread.name.startswith("equitable-workforce.") and thread.name.endswith(f"-{job.pk}"):
            thread.join(timeout=60)
    job.refresh_from_db()


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_in_the_background(client_as, good_csv, settings):
    settings.EQUITABLE_IMPORT_BACKGROUND_BYTES = 1
    client = client_as("hr_analyst")
    job = import_through_pages(client, good_csv)
    _wait_for_background_work(job)
    assert job.status == ImportJob.Status.VALID
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    _wait_for_background_work(job)
    assert job.status == ImportJob.Status.DONE
    assert Snapshot.objects.get().row_count == 112


def test_the_census_table_is_imported_for_the_chosen_authority(client_as, org):
    sample = Path(__file__).parents[1] / "metrics" / "fixtures" / "census2021-ts021-ltla-sample.csv"
    client = client_as("hr_analyst")
    with open(sample, "rb") as handle:
        response = client.post(
            reverse("workforce:population"),
            {"source": "nomis", "nomis-census_file": handle, "nomis-local_authority": "Nowhere"},
        )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()

    with open(sample, "rb") as handle:
        response = client.post(
            reverse("workforce:population"),
            {"source": "nomis", "nomis-census_file": handle, "nomis-local_authority": "Harrow"},
        )
    assert response.status_code == 302
    from equitable.workforce.services import current_population

    benchmark = current_population(org)
    assert benchmark.source == "Census 2021 TS021 Harrow"
    groups = [row for row in benchmark.rows if row["ethnicity"] is None]
    assert len(groups) == 5
    assert sum(row["percent"] for row in groups) == pytest.approx(100, abs=0.1)
    assert AuditEvent.objects.filter(object_type="population_benchmark").exists()
