"""GET /api/training/compliance: scoped and protected as the page is."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from equitable.training import services
from tests.training.conftest import records_csv


def _import(org, users):
    upload = SimpleUploadedFile("training.csv", records_csv().encode(), content_type="text/csv")
    checked = services.check_upload(org, users["edi_officer"], "records", upload)
    services.confirm(checked.pending, users["edi_officer"])


def test_exact_for_the_hr_analyst_protected_for_the_board(client_as, org, users, snapshot):
    _import(org, users)
    exact = client_as("hr_analyst").get("/api/training/compliance").json()
    assert exact["exact"] is True and exact["as_of"] == "2025-03-31"
    assert exact["tables"]["all_staff"][0]["mandatory_completed"] == 30
    published = client_as("board_member").get("/api/training/compliance").json()
    assert published["exact"] is False
    assert published["tables"]["all_staff"][0]["senior_leaders"] is None  # 8: withheld


def test_a_champion_gets_their_directorate_row_only(client_as, org, users, snapshot):
    _import(org, users)
    body = client_as("champion").get("/api/training/compliance").json()
    assert list(body["tables"]) == ["by_directorate"]
    assert [r["directorate"] for r in body["tables"]["by_directorate"]] == ["People"]


def test_other_roles_are_refused(client_as):
    assert client_as("org_admin").get("/api/training/compliance").status_code == 403
    assert client_as("coordinator").get("/api/training/compliance").status_code == 403
